// Promise (docs/SECURITY.md "Check history"): rows of the history that opsbook did not write here
// never decide "verified", in `history show` or in the portal (s7d review D6, s7c B1(c)). A file
// with opsbook's exact schema and forged rows, a real run edited, a run dated in the future or on
// an environment opsbook.yaml does not have: left out, with one note.
#include <sqlite3.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "support.hpp"

using namespace opsbook;
using test::run_opsbook;
namespace fs = std::filesystem;

namespace {

void sql(const std::string& path, const std::string& statements) {
  sqlite3* db = nullptr;
  REQUIRE(sqlite3_open(path.c_str(), &db) == SQLITE_OK);
  char* err = nullptr;
  int rc = sqlite3_exec(db, statements.c_str(), nullptr, nullptr, &err);
  std::string why = err ? err : "";
  sqlite3_free(err);
  sqlite3_close(db);
  INFO(why);
  REQUIRE(rc == SQLITE_OK);
}

struct Checkout {
  test::TempDir dir;
  std::string config = (dir.path() / "opsbook.yaml").string();
  std::string db = (dir.path() / ".opsbook/history.sqlite").string();
  std::string rb = "docs/a.md";  // as the report names it
  Checkout() {
    test::write_file(config, "default_env: local\nenvironments:\n  local:\n    allow_hosts: [127.0.0.1]\n");
    test::write_file(dir.path() / rb, "# A\n\n- `curl http://127.0.0.1:9/healthz`\n");
  }
  test::RunResult opsbook(std::vector<std::string> args) const {
    args.insert(args.begin(), {"--config", config});
    return run_opsbook(args, dir.path().string());
  }
  std::string page() const { return test::read_file((dir.path() / "site/runbooks/a.html").string()); }
};

constexpr const char* k_unsealed_note =
    " left out (%s): they never count as verified; record again with 'opsbook check --live --record' (a shared store needs the same "
    "OPSBOOK_CACHE_KEY on every machine)\n";

std::string note(const std::string& where, const std::string& count, const std::string& why) {
  std::string tail = k_unsealed_note;
  tail.replace(tail.find("%s"), 2, why);
  return "opsbook: note: history: " + count + " in " + where + tail;
}

// The JSON report of `check --live` on the checkout (written to `report`), its failure turned
// into a pass: recorded by `history record`, opsbook seals it as any report.
nlohmann::json passing_report(const Checkout& c, const std::string& report) {
  c.opsbook({"check", "--live", "--retries", "0", "--format", "json", "-o", report, "docs"});
  auto json = nlohmann::json::parse(test::read_file(report));
  json["results"][0]["outcome"] = "pass";
  return json;
}

const std::string k_not_sealed = "not sealed by this machine's key (written or edited by something else than opsbook here, or recorded before opsbook sealed history rows)";

}  // namespace

TEST_CASE("history: forged rows in a file of opsbook's exact schema never count as verified (s7d review D6, s7c B1(c))", "[cli][history][security]") {
  Checkout c;
  auto real = c.opsbook({"check", "--live", "--retries", "0", "--record", "--run-id", "real-1", "docs"});
  INFO(real.err);
  REQUIRE(real.exit_code == 1);  // the real result: FAIL
  // The reviewer's forgery: a run dated in the future on an environment opsbook.yaml does not
  // have, and one dated now on local, with a seal copied from the real run; each with a pass.
  sql(c.db,
      "INSERT INTO opsbook_runs SELECT 'r2'||char(27)||'[2KFAKE', '2099-01-01T00:00:00Z', 'local'||char(27)||']0;pwned'||char(7), 1, set_fingerprint, seal FROM opsbook_runs;"
      "INSERT INTO opsbook_runs SELECT 'zz-forged', started_at, env, 1, set_fingerprint, seal FROM opsbook_runs WHERE run_id = 'real-1';"
      "INSERT INTO opsbook_shards SELECT r.run_id, 1, 'complete', s.seal FROM opsbook_runs r, opsbook_shards s WHERE r.run_id <> 'real-1';"
      "INSERT INTO opsbook_results SELECT r.run_id, 1, x.file, x.line, x.kind, x.snippet, x.target, x.expectation, 'pass', 'status 200', 1.0, x.digest"
      " FROM opsbook_runs r, opsbook_results x WHERE r.run_id <> 'real-1';");
  REQUIRE(c.opsbook({"check", "--live", "--retries", "0", "--record", "--run-id", "real-2", "docs"}).exit_code == 1);
  auto show = c.opsbook({"history", "show"});
  CHECK(show.exit_code == 0);
  CHECK(show.out.find("  zz-forged  local  LEFT OUT: not sealed here\n") != std::string::npos);
  CHECK(show.out.find("  LEFT OUT: not sealed here\n  20") != std::string::npos);  // the run of 2099, first
  CHECK(show.err == note(c.db, "2 runs", "2 " + k_not_sealed));
  auto one = c.opsbook({"history", "show", c.rb});
  INFO(one.out << one.err);
  CHECK(one.out.find("  newest first: FF\n") != std::string::npos);
  CHECK(one.out.find("last pass not in these runs") != std::string::npos);
  auto build = c.opsbook({"build", "-o", "site", "--no-report", "docs"});
  CHECK(build.err.find(note(c.db, "2 runs", "2 " + k_not_sealed)) != std::string::npos);
  CHECK(c.page().find("status-verified") == std::string::npos);
  CHECK(c.page().find("2099") == std::string::npos);

  // A real run edited: its failure turned into a pass, or removed and a pass row added.
  sql(c.db, "UPDATE opsbook_results SET outcome = 'pass' WHERE run_id = 'real-2'; DELETE FROM opsbook_results WHERE run_id = 'real-1';"
            "INSERT INTO opsbook_results SELECT 'real-1', shard, file, line, kind, snippet, target, expectation, outcome, detail, latency_ms, digest FROM opsbook_results WHERE run_id = 'real-2'");
  one = c.opsbook({"history", "show", c.rb});
  CHECK(one.out == c.rb + ": no live checks recorded in the last 20 runs (the path as the report names it)\n");
  CHECK(one.err == note(c.db, "4 runs", "4 " + k_not_sealed));
  auto listed = c.opsbook({"history", "show"});  // their run rows are sealed, their results are not
  CHECK(listed.out.find("  real-1  local  LEFT OUT: not sealed here\n") != std::string::npos);
  CHECK(listed.out.find("  real-2  local  LEFT OUT: not sealed here\n") != std::string::npos);
  REQUIRE(c.opsbook({"build", "-o", "site", "--no-report", "docs"}).exit_code == 0);
  CHECK(c.page().find("status-verified") == std::string::npos);
}

TEST_CASE("history: a run opsbook sealed counts only when it starts by now and on an environment of opsbook.yaml", "[cli][history][security]") {
  Checkout c;
  std::string report = (c.dir.path() / "report.json").string();
  auto json = passing_report(c, report);
  json["generated_at"] = "2099-01-01T00:00:00Z";
  test::write_file(report, json.dump());
  REQUIRE(c.opsbook({"history", "record", "--run-id", "future", report}).exit_code == 0);
  json["generated_at"] = "2026-01-01T00:00:00Z";
  json["env"] = "qa";
  test::write_file(report, json.dump());
  REQUIRE(c.opsbook({"history", "record", "--run-id", "elsewhere", report}).exit_code == 0);
  auto show = c.opsbook({"history", "show"});
  CHECK(show.out.find("  2099-01-01T00:00:00Z  future  local  1 live results, complete; LEFT OUT: dated in the future\n") != std::string::npos);
  CHECK(show.out.find("  2026-01-01T00:00:00Z  elsewhere  qa  1 live results, complete; LEFT OUT: not an environment of opsbook.yaml\n") != std::string::npos);
  CHECK(show.err == note(c.db, "2 runs", "1 dated in the future, 1 on an environment opsbook.yaml does not have"));
  REQUIRE(c.opsbook({"build", "-o", "site", "--no-report", "docs"}).exit_code == 0);
  CHECK(c.page().find("status-verified") == std::string::npos);
  // The same pass, on local and dated in the past: verified.
  json["env"] = "local";
  test::write_file(report, json.dump());
  REQUIRE(c.opsbook({"history", "record", "--run-id", "good", report}).exit_code == 0);
  auto built = c.opsbook({"build", "-o", "site", "--no-report", "docs"});
  INFO(built.err << c.page());
  CHECK(c.page().find("verified on local at 2026-01-01T00:00:00Z") != std::string::npos);
}

TEST_CASE("history: a run planted under the id CI will record is refused, never kept in place of the real one (s8c review R3)", "[cli][history][security]") {
  Checkout c;
  REQUIRE(c.opsbook({"check", "--live", "--retries", "0", "--record", "--run-id", "ci-1", "docs"}).exit_code == 1);
  // The pull request plants the next build number's run, passing, with a seal it cannot make.
  sql(c.db,
      "INSERT INTO opsbook_runs SELECT 'ci-2', started_at, env, shard_count, set_fingerprint, 'a' || substr(seal, 2) FROM opsbook_runs WHERE run_id = 'ci-1';"
      "INSERT INTO opsbook_shards SELECT 'ci-2', shard, 'complete', seal FROM opsbook_shards WHERE run_id = 'ci-1';"
      "INSERT INTO opsbook_results SELECT 'ci-2', shard, file, line, kind, snippet, target, expectation, 'pass', 'status 200', 1.0, digest FROM opsbook_results WHERE run_id = 'ci-1';");
  auto ci = c.opsbook({"check", "--live", "--retries", "0", "--record", "--run-id", "ci-2", "docs"});
  INFO(ci.err);
  CHECK(ci.exit_code == 2);
  CHECK(ci.err.find("history: run ci-2 is already in the history, but not sealed with this machine's key (a row a pull request planted under this id, or a job "
                    "with another OPSBOOK_CACHE_KEY): nothing was recorded; record under another --run-id, or give the jobs that share the history one "
                    "OPSBOOK_CACHE_KEY") != std::string::npos);
  auto one = c.opsbook({"history", "show", c.rb});
  CHECK(one.out.find("newest first: F\n") != std::string::npos);  // the planted pass never counts
}

TEST_CASE("history: runs left out never take the window's place: 22 planted runs dated after the real one hide nothing (s9 review R7)", "[cli][history][security]") {
  Checkout c;
  REQUIRE(c.opsbook({"check", "--live", "--retries", "0", "--record", "--run-id", "real", "docs"}).exit_code == 1);  // the real outcome: FAIL
  std::string plant;
  for (int i = 10; i < 32; ++i) {
    std::string id = "'late-" + std::to_string(i) + "'";
    plant += "INSERT INTO opsbook_runs SELECT " + id + ", '2099-01-01T00:00:" + std::to_string(i) + "Z', env, 1, set_fingerprint, 'forged' FROM opsbook_runs WHERE run_id = 'real';"
             "INSERT INTO opsbook_shards VALUES (" + id + ", 1, 'complete', 'forged');"
             "INSERT INTO opsbook_results SELECT " + id + ", 1, file, line, kind, snippet, target, expectation, 'pass', 'status 200', 1.0, digest FROM opsbook_results"
             " WHERE run_id = 'real';";
  }
  sql(c.db, plant);
  auto one = c.opsbook({"history", "show", c.rb, "--last", "1"});
  INFO(one.out << one.err);
  CHECK(one.out.find("  newest first: F\n") != std::string::npos);  // before the fix: "no live checks recorded in the last 1 runs"
  CHECK(one.err == note(c.db, "22 runs", "22 " + k_not_sealed));
  auto runs = c.opsbook({"history", "show", "--last", "1"});
  INFO(runs.out);
  CHECK(runs.out.starts_with("last 1 run, newest first (22 runs left out among them):\n"
                             "  2099-01-01T00:00:31Z  late-31  local  LEFT OUT: not sealed here\n"));
  CHECK(runs.out.find("  real  local  1 live results, complete\n  ... and 21 more runs left out, not listed\n") != std::string::npos);
  CHECK(runs.err == note(c.db, "22 runs", "22 " + k_not_sealed));
  // The portal's window too: the real failure shows, no planted pass.
  REQUIRE(c.opsbook({"build", "-o", "site", "--no-report", "docs"}).exit_code == 0);
  CHECK(c.page().find("failed in its last run") != std::string::npos);
}

TEST_CASE("history: an old passing run retyped as an SQLite BLOB is left out, never pinned as the newest (s9b review R2)", "[cli][history][security]") {
  Checkout c;
  std::string report = (c.dir.path() / "report.json").string();
  auto json = passing_report(c, report);
  json["generated_at"] = "2026-01-01T00:00:00Z";
  test::write_file(report, json.dump());
  REQUIRE(c.opsbook({"history", "record", "--run-id", "old-pass", report}).exit_code == 0);
  REQUIRE(c.opsbook({"check", "--live", "--retries", "0", "--record", "--run-id", "new-fail", "docs"}).exit_code == 1);
  // The same bytes (every seal holds), another storage class: SQLite sorts a BLOB after all text.
  sql(c.db, "UPDATE opsbook_runs SET started_at = CAST(started_at AS BLOB) WHERE run_id = 'old-pass'");
  auto one = c.opsbook({"history", "show", c.rb});
  INFO(one.out << one.err);
  CHECK(one.out.find("  newest first: F\n") != std::string::npos);  // before the fix: "PF", "last pass on local at 2026-01-01T00:00:00Z"
  CHECK(one.out.find("last pass not in these runs") != std::string::npos);
  CHECK(one.err == note(c.db, "1 run", "1 " + k_not_sealed));
  auto last = c.opsbook({"history", "show", "--last", "1"});
  INFO(last.out);
  CHECK(last.out.starts_with("last 1 run, newest first (1 run left out among them):\n"
                             "  2026-01-01T00:00:00Z  old-pass  local  LEFT OUT: not sealed here\n"));
  CHECK(last.out.find("  new-fail  local  1 live results, complete\n") != std::string::npos);
  auto build = c.opsbook({"build", "-o", "site", "--no-report", "docs"});
  REQUIRE(build.exit_code == 0);
  CHECK(build.err.find(note(c.db, "1 run", "1 " + k_not_sealed)) != std::string::npos);
  CHECK(c.page().find("status-verified") == std::string::npos);
  CHECK(c.page().find("failed in its last run") != std::string::npos);
}

// s10b review B5: the seals of shards and results were checked only for runs with an environment
// (when their checks were read); the list of runs took its counts and completeness from SQL.
TEST_CASE("history: a shard or results planted in a static run leave it out: never counted, never complete (s10b review B5)", "[cli][history][security]") {
  for (const char* into : {"2", "1"}) {
    Checkout c;
    INFO("results planted into shard " << into);
    REQUIRE(c.opsbook({"check", "--shard", "1/2", "--record", "--run-id", "R1", "docs"}).exit_code == 0);
    auto before = c.opsbook({"history", "show"});
    CHECK(before.out.find("  R1  static  0 live results, INCOMPLETE: 1 of 2 shards recorded\n") != std::string::npos);
    CHECK(before.err.empty());
    std::string rows;
    for (int line = 3; line < 6; ++line) rows += std::string(rows.empty() ? "" : ",") + "('R1', " + into + ", 'docs/a.md', " + std::to_string(line) + ", 'http', '', 'x', 'y', 'pass', 'z', 1.0, '')";
    sql(c.db, "INSERT OR IGNORE INTO opsbook_shards VALUES ('R1', 2, 'complete', 'junk'); INSERT INTO opsbook_results VALUES " + rows);
    auto show = c.opsbook({"history", "show"});
    INFO(show.out << show.err);
    CHECK(show.exit_code == 0);
    // Before the fix: "R1  static  3 live results, complete", no note.
    CHECK(show.out.starts_with("last 0 runs, newest first (1 run left out among them):\n"));
    CHECK(show.out.find("  R1  static  LEFT OUT: not sealed here\n") != std::string::npos);
    CHECK(show.out.find("live results") == std::string::npos);
    CHECK(show.err == note(c.db, "1 run", "1 " + k_not_sealed));
  }
}

// A live run left out shows none of its forged figures.
TEST_CASE("history: the list of runs shows no figure of a live run whose shard was planted (s10b review B5)", "[cli][history][security]") {
  Checkout c;
  REQUIRE(c.opsbook({"check", "--live", "--retries", "0", "--shard", "1/2", "--record", "--run-id", "L1", "docs"}).exit_code == 1);
  REQUIRE(c.opsbook({"check", "--live", "--retries", "0", "--record", "--run-id", "L2", "docs"}).exit_code == 1);
  sql(c.db, "INSERT INTO opsbook_shards VALUES ('L1', 2, 'complete', 'junk');"
            "INSERT INTO opsbook_results SELECT 'L1', 2, file, line + 1, kind, snippet, target, expectation, 'pass', detail, latency_ms, digest FROM opsbook_results WHERE run_id = 'L1'");
  auto show = c.opsbook({"history", "show", "--last", "2"});
  INFO(show.out << show.err);
  CHECK(show.out.starts_with("last 1 run, newest first (1 run left out among them):\n"));
  CHECK(show.out.find("  L2  local  1 live results, complete\n") != std::string::npos);
  CHECK(show.out.find("  L1  local  LEFT OUT: not sealed here\n") != std::string::npos);  // before the fix: "2 live results, complete; LEFT OUT"
  CHECK(show.err == note(c.db, "1 run", "1 " + k_not_sealed));
}

// s10b review B11: trust was kept by run id text, so a BLOB twin of a real run's id (left out)
// made the real run "LEFT OUT: not sealed here" in the list, though its results still counted.
TEST_CASE("history: a BLOB twin of a real run's id is left out alone: the real run still counts (s10b review B11)", "[cli][history][security]") {
  Checkout c;
  REQUIRE(c.opsbook({"check", "--live", "--retries", "0", "--record", "--run-id", "real", "docs"}).exit_code == 1);
  sql(c.db, "INSERT INTO opsbook_runs SELECT CAST(run_id AS BLOB), started_at, env, shard_count, set_fingerprint, seal FROM opsbook_runs WHERE run_id = 'real'");
  for (int twice = 0; twice < 2; ++twice) {  // the list alone, then after the checks were read
    auto show = twice ? c.opsbook({"history", "show"}) : c.opsbook({"history", "show", "--last", "2"});
    INFO(show.out << show.err);
    CHECK(show.out.starts_with("last 1 run, newest first (1 run left out among them):\n"));  // before the fix: "last 0 runs"
    CHECK(show.out.find("  real  local  1 live results, complete\n") != std::string::npos);
    CHECK(show.out.find("  real  local  LEFT OUT: not sealed here\n") != std::string::npos);
    CHECK(show.err == note(c.db, "1 run", "1 " + k_not_sealed));
  }
  auto one = c.opsbook({"history", "show", c.rb});
  CHECK(one.out.find("  newest first: F\n") != std::string::npos);
}
