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

TEST_CASE("shellcheck findings map to markdown lines: in-snippet directives are honoured", "[validator][shellcheck]") {
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

TEST_CASE("a script over 32 KiB is left to bash -n with a check-failed finding: shellcheck never reads it (final review: 215 KB took 21 s)", "[validator][shellcheck]") {
  test::TempDir dir;
  fs::path log = dir.path() / "read.log";
  test::write_file(dir.path() / "shellcheck", "#!/bin/sh\nfor a; do case $a in /proc/self/fd/*) wc -c < \"$a\" >> '" + log.string() + "';; esac; done\necho '{\"comments\":[]}'\n");
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

namespace {

// A shellcheck that logs the bytes of each script it is given, one line each, and finds nothing.
struct CountingShellcheck {
  test::TempDir dir;
  PathOverride path{dir.path().string() + ":/usr/bin:/bin"};
  CountingShellcheck() {
    test::write_file(dir.path() / "shellcheck",
                     "#!/bin/sh\nfor a; do case $a in /proc/self/fd/*) wc -c < \"$a\" >> '" + (dir.path() / "log").string() + "';; esac; done\necho '{\"comments\":[]}'\n");
    fs::permissions(dir.path() / "shellcheck", fs::perms::owner_all);
  }
  // Bytes of every script shellcheck read.
  size_t bytes_read() const {
    std::string log = test::read_file(dir.path() / "log");
    size_t total = 0;
    for (size_t at = 0; at < log.size();) {
      size_t end = log.find('\n', at);
      total += std::stoul(log.substr(at, end - at));
      at = end + 1;
    }
    return total;
  }
};

// A runbook of `count` distinct bash scripts of about `bytes` bytes, each a 4-line fence.
std::string scripts(int count, size_t bytes, const std::string& tag) {
  std::string md = "# T\n";
  for (int i = 0; i < count; ++i) md += "\n```bash\necho " + tag + std::to_string(i) + "\n# " + std::string(bytes, 'x') + "\n```\n";
  return md;
}

}  // namespace

TEST_CASE("shellcheck reads at most limits.shellcheck_bytes of scripts per runbook (s6 review B5: 16 x 31 KiB took 18 s)", "[validator][shellcheck][hostile]") {
  CountingShellcheck counting;
  std::vector<model::Runbook> rbs;
  rbs.push_back(test::parse(scripts(16, 31 * 1024, "a"), "ops/big.md"));
  validator::StaticOptions options;
  options.shell = false;
  auto found = validator::check_static(rbs, options);
  // 2 scripts of 31 KiB fit in 64 KiB; the third (at line 3 + 2 x 5) is the first left out.
  CHECK(counting.bytes_read() == 2 * (31 * 1024 + 11));
  REQUIRE(found.size() == 1);
  CHECK(found[0].rule == "check-failed");
  CHECK(found[0].file == "ops/big.md");
  CHECK(found[0].line == 13);
  CHECK(found[0].message ==
        "shellcheck did not check this script nor the 13 after it: the shell scripts of this runbook reach 95265 bytes, over the limit of 65536 bytes per runbook (bash -n still checks them)");
  CHECK(found[0].hint == "raise limits.shellcheck_bytes in opsbook.yaml, or split the runbook");
}

TEST_CASE("shellcheck budget: identical scripts cost once, and the run has its own budget", "[validator][shellcheck][hostile]") {
  CountingShellcheck counting;
  std::vector<model::Runbook> rbs;
  std::string same = "# T\n";
  for (int i = 0; i < 16; ++i) same += "\n```bash\necho same\n# " + std::string(31 * 1024, 'x') + "\n```\n";
  rbs.push_back(test::parse(same, "same.md"));
  for (const char* name : {"a", "b", "c"}) rbs.push_back(test::parse(scripts(2, 20 * 1024, name), std::string(name) + ".md"));
  validator::StaticOptions options;
  options.shell = false;
  options.shellcheck_run_bytes = 140000;
  auto found = validator::check_static(rbs, options);
  REQUIRE(found.size() == 1);
  CHECK(found[0].file == "c.md");
  CHECK(found[0].line == 8);  // the second script of the third runbook: about 31 + 5 x 20 KiB read
  CHECK(found[0].message.starts_with("shellcheck did not check this script: the shell scripts of this run reach "));
  CHECK(found[0].message.ends_with("bytes, over the limit of 140000 bytes per run (bash -n still checks them)"));
  CHECK(found[0].hint == "raise limits.shellcheck_run_bytes in opsbook.yaml, or check fewer runbooks per run (--shard)");
  CHECK(counting.bytes_read() <= 140000);
}
