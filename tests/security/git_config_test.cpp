// Promise: "read-only snippets never change anything" (README "Safety", docs/SECURITY.md), for
// git: a runbook's repository can hold a bare repository (HEAD, config, objects/ are ordinary
// files a pull request adds), whose config runs programs for read-only commands (core.fsmonitor
// for `git status`). `git -C DIR status` there, read-only, must not run it under opsbook run.
#include <catch2/catch.hpp>
#include <algorithm>
#include <filesystem>

#include "model/process.hpp"
#include "runner/run.hpp"
#include "support.hpp"

using namespace opsbook;
namespace fs = std::filesystem;

namespace {

// A bare repository a checkout commits at vendor/NAME (HEAD, config, objects/), with a worktree
// beside it and core.fsmonitor touching `mark` for `git status` (the s10a and s11a reviews' rig).
void commit_bare_repository(const fs::path& dir, const std::string& name, const std::string& mark) {
  std::string repo = (dir / "vendor" / name).string();
  fs::create_directories(dir / "vendor" / "wt");
  auto git = [&](const std::string& args) { return model::run_process({"bash", "-c", "git " + args}, "", std::chrono::seconds(30)); };
  REQUIRE(git("init -q --bare '" + repo + "'").exit_code == 0);
  REQUIRE(git("-C '" + repo + "' config core.fsmonitor 'touch " + mark + "; false'").exit_code == 0);
  REQUIRE(git("-C '" + repo + "' config core.worktree ../wt").exit_code == 0);
  REQUIRE(git("-C '" + repo + "' config core.bare false").exit_code == 0);
}

// Each snippet, run in `dir`, is rated mutating and refused without a confirmation, and leaves no
// mark; confirmed, it does what the review says: the repository's program runs. The runbook.
model::Runbook check_guard_dropped(const fs::path& dir, const std::string& mark, const std::vector<std::string>& runnable) {
  std::string md = "# T\n";
  for (size_t i = 0; i < runnable.size(); ++i) md += "\n```bash {name=r" + std::to_string(i) + " cwd=" + dir.string() + "}\n" + runnable[i] + "\n```\n";
  auto rb = test::parse(md);
  for (size_t i = 0; i < runnable.size(); ++i) {
    INFO(runnable[i]);
    const model::Snippet* s = rb.find_snippet("r" + std::to_string(i));
    REQUIRE(s);
    CHECK(s->safety == model::Safety::mutating);
    runner::RunOptions o;  // no terminal, no --yes: refused
    auto r = runner::run_snippet(rb, *s, o);
    CHECK_FALSE(r.ran);
    CHECK_FALSE(fs::exists(mark));
    o.yes = true;
    auto confirmed = runner::run_snippet(rb, *s, o);
    REQUIRE(confirmed.ran);
    CHECK(fs::exists(mark));
    fs::remove(mark);
  }
  return rb;
}

}  // namespace

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

TEST_CASE("promise: read-only snippets never change anything -- a wrapper that starts git with another environment drops opsbook's git guard (s10a review B5)", "[security][git]") {
  test::TempDir dir;
  std::string mark = (dir.path() / "fsm_pwned").string();
  commit_bare_repository(dir.path(), "evil", mark);
  // Each one, run by bash with opsbook's guard in its environment, still runs the fsmonitor:
  // before this fix each was rated read-only, so opsbook run ran it without asking.
  auto rb = check_guard_dropped(dir.path(), mark,
                                {
                                    "cd vendor/evil && exec -c git status",
                                    "cd vendor/evil && exec -cl git status",
                                    "cd vendor/evil && exec -a git -c git status",
                                    "cd vendor/evil && command exec -c git status",
                                    "cd vendor/evil && setpriv --reset-env git status",
                                    "env -C vendor/evil -i git status",
                                    "env -C vendor/evil -uGIT_CONFIG_COUNT git status",
                                    "env --chdir=vendor/evil -vi PATH=/usr/bin:/bin git status",
                                    "env -S'-C vendor/evil -i git status'",
                                    "cd vendor/evil && (exec -c timeout 20 git status)",
                                });
  CHECK(rb.find_snippet("r0")->reasons.at(0).reason ==
        "exec -c starts git without opsbook's GIT_CONFIG_* guard (safe.bareRepository=explicit, core.fsmonitor=false...): a repository in the checkout runs the programs its config names");
}

TEST_CASE("promise: read-only snippets never change anything -- every wrapper that replaces the environment, in every spelling (s10a review B5)", "[security][git]") {
  // Not runnable here (no sudo, no logind): rated, never run.
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"sudo git status", "sudo"},
      {"sudo -u root git status", "sudo"},
      {"sudo -E git log -1", "sudo"},
      {"timeout 5 sudo git status", "sudo"},
      {"sudo sh -c 'git status'", "sudo"},
      {"su -l root -c 'cd /srv/app && git status'", "su"},
      {"su - app -c 'git log'", "su"},
      {"runuser -u app -- git status", "runuser"},
      {"doas git status", "doas"},
      {"pkexec git status", "pkexec"},
      {"run0 git status", "run0"},
      {"systemd-run --user --wait git status", "systemd-run"},
      {"envdir ./env git status", "envdir"},
      {"chpst -e ./env git status", "chpst"},
      {"bash -lc 'git status'", "bash -l"},
      {"bash --login -c 'git status'", "bash --login"},
      {"/usr/bin/env -i git status", "env -i"},
      {"env --ignore-env git status", "env --ignore-environment"},
      {"env --unset=X git status", "env --unset"},
      {"env -C /srv - git status", "env -i"},  // env - is env -i
      {"env - PATH=/usr/bin git log", "env -i"},
      {"sudo tig status", "sudo"},
      {"sudo gh pr status", "sudo"},
      {"sudo git-upload-pack .", "sudo"},
      {"env -S'-i git status'", "env -i"},
      {"env -vS'-u GIT_CONFIG_COUNT git status'", "env -u"},
  };
  for (const auto& [code, wrapper] : cases) {
    INFO(code);
    auto rb = test::parse("# T\n\n```bash {name=x}\n" + code + "\n```\n");
    const model::Snippet* s = rb.find_snippet("x");
    REQUIRE(s);
    CHECK(s->safety == model::Safety::mutating);
    std::string starts = std::string(wrapper) + " starts ";  // clang: a lambda does not capture a structured binding
    bool named = std::any_of(s->reasons.begin(), s->reasons.end(), [&](const model::SafetyReason& r) { return r.reason.starts_with(starts); });
    CHECK(named);
  }
  // A wrapper that keeps the environment, or a tool that relies on no guard, stays as it was.
  for (const char* code : {"exec git status", "bash -c 'git status'", "env FOO=1 git status", "env -C /srv/app git log -1", "nice -n 5 git status", "sudo systemctl status nginx",
                           "env -i LANG=C ls", "ssh db1 sudo -u postgres psql -c 'select 1'", "sudo sv status app"}) {
    INFO(code);
    auto rb = test::parse(std::string("# T\n\n```bash {name=x}\n") + code + "\n```\n");
    CHECK(rb.find_snippet("x")->safety == model::Safety::read_only);
  }
}

TEST_CASE("promise: read-only snippets never change anything -- arithmetic and builtins that set GIT_CONFIG_COUNT drop opsbook's git guard (s11a review B5)", "[security][git]") {
  test::TempDir dir;
  std::string mark = (dir.path() / "pwn-fsm").string();
  commit_bare_repository(dir.path(), "x", mark);
  // Each one, run by bash with opsbook's guard in its environment, zeroes GIT_CONFIG_COUNT and so
  // runs the fsmonitor: before this fix the first six were rated read-only, and opsbook run ran them.
  check_guard_dropped(dir.path(), mark,
                      {
                          "(( GIT_CONFIG_COUNT = 0 )); cd vendor/x && git status --short",
                          "echo $((GIT_CONFIG_COUNT=0)) >/dev/null; cd vendor/x && git status --short",
                          "echo $[GIT_CONFIG_COUNT=0] >/dev/null; cd vendor/x && git status --short",
                          "[[ GIT_CONFIG_COUNT=0 -eq 0 ]]; cd vendor/x && git status --short",
                          "declare -i n; n=GIT_CONFIG_COUNT=0; cd vendor/x && git status --short",
                          "a[GIT_CONFIG_COUNT=0]=1; cd vendor/x && git status --short",
                          "for ((GIT_CONFIG_COUNT = 0; 0; )); do :; done; cd vendor/x && git status --short",
                          "printf -v GIT_CONFIG_COUNT 0; cd vendor/x && git status --short",
                          "n=$(echo GIT_CONFIG_COUNT=0); : $((n)); cd vendor/x && git status --short",
                      });
  // Reading the guard's variables changes nothing: still read-only, and it runs no program.
  auto reads = test::parse("# T\n\n```bash {name=r cwd=" + dir.path().string() + "}\necho $((GIT_CONFIG_COUNT + 1)); cd vendor/x && git status --short || true\n```\n");
  const model::Snippet* r = reads.find_snippet("r");
  REQUIRE(r);
  CHECK(r->safety == model::Safety::read_only);
  runner::RunOptions o;
  CHECK(runner::run_snippet(reads, *r, o).ran);
  CHECK_FALSE(fs::exists(mark));
}
