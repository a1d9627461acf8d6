// Promise: "read-only checks never change anything" (README "Safety", docs/SECURITY.md), for
// SQL. Hostile SQL against the live stack's real PostgreSQL 15, through `check --live`, the
// probe adapter itself and `opsbook run`, with the recommended read-only role and with a
// superuser: every canary (rows, a sequence, server-side files, large objects, a second
// backend) must be as it was.
#include <catch2/catch.hpp>

#include "model/config.hpp"
#include "red_team.hpp"
#include "runner/run.hpp"
#include "validator/live_probe.hpp"

using namespace opsbook;

namespace {

// Statements that would change something if they ran; {V} stands for the second backend's
// pid, {F} for a canary file the server could write.
struct Attack {
  const char* sql;
  const char* what;
};
const Attack k_attacks[] = {
    {"COPY (SELECT 1) TO PROGRAM 'touch {F}'", "COPY ... TO PROGRAM"},
    {"COPY canary TO '{F}'", "COPY ... TO a server file"},
    {"SELECT lo_export(lo_from_bytea(0, 'x'), '{F}')", "large-object export"},
    {"SELECT lo_import('/etc/hostname')", "large-object import"},
    {"SELECT pg_terminate_backend({V})", "terminating a backend"},
    {"SELECT PG_CATALOG.\"pg_terminate_backend\"({V})", "schema-qualified, quoted, mixed case"},
    {"SELECT /* ) */ pg_catalog . Pg_Terminate_Backend /* ( */ ({V}) -- '", "comments around the call"},
    {"SELECT $x$ ; $x$, pg_terminate_backend({V})", "after a dollar-quoted string"},
    {"SELECT 'a\\', pg_terminate_backend({V}), '", "backslash before a quote (standard strings)"},
    {"SELECT E'\\'', pg_terminate_backend({V}), ''", "after an E'' string"},
    {"SELECT U&\"pg_t\\0065rminate_backend\"({V})", "U& escapes in the name"},
    {"SELECT canary_kill({V})", "a VOLATILE function of the database's own"},
    {"SELECT * FROM query_to_xml('select pg_terminate_backend({V})', true, false, '')", "a query in a string"},
    {"SELECT nextval('canary_seq')", "advancing a sequence"},
    {"SELECT setval('canary_seq', 1)", "setting a sequence"},
    {"EXPLAIN ANALYZE DELETE FROM canary", "EXPLAIN ANALYZE of a DELETE"},
    {"EXPLAIN (ANALYZE, FORMAT TEXT) DELETE FROM canary", "EXPLAIN (ANALYZE) of a DELETE"},
    {"EXPLAIN (\"analyze\") SELECT setval('canary_seq', 1)", "EXPLAIN with a quoted ANALYZE option"},
    {"WITH d AS (DELETE FROM canary RETURNING *) SELECT count(*) FROM d", "a writable CTE"},
    {"SELECT 1; DELETE FROM canary", "a second statement"},
    {"SELECT * INTO canary_copy FROM canary", "SELECT INTO"},
    {"SET transaction_read_only = off; DELETE FROM canary WHERE id > 0", "leaving the READ ONLY transaction"},
    {"DO $$ BEGIN DELETE FROM canary; END $$", "an anonymous code block"},
    {"\\! touch {F}", "a psql shell escape"},
};

std::string instantiate(std::string sql, test::PgCanaries& canaries, const std::string& name) {
  for (size_t p; (p = sql.find("{V}")) != std::string::npos;) sql.replace(p, 3, std::to_string(canaries.victim_pid()));
  if (size_t p = sql.find("{F}"); p != std::string::npos) sql.replace(p, 3, canaries.file(name));
  return sql;
}

// One snippet per attack; declared read-only, as a hostile author would.
std::string attack_runbook(test::PgCanaries& canaries) {
  std::string rb = "# Attacks\n\n";
  int n = 0;
  for (const auto& a : k_attacks) {
    std::string name = "a" + std::to_string(n++);
    rb += "```sql {name=" + name + " safety=read-only}\n" + instantiate(a.sql, canaries, name) + ";\n```\n\n";
  }
  return rb;
}

}  // namespace

TEST_CASE("promise: read-only checks never change anything -- hostile SQL in check --live, any role", "[security][sql]") {
  for (const auto& dsn : test::k_dsn_cases) {
    INFO("connecting as " << dsn.label);
    test::PgCanaries canaries;
    test::TempDir dir;
    auto c = test::check_live(dir, test::stack_config(dsn.variable, dsn.extra), attack_runbook(canaries));
    INFO(c.run.err);
    CHECK(canaries.damage().empty());
    CHECK(c.run.exit_code <= 1);
    size_t privileged = 0;
    for (const auto& f : c.report["findings"]) privileged += f["rule"] == "live-privileged-role";
    CHECK(privileged == (std::string(dsn.label) == "a superuser" ? 1u : 0u));
  }
}

TEST_CASE("promise: read-only checks never change anything -- the probe runs only vetted statements, whatever it is handed", "[security][sql]") {
  // The adapter is the last line: these tasks ask it to *run* each attack as a read.
  for (const auto& dsn : test::k_dsn_cases) {
    INFO("connecting as " << dsn.label);
    test::PgCanaries canaries;
    std::vector<validator::SqlTask> tasks;
    int n = 0;
    for (const auto& a : k_attacks) {
      validator::SqlTask t;
      t.mode = validator::SqlMode::query;
      t.allow_privileged_role = std::string(dsn.extra).find("allow_privileged_role") != std::string::npos;
      t.statements.push_back({instantiate(a.sql, canaries, "p" + std::to_string(n++)), {}, 1});
      tasks.push_back(std::move(t));
    }
    validator::ProbeLimits limits;
    limits.timeout = std::chrono::seconds(10);
    auto results = validator::probe_postgres({test::stack().at(dsn.variable)}, tasks, limits);
    for (size_t i = 0; i < results.size(); ++i) {
      INFO(k_attacks[i].what << ": " << results[i].detail << results[i].error);
      // Explained, skipped, or refused by the server: never run as a read.
      const auto& d = results[i].detail;
      CHECK((d.find("explained, not run") != std::string::npos || d.find("neither run nor explained") != std::string::npos || !results[i].error.empty()));
      CHECK(d.find(" row") == d.find(" rows)"));
    }
    CHECK(canaries.damage().empty());
  }
}

TEST_CASE("promise: read-only checks never change anything -- a plain read still runs, as the reader's role", "[security][sql]") {
  test::PgCanaries canaries;
  validator::SqlTask t;
  t.statements.push_back({"SELECT count(*) FROM canary WHERE note LIKE $1", {"t%"}, 1});
  auto r = validator::probe_postgres({test::stack().at("OPSBOOK_PG_DSN")}, {t}, {});
  CHECK(r[0].detail == "1 row");
  // The superuser only EXPLAINs it, and says why.
  r = validator::probe_postgres({test::stack().at("OPSBOOK_PG_SUPER_DSN")}, {t}, {});
  CHECK(r[0].detail == "1 statement explained, not run (role 'shop_admin' is a superuser (or may become one))");
  CHECK(r[0].privileged == "role 'shop_admin' is a superuser (or may become one)");
  // A write with a bound value is planned, never run.
  validator::SqlTask w;
  w.mode = validator::SqlMode::explain;
  w.statements.push_back({"DELETE FROM canary WHERE id = $1", {"1"}, 1});
  r = validator::probe_postgres({test::stack().at("OPSBOOK_PG_APP_DSN")}, {w}, {});
  CHECK(r[0].detail == "1 statement explained, not run");
  CHECK(canaries.damage().empty());
}

TEST_CASE("promise: read-only checks never change anything -- opsbook run refuses hostile read-only SQL without a confirmation", "[security][sql]") {
  for (const auto& dsn : test::k_dsn_cases) {
    INFO("connecting as " << dsn.label);
    test::PgCanaries canaries;
    model::EnvironmentConfig env;
    env.name = "local";
    env.services.push_back({"db", "postgres", "", dsn.variable, ""});
    env.allow_privileged_role = std::string(dsn.extra).find("allow_privileged_role") != std::string::npos;
    auto rb = test::parse(attack_runbook(canaries));
    for (const auto& s : rb.snippets) {
      runner::RunOptions o;
      o.env = &env;  // no --yes, no terminal
      auto r = runner::run_snippet(rb, s, o);
      INFO(s.code << " -> " << r.refusal << r.err);
      CHECK(r.exit_code == 2);
    }
    CHECK(canaries.damage().empty());
  }
}
