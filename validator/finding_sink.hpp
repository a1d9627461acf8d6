// Where static rules put their findings: one sink per runbook, which copies each finding's source
// line (redacted when it holds a secret) so that no report writer ever re-reads the file.
#pragma once

#include <string>
#include <vector>

#include "model/diagnostic.hpp"
#include "model/runbook.hpp"
#include "validator/finding.hpp"

namespace opsbook::validator {

class FindingSink {
 public:
  FindingSink(const model::Runbook& rb, std::vector<Finding>& out) : m_rb(rb), m_out(out) {}
  void add(const std::string& rule, int line, int col, std::string message, std::string hint, const std::string& snippet = {});
  // A parser diagnostic keeps its own severity (e.g. a fence closed by its list item is a warning).
  void add_diagnostic(const model::Diagnostic& d);
  const model::Runbook& runbook() const { return m_rb; }
  Finding& last() { return m_out.back(); }

 private:
  const model::Runbook& m_rb;
  std::vector<Finding>& m_out;
};

// True when the snippet opts out of static checks ({check=skip}).
bool check_skipped(const model::Snippet& s);

}  // namespace opsbook::validator
