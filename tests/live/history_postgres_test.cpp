// [live] The PostgreSQL history store on the stack's real PostgreSQL 15, in a database of its
// own: shards recorded by separate processes at once, re-recording changes nothing, a store of
// the previous schema version is migrated, a foreign shard is refused, and the same runs read back
// from SQLite and PostgreSQL give the same summaries.
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <chrono>
#include <pqxx/pqxx>
#include <thread>

#include "history/history.hpp"
#include "history/schema.hpp"
#include "history/seal.hpp"
#include "history/summary.hpp"
#include "model/error.hpp"
#include "support.hpp"

using namespace opsbook;
using namespace opsbook::history;
using test::pg_admin;

namespace {

// A fresh database owned by the stack's admin role; its DSN.
struct Database {
  std::string name;
  std::string dsn;
  explicit Database(const std::string& tag) : name("opsbook_history_" + tag + "_" + std::to_string(::getpid())) {
    pg_admin("DROP DATABASE IF EXISTS " + name);
    pg_admin("CREATE DATABASE " + name + " OWNER shop_admin");
    std::string super = test::stack().at("OPSBOOK_PG_SUPER_DSN");
    dsn = super.substr(0, super.rfind('/') + 1) + name;
  }
  ~Database() {
    try {
      pg_admin("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
    } catch (...) {
    }
  }
  // Runs `sql` as the owner; the first row of the last result, fields joined by '|'.
  std::string query(const std::string& sql) const {
    pqxx::connection c(dsn);
    pqxx::work tx(c);
    pqxx::result r = tx.exec(sql);
    tx.commit();
    std::string out;
    for (pqxx::row_size_type i = 0; !r.empty() && i < r.columns(); ++i) out += (i ? "|" : "") + std::string(r[0][i].c_str());
    return out;
  }
};

ShardRecord shard(const std::string& run, unsigned index, unsigned count, size_t rows) {
  ShardRecord s;
  s.run_id = run;
  s.shard = index;
  s.shard_count = count;
  s.set_fingerprint = "f00d";
  s.env = "staging";
  s.started_at = "2026-01-01T10:00:0" + std::to_string(index) + "Z";
  for (size_t i = 0; i < rows; ++i) {
    s.results.push_back({"s" + std::to_string(index) + ".md", static_cast<int>(i + 1), "http", "", "http://a/\t\"q\"\\" + std::to_string(i), "status 2xx",
                         i % 3 ? "pass" : "fail", "status 200\nbody", 1.25});
  }
  s.findings.push_back({"s" + std::to_string(index) + ".md", 3, "live-http", "error", "answered 503, 'quoted'"});
  return s;
}

}  // namespace

TEST_CASE("history on PostgreSQL: 4 shards written at once by separate processes, read back exactly", "[live][history]") {
  Database db("shards");
  std::vector<pid_t> writers;
  for (unsigned i = 1; i <= 4; ++i) {
    pid_t pid = ::fork();
    if (pid == 0) {
      int code = 0;
      try {
        open_postgres(db.dsn)->record(shard("ci-1", i, 4, 2000));
      } catch (...) {
        code = 1;
      }
      ::_exit(code);
    }
    writers.push_back(pid);
  }
  for (pid_t w : writers) {
    int status = 0;
    ::waitpid(w, &status, 0);
    CHECK(WIFEXITED(status));
    CHECK(WEXITSTATUS(status) == 0);
  }
  auto store = open_postgres(db.dsn);
  CHECK(store->schema_version() == current_schema_version());
  auto runs = store->runs(5);
  REQUIRE(runs.size() == 1);
  CHECK(runs[0].complete());
  CHECK(runs[0].results == 8000);
  auto rows = store->checks("s2.md", 5);
  REQUIRE(rows.size() == 2000);
  CHECK(rows[0].row.target == "http://a/\t\"q\"\\0");  // COPY keeps tabs, quotes, backslashes
  CHECK(rows[0].row.detail == "status 200\nbody");
  CHECK(rows[0].row.outcome == "fail");
  CHECK(rows[1].row.latency_ms == 1.25);

  std::string before = db.query("SELECT count(*), md5(string_agg(r::text, ',' ORDER BY r::text)) FROM opsbook_results r") + db.query("SELECT count(*) FROM opsbook_findings");
  store->record(shard("ci-1", 2, 4, 2000));
  CHECK(db.query("SELECT count(*), md5(string_agg(r::text, ',' ORDER BY r::text)) FROM opsbook_results r") + db.query("SELECT count(*) FROM opsbook_findings") == before);
  CHECK_THROWS_AS(store->record(shard("ci-1", 1, 2, 1)), Error);
}

TEST_CASE("history on PostgreSQL: a store of schema version 1 is migrated, its rows kept", "[live][history]") {
  Database db("migrate");
  std::string v1 = "CREATE TABLE opsbook_schema (version INTEGER NOT NULL); INSERT INTO opsbook_schema VALUES (1);";
  for (std::string_view sql : migrations()[0]) v1 += std::string(sql) + ";";
  v1 += "INSERT INTO opsbook_runs VALUES ('old', '2025-12-01T00:00:00Z', 'staging', 1, 'f00d');"
        "INSERT INTO opsbook_shards VALUES ('old', 1, 'complete');"
        "INSERT INTO opsbook_results VALUES ('old', 1, 's1.md', 3, 'http', '', 'http://a/', 'status 2xx', 'pass', 'status 200', 2.0);";
  db.query(v1);
  auto store = open_postgres(db.dsn);
  CHECK(store->schema_version() == current_schema_version());
  store->record(shard("new", 1, 1, 3));
  // Version 4: rows written before runs were sealed are kept, and never count (history/seal).
  auto rows = store->checks("s1.md", 10);
  REQUIRE(rows.size() == 3);
  CHECK(rows.back().run_id == "new");
  auto runs = store->runs(10);
  REQUIRE(runs.size() == 2);
  CHECK(runs[1].run_id == "old");
  CHECK(runs[1].left_out == "unsealed");
  CHECK(store->left_out_note().starts_with("history: 1 run in the PostgreSQL history left out (1 not sealed by this machine's key"));
  // Version 3: a run's results are indexed by run, file and line, no longer by file.
  CHECK(db.query("SELECT string_agg(indexname, ' ' ORDER BY indexname) FROM pg_indexes WHERE tablename = 'opsbook_results'") ==
        "opsbook_results_by_run opsbook_results_by_shard");
}

namespace {

// Everything `history show` and the portal read of the summaries, one line per check.
std::string rendered(const std::vector<CheckSummary>& summaries) {
  std::string out;
  for (const auto& s : summaries) {
    const CheckRow& r = s.latest;
    out += s.env + "|" + r.file + ":" + std::to_string(r.line) + "|" + r.kind + "|" + r.snippet + "|" + r.target + "|" + r.expectation + "|" + r.detail + "|" +
           std::to_string(r.latency_ms) + "|" + s.latest_at + "|" + std::to_string(s.passed) + "/" + std::to_string(s.failed) + "|" + s.last_pass_at + "|";
    for (const auto& o : s.outcomes) out += o + ",";
    out += "\n";
  }
  return out;
}

// Runs with every shape the summaries tell apart: two environments, a static run, outcomes of
// each kind, a check documented on two lines, two files, two shards, and two runs that started in
// the same second (ordered by run id, bytewise: "run-9" before "run10").
std::vector<ShardRecord> varied_runs() {
  std::vector<ShardRecord> runs;
  const char* outcomes[] = {"pass", "fail", "skipped", "refused"};
  for (int k = 0; k < 12; ++k) {
    for (unsigned shard_index = 1; shard_index <= 2; ++shard_index) {
      ShardRecord s;
      s.run_id = k == 11 ? "run-9" : "run" + std::to_string(k);
      s.shard = shard_index;
      s.shard_count = 2;
      s.set_fingerprint = "f00d";
      s.env = k == 4 ? "" : k % 3 ? "staging" : "local";
      s.started_at = "2026-01-01T10:" + std::to_string(10 + std::min(k, 10)) + ":00Z";
      std::string file = shard_index == 1 ? "a.md" : "b/c.md";
      if (!s.env.empty()) {
        for (int i = 0; i < 5; ++i) {
          std::string outcome = outcomes[(k * 7 + i * 3 + static_cast<int>(shard_index)) % 4];
          s.results.push_back({file, 3 + i, i == 4 ? "doctest" : "http", i == 4 ? "probe" : "", "http://a/" + std::to_string(i % 3), "status 2xx", outcome,
                               "run " + std::to_string(k) + ", line " + std::to_string(3 + i), 0.5 * k});
        }
      }
      runs.push_back(std::move(s));
    }
  }
  return runs;
}

}  // namespace

TEST_CASE("history: SQLite and PostgreSQL summarize the same runs identically", "[live][history]") {
  Database db("both");
  test::TempDir dir;
  auto sqlite = open_sqlite((dir.path() / "h.sqlite").string());
  auto postgres = open_postgres(db.dsn);
  for (const auto& s : varied_runs()) {
    sqlite->record(s);
    postgres->record(s);
  }
  for (const std::string file : {"", "a.md", "b/c.md", "missing.md"}) {
    for (size_t last : {1, 3, 20}) {
      INFO(file << " over " << last << " runs");
      std::string from_sqlite = rendered(summarize(*sqlite, file, last));
      CHECK(from_sqlite == rendered(summarize(*postgres, file, last)));
      CHECK(from_sqlite == rendered(summarize(sqlite->checks(file, last))));  // the copied rows say the same
      if (file == "a.md" && last == 20) {
        CHECK(from_sqlite.find("run 10, line 3") != std::string::npos);  // run10 started last: its rows are the latest
        CHECK(from_sqlite.find("|doctest|probe|") != std::string::npos);
      }
    }
  }
  auto sqlite_runs = sqlite->runs(20), postgres_runs = postgres->runs(20);
  REQUIRE(sqlite_runs.size() == postgres_runs.size());
  for (size_t i = 0; i < sqlite_runs.size(); ++i) {
    CHECK(sqlite_runs[i].run_id == postgres_runs[i].run_id);
    CHECK(sqlite_runs[i].results == postgres_runs[i].results);
  }
  CHECK(sqlite_runs[0].run_id == "run10");
}

namespace {

// Why the list of runs says `run_id` is left out.
std::string left_out(Store& store, const std::string& run_id) {
  for (const RunInfo& r : store.runs(10)) {
    if (r.run_id == run_id) return r.left_out;
  }
  return "not listed";
}

}  // namespace

TEST_CASE("history on PostgreSQL: forged runs, edited results and runs on other environments never count (s7d review D6)", "[live][history][security]") {
  Database db("forged");
  auto store = open_postgres(db.dsn);
  store->trust_environments({"staging"});
  store->record(shard("real", 1, 2, 3));
  store->record(shard("real", 2, 2, 3));
  store->record(shard("good", 1, 1, 3));
  // A run of opsbook's exact schema with a seal copied from the real one, and its results.
  db.query("INSERT INTO opsbook_runs SELECT 'forged', '2026-01-01T10:00:09Z', env, 1, set_fingerprint, seal FROM opsbook_runs WHERE run_id = 'real';"
           "INSERT INTO opsbook_shards SELECT 'forged', 1, 'complete', seal FROM opsbook_shards WHERE run_id = 'real' AND shard = 1;"
           "INSERT INTO opsbook_results SELECT 'forged', 1, file, line, kind, snippet, target, expectation, 'pass', detail, latency_ms FROM opsbook_results"
           " WHERE run_id = 'real' AND shard = 1");
  // A result of a real run edited.
  db.query("UPDATE opsbook_results SET outcome = 'pass' WHERE run_id = 'real' AND shard = 2 AND line = (SELECT min(line) FROM opsbook_results WHERE run_id = 'real' AND shard = 2)");
  auto rows = store->checks("", 10);
  for (const auto& p : rows) CHECK(p.run_id == "good");
  CHECK(rows.size() == 3);
  CHECK(left_out(*store, "forged") == "unsealed");
  CHECK(left_out(*store, "real") == "unsealed");
  CHECK(left_out(*store, "good").empty());
  CHECK(store->left_out_note().starts_with("history: 2 runs in the PostgreSQL history left out (2 not sealed by this machine's key"));
  // Sealed, but on an environment opsbook.yaml does not have.
  auto other = open_postgres(db.dsn);
  other->trust_environments({"production"});
  CHECK(other->checks("", 10).empty());
  CHECK(left_out(*other, "good") == "environment");
}

namespace {

std::string refusal_pg(const std::string& dsn) {
  try {
    open_postgres(dsn);
  } catch (const Error& e) {
    return e.what();
  }
  return "";
}

}  // namespace

TEST_CASE("history on PostgreSQL: runs left out never take the place of runs that count (s9 review R7)", "[live][history][security]") {
  Database db("window");
  auto store = open_postgres(db.dsn);
  for (const char* run : {"r1", "r2", "r3"}) store->record(shard(run, 1, 1, 3));
  // 70 runs later than every real one, all passing, with seals of the attacker's making (more
  // than one batch of runs read).
  db.query("INSERT INTO opsbook_runs SELECT 'p' || i, '2026-02-01T00:00:' || lpad(i::text, 2, '0') || 'Z', 'staging', 1, 'f00d', 'bad' FROM generate_series(10, 79) i;"
           "INSERT INTO opsbook_shards SELECT 'p' || i, 1, 'complete', 'bad' FROM generate_series(10, 79) i;"
           "INSERT INTO opsbook_results SELECT 'p' || i, 1, 's1.md', 1, 'http', '', 'http://a/', 'status 2xx', 'pass', 'status 200', 1.0 FROM generate_series(10, 79) i");
  auto rows = store->checks("", 3);
  REQUIRE(rows.size() == 9);  // before the fix: none
  CHECK(rows.front().run_id == "r3");
  CHECK(rows.back().run_id == "r1");
  auto runs = store->runs(3);
  REQUIRE(runs.size() == 6);
  CHECK(store->runs_not_listed() == 67);
  CHECK(runs[3].run_id == "r3");
  CHECK(runs[5].run_id == "r1");
  CHECK(store->left_out_note().starts_with("history: 70 runs in the PostgreSQL history left out (70 not sealed by this machine's key"));
}

TEST_CASE("history on PostgreSQL: a shard outside 1..N is refused, a run is complete only with shards 1..N (s9 review R8)", "[live][history][security]") {
  Database db("shards");
  auto store = open_postgres(db.dsn);
  try {
    store->record(shard("r", 3, 2, 1));
    FAIL("no error");
  } catch (const Error& e) {
    CHECK(std::string(e.what()) ==
          "history: run 'r': shard 3/2 is not a shard (I/N with 1 <= I <= N): nothing was recorded; record the JSON reports of 'opsbook check --shard I/N'");
  }
  CHECK(db.query("SELECT count(*) FROM opsbook_runs") == "0");
  for (unsigned i : {1u, 2u, 3u}) store->record(shard("r", i, 4, 2));
  db.query("INSERT INTO opsbook_shards VALUES ('r', 5, 'complete', '')");
  auto runs = store->runs(10);
  REQUIRE(runs.size() == 1);
  CHECK(runs[0].shards_complete == 3);
  CHECK_FALSE(runs[0].complete());
}

TEST_CASE("history on PostgreSQL: history show reads runs and results in one snapshot, whatever a recorder commits between its statements (s9 review R9)",
          "[live][history]") {
  Database db("snapshot");
  auto store = open_postgres(db.dsn);
  ShardRecord before = shard("r", 1, 1, 3);
  for (auto& r : before.results) r.outcome = "fail";
  store->record(before);
  ShardRecord after = before;
  for (auto& r : after.results) r.outcome = "pass";
  // A recorder holds the results table while the reader has read the runs and waits for the results.
  pqxx::connection writer(db.dsn);
  pqxx::work tx(writer);
  tx.exec0("LOCK TABLE opsbook_results IN ACCESS EXCLUSIVE MODE");
  std::vector<PastCheck> rows;
  std::string failure;
  std::thread reader([&] {
    try {
      rows = store->checks("", 10);
    } catch (const std::exception& e) {
      failure = e.what();
    }
  });
  bool waiting = false;
  for (int i = 0; i < 300 && !waiting; ++i) {
    waiting = db.query("SELECT count(*) FROM pg_locks l JOIN pg_class c ON c.oid = l.relation WHERE NOT l.granted AND c.relname = 'opsbook_results'") == "1";
    if (!waiting) std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  CHECK(waiting);
  // Meanwhile it records the run again, with other outcomes and their own valid seal.
  tx.exec0("DELETE FROM opsbook_results WHERE run_id = 'r'");
  for (const auto& r : after.results) {
    tx.exec_params("INSERT INTO opsbook_results VALUES ('r', 1, $1, $2, $3, $4, $5, $6, $7, $8, $9)", r.file, r.line, r.kind, r.snippet, r.target, r.expectation,
                   r.outcome, r.detail, r.latency_ms);
  }
  tx.exec_params("UPDATE opsbook_shards SET seal = $1 WHERE run_id = 'r'", shard_seal(after));
  tx.commit();
  reader.join();
  INFO(failure);
  CHECK(failure.empty());
  // One state: the run as it was when the reader started (before the fix: its rows read after the
  // recorder's commit, against the shard seal read before it, and the run left out as forged).
  REQUIRE(rows.size() == 3);
  for (const auto& r : rows) CHECK(r.row.outcome == "fail");
  CHECK(store->left_out_note().empty());
  CHECK(store->checks("", 10).at(0).row.outcome == "pass");
}

TEST_CASE("history on PostgreSQL: opsbook_* tables that are not opsbook's, or of a newer opsbook, are refused and left as they are (s9 review R12)",
          "[live][history][hostile]") {
  const std::string elsewhere =
      ": it was left as it is; point history.dsn_env in opsbook.yaml at a database (or schema) of opsbook's own, or move the opsbook_* tables there away";
  SECTION("another program's table of the same name") {
    Database db("foreign");
    db.query("CREATE TABLE opsbook_runs (id INTEGER, owner TEXT); INSERT INTO opsbook_runs VALUES (1, 'ada')");
    CHECK(refusal_pg(db.dsn) == "history: the PostgreSQL database is not opsbook's history (it holds opsbook_runs.id integer and no opsbook_schema.version integer)" +
                                    elsewhere);
    CHECK(db.query("SELECT count(*) FROM information_schema.tables WHERE table_name LIKE 'opsbook%'") == "1");
    CHECK(db.query("SELECT owner FROM opsbook_runs") == "ada");
  }
  SECTION("a column of its own") {
    Database db("column");
    open_postgres(db.dsn)->record(shard("r", 1, 1, 2));
    db.query("ALTER TABLE opsbook_results ADD COLUMN forged TEXT DEFAULT 'pass'");
    CHECK(refusal_pg(db.dsn) == "history: the PostgreSQL database is not opsbook's history (it holds column opsbook_results.forged text that opsbook's schema version " +
                                    std::to_string(current_schema_version()) + " does not)" + elsewhere);
  }
  SECTION("a newer schema version") {
    Database db("newer");
    open_postgres(db.dsn)->record(shard("r", 1, 1, 2));
    db.query("UPDATE opsbook_schema SET version = 99");
    CHECK(refusal_pg(db.dsn) == "history: the PostgreSQL database was made by a newer opsbook (schema version 99; this opsbook reads up to " +
                                    std::to_string(current_schema_version()) +
                                    "): it was left as it is; record and show it with that opsbook or a newer one, or give this one a history of its own "
                                    "(history.dsn_env naming another database in opsbook.yaml)");
    CHECK(db.query("SELECT version FROM opsbook_schema") == "99");
    CHECK(db.query("SELECT count(*) FROM opsbook_results") == "2");
  }
}

// s10b review B4: a planted run row with shard_count -1 made `history show` fail with a
// conversion error naming no row (and build lose every badge); a VIEW with opsbook's columns
// that calls pg_sleep passed the column check and stalled build; a LOCK TABLE made it wait as
// long as the lock was held.
TEST_CASE("history on PostgreSQL: a planted shard count is left out, views are refused, a held lock is an error in seconds (s10b B4)", "[live][history][hostile]") {
  SECTION("a shard count out of range") {
    Database db("count");
    auto store = open_postgres(db.dsn);
    store->record(shard("r1", 1, 1, 3));
    db.query("INSERT INTO opsbook_runs VALUES ('p1', '2026-02-01T00:00:00Z', 'staging', -1, 'f00d', 'bad')");
    auto runs = store->runs(5);
    REQUIRE(runs.size() == 2);
    CHECK(runs[0].run_id == "p1");
    CHECK(runs[0].left_out == "unsealed");
    CHECK(runs[1].run_id == "r1");
    CHECK(runs[1].left_out.empty());
    CHECK(store->checks("", 5).size() == 3);
  }
  SECTION("a view in place of a table") {
    Database db("view");
    open_postgres(db.dsn)->record(shard("r", 1, 1, 2));
    db.query("ALTER TABLE opsbook_results RENAME TO real_results;"
             "CREATE VIEW opsbook_results AS SELECT * FROM real_results WHERE pg_sleep(0.01) IS NOT NULL");
    CHECK(refusal_pg(db.dsn) ==
          "history: the PostgreSQL database is not opsbook's history (opsbook_results is a view, not a table opsbook made): it was left as it is; point "
          "history.dsn_env in opsbook.yaml at a database (or schema) of opsbook's own, or move the opsbook_* tables there away");
  }
  SECTION("row-level security whose policy sleeps (s10c B13)") {
    Database db("policy");
    open_postgres(db.dsn)->record(shard("r", 1, 1, 2));
    db.query("ALTER TABLE opsbook_runs ENABLE ROW LEVEL SECURITY; ALTER TABLE opsbook_runs FORCE ROW LEVEL SECURITY;"
             "CREATE POLICY p ON opsbook_runs USING (pg_sleep(0.01) IS NOT NULL)");
    CHECK(refusal_pg(db.dsn) ==
          "history: the PostgreSQL database is not opsbook's history (opsbook_runs has row-level security or rules, which opsbook never sets): it was left as "
          "it is; point history.dsn_env in opsbook.yaml at a database (or schema) of opsbook's own, or move the opsbook_* tables there away");
  }
  SECTION("a lock held by another session") {
    Database db("lock");
    auto store = open_postgres(db.dsn);
    store->record(shard("r", 1, 1, 2));
    pqxx::connection holder(db.dsn);
    pqxx::work tx(holder);
    tx.exec0("LOCK TABLE opsbook_runs IN ACCESS EXCLUSIVE MODE");
    auto start = std::chrono::steady_clock::now();
    std::string error;
    try {
      store->runs(5);
    } catch (const Error& e) {
      error = e.what();
    }
    double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    CHECK(error.find("history (PostgreSQL): ") == 0);
    CHECK(error.find("lock timeout") != std::string::npos);
    CHECK(seconds < 15);  // a bound, not a timing: without lock_timeout it waits for ever
  }
}

// s10b review B5: the seals of shards and results were checked only for the runs with an
// environment whose checks were read; the list of runs took its counts and completeness from SQL.
TEST_CASE("history on PostgreSQL: a shard and results planted in a static run leave it out, its figures only from sealed rows (s10b B5)", "[live][history][security]") {
  Database db("static");
  auto store = open_postgres(db.dsn);
  ShardRecord s = shard("R1", 1, 2, 0);
  s.env = "";
  store->record(s);
  auto runs = store->runs(5);
  REQUIRE(runs.size() == 1);
  CHECK(runs[0].left_out.empty());
  CHECK(runs[0].shards_complete == 1);
  db.query("INSERT INTO opsbook_shards VALUES ('R1', 2, 'complete', 'junk');"
           "INSERT INTO opsbook_results SELECT 'R1', 2, 's2.md', i, 'http', '', 'x', 'y', 'pass', 'z', 1.0 FROM generate_series(1, 3) i");
  runs = open_postgres(db.dsn)->runs(5);
  REQUIRE(runs.size() == 1);
  CHECK(runs[0].left_out == "unsealed");  // before the fix: it counted, complete, with 3 results
  CHECK(runs[0].shards_complete == 1);    // the sealed one
  CHECK(runs[0].results == 0);
}

TEST_CASE("history show on PostgreSQL: a static run with a planted shard is listed LEFT OUT, without its forged figures (s10b B5)", "[live][history][security][cli]") {
  Database db("show");
  ::setenv("OPSBOOK_TEST_HISTORY_DSN", db.dsn.c_str(), 1);
  test::TempDir dir;
  std::string config = (dir.path() / "opsbook.yaml").string();
  test::write_file(config, "default_env: local\nenvironments:\n  local:\n    allow_hosts: [127.0.0.1]\nhistory: {dsn_env: OPSBOOK_TEST_HISTORY_DSN}\n");
  test::write_file(dir.path() / "docs/a.md", "# A\n\n- `curl http://127.0.0.1:9/healthz`\n");
  auto opsbook = [&](std::vector<std::string> args) {
    args.insert(args.begin(), {"--config", config});
    return test::run_opsbook(args, dir.path().string());
  };
  auto recorded = opsbook({"check", "--shard", "1/2", "--record", "--run-id", "R1", "docs"});
  INFO(recorded.err);
  REQUIRE(recorded.exit_code == 0);
  CHECK(opsbook({"history", "show"}).out.find("  R1  static  0 live results, INCOMPLETE: 1 of 2 shards recorded\n") != std::string::npos);
  db.query("INSERT INTO opsbook_shards VALUES ('R1', 2, 'complete', 'junk');"
           "INSERT INTO opsbook_results SELECT 'R1', 2, 'docs/a.md', i, 'http', '', 'x', 'y', 'pass', 'z', 1.0 FROM generate_series(3, 5) i");
  auto show = opsbook({"history", "show"});
  INFO(show.out << show.err);
  CHECK(show.exit_code == 0);
  CHECK(show.out.starts_with("last 0 runs, newest first (1 run left out among them):\n"));
  CHECK(show.out.find("  R1  static  LEFT OUT: not sealed here\n") != std::string::npos);  // before the fix: "3 live results, complete"
  CHECK(show.err ==
        "opsbook: note: history: 1 run in the PostgreSQL history left out (1 not sealed by this machine's key (written or edited by something else than opsbook "
        "here, or recorded before opsbook sealed history rows)): they never count as verified; record again with 'opsbook check --live --record' (a shared "
        "store needs the same OPSBOOK_CACHE_KEY on every machine)\n");
  ::unsetenv("OPSBOOK_TEST_HISTORY_DSN");
}

TEST_CASE("history on PostgreSQL: schema version 4 is migrated to 5 with its sealed rows counted, and a forged digest leaves its run out (s11b review B3)",
          "[live][history][security]") {
  Database db("digest");
  ShardRecord old = shard("old", 1, 1, 3);
  std::string v4 = "CREATE TABLE opsbook_schema (version INTEGER NOT NULL); INSERT INTO opsbook_schema VALUES (4);";
  for (size_t v = 0; v < 4; ++v) {
    for (std::string_view sql : migrations()[v]) v4 += std::string(sql) + ";";
  }
  pqxx::connection c(db.dsn);
  {
    pqxx::work tx(c);
    tx.exec(v4);
    tx.exec_params("INSERT INTO opsbook_runs VALUES ('old', $1, 'staging', 1, 'f00d', $2)", old.started_at, run_seal("old", old.started_at, "staging", 1, "f00d"));
    tx.exec_params("INSERT INTO opsbook_shards VALUES ('old', 1, 'complete', $1)", shard_seal(old));
    for (const CheckRow& r : old.results) {
      tx.exec_params("INSERT INTO opsbook_results VALUES ('old', 1, $1, $2, $3, $4, $5, $6, $7, $8, $9)", r.file, r.line, r.kind, r.snippet, r.target, r.expectation,
                     r.outcome, r.detail, r.latency_ms);
    }
    tx.commit();
  }
  auto store = open_postgres(db.dsn);
  CHECK(store->schema_version() == 5);
  auto rows = store->checks("s1.md", 10);
  REQUIRE(rows.size() == 3);
  for (const auto& p : rows) CHECK(p.row.digest.empty());
  CHECK(store->left_out_note().empty());
  // A run with digests, read back; then its digest forged: the run is left out.
  ShardRecord now = shard("new", 1, 1, 3);
  now.started_at = "2026-01-02T10:00:00Z";
  for (auto& r : now.results) r.digest = "0123456789abcdef0123456789abcdef";
  store->record(now);
  rows = store->checks("s1.md", 1);
  REQUIRE(rows.size() == 3);
  CHECK(rows[0].run_id == "new");
  CHECK(rows[0].row.digest == "0123456789abcdef0123456789abcdef");
  db.query("UPDATE opsbook_results SET digest = 'ffffffffffffffffffffffffffffffff' WHERE run_id = 'new' AND line = 1");
  auto reread = open_postgres(db.dsn);
  rows = reread->checks("s1.md", 5);
  for (const auto& p : rows) CHECK(p.run_id == "old");
  bool left_out = false;
  for (const RunInfo& r : reread->runs(5)) left_out |= r.run_id == "new" && r.left_out == "unsealed";
  CHECK(left_out);
}

TEST_CASE("history on PostgreSQL: check --live --record, then build after an edit: the history verifies the checked text only (s11b review B3)",
          "[live][history][security]") {
  Database db("badge");
  test::TempDir dir;
  int port = 0;
  int listening = test::listen_on_loopback(port);
  std::string nc = "nc -z 127.0.0.1 " + std::to_string(port);
  ::setenv("OPSBOOK_TEST_HISTORY_BADGE_DSN", db.dsn.c_str(), 1);
  test::write_file(dir.path() / "opsbook.yaml",
                   "default_env: local\nenvironments:\n  local:\n    allow_hosts: [127.0.0.1]\nhistory:\n  dsn_env: OPSBOOK_TEST_HISTORY_BADGE_DSN\n");
  auto write = [&](const std::vector<std::string>& blocks) {
    std::string text = "# S\n\n## Svc\n\n";
    for (const auto& b : blocks) text += "```bash\n" + b + "\n```\n\n";
    test::write_file(dir.path() / "content/s.md", text);
  };
  auto build = [&] {
    auto r = test::run_opsbook({"build", "-o", "site", "content", "--no-report"}, dir.path().string());
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    return test::read_file((dir.path() / "site/runbooks/s.html").string());
  };
  auto beside = [](const std::string& page, const std::string& id) {
    size_t from = page.find("data-snippet=\"" + id + "\"");
    REQUIRE(from != std::string::npos);
    return page.substr(from, page.find("class=\"copy\"", from) - from);
  };
  write({nc});
  auto check = test::run_opsbook({"check", "--live", "--no-shell", "--retries", "0", "--record", "content"}, dir.path().string());
  INFO(check.err);
  REQUIRE(check.exit_code == 0);
  ::close(listening);
  CHECK(db.query("SELECT length(digest) FROM opsbook_results") == "32");
  std::string page = build();
  CHECK(beside(page, "svc-1").find("history: verified on local") != std::string::npos);
  CHECK(page.find("status-verified\">verified on local at ") != std::string::npos);
  write({"kubectl delete namespace prod --wait=false", nc});
  page = build();
  CHECK(beside(page, "svc-1").find("history:") == std::string::npos);
  CHECK(beside(page, "svc-2").find("history: verified on local") != std::string::npos);
  write({"curl -X DELETE http://127.0.0.1:" + std::to_string(port) + "/data; rm -rf /srv/data"});
  page = build();
  CHECK(beside(page, "svc-1").find("history: verified") == std::string::npos);
  CHECK(beside(page, "svc-1").find("history: changed since verified on local") != std::string::npos);
  CHECK(page.find("status-verified") == std::string::npos);
  ::unsetenv("OPSBOOK_TEST_HISTORY_BADGE_DSN");
}
