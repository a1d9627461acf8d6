// Which rows of the check history opsbook wrote (s7d review D6, s7c B1(c)): the history file can
// come from a pull request, and its rows decide "verified" in the portal and in `history show`.
// Each run row carries a seal under the machine's seal key (model/seal_key) over the run's
// fields, and each shard row one over its results. A run whose seals do not hold, that starts in
// the future, or whose environment opsbook.yaml does not have, is left out, with one note.
#pragma once

#include <array>
#include <cstdint>
#include <ctime>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "history/history.hpp"

namespace opsbook::history {

// The seal of a run row: HMAC-SHA256 of ("opsbook history run", run id, start, environment,
// shard count, runbook set) in hex.
std::string run_seal(std::string_view run_id, std::string_view started_at, std::string_view env, unsigned shard_count, std::string_view set_fingerprint);

// The seal of one shard's results: over the run id, the shard, the number of results and the sum
// (mod 2^256) of each result's own MAC, so that it can be checked in whatever order the rows are
// read, and a row removed, added, duplicated, moved or changed breaks it. Latency is not sealed.
class ShardDigest {
 public:
  void add(std::string_view run_id, long long shard, std::string_view file, int line, std::string_view kind, std::string_view snippet,
           std::string_view target, std::string_view expectation, std::string_view outcome, std::string_view detail);
  [[nodiscard]] std::string seal(std::string_view run_id, long long shard) const;
  [[nodiscard]] bool empty() const { return m_count == 0; }

 private:
  std::array<unsigned char, 32> m_sum{};
  uint64_t m_count = 0;
};

// The seal of a shard's rows, as a store writes it.
std::string shard_seal(const ShardRecord& s);

// What a store reads of a run before its rows.
struct RunRow {
  std::string run_id, started_at, env, set_fingerprint, seal;
  unsigned shard_count = 1;
  // False when a value of the row is not stored as opsbook writes it (an SQLite BLOB of a start's
  // bytes, a shard count out of range): such a row is never sealed.
  bool typed = true;
};
// Whether `run`'s row is typed and holds the seal opsbook would give it.
bool run_sealed(const RunRow& run);

// Why a run is not recorded over a row of the same id that run_sealed refuses.
std::string planted_run(std::string_view run_id);

struct ShardRow {
  long long shard = 0;
  std::string state, seal;
  bool typed = true;  // as RunRow::typed: false breaks the run's seal
};

// Which runs count, and how many were left out and why.
class RunTrust {
 public:
  // The environments of opsbook.yaml; unset (the default): any environment counts.
  void set_environments(std::set<std::string> names);
  // Why `run` is left out, "" when it counts: its row is not sealed, it starts in the future, or
  // its environment is not one of opsbook.yaml's.
  [[nodiscard]] std::string distrust(const RunRow& run) const;
  // Counts a run left out (once per run and store).
  void left_out(const std::string& run_id, const std::string& why);
  // Why a run read so far was left out ("" when it was not, or was not read).
  [[nodiscard]] std::string reason(const std::string& run_id) const;
  // One note on the runs left out so far ("" when none), naming `where`.
  [[nodiscard]] std::string note(const std::string& where) const;

 private:
  bool m_check_envs = false;
  std::set<std::string> m_envs;
  std::map<std::string, std::string> m_seen;  // run id -> why it was left out
  size_t m_unsealed = 0, m_future = 0, m_unknown_env = 0;
};

// One run's rows as a store reads them (any order), checked against the run's seals: visited
// when every seal holds, else counted as left out.
class SealedRunReader {
 public:
  SealedRunReader(const CheckVisitor& visit, const std::string& file, RunTrust& trust) : m_visit(visit), m_file(file), m_trust(trust) {}
  // False (and the run counted) when the run row itself does not count; its rows are then not needed.
  bool begin(RunRow run, std::vector<ShardRow> shards);
  void row(long long shard, const PastCheckView& v);
  // A row of the run not stored as opsbook writes it: the run does not count.
  void wrong_row() { m_broken = true; }
  void end();
  // The runs visited so far: those that count.
  [[nodiscard]] size_t counted() const { return m_place; }

 private:
  struct Held {
    std::string file, kind, snippet, target, expectation, outcome, detail;
    int line = 0;
    double latency_ms = 0;
  };
  const CheckVisitor& m_visit;
  const std::string& m_file;
  RunTrust& m_trust;
  RunRow m_run;
  std::vector<ShardRow> m_shards;
  std::vector<ShardDigest> m_digests;  // by place in m_shards
  std::vector<Held> m_rows;
  size_t m_held = 0;
  size_t m_place = 0;  // the place among the runs visited (PastCheckView::run)
  bool m_broken = false;
};

}  // namespace opsbook::history
