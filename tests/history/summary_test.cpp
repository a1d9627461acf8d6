// What history says about a check from its past rows: outcomes newest first, pass rate over the
// runs that probed it, last pass, flaky, one outcome per run however often it is documented.
#include "history/summary.hpp"

#include <catch2/catch.hpp>

using namespace opsbook::history;

namespace {

PastCheck past(const std::string& run, const std::string& at, const std::string& target, const std::string& outcome, int line = 3) {
  CheckRow r{"rb.md", line, "http", "", target, "status 2xx", outcome, "", 1.0};
  return {r, run, at, "staging"};
}

}  // namespace

TEST_CASE("summary: pass rate, last pass and flaky over the runs looked at", "[history]") {
  std::vector<PastCheck> rows = {
      past("r4", "2026-01-04T00:00:00Z", "http://a/", "fail"),    past("r4", "2026-01-04T00:00:00Z", "http://b/", "pass", 9),
      past("r3", "2026-01-03T00:00:00Z", "http://a/", "skipped"), past("r3", "2026-01-03T00:00:00Z", "http://b/", "pass", 9),
      past("r2", "2026-01-02T00:00:00Z", "http://a/", "pass"),    past("r1", "2026-01-01T00:00:00Z", "http://a/", "fail"),
  };
  auto s = summarize(rows);
  REQUIRE(s.size() == 2);
  CHECK(s[0].latest.target == "http://a/");
  CHECK(s[0].outcomes == std::vector<std::string>{"fail", "skipped", "pass", "fail"});
  CHECK(s[0].passed == 1);
  CHECK(s[0].failed == 2);
  CHECK(s[0].pass_rate() == Approx(1.0 / 3));  // the skipped run does not count
  CHECK(s[0].last_pass_at == "2026-01-02T00:00:00Z");
  CHECK(s[0].latest_at == "2026-01-04T00:00:00Z");
  CHECK(s[0].flaky());
  CHECK(s[1].pass_rate() == 1.0);
  CHECK_FALSE(s[1].flaky());
}

TEST_CASE("summary: a check documented twice counts once per run, never-probed has no rate", "[history]") {
  std::vector<PastCheck> rows = {
      past("r2", "2026-01-02T00:00:00Z", "http://a/", "pass", 3), past("r2", "2026-01-02T00:00:00Z", "http://a/", "pass", 12),
      past("r1", "2026-01-01T00:00:00Z", "http://a/", "pass", 3), past("r1", "2026-01-01T00:00:00Z", "http://a/", "pass", 12),
      past("r1", "2026-01-01T00:00:00Z", "http://c/", "refused", 20),
  };
  auto s = summarize(rows);
  REQUIRE(s.size() == 2);
  CHECK(s[0].outcomes.size() == 2);
  CHECK(s[0].passed == 2);
  CHECK(s[1].pass_rate() < 0);
  CHECK(s[1].last_pass_at.empty());
}
