// Groups past rows by check and counts outcomes.
#include "history/summary.hpp"

#include <algorithm>
#include <cstdio>
#include <map>
#include <tuple>

namespace opsbook::history {

std::string passed_text(size_t passed, size_t failed) {
  char rate[16];
  std::snprintf(rate, sizeof rate, "%.0f%%", passed + failed ? 100.0 * static_cast<double>(passed) / static_cast<double>(passed + failed) : 0.0);
  return "passed " + std::to_string(passed) + " of " + std::to_string(passed + failed) + " (" + rate + ")";
}

std::vector<CheckSummary> summarize(const std::vector<PastCheck>& rows) {
  std::map<std::string, CheckSummary> by_check;
  std::map<std::string, std::string> last_run;
  for (const PastCheck& p : rows) {
    const CheckRow& r = p.row;
    std::string key = p.env + '\x1f' + r.file + '\x1f' + r.kind + '\x1f' + r.snippet + '\x1f' + r.target + '\x1f' + r.expectation;
    auto [it, fresh] = by_check.try_emplace(key);
    CheckSummary& s = it->second;
    if (fresh) {
      s.latest = r;
      s.latest_at = p.started_at;
      s.env = p.env;
    } else if (last_run[key] == p.run_id) {
      continue;  // documented twice in the runbook: one outcome per run
    }
    last_run[key] = p.run_id;
    s.outcomes.push_back(r.outcome);
    if (r.outcome == "pass") {
      ++s.passed;
      if (s.last_pass_at.empty()) s.last_pass_at = p.started_at;
    } else if (r.outcome == "fail") {
      ++s.failed;
    }
  }
  std::vector<CheckSummary> out;
  out.reserve(by_check.size());
  for (auto& [key, s] : by_check) out.push_back(std::move(s));
  std::stable_sort(out.begin(), out.end(), [](const CheckSummary& a, const CheckSummary& b) {
    return std::tie(a.latest.file, a.latest.line) < std::tie(b.latest.file, b.latest.line);
  });
  return out;
}

}  // namespace opsbook::history
