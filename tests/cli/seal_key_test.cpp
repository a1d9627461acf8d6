// What opsbook keeps between runs is sealed under a key that never lives in the repository
// (model/seal_key): a shellcheck cache a pull request commits, or one made on another machine or
// by a shellcheck that lies, is never trusted; the key file is the user's own.
#include <sys/stat.h>

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
  test::write_file(dir.path() / "fake/shellcheck", "#!/bin/sh\ncase \"$*\" in *--version*) exec " + real + " \"$@\";; esac\ncat >/dev/null\necho '{\"comments\":[]}'\n");
  fs::permissions(dir.path() / "fake/shellcheck", fs::perms::owner_all);
  {
    ScopedEnv key("OPSBOOK_CACHE_KEY", "the attacker's own key");
    ScopedEnv path("PATH", (dir.path() / "fake").string() + ":" + std::getenv("PATH"));
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
  test::TempDir dir;
  test::write_file(dir.path() / "content/bad.md", k_bad_runbook);
  ScopedEnv state("XDG_STATE_HOME", (dir.path() / "state").string());
  ScopedEnv key("OPSBOOK_CACHE_KEY", "");  // empty: not set
  auto r = run_opsbook({"check", "content"}, dir.path().string());
  CHECK(r.exit_code == 1);
  CHECK(r.err.empty());
  fs::path file = dir.path() / "state/opsbook/seal-key";
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
                   " is not a 32-byte file of this user's that only it may read and write): caches and kept reports of this run are not usable by the next; set "
                   "OPSBOOK_CACHE_KEY or fix it\n") == 0);
  CHECK(r.err.find(".opsbook/shellcheck-cache is damaged or sealed elsewhere") != std::string::npos);
}
