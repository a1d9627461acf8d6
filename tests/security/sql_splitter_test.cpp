// Promise: "read-only checks never change anything" (docs/SECURITY.md) rests on reading SQL as
// PostgreSQL reads it. Differential test against the live stack's PostgreSQL 15: random texts
// built from the tricky pieces of SQL's lexical grammar (quotes with semicolons, doubled quotes,
// E'' escapes, dollar quotes, nested comments, quoted names, $ in names) are split by
// model/sql; each piece must be exactly one statement to the server, and the server must see
// the whole text as that many statements. A fixed seed keeps it deterministic.
#include <catch2/catch.hpp>
#include <pqxx/pqxx>
#include <random>

#include "model/sql.hpp"
#include "red_team.hpp"

using namespace opsbook;

namespace {

// Expressions that are valid alone and hide a ';' or a quote from a naive reader.
const char* const k_pieces[] = {
    "'a;b'", "'it''s; x'", "E'\\';'", "e'\\\\'", "$$;$$", "$q$ ; 'x $q$", "$q$ $$ ; $q$", "\"we;ird\".x", "U&'\\0041;'", "1 /* ; */",
    "1 /* /* ; */ ; */", "1 -- ;\n", "'--;'", "'/*'", "$$--$$", "x$y$", "length('$$;')", "'\\'", "N';'", "B'01'", "X'1F'", "1.5e3", "(2)"};

std::string random_select(std::mt19937& rng) {
  std::uniform_int_distribution<size_t> pick(0, std::size(k_pieces) - 1);
  std::uniform_int_distribution<int> count(1, 4);
  std::string s = "SELECT ";
  int n = count(rng);
  for (int i = 0; i < n; ++i) {
    std::string piece = k_pieces[pick(rng)];
    if (piece == "\"we;ird\".x" || piece == "x$y$") piece = "(SELECT 1)";  // names need a table: keep the shape, not the lookup
    s += (i ? ", " : "") + piece;
  }
  return s;
}

}  // namespace

TEST_CASE("promise: read-only checks never change anything -- statements are split as PostgreSQL splits them", "[security][sql]") {
  pqxx::connection conn(test::stack().at("OPSBOOK_PG_DSN"));
  conn.set_client_encoding("UTF8");
  std::mt19937 rng(1313);
  for (int round = 0; round < 150; ++round) {
    std::uniform_int_distribution<int> statements(1, 3);
    int k = statements(rng);
    std::string text;
    for (int i = 0; i < k; ++i) text += random_select(rng) + (i + 1 < k ? ";\n" : "");
    INFO(text);
    auto pieces = model::split_sql(text);
    REQUIRE(pieces.size() == static_cast<size_t>(k));
    for (const auto& p : pieces) {
      pqxx::nontransaction tx(conn);
      CHECK_NOTHROW(tx.exec_params(p.text));  // one statement, valid alone
    }
    if (k > 1) {
      pqxx::nontransaction tx(conn);
      CHECK_THROWS_WITH(tx.exec_params(text), Catch::Contains("cannot insert multiple commands into a prepared statement"));
    }
  }
}
