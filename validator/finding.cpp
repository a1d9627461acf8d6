// The rule table: one line of documentation per rule, shown by `opsbook help rules`.
#include "validator/finding.hpp"

#include <algorithm>
#include <map>
#include <stdexcept>

#include "model/text.hpp"

namespace opsbook::validator {

using model::Severity;

const std::vector<RuleInfo>& rules() {
  static const std::vector<RuleInfo> k_rules = {
      {"front-matter", Severity::error, "YAML front matter must parse and be a mapping of key: value lines"},
      {"unclosed-fence", Severity::error, "every code fence must be closed; an unclosed one swallows the rest of the file"},
      {"encoding", Severity::error, "runbooks must be valid UTF-8, with LF or CR-LF line endings"},
      {"control-character", Severity::error, "runbooks must hold no control characters other than tab and line endings (a terminal acts on ESC and its kin)"},
      {"binary", Severity::error, "files in the content folder must be text, not binary"},
      {"io", Severity::error, "every runbook must be readable"},
      {"page-collision", Severity::error, "two runbooks must not become the same portal page (names that differ only in case, spaces or punctuation)"},
      {"markdown", Severity::error, "the markdown parser must accept the file"},
      {"limit", Severity::error, "a runbook must stay within the resource limits (size, front matter, nesting, snippets, findings; raise them under limits: in opsbook.yaml)"},
      {"empty", Severity::warning, "a runbook file should not be empty"},
      {"nesting", Severity::warning, "lists and quotes nested deeper than 200 levels are not read"},
      {"attributes", Severity::warning, "fence attributes must be well-formed and known (name, run, check, env, timeout, expect-*, service, cwd, safety)"},
      {"duplicate-name", Severity::warning, "snippet names must be unique within a runbook (opsbook run RUNBOOK#NAME needs one)"},
      {"shell-syntax", Severity::error, "shell snippets must pass bash -n (placeholders like <service> are replaced first)"},
      {"shell-too-deep", Severity::error, "shell snippets must not nest $(...), quotes or compound commands more than 64 levels deep, nor exceed 256 KiB (opsbook reads no further)"},
      {"data-syntax", Severity::error, "YAML, JSON and .env/ini blocks must parse"},
      {"sql-syntax", Severity::error, "SQL snippets must not leave strings, comments or parentheses open"},
      {"powershell-syntax", Severity::error, "PowerShell snippets must balance quotes, braces and here-strings"},
      {"broken-link", Severity::error, "links to other runbooks and headings must point at existing files and anchors"},
      {"malformed-url", Severity::warning, "external links must be well-formed URLs"},
      {"secret", Severity::error, "runbooks must not contain credentials (keys, tokens, passwords in DSNs or KEY=value lines)"},
      {"destructive-unguarded", Severity::warning, "destructive snippets need a run attribute (run=never or run=confirm) or a warning next to them"},
      {"unexplained-placeholder", Severity::info, "placeholders a command uses should be explained in the page's text"},
      {"drift-service", Severity::warning, "services named in docker compose commands must exist in the compose file"},
      {"drift-port", Severity::warning, "ports in port tables must match the ports the compose file publishes"},
      {"drift-env", Severity::warning, "environment variables runbooks tell people to set must be listed in .env.example"},
      {"drift-env-unused", Severity::info, "variables in .env.example should be explained by some runbook"},
      {"compose", Severity::error, "the compose file used for drift checks must be valid YAML"},
      {"shellcheck", Severity::warning, "shell snippets should pass shellcheck (warnings and errors; fragment noise like SC2154 excluded)"},
      {"tool-missing", Severity::info, "an optional checker (shellcheck) is not installed"},
      {"check-failed", Severity::warning, "a checker could not check a snippet (a tool crashed or timed out)"},
      {"live-http", Severity::error, "documented HTTP endpoints must answer with the expected status (default 2xx) in the environment"},
      {"live-tcp", Severity::error, "documented ports must accept TCP connections in the environment"},
      {"live-postgres", Severity::error, "the environment's PostgreSQL service must accept connections with its DSN"},
      {"live-sql", Severity::error, "SQL snippets must run (reads, rolled back) or explain (writes, never run) without errors"},
      {"live-privileged-role", Severity::error, "read-only SQL runs only as an unprivileged role (not a superuser, not in pg_execute_server_program or pg_*_server_files)"},
      {"live-redis", Severity::error, "the environment's Redis must answer PING and the read-only commands of redis-cli snippets"},
      {"live-doctest", Severity::error, "snippets with run=auto and expect-exit / expect-stdout must behave as documented"},
      {"live-not-allowed", Severity::warning, "targets outside the environment's allow_hosts are never contacted; map them under hosts:"},
      {"live-config", Severity::error, "the environment must provide what live checks need (DSN variables, service URLs)"},
      {"live-deadline", Severity::error, "the live run must finish within --deadline; checks left over are reported"},
      {"live-docker", Severity::error, "services and containers that docker and docker compose commands name must exist in the environment's Compose project (and run, for exec)"},
      {"live-docker-state", Severity::error, "services a runbook documents as part of the stack (port and health tables, service lists, front matter) must be running, and healthy where they have a healthcheck"},
      {"live-docker-port", Severity::error, "port tables must match the ports the running Compose services publish"},
      {"live-unreachable", Severity::error, "the Docker Engine of the environment (compose.docker_host) must answer on its socket within --timeout"},
  };
  return k_rules;
}

std::string_view to_string(LiveResult::Outcome outcome) {
  switch (outcome) {
    case LiveResult::Outcome::pass: return "pass";
    case LiveResult::Outcome::fail: return "fail";
    case LiveResult::Outcome::skipped: return "skipped";
    case LiveResult::Outcome::refused: return "refused";
  }
  return "?";
}

const RuleInfo& rule_info(std::string_view id) {
  for (const auto& r : rules()) {
    if (id == r.id) return r;
  }
  throw std::logic_error("finding with unknown rule id '" + std::string(id) + "'");
}

void LeftOut::add(model::Severity severity, int at) {
  if (empty() || at < line) line = at;
  ++count[static_cast<int>(severity)];
}

void cap_findings(std::vector<Finding>& findings, size_t per_file, const std::map<std::string, LeftOut>& counted) {
  std::map<std::string, size_t> kept;
  std::map<std::string, LeftOut> dropped;
  std::vector<Finding> out;
  for (auto& f : findings) {
    if (kept[f.file]++ < per_file) {
      out.push_back(std::move(f));
      continue;
    }
    LeftOut& d = dropped[f.file];
    if (d.empty()) d.line = f.line;  // the first in the report's order
    ++d.count[static_cast<int>(f.severity)];
  }
  // A checker's counted ones come after its kept ones, which all lie on lower lines.
  for (const auto& [file, c] : counted) {
    if (c.empty()) continue;
    LeftOut& d = dropped[file];
    d.line = d.empty() ? c.line : std::min(d.line, c.line);
    for (int s = 0; s < 3; ++s) d.count[s] += c.count[s];
  }
  for (const auto& [file, d] : dropped) {
    Finding f;
    f.rule = "limit";
    f.severity = d.count[2] ? Severity::error : d.count[1] ? Severity::warning : Severity::info;
    f.file = file;
    f.line = d.line;
    f.message = "more than " + std::to_string(per_file) + " findings in this runbook: " + model::counted(d.count[2], "error") + ", " +
                model::counted(d.count[1], "warning") + " and " + model::counted(d.count[0], "note") + " from here on are not shown";
    f.hint = "fix the findings shown first, or raise limits.findings in opsbook.yaml";
    out.push_back(std::move(f));
  }
  findings = std::move(out);
}

std::string describe(const CheckSummary& s) {
  using model::counted;
  return counted(s.errors, "error") + ", " + counted(s.warnings, "warning") + ", " + counted(s.infos, "note") + " in " + counted(s.files, "runbook");
}

CheckSummary summarise(const std::vector<Finding>& findings, size_t files, size_t snippets) {
  CheckSummary s;
  s.files = files;
  s.snippets = snippets;
  for (const auto& f : findings) {
    if (f.severity == Severity::error) ++s.errors;
    else if (f.severity == Severity::warning) ++s.warnings;
    else ++s.infos;
  }
  return s;
}

}  // namespace opsbook::validator
