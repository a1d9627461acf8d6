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
  // A repository inside the checkout is one a pull request can commit: rated mutating (s8c
  // review R2), so opsbook run asks; confirmed, git still reads no bare repository.
  CHECK(status->safety == model::Safety::mutating);
  runner::RunOptions o;
  o.yes = true;
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

TEST_CASE("promise: read-only snippets never change anything -- a .git file pointing at a repository runs none of its programs (s7d review D7)", "[security][git]") {
  test::TempDir dir;
  std::string mark = (dir.path() / "canary").string();
  std::string evil = (dir.path() / "evil.git").string();
  fs::create_directories(dir.path() / "vendor/x");
  auto git = [&](const std::string& args) { return model::run_process({"bash", "-c", "git " + args}, "", std::chrono::seconds(30)); };
  REQUIRE(git("init -q --bare '" + evil + "'").exit_code == 0);
  REQUIRE(git("--git-dir='" + evil + "' --work-tree='" + (dir.path() / "vendor/x").string() + "' -c user.name=t -c user.email=t@t commit -q --allow-empty -m one").exit_code == 0);
  // A program for each setting a read can reach: status (fsmonitor), a pager, hooks, ssh.
  for (const char* key : {"core.fsmonitor", "core.pager", "core.sshCommand", "gpg.program"}) {
    REQUIRE(git("-C '" + evil + "' config " + key + " 'touch " + mark + "-" + key + "; false'").exit_code == 0);
  }
  REQUIRE(git("-C '" + evil + "' config core.bare false").exit_code == 0);
  REQUIRE(git("-C '" + evil + "' config core.worktree ../vendor/x").exit_code == 0);
  REQUIRE(git("-C '" + evil + "' config log.showSignature true").exit_code == 0);
  test::write_file(dir.path() / "vendor/x/.git", "gitdir: ../../evil.git\n");
  // The attack works when bash runs it: safe.bareRepository does not cover a gitfile.
  git("-c safe.bareRepository=explicit -C '" + (dir.path() / "vendor/x").string() + "' status --short");
  REQUIRE(fs::exists(mark + "-core.fsmonitor"));
  fs::remove(mark + "-core.fsmonitor");

  auto rb = test::parse("# T\n\n```bash {name=st cwd=" + dir.path().string() + "}\ngit -C vendor/x status --short\n```\n\n"
                        "```bash {name=log cwd=" + dir.path().string() + "}\ngit -C vendor/x log -1 || true\n```\n");
  for (const char* name : {"st", "log"}) {
    INFO(name);
    const model::Snippet* s = rb.find_snippet(name);
    REQUIRE(s);
    CHECK(s->safety == model::Safety::mutating);  // s8c review R2: a repository of the checkout
    runner::RunOptions o;
    o.yes = true;  // confirmed, it still runs none of the repository's programs
    auto r = runner::run_snippet(rb, *s, o);
    REQUIRE(r.ran);
  }
  for (const char* key : {"core.fsmonitor", "core.pager", "core.sshCommand", "gpg.program"}) {
    INFO(key);
    CHECK_FALSE(fs::exists(mark + "-" + key));
  }
}

TEST_CASE("promise: read-only snippets never change anything -- env -i/-u cannot drop opsbook's git settings, git -C a folder of the checkout asks (s8c review R1, R2)", "[security][git]") {
  auto rb = test::parse("# T\n\n```bash {name=u}\nenv -u GIT_CONFIG_COUNT git -C /srv/app status\n```\n\n"
                        "```bash {name=unset}\nenv --unset=GIT_CONFIG_COUNT git status\n```\n\n"
                        "```bash {name=i}\nenv -i PATH=/usr/bin git status\n```\n\n"
                        "```bash {name=nested}\ngit -C vendor/x ls-remote origin\n```\n\n"
                        "```bash {name=server}\ngit -C /srv/app log -1\n```\n\n"
                        "```bash {name=plain}\nenv FOO=1 git status\n```\n");
  for (const char* id : {"u", "unset", "i", "nested"}) {
    INFO(id);
    CHECK(rb.find_snippet(id)->safety == model::Safety::mutating);
  }
  CHECK(rb.find_snippet("server")->safety == model::Safety::read_only);
  CHECK(rb.find_snippet("plain")->safety == model::Safety::read_only);
}
