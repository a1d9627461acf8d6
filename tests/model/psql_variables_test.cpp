// psql variables: where psql splices one, which ones psql sets itself, which commands set them
// from data.
#include <catch2/catch.hpp>

#include "model/psql_variables.hpp"

using namespace opsbook::model;

// s11a review B3: psql's scanner takes `::` first, so `:::x` is a cast to the variable x's text.
TEST_CASE("psql_plain_uses: :::NAME is :: then :NAME, and a backslash command splices ::NAME", "[model][sql]") {
  CHECK(psql_plain_uses("select 1::x", "x").empty());
  CHECK(psql_plain_uses("select 1:::x", "x") == std::vector<size_t>{10});
  CHECK(psql_plain_uses("select 1::::x", "x").empty());
  CHECK(psql_plain_uses("select 1:::::x", "x") == std::vector<size_t>{12});
  CHECK(psql_plain_uses("select '42':::t;", "t") == std::vector<size_t>{13});
  CHECK(psql_plain_uses("select a\\::x", "x") == std::vector<size_t>{10});  // \: is a colon psql keeps
  CHECK(psql_plain_uses("\\echo ::x", "x") == std::vector<size_t>{7});
  CHECK(psql_colon_starts_variable("a:=:x", 3));
  CHECK_FALSE(psql_colon_starts_variable("a::x", 2));
}

TEST_CASE("psql_own_variable: the names psql sets itself or whose value its hooks decide", "[model][sql]") {
  for (const char* name : {"LAST_ERROR_MESSAGE", "LAST_ERROR_SQLSTATE", "ERROR", "SQLSTATE", "ROW_COUNT", "SHELL_ERROR", "SHELL_EXIT_CODE", "ENCODING",
                           "DBNAME", "HOST", "PORT", "USER", "SERVER_VERSION_NUM", "SERVER_VERSION_NAME", "VERSION", "VERSION_NUM", "LASTOID",
                           "FETCH_COUNT", "AUTOCOMMIT", "PIPELINE_SYNC_COUNT"}) {
    INFO(name);
    CHECK(psql_own_variable(name));
  }
  for (const char* name : {"lim", "n", "1", "row_count", "LIMIT"}) CHECK_FALSE(psql_own_variable(name));
}

TEST_CASE("psql_sets_variables_from_data: gset, prompt, getenv and files", "[model][sql]") {
  for (const char* meta : {"\\gset", "\\gset pre_", "\\prompt 'n?' n", "\\getenv h HOME", "\\i x.sql", "\\ir x.sql", "\\include x.sql", "\\e"}) {
    INFO(meta);
    CHECK(psql_sets_variables_from_data(meta));
  }
  for (const char* meta : {"\\set n 5", "\\echo :n", "\\x", "\\g", "\\gexec", "\\dt"}) CHECK_FALSE(psql_sets_variables_from_data(meta));
}
