// SQL splitting and classification.
#include <catch2/catch.hpp>

#include "model/sql.hpp"

using namespace opsbook::model;

TEST_CASE("split_sql keeps quotes, comments and dollar quotes intact", "[model][sql]") {
  auto st = split_sql("SELECT 1;\n-- comment; with semicolon\nSELECT 'a;b';\n\\dt\nDO $$ BEGIN PERFORM 1; END $$;\n");
  REQUIRE(st.size() == 4);
  CHECK(st[0].text == "SELECT 1");
  CHECK(st[0].line_offset == 0);
  CHECK(st[1].text == "SELECT 'a;b'");
  CHECK(st[1].line_offset == 2);
  CHECK(st[2].meta);
  CHECK(st[2].text == "\\dt");
  CHECK(st[3].text == "DO $$ BEGIN PERFORM 1; END $$");
  CHECK(st[3].line_offset == 4);
}

TEST_CASE("split_sql reports an unterminated string", "[model][sql]") {
  auto st = split_sql("SELECT 'oops\nFROM t;\n");
  REQUIRE(st.size() == 1);
  CHECK(st[0].unterminated);
  CHECK(st[0].open_quote == '\'');
}

TEST_CASE("classify_sql_statement", "[model][sql]") {
  CHECK(classify_sql_statement("select * from schema_migrations order by version desc limit 5").level == Safety::read_only);
  CHECK(classify_sql_statement("WITH x AS (DELETE FROM t RETURNING *) SELECT * FROM x").level == Safety::destructive);
  CHECK(classify_sql_statement("EXPLAIN SELECT 1").level == Safety::read_only);
  CHECK(classify_sql_statement("EXPLAIN ANALYZE DELETE FROM t WHERE id=1").level == Safety::mutating);
  CHECK(classify_sql_statement("EXPLAIN (\"analyze\", FORMAT JSON) DELETE FROM t").level == Safety::destructive);
  CHECK(classify_sql_statement("COPY (SELECT 1) TO PROGRAM 'x'").level == Safety::destructive);
  CHECK(classify_sql_statement("COPY t TO '/tmp/x'").level == Safety::mutating);
  CHECK(classify_sql_statement("COPY t TO STDOUT").level == Safety::read_only);
  CHECK(classify_sql_statement("(SELECT nextval('s'))").level == Safety::mutating);
  CHECK(classify_sql_statement("UPDATE t SET a = 1").level == Safety::destructive);
  CHECK(classify_sql_statement("ALTER TABLE t DROP COLUMN c").level == Safety::destructive);
  CHECK(classify_sql_statement("ALTER TABLE t ADD COLUMN c int").level == Safety::mutating);
  CHECK(classify_sql_statement("VACUUM ANALYZE t").level == Safety::mutating);
  CHECK(classify_sql_statement("SHOW max_connections").level == Safety::read_only);
  CHECK(classify_sql_statement("\\d+ users").level == Safety::read_only);
  CHECK(classify_sql_statement("\\i restore.sql").level == Safety::mutating);
}

TEST_CASE("classify_sql_statement: MySQL's server-wide forms of session verbs", "[model][sql]") {
  // A setting for every session, replication started or forgotten: mutating.
  for (std::string_view stmt : {"SET GLOBAL replica_parallel_workers = 8", "set global max_connections = 500", "SET @@GLOBAL.read_only = 1",
                                "SET @@global.read_only = 1", "SET PERSIST max_connections = 500", "SET PERSIST_ONLY innodb_log_file_size = 1",
                                "START REPLICA SQL_THREAD", "START SLAVE", "START GROUP_REPLICATION", "RESET REPLICA", "RESET SLAVE ALL"}) {
    INFO(stmt);
    CHECK(classify_sql_statement(stmt).level == Safety::mutating);
  }
  CHECK(classify_sql_statement("SET GLOBAL read_only = 1").reason == "SET GLOBAL changes a server setting for every session");
  // Binary logs deleted: destructive.
  for (std::string_view stmt : {"RESET MASTER", "RESET BINARY LOGS AND GTIDS", "PURGE BINARY LOGS BEFORE '2024-01-01'", "PURGE MASTER LOGS TO 'b.01'"}) {
    INFO(stmt);
    CHECK(classify_sql_statement(stmt).level == Safety::destructive);
  }
  // The session's own: read-only as before.
  for (std::string_view stmt : {"SET statement_timeout = 5", "SET SESSION sql_mode = ''", "SET LOCAL work_mem = '64MB'", "START TRANSACTION",
                                "RESET ALL", "RESET work_mem", "SET @x = 1"}) {
    INFO(stmt);
    CHECK(classify_sql_statement(stmt).level == Safety::read_only);
  }
}

TEST_CASE("split_sql: a pasted psql session is read as the statements after its prompts", "[model][sql]") {
  auto st = split_sql("shop=# select count(*)\nshop-# from orders;\n count\n-------\n    30\n(1 row)\n\nshop=> \\dt\nshop=# SELECT data->>'k' FROM t;\n");
  REQUIRE(st.size() == 3);
  CHECK(st[0].text == "select count(*)\nfrom orders");
  CHECK(st[0].line_offset == 0);
  CHECK(st[1].meta);
  CHECK(st[2].text == "SELECT data->>'k' FROM t");
  CHECK(st[2].line_offset == 8);
  // Plain SQL with operators at line starts is not a session.
  auto plain = split_sql("SELECT a,\n  data->>'k' AS k\nFROM t;\n");
  REQUIRE(plain.size() == 1);
  CHECK(plain[0].text == "SELECT a,\n  data->>'k' AS k\nFROM t");
}
