// The rule table: one line of documentation per rule, shown by `opsbook help rules`.
#include "validator/finding.hpp"

namespace opsbook::validator {

using model::Severity;

const std::vector<RuleInfo>& rules() {
  static const std::vector<RuleInfo> k_rules = {
      {"front-matter", Severity::error, "YAML front matter must parse and be a mapping of key: value lines"},
      {"unclosed-fence", Severity::error, "every code fence must be closed; an unclosed one swallows the rest of the file"},
      {"encoding", Severity::error, "runbooks must be valid UTF-8"},
      {"binary", Severity::error, "files in the content folder must be text, not binary"},
      {"io", Severity::error, "every runbook must be readable"},
      {"empty", Severity::warning, "a runbook file should not be empty"},
      {"nesting", Severity::warning, "lists and quotes nested deeper than 200 levels are not read"},
      {"attributes", Severity::warning, "fence attributes must be well-formed and known (name, run, check, env, timeout, expect-*, service, cwd, safety)"},
      {"duplicate-name", Severity::warning, "snippet names must be unique within a runbook (opsbook run RUNBOOK#NAME needs one)"},
      {"shell-syntax", Severity::error, "shell snippets must pass bash -n (placeholders like <service> are replaced first)"},
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
  };
  return k_rules;
}

const RuleInfo* find_rule(const std::string& id) {
  for (const auto& r : rules()) {
    if (id == r.id) return &r;
  }
  return nullptr;
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
