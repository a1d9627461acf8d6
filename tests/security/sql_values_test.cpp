// Promise: "no value can inject a command" (README "Safety", docs/SECURITY.md), for SQL:
// `opsbook run` of SQL snippets against the live stack's PostgreSQL, with a role that may write
// the canary table. Every value travels as a bound parameter: it round-trips exactly, or the
// server rejects it as a value; it never changes which rows a statement touches.
#include <catch2/catch.hpp>
#include <pqxx/pqxx>

#include "model/config.hpp"
#include "red_team.hpp"
#include "runner/run.hpp"

using namespace opsbook;

namespace {

model::EnvironmentConfig app_env() {
  model::EnvironmentConfig env;
  env.name = "local";
  env.services.push_back({"db", "postgres", "", "OPSBOOK_PG_APP_DSN", ""});
  return env;
}

runner::RunResult run(const std::string& markdown, const std::string& id, const std::string& value, bool yes = false) {
  test::stack();
  static const model::EnvironmentConfig env = app_env();
  auto rb = test::parse(markdown);
  const model::Snippet* s = rb.find_snippet(id);
  REQUIRE(s);
  runner::RunOptions o;
  o.env = &env;
  o.yes = yes;
  o.params = {{"v", value}, {"id", value}, {"table", value}};
  return runner::run_snippet(rb, *s, o);
}

const std::vector<std::string>& payloads() {
  static const std::vector<std::string> k = {
      "'", "''", "\\", "\\'", "'; DELETE FROM canary; --", "x' OR '1'='1", "$$", "$x$ DELETE FROM canary $x$", "*/", "/*", "--",
      "a\nb; DELETE FROM canary", "\r\n", "ü€😀", "%_", "E'\\x41'", "<v>", "{{v}}", "$1", ":'v'", std::string(100000, 'x'),
      "1); DELETE FROM canary; SELECT (1", "\"; DROP TABLE canary; --"};
  return k;
}

std::string md5(const std::string& value) {
  static pqxx::connection c(test::stack().at("OPSBOOK_PG_DSN"));
  pqxx::nontransaction tx(c);
  return tx.exec_params1("SELECT md5($1)", value)[0].as<std::string>();
}

}  // namespace

TEST_CASE("promise: no value can inject a command -- SQL values round-trip exactly, in a value and inside a string literal", "[security][sql]") {
  test::PgCanaries canaries;
  // A bare value, a whole literal, and a piece of one.
  std::string rb = "# T\n\n```sql {name=md5}\nSELECT md5(<v>) AS bare, md5('<v>') AS whole, md5('pre-<v>-post') AS part;\n```\n";
  for (const auto& v : payloads()) {
    INFO("value: " << v.substr(0, 60));
    auto r = run(rb, "md5", v);
    CHECK(r.exit_code == 0);
    CHECK(r.out.find(md5(v) + " | " + md5(v) + " | " + md5("pre-" + v + "-post")) != std::string::npos);
  }
  CHECK(canaries.damage().empty());
}

TEST_CASE("promise: no value can inject a command -- DELETE ... WHERE id = <id> never deletes more than the row it names", "[security][sql]") {
  test::PgCanaries canaries;
  std::string rb = "# T\n\n```sql {name=del}\nDELETE FROM canary WHERE id = <id>;\n```\n";
  for (std::string v : {"id", "1 OR 1=1", "1; DELETE FROM canary", "0) OR (1=1", "1 --", "(SELECT id)", "2 OR true"}) {
    INFO("value: " << v);
    auto r = run(rb, "del", v, true);
    CHECK(r.ran);
    CHECK(r.exit_code == 1);  // the server rejects it as an integer
    CHECK(r.err.find("invalid input syntax for type integer") != std::string::npos);
  }
  CHECK(canaries.damage().empty());
  auto r = run(rb, "del", "2", true);  // a real id deletes that row only
  CHECK(r.exit_code == 0);
  CHECK(test::pg_admin("SELECT string_agg(id::text, ',' ORDER BY id) FROM canary") == "1,3");
}

TEST_CASE("promise: no value can inject a command -- names only where declared, quoted as names", "[security][sql]") {
  test::PgCanaries canaries;
  std::string rb = "# T\n\n```sql {name=count ident=table}\nSELECT count(*) AS n FROM <table>;\n```\n\n"
                   "```sql {name=undeclared}\nSELECT count(*) AS n FROM <table>;\n```\n";
  auto ok = run(rb, "count", "canary");
  CHECK(ok.exit_code == 0);
  CHECK(ok.out.find("3\n(1 row)") != std::string::npos);
  for (std::string v : {"canary; DROP TABLE canary", "canary\" WHERE false; DROP TABLE canary; --", "pg_catalog.pg_terminate_backend(1)"}) {
    INFO("value: " << v);
    auto r = run(rb, "count", v);
    CHECK(r.exit_code == 1);
    CHECK(r.err.find("does not exist") != std::string::npos);
  }
  auto undeclared = run(rb, "undeclared", "canary");
  CHECK(undeclared.refusal == "test.md:8: <table> stands where a name goes: declare it with ident=table on the snippet so its value is quoted as a name (nothing ran)");
  CHECK(canaries.damage().empty());
}

TEST_CASE("promise: no value can inject a command -- a value PostgreSQL cannot hold is refused, naming line and parameter", "[security][sql]") {
  auto r = run("# T\n\n```sql {name=nul}\nSELECT '<v>';\n```\n", "nul", std::string("a\0b", 3));
  CHECK_FALSE(r.ran);
  CHECK(r.refusal == "test.md:4: <v>: the value holds a NUL byte, which PostgreSQL text cannot hold (nothing ran)");
  r = run("# T\n\n```sql {name=dollar}\nDO $$ BEGIN PERFORM '<v>'; END $$;\n```\n", "dollar", "x");
  CHECK(r.refusal ==
        "test.md:4: <v> stands inside a dollar-quoted body: opsbook cannot bind a value there; put it where a value or a plain '...' string goes (nothing ran)");
}
