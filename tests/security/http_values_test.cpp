// Promise: "no value can inject a command" (README "Safety", docs/SECURITY.md §2): HTTP values are
// percent-encoded in the URL's path and query. check --live's HTTP probes fill values with the same
// function as opsbook run (model::url_value), so a value stays one path segment for both
// (s10a review B8: `params: {ORDER_ID: "../../admin/flush?all=1#"}` made the probe GET
// /admin/flush?all=1).
#include <catch2/catch.hpp>

#include "red_team.hpp"
#include "runner/run.hpp"

using namespace opsbook;

TEST_CASE("promise: no value can inject a command -- check --live encodes an HTTP probe's values as opsbook run does (s10a review B8)", "[security][http]") {
  test::RecordingServer server;
  const std::string value = "../../admin/flush?all=1#";
  const std::string encoded = "GET /orders/..%2F..%2Fadmin%2Fflush%3Fall%3D1%23/status";
  std::string rb = "# T\n\n```http {name=status}\nGET http://127.0.0.1:" + std::to_string(server.port()) + "/orders/<ORDER_ID>/status\n```\n\n" +
                   "```http {name=dots}\nGET http://127.0.0.1:" + std::to_string(server.port()) + "/orders/<DOTS>/status\n```\n";
  std::string config = "default_env: local\nenvironments:\n  local:\n    allow_hosts: [\"127.0.0.1\"]\n    params: {ORDER_ID: \"" + value + "\", DOTS: \"..\"}\n";
  test::TempDir dir;
  auto c = test::check_live(dir, config, rb);
  INFO(c.run.out << c.run.err);
  std::map<std::string, std::string> outcome, detail;
  for (const auto& r : c.report["results"]) {
    if (r["kind"] != "http") continue;
    outcome[r["snippet"]] = r["outcome"];
    detail[r["snippet"]] = r["detail"];
  }
  std::vector<std::string> seen = server.requests();
  CHECK(seen == std::vector<std::string>{encoded});  // never GET /admin/flush?all=1, and nothing for DOTS
  CHECK(outcome["status"] == "pass");
  CHECK(outcome["dots"] == "skipped");
  CHECK(detail["dots"] == "<DOTS> has the value .., which would change the URL's path");

  // opsbook run sends the very same request.
  auto parsed = test::parse(rb);
  runner::RunOptions o;
  o.params = {{"ORDER_ID", value}};
  auto r = runner::run_snippet(parsed, *parsed.find_snippet("status"), o);
  CHECK(r.ran);
  seen = server.requests();
  REQUIRE(seen.size() == 2);
  CHECK(seen[1] == encoded);
}
