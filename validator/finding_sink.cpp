// Findings of the static rules, with their source lines copied and redacted.
#include "validator/finding_sink.hpp"

#include "model/diagnostic.hpp"
#include "validator/secrets.hpp"

namespace opsbook::validator {

void FindingSink::add(const std::string& rule, int line, int col, std::string message, std::string hint, const std::string& snippet) {
  Finding f;
  f.rule = rule;
  f.severity = rule_info(rule).severity;
  f.file = m_rb.path;
  f.line = line;
  f.col = col;
  f.message = std::move(message);
  f.hint = std::move(hint);
  f.snippet = snippet;
  std::string_view text = model::source_line(m_rb.source, line);
  f.source_line = redact_line(text, find_secrets(text));  // never show a secret, whatever the rule
  m_out.push_back(std::move(f));
}

void FindingSink::add_diagnostic(const model::Diagnostic& d) {
  add(d.rule, d.loc.line, d.loc.col, d.message, d.hint);
  m_out.back().severity = d.severity;
}

bool check_skipped(const model::Snippet& s) {
  const std::string* check = s.attr("check");
  return check != nullptr && *check == "skip";
}

}  // namespace opsbook::validator
