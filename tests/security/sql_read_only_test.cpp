// Promise: "read-only checks never change anything" (README "Safety", docs/SECURITY.md), for
// SQL. Hostile SQL against the live stack's real PostgreSQL 15, through `check --live`, the
// probe adapter itself and `opsbook run`, with the recommended read-only role and with a
// superuser: every canary (rows, a sequence, server-side files, large objects, a second
// backend) must be as it was.
#include <catch2/catch.hpp>
#include <set>
#include <sstream>

#include "model/config.hpp"
#include "model/sql_read_only.hpp"
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
    {"SELECT \"Canary_Kill\"({V})", "a VOLATILE function of the database's own, by a quoted mixed-case name"},
    {"SELECT c.canary_row_kill FROM canary c", "a VOLATILE function of the database's own, called as a column"},
    {"SELECT {V} !!! 0", "an operator of the database's own, backed by a VOLATILE function"},
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

TEST_CASE("promise: read-only checks never change anything -- every VOLATILE function of PostgreSQL 15 is denied or reviewed harmless", "[security][sql]") {
  // Reviewed: reads, clocks, sleeps (bounded by statement_timeout) and session-local state. A
  // VOLATILE function that is neither here nor on the deny list fails this test, so that a new
  // PostgreSQL's functions get a decision before a check may call them.
  static const std::set<std::string> k_harmless = {
      "amvalidate", "clock_timestamp", "current_query", "currtid2", "currval", "gen_random_uuid", "lastval", "pg_blocking_pids",
      "pg_collation_actual_version", "pg_control_checkpoint", "pg_control_init", "pg_control_recovery", "pg_control_system",
      "pg_current_logfile", "pg_current_wal_flush_lsn", "pg_current_wal_insert_lsn", "pg_current_wal_lsn", "pg_database_collation_actual_version",
      "pg_database_size", "pg_export_snapshot", "pg_get_backend_memory_contexts", "pg_get_multixact_members", "pg_get_shmem_allocations",
      "pg_get_wal_replay_pause_state", "pg_get_wal_resource_managers", "pg_hba_file_rules", "pg_ident_file_mappings", "pg_indexes_size",
      "pg_is_in_recovery", "pg_is_wal_replay_paused", "pg_isolation_test_session_is_blocked", "pg_jit_available", "pg_last_committed_xact",
      "pg_last_wal_receive_lsn", "pg_last_wal_replay_lsn", "pg_last_xact_replay_timestamp", "pg_lock_status", "pg_logical_slot_peek_binary_changes",
      "pg_logical_slot_peek_changes", "pg_notification_queue_usage", "pg_partition_ancestors", "pg_partition_tree", "pg_prepared_xact",
      "pg_relation_size", "pg_safe_snapshot_blocking_pids", "pg_sequence_last_value", "pg_show_all_file_settings", "pg_show_replication_origin_status",
      "pg_sleep", "pg_sleep_for", "pg_sleep_until", "pg_stat_clear_snapshot", "pg_stat_get_recovery_prefetch", "pg_stat_get_xact_blocks_fetched",
      "pg_stat_get_xact_blocks_hit", "pg_stat_get_xact_function_calls", "pg_stat_get_xact_function_self_time", "pg_stat_get_xact_function_total_time",
      "pg_stat_get_xact_numscans", "pg_stat_get_xact_tuples_deleted", "pg_stat_get_xact_tuples_fetched", "pg_stat_get_xact_tuples_hot_updated",
      "pg_stat_get_xact_tuples_inserted", "pg_stat_get_xact_tuples_returned", "pg_stat_get_xact_tuples_updated", "pg_stat_have_stats",
      "pg_table_size", "pg_tablespace_size", "pg_total_relation_size", "pg_xact_commit_timestamp", "pg_xact_commit_timestamp_origin",
      "pg_xact_status", "plpgsql_call_handler", "plpgsql_validator", "random", "setseed", "timeofday", "txid_status"};
  // Callable from SQL: no `internal` argument, not a trigger or handler.
  std::string names = test::pg_admin(
      "SELECT string_agg(DISTINCT proname, ' ' ORDER BY proname) FROM pg_catalog.pg_proc WHERE provolatile = 'v' AND prokind = 'f' "
      "AND pronamespace = 'pg_catalog'::regnamespace AND NOT ('internal'::regtype = ANY (proargtypes::oid[])) "
      "AND prorettype NOT IN ('trigger'::regtype, 'event_trigger'::regtype, 'internal'::regtype)");
  std::istringstream in(names);
  std::vector<std::string> undecided;
  size_t seen = 0;
  for (std::string name; in >> name; ++seen) {
    bool denied = !model::side_effect_in("SELECT " + name + "(1)").empty();
    if (!denied && !k_harmless.count(name)) undecided.push_back(name);
  }
  CHECK(seen > 150);  // the query found PostgreSQL's functions
  CHECK(undecided == std::vector<std::string>{});
}
