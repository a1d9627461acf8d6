// The last `opsbook check --format json` report, read for the portal's validation badges.
// Shape used: {"version":1, "env":"local", "generated_at":"2026-...Z", "live":true,
//              "findings":[{"file","line","severity","snippet"?...}],
//              "results":[{"file","line","snippet"?,"outcome":"pass"|"fail"|"skipped"|"refused"}]}
// Skipped and refused checks count neither way.
#pragma once

#include <cstdint>
#include <map>
#include <string>

#include "generator/history_view.hpp"

namespace opsbook::generator {

struct PageStatus {
  int errors = 0;
  int passed = 0;
  int failed = 0;
};

struct Report {
  bool loaded = false;
  bool live = false;
  std::string env;
  std::string generated_at;
  uint64_t hash = 0;  // of the file's bytes: badges change when it does
  std::map<std::string, PageStatus> files;            // by runbook path
  std::map<std::string, std::string> snippets;        // "path#snippet" -> "pass" | "fail"
  HistoryView history;  // not from the file: the check history, for runbooks the report does not settle
};

// Throws opsbook::Error naming the file when it cannot be read or is not a report.
Report load_report(const std::string& path);

}  // namespace opsbook::generator
