// redis-cli's word splitting (sdssplitargs).
#include <catch2/catch.hpp>

#include "model/redis_cli_line.hpp"

using namespace opsbook::model;
using W = std::vector<std::string>;

TEST_CASE("redis_cli_words: quotes and escapes as redis-cli reads them (s11a B12)", "[model][redis]") {
  CHECK(redis_cli_words("\"\\x46LUSHALL\"") == W{"FLUSHALL"});
  CHECK(redis_cli_words("SET k \"a\\nb\" 'c\\'d'") == W{"SET", "k", "a\nb", "c'd"});
  CHECK(redis_cli_words("GET 'a\\x41'") == W{"GET", "a\\x41"});  // single quotes decode only \'
  CHECK(redis_cli_words("  get   k  ") == W{"get", "k"});
  CHECK(redis_cli_words("ab\"cd\" x") == W{"abcd", "x"});  // a quote opens inside a word
  CHECK(redis_cli_words("") == W{});
  CHECK_FALSE(redis_cli_words("GET \"k").has_value());    // open quote: redis-cli runs nothing
  CHECK_FALSE(redis_cli_words("\"FLUSH\"ALL").has_value());  // a closing quote must end the word
}
