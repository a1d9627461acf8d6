// The SQLite history store on real files: record and read back, re-recording changes nothing,
// a run with a shard missing is incomplete, a foreign shard is refused, a store of the previous
// schema version is migrated with its rows kept, and processes opening one new file at once all
// record.
#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstdio>

#include "history/history.hpp"
#include "history/schema.hpp"
#include "model/error.hpp"
#include "support.hpp"

using namespace opsbook;
using namespace opsbook::history;

namespace {

ShardRecord shard(const std::string& run, unsigned index, unsigned count, const std::string& outcome) {
  ShardRecord s;
  s.run_id = run;
  s.shard = index;
  s.shard_count = count;
  s.set_fingerprint = "f00d";
  s.env = "staging";
  s.started_at = "2026-01-0" + run.substr(1) + "T10:00:00Z";
  for (int i = 0; i < 3; ++i) {
    s.results.push_back({"s" + std::to_string(index) + ".md", 3 + i, "http", "", "http://a/" + std::to_string(i), "status 2xx", outcome, "status 200", 1.5});
  }
  s.findings.push_back({"s" + std::to_string(index) + ".md", 3, "live-http", "error", "answered 503"});
  return s;
}

// Every row of every table, in a stable order: what "changes nothing" compares.
std::string dump(const std::string& path) {
  sqlite3* db = nullptr;
  REQUIRE(sqlite3_open(path.c_str(), &db) == SQLITE_OK);
  std::string out;
  for (const char* table : {"opsbook_schema", "opsbook_runs", "opsbook_shards", "opsbook_results", "opsbook_findings"}) {
    std::string sql = std::string("SELECT * FROM ") + table + " ORDER BY 1, 2, 3";
    if (std::string(table) == "opsbook_schema") sql = "SELECT * FROM opsbook_schema";
    auto row = [](void* o, int n, char** v, char**) {
      auto& s = *static_cast<std::string*>(o);
      for (int i = 0; i < n; ++i) s += std::string(v[i] ? v[i] : "NULL") + "|";
      s += "\n";
      return 0;
    };
    out += std::string(table) + ":\n";
    REQUIRE(sqlite3_exec(db, sql.c_str(), row, &out, nullptr) == SQLITE_OK);
  }
  sqlite3_close(db);
  return out;
}

}  // namespace

TEST_CASE("sqlite: shards of a run are recorded, read back newest first, and complete", "[history]") {
  test::TempDir dir;
  std::string path = (dir.path() / ".opsbook" / "history.sqlite").string();  // the folder is created
  auto store = open_sqlite(path);
  CHECK(store->schema_version() == current_schema_version());
  store->record(shard("r1", 1, 2, "pass"));
  auto runs = store->runs(10);
  REQUIRE(runs.size() == 1);
  CHECK_FALSE(runs[0].complete());  // shard 2 of 2 is missing
  store->record(shard("r1", 2, 2, "pass"));
  store->record(shard("r2", 1, 1, "fail"));
  runs = store->runs(10);
  REQUIRE(runs.size() == 2);
  CHECK(runs[0].run_id == "r2");
  CHECK(runs[1].complete());
  CHECK(runs[1].results == 6);
  auto rows = store->checks("s1.md", 10);
  REQUIRE(rows.size() == 6);
  CHECK(rows[0].run_id == "r2");
  CHECK(rows[0].row.outcome == "fail");
  CHECK(rows[5].run_id == "r1");
  CHECK(rows[5].row.target == "http://a/2");
  CHECK(rows[5].row.latency_ms == 1.5);
  CHECK(store->checks("s1.md", 1).size() == 3);  // only the newest run
  CHECK(store->checks("", 10).size() == 9);
}

TEST_CASE("sqlite: recording the same report again changes nothing", "[history]") {
  test::TempDir dir;
  std::string path = (dir.path() / "h.sqlite").string();
  {
    auto store = open_sqlite(path);
    store->record(shard("r1", 1, 2, "pass"));
    store->record(shard("r1", 2, 2, "fail"));
  }
  std::string before = dump(path);
  open_sqlite(path)->record(shard("r1", 2, 2, "fail"));
  CHECK(dump(path) == before);
}

TEST_CASE("sqlite: a shard of another run shape is refused with the way out", "[history]") {
  test::TempDir dir;
  auto store = open_sqlite((dir.path() / "h.sqlite").string());
  store->record(shard("r1", 1, 2, "pass"));
  try {
    store->record(shard("r1", 1, 3, "pass"));
    FAIL("no error");
  } catch (const Error& e) {
    CHECK(std::string(e.what()) ==
          "history: run 'r1' was recorded as 2 shards of set f00d on 'staging'; this report is shard 1/3 of set f00d on 'staging': give each run its own --run-id");
  }
}

TEST_CASE("sqlite: a store of schema version 1 is migrated, its rows kept", "[history]") {
  test::TempDir dir;
  std::string path = (dir.path() / "old.sqlite").string();
  sqlite3* db = nullptr;
  REQUIRE(sqlite3_open(path.c_str(), &db) == SQLITE_OK);
  auto exec = [&](const std::string& sql) { REQUIRE(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr) == SQLITE_OK); };
  exec("CREATE TABLE opsbook_schema (version INTEGER NOT NULL)");
  exec("INSERT INTO opsbook_schema VALUES (1)");
  for (std::string_view sql : migrations()[0]) exec(std::string(sql));
  exec("INSERT INTO opsbook_runs VALUES ('old', '2025-12-01T00:00:00Z', 'staging', 1, 'f00d')");
  exec("INSERT INTO opsbook_shards VALUES ('old', 1, 'complete')");
  exec("INSERT INTO opsbook_results VALUES ('old', 1, 's1.md', 3, 'http', '', 'http://a/0', 'status 2xx', 'pass', 'status 200', 2.0)");
  sqlite3_close(db);

  auto store = open_sqlite(path);
  CHECK(store->schema_version() == current_schema_version());
  store->record(shard("r1", 1, 1, "fail"));
  // Version 4: rows written before runs were sealed are kept, and never count (history/seal).
  auto rows = store->checks("s1.md", 10);
  REQUIRE(rows.size() == 3);
  CHECK(rows.back().run_id == "r1");
  auto runs = store->runs(10);
  REQUIRE(runs.size() == 2);
  CHECK(runs[0].run_id == "r1");
  CHECK(runs[0].left_out.empty());
  CHECK(runs[1].run_id == "old");
  CHECK(runs[1].left_out == "unsealed");
  CHECK(store->left_out_note().starts_with("history: 1 run in " + path + " left out (1 not sealed by this machine's key"));
  // Version 3: a run's results are indexed by run, file and line, no longer by file.
  REQUIRE(sqlite3_open(path.c_str(), &db) == SQLITE_OK);
  std::string indexes;
  auto name = [](void* o, int, char** v, char**) {
    *static_cast<std::string*>(o) += std::string(v[0]) + " ";
    return 0;
  };
  REQUIRE(sqlite3_exec(db, "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'opsbook_results' ORDER BY name", name, &indexes, nullptr) == SQLITE_OK);
  sqlite3_close(db);
  CHECK(indexes == "opsbook_results_by_run opsbook_results_by_shard ");
}

TEST_CASE("sqlite: processes opening one new file at once all record (the switch to WAL waits)", "[history]") {
  // Before the fix, about one round in 40 of 4 openers failed with "database is locked".
  test::TempDir dir;
  for (int round = 0; round < 40; ++round) {
    std::string path = (dir.path() / ("new" + std::to_string(round) + ".sqlite")).string();
    std::vector<pid_t> openers;
    for (unsigned i = 1; i <= 6; ++i) {
      pid_t pid = ::fork();
      if (pid == 0) {
        try {
          open_sqlite(path)->record(shard("r1", i, 6, "pass"));
        } catch (const Error& e) {
          std::fprintf(stderr, "round %d, shard %u: %s\n", round, i, e.what());
          ::_exit(1);
        }
        ::_exit(0);
      }
      openers.push_back(pid);
    }
    int failed = 0;
    for (pid_t pid : openers) {
      int status = 0;
      ::waitpid(pid, &status, 0);
      failed += !(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    }
    INFO("round " << round);
    REQUIRE(failed == 0);
    REQUIRE(open_sqlite(path)->runs(1).at(0).complete());
  }
}
