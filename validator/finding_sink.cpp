// Findings of the static rules, with their source lines copied and redacted.
#include "validator/finding_sink.hpp"

#include <algorithm>
#include <climits>

#include "model/diagnostic.hpp"
#include "validator/secrets.hpp"

namespace opsbook::validator {

void FindingSink::add(const std::string& rule, int line, int col, std::string message, std::string hint, const std::string& snippet,
                      std::optional<model::Severity> severity) {
  model::Severity level = severity.value_or(rule_info(rule).severity);
  if (m_cut && line >= *m_cut) {  // after every kept one in the report's order (a stable sort by line)
    m_left_out.add(level, line);
    return;
  }
  Finding f;
  f.rule = rule;
  f.severity = level;
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
  if (m_out.size() >= 2 * m_limit && m_out.size() > 0) keep_first();
}

// Sorted as check_static sorts them, the findings past the limit are counted and dropped: twice
// the limit at most is ever kept, whatever the number found (80,000 placeholders took 494 MB).
void FindingSink::keep_first() {
  std::stable_sort(m_out.begin(), m_out.end(), [](const Finding& a, const Finding& b) { return a.line < b.line; });
  for (size_t i = m_limit; i < m_out.size(); ++i) m_left_out.add(m_out[i].severity, m_out[i].line);
  m_out.resize(m_limit);
  m_cut = m_out.empty() ? INT_MIN : m_out.back().line;
}

void FindingSink::add_diagnostic(const model::Diagnostic& d) { add(d.rule, d.loc.line, d.loc.col, d.message, d.hint, {}, d.severity); }

bool check_skipped(const model::Snippet& s) {
  const std::string* check = s.attr("check");
  return check != nullptr && *check == "skip";
}

}  // namespace opsbook::validator
