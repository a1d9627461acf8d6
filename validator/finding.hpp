// Findings of `opsbook check` and the rule table (`opsbook help rules`).
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "model/diagnostic.hpp"

namespace opsbook::validator {

struct Finding {
  std::string rule;
  model::Severity severity = model::Severity::error;
  std::string file;
  int line = 0;
  int col = 0;
  std::string message;
  std::string hint;
  std::string snippet;      // id of the snippet it concerns, if any (stable across line moves)
  std::string source_line;  // the offending markdown line, with any secret already redacted
};

// One live check (`opsbook check --live`): what was probed, what was expected, what happened.
struct LiveResult {
  enum class Outcome { pass, fail, skipped, refused };
  std::string kind;  // http, tcp, postgres, sql, redis, docker, doctest
  std::string file;
  int line = 0;
  std::string snippet;      // snippet id, when the check comes from one
  std::string target;       // what was contacted, credentials removed
  std::string expectation;  // e.g. "status 200", "connect", "read-only query"
  std::string digest;       // model/check_digest of what it checked; "" in a report written before
  Outcome outcome = Outcome::skipped;
  std::string detail;       // "status 503", "3 rows", why it was skipped...
  double latency_ms = 0;
  int attempts = 0;
};
std::string_view to_string(LiveResult::Outcome outcome);

// How a live run treated the stack: distinct probes sent for its checks (identical targets are
// probed once), the per-host limits it kept, and the most probes one host saw at once.
struct LiveStats {
  size_t probes = 0;
  unsigned per_host = 0;  // 0 = no limit
  double rate = 0;        // probe starts per second per host, 0 = no limit
  unsigned peak_per_host = 0;
};

struct RuleInfo {
  const char* id;
  model::Severity severity;
  const char* doc;
};

const std::vector<RuleInfo>& rules();
// The rule with this id. Every finding names a rule of the table: an unknown id is a bug in
// opsbook, so this throws std::logic_error (tests/validator/finding_test.cpp scans the sources).
const RuleInfo& rule_info(std::string_view id);

// Findings of one file past its limit: counted by severity, not kept.
struct LeftOut {
  size_t count[3] = {0, 0, 0};  // info, warning, error
  int line = 0;                 // the first (lowest) line left out
  void add(model::Severity severity, int at);
  bool empty() const { return count[0] + count[1] + count[2] == 0; }
};

// Keeps the first `per_file` findings of each file (in their order) and replaces the rest of a
// file's with one `limit` finding that counts them, as severe as the worst of them, with those
// its checkers counted already (`counted`, by file: see FindingSink::limit).
void cap_findings(std::vector<Finding>& findings, size_t per_file, const std::map<std::string, LeftOut>& counted = {});

struct CheckSummary {
  size_t errors = 0, warnings = 0, infos = 0, files = 0, snippets = 0;
};

CheckSummary summarise(const std::vector<Finding>& findings, size_t files, size_t snippets);

// "1 error, 2 warnings, 0 notes in 3 runbooks"
std::string describe(const CheckSummary& summary);

}  // namespace opsbook::validator
