// Check digests: what a live result checked. The same text gives the same digest wherever it
// is and whatever its name; a change that changes the check gives another.
#include "model/check_digest.hpp"

#include <catch2/catch.hpp>

#include "support.hpp"

using namespace opsbook;

namespace {

std::string snippet_digest(const std::string& markdown) {
  model::Runbook rb = test::parse(markdown);
  REQUIRE(rb.snippets.size() == 1);
  return model::check_digest(rb.snippets[0]);
}

}  // namespace

TEST_CASE("check digest: a snippet's text and attributes, not its name, heading or place", "[model]") {
  std::string base = snippet_digest("# A\n\n## One\n\n```bash {name=x timeout=5}\ncurl http://127.0.0.1/\n```\n");
  CHECK(base.size() == 32);
  CHECK(snippet_digest("# A\n\nAbove.\n\n## Two\n\n```bash {name=y timeout=5}\ncurl http://127.0.0.1/\n```\n") == base);
  CHECK(snippet_digest("# A\n\n```bash {timeout=5 name=x}\ncurl http://127.0.0.1/\n```\n") == base);
  CHECK(snippet_digest("# A\n\n```bash {name=x timeout=6}\ncurl http://127.0.0.1/\n```\n") != base);
  CHECK(snippet_digest("# A\n\n```bash {name=x timeout=5 env=prod}\ncurl http://127.0.0.1/\n```\n") != base);
  CHECK(snippet_digest("# A\n\n```bash {name=x timeout=5}\ncurl -X DELETE http://127.0.0.1/\n```\n") != base);
  CHECK(snippet_digest("# A\n\n```sh {name=x timeout=5}\ncurl http://127.0.0.1/\n```\n") != base);
}

TEST_CASE("check digest: endpoints, port rows and a runbook's check sources", "[model]") {
  model::Runbook rb = test::parse("# A\n\n| Service | Endpoint | Expected |\n|---|---|---|\n| api | http://127.0.0.1:8080/healthz | 200 |\n\n"
                                  "| Service | Port |\n|---|---|\n| Postgres | 5432 |\n| postgres | 5432 |\n\n```sql\nSELECT 1;\n```\n");
  REQUIRE(rb.endpoints.size() == 1);
  REQUIRE(rb.ports.size() == 2);
  CHECK(model::check_digest(rb.ports[0]) == model::check_digest(rb.ports[1]));  // one target, one TCP check
  model::Endpoint other = rb.endpoints[0];
  other.expect_status = "204";
  CHECK(model::check_digest(other) != model::check_digest(rb.endpoints[0]));
  auto sources = model::check_sources(rb);
  CHECK(model::has_check(sources, model::check_digest(rb.endpoints[0])));
  CHECK(model::has_check(sources, model::check_digest(rb.ports[0])));
  CHECK(model::has_check(sources, model::check_digest(rb.snippets[0])));
  CHECK_FALSE(model::has_check(sources, model::check_digest(other)));
  CHECK_FALSE(model::has_check(sources, ""));
  size_t required = 0;
  for (const auto& s : sources) required += s.required;
  CHECK(required == 3);  // the endpoint, the port, the SQL snippet
}
