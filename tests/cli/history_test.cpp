// opsbook history and check --record with the real binary and a real SQLite file: shards recorded
// at once by separate processes make one complete run, a recorder killed halfway leaves its run
// marked incomplete (and recording again completes it), and `history show` says what a person
// needs: last outcome, pass rate, last pass, flaky.
#include <fcntl.h>
#include <sqlite3.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <filesystem>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <thread>

#include "support.hpp"

using namespace opsbook;
using nlohmann::json;
using test::run_opsbook;
namespace fs = std::filesystem;

namespace {

// opsbook in the background, its output discarded or its stderr written to `err_path`; its pid.
pid_t spawn_opsbook(const std::vector<std::string>& args, const std::string& err_path = "/dev/null") {
  pid_t pid = ::fork();
  if (pid == 0) {
    int null = ::open("/dev/null", O_WRONLY);
    int err = ::open(err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    ::dup2(null, 1);
    ::dup2(err, 2);
    std::vector<std::string> copy = args;
    std::vector<char*> argv;
    std::string bin = OPSBOOK_BINARY;
    argv.push_back(bin.data());
    for (auto& a : copy) argv.push_back(a.data());
    argv.push_back(nullptr);
    ::execv(bin.c_str(), argv.data());
    ::_exit(127);
  }
  return pid;
}

// The state of a shard in the SQLite history, read directly (fast enough to catch a writer
// mid-way); "" while there is none.
std::string shard_state(const std::string& db_path, const std::string& run) {
  sqlite3* db = nullptr;
  std::string state;
  if (sqlite3_open_v2(db_path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK) {
    sqlite3_stmt* q = nullptr;
    std::string sql = "SELECT state FROM opsbook_shards WHERE run_id = '" + run + "'";
    if (sqlite3_prepare_v2(db, sql.c_str(), -1, &q, nullptr) == SQLITE_OK && sqlite3_step(q) == SQLITE_ROW) {
      state = reinterpret_cast<const char*>(sqlite3_column_text(q, 0));
    }
    sqlite3_finalize(q);
  }
  sqlite3_close(db);
  return state;
}

int wait_exit(pid_t pid) {
  int status = 0;
  ::waitpid(pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

// A folder with opsbook.yaml and 8 runbooks, each curling a closed loopback port (fails at once).
struct Project {
  test::TempDir dir;
  std::string config;
  Project() {
    config = (dir.path() / "opsbook.yaml").string();
    test::write_file(config, "default_env: local\nenvironments:\n  local:\n    allow_hosts: [127.0.0.1]\n");
    for (int i = 0; i < 8; ++i) {
      test::write_file(dir.path() / "docs" / ("r" + std::to_string(i) + ".md"),
                       "# R" + std::to_string(i) + "\n\n- `curl http://127.0.0.1:9/r" + std::to_string(i) + "`\n- `curl http://127.0.0.1:9/shared`\n");
    }
  }
  std::string docs() const { return (dir.path() / "docs").string(); }
  std::string report(unsigned i, unsigned n) const {
    std::string out = (dir.path() / ("shard" + std::to_string(i) + ".json")).string();
    auto r = run_opsbook({"--config", config, "check", "--live", "--retries", "0", "--shard", std::to_string(i) + "/" + std::to_string(n), "--format",
                          "json", "-o", out, docs()});
    INFO(r.err);
    REQUIRE(r.exit_code <= 1);  // 1: its curls failed; 0: no runbook hashed to this shard
    return out;
  }
  test::RunResult show(const std::vector<std::string>& extra = {}) const {
    std::vector<std::string> args = {"--config", config, "history", "show"};
    args.insert(args.end(), extra.begin(), extra.end());
    return run_opsbook(args);
  }
};

}  // namespace

TEST_CASE("history: 4 shards recorded at once by separate processes make one complete run", "[cli][history]") {
  Project p;
  std::vector<std::string> reports;
  for (unsigned i = 1; i <= 4; ++i) reports.push_back(p.report(i, 4));
  std::vector<pid_t> writers;
  for (const auto& r : reports) writers.push_back(spawn_opsbook({"--config", p.config, "history", "record", "--run-id", "ci-7", r}, r + ".err"));
  for (size_t i = 0; i < writers.size(); ++i) {
    int code = wait_exit(writers[i]);
    INFO("writer " << i + 1 << " stderr: " << test::read_file(reports[i] + ".err"));
    CHECK(code == 0);
  }
  auto show = p.show();
  INFO(show.err);
  CHECK(show.exit_code == 0);
  CHECK(show.out.find("  ci-7  local  16 live results, complete\n") != std::string::npos);
  // A shard without a run id cannot be matched with its siblings.
  auto lone = run_opsbook({"--config", p.config, "history", "record", reports[0]});
  CHECK(lone.exit_code == 2);
  CHECK(lone.err == "opsbook: error: history: shard 1/4 needs --run-id (the same for every shard of the run; GITHUB_RUN_ID or CI_PIPELINE_ID are used when set)\n");
}

TEST_CASE("history: a recorder killed halfway leaves its run incomplete, recording again completes it", "[cli][history]") {
  Project p;
  std::string small = p.report(1, 1);
  // The same report with 40,000 results, so that writing them takes a while.
  json j = json::parse(test::read_file(small));
  json one = j["results"][0];
  j["results"] = json::array();
  for (int i = 0; i < 40000; ++i) {
    one["line"] = i + 1;
    j["results"].push_back(one);
  }
  std::string big = (p.dir.path() / "big.json").string();
  test::write_file(big, j.dump());
  std::string db = (p.dir.path() / ".opsbook" / "history.sqlite").string();
  pid_t writer = spawn_opsbook({"--config", p.config, "history", "record", "--run-id", "big", big});
  std::string state;
  for (int i = 0; i < 30000 && state.empty(); ++i) {
    state = shard_state(db, "big");
    if (state.empty()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  REQUIRE(state == "recording");  // marked before its rows are written, and caught while writing them
  ::kill(writer, SIGKILL);
  CHECK(wait_exit(writer) == 128 + SIGKILL);
  auto after = p.show();
  CHECK(after.out.find("  big  local  0 live results, INCOMPLETE: 0 of 1 shards recorded\n") != std::string::npos);
  auto again = run_opsbook({"--config", p.config, "history", "record", "--run-id", "big", big});
  CHECK(again.err == "history: recorded run big: 40000 live results, 16 findings\n");
  CHECK(p.show().out.find("  big  local  40000 live results, complete\n") != std::string::npos);
}

TEST_CASE("history: check --record twice, then show one runbook: last outcome, pass rate, last pass, flaky", "[cli][history]") {
  Project p;
  int port = 0;
  int listening = test::listen_on_loopback(port);
  std::string rb = p.docs() + "/flaky.md";
  test::write_file(rb, "# Flaky\n\n```bash\nnc -z 127.0.0.1 " + std::to_string(port) + "\n```\n");
  std::vector<std::string> check = {"--config", p.config, "check", "--live", "--no-shell", "--retries", "0", "--record", "--run-id"};
  auto up = check;
  up.insert(up.end(), {"run-1", rb});
  auto first = run_opsbook(up);
  INFO(first.err);
  CHECK(first.exit_code == 0);
  CHECK(first.err == "history: recorded run run-1: 1 live results, 0 findings\n");
  ::close(listening);  // the service goes away
  auto down = check;
  down.insert(down.end(), {"run-2", rb});
  CHECK(run_opsbook(down).exit_code == 1);
  auto show = p.show({rb});
  INFO(show.err);
  std::string target = "127.0.0.1:" + std::to_string(port);
  CHECK(show.out.rfind(rb + ":4: tcp " + target + " (connect) #flaky-1\n  last fail on local at ", 0) == 0);
  CHECK(show.out.find("; passed 1 of 2 (50%); last pass 20") != std::string::npos);
  CHECK(show.out.find("; FLAKY\n  newest first: FP\n") != std::string::npos);
  auto runs = p.show();
  CHECK(runs.out.find("1 flaky checks (both outcomes in one environment within the last 20 live runs):\n" + rb + ":4: tcp") != std::string::npos);
  auto none = p.show({p.docs() + "/nope.md"});
  CHECK(none.out == p.docs() + "/nope.md: no live checks recorded in the last 20 runs (the path as the report names it)\n");
}

TEST_CASE("history: flaky is both outcomes in one environment: static runs are not among the runs looked at", "[cli][history]") {
  Project p;
  test::write_file(p.config, "default_env: local\nenvironments:\n  local:\n    allow_hosts: [127.0.0.1]\n  other:\n    allow_hosts: [127.0.0.1]\n");
  int port = 0;
  int listening = test::listen_on_loopback(port);
  std::string rb = p.docs() + "/two.md";
  test::write_file(rb, "# Two\n\n```bash\nnc -z 127.0.0.1 " + std::to_string(port) + "\n```\n");
  auto record = [&](std::vector<std::string> extra, const std::string& run_id) {
    std::vector<std::string> args = {"--config", p.config, "check", "--no-shell", "--retries", "0", "--record", "--run-id", run_id};
    args.insert(args.end(), extra.begin(), extra.end());
    args.push_back(rb);
    return run_opsbook(args).exit_code;
  };
  CHECK(record({"--live", "--env", "local"}, "l1") == 0);
  ::close(listening);
  CHECK(record({"--live", "--env", "other"}, "o1") == 1);
  CHECK(record({}, "s1") == 0);  // static runs: no live results
  CHECK(record({}, "s2") == 0);
  auto show = p.show({rb, "--last", "2"});
  INFO(show.out);
  CHECK(show.out.find("last pass on local at ") != std::string::npos);
  CHECK(show.out.find("last fail on other at ") != std::string::npos);
  CHECK(show.out.find("FLAKY") == std::string::npos);
  auto runs = p.show({"--last", "2"});
  CHECK(runs.out.find("0 flaky checks (both outcomes in one environment within the last 2 live runs)\n") != std::string::npos);
}

TEST_CASE("history: dsn_env naming an unset variable: history show stops with its line, build warns once", "[cli][history]") {
  Project p;
  test::write_file(p.config, "default_env: local\nenvironments:\n  local:\n    allow_hosts: [127.0.0.1]\nhistory:\n  dsn_env: OPSBOOK_TEST_UNSET_HISTORY_DSN\n");
  ::unsetenv("OPSBOOK_TEST_UNSET_HISTORY_DSN");
  std::string what = "history: dsn_env names OPSBOOK_TEST_UNSET_HISTORY_DSN, which is not set";
  std::string todo = " (set OPSBOOK_TEST_UNSET_HISTORY_DSN to the PostgreSQL DSN of the check history, or remove dsn_env to keep the history in .opsbook/history.sqlite)\n";
  auto show = p.show();
  CHECK(show.exit_code == 2);
  CHECK(show.err == "opsbook: error: " + p.config + ":6: " + what + todo);
  auto build = run_opsbook({"--config", p.config, "build", "-o", (p.dir.path() / "site").string(), p.docs()});
  CHECK(build.exit_code == 0);
  std::string warning = p.config + ":6: warning: " + what + ": no check history is shown" + todo;
  INFO(build.err);
  CHECK(build.err.find(warning) != std::string::npos);
  CHECK(build.err.find(warning) == build.err.rfind(warning));  // once
}

TEST_CASE("history: a history file from a pull request runs nothing of its own: triggers, views and other objects are refused (hostile review #14 round 7)", "[cli][history][hostile]") {
  Project p;
  std::string rb = p.docs() + "/r0.md";
  std::vector<std::string> record = {"--config", p.config, "check", "--live", "--no-shell", "--retries", "0", "--record", "--run-id"};
  auto first = record;
  first.insert(first.end(), {"run-1", rb});
  REQUIRE(run_opsbook(first).exit_code <= 1);
  std::string db_path = (p.dir.path() / ".opsbook/history.sqlite").string();
  auto plant = [&](const std::string& sql) {
    sqlite3* db = nullptr;
    REQUIRE(sqlite3_open(db_path.c_str(), &db) == SQLITE_OK);
    CHECK(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr) == SQLITE_OK);
    sqlite3_close(db);
  };
  // An endless query on every record; before, check --record never ended.
  plant("CREATE TRIGGER t AFTER INSERT ON opsbook_runs BEGIN SELECT count(*) FROM (WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT x FROM c); END;");
  auto second = record;
  second.insert(second.end(), {"run-2", rb});
  test::Limits bounded;
  bounded.seconds = 30;
  auto r = run_opsbook(second, "", bounded);
  CHECK(r.seconds < 30);
  CHECK(r.err.find("history: " + db_path + " is not opsbook's history (it holds a trigger 't' that opsbook's schema does not): it was left as it is; move it "
                   "away (or set history.path in opsbook.yaml) and record again") != std::string::npos);
  auto show = p.show();
  CHECK(show.seconds < 30);
  CHECK(show.exit_code != 0);
  CHECK(show.err.find("holds a trigger 't' that opsbook's schema does not)") != std::string::npos);
  // A view in place of one of opsbook's tables.
  plant("DROP TRIGGER t; ALTER TABLE opsbook_runs RENAME TO old_runs; CREATE VIEW opsbook_runs AS WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT "
        "'r', 't', 'e', 1, 'f' FROM c;");
  show = run_opsbook({"--config", p.config, "history", "show"}, "", bounded);
  CHECK(show.seconds < 30);
  CHECK(show.err.find("that opsbook's schema does not): it was left as it is") != std::string::npos);
  // s7c review: opsbook's names with definitions of the file's own ran on every insert: a generated
  // outcome that is always 'pass', a constraint that drops real failures, an expression index.
  fs::remove(db_path);
  auto third = record;
  third.insert(third.end(), {"run-3", rb});
  REQUIRE(run_opsbook(third).exit_code <= 1);
  REQUIRE(run_opsbook({"--config", p.config, "history", "show"}, "", bounded).exit_code == 0);
  for (std::string sql : {"ALTER TABLE opsbook_results ADD COLUMN forged TEXT GENERATED ALWAYS AS ('pass') VIRTUAL",
                          "CREATE UNIQUE INDEX opsbook_zz ON opsbook_results (file, line, outcome)",
                          "CREATE INDEX opsbook_zz ON opsbook_results (length(hex(zeroblob(20000000))))"}) {
    INFO(sql);
    plant(sql);
    show = run_opsbook({"--config", p.config, "history", "show"}, "", bounded);
    CHECK(show.exit_code != 0);
    CHECK(show.err.find("that opsbook's schema does not): it was left as it is") != std::string::npos);
    plant(sql.starts_with("ALTER") ? "ALTER TABLE opsbook_results DROP COLUMN forged" : "DROP INDEX opsbook_zz");
  }
  CHECK(run_opsbook({"--config", p.config, "history", "show"}, "", bounded).exit_code == 0);
  // s7e review: a negative schema version made migrate() read past its list (a crash); a cut
  // file stopped every command with a message naming neither the file nor the way out.
  plant("UPDATE opsbook_schema SET version = -1");
  show = run_opsbook({"--config", p.config, "history", "show"}, "", bounded);
  CHECK(show.exit_code == 2);
  CHECK(show.err.find("history: " + db_path + " is not opsbook's history (its schema version is -1, which opsbook never writes)") != std::string::npos);
  plant("UPDATE opsbook_schema SET version = 2; INSERT INTO opsbook_schema VALUES (2)");
  CHECK(run_opsbook({"--config", p.config, "history", "show"}, "", bounded).err.find("(its schema version is not one number, which opsbook never writes)") != std::string::npos);
  std::string whole = test::read_file(db_path);
  test::write_file(db_path, whole.substr(0, 3000));
  show = run_opsbook({"--config", p.config, "history", "show"}, "", bounded);
  CHECK(show.exit_code == 2);
  CHECK(show.err == "opsbook: error: history: " + db_path + " is damaged (database disk image is malformed): it was left as it is; move it away (or set "
                    "history.path in opsbook.yaml) and record again\n");
}

TEST_CASE("history: show prints a forged row's terminal escapes escaped, never raw (s7d review D6)", "[cli][history][hostile]") {
  Project p;
  std::string rb = p.docs() + "/r0.md";
  auto first = run_opsbook({"--config", p.config, "check", "--live", "--no-shell", "--retries", "0", "--record", "--run-id", "run-1", rb});
  REQUIRE(first.exit_code <= 1);
  sqlite3* db = nullptr;
  REQUIRE(sqlite3_open((p.dir.path() / ".opsbook/history.sqlite").string().c_str(), &db) == SQLITE_OK);
  CHECK(sqlite3_exec(db, "UPDATE opsbook_runs SET env = 'local' || char(27) || ']0;pwned' || char(7), run_id = 'r2' || char(27) || '[2K' || char(13) || 'FAKE'; "
                         "UPDATE opsbook_shards SET run_id = 'r2' || char(27) || '[2K' || char(13) || 'FAKE'; "
                         "UPDATE opsbook_findings SET run_id = 'r2' || char(27) || '[2K' || char(13) || 'FAKE'; "
                         "UPDATE opsbook_results SET run_id = 'r2' || char(27) || '[2K' || char(13) || 'FAKE', target = target || char(27) || '[8m';",
                     nullptr, nullptr, nullptr) == SQLITE_OK);
  sqlite3_close(db);
  auto runs = p.show();
  INFO(runs.out << runs.err);
  CHECK(runs.out.find("  r2\\x1b[2K\\x0dFAKE  local\\x1b]0;pwned\\x07  ") != std::string::npos);
  // The forged run is left out of the checks' summaries (its seal no longer holds): nothing of it
  // is shown there, raw or escaped.
  auto one = p.show({rb});
  INFO(one.out);
  CHECK(one.out.find("pwned") == std::string::npos);
  for (const auto* out : {&runs.out, &one.out}) {
    CHECK(out->find('\x1b') == std::string::npos);
    CHECK(out->find('\r') == std::string::npos);
    CHECK(out->find('\x07') == std::string::npos);
  }
}

// s10b review B9: outside CI the run id was the report's time and the runbook set, so two checks
// in the same second (or under SOURCE_DATE_EPOCH after an edit) were one run, the later one
// replacing the earlier silently. Recording the same report twice is still one run.
TEST_CASE("history: two different reports of the same second are two runs, the same report recorded twice is one", "[cli][history]") {
  Project p;
  ::setenv("SOURCE_DATE_EPOCH", "1763942400", 1);
  std::string first = p.report(1, 1);
  test::write_file(p.dir.path() / "docs" / "r0.md", "# R0\n\n- `curl http://127.0.0.1:9/other`\n");
  std::string second = (p.dir.path() / "again.json").string();
  auto again = run_opsbook({"--config", p.config, "check", "--live", "--retries", "0", "--format", "json", "-o", second, p.docs()});
  ::unsetenv("SOURCE_DATE_EPOCH");
  REQUIRE(again.exit_code == 1);
  for (const std::string& r : {first, second, first}) {
    auto rec = run_opsbook({"--config", p.config, "history", "record", r});
    INFO(rec.err);
    REQUIRE(rec.exit_code == 0);
  }
  auto show = p.show();
  INFO(show.out);
  size_t runs = 0;
  for (size_t at = show.out.find("2025-11-24T00:00:00Z  2025-11-24T00:00:00Z-"); at != std::string::npos; at = show.out.find("2025-11-24T00:00:00Z  2025-11-24T00:00:00Z-", at + 1)) ++runs;
  CHECK(runs == 2);
}
