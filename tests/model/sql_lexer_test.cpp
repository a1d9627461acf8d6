// The SQL tokenizer: every quoting form PostgreSQL has, as PostgreSQL reads it.
#include <catch2/catch.hpp>

#include "model/sql_lexer.hpp"

using namespace opsbook::model;

namespace {

// "kind:text" of each token.
std::vector<std::string> tokens(std::string_view code) {
  std::vector<std::string> out;
  for (const auto& t : lex_sql(code)) {
    const char* kind = "";
    switch (t.kind) {
      case SqlTokenKind::word: kind = "word"; break;
      case SqlTokenKind::quoted_ident: kind = "ident"; break;
      case SqlTokenKind::string: kind = "str"; break;
      case SqlTokenKind::escape_string: kind = "estr"; break;
      case SqlTokenKind::dollar_string: kind = "dollar"; break;
      case SqlTokenKind::number: kind = "num"; break;
      case SqlTokenKind::param: kind = "param"; break;
      case SqlTokenKind::op: kind = "op"; break;
      case SqlTokenKind::punct: kind = "punct"; break;
      case SqlTokenKind::semicolon: kind = "semi"; break;
      case SqlTokenKind::comment: kind = "comment"; break;
      case SqlTokenKind::meta: kind = "meta"; break;
    }
    out.push_back(std::string(kind) + ":" + std::string(code.substr(t.begin, t.end - t.begin)) + (t.unterminated ? "!" : ""));
  }
  return out;
}

using V = std::vector<std::string>;

}  // namespace

TEST_CASE("sql lexer: strings, escape strings and doubled quotes", "[model][sql]") {
  CHECK(tokens("SELECT 'it''s', E'a\\'b', e'\\\\', N'x'") ==
        V{"word:SELECT", "str:'it''s'", "punct:,", "estr:E'a\\'b'", "punct:,", "estr:e'\\\\'", "punct:,", "str:N'x'"});
  // Standard-conforming strings: a backslash does not escape the quote.
  CHECK(tokens("SELECT 'a\\'; DELETE") == V{"word:SELECT", "str:'a\\'", "semi:;", "word:DELETE"});
  CHECK(tokens("SELECT 'open") == V{"word:SELECT", "str:'open!"});
}

TEST_CASE("sql lexer: nested comments, and operators never swallow a comment start", "[model][sql]") {
  CHECK(tokens("SELECT /* a /* b */ still; */ 1") == V{"word:SELECT", "comment:/* a /* b */ still; */", "num:1"});
  CHECK(tokens("SELECT 1 /* open /* */") == V{"word:SELECT", "num:1", "comment:/* open /* */!"});
  CHECK(tokens("SELECT 1+--x\n2") == V{"word:SELECT", "num:1", "op:+", "comment:--x", "num:2"});
  CHECK(tokens("a*/*c*/b") == V{"word:a", "op:*", "comment:/*c*/", "word:b"});
}

TEST_CASE("sql lexer: dollar quotes, parameters and names with $", "[model][sql]") {
  CHECK(tokens("DO $$ x; $$; $f$ 'a' $g$ $f$ $1 a$b$ c") ==
        V{"word:DO", "dollar:$$ x; $$", "semi:;", "dollar:$f$ 'a' $g$ $f$", "param:$1", "word:a$b$", "word:c"});
  CHECK(tokens("$x$ open") == V{"dollar:$x$ open!"});
}

TEST_CASE("sql lexer: quoted and schema-qualified names, U& forms", "[model][sql]") {
  CHECK(tokens("pg_catalog.\"pg_sleep\"(1) U&\"d\\0061t\" u&'x'") ==
        V{"word:pg_catalog", "punct:.", "ident:\"pg_sleep\"", "punct:(", "num:1", "punct:)", "ident:U&\"d\\0061t\"", "str:u&'x'"});
  auto t = lex_sql("\"a\"\"b\" Foo");
  CHECK(sql_identifier("\"a\"\"b\" Foo", t[0]) == "a\"b");
  CHECK(sql_identifier("\"a\"\"b\" Foo", t[1]) == "foo");
}

TEST_CASE("sql lexer: numbers do not swallow names: psql meta-commands run to the end of the line", "[model][sql]") {
  CHECK(tokens("1.5e3 2abc .5") == V{"num:1.5e3", "num:2", "word:abc", "num:.5"});
  CHECK(tokens("SELECT 1 \\gexec\nSELECT 2") == V{"word:SELECT", "num:1", "meta:\\gexec", "word:SELECT", "num:2"});
}

// s10a review B1, B3: psql runs every backslash command on a line, and \\ and \; go back to SQL.
TEST_CASE("sql lexer: backslash commands end at the next unquoted backslash, as psql's own scanner reads them", "[model][sql]") {
  CHECK(tokens("\\x \\! touch F") == V{"meta:\\x ", "meta:\\! touch F"});
  CHECK(tokens("\\pset format aligned \\o /tmp/x") == V{"meta:\\pset format aligned ", "meta:\\o /tmp/x"});
  CHECK(tokens("\\echo hi \\\\ select 1") == V{"meta:\\echo hi ", "comment:\\\\", "word:select", "num:1"});
  CHECK(tokens("select 1 \\; drop table t;") == V{"word:select", "num:1", "semi:\\;", "word:drop", "word:table", "word:t", "semi:;"});
  CHECK(tokens("\\echo 'a \\' \\! b' \\x") == V{"meta:\\echo 'a \\' \\! b' ", "meta:\\x"});       // a quoted backslash is an argument's
  CHECK(tokens("\\! ls \\x\nselect 1") == V{"meta:\\! ls \\x", "word:select", "num:1"});               // \! takes the whole line
  CHECK(tokens("\\g |cat \\x") == V{"meta:\\g |cat \\x"});                                          // so does a |command argument
  CHECK(tokens("\\copy (select '\\x') to stdout \\x") == V{"meta:\\copy (select '\\x') to stdout \\x"});
}

// s11a review B1: only \g, \gx, \o and \w read a file-or-pipe argument (OT_FILEPIPE); after any
// other command `|` is an ordinary character, and psql runs the \! after it.
TEST_CASE("sql lexer: `|` takes the rest of the line only for the g, gx, o and w commands (OT_FILEPIPE)", "[model][sql]") {
  for (const char* name : {"\\echo", "\\l", "\\dt", "\\conninfo", "\\gset", "\\qecho", "\\pset format"}) {
    INFO(name);
    CHECK(tokens(std::string(name) + " |x \\! touch F") == V{"meta:" + std::string(name) + " |x ", "meta:\\! touch F"});
  }
  for (const char* name : {"\\g", "\\gx", "\\o", "\\out", "\\w", "\\write"}) {
    INFO(name);
    CHECK(tokens(std::string(name) + " |x \\! touch F") == V{"meta:" + std::string(name) + " |x \\! touch F"});
  }
  CHECK(tokens("\\g (format=csv) |cat \\x") == V{"meta:\\g (format=csv) |cat \\x"});
}

TEST_CASE("sql lexer: sql_token_at finds the token holding an offset", "[model][sql]") {
  std::string code = "SELECT 'a b' x";
  auto t = lex_sql(code);
  REQUIRE(sql_token_at(t, 9));
  CHECK(sql_token_at(t, 9)->kind == SqlTokenKind::string);
  CHECK(sql_token_at(t, 6) == nullptr);
  CHECK(sql_token_at(t, 13)->kind == SqlTokenKind::word);
  CHECK(sql_token_at(t, 14) == nullptr);
}
