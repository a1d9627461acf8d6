// Drift checks.
#include "validator/drift.hpp"

#include <algorithm>
#include <filesystem>
#include <map>
#include <set>

#include "model/checkout_file.hpp"
#include "model/compose.hpp"
#include "model/docker_command.hpp"
#include "model/line_index.hpp"
#include "model/shell_commands.hpp"
#include "model/slug.hpp"
#include "model/text.hpp"
#include "validator/secrets.hpp"

namespace opsbook::validator {

namespace fs = std::filesystem;
using model::Severity;

DriftSources find_drift_sources(const std::string& configured_compose, const std::string& configured_env, const std::string& content_dir,
                                const std::string& base) {
  DriftSources out;
  out.compose_file = configured_compose;
  out.env_example = configured_env;
  out.checkout = model::checkout_root(base.empty() ? fs::path(content_dir).parent_path() : fs::path(base)).string();
  std::vector<fs::path> dirs = {fs::path(content_dir), fs::path(content_dir).parent_path()};
  std::error_code ec;
  for (const auto& dir : dirs) {
    if (out.compose_file.empty()) {
      for (const char* name : {"docker-compose.yml", "docker-compose.yaml", "compose.yml", "compose.yaml"}) {
        if (fs::exists(dir / name, ec)) {
          out.compose_file = (dir / name).string();
          break;
        }
      }
    }
    if (out.env_example.empty() && fs::exists(dir / ".env.example", ec)) out.env_example = (dir / ".env.example").string();
  }
  return out;
}

std::vector<std::string> compose_services_named(std::string_view command) {
  std::vector<std::string> out;
  for (const auto& c : model::read_docker_commands(command)) {
    if (c.form != model::DockerCommand::Form::compose || c.other_file) continue;
    for (const auto& name : c.targets) {
      if (!model::docker_name_has_placeholder(name)) out.push_back(name);
    }
  }
  return out;
}

namespace {

// A drift source's text; "" with an `io` finding when it may not be read (s11b review B1).
std::string read_source(const std::string& path, const DriftSources& sources, const char* setting, std::vector<Finding>& out) {
  model::CheckoutFile f = model::read_checkout_file(path, sources.checkout);
  if (f.refusal.empty()) return std::move(f.text);
  out.push_back(Finding{"io", rule_info("io").severity, path, 0, 0, "not read: " + f.refusal,
                        "opsbook reads a regular file of the checkout, outside its hidden folders, of at most 1 MiB: set " + std::string(setting) +
                            " in opsbook.yaml to one (or remove the link)",
                        {}, {}});
  return "";
}

// `lines` indexes the file the finding is about (one index per file, however many findings); the
// line shown is redacted like a runbook's.
Finding make(const std::string& rule, const std::string& file, int line, std::string message, std::string hint, const model::LineIndex& lines) {
  std::string_view text = lines.line(line);
  return Finding{rule, rule_info(rule).severity, file, line, 0, std::move(message), std::move(hint), {}, redact_line(text, find_secrets(text))};
}

const model::ComposeService* match_service(const model::ComposeFile& compose, const std::string& name) {
  if (const auto* s = compose.service(name)) return s;
  std::string slug = model::slugify(name);
  for (const auto& s : compose.services) {
    if (model::slugify(s.name) == slug) return &s;
  }
  return nullptr;
}

}  // namespace

std::vector<Finding> check_drift(std::span<const model::Runbook> runbooks, const DriftSources& sources) {
  std::vector<Finding> out;
  if (!sources.compose_file.empty()) {
    model::Diagnostics diags;
    std::string compose_text = read_source(sources.compose_file, sources, "compose_file", out);
    model::ComposeFile compose = model::parse_compose(sources.compose_file, compose_text, diags);
    model::LineIndex compose_lines(compose_text);
    for (const auto& d : diags.items()) out.push_back(make(d.rule == "io" ? "io" : "compose", d.file, d.loc.line, d.message, d.hint, compose_lines));
    if (!compose.services.empty()) {
      std::string names;
      for (const auto& s : compose.services) names += (names.empty() ? "" : ", ") + s.name;
      for (const auto& rb : runbooks) {
        model::LineIndex lines(rb.source);
        for (const auto& s : rb.snippets) {
          if (s.kind != model::SnippetKind::shell) continue;
          for (const auto& c : s.commands) {
            for (const auto& name : compose_services_named(c.text)) {
              if (compose.service(name) != nullptr) continue;
              Finding f = make("drift-service", rb.path, c.line, "service '" + name + "' is not in " + sources.compose_file,
                               "the compose file has: " + names, lines);
              f.snippet = s.id;
              out.push_back(std::move(f));
            }
          }
        }
        for (const auto& p : rb.ports) {
          if (!p.environment.empty()) continue;
          const model::ComposeService* svc = match_service(compose, p.service);
          if (svc == nullptr || svc->ports.empty()) continue;
          bool found = std::any_of(svc->ports.begin(), svc->ports.end(), [&](const model::ComposePort& cp) {
            return cp.host == p.port || (cp.host == 0 && cp.container == p.port) || (p.container_port != 0 && cp.container == p.container_port && cp.host == p.port);
          });
          if (found) continue;
          std::string published;
          for (const auto& cp : svc->ports) {
            published += (published.empty() ? "" : ", ") + (cp.host ? std::to_string(cp.host) + ":" : std::string()) + std::to_string(cp.container);
          }
          out.push_back(make("drift-port", rb.path, p.line, "port table says " + p.service + " is on " + std::to_string(p.port) + "; " +
                                                                sources.compose_file + " maps " + published,
                             "update the table or the compose file (line " + std::to_string(svc->ports.front().line) + ")", lines));
        }
      }
    }
  }
  if (!sources.env_example.empty()) {
    std::string env_text = read_source(sources.env_example, sources, "env_example", out);
    model::LineIndex env_lines(env_text);
    std::map<std::string, int> example;
    int line = 0;
    for (std::string_view l : model::split_lines(env_text)) {
      ++line;
      std::string_view t = model::trim(l);
      if (t.starts_with("export ")) t = model::trim(t.substr(7));
      size_t eq = t.find('=');
      if (t.empty() || t[0] == '#' || eq == std::string_view::npos) continue;
      example.emplace(std::string(model::trim(t.substr(0, eq))), line);
    }
    std::set<std::string> mentioned;
    for (const auto& rb : runbooks) {
      model::LineIndex lines(rb.source);
      std::set<std::string> reported;
      for (const auto& e : rb.env_vars) {
        mentioned.insert(e.name);
        if ((e.source == "export" || e.source == "env-block") && !example.count(e.name) && reported.insert(e.name).second) {
          out.push_back(make("drift-env", rb.path, e.line, "the runbook sets " + e.name + ", which " + sources.env_example + " does not list",
                             "add " + e.name + "= to " + sources.env_example + ", or stop setting it here", lines));
        }
      }
      for (const auto& s : rb.snippets) {
        for (const auto& p : s.params) {
          if (p.kind == model::ParamKind::env) mentioned.insert(p.name);
        }
      }
      for (const auto& [name, l] : example) {
        if (!mentioned.count(name) && rb.text.find(name) != std::string::npos) mentioned.insert(name);
      }
    }
    for (const auto& [name, l] : example) {
      if (!mentioned.count(name)) {
        Finding f = make("drift-env-unused", sources.env_example, l, name + " is in " + sources.env_example + " but no runbook mentions it",
                         "document what it is for, or drop it from the example", env_lines);
        f.source_line = name + "=...";  // an example's value may be a real one: never shown
        out.push_back(std::move(f));
      }
    }
  }
  return out;
}

}  // namespace opsbook::validator
