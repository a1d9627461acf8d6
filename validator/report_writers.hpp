// Report formats of `opsbook check`: text (compiler style), json (SPEC §4), junit (XML for CI
// test reporters), sarif (2.1.0, for code scanning) and github (workflow annotations).
// Findings carry their source line already redacted: no writer reads runbook files.
#pragma once

#include <string>
#include <vector>

#include "validator/finding.hpp"

namespace opsbook::validator {

struct ReportContext {
  std::string tool_version;
  std::string generated_at;  // UTC, ISO 8601
  std::vector<std::string> files;  // every runbook checked, for junit test cases
  size_t snippets = 0;
  bool live = false;
  std::string env;                             // environment of the live run
  std::vector<LiveResult> results;             // live checks, in plan order
  double live_seconds = 0;
};

std::string write_text(const std::vector<Finding>& findings, const ReportContext& ctx);
std::string write_json(const std::vector<Finding>& findings, const ReportContext& ctx);
std::string write_junit(const std::vector<Finding>& findings, const ReportContext& ctx);
std::string write_sarif(const std::vector<Finding>& findings, const ReportContext& ctx);
// GitHub shows 10 errors and 10 warnings per step: the most severe come first, the rest are
// counted in one closing notice.
std::string write_github(const std::vector<Finding>& findings, const ReportContext& ctx);

// Stable identity of a finding for SARIF partialFingerprints: rule + file + snippet name (or
// the message when there is no snippet), so that moving lines does not make it a new finding.
std::string fingerprint(const Finding& finding);

}  // namespace opsbook::validator
