// Which rows of the check history opsbook wrote (s7d review D6, s7c B1(c)): the history file can
// come from a pull request, and its rows decide "verified" in the portal and in `history show`.
// Each run row carries a seal under the machine's seal key (model/seal_key) over the run's
// fields, and each shard row one over its results. A run whose seals do not hold, that starts in
// the future, or whose environment opsbook.yaml does not have, is left out, with one note.
#pragma once

#include <array>
#include <cstdint>
#include <ctime>
#include <functional>
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
// A result's digest (schema 5) is one more part when it has one: rows recorded before keep
// their seals, and a digest added to a row, removed or changed breaks it.
class ShardDigest {
 public:
  void add(std::string_view run_id, long long shard, std::string_view file, int line, std::string_view kind, std::string_view snippet,
           std::string_view target, std::string_view expectation, std::string_view outcome, std::string_view detail, std::string_view digest);
  [[nodiscard]] std::string seal(std::string_view run_id, long long shard) const;
  [[nodiscard]] bool empty() const { return m_count == 0; }
  [[nodiscard]] uint64_t count() const { return m_count; }

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
  // The row itself, which runs left out are counted by (s10b review B11: a BLOB twin of a real
  // run's id, left out, made the real run "LEFT OUT" too): SQLite's rowid; in PostgreSQL the run
  // id (a typed primary key: one row per id).
  std::string key;
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
  // Counts a run left out (once per row, RunRow::key, and store).
  void left_out(const RunRow& run, const std::string& why);
  // One note on the runs left out so far ("" when none), naming `where`.
  [[nodiscard]] std::string note(const std::string& where) const;

 private:
  bool m_check_envs = false;
  std::set<std::string> m_envs;
  std::set<std::string> m_seen;  // RunRow::key of the runs left out
  size_t m_unsealed = 0, m_future = 0, m_unknown_env = 0;
};

// Runs as a store reads them, newest first, each checked against its seals (its rows in any
// order): what counts in a run comes only from rows whose seals hold (s10b review B5: the list
// of runs took its counts and completeness from SQL, and static runs were never checked). For
// each run: begin(), row() for each of its results when begin() wants them, then end().
class SealedRunReader {
 public:
  // After each run, with its figures and why it is left out: whether to read the next one.
  using RunDone = std::function<bool(RunInfo&&)>;
  // `visit`, when given, is called with the checks of `file` ("" = every file) of the runs that
  // count, by run, in the order the store gave them.
  SealedRunReader(RunTrust& trust, RunDone done, const CheckVisitor* visit = nullptr, std::string file = "")
      : m_trust(trust), m_done(std::move(done)), m_visit(visit), m_file(std::move(file)) {}
  // Whether the run's results are wanted: not when its row is not sealed (nothing of it counts).
  bool begin(RunRow run, std::vector<ShardRow> shards);
  void row(long long shard, const PastCheckView& v);
  // A row of the run not stored as opsbook writes it: the run does not count.
  void wrong_row() { m_broken = true; }
  // Whether to read the next run.
  bool end();
  // The runs that counted so far.
  [[nodiscard]] size_t counted() const { return m_place; }

 private:
  struct Held {
    std::string file, kind, snippet, target, expectation, outcome, detail, digest;
    int line = 0;
    double latency_ms = 0;
  };
  RunInfo figures();
  RunTrust& m_trust;
  RunDone m_done;
  const CheckVisitor* m_visit;
  std::string m_file;
  RunRow m_run;
  std::string m_why;  // why the run row does not count ("" when it does)
  std::vector<ShardRow> m_shards;
  std::vector<ShardDigest> m_digests;  // by place in m_shards
  std::vector<Held> m_rows;
  size_t m_held = 0;
  size_t m_place = 0;  // the place among the runs that counted (PastCheckView::run)
  bool m_broken = false;
};

}  // namespace opsbook::history
