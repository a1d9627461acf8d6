// What the portal says about one runbook from the check history: when its live checks last all
// passed, in which environment, and which of them are flaky. One implementation for every store.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "history/summary.hpp"

namespace opsbook::history {

struct RunbookHistory {
  std::string last_verified_at;   // the newest run in which its checks passed and none failed; "" none
  std::string last_verified_env;  // that run's environment
  std::string latest_at;          // the newest run that probed it
  std::string latest_env;         // its environment
  bool latest_failed = false;     // a check failed in that run
  size_t runs = 0;                // runs that probed it (a pass or a fail)
  size_t checks = 0;              // distinct checks
  std::vector<CheckSummary> flaky;  // checks with both outcomes, by line
};

// `rows` newest run first (as Store::checks gives them); by runbook path.
std::map<std::string, RunbookHistory> runbook_history(const std::vector<PastCheck>& rows);

}  // namespace opsbook::history
