// Config loading with yaml-cpp; every shape error names the file and line.
#include "config.hpp"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <set>

#include "error.hpp"
#include "front_matter.hpp"
#include "numbers.hpp"
#include "text.hpp"

namespace opsbook::model {

namespace fs = std::filesystem;

const ServiceConfig* EnvironmentConfig::service(std::string_view n) const {
  for (const auto& s : services) {
    if (s.name == n) return &s;
  }
  return nullptr;
}

const ServiceConfig* EnvironmentConfig::service_for(std::string_view kind, std::string_view named, bool strict,
                                                    const std::vector<std::string>& runbook_services, std::string& why) const {
  std::string label = "environment '" + name + "'";
  if (!named.empty()) {
    const ServiceConfig* s = service(named);
    if (s && s->kind == kind) return s;
    if (strict) {
      why = s ? "service '" + std::string(named) + "' of " + label + " is " + s->kind + ", not " + std::string(kind)
              : label + " has no service '" + std::string(named) + "'";
      return nullptr;
    }
  }
  for (const auto& n : runbook_services) {
    const ServiceConfig* s = service(n);
    if (s && s->kind == kind) return s;
  }
  const ServiceConfig* only = nullptr;
  int count = 0;
  for (const auto& s : services) {
    if (s.kind == kind) only = &s, ++count;
  }
  if (count == 1) return only;
  why = count == 0 ? label + " has no " + std::string(kind) + " service"
                   : label + " has several " + std::string(kind) + " services: name one with the service attribute or the runbook's services";
  return nullptr;
}

const EnvironmentConfig* Config::environment(std::string_view n) const {
  for (const auto& e : environments) {
    if (e.name == n) return &e;
  }
  return nullptr;
}

std::string Config::resolve(const std::string& relative) const {
  if (relative.empty() || fs::path(relative).is_absolute() || dir.empty()) return relative;
  return (fs::path(dir) / relative).lexically_normal().string();
}

std::string service_kind_from_url(std::string_view url) {
  if (url.starts_with("http://") || url.starts_with("https://")) return "http";
  if (url.starts_with("postgres://") || url.starts_with("postgresql://")) return "postgres";
  if (url.starts_with("redis://") || url.starts_with("rediss://")) return "redis";
  if (url.starts_with("tcp://")) return "tcp";
  return {};
}

namespace {

[[noreturn]] void fail(const std::string& path, const YAML::Mark& mark, const std::string& message) {
  std::string where = path;
  if (mark.line >= 0) where += ":" + std::to_string(mark.line + 1) + ":" + std::to_string(mark.column + 1);
  throw Error(where + ": " + message);
}

// The 0-based line and column of byte `offset`, as yaml-cpp marks them.
YAML::Mark mark_at(std::string_view text, size_t offset) {
  YAML::Mark mark;
  auto [line, col] = line_col_at(text, offset);
  mark.pos = static_cast<int>(offset);
  mark.line = line - 1;
  mark.column = col - 1;
  return mark;
}

// yaml-cpp reports a flow collection that is never closed ("allow_hosts: [a, b") where it gave up
// looking for the bracket: the next key's line, or past the end of the file. The person needs the
// line of the bracket that stays open there. Returns false when no bracket is open there.
bool unclosed_flow(std::string_view text, const YAML::Mark& at, YAML::Mark& open) {
  YamlFlows flows = yaml_flows(text, at.pos >= 0 ? static_cast<size_t>(at.pos) : text.size());
  if (flows.open.empty()) return false;
  open = mark_at(text, flows.open.back());
  return true;
}

// yaml-cpp shares aliased nodes, and reading the values out copies them: 155 KB of aliases to a
// 60 KB title took 1.1 GB. Walks the tree as reading it would, each alias as often as it is used,
// counting the bytes (16 more per node) and the depth; fails at the key past a bound.
class ExpansionBound {
 public:
  explicit ExpansionBound(const std::string& path) : m_path(path) {}

  void walk(const YAML::Node& node, const YAML::Mark& key, size_t depth) {
    m_spent += 16 + (node.IsScalar() ? node.Scalar().size() : 0);
    if (m_spent > k_config_expanded_bytes) {
      fail(m_path, key, "the configuration expands to more than " + std::to_string(k_config_expanded_bytes) +
                            " bytes (YAML aliases are expanded): write the values out without aliases (a fixed bound)");
    }
    if (depth > Limits{}.nesting) fail(m_path, key, "nested deeper than " + std::to_string(Limits{}.nesting) + " levels: flatten it (a fixed bound)");
    if (node.IsMap()) {
      for (const auto& kv : node) {
        walk(kv.first, kv.first.Mark(), depth + 1);
        walk(kv.second, kv.first.Mark(), depth + 1);
      }
    } else if (node.IsSequence()) {
      for (const auto& item : node) walk(item, key, depth + 1);
    }
  }

 private:
  const std::string& m_path;
  size_t m_spent = 0;
};

std::string scalar(const std::string& path, const YAML::Node& node, const std::string& key) {
  if (!node.IsScalar()) fail(path, node.Mark(), "'" + key + "' must be a single value");
  return valid_text(node.Scalar());
}

std::vector<std::string> strings(const std::string& path, const YAML::Node& node, const std::string& key) {
  std::vector<std::string> out;
  if (node.IsScalar()) {
    out.push_back(valid_text(node.Scalar()));
    return out;
  }
  if (!node.IsSequence()) fail(path, node.Mark(), "'" + key + "' must be a list");
  for (const auto& item : node) out.push_back(scalar(path, item, key));
  return out;
}

std::vector<std::pair<std::string, std::string>> pairs(const std::string& path, const YAML::Node& node, const std::string& key) {
  std::vector<std::pair<std::string, std::string>> out;
  if (node.IsNull()) return out;
  if (!node.IsMap()) fail(path, node.Mark(), "'" + key + "' must be a mapping");
  for (const auto& kv : node) out.emplace_back(valid_text(kv.first.as<std::string>()), scalar(path, kv.second, key));
  return out;
}

bool boolean(const std::string& path, const YAML::Node& node, const std::string& key) {
  bool out = false;
  if (!node.IsScalar() || !YAML::convert<bool>::decode(node, out)) fail(path, node.Mark(), "'" + key + "' must be true or false");
  return out;
}

HistoryConfig history_config(const std::string& path, const YAML::Node& node) {
  HistoryConfig out;
  for (const auto& [k, val] : pairs(path, node, "history")) {
    YAML::Mark mark = node[k].Mark();
    if (k == "path") {
      out.path = val;
    } else if (k == "dsn_env") {
      out.dsn_env = val;
      out.dsn_env_line = mark.line + 1;
    } else if (k == "stale_after") {
      auto d = parse_duration(val, std::chrono::hours(24 * 3650));
      if (!d) fail(path, mark, "history: stale_after must be a duration such as 7d, 36h or 90m (at most 3650d), not '" + val + "'");
      out.stale_after = std::max(std::chrono::seconds(1), std::chrono::duration_cast<std::chrono::seconds>(*d));
    } else {
      fail(path, mark, "unknown history setting '" + k + "' (known: path, dsn_env, stale_after)");
    }
  }
  return out;
}

Limits limits(const std::string& path, const YAML::Node& node) {
  struct Field {
    const char* key;
    size_t Limits::*field;
  };
  static constexpr Field k_fields[] = {{"runbook_bytes", &Limits::runbook_bytes},   {"front_matter_bytes", &Limits::front_matter_bytes},
                                       {"yaml_expanded_bytes", &Limits::yaml_expanded_bytes}, {"nesting", &Limits::nesting},
                                       {"snippets", &Limits::snippets},             {"findings", &Limits::findings},
                                       {"regex_bytes", &Limits::regex_bytes},       {"shellcheck_bytes", &Limits::shellcheck_bytes},
                                       {"shellcheck_run_bytes", &Limits::shellcheck_run_bytes}};
  Limits out;
  if (node.IsNull()) return out;
  if (!node.IsMap()) fail(path, node.Mark(), "'limits' must be a mapping");
  for (const auto& kv : node) {
    std::string key = valid_text(kv.first.as<std::string>());
    const Field* f = std::find_if(std::begin(k_fields), std::end(k_fields), [&](const Field& x) { return key == x.key; });
    if (f == std::end(k_fields)) {
      fail(path, kv.first.Mark(), "unknown limit '" + key + "' (known: runbook_bytes, front_matter_bytes, yaml_expanded_bytes, nesting, snippets, findings, regex_bytes, shellcheck_bytes, shellcheck_run_bytes)");
    }
    // Up to 2^40: far above any runbook, and safe to add and multiply without overflow.
    std::optional<long long> v = parse_integer(scalar(path, kv.second, key), 1, 1LL << 40);
    if (!v) fail(path, kv.second.Mark(), "limit '" + key + "' must be a whole number from 1 to 1099511627776");
    out.*(f->field) = static_cast<size_t>(*v);
  }
  return out;
}

ComposeConfig compose(const std::string& path, const YAML::Node& key, const YAML::Node& node) {
  ComposeConfig c;
  c.line = key.Mark().line + 1;
  if (node.IsNull()) return c;
  if (!node.IsMap()) fail(path, node.Mark(), "'compose' must be a mapping (project, docker_host, probe)");
  for (const auto& kv : node) {
    std::string k = valid_text(kv.first.as<std::string>());
    if (k == "project") {
      c.project = scalar(path, kv.second, k);
    } else if (k == "docker_host") {
      c.docker_host = scalar(path, kv.second, k);
      if (!c.docker_host.starts_with("unix://") || c.docker_host.size() <= 7) {
        fail(path, kv.second.Mark(), "docker_host must be a unix socket (unix:///var/run/docker.sock), not '" + c.docker_host + "'");
      }
    } else if (k == "probe") {
      c.probe = boolean(path, kv.second, k);
    } else {
      fail(path, kv.first.Mark(), "unknown compose setting '" + k + "' (known: project, docker_host, probe)");
    }
  }
  return c;
}

EnvironmentConfig environment(const std::string& path, const std::string& name, const YAML::Node& node) {
  EnvironmentConfig env;
  env.name = name;
  if (node.IsNull()) return env;
  if (!node.IsMap()) fail(path, node.Mark(), "environment '" + name + "' must be a mapping");
  for (const auto& kv : node) {
    std::string key = valid_text(kv.first.as<std::string>());
    const YAML::Node& v = kv.second;
    if (key == "hosts") {
      env.hosts = pairs(path, v, key);
    } else if (key == "allow_hosts") {
      env.allow_hosts = strings(path, v, key);
    } else if (key == "params") {
      env.params = pairs(path, v, key);
    } else if (key == "insecure_tls") {
      env.insecure_tls = v.as<bool>(false);
    } else if (key == "allow_privileged_role") {
      env.allow_privileged_role = boolean(path, v, key);
    } else if (key == "compose") {
      env.compose = compose(path, kv.first, v);
    } else if (key == "services") {
      if (!v.IsMap()) fail(path, v.Mark(), "'services' must map service names to settings");
      for (const auto& s : v) {
        ServiceConfig svc;
        svc.name = valid_text(s.first.as<std::string>());
        const YAML::Node& sv = s.second;
        if (sv.IsScalar()) {
          svc.url = valid_text(sv.Scalar());
        } else if (sv.IsMap()) {
          for (const auto& f : sv) {
            std::string fk = valid_text(f.first.as<std::string>());
            if (fk == "url") svc.url = scalar(path, f.second, fk);
            else if (fk == "dsn_env") svc.dsn_env = scalar(path, f.second, fk);
            else if (fk == "dsn") svc.dsn = scalar(path, f.second, fk);
            else if (fk == "kind") svc.kind = scalar(path, f.second, fk);
            else fail(path, f.first.Mark(), "unknown service setting '" + fk + "' (known: url, dsn_env, dsn, kind)");
          }
        } else {
          fail(path, sv.Mark(), "service '" + svc.name + "' needs a url, dsn_env or kind");
        }
        if (svc.kind.empty()) svc.kind = service_kind_from_url(!svc.url.empty() ? svc.url : svc.dsn);
        if (svc.kind.empty() && !svc.dsn_env.empty()) svc.kind = "postgres";
        if (svc.kind.empty()) fail(path, s.first.Mark(), "cannot tell the kind of service '" + svc.name + "': give a URL with a scheme (http://, postgres://, redis://, tcp://) or 'kind:'");
        env.services.push_back(std::move(svc));
      }
    } else {
      fail(path, kv.first.Mark(), "unknown environment setting '" + key + "' (known: hosts, services, allow_hosts, params, insecure_tls, allow_privileged_role, compose)");
    }
  }
  return env;
}

// Whether the quoted scalar opening at `pos` (a " or ') runs to the end of the text unclosed.
bool quote_never_closed(std::string_view text, size_t pos) {
  char quote = text[pos];
  for (size_t i = pos + 1; i < text.size(); ++i) {
    if (quote == '"' && text[i] == '\\') {
      ++i;  // \" and any other escape
    } else if (text[i] == quote) {
      if (quote == '\'' && i + 1 < text.size() && text[i + 1] == '\'') ++i;  // '' inside single quotes
      else return false;
    }
  }
  return true;
}

// yaml-cpp accepts a quoted scalar that is never closed when the file ends with a line break (its
// ScanScalar checks for the end of the input only within a line): `title: "My ops` then takes the
// rest of the file as the title. Finds the first such scalar (collections reached twice through
// aliases are read once).
bool unclosed_quote(std::string_view text, const YAML::Node& node, std::set<int>& seen, YAML::Mark& open) {
  YAML::Mark mark = node.Mark();
  if (node.IsScalar()) {
    auto pos = static_cast<size_t>(mark.pos);
    bool quoted = mark.pos >= 0 && pos < text.size() && (text[pos] == '"' || text[pos] == '\'');
    if (!quoted || !quote_never_closed(text, pos)) return false;
    open = mark;
    return true;
  }
  if (!seen.insert(mark.pos).second) return false;
  if (node.IsMap()) {
    for (const auto& kv : node) {
      if (unclosed_quote(text, kv.first, seen, open) || unclosed_quote(text, kv.second, seen, open)) return true;
    }
  } else if (node.IsSequence()) {
    for (const auto& item : node) {
      if (unclosed_quote(text, item, seen, open)) return true;
    }
  }
  return false;
}

// The bytes of the configuration file, at most k_config_bytes (yaml-cpp takes seconds per MB of
// one scalar). Reads one byte past the bound: a file that grows while it is read, or a pipe that
// never ends, is refused too.
std::string read_config_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::string text(k_config_bytes + 1, '\0');
  in.read(text.data(), static_cast<std::streamsize>(text.size()));
  if (in.bad() || (!in && !in.eof())) throw Error(path + ": cannot read the configuration file");
  text.resize(static_cast<size_t>(in.gcount()));
  if (text.size() > k_config_bytes) {
    throw Error(path + ": larger than 1 MiB; opsbook reads a configuration of at most 1 MiB (1048576 bytes): is this the right file?");
  }
  return text;
}

}  // namespace

Config load_config(const std::string& path, bool required) {
  Config cfg;
  std::error_code ec;
  if (!fs::exists(path, ec)) {
    if (required) throw Error(path + ": no such configuration file");
    return cfg;
  }
  cfg.path = path;
  cfg.dir = fs::path(path).parent_path().string();
  std::string text = read_config_text(path);
  if (YamlFlows flows = yaml_flows(text); flows.deepest > Limits{}.nesting) {
    fail(path, mark_at(text, flows.deepest_at), "nested deeper than " + std::to_string(Limits{}.nesting) + " levels: flatten it (a fixed bound)");
  }
  YAML::Node root;
  try {
    root = YAML::Load(text);
  } catch (const YAML::Exception& e) {
    YAML::Mark open;
    if (e.msg.find("flow not found") != std::string::npos && unclosed_flow(text, e.mark, open)) {
      fail(path, open, "invalid YAML: this " + std::string(e.msg.find("sequence") != std::string::npos ? "[" : "{") + " is never closed");
    }
    fail(path, e.mark, "invalid YAML: " + e.msg);
  }
  std::set<int> seen;
  YAML::Mark open;
  if (unclosed_quote(text, root, seen, open)) fail(path, open, std::string("invalid YAML: this ") + text[static_cast<size_t>(open.pos)] + " is never closed");
  if (root.IsNull()) return cfg;
  ExpansionBound(path).walk(root, root.Mark(), 1);
  if (!root.IsMap()) fail(path, root.Mark(), "the configuration must be a mapping");
  try {
    for (const auto& kv : root) {
      std::string key = valid_text(kv.first.as<std::string>());
      const YAML::Node& v = kv.second;
      if (key == "site") {
        for (const auto& [k, val] : pairs(path, v, key)) {
          if (k == "title") cfg.site_title = val;
          else if (k == "base_url") cfg.base_url = val;
          else if (k == "repo_url") cfg.repo_url = val;
        }
      } else if (key == "content") {
        cfg.content = scalar(path, v, key);
      } else if (key == "output") {
        cfg.output = scalar(path, v, key);
      } else if (key == "compose_file") {
        cfg.compose_file = scalar(path, v, key);
      } else if (key == "env_example") {
        cfg.env_example = scalar(path, v, key);
      } else if (key == "templates") {
        cfg.templates = scalar(path, v, key);
      } else if (key == "transcripts") {
        cfg.transcripts = scalar(path, v, key);
      } else if (key == "incidents") {
        cfg.incidents = scalar(path, v, key);
      } else if (key == "default_env") {
        cfg.default_env = scalar(path, v, key);
      } else if (key == "limits") {
        cfg.limits = limits(path, v);
      } else if (key == "history") {
        cfg.history = history_config(path, v);
      } else if (key == "severities") {
        cfg.severities = strings(path, v, key);
      } else if (key == "environments") {
        if (!v.IsMap()) fail(path, v.Mark(), "'environments' must map names to settings");
        for (const auto& e : v) cfg.environments.push_back(environment(path, valid_text(e.first.as<std::string>()), e.second));
      } else {
        fail(path, kv.first.Mark(), "unknown setting '" + key + "'");
      }
    }
  } catch (const YAML::Exception& e) {
    fail(path, e.mark, e.msg);
  }
  if (!cfg.default_env.empty() && cfg.environment(cfg.default_env) == nullptr) {
    throw Error(path + ": default_env '" + cfg.default_env + "' is not one of the environments");
  }
  return cfg;
}

}  // namespace opsbook::model
