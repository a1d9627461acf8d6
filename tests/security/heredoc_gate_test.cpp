// Promise: "destructive snippets never run without their gates" (README "Safety",
// docs/SECURITY.md), for heredocs: `DROP TABLE` in the body of `psql <<SQL` is destructive
// everywhere (the model, opsbook run's gate, opsbook check's rule, the portal's badge), and the
// table survives a run without the destructive gate.
#include <catch2/catch.hpp>

#include "model/config.hpp"
#include "red_team.hpp"
#include "runner/run.hpp"

using namespace opsbook;

TEST_CASE("promise: destructive snippets never run without their gates -- SQL in a psql heredoc", "[security][shell]") {
  test::PgCanaries canaries;
  std::string md = "# DB\n\n```bash {name=drop}\nsudo -u postgres psql \"$OPSBOOK_PG_SUPER_DSN\" <<SQL\nSELECT 1;\nDROP TABLE canary;\nSQL\n```\n";
  auto rb = test::parse(md, "rb.md");
  const model::Snippet* s = rb.find_snippet("drop");
  REQUIRE(s);
  CHECK(s->safety == model::Safety::destructive);
  REQUIRE_FALSE(s->reasons.empty());
  CHECK(s->reasons.back().line == 6);

  runner::RunOptions o;
  o.yes = true;  // --yes alone: enough for mutating, not for destructive
  auto r = runner::run_snippet(rb, *s, o);
  CHECK_FALSE(r.ran);
  CHECK(r.refusal ==
        "drop is destructive (line 4 `sudo -u postgres psql \"$OPSBOOK_PG_SUPER_DSN\" <<SQL...`: DROP TABLE removes objects and their data): "
        "type its name on a terminal, or pass --yes --allow-destructive");
  CHECK(canaries.damage().empty());

  test::TempDir dir;
  test::write_file(dir.path() / "content" / "rb.md", md);
  auto check = test::run_opsbook({"check", (dir.path() / "content").string()});
  CHECK(check.out.find("warning[destructive-unguarded]: destructive command `sudo -u postgres psql \"$OPSBOOK_PG_SUPER_DSN\" <<SQL...` in snippet 'drop'") != std::string::npos);
  auto build = test::run_opsbook({"build", (dir.path() / "content").string(), "-o", (dir.path() / "site").string()});
  REQUIRE(build.exit_code == 0);
  std::string page = test::read_file((dir.path() / "site" / "runbooks" / "rb.html").string());
  CHECK(page.find("data-safety=\"destructive\"") != std::string::npos);
  CHECK(page.find("class=\"badge safety-destructive\"") != std::string::npos);
}
