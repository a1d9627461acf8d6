// The SQLite history store on real files: record and read back, re-recording changes nothing,
// a run with a shard missing is incomplete, a foreign shard is refused, a store of the previous
// schema version is migrated with its rows kept, and processes opening one new file at once all
// record.
#include <sqlite3.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstdio>
#include <functional>

#include "history/history.hpp"
#include "history/schema.hpp"
#include "history/seal.hpp"
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

namespace {

void exec_sql(const std::string& path, const std::string& sql) {
  sqlite3* db = nullptr;
  REQUIRE(sqlite3_open(path.c_str(), &db) == SQLITE_OK);
  char* err = nullptr;
  int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &err);
  std::string why = err ? err : "";
  sqlite3_free(err);
  sqlite3_close(db);
  INFO(why);
  REQUIRE(rc == SQLITE_OK);
}

// The message opening `path` gives ("" when it opens).
std::string refusal(const std::string& path) {
  try {
    open_sqlite(path);
  } catch (const Error& e) {
    return e.what();
  }
  return "";
}

}  // namespace

TEST_CASE("sqlite: runs left out never take the place of runs that count: 20 planted late runs hide no real one (s9 review R7)", "[history][security]") {
  test::TempDir dir;
  std::string path = (dir.path() / "h.sqlite").string();
  auto store = open_sqlite(path);
  for (const char* run : {"r1", "r2", "r3"}) store->record(shard(run, 1, 1, "fail"));
  // Later than every real run, every check passing, seals of the attacker's making.
  for (int i = 10; i < 30; ++i) {
    std::string id = "'p" + std::to_string(i) + "'";
    exec_sql(path, "INSERT INTO opsbook_runs VALUES (" + id + ", '2026-02-" + std::to_string(i - 9) + "T00:00:00Z', 'staging', 1, 'f00d', 'bad');"
                   "INSERT INTO opsbook_shards VALUES (" + id + ", 1, 'complete', 'bad');"
                   "INSERT INTO opsbook_results VALUES (" + id + ", 1, 's1.md', 3, 'http', '', 'http://a/0', 'status 2xx', 'pass', 'status 200', 1.0, '')");
  }
  auto rows = store->checks("s1.md", 3);
  REQUIRE(rows.size() == 9);  // before the fix: none (the window held only the planted runs)
  for (const auto& r : rows) CHECK(r.row.outcome == "fail");
  CHECK(rows.front().run_id == "r3");
  CHECK(rows.back().run_id == "r1");
  auto runs = store->runs(3);
  REQUIRE(runs.size() == 6);  // the 3 that count, and 3 of those left out: the rest counted, not listed
  CHECK(store->runs_not_listed() == 17);
  CHECK(runs[0].left_out == "unsealed");
  CHECK(runs[3].run_id == "r3");
  CHECK(runs[5].run_id == "r1");
  CHECK(runs[5].left_out.empty());
  CHECK(store->left_out_note().starts_with("history: 20 runs in " + path + " left out (20 not sealed by this machine's key"));
}

TEST_CASE("sqlite: a shard outside 1..N is refused, and a run is complete only with shards 1..N (s9 review R8)", "[history][security]") {
  test::TempDir dir;
  std::string path = (dir.path() / "h.sqlite").string();
  auto store = open_sqlite(path);
  for (auto [index, count] : {std::pair{3u, 2u}, std::pair{0u, 2u}, std::pair{1u, 0u}}) {
    try {
      store->record(shard("r1", index, count, "pass"));
      FAIL("no error");
    } catch (const Error& e) {
      CHECK(std::string(e.what()) == "history: run 'r1': shard " + std::to_string(index) + "/" + std::to_string(count) +
                                         " is not a shard (I/N with 1 <= I <= N): nothing was recorded; record the JSON reports of 'opsbook check --shard I/N'");
    }
  }
  CHECK(store->runs(10).empty());
  for (unsigned i : {1u, 2u, 3u}) store->record(shard("r1", i, 4, "pass"));
  // A shard 5 of 4 in place of the missing shard 4 (before the fix: "complete").
  exec_sql(path, "INSERT INTO opsbook_shards VALUES ('r1', 5, 'complete', '')");
  auto runs = store->runs(10);
  REQUIRE(runs.size() == 1);
  CHECK(runs[0].shards_complete == 3);
  CHECK_FALSE(runs[0].complete());
}

TEST_CASE("sqlite: a file that is not opsbook's history, one a newer opsbook made, or a damaged one is refused, named and left as it is (s9 review R12)", "[history][hostile]") {
  test::TempDir dir;
  std::string path = (dir.path() / "h.sqlite").string();
  const std::string move_away = ": it was left as it is; move it away (or set history.path in opsbook.yaml) and record again";
  SECTION("garbage bytes") {
    test::write_file(path, std::string(5000, '\x17') + "not a database");
    CHECK(refusal(path) == "history: " + path + " is not opsbook's history (not an SQLite database)" + move_away);
    CHECK(test::read_file(path) == std::string(5000, '\x17') + "not a database");
  }
  SECTION("another program's database") {
    exec_sql(path, "CREATE TABLE users (name TEXT); INSERT INTO users VALUES ('ada')");
    std::string before = test::read_file(path);
    CHECK(refusal(path) == "history: " + path + " is not opsbook's history (an SQLite database of something else: it holds a table 'users' and no table 'opsbook_schema')" +
                               move_away);
    CHECK(test::read_file(path) == before);
  }
  SECTION("a newer schema version") {
    open_sqlite(path)->record(shard("r1", 1, 1, "pass"));
    exec_sql(path, "UPDATE opsbook_schema SET version = " + std::to_string(current_schema_version() + 5));
    std::string before = dump(path);
    CHECK(refusal(path) == "history: " + path + " was made by a newer opsbook (schema version " + std::to_string(current_schema_version() + 5) +
                               "; this opsbook reads up to " + std::to_string(current_schema_version()) +
                               "): it was left as it is; record and show it with that opsbook or a newer one, or give this one a history of its own (history.path in opsbook.yaml)");
    CHECK(dump(path) == before);
  }
  SECTION("damaged pages") {
    {
      auto store = open_sqlite(path);
      for (int i = 0; i < 50; ++i) store->record(shard("r" + std::to_string(i % 9 + 1), static_cast<unsigned>(i / 9 + 1), 6, "pass"));
    }
    exec_sql(path, "PRAGMA wal_checkpoint(TRUNCATE)");
    std::string whole = test::read_file(path);
    REQUIRE(whole.size() > 8192);
    std::string damaged = whole.substr(0, 4096) + std::string(whole.size() - 4096, '\xff');  // the header kept, every page after it overwritten
    test::write_file(path, damaged);
    CHECK(refusal(path).starts_with("history: " + path + " is damaged ("));
    CHECK(refusal(path).ends_with(move_away));
    CHECK(test::read_file(path) == damaged);
  }
  SECTION("a FIFO in its place") {
    REQUIRE(::mkfifo(path.c_str(), 0600) == 0);
    CHECK(refusal(path) == "history: " + path + " is not opsbook's history (not a regular file)" + move_away);
  }
  SECTION("one byte that is not SQLite's header (s9b review R8: SQLite took it for an empty database and wrote over it)") {
    for (std::string bytes : {std::string("\n"), std::string("x"), std::string("\xff"), std::string("SQLite format 3")}) {
      test::write_file(path, bytes);
      CHECK(refusal(path) == "history: " + path + " is not opsbook's history (not an SQLite database)" + move_away);
      CHECK(test::read_file(path) == bytes);
    }
  }
  SECTION("no bytes: a new history") {
    test::write_file(path, "");
    CHECK(refusal(path).empty());
    CHECK(open_sqlite(path)->schema_version() == current_schema_version());
  }
}

namespace {

// Three runs of one shard: r1 and r2 pass, r3 (the newest) fails.
std::string three_runs(const test::TempDir& dir) {
  std::string path = (dir.path() / "h.sqlite").string();
  auto store = open_sqlite(path);
  store->record(shard("r1", 1, 1, "pass"));
  store->record(shard("r2", 1, 1, "pass"));
  store->record(shard("r3", 1, 1, "fail"));
  return path;
}

// The runs whose rows `history show` reads for s1.md, newest first, one letter each.
std::string runs_read(const std::string& path, size_t last_runs) {
  std::string out;
  for (const PastCheck& c : open_sqlite(path)->checks("s1.md", last_runs)) {
    if (out.empty() || out.back() != c.run_id.back()) out += c.run_id.back();
  }
  return out;
}

}  // namespace

TEST_CASE("sqlite: an old passing run retyped as a BLOB keeps its seal but is left out, never pinned as the newest (s9b review R2)", "[history][security]") {
  test::TempDir dir;
  std::string path = three_runs(dir);
  REQUIRE(runs_read(path, 1) == "3");
  exec_sql(path, "UPDATE opsbook_runs SET started_at = CAST(started_at AS BLOB) WHERE run_id = 'r1'");
  CHECK(runs_read(path, 1) == "3");  // before the fix: "1", r1's passing rows as the newest
  CHECK(runs_read(path, 5) == "32");
  auto store = open_sqlite(path);
  auto runs = store->runs(5);
  REQUIRE(runs.size() == 3);
  CHECK(runs[0].run_id == "r1");  // listed, as left out
  CHECK(runs[0].left_out == "unsealed");
  CHECK(runs[1].run_id == "r3");
  CHECK(runs[1].left_out.empty());
  CHECK(store->left_out_note().starts_with("history: 1 run in " + path + " left out (1 not sealed by this machine's key"));
}

TEST_CASE("sqlite: every value is read with the storage class opsbook wrote and in range, or its run is left out (s9b review R2)", "[history][security]") {
  // Each edit keeps the bytes every seal covers (SQLite converts on reading, a cast truncates):
  // before the fix r2 still counted.
  const char* edits[] = {
      "UPDATE opsbook_runs SET run_id = CAST(run_id AS BLOB) WHERE run_id = 'r2'",
      "UPDATE opsbook_runs SET env = CAST(env AS BLOB) WHERE run_id = 'r2'",
      "UPDATE opsbook_runs SET set_fingerprint = CAST(set_fingerprint AS BLOB) WHERE run_id = 'r2'",
      "UPDATE opsbook_runs SET seal = CAST(seal AS BLOB) WHERE run_id = 'r2'",
      "UPDATE opsbook_runs SET shard_count = 4294967297 WHERE run_id = 'r2'",  // 2^32 + 1, read as 1 by a cast
      "UPDATE opsbook_runs SET shard_count = 1.5 WHERE run_id = 'r2'",
      "UPDATE opsbook_runs SET shard_count = CAST('1' AS BLOB) WHERE run_id = 'r2'",
      "UPDATE opsbook_shards SET shard = 1.5 WHERE run_id = 'r2'",
      "UPDATE opsbook_shards SET state = CAST(state AS BLOB) WHERE run_id = 'r2'",
      "UPDATE opsbook_shards SET seal = CAST(seal AS BLOB) WHERE run_id = 'r2'",
      "UPDATE opsbook_results SET shard = 1.5 WHERE run_id = 'r2'",
      "UPDATE opsbook_results SET line = line + 4294967296 WHERE run_id = 'r2'",
      "UPDATE opsbook_results SET line = line + 0.5 WHERE run_id = 'r2'",
      "UPDATE opsbook_results SET line = CAST(line AS BLOB) WHERE run_id = 'r2'",
      "UPDATE opsbook_results SET outcome = CAST(outcome AS BLOB) WHERE run_id = 'r2'",
      "UPDATE opsbook_results SET file = CAST(file AS BLOB) WHERE run_id = 'r2' AND line = 3",
      "UPDATE opsbook_results SET latency_ms = CAST(latency_ms AS BLOB) WHERE run_id = 'r2'",
  };
  for (const char* edit : edits) {
    INFO(edit);
    test::TempDir dir;
    std::string path = three_runs(dir);
    exec_sql(path, edit);
    CHECK(runs_read(path, 5) == "31");
    auto store = open_sqlite(path);
    bool r2_left_out = false;
    for (const RunInfo& r : store->runs(5)) r2_left_out |= r.run_id == "r2" && r.left_out == "unsealed" && r.results == 0;
    CHECK(r2_left_out);  // before s10b review B5: only for an edit of the run row (or once its checks were read)
    CHECK(store->left_out_note().starts_with("history: 1 run in " + path + " left out (1 not sealed"));
    store->checks("s1.md", 5);
    CHECK(store->left_out_note().starts_with("history: 1 run in " + path + " left out (1 not sealed"));
  }
}

TEST_CASE("sqlite: damage past the schema, found while reading or recording, names the file and the way forward (s9b review R4)", "[history][hostile]") {
  test::TempDir dir;
  std::string path = three_runs(dir);
  exec_sql(path, "PRAGMA wal_checkpoint(TRUNCATE)");
  // The root pages of every table but the schema version's, and of their indexes, overwritten:
  // opening (which reads the schema) still works.
  std::vector<long> roots;
  {
    sqlite3* db = nullptr;
    REQUIRE(sqlite3_open(path.c_str(), &db) == SQLITE_OK);
    sqlite3_stmt* q = nullptr;
    REQUIRE(sqlite3_prepare_v2(db, "SELECT rootpage FROM sqlite_master WHERE tbl_name <> 'opsbook_schema' AND rootpage > 0", -1, &q, nullptr) == SQLITE_OK);
    while (sqlite3_step(q) == SQLITE_ROW) roots.push_back(sqlite3_column_int(q, 0));
    sqlite3_finalize(q);
    sqlite3_close(db);
  }
  REQUIRE(roots.size() == 9);  // 4 tables, 2 primary keys, 3 indexes
  std::string bytes = test::read_file(path);
  for (long root : roots) bytes.replace(static_cast<size_t>(root - 1) * 4096, 4096, std::string(4096, '\xff'));
  test::write_file(path, bytes);
  auto store = open_sqlite(path);
  const std::string damaged = "history: " + path + " is damaged (database disk image is malformed): it was left as it is; move it away (or set history.path in opsbook.yaml) and record again";
  auto message = [](const std::function<void()>& work) {
    try {
      work();
    } catch (const StoreRefused& e) {
      CHECK(e.why() == StoreRefused::Why::damaged);
      return std::string(e.what());
    } catch (const Error& e) {
      return std::string("not StoreRefused: ") + e.what();  // before the fix: "history (SQLite): step: database disk image is malformed"
    }
    return std::string();
  };
  CHECK(message([&] { store->checks("s1.md", 5); }) == damaged);
  CHECK(message([&] { store->runs(5); }) == damaged);
  CHECK(message([&] { store->record(shard("r4", 1, 1, "pass")); }) == damaged);
  CHECK(test::read_file(path) == bytes);
}

TEST_CASE("sqlite: a shard and results planted in a static run leave it out, its figures only from sealed rows (s10b review B5)", "[history][security]") {
  test::TempDir dir;
  std::string path = (dir.path() / "h.sqlite").string();
  auto store = open_sqlite(path);
  ShardRecord s = shard("r1", 1, 2, "pass");
  s.env = "";
  s.results.clear();
  store->record(s);
  auto runs = store->runs(5);
  REQUIRE(runs.size() == 1);
  CHECK(runs[0].left_out.empty());
  CHECK(runs[0].shards_complete == 1);
  exec_sql(path, "INSERT INTO opsbook_shards VALUES ('r1', 2, 'complete', 'junk');"
                 "INSERT INTO opsbook_results VALUES ('r1', 2, 's2.md', 3, 'http', '', 'x', 'y', 'pass', 'z', 1.0, ''), ('r1', 2, 's2.md', 4, 'http', '', 'x', 'y', 'pass', 'z', 1.0, '')");
  runs = open_sqlite(path)->runs(5);
  REQUIRE(runs.size() == 1);
  CHECK(runs[0].left_out == "unsealed");  // before the fix: it counted, complete, with 2 results
  CHECK(runs[0].shards_complete == 1);    // the sealed one
  CHECK(runs[0].results == 0);
}

TEST_CASE("sqlite: a BLOB twin of a run's id is left out as a row of its own: the real run still counts (s10b review B11)", "[history][security]") {
  test::TempDir dir;
  std::string path = three_runs(dir);
  exec_sql(path, "INSERT INTO opsbook_runs SELECT CAST(run_id AS BLOB), started_at, env, shard_count, set_fingerprint, seal FROM opsbook_runs WHERE run_id = 'r2'");
  CHECK(runs_read(path, 5) == "321");
  auto store = open_sqlite(path);
  store->checks("s1.md", 5);  // as `history show` reads: the checks, then the runs
  std::string r2;
  for (const RunInfo& r : store->runs(5)) {
    if (r.run_id == "r2") r2 += (r.left_out.empty() ? "counts with " + std::to_string(r.results) : r.left_out) + ";";
  }
  CHECK(r2 == "unsealed;counts with 3;");  // the BLOB first (SQLite sorts it after text); before the fix: "unsealed;unsealed;"
  CHECK(store->left_out_note().starts_with("history: 1 run in " + path + " left out (1 not sealed"));
}

TEST_CASE("sqlite: a history of schema version 4 is migrated to 5: its sealed rows still count, with no digest (s11b review B3)", "[history]") {
  test::TempDir dir;
  std::string path = (dir.path() / "v4.sqlite").string();
  // A version 4 store as the previous opsbook wrote it: its run and shard sealed over rows that
  // have no digest.
  ShardRecord old = shard("r1", 1, 1, "pass");
  {
    sqlite3* db = nullptr;
    REQUIRE(sqlite3_open(path.c_str(), &db) == SQLITE_OK);
    auto exec = [&](const std::string& sql) { REQUIRE(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr) == SQLITE_OK); };
    exec("CREATE TABLE opsbook_schema (version INTEGER NOT NULL)");
    exec("INSERT INTO opsbook_schema VALUES (4)");
    for (size_t v = 0; v < 4; ++v) {
      for (std::string_view sql : migrations()[v]) exec(std::string(sql));
    }
    exec("INSERT INTO opsbook_runs VALUES ('r1', '" + old.started_at + "', 'staging', 1, 'f00d', '" + run_seal("r1", old.started_at, "staging", 1, "f00d") + "')");
    exec("INSERT INTO opsbook_shards VALUES ('r1', 1, 'complete', '" + shard_seal(old) + "')");
    for (const CheckRow& r : old.results) {
      exec("INSERT INTO opsbook_results VALUES ('r1', 1, '" + r.file + "', " + std::to_string(r.line) + ", 'http', '', '" + r.target +
           "', 'status 2xx', 'pass', 'status 200', 1.5)");
    }
    sqlite3_close(db);
  }
  auto store = open_sqlite(path);
  CHECK(store->schema_version() == 5);
  auto rows = store->checks("s1.md", 10);
  REQUIRE(rows.size() == 3);
  for (const auto& p : rows) CHECK(p.row.digest.empty());
  CHECK(store->left_out_note().empty());
  // New rows carry their digest, read back as written.
  ShardRecord now = shard("r2", 1, 1, "pass");
  now.results[0].digest = "0123456789abcdef0123456789abcdef";
  store->record(now);
  rows = store->checks("s1.md", 1);
  REQUIRE(rows.size() == 3);
  CHECK(rows[0].row.digest == "0123456789abcdef0123456789abcdef");
}

TEST_CASE("sqlite: a forged, moved or removed digest leaves its run out (s11b review B3: the seal covers it)", "[history][security]") {
  const char* edits[] = {
      "UPDATE opsbook_results SET digest = 'ffffffffffffffffffffffffffffffff' WHERE run_id = 'r2' AND line = 3",  // the text an attacker wants verified
      "UPDATE opsbook_results SET digest = '' WHERE run_id = 'r2' AND line = 3",
      "UPDATE opsbook_results SET digest = '0123456789abcdef0123456789abcdef' WHERE run_id = 'r2' AND line = 4",  // a row without one gets one
      "UPDATE opsbook_results SET digest = CAST(digest AS BLOB) WHERE run_id = 'r2' AND line = 3",
  };
  for (const char* edit : edits) {
    INFO(edit);
    test::TempDir dir;
    std::string path = (dir.path() / "h.sqlite").string();
    {
      auto store = open_sqlite(path);
      ShardRecord r2 = shard("r2", 1, 1, "pass");
      r2.results[0].digest = "0123456789abcdef0123456789abcdef";
      store->record(shard("r1", 1, 1, "pass"));
      store->record(r2);
    }
    CHECK(runs_read(path, 5) == "21");
    exec_sql(path, edit);
    CHECK(runs_read(path, 5) == "1");
    auto store = open_sqlite(path);
    store->checks("s1.md", 5);
    CHECK(store->left_out_note().starts_with("history: 1 run in " + path + " left out (1 not sealed"));
  }
}
