// Promise: "read-only checks never change anything" (README "Safety", docs/SECURITY.md), for
// doc-tests: a pull request that puts run=auto on a writing snippet does not make check --live
// run it; read-only doc-tests still run.
#include <catch2/catch.hpp>
#include <filesystem>

#include "model/process.hpp"
#include "model/text.hpp"
#include "red_team.hpp"

using namespace opsbook;

TEST_CASE("promise: read-only checks never change anything -- run=auto on a writing snippet does not run", "[security][doctest]") {
  test::PgCanaries canaries;
  test::TempDir dir;
  std::string file = (dir.path() / "made").string();
  std::string port = test::stack().at("STACK_REDIS_PORT");
  model::run_process({"redis-cli", "-p", port, "SET", "canary", "alive"}, "", std::chrono::seconds(10));
  std::string rb = "# T\n\n"
                   "```bash {name=touch run=auto expect-exit=0}\ntouch " + file + "\n```\n\n"
                   "```bash {name=redis run=auto expect-exit=0}\nredis-cli -p " + port + " SET canary dead\n```\n\n"
                   "```bash {name=psql run=auto expect-exit=0}\npsql \"$OPSBOOK_PG_APP_DSN\" -c 'DELETE FROM canary WHERE id > 0'\n```\n\n"
                   "```sql {name=sql run=auto expect-exit=0 service=db}\nUPDATE canary SET note = 'x' WHERE id = 1;\n```\n\n"
                   "```bash {name=lying run=auto expect-exit=0 safety=read-only}\nrm -f " + file + "\n```\n\n"
                   "```bash {name=read run=auto expect-stdout=alive}\nredis-cli -p " + port + " GET canary\n```\n";
  auto c = test::check_live(dir, test::stack_config("OPSBOOK_PG_APP_DSN"), rb);
  std::vector<std::string> doctests;
  for (const auto& r : c.report["results"]) {
    if (r["kind"] == "doctest") doctests.push_back(r["snippet"].get<std::string>() + ":" + r["outcome"].get<std::string>());
  }
  CHECK(doctests == std::vector<std::string>{"touch:skipped", "redis:skipped", "psql:skipped", "sql:skipped", "lying:skipped", "read:pass"});
  CHECK_FALSE(std::filesystem::exists(file));
  CHECK(model::trim(model::run_process({"redis-cli", "-p", port, "GET", "canary"}, "", std::chrono::seconds(10)).out) == "alive");
  CHECK(canaries.damage().empty());
}
