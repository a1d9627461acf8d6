// Check history: what each check of a run found, stored per run and shard, so that `history
// show` and the portal can tell the last outcome, pass rate, last pass and flaky checks.
// Plain records (no validator types): the caller turns a report into a ShardRecord.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "model/error.hpp"

namespace opsbook::history {

// A store opsbook does not read or write, left as it is (s9 review R12): a file or database
// schema that is not opsbook's history, one a newer opsbook made, or a damaged one. Writers stop
// with it; readers (the portal) go on without history and say problem() once.
class StoreRefused : public Error {
 public:
  enum class Why { foreign, newer, damaged };
  enum class Backend { sqlite, postgres };
  // `where`: the file, or the database; `detail`: what shows it.
  StoreRefused(Why why, Backend backend, const std::string& where, const std::string& detail);
  [[nodiscard]] Why why() const { return m_why; }
  // "<where> is not opsbook's history (<detail>)", "... was made by a newer opsbook (...)", "... is damaged (...)".
  [[nodiscard]] const std::string& problem() const { return m_problem; }
  // What to do about it.
  [[nodiscard]] const std::string& way_forward() const { return m_way; }

 private:
  Why m_why;
  std::string m_problem, m_way;
};

// One live check of a run (a LiveResult of the report).
struct CheckRow {
  std::string file;
  int line = 0;
  std::string kind;  // http, tcp, sql, ...
  std::string snippet;
  std::string target;
  std::string expectation;
  std::string outcome;  // pass, fail, skipped, refused
  std::string detail;
  double latency_ms = 0;
  std::string digest = {};  // model/check_digest of what was checked; "" in rows recorded before schema 5
};

struct FindingRow {
  std::string file;
  int line = 0;
  std::string rule;
  std::string severity;
  std::string message;
};

// What one shard of a run (or a whole unsharded run, shard 1/1) contributes.
struct ShardRecord {
  std::string run_id;
  unsigned shard = 1;
  unsigned shard_count = 1;
  std::string set_fingerprint;  // the runbook set all shards of the run share
  std::string env;              // "" for a static check
  std::string started_at;       // UTC ISO 8601, from the report
  std::vector<CheckRow> results;
  std::vector<FindingRow> findings;
};

struct RunInfo {
  std::string run_id;
  std::string started_at;
  std::string env;
  unsigned shard_count = 1;
  // Of the shards 1..N recorded in full, and of their results, only those whose seals hold (none
  // when the run row's does not).
  unsigned shards_complete = 0;
  size_t results = 0;
  // Why the run never counts (history/seal): "" when every seal of it holds; "unsealed" (one
  // does not), "future" (it starts after this machine's clock) or "environment" (not one of
  // opsbook.yaml's).
  std::string left_out;
  [[nodiscard]] bool complete() const { return shards_complete == shard_count; }
};

// A check as seen in one past run, newest first in a query.
struct PastCheck {
  CheckRow row;
  std::string run_id;
  std::string started_at;
  std::string env;  // the run's environment
};

// A check of one past run as a store reads it: views into the store's row, valid only during the
// visit (nothing is copied for rows that only add an outcome to a check already seen).
struct PastCheckView {
  std::string_view file;
  int line = 0;
  std::string_view kind, snippet, target, expectation, outcome, detail;
  double latency_ms = 0;
  size_t run = 0;  // the run's place among those read, 0 = the newest
  std::string_view run_id, started_at, env;
  std::string_view digest = {};  // of what was checked, "" before schema 5
};
using CheckVisitor = std::function<void(const PastCheckView&)>;

class RunTrust;
class SealedRunReader;

class Store {
 public:
  explicit Store(std::string where);
  virtual ~Store();
  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;
  // Records one shard in two steps: the shard is marked as recording and committed, then its
  // rows replace any earlier recording of the same run and shard in one transaction that also
  // marks it complete. A writer killed in between leaves the run incomplete; recording the same
  // report again changes nothing. Throws opsbook::Error when the run was recorded with another
  // shard count, runbook set or environment.
  virtual void record(const ShardRecord& shard) = 0;
  // The last `limit` runs that count, static and live, newest first, and among them the runs left
  // out (RunInfo::left_out says why), at most `limit` of these: a run left out never takes the
  // place of one that counts (s9 review R7: 20 planted late rows hid every real run). The runs
  // left out but not listed are in runs_not_listed(). Every seal of each run read is checked.
  std::vector<RunInfo> runs(size_t limit);
  [[nodiscard]] size_t runs_not_listed() const { return m_not_listed; }
  // Visits the checks of `file` ("" = every file) in the last `last_runs` live runs that count
  // (static runs have no checks): newest run first, by file and line within a run. Only runs
  // opsbook wrote here (history/seal: every seal holds), dated up to now and, once
  // trust_environments() was given them, on one of opsbook.yaml's environments: the others are
  // left out and counted, and the window is chosen among the runs that count.
  void each_check(const std::string& file, size_t last_runs, const CheckVisitor& visit);
  // Reads in one snapshot while it lives: what runs() and each_check() say within it is one
  // state of the store, whatever writers commit meanwhile (s9 review R9). Nests.
  class Snapshot {
   public:
    explicit Snapshot(Store& store) : m_store(store) {
      if (m_store.m_snapshots == 0) m_store.begin_snapshot();  // may throw: then nothing is counted
      ++m_store.m_snapshots;
    }
    ~Snapshot() {
      if (--m_store.m_snapshots == 0) m_store.end_snapshot();
    }
    Snapshot(const Snapshot&) = delete;
    Snapshot& operator=(const Snapshot&) = delete;

   private:
    Store& m_store;
  };
  // The environments of opsbook.yaml: runs on any other are left out.
  void trust_environments(const std::vector<std::string>& names);
  // One line on the runs left out so far ("" when none): how many and why, and what to do.
  [[nodiscard]] std::string left_out_note() const;
  // The same checks, copied.
  std::vector<PastCheck> checks(const std::string& file, size_t last_runs);
  // The schema version of the store (after migrations).
  virtual int schema_version() = 0;

 protected:
  RunTrust& trust() { return *m_trust; }
  // Every run newest first (only those with an environment when `live_only`; a store reading in
  // batches starts with `first_batch` runs): its row and shard rows to reader.begin(), its result
  // rows to reader.row() when begin() wants them, then reader.end(), until end() returns false.
  virtual void read_runs(bool live_only, size_t first_batch, SealedRunReader& reader) = 0;
  virtual void begin_snapshot() = 0;
  virtual void end_snapshot() = 0;

 private:
  std::string m_where;
  std::unique_ptr<RunTrust> m_trust;
  size_t m_not_listed = 0;
  int m_snapshots = 0;
};

// The embedded store: an SQLite file (its folder is created), migrated to the current schema.
std::unique_ptr<Store> open_sqlite(const std::string& path);
// The shared store: a PostgreSQL database (libpqxx), migrated to the current schema.
std::unique_ptr<Store> open_postgres(const std::string& dsn);

// Throws opsbook::Error when `s` is not shard 1..N of N >= 1 (s9 review R8: a shard N + 1 in place of
// a missing one made a run of N shards look complete).
void check_shard_number(const ShardRecord& s);

// The error when a shard does not belong to the run recorded under its run id.
std::string run_mismatch(const ShardRecord& s, unsigned count, const std::string& set, const std::string& env);

}  // namespace opsbook::history
