// The last `opsbook check --format json` report, read for the portal's validation badges.
// Shape used: {"version":1, "env":"local", "generated_at":"2026-...Z", "live":true,
//              "findings":[{"file","line","severity","snippet"?...}],
//              "results":[{"file","line","snippet"?,"outcome":"pass"|"fail"|"skipped"|"refused","digest"}]}
// Skipped and refused checks count neither way. A result counts only for the check whose text
// still has its digest (model/check_digest); a result without one (a report of an opsbook before
// digests) counts for nothing.
#pragma once

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "generator/history_view.hpp"
#include "model/check_digest.hpp"

namespace opsbook::generator {

struct PageStatus {
  int errors = 0;
};

// One live result of the report, as the portal reads it.
struct LiveMark {
  std::string digest;   // of what it checked
  std::string snippet;  // the snippet's id then, when it came from one
  std::string outcome;  // pass, fail, skipped, refused
};

struct Report {
  bool loaded = false;
  bool live = false;
  std::string env;
  std::string generated_at;
  uint64_t hash = 0;  // of the file's bytes: badges change when it does
  std::map<std::string, PageStatus> files;              // findings, by runbook path
  std::set<std::string> failing_snippets;               // "path#snippet" with an error finding
  std::map<std::string, std::vector<LiveMark>> results;  // by runbook path; only those with a digest
  size_t undigested = 0;                                // results without a digest: they badge nothing
  std::string note;                                     // said once by the build when undigested > 0
  HistoryView history;  // not from the file: the check history, for runbooks the report does not settle
};

// Throws opsbook::Error naming the file when it cannot be read or is not a report.
Report load_report(const std::string& path);

// What the report's live results say of the check of runbook `path` whose text has `digest`:
// "fail" when one failed, else "pass" when one passed, else "" (none, or skipped and refused only).
std::string live_outcome(const Report& report, const std::string& path, const std::string& digest);

// What the portal says beside a snippet whose text has no matching result: "changed since
// verified on ENV at TIME" ("checked" when it failed) when a result of the report named its id
// for a text the runbook no longer has (`checks`: what it has now), "never verified" when it is a
// check that no result covers, else "".
std::string unmatched_snippet_text(const Report& report, const std::string& path, const model::Snippet& s, const std::vector<model::CheckSource>& checks);

// The live results of `path` against what the runbook has now (Summary::checks): results of
// its current text that passed and failed, results of a text it no longer has, and checks it has
// that no result covers (those that every live run of the report's environment gives a result).
struct LiveCover {
  size_t passed = 0, failed = 0, changed = 0, uncovered = 0;
  bool changed_passed = false;  // one of the changed results had passed
  bool any = false;  // the report has results for the runbook
};
LiveCover live_cover(const Report& report, const std::string& path, const std::vector<model::CheckSource>& checks);

}  // namespace opsbook::generator
