// shellcheck: findings at markdown lines, directives honoured, a hanging shellcheck gives a
// check-failed finding within the time limit, a missing one gives a note.
#include <catch2/catch.hpp>
#include <chrono>
#include <cstdlib>
#include <filesystem>

#include "support.hpp"
#include "model/process.hpp"
#include "validator/shellcheck.hpp"
#include "validator/static_checks.hpp"

using namespace opsbook;
namespace fs = std::filesystem;

namespace {

// Sets PATH for the scope of the object.
class PathOverride {
 public:
  explicit PathOverride(const std::string& path) : m_old(std::getenv("PATH") ? std::getenv("PATH") : "") { ::setenv("PATH", path.c_str(), 1); }
  ~PathOverride() { ::setenv("PATH", m_old.c_str(), 1); }
  PathOverride(const PathOverride&) = delete;
  PathOverride& operator=(const PathOverride&) = delete;

 private:
  std::string m_old;
};

std::vector<validator::Finding> check(const std::string& md, validator::StaticOptions options = {}) {
  std::vector<model::Runbook> rbs;
  rbs.push_back(test::parse(md));
  options.shell = true;
  return validator::check_static(rbs, options);
}

std::vector<std::string> rules_at(const std::vector<validator::Finding>& fs, const std::string& rule) {
  std::vector<std::string> out;
  for (const auto& f : fs) {
    if (f.rule == rule) out.push_back(std::to_string(f.line) + " " + f.message.substr(0, 7));
  }
  return out;
}

}  // namespace

TEST_CASE("shellcheck findings map to markdown lines; in-snippet directives are honoured", "[validator][shellcheck]") {
  REQUIRE(model::program_available("shellcheck"));
  auto fs = check("# T\n\n```bash\necho start\nsudo echo x > /etc/motd\n# shellcheck disable=SC2024\nsudo echo y > /etc/issue\n```\n");
  CHECK(rules_at(fs, "shellcheck") == std::vector<std::string>{"5 SC2024:"});
}

TEST_CASE("a hanging shellcheck is cut off and reported as check-failed", "[validator][shellcheck]") {
  test::TempDir dir;
  test::write_file(dir.path() / "shellcheck", "#!/bin/sh\nsleep 30\n");
  fs::permissions(dir.path() / "shellcheck", fs::perms::owner_all);
  PathOverride path(dir.path().string() + ":/usr/bin:/bin");
  validator::StaticOptions options;
  options.shellcheck_timeout = std::chrono::seconds(1);
  auto start = std::chrono::steady_clock::now();
  auto fs = check("# T\n\n```bash\necho one\n```\n\n```bash\necho two\n```\n", options);
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  CHECK(rules_at(fs, "check-failed") == std::vector<std::string>{"3 shellch", "7 shellch"});
  CHECK(seconds < 10);
}

TEST_CASE("missing shellcheck is a note, not a failure", "[validator][shellcheck]") {
  test::TempDir dir;
  fs::create_symlink("/bin/bash", dir.path() / "bash");
  PathOverride path(dir.path().string());
  auto fs = check("# T\n\n```bash\necho ok\n```\n");
  REQUIRE(fs.size() == 1);
  CHECK(fs[0].rule == "tool-missing");
  CHECK(fs[0].severity == model::Severity::info);
}

TEST_CASE("a script over 32 KiB is left to bash -n with a check-failed finding; shellcheck never reads it (final review: 215 KB took 21 s)", "[validator][shellcheck]") {
  test::TempDir dir;
  fs::path log = dir.path() / "read.log";
  test::write_file(dir.path() / "shellcheck", "#!/bin/sh\nfor a; do case $a in *.sh) wc -c < \"$a\" >> '" + log.string() + "';; esac; done\necho '{\"comments\":[]}'\n");
  fs::permissions(dir.path() / "shellcheck", fs::perms::owner_all);
  PathOverride path(dir.path().string() + ":/usr/bin:/bin");
  std::string big;
  for (int i = 0; big.size() <= validator::k_max_shellcheck_bytes; ++i) big += "echo \"line " + std::to_string(i) + "\" | grep -q line && ls /tmp\n";
  auto fs = check("# T\n\n```bash\n" + big + "```\n\n```bash\necho small\n```\n");
  std::vector<std::string> failed;
  for (const auto& f : fs) {
    if (f.rule == "check-failed") failed.push_back(std::to_string(f.line) + " " + f.message + " / " + f.hint);
  }
  CHECK(failed == std::vector<std::string>{"3 not checked by shellcheck: the script is " + std::to_string(big.size()) +
                                           " bytes, over its bound of 32768 bytes (bash -n still checks it) / split it into smaller snippets, or check it by hand and mark it {check=skip}"});
  CHECK(test::read_file(log.string()) == "11\n");
}
