// Where static rules put their findings: one sink per runbook, which copies each finding's source
// line (redacted when it holds a secret) so that no report writer ever re-reads the file.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "model/diagnostic.hpp"
#include "model/line_index.hpp"
#include "model/runbook.hpp"
#include "validator/finding.hpp"

namespace opsbook::validator {

class FindingSink {
 public:
  // `lines` indexes rb.source (one index per runbook, shared by every sink of that runbook).
  FindingSink(const model::Runbook& rb, const model::LineIndex& lines, std::vector<Finding>& out) : m_rb(rb), m_lines(lines), m_out(out) {}
  // `severity` replaces the rule's own (a replayed finding, a shellcheck error).
  void add(const std::string& rule, int line, int col, std::string message, std::string hint, const std::string& snippet = {},
           std::optional<model::Severity> severity = {});
  // A parser diagnostic keeps its own severity (e.g. a fence closed by its list item is a warning).
  void add_diagnostic(const model::Diagnostic& d);
  const model::Runbook& runbook() const { return m_rb; }
  const model::LineIndex& lines() const { return m_lines; }
  // The finding added last: only on a sink without a limit (one that may count instead of keep).
  Finding& last() { return m_out.back(); }

  // Keeps at most `per_runbook` findings, the first by line as the report orders them: past
  // them a finding is only counted (no message kept, no source line copied), into left_out().
  void limit(size_t per_runbook) { m_limit = per_runbook; }
  const LeftOut& left_out() const { return m_left_out; }

 private:
  const model::Runbook& m_rb;
  const model::LineIndex& m_lines;
  std::vector<Finding>& m_out;
  void keep_first();

  size_t m_limit = SIZE_MAX;
  std::optional<int> m_cut;  // once the limit is reached: the last kept line; later lines are only counted
  LeftOut m_left_out;
  int m_redacted_line = -1;  // the line m_redacted holds, redacted
  std::string m_redacted;
};

// True when the snippet opts out of static checks ({check=skip}).
bool check_skipped(const model::Snippet& s);

}  // namespace opsbook::validator
