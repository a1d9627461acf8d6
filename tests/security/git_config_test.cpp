// Promise: "read-only snippets never change anything" (README "Safety", docs/SECURITY.md), for
// git: a runbook's repository can hold a bare repository (HEAD, config, objects/ are ordinary
// files a pull request adds), whose config runs programs for read-only commands (core.fsmonitor
// for `git status`). `git -C DIR status` there, read-only, must not run it under opsbook run.
#include <catch2/catch.hpp>
#include <filesystem>

#include "model/process.hpp"
#include "runner/run.hpp"
#include "support.hpp"

using namespace opsbook;
namespace fs = std::filesystem;

TEST_CASE("promise: read-only snippets never change anything -- git reads no bare repository a checkout holds", "[security][git]") {
  test::TempDir dir;
  std::string mark = (dir.path() / "pwned").string();
  std::string repo = (dir.path() / "vendor" / "cache").string();
  fs::create_directories(repo);
  auto git = [&](const std::string& args) { return model::run_process({"bash", "-c", "git " + args}, "", std::chrono::seconds(30)); };
  REQUIRE(git("init -q --bare '" + repo + "'").exit_code == 0);
  REQUIRE(git("-C '" + repo + "' config core.fsmonitor 'touch " + mark + "; false'").exit_code == 0);
  REQUIRE(git("-C '" + repo + "' config core.worktree '" + dir.path().string() + "'").exit_code == 0);
  REQUIRE(git("-C '" + repo + "' config core.bare false").exit_code == 0);
  // The attack works when bash runs it.
  git("-C '" + repo + "' status");
  REQUIRE(fs::exists(mark));
  fs::remove(mark);

  auto rb = test::parse("# T\n\n```bash {name=status cwd=" + dir.path().string() + "}\ngit -C vendor/cache status\n```\n\n"
                        "```bash {name=git-dir cwd=" + dir.path().string() + "}\ngit --git-dir=vendor/cache status\n```\n");
  const model::Snippet* status = rb.find_snippet("status");
  REQUIRE(status);
  CHECK(status->safety == model::Safety::read_only);
  runner::RunOptions o;
  auto r = runner::run_snippet(rb, *status, o);
  REQUIRE(r.ran);
  CHECK(r.exit_code != 0);
  CHECK(r.err.find("cannot use bare repository") != std::string::npos);
  CHECK_FALSE(fs::exists(mark));
  // Naming the repository with --git-dir uses it: that is rated mutating, so opsbook run asks.
  const model::Snippet* git_dir = rb.find_snippet("git-dir");
  REQUIRE(git_dir);
  CHECK(git_dir->safety == model::Safety::mutating);
}
