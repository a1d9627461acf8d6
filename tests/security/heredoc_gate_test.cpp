// Promise: "destructive snippets never run without their gates" (README "Safety",
// docs/SECURITY.md), for heredocs: `DROP TABLE` in the body of `psql <<SQL` is destructive
// everywhere (the model, opsbook run's gate, opsbook check's rule, the portal's badge), and the
// table survives a run without the destructive gate.
#include <catch2/catch.hpp>

#include "model/config.hpp"
#include "model/process.hpp"
#include "model/text.hpp"
#include "red_team.hpp"
#include "runner/run.hpp"

using namespace opsbook;

namespace {

// How a snippet of a hostile runbook is run: with no prompt answered (so nothing above read-only
// runs), or with --yes alone (enough for mutating, not for destructive).
enum class Gate { no_prompt, yes_alone };

// Runs each snippet `ids` of `rb` past `gate`: none may run; past --yes alone each must be rated
// destructive and refused as such.
void expect_held(const model::Runbook& rb, std::initializer_list<const char*> ids, Gate gate) {
  for (const char* id : ids) {
    INFO(id);
    const model::Snippet* s = rb.find_snippet(id);
    REQUIRE(s);
    CHECK(s->safety == (gate == Gate::yes_alone ? model::Safety::destructive : model::Safety::mutating));
    runner::RunOptions o;
    o.yes = gate == Gate::yes_alone;
    auto r = runner::run_snippet(rb, *s, o);
    CHECK_FALSE(r.ran);
    if (gate == Gate::yes_alone) CHECK(r.refusal.find(std::string(id) + " is destructive") == 0);
  }
}

}  // namespace

TEST_CASE("promise: destructive snippets never run without their gates -- SQL in a psql heredoc", "[security][shell]") {
  test::PgCanaries canaries;
  std::string md = "# DB\n\n```bash {name=drop}\nsudo -u postgres psql \"$OPSBOOK_PG_SUPER_DSN\" <<SQL\nSELECT 1;\nDROP TABLE canary;\nSQL\n```\n";
  auto rb = test::parse(md, "rb.md");
  const model::Snippet* s = rb.find_snippet("drop");
  REQUIRE(s);
  CHECK(s->safety == model::Safety::destructive);
  REQUIRE_FALSE(s->reasons.empty());
  CHECK(s->reasons.back().line == 6);

  runner::RunOptions o;
  o.yes = true;  // --yes alone: enough for mutating, not for destructive
  auto r = runner::run_snippet(rb, *s, o);
  CHECK_FALSE(r.ran);
  CHECK(r.refusal ==
        "drop is destructive (line 4 `sudo -u postgres psql \"$OPSBOOK_PG_SUPER_DSN\" <<SQL...`: DROP TABLE removes objects and their data): "
        "type its name on a terminal, or pass --yes --allow-destructive");
  CHECK(canaries.damage().empty());

  test::TempDir dir;
  test::write_file(dir.path() / "content" / "rb.md", md);
  auto check = test::run_opsbook({"check", (dir.path() / "content").string()});
  CHECK(check.out.find("warning[destructive-unguarded]: destructive command `sudo -u postgres psql \"$OPSBOOK_PG_SUPER_DSN\" <<SQL...` in snippet 'drop'") != std::string::npos);
  auto build = test::run_opsbook({"build", (dir.path() / "content").string(), "-o", (dir.path() / "site").string()});
  REQUIRE(build.exit_code == 0);
  std::string page = test::read_file((dir.path() / "site" / "runbooks" / "rb.html").string());
  CHECK(page.find("data-safety=\"destructive\"") != std::string::npos);
  CHECK(page.find("class=\"badge safety-destructive\"") != std::string::npos);
}

// s10a review B1-B4: each of these ran with no prompt (rated read-only) or past the destructive
// gate (rated mutating): a second backslash command on a line (psql runs them all), SQL after
// psql's `\;` and `\\`, a -v variable spliced into a statement, \copy with " to stdout" in its text.
// Without --yes nothing runs; with --yes alone the DELETE never runs; canary files never appear.
TEST_CASE("promise: nothing runs without its gate -- psql backslash commands, variables and copy targets (s10a B1-B4)", "[security][shell][psql]") {
  test::PgCanaries canaries;
  std::string file = canaries.file("psql-meta");
  std::string dsn = "psql \"$OPSBOOK_PG_SUPER_DSN\" -X";
  std::string md = "# DB\n\n"
                   "```bash {name=two}\n" + dsn + " <<'SQL'\n\\x \\! touch " + file + "\nSQL\n```\n\n"
                   "```bash {name=pipe}\necho '\\timing on \\! touch " + file + "' | " + dsn + "\n```\n\n"
                   "```bash {name=copy}\n" + dsn + " -c \"\\copy (select ' to stdout ') to program 'touch " + file + "'\"\n```\n\n"
                   "```bash {name=semi}\n" + dsn + " <<'SQL'\nselect 1 \\; DELETE FROM canary;\nSQL\n```\n\n"
                   "```bash {name=sep}\n" + dsn + " <<'SQL'\n\\echo hi \\\\ DELETE FROM canary;\nSQL\n```\n\n"
                   "```bash {name=var}\n" + dsn + " -v q='; DELETE FROM canary' <<'SQL'\nselect 1 :q;\nSQL\n```\n";
  auto rb = test::parse(md, "rb.md");
  expect_held(rb, {"two", "pipe"}, Gate::no_prompt);
  expect_held(rb, {"copy", "semi", "sep", "var"}, Gate::yes_alone);
  CHECK(canaries.damage().empty());
}

TEST_CASE("promise: destructive snippets never run without their gates -- the heredoc of ssh -o RemoteCommand is read by the remote command (s10a review B10)", "[security][shell]") {
  // Before: the body was read as shell, so DROP TABLE was only mutating (and the snippet interactive),
  // where `ssh db1 psql shop <<SQL` is destructive.
  for (const std::string line : {"ssh -o RemoteCommand='psql shop' db1 <<'SQL'", "ssh -oRemoteCommand='psql -X shop' db1 <<SQL", "ssh -o 'RemoteCommand psql shop' db1 <<SQL",
                                  "ssh -o remotecommand=\"sudo -u postgres psql shop\" -p 2222 db1 <<SQL", "timeout 60 ssh -o RemoteCommand='psql shop' db1 <<SQL"}) {
    INFO(line);
    std::string md = "# DB\n\n```bash {name=drop}\n" + line + "\nSELECT 1;\nDROP TABLE orders;\nSQL\n```\n";
    auto rb = test::parse(md, "rb.md");
    const model::Snippet* s = rb.find_snippet("drop");
    REQUIRE(s);
    CHECK(s->safety == model::Safety::destructive);
    REQUIRE_FALSE(s->reasons.empty());
    CHECK(s->reasons.back().reason == "DROP TABLE removes objects and their data");
    CHECK(s->reasons.back().line == 6);
    runner::RunOptions o;
    o.yes = true;  // --yes alone: enough for mutating, not for destructive
    auto r = runner::run_snippet(rb, *s, o);
    CHECK_FALSE(r.ran);
    CHECK(r.refusal.starts_with("drop is destructive (line 4 `"));
    CHECK(r.refusal.ends_with("`: DROP TABLE removes objects and their data): type its name on a terminal, or pass --yes --allow-destructive"));
  }
  // A read stays a read, and not an interactive session: the heredoc is the session's input.
  auto rb = test::parse("# DB\n\n```bash {name=read}\nssh -o RemoteCommand='psql shop' db1 <<'SQL'\nSELECT count(*) FROM orders;\nSQL\n```\n", "rb.md");
  CHECK(rb.find_snippet("read")->safety == model::Safety::read_only);
  CHECK(rb.find_snippet("read")->reasons.empty());
}

// s11a review B1-B4, B9: each ran against the reviewer's PostgreSQL, rated read-only or mutating,
// and a canary file appeared or `opsbook run --yes` (without --allow-destructive) emptied the
// table: a \! after `|` of a command that reads no pipe, a -v number for a variable psql sets
// itself, \gset into a digit-named variable before a slice, `:::x`, standard_conforming_strings
// switched off through a Unicode-escaped SET or a %-encoded URI, DROP in the heredoc of -f -.
TEST_CASE("promise: nothing runs without its gate -- pipes, psql's own variables, :::x, decoded reading switches, -f - (s11a B1-B4, B9)", "[security][shell][psql]") {
  test::PgCanaries canaries;
  std::string file = canaries.file("psql-s11");
  std::string dsn = "psql \"$OPSBOOK_PG_SUPER_DSN\" -X";
  std::string uri = "psql \"$OPSBOOK_PG_SUPER_DSN?options=-c%20standard%5Fconforming%5Fstrings%3Doff\" -X";
  std::string md = "# DB\n\n"
                   "```bash {name=echo}\n" + dsn + " <<'SQL'\n\\echo |x \\! touch " + file + "\nSQL\n```\n\n"
                   "```bash {name=list}\n" + dsn + " <<'SQL'\n\\l |x \\! touch " + file + "\nSQL\n```\n\n"
                   "```bash {name=tables}\n" + dsn + " <<'SQL'\n\\dt |x \\! touch " + file + "\nSQL\n```\n\n"
                   "```bash {name=conninfo}\n" + dsn + " -c '\\conninfo |x \\! touch " + file + "'\n```\n\n"
                   "```bash {name=own}\n" + dsn + " -v LAST_ERROR_MESSAGE=5 <<'SQL'\nselect 'a\"; delete from canary; --'::int;\nselect :LAST_ERROR_MESSAGE;\nSQL\n```\n\n"
                   "```bash {name=gset}\n" + dsn + " <<'SQL'\nselect '1]; delete from canary; select (array[1,2])[1' as \"2\" \\gset\nselect (array[1,2])[1:2];\nSQL\n```\n\n"
                   "```bash {name=cast}\n" + dsn + " -v x='int; delete from canary' <<'SQL'\nselect 1:::x;\nSQL\n```\n\n"
                   "```bash {name=unicode}\n" + dsn + " <<'SQL'\nSET U&\"standard\\005fconforming\\005fstrings\" = off;\nselect 'a\\', '; delete from canary; --';\nSQL\n```\n\n"
                   "```bash {name=uri}\n" + uri + " <<'SQL'\nselect 'a\\', '; delete from canary; --';\nSQL\n```\n\n"
                   "```bash {name=stdin}\n" + dsn + " -f - <<'SQL'\ndelete from canary;\nSQL\n```\n\n"
                   "```bash {name=dynamic}\n" + dsn + " <<'SQL'\nDO $$ BEGIN EXECUTE 'SET standard' || '_conforming_strings = off'; END $$;\nselect 'a\\', '; delete from canary; --';\nSQL\n```\n";
  auto rb = test::parse(md, "rb.md");
  expect_held(rb, {"echo", "list", "tables", "conninfo"}, Gate::no_prompt);  // the \! is seen: `touch` is mutating
  expect_held(rb, {"own", "gset", "cast", "unicode", "uri", "stdin", "dynamic"}, Gate::yes_alone);
  CHECK(canaries.damage().empty());
}

// s11a review B8, B12: the program that psql's \g |cmd, \copy ... from program and sqlite3's .sh
// run was rated as a write (mutating), and a Redis heredoc was read with the shell's quoting
// ("\x46LUSHDB" is FLUSHDB to redis-cli): `run --yes` deleted the victim file and emptied the
// Redis database.
TEST_CASE("promise: destructive snippets never run without their gates -- programs SQL clients run, redis-cli's quoting (s11a B8, B12)", "[security][shell][psql]") {
  test::PgCanaries canaries;
  test::TempDir dir;
  std::string victim = (dir.path() / "victim").string();
  std::string port = test::stack().at("STACK_REDIS_PORT");
  auto redis = [&](std::vector<std::string> args) {
    args.insert(args.begin(), {"redis-cli", "-p", port, "-n", "15"});
    return std::string(model::trim(model::run_process(args, "", std::chrono::seconds(10)).out));
  };
  redis({"SET", "canary_s11", "alive"});
  std::string md = "# DB\n\n"
                   "```bash {name=gpipe}\npsql \"$OPSBOOK_PG_SUPER_DSN\" -X <<'SQL'\nselect 1 \\g |rm -f " + victim + "\nSQL\n```\n\n"
                   "```bash {name=program}\npsql \"$OPSBOOK_PG_SUPER_DSN\" -X -c \"\\copy canary from program 'rm -f " + victim + "'\"\n```\n\n"
                   "```bash {name=sqlite}\nsqlite3 " + (dir.path() / "app.db").string() + " <<'SQL'\n.sh rm -f " + victim + "\nSQL\n```\n\n"
                   "```bash {name=redis}\nredis-cli -p " + port + " -n 15 <<'EOF'\n\"\\x46LUSHDB\"\nEOF\n```\n";
  test::write_file(victim, "x");
  auto rb = test::parse(md, "rb.md");
  expect_held(rb, {"gpipe", "program", "sqlite", "redis"}, Gate::yes_alone);
  CHECK(std::filesystem::exists(victim));
  CHECK(redis({"GET", "canary_s11"}) == "alive");
  CHECK(canaries.damage().empty());
}
