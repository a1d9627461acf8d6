// model/pattern: runbook regular expressions in linear time, with a size bound.
#include <catch2/catch.hpp>

#include <chrono>
#include <string>

#include "model/pattern.hpp"

using namespace opsbook;

TEST_CASE("a backtracking pattern over a large text runs in linear time", "[model][pattern]") {
  // (a|b)*ok over 100 KB crashed std::regex (recursion); x(a*)*y is exponential for backtrackers.
  std::string text(100000, 'a');
  std::string error;
  auto start = std::chrono::steady_clock::now();
  CHECK(model::pattern_search("^(a|b)*ok$", text + "ok\n", 1 << 20, error) == true);
  CHECK(model::pattern_search("x(a*)*y", "x" + text, 1 << 20, error) == false);
  CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(5));
}

TEST_CASE("^ and $ match at line breaks: bad and oversized patterns are reported", "[model][pattern]") {
  std::string error;
  CHECK(model::pattern_search("^ready$", "starting\nready\ndone\n", 1 << 20, error) == true);
  CHECK_FALSE(model::pattern_search("(a)\\1", "aa", 1 << 20, error));
  CHECK(error == "not a valid RE2 regular expression: invalid escape sequence: \\1");
  CHECK(model::pattern_error("(?=x)", 1 << 20).starts_with("not a valid RE2 regular expression: "));
  CHECK(model::pattern_error("(abc|xyz){1000}", 64 << 10) ==
        "the pattern is larger than the limit of 65536 bytes once compiled (raise limits.regex_bytes in opsbook.yaml)");
  CHECK(model::pattern_error("ok|fine", 1 << 20).empty());
}

TEST_CASE("a pattern past 64 MiB is refused whatever limits.regex_bytes says, and the message says so (s7b review B4)", "[model][pattern]") {
  // Under a 1 TiB limit RE2 capped the program itself, after 2.7 s and 252 MB, and the message
  // named the 1 TiB limit.
  std::string big;
  for (int i = 0; i < 8; ++i) big += "\\pL{1000}";
  CHECK(model::pattern_error(big, size_t{1} << 40) == "the pattern is larger than 67108864 bytes once compiled, the most opsbook compiles whatever limits.regex_bytes says");
  // The verdict on a text is kept: asking again gives the same answer.
  CHECK(model::pattern_error(big, size_t{1} << 40) == model::pattern_error(big, size_t{1} << 40));
  CHECK(model::pattern_error("[a-z]{1000}", size_t{1} << 40).empty());
}
