// Report formats of `opsbook check`: text (compiler style), json (SPEC §4), junit (XML for CI
// test reporters), sarif (2.1.0, for code scanning) and github (workflow annotations).
// Findings carry their source line already redacted: no writer reads runbook files.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "model/shard.hpp"
#include "validator/finding.hpp"

namespace opsbook::validator {

// What a check was asked to do; shards of one run must agree on it.
struct CheckScope {
  bool shell = true;
  bool shellcheck = true;
  std::string changed_since;  // git ref of --changed-since, "" for all
  bool operator==(const CheckScope&) const = default;
};

struct ReportContext {
  std::string tool_version;
  std::string generated_at;  // UTC, ISO 8601
  std::vector<std::string> files;  // every runbook checked, for junit test cases
  size_t snippets = 0;
  bool live = false;
  std::string env;                             // environment of the live run
  std::vector<LiveResult> results;             // live checks, by file
  double live_seconds = 0;
  LiveStats live_stats;
  model::Shard shard;                // the part of the set this report covers (1/1: all of it)
  size_t set_count = 0;              // runbooks of the whole set, all shards together
  std::string set_fingerprint;       // model::path_set_fingerprint of the whole set
  CheckScope scope;
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

// Latency as every format shows it: whole milliseconds, so that a report read back from JSON
// renders the same text, JUnit and SARIF.
int64_t latency_ms(const LiveResult& result);

}  // namespace opsbook::validator
