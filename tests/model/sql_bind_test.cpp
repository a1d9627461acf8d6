// Binding placeholders in SQL: values become $n parameters, never SQL text.
#include <catch2/catch.hpp>

#include "model/sql_bind.hpp"

using namespace opsbook::model;

namespace {
SqlPlaceholder value(std::string name, std::string v) { return {"<" + name + ">", name, std::move(v), false}; }
SqlPlaceholder ident(std::string name, std::string v) { return {"<" + name + ">", name, std::move(v), true}; }
}  // namespace

TEST_CASE("bind_sql: a bare placeholder is a parameter, whatever its value", "[model][sql]") {
  auto b = bind_sql("DELETE FROM orders WHERE id = <order_id>", {value("order_id", "id")});
  CHECK(b.refusal.empty());
  CHECK(b.text == "DELETE FROM orders WHERE id = $1");
  CHECK(b.values == std::vector<std::string>{"id"});
  b = bind_sql("SELECT pg_cancel_backend(<pid>) WHERE <pid> > 0", {value("pid", "1); DROP TABLE x; --")});
  CHECK(b.text == "SELECT pg_cancel_backend($1) WHERE $2 > 0");
  CHECK(b.values == std::vector<std::string>{"1); DROP TABLE x; --", "1); DROP TABLE x; --"});
}

TEST_CASE("bind_sql: placeholders inside a string literal become a bound concatenation", "[model][sql]") {
  auto b = bind_sql("SELECT * FROM users WHERE name LIKE '%<name>%' AND status = '<status>'",
                    {value("name", "o'brien"), value("status", "x' OR '1'='1")});
  CHECK(b.text == "SELECT * FROM users WHERE name LIKE ('%' || $1::text || '%') AND status = $2");
  CHECK(b.values == std::vector<std::string>{"o'brien", "x' OR '1'='1"});
  b = bind_sql("SELECT now() - interval '<days> days', date '<day>', now() AT TIME ZONE '<tz>'",
               {value("days", "3"), value("day", "2026-01-01"), value("tz", "UTC")});
  CHECK(b.text == "SELECT now() - CAST(($1::text || ' days') AS interval), CAST($2 AS date), now() AT TIME ZONE $3");
  b = bind_sql("SELECT timestamp with time zone '<t>'", {value("t", "x")});
  CHECK(b.refusal == "<t> stands in a typed literal of a type written in several words: write it as '...'::type (e.g. '...'::timestamptz)");
}

TEST_CASE("bind_sql: names only when declared, quoted as names", "[model][sql]") {
  auto b = bind_sql("SELECT count(*) FROM <table>", {value("table", "orders")});
  CHECK(b.refusal == "<table> stands where a name goes: declare it with ident=table on the snippet so its value is quoted as a name");
  b = bind_sql("SELECT count(*) FROM <table> WHERE id = <id>", {ident("table", "public.ord\"ers"), value("id", "1")});
  CHECK(b.text == "SELECT count(*) FROM \"public\".\"ord\"\"ers\" WHERE id = $1");
  b = bind_sql("SELECT count(*) FROM \"<table>\"", {ident("table", "a.b\"; DROP")});
  CHECK(b.text == "SELECT count(*) FROM \"a.b\"\"; DROP\"");
  b = bind_sql("SELECT \"<col>\" FROM t", {value("col", "x")});
  CHECK(b.refusal == "<col> stands inside a quoted name: declare it with ident=col on the snippet if it is a name");
  b = bind_sql("SELECT 1 FROM <t>", {ident("t", std::string(64, 'a'))});
  CHECK(b.refusal.starts_with("<t> is declared a name (ident=t), but its value is not one PostgreSQL keeps as written"));
  CHECK(quote_sql_identifier("a\nb").empty());
  CHECK(identifier_names("table, schema") == std::vector<std::string>{"table", "schema"});
}

TEST_CASE("bind_sql: where no value can be bound, it refuses with the reason", "[model][sql]") {
  CHECK(bind_sql("DO $$ BEGIN PERFORM <x>; END $$", {value("x", "1")}).refusal ==
        "<x> stands inside a dollar-quoted body: opsbook cannot bind a value there; put it where a value or a plain '...' string goes");
  CHECK(bind_sql("SELECT E'\\n<x>'", {value("x", "1")}).refusal.starts_with("<x> stands inside an E'...' string"));
  CHECK(bind_sql("SET statement_timeout = <ms>", {value("ms", "0")}).refusal ==
        "PostgreSQL binds values only in SELECT, INSERT, UPDATE, DELETE, MERGE, VALUES, WITH and CALL; SET cannot take <ms> as a value");
  CHECK(bind_sql("SELECT <x>", {value("x", std::string("a\0b", 3))}).refusal == "<x>: the value holds a NUL byte, which PostgreSQL text cannot hold");
  CHECK(bind_sql("SELECT $1, <x>", {value("x", "1")}).refusal == "the statement uses $1 itself: write placeholders such as <name> for opsbook to bind");
  // In a comment nothing runs: left alone. Without placeholders nothing changes.
  CHECK(bind_sql("SELECT 1 -- <x>", {value("x", "1")}).text == "SELECT 1 -- <x>");
  CHECK(bind_sql("VACUUM <t>", {ident("t", "orders")}).text == "VACUUM \"orders\"");
}
