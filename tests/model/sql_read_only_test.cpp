// The read-only vetting: only allow-listed statements, no deny-listed function however it is
// spelled or hidden.
#include <catch2/catch.hpp>

#include "model/sql_read_only.hpp"
#include "support.hpp"

using namespace opsbook::model;

namespace {
std::string why(std::string_view sql) {
  ReadOnlyVerdict v = vet_read_only(sql);
  return v.allowed ? "allowed" : v.reason;
}
}  // namespace

TEST_CASE("read-only vetting: the allow list", "[model][sql]") {
  for (const char* ok : {"SELECT count(*) FROM orders WHERE status = 'pending'", "WITH p AS (SELECT 1) SELECT * FROM p", "VALUES (1), (2)",
                         "TABLE orders", "SHOW max_connections", "EXPLAIN SELECT 1", "EXPLAIN (COSTS OFF) SELECT 1", "EXPLAIN VERBOSE DELETE FROM t",
                         "(SELECT 1) UNION (SELECT 2)", "select substring(s from 1 for 2) from t", ""}) {
    INFO(ok);
    CHECK(why(ok) == "allowed");
  }
  CHECK(why("COPY (SELECT 1) TO PROGRAM 'touch /tmp/x'") == "COPY is not a read (only SELECT, WITH, VALUES, TABLE, SHOW and EXPLAIN run)");
  CHECK(why("SET transaction_read_only = off") == "SET is not a read (only SELECT, WITH, VALUES, TABLE, SHOW and EXPLAIN run)");
  CHECK(why("DELETE FROM orders") == "DELETE is not a read (only SELECT, WITH, VALUES, TABLE, SHOW and EXPLAIN run)");
  CHECK(why("EXPLAIN ANALYZE DELETE FROM orders") == "EXPLAIN ANALYZE executes the statement");
  CHECK(why("EXPLAIN VERBOSE ANALYSE SELECT 1") == "EXPLAIN ANALYZE executes the statement");
  CHECK(why("EXPLAIN (FORMAT JSON, analyze) DELETE FROM orders") == "EXPLAIN ANALYZE executes the statement");
  CHECK(why("EXPLAIN (\"analyze\") DELETE FROM orders") == "EXPLAIN ANALYZE executes the statement");
  CHECK(why("WITH d AS (DELETE FROM orders RETURNING *) SELECT count(*) FROM d") == "DELETE inside the query writes rows");
  CHECK(why("SELECT * INTO copy FROM orders") == "SELECT ... INTO creates a table");
  CHECK(why("SELECT * FROM orders FOR UPDATE") == "SELECT ... FOR UPDATE locks rows");
  CHECK(why("SELECT 1; DELETE FROM orders") == "more than one statement");
  CHECK(why("SELECT 'open") == "a quote or comment is never closed");
  CHECK(why("SELECT 1 \\gexec") == "psql meta-command");
}

TEST_CASE("read-only vetting: side-effecting functions, however spelled", "[model][sql]") {
  std::string terminate = "pg_terminate_backend() signals or stops another session";
  CHECK(why("SELECT pg_terminate_backend(pid) FROM pg_stat_activity") == terminate);
  CHECK(why("SELECT PG_TERMINATE_BACKEND(1)") == terminate);
  CHECK(why("SELECT pg_catalog.pg_terminate_backend(1)") == terminate);
  CHECK(why("SELECT \"pg_terminate_backend\"(1)") == terminate);
  CHECK(why("SELECT pg_catalog . \"pg_terminate_backend\" /* x */ (1)") == terminate);
  CHECK(why("SELECT /* 'x */ pg_terminate_backend(1) -- '") == terminate);
  CHECK(why("SELECT $$ $$, pg_terminate_backend(1), $$ $$") == terminate);
  CHECK(why("SELECT t.pg_terminate_backend FROM t") == terminate);
  CHECK(why("SELECT U&\"pg_t\\0065rminate_backend\"(1)") == "a name written with U& escapes hides what it calls");
  CHECK(why("SELECT lo_export(1, '/tmp/x')") == "lo_export() imports, exports or changes large objects");
  CHECK(why("SELECT * FROM dblink_exec('host=x', 'DROP TABLE t')") == "dblink_exec() runs SQL on another server (dblink)");
  CHECK(why("SELECT pg_advisory_lock(1)") == "pg_advisory_lock() takes an advisory lock");
  CHECK(why("SELECT set_config('a.b', 'c', false)") == "set_config() changes a setting");
  CHECK(why("SELECT nextval('orders_id_seq')") == "nextval() advances or sets a sequence");
  CHECK(why("SELECT query_to_xml('select pg_reload_conf()', true, false, '')") == "query_to_xml() runs a query given as a string");
  CHECK(why("SELECT pg_read_file('/etc/passwd')") == "pg_read_file() reads or writes files on the database server");
  CHECK(why("SELECT * FROM pg_ls_dir('.')") == "pg_ls_dir() reads or writes files on the database server");
  CHECK(why("WITH x AS (SELECT pg_reload_conf()) SELECT 1") == "pg_reload_conf() changes the server's state");
  CHECK(why("EXPLAIN SELECT pg_cancel_backend(1)") == "pg_cancel_backend() signals or stops another session");
  // The names PostgreSQL used before version 10 (pg_xlog_*), still in older runbooks.
  CHECK(why("SELECT pg_xlog_replay_pause()") == "pg_xlog_replay_pause() changes the server's state");
  CHECK(why("SELECT pg_xlog_replay_resume()") == "pg_xlog_replay_resume() changes the server's state");
  // Named in text only: not a call.
  CHECK(why("SELECT count(*) FROM pg_stat_activity WHERE query LIKE '%pg_terminate_backend%'") == "allowed");
  CHECK(why("SELECT 1 -- pg_terminate_backend(1)") == "allowed");
  CHECK(why("SELECT $q$ pg_terminate_backend(1) $q$") == "allowed");
}

TEST_CASE("read-only vetting: names and operators are listed for the server-side check", "[model][sql]") {
  // Every name, called or not (`c.fn` calls fn(c)); quoted names keep their case, as in PostgreSQL.
  auto v = vet_read_only("SELECT count(*), public.my_fn(1), \"Odd\"(2), c.Row_Fn FROM t c WHERE x IN (1) AND 1 !!! 2 OR a <-> b OR a <-2");
  CHECK(v.names == std::vector<std::string>{"Odd", "a", "and", "b", "c", "count", "from", "in", "my_fn", "or", "public", "row_fn", "select", "t", "where", "x"});
  CHECK(v.operators == std::vector<std::string>{"!!!", "*", "<", "<-", "<->"});
  auto check = opsbook::model::volatile_user_functions(v);
  CHECK(check.params.size() == v.names.size() + v.operators.size());
  CHECK(check.query.find("p.proname IN ($1, $2,") != std::string::npos);
  CHECK(check.query.find("o.oprname IN ($17, $18, $19, $20, $21)") != std::string::npos);
  CHECK(opsbook::model::volatile_user_functions(vet_read_only("SELECT 1")).query.find("o.oprname IN (NULL)") != std::string::npos);
}

TEST_CASE("explainable: EXPLAIN plans these without running them", "[model][sql]") {
  CHECK(explainable("DELETE FROM t WHERE id = 1"));
  CHECK(explainable("WITH d AS (DELETE FROM t RETURNING *) SELECT 1"));
  CHECK_FALSE(explainable("ANALYZE DELETE FROM t"));
  CHECK_FALSE(explainable("/* x */ ANALYZE t"));
  CHECK_FALSE(explainable("(SELECT 1)"));
  CHECK_FALSE(explainable("DROP TABLE t"));
  CHECK_FALSE(explainable("SELECT 1; DELETE FROM t"));
}

TEST_CASE("privileged roles are named with the reason", "[model][sql]") {
  CHECK(privileged_role_reason({"ro", false, false, false, false}).empty());
  CHECK(privileged_role_reason({"postgres", true, true, true, true}) == "role 'postgres' is a superuser (or may become one)");
  CHECK(privileged_role_reason({"etl", false, true, false, true}) == "role 'etl' is a member of pg_execute_server_program, pg_read_server_files");
}

TEST_CASE("docs/SECURITY.md lists exactly the deny list of the code", "[model][sql]") {
  std::string doc = opsbook::test::read_file(opsbook::test::data_dir() + "/../../docs/SECURITY.md");
  size_t table = doc.find("| Function | Why |");
  REQUIRE(table != std::string::npos);
  std::string rows = doc.substr(table, doc.find("\n\n", table) - table);
  std::vector<std::string> documented;
  for (size_t p = rows.find('`'); p != std::string::npos; p = rows.find('`', p + 1)) {
    size_t end = rows.find('`', p + 1);
    documented.emplace_back(rows.substr(p + 1, end - p - 1));
    p = end;
  }
  std::vector<std::string> code;
  for (const auto& d : denied_functions()) code.emplace_back(d.name);
  std::sort(documented.begin(), documented.end());
  std::sort(code.begin(), code.end());
  CHECK(documented == code);
}
