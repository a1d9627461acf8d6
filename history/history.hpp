// Check history: what each check of a run found, stored per run and shard, so that `history
// show` and the portal can tell the last outcome, pass rate, last pass and flaky checks.
// Plain records (no validator types): the caller turns a report into a ShardRecord.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace opsbook::history {

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
  unsigned shards_complete = 0;
  size_t results = 0;
  // Why the run never counts (history/seal): "" when its row is sealed here; "unsealed",
  // "future" (it starts after this machine's clock) or "environment" (not one of opsbook.yaml's).
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
};
using CheckVisitor = std::function<void(const PastCheckView&)>;

class RunTrust;

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
  // The last `limit` runs, newest first (RunInfo::left_out says which never count).
  virtual std::vector<RunInfo> runs(size_t limit) = 0;
  // Visits the checks of `file` ("" = every file) in the last `last_runs` live runs (static runs
  // have no checks): newest run first, by file and line within a run. Only runs opsbook wrote
  // here (history/seal: every seal holds), dated up to now and, once trust_environments() was
  // given them, on one of opsbook.yaml's environments: the others are left out and counted.
  virtual void each_check(const std::string& file, size_t last_runs, const CheckVisitor& visit) = 0;
  // The environments of opsbook.yaml: runs on any other are left out.
  void trust_environments(const std::vector<std::string>& names);
  // One line on the runs left out so far ("" when none): how many and why, and what to do.
  [[nodiscard]] std::string left_out_note() const;
  // Why a run each_check() read was left out ("" when it counted or was not read): a run whose
  // row is sealed but whose results are not shows here, not in runs().
  [[nodiscard]] std::string left_out_reason(const std::string& run_id) const;
  // The same checks, copied.
  std::vector<PastCheck> checks(const std::string& file, size_t last_runs);
  // The schema version of the store (after migrations).
  virtual int schema_version() = 0;

 protected:
  RunTrust& trust() { return *m_trust; }

 private:
  std::string m_where;
  std::unique_ptr<RunTrust> m_trust;
};

// The embedded store: an SQLite file (its folder is created), migrated to the current schema.
std::unique_ptr<Store> open_sqlite(const std::string& path);
// The shared store: a PostgreSQL database (libpqxx), migrated to the current schema.
std::unique_ptr<Store> open_postgres(const std::string& dsn);

// The error when a shard does not belong to the run recorded under its run id.
std::string run_mismatch(const ShardRecord& s, unsigned count, const std::string& set, const std::string& env);

}  // namespace opsbook::history
