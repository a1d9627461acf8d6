// What the portal says about a runbook from the history: the newest run whose checks all passed,
// its environment, runs that probed it, flaky checks; runs that only skipped say nothing.
#include "history/runbook_history.hpp"

#include <catch2/catch.hpp>

using namespace opsbook::history;

namespace {

PastCheck past(const std::string& run, const std::string& file, const std::string& target, const std::string& outcome, const std::string& env = "staging") {
  CheckRow r{file, 3, "http", "", target, "status 2xx", outcome, "", 1.0};
  return {r, run, "2026-01-0" + run.substr(1) + "T00:00:00Z", env};
}

}  // namespace

TEST_CASE("runbook history: last verified is the newest run with no failure: flaky checks listed", "[history]") {
  std::vector<PastCheck> rows = {
      past("r4", "a.md", "http://a/1", "pass"), past("r4", "a.md", "http://a/2", "fail"), past("r4", "b.md", "http://b/", "skipped"),
      past("r3", "a.md", "http://a/1", "pass"), past("r3", "a.md", "http://a/2", "pass"), past("r3", "b.md", "http://b/", "pass", "local"),
      past("r2", "a.md", "http://a/1", "pass"), past("r2", "a.md", "http://a/2", "pass", "local"),
  };
  auto h = runbook_history(rows);
  REQUIRE(h.size() == 2);
  const RunbookHistory& a = h["a.md"];
  CHECK(a.runs == 3);
  CHECK(a.latest_at == "2026-01-04T00:00:00Z");
  CHECK(a.last_verified_at == "2026-01-03T00:00:00Z");
  CHECK(a.last_verified_env == "staging");
  CHECK(a.checks == 3);  // http://a/2 on staging and on local are two checks
  REQUIRE(a.flaky.size() == 1);
  CHECK(a.flaky[0].latest.target == "http://a/2");
  CHECK(a.flaky[0].passed == 1);
  CHECK(a.flaky[0].failed == 1);
  const RunbookHistory& b = h["b.md"];
  CHECK(b.runs == 1);  // r4 only skipped it
  CHECK(b.latest_at == "2026-01-03T00:00:00Z");
  CHECK(b.last_verified_env == "local");
  CHECK(b.flaky.empty());
}

TEST_CASE("runbook history: a runbook that never passed has no last verified time", "[history]") {
  auto h = runbook_history({past("r2", "a.md", "http://a/", "fail"), past("r1", "a.md", "http://a/", "fail")});
  CHECK(h["a.md"].runs == 2);
  CHECK(h["a.md"].last_verified_at.empty());
  CHECK(h["a.md"].flaky.empty());
}
