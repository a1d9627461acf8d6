// What every store says the same way.
#include "history/history.hpp"

namespace opsbook::history {

std::string run_mismatch(const ShardRecord& s, unsigned count, const std::string& set, const std::string& env) {
  return "history: run '" + s.run_id + "' was recorded as " + std::to_string(count) + " shards of set " + set + (env.empty() ? "" : " on '" + env + "'") +
         "; this report is shard " + std::to_string(s.shard) + "/" + std::to_string(s.shard_count) + " of set " + s.set_fingerprint +
         (s.env.empty() ? "" : " on '" + s.env + "'") + ": give each run its own --run-id";
}

std::vector<PastCheck> Store::checks(const std::string& file, size_t last_runs) {
  std::vector<PastCheck> out;
  each_check(file, last_runs, [&](const PastCheckView& v) {
    CheckRow r{std::string(v.file),   v.line, std::string(v.kind), std::string(v.snippet), std::string(v.target), std::string(v.expectation),
               std::string(v.outcome), std::string(v.detail), v.latency_ms};
    out.push_back({std::move(r), std::string(v.run_id), std::string(v.started_at), std::string(v.env)});
  });
  return out;
}

}  // namespace opsbook::history
