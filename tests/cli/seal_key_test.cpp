// What opsbook keeps between runs is sealed under a key that never lives in the repository
// (model/seal_key): a shellcheck cache a pull request commits, or one made on another machine or
// by a shellcheck that lies, is never trusted; the key file is the user's own.
#include <sys/stat.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include "support.hpp"

using namespace opsbook;
using test::run_opsbook;
namespace fs = std::filesystem;

namespace {

// Sets an environment variable for the children run_opsbook starts, until the scope ends.
class ScopedEnv {
 public:
  ScopedEnv(const char* name, const std::string& value) : m_name(name) {
    if (const char* old = std::getenv(name)) m_old = old;
    ::setenv(name, value.c_str(), 1);
  }
  ~ScopedEnv() { m_old ? ::setenv(m_name, m_old->c_str(), 1) : ::unsetenv(m_name); }
  ScopedEnv(const ScopedEnv&) = delete;
  ScopedEnv& operator=(const ScopedEnv&) = delete;

 private:
  const char* m_name;
  std::optional<std::string> m_old;
};

const char* k_bad_runbook = "# Bad\n\n```bash\nfor f in $(ls *.txt); do cat $f; done\n```\n";

}  // namespace

TEST_CASE("a shellcheck cache made elsewhere hides no finding: committed by a pull request from a lying shellcheck (hostile review #14 round 7)", "[cli][check][security]") {
  test::TempDir dir;
  test::write_file(dir.path() / "content/bad.md", k_bad_runbook);
  // The attacker's machine: another key, and a shellcheck that tells the real version but finds nothing.
  std::string real;  // the real shellcheck, found on PATH before the fake one goes first
  for (std::string_view rest = std::getenv("PATH"); real.empty() && !rest.empty();) {
    std::string_view folder = rest.substr(0, rest.find(':'));
    rest = folder.size() < rest.size() ? rest.substr(folder.size() + 1) : std::string_view();
    if (fs::exists(fs::path(folder) / "shellcheck")) real = (fs::path(folder) / "shellcheck").string();
  }
  REQUIRE_FALSE(real.empty());
  test::TempDir fake;  // outside the checkout: opsbook never runs a program from a folder of it
  test::write_file(fake.path() / "shellcheck", "#!/bin/sh\ncase \"$*\" in *--version*) exec " + real + " \"$@\";; esac\ncat >/dev/null\necho '{\"comments\":[]}'\n");
  fs::permissions(fake.path() / "shellcheck", fs::perms::owner_all);
  {
    ScopedEnv key("OPSBOOK_CACHE_KEY", "the attacker's own key");
    ScopedEnv path("PATH", fake.path().string() + ":" + std::getenv("PATH"));
    REQUIRE(run_opsbook({"check", "content"}, dir.path().string()).exit_code == 0);
  }
  REQUIRE(fs::exists(dir.path() / ".opsbook/shellcheck-cache"));
  // The pull request commits .opsbook/shellcheck-cache; CI checks with its own key.
  ScopedEnv key("OPSBOOK_CACHE_KEY", "CI's secret seal key");
  auto r = run_opsbook({"check", "content"}, dir.path().string());
  CHECK(r.exit_code == 1);
  CHECK(r.out.find("content/bad.md:4: error[shellcheck]: SC2045:") != std::string::npos);
  CHECK(r.err == "opsbook: note: .opsbook/shellcheck-cache is damaged or sealed elsewhere (its seal is not this machine's): it is ignored and replaced, every "
                 "script is checked again\n");
  // Replaced under CI's key: the next run uses it and still finds the error.
  r = run_opsbook({"check", "content"}, dir.path().string());
  CHECK(r.exit_code == 1);
  CHECK(r.err.empty());
}

TEST_CASE("the seal key: made once, the user's own, never one others may write", "[cli][check][security]") {
  test::TempDir dir, home;
  test::write_file(dir.path() / "content/bad.md", k_bad_runbook);
  ScopedEnv state("XDG_STATE_HOME", (home.path() / "state").string());
  ScopedEnv key("OPSBOOK_CACHE_KEY", "");  // empty: not set
  auto r = run_opsbook({"check", "content"}, dir.path().string());
  CHECK(r.exit_code == 1);
  CHECK(r.err.empty());
  fs::path file = home.path() / "state/opsbook/seal-key";
  REQUIRE(fs::is_regular_file(file));
  CHECK(fs::file_size(file) == 32);
  CHECK((fs::status(file).permissions() & fs::perms::all) == (fs::perms::owner_read | fs::perms::owner_write));
  CHECK((fs::status(file.parent_path()).permissions() & fs::perms::all) == fs::perms::owner_all);
  std::string first = test::read_file(file.string());
  r = run_opsbook({"check", "content"}, dir.path().string());
  CHECK(test::read_file(file.string()) == first);
  CHECK(r.err.empty());  // the cache of the first run unseals
  // A key others may read or write is no key: the run uses one of its own and says so; nothing is trusted.
  fs::permissions(file, fs::perms::others_read, fs::perm_options::add);
  r = run_opsbook({"check", "content"}, dir.path().string());
  CHECK(r.exit_code == 1);
  CHECK(r.err.find("opsbook: note: the key that seals opsbook's caches cannot be kept (" + file.string() +
                   " is not a 32-byte file of this user's that only it may read and write): caches, kept reports and history of this run are not usable by the next; set "
                   "OPSBOOK_CACHE_KEY or fix it\n") == 0);
  CHECK(r.err.find(".opsbook/shellcheck-cache is damaged or sealed elsewhere") != std::string::npos);
}

TEST_CASE("the seal key's folder is the user's, not writable by others, and never inside the checkout (s7d review D9, s7e E8)", "[cli][check][security]") {
  test::TempDir dir, home;
  test::write_file(dir.path() / "content/bad.md", k_bad_runbook);
  test::write_file(dir.path() / "opsbook.yaml", "content: content\n");
  ScopedEnv key("OPSBOOK_CACHE_KEY", "");
  fs::path folder = home.path() / "state/opsbook";
  ScopedEnv state("XDG_STATE_HOME", (home.path() / "state").string());
  REQUIRE(run_opsbook({"check", "content"}, dir.path().string()).err.empty());
  // Others may write the folder: they could replace or remove the key.
  for (fs::perms extra : {fs::perms::group_write, fs::perms::others_write}) {
    fs::permissions(folder, extra, fs::perm_options::add);
    auto r = run_opsbook({"check", "content"}, dir.path().string());
    CHECK(r.err.find("opsbook: note: the key that seals opsbook's caches cannot be kept (" + folder.string() +
                     " is not a folder of this user's that only it may write (owner uid " + std::to_string(::geteuid()) + ", mode " +
                     (extra == fs::perms::group_write ? "0720" : "0702") + "); make it the user's and run 'chmod go-w " + folder.string() +
                     "'): caches, kept reports and history of this run are not usable by the next; set OPSBOOK_CACHE_KEY or fix it\n") == 0);
    fs::permissions(folder, extra, fs::perm_options::remove);
  }
  CHECK(run_opsbook({"check", "content"}, dir.path().string()).err.find("cannot be kept") == std::string::npos);
  // HOME inside the checkout (some CI images): a pull request commits home/.local/state/opsbook/seal-key
  // (0600 after checkout) and seals the shellcheck cache, a report or the history with the key it chose.
  ScopedEnv no_state("XDG_STATE_HOME", "");
  ScopedEnv in_checkout("HOME", (dir.path() / "home").string());
  fs::path committed = dir.path() / "home/.local/state/opsbook";
  fs::create_directories(committed);
  fs::permissions(committed, fs::perms::owner_all, fs::perm_options::replace);
  test::write_file(committed / "seal-key", std::string(32, 'k'));
  fs::permissions(committed / "seal-key", fs::perms::owner_read | fs::perms::owner_write, fs::perm_options::replace);
  auto r = run_opsbook({"check", "content"}, dir.path().string());
  CHECK(r.exit_code == 1);
  INFO(r.err);
  CHECK(r.err.find("opsbook: note: the key that seals opsbook's caches cannot be kept (" + committed.string() + " is inside " + dir.path().string() +
                   ", where a pull request could commit a key of its choosing; set XDG_STATE_HOME (or HOME) to a folder outside it): caches, kept reports "
                   "and history of this run are not usable by the next; set OPSBOOK_CACHE_KEY or fix it\n") == 0);
  CHECK(r.out.find("content/bad.md:4: error[shellcheck]: SC2045:") != std::string::npos);
}

TEST_CASE("the seal key is never kept in the git work tree of the content, even with opsbook.yaml outside it (s9 review R10)", "[cli][check][security]") {
  // CI: opsbook.yaml from the job's own folder, the runbooks a pull request's checkout, HOME or
  // XDG_STATE_HOME inside that checkout with a key the pull request committed.
  test::TempDir dir;
  fs::path repo = dir.path() / "repo";
  fs::create_directories(repo / ".git");
  test::write_file(repo / "docs/bad.md", k_bad_runbook);
  test::write_file(dir.path() / "ci/opsbook.yaml", "content: ../repo/docs\n");
  ScopedEnv key("OPSBOOK_CACHE_KEY", "");
  auto commit_key = [&](const fs::path& folder) {
    fs::create_directories(folder);
    fs::permissions(folder, fs::perms::owner_all, fs::perm_options::replace);
    test::write_file(folder / "seal-key", std::string(32, 'k'));
    fs::permissions(folder / "seal-key", fs::perms::owner_read | fs::perms::owner_write, fs::perm_options::replace);
  };
  auto note = [&](const fs::path& folder) {
    return "opsbook: note: the key that seals opsbook's caches cannot be kept (" + folder.string() + " is inside " + repo.string() +
           ", where a pull request could commit a key of its choosing; set XDG_STATE_HOME (or HOME) to a folder outside it): caches, kept reports "
           "and history of this run are not usable by the next; set OPSBOOK_CACHE_KEY or fix it\n";
  };
  std::string config = (dir.path() / "ci/opsbook.yaml").string();
  SECTION("HOME in the checkout, the content from opsbook.yaml") {
    ScopedEnv no_state("XDG_STATE_HOME", "");
    ScopedEnv home("HOME", (repo / "home").string());
    commit_key(repo / "home/.local/state/opsbook");
    auto r = run_opsbook({"--config", config, "check"}, (dir.path() / "ci").string());
    INFO(r.err);
    CHECK(r.exit_code == 1);
    CHECK(r.err.find(note(repo / "home/.local/state/opsbook")) == 0);  // before the fix: no note, the committed key used
  }
  SECTION("XDG_STATE_HOME in the checkout, the content on the command line") {
    test::write_file(dir.path() / "ci/opsbook.yaml", "content: elsewhere\n");
    ScopedEnv state("XDG_STATE_HOME", (repo / "state").string());
    commit_key(repo / "state/opsbook");
    auto r = run_opsbook({"--config", config, "check", (repo / "docs/bad.md").string()}, dir.path().string());
    INFO(r.err);
    CHECK(r.err.find(note(repo / "state/opsbook")) == 0);
  }
  SECTION("run from a folder inside the checkout, without opsbook.yaml") {
    ScopedEnv state("XDG_STATE_HOME", (repo / "state").string());
    commit_key(repo / "state/opsbook");
    auto r = run_opsbook({"check", "bad.md"}, (repo / "docs").string());
    INFO(r.err);
    CHECK(r.err.find(note(repo / "state/opsbook")) == 0);
  }
}
