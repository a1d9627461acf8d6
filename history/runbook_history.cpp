// Per runbook and run: did its probed checks all pass? Then the flaky checks of each runbook.
#include "history/runbook_history.hpp"

namespace opsbook::history {

std::map<std::string, RunbookHistory> runbook_history(const std::vector<PastCheck>& rows) {
  struct InRun {
    std::string run_id, started_at, env;
    size_t passed = 0, failed = 0;
  };
  std::map<std::string, RunbookHistory> out;
  std::map<std::string, InRun> current;  // by file: the run being counted
  auto close = [&](const std::string& file, const InRun& run) {
    if (run.passed + run.failed == 0) return;
    RunbookHistory& h = out[file];
    if (h.runs++ == 0) {
      h.latest_at = run.started_at;
      h.latest_env = run.env;
      h.latest_failed = run.failed > 0;
    }
    if (h.last_verified_at.empty() && run.failed == 0) {
      h.last_verified_at = run.started_at;
      h.last_verified_env = run.env;
    }
  };
  for (const PastCheck& p : rows) {
    InRun& run = current[p.row.file];
    if (run.run_id != p.run_id) {
      close(p.row.file, run);
      run = InRun{p.run_id, p.started_at, p.env, 0, 0};
    }
    if (p.row.outcome == "pass") ++run.passed;
    if (p.row.outcome == "fail") ++run.failed;
  }
  for (const auto& [file, run] : current) close(file, run);
  for (auto& s : summarize(rows)) {
    if (s.pass_rate() < 0) continue;  // never probed: says nothing about the runbook
    RunbookHistory& h = out[s.latest.file];
    ++h.checks;
    if (s.flaky()) h.flaky.push_back(std::move(s));
  }
  return out;
}

}  // namespace opsbook::history
