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

// Shell snippets that hand a value to psql as a variable (-v, --set, \set) or write it into the
// SQL of psql -c: psql splices a variable's text in at :NAME, so there a value is SQL.
TEST_CASE("promise: no value can inject a command -- a psql variable spliced in at :NAME takes numbers only, :'NAME' any value", "[security][sql][psql]") {
  test::PgCanaries canaries;
  std::string dsn = "psql \"$OPSBOOK_PG_APP_DSN\" -X -At";
  std::string rb = "# T\n\n"
                   "```bash {name=set}\n" + dsn + " --set=lim=<v> <<'SQL'\nSELECT id FROM canary ORDER BY id LIMIT :lim;\nSQL\n```\n\n"  // 4
                   "```bash {name=v}\n" + dsn + " -v lim=<v> <<< 'SELECT id FROM canary ORDER BY id LIMIT :lim'\n```\n\n"             // 10
                   "```bash {name=meta}\n" + dsn + " <<SQL\n\\set lim <v>\nSELECT id FROM canary ORDER BY id LIMIT :lim;\nSQL\n```\n\n"  // 14-16
                   "```bash {name=quoted}\n" + dsn + " -v s=<v> <<'SQL'\nSELECT md5(:'s');\nSQL\n```\n\n"                             // 21
                   "```bash {name=comment}\n" + dsn + " -c \"SELECT 1 /* ticket <v> */\"\n```\n\n"                                    // 27
                   "```bash {name=minus}\n" + dsn + " -c \"SELECT 5-<v> AS n\"\n```\n\n"                                            // 31
                   "```bash {name=prefix}\n" + dsn + " --vari=lim=<v> <<'SQL'\nSELECT id FROM canary ORDER BY id LIMIT :lim;\nSQL\n```\n\n"  // 35
                   "```bash {name=enc}\nPGCLIENTENCODING=SJIS " + dsn + " -c \"SELECT '<v>'\"\n```\n";  // 41
  std::string attack = "1; DELETE FROM canary WHERE id > 0";
  CHECK(run(rb, "set", attack, true).refusal ==
        "test.md:4: <v> sets the psql variable lim, which psql splices into the SQL as it stands at :lim (line 5): there its value must be a number; write :'lim' where a string "
        "goes (psql quotes it) (nothing ran)");
  CHECK(run(rb, "v", attack, true).refusal ==
        "test.md:10: <v> sets the psql variable lim, which psql splices into the SQL as it stands at :lim (line 10): there its value must be a number; write :'lim' where a "
        "string goes (psql quotes it) (nothing ran)");
  CHECK(run(rb, "meta", "1;DELETE", true).refusal.find("test.md:15: <v> stands in a psql backslash command") == 0);
  CHECK(run(rb, "meta", "all", true).refusal.find("test.md:15: <v> sets the psql variable lim") == 0);
  CHECK(run(rb, "comment", "*/; DELETE FROM canary WHERE id > 0; /*", true).refusal.find("test.md:27: <v> stands in a SQL /* ... */ comment") == 0);
  CHECK(run(rb, "minus", "-1", true).refusal.find("test.md:31: <v> stands right after an operator character") == 0);
  // s10c review B4: getopt takes any unambiguous prefix of --variable; --vari=lim=<v> was not seen
  // as setting lim, and the value dropped a table.
  CHECK(run(rb, "prefix", attack, true).refusal.find("test.md:35: <v> sets the psql variable lim") == 0);
  // s10c review B3: in SJIS a value's last byte (0x81 of U+0101) swallowed the quote that ended
  // its string, and the next value's SQL ran.
  CHECK(run(rb, "enc", "\xc4\x81", true).refusal.find("test.md:41: the snippet changes how SQL is read (PGCLIENTENCODING;") == 0);
  CHECK(canaries.damage().empty());
  // What is allowed runs as meant against the server.
  for (const char* id : {"set", "v", "meta", "prefix"}) {
    auto r = run(rb, id, "2", true);
    INFO(id << ": " << r.refusal << r.err);
    CHECK(r.exit_code == 0);
    CHECK(r.out == "1\n2\n");
  }
  CHECK(run(rb, "comment", "T-1 it's \"x\"", true).out == "1\n");
  CHECK(run(rb, "minus", "1", true).out == "4\n");
  for (const auto& v : payloads()) {  // psql quotes :'s itself: every value round-trips
    if (v.find('\0') != std::string::npos || v.size() > 1000) continue;
    INFO("value: " << v.substr(0, 60));
    auto r = run(rb, "quoted", v, true);
    CHECK(r.refusal.empty());
    CHECK(r.out == md5(v) + "\n");
  }
  CHECK(canaries.damage().empty());
}

// s11a review B3, B4: `-v t=<type>` with `select '42':::t` took 'int; drop table canary' (psql
// reads `::` then :t), and a value was filled into a snippet whose URI read ?client%5Fencoding=SJIS
// or whose SET was Unicode-escaped, where its 0x95 byte swallowed the closing quote.
TEST_CASE("promise: no value can inject a command -- :::NAME is spliced, decoded encoding switches take no values (s11a B3, B4)", "[security][sql][psql]") {
  test::PgCanaries canaries;
  std::string dsn = "psql \"$OPSBOOK_PG_APP_DSN\" -X -At";
  std::string rb = "# T\n\n"
                   "```bash {name=cast}\n" + dsn + " -v t=<v> <<'SQL'\nselect '42':::t;\nSQL\n```\n\n"  // 4
                   "```bash {name=uri}\npsql \"$OPSBOOK_PG_APP_DSN?client%5Fencoding=SJIS\" -X -At <<SQL\nselect count(*) from canary where id = '<v>' or id = '<id>';\nSQL\n```\n\n"  // 10
                   "```bash {name=set}\n" + dsn + " <<SQL\nSET U&\"client\\005fencoding\" = 'SJIS';\nselect count(*) from canary where id = '<v>' or id = '<id>';\nSQL\n```\n";  // 16
  auto r = run(rb, "cast", "int; DELETE FROM canary", true);
  CHECK(r.refusal == "test.md:4: <v> sets the psql variable t, which psql splices into the SQL as it stands at :t (line 5): there its value must be a number; write :'t' "
                     "where a string goes (psql quotes it) (nothing ran)");
  for (const char* id : {"uri", "set"}) {
    INFO(id);
    r = run(rb, id, "x\x95", true);
    CHECK_FALSE(r.ran);
    CHECK(r.refusal.find("the snippet changes how SQL is read (client_encoding;") != std::string::npos);
  }
  CHECK(canaries.damage().empty());
}
