// Promise (docs/limits.md "The check history"): a history file that is not opsbook's (garbage
// bytes, another program's database), that a newer opsbook made, or that is damaged never stops
// `build` or `serve`: they go on without history, with one note naming the file and what is wrong
// with it. `history record` and `check --record` refuse with the exact reason and the way forward;
// the file is left as it is (s9 review R12: build and serve failed, advising to "upgrade opsbook").
#include <signal.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <thread>

#include "support.hpp"

using namespace opsbook;
using test::run_opsbook;
namespace fs = std::filesystem;

namespace {

struct Checkout {
  test::TempDir dir;
  std::string config = (dir.path() / "opsbook.yaml").string();
  std::string db = (dir.path() / ".opsbook/history.sqlite").string();
  std::string docs = (dir.path() / "docs").string();
  Checkout() {
    test::write_file(config, "content: docs\ndefault_env: local\nenvironments:\n  local:\n    allow_hosts: [127.0.0.1]\n");
    test::write_file(dir.path() / "docs/a.md", "# A\n\nRead the logs.\n");
  }
  test::RunResult opsbook(std::vector<std::string> args) const {
    args.insert(args.begin(), {"--config", config});
    return run_opsbook(args, dir.path().string());
  }
};

void sql(const std::string& path, const std::string& statements) {
  sqlite3* db = nullptr;
  REQUIRE(sqlite3_open(path.c_str(), &db) == SQLITE_OK);
  REQUIRE(sqlite3_exec(db, statements.c_str(), nullptr, nullptr, nullptr) == SQLITE_OK);
  sqlite3_close(db);
}

// Overwrites the root page of every table but the schema version's, and of their indexes: the
// schema still reads, the rows do not.
void damage_tables(const std::string& path) {
  sql(path, "PRAGMA wal_checkpoint(TRUNCATE)");
  std::vector<int> roots;
  sqlite3* db = nullptr;
  REQUIRE(sqlite3_open(path.c_str(), &db) == SQLITE_OK);
  auto root = [](void* out, int, char** v, char**) {
    static_cast<std::vector<int>*>(out)->push_back(std::stoi(v[0]));
    return 0;
  };
  REQUIRE(sqlite3_exec(db, "SELECT rootpage FROM sqlite_master WHERE tbl_name <> 'opsbook_schema' AND rootpage > 0", root, &roots, nullptr) == SQLITE_OK);
  sqlite3_close(db);
  REQUIRE(roots.size() == 9);
  std::string bytes = test::read_file(path);
  for (int r : roots) bytes.replace(static_cast<size_t>(r - 1) * 4096, 4096, std::string(4096, '\xff'));
  test::write_file(path, bytes);
}

struct Case {
  const char* name;
  std::string problem;  // after "history: <file> "
  std::string way;
};

const std::string k_move_away = "move it away (or set history.path in opsbook.yaml) and record again";

// Plants the case's file; returns what the problem says.
Case plant(const Checkout& c, int which) {
  fs::create_directories(fs::path(c.db).parent_path());
  switch (which) {
    case 0:
      test::write_file(c.db, "garbage, not a database\n" + std::string(4000, '#'));
      return {"garbage bytes", "is not opsbook's history (not an SQLite database)", k_move_away};
    case 1:
      sql(c.db, "CREATE TABLE accounts (id INTEGER, owner TEXT)");
      return {"another program's database", "is not opsbook's history (an SQLite database of something else: it holds a table 'accounts' and no table 'opsbook_schema')",
              k_move_away};
    case 3:  // s9b review R8: SQLite took it for an empty database, and build wrote a new history over it
      test::write_file(c.db, "\n");
      return {"one byte", "is not opsbook's history (not an SQLite database)", k_move_away};
    case 4:  // s9b review R4: "history (SQLite): step: database disk image is malformed"
      REQUIRE(c.opsbook({"check", "--record", "--run-id", "old", c.docs}).exit_code == 0);
      damage_tables(c.db);
      return {"damaged pages", "is damaged (database disk image is malformed)", k_move_away};
    case 5:  // s10b review B11: "cannot be used (... no such column: version): check that it is readable and writable"
      sql(c.db, "CREATE TABLE opsbook_schema (v INTEGER)");
      return {"an opsbook_schema of another shape", "is not opsbook's history (it holds a table 'opsbook_schema' that is not the one opsbook makes)", k_move_away};
    default:
      REQUIRE(c.opsbook({"check", "--record", "--run-id", "old", c.docs}).exit_code == 0);
      sql(c.db, "UPDATE opsbook_schema SET version = 99");
      return {"a newer opsbook's", "was made by a newer opsbook (schema version 99; this opsbook reads up to 5)",
              "record and show it with that opsbook or a newer one, or give this one a history of its own (history.path in opsbook.yaml)"};
  }
}

}  // namespace

TEST_CASE("history: a foreign, newer or damaged history file: build goes on with one note, record refuses with the reason, the file is kept (s9 review R12)",
          "[cli][history][hostile]") {
  for (int which = 0; which < 6; ++which) {
    Checkout c;
    Case k = plant(c, which);
    INFO(k.name);
    std::string before = test::read_file(c.db);
    auto build = c.opsbook({"build", "-o", (c.dir.path() / "site").string(), c.docs});
    INFO(build.err);
    CHECK(build.exit_code == 0);  // before the fix: 2
    CHECK(fs::exists(c.dir.path() / "site/runbooks/a.html"));
    std::string note = "opsbook: note: history: " + c.db + " " + k.problem + ": the portal shows no check history and leaves it as it is; " + k.way + "\n";
    CHECK(build.err.find(note) != std::string::npos);
    CHECK(build.err.find("opsbook: note: history:") == build.err.rfind("opsbook: note: history:"));  // once
    CHECK(build.err.find("upgrade") == std::string::npos);
    std::string refused = "opsbook: error: history: " + c.db + " " + k.problem + ": it was left as it is; " + k.way + "\n";
    auto record = c.opsbook({"check", "--record", "--run-id", "new", c.docs});
    CHECK(record.exit_code == 2);
    CHECK(record.err == refused);
    auto show = c.opsbook({"history", "show"});
    CHECK(show.exit_code == 2);
    CHECK(show.err == refused);
    CHECK(test::read_file(c.db) == before);
  }
}

TEST_CASE("history: opsbook serve goes on without a history file that is not opsbook's, and says so once (s9 review R12)", "[cli][history][hostile]") {
  Checkout c;
  Case k = plant(c, 0);
  std::string err_path = (c.dir.path() / "serve.err").string();
  pid_t pid = ::fork();
  if (pid == 0) {
    if (!std::freopen(err_path.c_str(), "w", stderr) || !std::freopen("/dev/null", "w", stdout) || ::chdir(c.dir.path().c_str()) != 0) ::_exit(127);
    ::execl(OPSBOOK_BINARY, OPSBOOK_BINARY, "--config", c.config.c_str(), "serve", "--port", "0", static_cast<char*>(nullptr));
    ::_exit(127);
  }
  std::string err;
  for (int i = 0; i < 300 && err.find("serving http://") == std::string::npos; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    if (fs::exists(err_path)) err = test::read_file(err_path);
  }
  ::kill(pid, SIGINT);
  int status = 0;
  ::waitpid(pid, &status, 0);
  INFO(err);
  CHECK(err.find("serving http://127.0.0.1:") != std::string::npos);  // before the fix: it stopped
  std::string note = "opsbook: note: history: " + c.db + " " + k.problem + ": the portal shows no check history and leaves it as it is; " + k.way + "\n";
  CHECK(err.find(note) != std::string::npos);
  CHECK(err.find(note) == err.rfind(note));
}
