// What switches how SQL is read, after decoding: the rule the classifier and opsbook run share.
#include <catch2/catch.hpp>

#include "model/sql_reading.hpp"

using namespace opsbook::model;

// s11a review B4: a Unicode-escaped SET, a %-encoded URI and options' spellings passed a plain
// text match, and each dropped a table.
TEST_CASE("sql_reading_switch: decoded spellings of the settings that change the reading", "[model][sql]") {
  struct Case {
    const char* text;
    const char* what;
  };
  for (const Case& c : std::initializer_list<Case>{
           {"SET U&\"standard\\005fconforming\\005fstrings\" = off", "standard_conforming_strings"},
           {"SET U&\"client\\+00005fencoding\" TO 'SJIS'", "client_encoding"},
           {"set \"Standard_Conforming_Strings\" = off", "standard_conforming_strings"},
           {"select set_config(E'client\\x5fencoding', 'SJIS', false)", "client_encoding"},
           {"select set_config(U&'backslash\\005fquote', 'on', false)", "backslash_quote"},
           {"psql \"postgresql://u@h:5432/db?options=-c%20standard%5Fconforming%5Fstrings%3Doff\"", "standard_conforming_strings"},
           {"postgresql://u@h/db?client%5Fencoding=SJIS", "client_encoding"},
           {"host=db options='-c standard-conforming-strings=off'", "standard_conforming_strings"},
           {"host=db options='--standard\\_conforming\\_strings=off'", "standard_conforming_strings"},
           {"SET SESSION NAMES 'SJIS'", "SET NAMES"},
           {"\\encoding SJIS", "\\encoding"},
           {"PGCLIENTENCODING=SJIS psql -c 'select 1'", "PGCLIENTENCODING"},
           {"PGOPTIONS='-c standard-conforming-strings=off' psql", "standard_conforming_strings"},
       }) {
    INFO(c.text);
    ReadingSwitch r = sql_reading_switch(c.text);
    CHECK(r.what == c.what);
    CHECK(r.plain);
  }
}

TEST_CASE("sql_reading_switch: a name opsbook cannot read is assumed to switch the reading", "[model][sql]") {
  for (const char* text : {"SET U&\"standard!005fconforming!005fstrings\" UESCAPE '!' = off", "select set_config('client_' || 'encoding', 'SJIS', false)",
                           "select set_config(:'n', 'off', false)", "SET :\"n\" = off", "SET LOCAL :n TO off", "RESET :\"n\"",
                           "UPDATE pg_catalog.pg_settings SET setting = 'off' WHERE name = chr(115) || 'tandard'", "PGOPTIONS=\"$OPTS\" psql -c 'select 1'",
                           "export PGOPTIONS; psql", "PGSERVICEFILE=./pg_service.conf psql service=x"}) {
    INFO(text);
    ReadingSwitch r = sql_reading_switch(text);
    CHECK(r.found());
    CHECK_FALSE(r.plain);
  }
}

TEST_CASE("sql_reading_switch: what leaves the reading alone", "[model][sql]") {
  for (const char* text : {"select 1", "SET search_path TO app", "SET U&\"search\\005fpath\" TO app", "select set_config('search_path', 'app', false)",
                           "SELECT name, setting FROM pg_settings", "postgresql://u@h/db?sslmode=require&application_name=x%20y",
                           "PGOPTIONS='-c statement_timeout=5s' psql -c 'select 1'", "\\set n 5", "select names from t", "set -e; echo :x"}) {
    INFO(text);
    CHECK_FALSE(sql_reading_switch(text).found());
  }
}
