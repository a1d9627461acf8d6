// Findings of the static rules, with their source lines copied and redacted.
#include "validator/finding_sink.hpp"

#include <algorithm>

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
  if (line != m_redacted_line) {  // many findings on one (long) line: one redaction
    std::string_view text = m_lines.line(line);
    m_redacted = redact_line(text, find_secrets(text));  // never show a secret, whatever the rule
    m_redacted_line = line;
  }
  // Each finding keeps at most 4 KiB of its line (a hostile line can be megabytes long), and
  // none when its column lies beyond that.
  constexpr size_t k_kept = 4096;
  if (m_redacted.size() <= k_kept) f.source_line = m_redacted;
  else if (static_cast<size_t>(std::max(col, 0)) < k_kept) f.source_line = m_redacted.substr(0, k_kept);
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
