// History schema migrations. Version 1: runs, shards and live results; version 2: findings and
// the indexes; version 3: a run's results indexed in the order `history show` reads them (by
// run, file and line: no sort per run), in place of the index by file; version 4: the seals of
// runs and shards under the machine's seal key (history/seal), '' for rows written before; version
// 5: each result's digest of what it checked (model/check_digest), '' for rows written before.
#include "history/schema.hpp"

namespace opsbook::history {

const std::vector<std::vector<std::string_view>>& migrations() {
  static const std::vector<std::vector<std::string_view>> k_migrations = {
      {
          "CREATE TABLE opsbook_runs (run_id TEXT PRIMARY KEY, started_at TEXT NOT NULL, env TEXT NOT NULL,"
          " shard_count INTEGER NOT NULL, set_fingerprint TEXT NOT NULL)",
          "CREATE TABLE opsbook_shards (run_id TEXT NOT NULL, shard INTEGER NOT NULL, state TEXT NOT NULL,"
          " PRIMARY KEY (run_id, shard))",
          "CREATE TABLE opsbook_results (run_id TEXT NOT NULL, shard INTEGER NOT NULL, file TEXT NOT NULL, line INTEGER NOT NULL,"
          " kind TEXT NOT NULL, snippet TEXT NOT NULL, target TEXT NOT NULL, expectation TEXT NOT NULL, outcome TEXT NOT NULL,"
          " detail TEXT NOT NULL, latency_ms DOUBLE PRECISION NOT NULL)",
      },
      {
          "CREATE TABLE opsbook_findings (run_id TEXT NOT NULL, shard INTEGER NOT NULL, file TEXT NOT NULL, line INTEGER NOT NULL,"
          " rule TEXT NOT NULL, severity TEXT NOT NULL, message TEXT NOT NULL)",
          "CREATE INDEX opsbook_results_by_file ON opsbook_results (file, run_id)",
          "CREATE INDEX opsbook_results_by_shard ON opsbook_results (run_id, shard)",
          "CREATE INDEX opsbook_findings_by_shard ON opsbook_findings (run_id, shard)",
      },
      {
          "DROP INDEX opsbook_results_by_file",
          "CREATE INDEX opsbook_results_by_run ON opsbook_results (run_id, file, line)",
      },
      {
          "ALTER TABLE opsbook_runs ADD COLUMN seal TEXT NOT NULL DEFAULT ''",
          "ALTER TABLE opsbook_shards ADD COLUMN seal TEXT NOT NULL DEFAULT ''",
      },
      {
          "ALTER TABLE opsbook_results ADD COLUMN digest TEXT NOT NULL DEFAULT ''",
      },
  };
  return k_migrations;
}

}  // namespace opsbook::history
