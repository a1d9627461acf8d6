// What every store says the same way.
#include "history/history.hpp"

#include <set>

#include "history/seal.hpp"

namespace opsbook::history {

std::string run_mismatch(const ShardRecord& s, unsigned count, const std::string& set, const std::string& env) {
  return "history: run '" + s.run_id + "' was recorded as " + std::to_string(count) + " shards of set " + set + (env.empty() ? "" : " on '" + env + "'") +
         "; this report is shard " + std::to_string(s.shard) + "/" + std::to_string(s.shard_count) + " of set " + s.set_fingerprint +
         (s.env.empty() ? "" : " on '" + s.env + "'") + ": give each run its own --run-id";
}

Store::Store(std::string where) : m_where(std::move(where)), m_trust(std::make_unique<RunTrust>()) {}

Store::~Store() = default;

void Store::trust_environments(const std::vector<std::string>& names) { m_trust->set_environments(std::set<std::string>(names.begin(), names.end())); }

std::string Store::left_out_note() const { return m_trust->note(m_where); }

std::string Store::left_out_reason(const std::string& run_id) const { return m_trust->reason(run_id); }

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
