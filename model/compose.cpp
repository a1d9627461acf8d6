// Compose parsing with yaml-cpp: short ("8080:80", "127.0.0.1:5432:5432/tcp") and long
// ({published: 8080, target: 80}) port syntax; environment as a list or a map.
#include "compose.hpp"

#include <yaml-cpp/yaml.h>


#include "front_matter.hpp"
#include "limits.hpp"
#include "text.hpp"

namespace opsbook::model {

const ComposeService* ComposeFile::service(std::string_view name) const {
  for (const auto& s : services) {
    if (s.name == name) return &s;
  }
  return nullptr;
}

namespace {

int to_port(std::string_view s) {
  s = trim(s);
  size_t slash = s.find('/');
  if (slash != std::string_view::npos) s = s.substr(0, slash);
  size_t dash = s.find('-');  // a range: take its first port
  if (dash != std::string_view::npos) s = s.substr(0, dash);
  if (s.empty() || s.size() > 5) return 0;
  int v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return 0;
    v = v * 10 + (c - '0');
  }
  return v <= 65535 ? v : 0;
}

ComposePort short_port(std::string_view spec, int line) {
  // [ip:]host:container[/proto] or container
  std::vector<std::string_view> parts;
  size_t pos = 0;
  while (pos <= spec.size()) {
    size_t colon = spec.find(':', pos);
    if (colon == std::string_view::npos) colon = spec.size();
    parts.push_back(spec.substr(pos, colon - pos));
    pos = colon + 1;
  }
  ComposePort p;
  p.line = line;
  p.container = to_port(parts.back());
  if (parts.size() >= 2) p.host = to_port(parts[parts.size() - 2]);
  return p;
}

}  // namespace

ComposeFile parse_compose(const std::string& path, const std::string& text, Diagnostics& diagnostics) {
  ComposeFile out;
  out.path = path;
  if (YamlFlows flows = yaml_flows(text); flows.deepest > Limits{}.nesting) {
    auto [line, col] = line_col_at(text, flows.deepest_at);
    diagnostics.add(path, {line, col}, Severity::error, "compose", "nested deeper than " + std::to_string(Limits{}.nesting) + " levels: not read",
                    "flatten the compose file (a fixed bound)");
    return out;
  }
  YAML::Node root;
  try {
    root = YAML::Load(text);
  } catch (const YAML::Exception& e) {
    diagnostics.add(path, {e.mark.line + 1, e.mark.column + 1}, Severity::error, "compose", "invalid YAML: " + e.msg, "fix the compose file");
    return out;
  }
  YAML::Node services = root.IsMap() ? root["services"] : YAML::Node();
  if (!services || !services.IsMap()) {
    // Version 1 files list services at the top level.
    if (root.IsMap() && !root["version"]) services = root;
    else return out;
  }
  try {
    for (const auto& kv : services) {
      ComposeService svc;
      svc.name = kv.first.as<std::string>();
      svc.line = kv.first.Mark().line + 1;
      const YAML::Node& body = kv.second;
      if (!body.IsMap()) continue;
      if (const YAML::Node ports = body["ports"]; ports && ports.IsSequence()) {
        for (const auto& p : ports) {
          int line = p.Mark().line + 1;
          if (p.IsScalar()) {
            svc.ports.push_back(short_port(p.Scalar(), line));
          } else if (p.IsMap()) {
            ComposePort cp;
            cp.line = line;
            if (p["published"]) cp.host = to_port(p["published"].as<std::string>());
            if (p["target"]) cp.container = to_port(p["target"].as<std::string>());
            svc.ports.push_back(cp);
          }
        }
      }
      if (const YAML::Node env = body["environment"]; env) {
        if (env.IsSequence()) {
          for (const auto& e : env) {
            if (!e.IsScalar()) continue;
            std::string s = e.Scalar();
            svc.environment.push_back(s.substr(0, s.find('=')));
          }
        } else if (env.IsMap()) {
          for (const auto& e : env) svc.environment.push_back(e.first.as<std::string>());
        }
      }
      out.services.push_back(std::move(svc));
    }
  } catch (const YAML::Exception& e) {
    diagnostics.add(path, {e.mark.line + 1, 0}, Severity::error, "compose", "unexpected compose structure: " + e.msg, "");
  }
  return out;
}

}  // namespace opsbook::model
