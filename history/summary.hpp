// From the rows of past runs to what `history show` and the portal say about each check: its
// outcomes newest first, pass rate, last pass and whether it is flaky. One implementation for
// every store.
#pragma once

#include <string>
#include <unordered_map>
#include <vector>

#include "history/history.hpp"

namespace opsbook::history {

struct CheckSummary {
  CheckRow latest;                    // as the newest run saw it (line, detail)
  std::string env;                    // the environment: a check on two is two checks
  std::string latest_at;              // when that run started
  std::vector<std::string> outcomes;  // one per run, newest first
  size_t passed = 0;
  size_t failed = 0;
  std::string last_pass_at;  // "" when it did not pass in these runs
  // Both outcomes within the runs looked at.
  [[nodiscard]] bool flaky() const { return passed > 0 && failed > 0; }
  // Passes among the runs that probed it (skipped and refused do not count); -1 when none did.
  [[nodiscard]] double pass_rate() const { return passed + failed ? static_cast<double>(passed) / static_cast<double>(passed + failed) : -1; }
};

// "passed 9 of 10 (90%)": what `history show` and the portal say of a pass rate.
std::string passed_text(size_t passed, size_t failed);

// Summaries built one past check at a time, newest run first (as Store::each_check visits them):
// a row copies nothing unless it is the first of its check.
class Summarizer {
 public:
  void add(const PastCheckView& v);
  // One summary per check (environment, file, kind, snippet, target, expectation, digest), ordered by
  // file and line, then by the rest of the check.
  std::vector<CheckSummary> take();

 private:
  std::unordered_map<std::string, size_t> m_index;  // check key -> m_summaries, m_last_run
  std::vector<CheckSummary> m_summaries;
  std::vector<size_t> m_last_run;  // the run that gave each check its last outcome
  std::string m_key;               // reused for every row
};

// `rows` newest run first (as Store::checks gives them), summarized.
std::vector<CheckSummary> summarize(const std::vector<PastCheck>& rows);
// The checks of `file` ("" = every file) in the store's last `last_runs` live runs, summarized.
std::vector<CheckSummary> summarize(Store& store, const std::string& file, size_t last_runs);

}  // namespace opsbook::history
