// opsbook init: what it writes passes check and build; nothing that exists is ever overwritten.
#include <catch2/catch.hpp>
#include <filesystem>

#include "support.hpp"

using namespace opsbook;
using test::run_opsbook;
namespace fs = std::filesystem;

TEST_CASE("init writes a repository that check and build pass on", "[cli][init]") {
  test::TempDir dir;
  auto r = run_opsbook({"init", "repo"}, dir.path().string());
  REQUIRE(r.exit_code == 0);
  CHECK(r.out ==
        "created repo/opsbook.yaml\ncreated repo/content/example.md\ncreated repo/.github/workflows/runbooks.yml\n\n"
        "Next: cd repo && opsbook check    (then: opsbook serve, to preview the portal)\n");
  fs::path repo = dir.path() / "repo";
  auto check = run_opsbook({"check", "--fail-on", "warning"}, repo.string());
  INFO(check.out << check.err);
  CHECK(check.exit_code == 0);
  CHECK(check.out.find("opsbook check: 0 errors, 0 warnings") != std::string::npos);
  auto build = run_opsbook({"build"}, repo.string());
  INFO(build.err);
  CHECK(build.exit_code == 0);
  CHECK(fs::exists(repo / "site/runbooks/example.html"));
  // The example shows each convention: opsbook reads them all.
  auto inspect = run_opsbook({"inspect", "content/example.md"}, repo.string());
  CHECK(inspect.out.find("1 endpoint") == std::string::npos);  // the table and the curl lines: several
  CHECK(inspect.out.find("snippet restart-app") != std::string::npos);
  CHECK(inspect.out.find("mutating") != std::string::npos);
  CHECK(inspect.out.find("destructive") != std::string::npos);
  CHECK(inspect.out.find("params: <order_id>") != std::string::npos);
  CHECK(inspect.out.find("checklist example/deploy-checklist") != std::string::npos);
  CHECK(inspect.out.find("checklist example/incident-response") != std::string::npos);
  CHECK(inspect.out.find("port 8080") != std::string::npos);
  // The local environment is usable as written.
  auto env = run_opsbook({"run", "content/example.md#app-logs", "--dry-run"}, repo.string());
  CHECK(env.exit_code == 0);
}

TEST_CASE("init never overwrites: it names the files that exist and writes the others", "[cli][init]") {
  test::TempDir dir;
  test::write_file(dir.path() / "opsbook.yaml", "content: docs\n");
  auto r = run_opsbook({"init"}, dir.path().string());
  REQUIRE(r.exit_code == 0);
  CHECK(r.out.starts_with("kept    opsbook.yaml (it exists; not overwritten)\ncreated content/example.md\ncreated .github/workflows/runbooks.yml\n"));
  CHECK(test::read_file((dir.path() / "opsbook.yaml").string()) == "content: docs\n");
  test::write_file(dir.path() / "content/example.md", "# Mine\n");
  r = run_opsbook({"init"}, dir.path().string());
  CHECK(r.out.starts_with("kept    opsbook.yaml (it exists; not overwritten)\nkept    content/example.md (it exists; not overwritten)\n"
                          "kept    .github/workflows/runbooks.yml (it exists; not overwritten)\n"));
  CHECK(test::read_file((dir.path() / "content/example.md").string()) == "# Mine\n");
  // A symlink in the way is not followed.
  fs::remove(dir.path() / "opsbook.yaml");
  fs::create_symlink(dir.path() / "target.yaml", dir.path() / "opsbook.yaml");
  r = run_opsbook({"init"}, dir.path().string());
  CHECK(r.out.starts_with("kept    opsbook.yaml (it exists; not overwritten)\n"));
  CHECK_FALSE(fs::exists(dir.path() / "target.yaml"));
}
