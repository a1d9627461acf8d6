// What every store says the same way.
#include "history/history.hpp"

#include <set>

#include "history/seal.hpp"
#include "model/error.hpp"

namespace opsbook::history {

std::string run_mismatch(const ShardRecord& s, unsigned count, const std::string& set, const std::string& env) {
  return "history: run '" + s.run_id + "' was recorded as " + std::to_string(count) + " shards of set " + set + (env.empty() ? "" : " on '" + env + "'") +
         "; this report is shard " + std::to_string(s.shard) + "/" + std::to_string(s.shard_count) + " of set " + s.set_fingerprint +
         (s.env.empty() ? "" : " on '" + s.env + "'") + ": give each run its own --run-id";
}

namespace {

std::string problem_text(StoreRefused::Why why, const std::string& where, const std::string& detail) {
  switch (why) {
    case StoreRefused::Why::foreign: return where + " is not opsbook's history (" + detail + ")";
    case StoreRefused::Why::newer: return where + " was made by a newer opsbook (" + detail + ")";
    case StoreRefused::Why::damaged: break;
  }
  return where + " is damaged (" + detail + ")";
}

std::string way_text(StoreRefused::Why why, StoreRefused::Backend backend) {
  bool pg = backend == StoreRefused::Backend::postgres;
  if (why == StoreRefused::Why::newer) {
    return std::string("record and show it with that opsbook or a newer one, or give this one a history of its own (") +
           (pg ? "history.dsn_env naming another database" : "history.path") + " in opsbook.yaml)";
  }
  if (pg) return "point history.dsn_env in opsbook.yaml at a database (or schema) of opsbook's own, or move the opsbook_* tables there away";
  return "move it away (or set history.path in opsbook.yaml) and record again";
}

}  // namespace

StoreRefused::StoreRefused(Why why, Backend backend, const std::string& where, const std::string& detail)
    : Error("history: " + problem_text(why, where, detail) + ": it was left as it is; " + way_text(why, backend)),
      m_why(why),
      m_problem(problem_text(why, where, detail)),
      m_way(way_text(why, backend)) {}

void check_shard_number(const ShardRecord& s) {
  if (s.shard_count >= 1 && s.shard >= 1 && s.shard <= s.shard_count) return;
  throw Error("history: run '" + s.run_id + "': shard " + std::to_string(s.shard) + "/" + std::to_string(s.shard_count) +
              " is not a shard (I/N with 1 <= I <= N): nothing was recorded; record the JSON reports of 'opsbook check --shard I/N'");
}

Store::Store(std::string where) : m_where(std::move(where)), m_trust(std::make_unique<RunTrust>()) {}

Store::~Store() = default;

void Store::trust_environments(const std::vector<std::string>& names) { m_trust->set_environments(std::set<std::string>(names.begin(), names.end())); }

std::string Store::left_out_note() const { return m_trust->note(m_where); }

std::vector<RunInfo> Store::runs(size_t limit) {
  std::vector<RunInfo> out;
  size_t counted = 0, listed_out = 0;
  m_not_listed = 0;
  if (limit == 0) return out;
  SealedRunReader reader(*m_trust, [&](RunInfo&& info) {
    if (!info.left_out.empty()) {
      if (listed_out++ < limit) out.push_back(std::move(info));
      else ++m_not_listed;
      return true;
    }
    out.push_back(std::move(info));
    return ++counted < limit;
  });
  Snapshot snapshot(*this);
  read_runs(false, limit, reader);
  return out;
}

void Store::each_check(const std::string& file, size_t last_runs, const CheckVisitor& visit) {
  if (last_runs == 0) return;
  size_t counted = 0;
  SealedRunReader reader(*m_trust, [&](RunInfo&& info) { return (counted += info.left_out.empty() ? 1 : 0) < last_runs; }, &visit, file);
  Snapshot snapshot(*this);
  read_runs(true, last_runs, reader);
}

std::vector<PastCheck> Store::checks(const std::string& file, size_t last_runs) {
  std::vector<PastCheck> out;
  each_check(file, last_runs, [&](const PastCheckView& v) {
    CheckRow r{std::string(v.file),   v.line, std::string(v.kind), std::string(v.snippet), std::string(v.target), std::string(v.expectation),
               std::string(v.outcome), std::string(v.detail), v.latency_ms, std::string(v.digest)};
    out.push_back({std::move(r), std::string(v.run_id), std::string(v.started_at), std::string(v.env)});
  });
  return out;
}

}  // namespace opsbook::history
