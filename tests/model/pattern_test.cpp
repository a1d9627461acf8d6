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

TEST_CASE("^ and $ match at line breaks; bad and oversized patterns are reported", "[model][pattern]") {
  std::string error;
  CHECK(model::pattern_search("^ready$", "starting\nready\ndone\n", 1 << 20, error) == true);
  CHECK_FALSE(model::pattern_search("(a)\\1", "aa", 1 << 20, error));
  CHECK(error == "not a valid RE2 regular expression: invalid escape sequence: \\1");
  CHECK(model::pattern_error("(?=x)", 1 << 20).starts_with("not a valid RE2 regular expression: "));
  CHECK(model::pattern_error("(abc|xyz){1000}", 64 << 10) ==
        "the pattern is larger than the limit of 65536 bytes once compiled (raise limits.regex_bytes in opsbook.yaml)");
  CHECK(model::pattern_error("ok|fine", 1 << 20).empty());
}
