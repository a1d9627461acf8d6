// opsbook check on hostile input: each run ends in bounded time and memory with the exact
// diagnostic, exit 1, and the other runbooks of the same run still checked.
#include <catch2/catch.hpp>

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include "support.hpp"

using namespace opsbook;
namespace fs = std::filesystem;

#ifndef OPSBOOK_TIME_SLACK
#define OPSBOOK_TIME_SLACK 1.0
#endif

namespace {

// Bounds every hostile run must stay within (time scaled for sanitizer builds).
test::Limits bounds(double seconds) {
  test::Limits l;
  l.seconds = seconds * OPSBOOK_TIME_SLACK;
  l.address_space = size_t{4} << 30;
  return l;
}

// A second runbook with findings of its own: proof that the run went on.
void write_neighbour(const test::TempDir& dir) {
  test::write_file(dir.path() / "neighbour.md", "# Neighbour\n\nSee [x](nowhere.md).\n\n```bash\necho \"unclosed\n```\n");
}
constexpr const char* k_neighbour_shell = "neighbour.md:6: error[shell-syntax]: unexpected EOF while looking for matching `\"'";

}  // namespace

TEST_CASE("a shell error early in a bash -n batch with > 64 KiB after it: every snippet gets its verdict", "[cli][check][hostile]") {
  // bash -n stops reading at the first error; writing the rest of the batch used to kill opsbook
  // with SIGPIPE (exit 141, no output).
  test::TempDir dir;
  std::string md = "# Early error\n\n```bash\nif then fi\n```\n";
  for (int i = 0; i < 400; ++i) {  // snippet i's body is on line 8 + 4 i
    std::string body = i == 399 ? "fi\n" : "echo step " + std::to_string(i) + " " + std::string(300, 'x') + "\n";
    md += "\n```bash\n" + body + "```\n";
  }
  test::write_file(dir.path() / "early.md", md);
  write_neighbour(dir);
  auto r = test::run_opsbook({"check", "--no-shellcheck", "early.md", "neighbour.md"}, dir.path().string(), bounds(60));
  REQUIRE_FALSE(r.timed_out);
  CHECK(r.exit_code == 1);
  CHECK(r.out.find("early.md:4: error[shell-syntax]: syntax error near unexpected token `then'") != std::string::npos);
  CHECK(r.out.find("early.md:1604: error[shell-syntax]: syntax error near unexpected token `fi'") != std::string::npos);
  CHECK(r.out.find(k_neighbour_shell) != std::string::npos);
  CHECK(r.out.find("opsbook check: 4 errors, 0 warnings, 0 notes in 2 runbooks") != std::string::npos);
}

TEST_CASE("checking a 1 MB runbook with thousands of findings stays linear", "[cli][check][hostile]") {
  // Each finding, the warning look-back and each placeholder used to rescan the file from the
  // top: 690 KB took 8 s (57 s on a loaded machine) and grew 4x per doubling.
  test::TempDir dir;
  std::string md = "# Many findings\n";
  int sections = 0;
  while (md.size() < (1u << 20)) {
    std::string i = std::to_string(sections++);
    md += "\n## Step " + i + "\n\nClean up the service data. See [the guide](missing-" + i + ".md#nowhere).\n\n```bash\nrm -rf /var/lib/<service_" + i +
          ">/data\nsystemctl restart <unit_" + i + ">\n```\n\n- [ ] run `kubectl delete pod <pod_" + i + ">` and check `curl http://<host_" + i + ">/healthz`\n";
  }
  test::write_file(dir.path() / "big.md", md);
  test::write_file(dir.path() / "opsbook.yaml", "limits:\n  findings: 100000\n");  // every finding reported
  write_neighbour(dir);
  auto r = test::run_opsbook({"check", "--no-shell", "--format", "json", "big.md", "neighbour.md"}, dir.path().string(), bounds(15));
  REQUIRE_FALSE(r.timed_out);
  CHECK(r.exit_code == 1);
  // Section k is 11 lines from line 3 + 11 k: its link on line 5 + 11 k, its snippet's rm on 8 + 11 k.
  CHECK(r.out.find(R"({"rule":"broken-link","severity":"error","file":"big.md","line":11005,"column":32,"message":"link to 'missing-1000.md': no such file")") != std::string::npos);
  CHECK(r.out.find(R"({"rule":"destructive-unguarded","severity":"warning","file":"big.md","line":11008,)") != std::string::npos);
  CHECK(r.out.find(R"({"rule":"unexplained-placeholder","severity":"info","file":"big.md","line":11008,"message":"placeholder <service_1000> in snippet)") != std::string::npos);
  CHECK(r.out.find(R"({"rule":"broken-link","severity":"error","file":"neighbour.md","line":3,)") != std::string::npos);
}

TEST_CASE("80,000 placeholders in one script: filled in one pass, findings past the limit only counted (s7b review B1)", "[cli][check][hostile]") {
  // Each placeholder was searched for over the whole script (58% of the time in memcmp), and
  // each of the 80,000 unexplained-placeholder findings copied 4 KiB of its line before the
  // findings limit dropped them: over 20 s and 494 MB.
  test::TempDir dir;
  std::string md = "# T\n\n```bash\necho";
  for (int i = 0; i < 80000; ++i) md += " <P" + std::to_string(i) + ">";
  md += "\n```\n";
  test::write_file(dir.path() / "r.md", md);
  write_neighbour(dir);
  test::Limits limits = bounds(20);
  limits.address_space = size_t{1} << 30;
  auto r = test::run_opsbook({"check", "--no-shellcheck", "r.md", "neighbour.md"}, dir.path().string(), limits);
  INFO(r.err);
  REQUIRE_FALSE(r.timed_out);
  CHECK(r.exit_code == 1);
  CHECK(r.out.find("r.md:4: info[unexplained-placeholder]: placeholder <P998> in snippet") != std::string::npos);
  CHECK(r.out.find("<P999>") == std::string::npos);
  CHECK(r.out.find("r.md:4: info[limit]: more than 1000 findings in this runbook: 0 errors, 0 warnings and 79001 notes from here on are not shown") != std::string::npos);
  CHECK(r.out.find(k_neighbour_shell) != std::string::npos);
#ifndef OPSBOOK_SANITIZED
  CHECK(r.max_rss_kb < 300 * 1024);
#endif
}

TEST_CASE("a paragraph of 400,000 code spans is read in linear time (s7b review B2: 200,000 took 7.3 s)", "[cli][check][hostile]") {
  // Each span copied the whole paragraph (87% of the time in memmove).
  test::TempDir dir;
  test::write_file(dir.path() / "spans.md", "# T\n\n" + test::repeat("`x` ", 400000) + "\n");
  write_neighbour(dir);
  auto r = test::run_opsbook({"check", "--no-shell", "spans.md", "neighbour.md"}, dir.path().string(), bounds(15));
  REQUIRE_FALSE(r.timed_out);
  CHECK(r.exit_code == 1);
  CHECK(r.out.find("spans.md") == std::string::npos);
  CHECK(r.out.find("neighbour.md:3:5: error[broken-link]") != std::string::npos);
}

TEST_CASE("opsbook.yaml: aliases expand within a bound, nesting errors name their line (s7b review B5)", "[cli][check][hostile]") {
  // 155 KB of aliases to a 60 KB title took 1.1 GB; 1 MB ended in std::bad_alloc.
  test::TempDir dir;
  test::write_file(dir.path() / "a.md", "# A\n\ntext\n");
  std::string yaml = "site:\n  title: &a \"" + std::string(60000, 'x') + "\"\nenvironments:\n";
  for (int i = 0; i < 2000; ++i) yaml += "  e" + std::to_string(i) + ": {params: {a: *a, b: *a, c: *a, d: *a}}\n";
  test::write_file(dir.path() / "opsbook.yaml", yaml);
  test::Limits limits = bounds(20);
  limits.address_space = size_t{1} << 30;
  for (const char* command : {"check", "build"}) {
    auto r = test::run_opsbook({command}, dir.path().string(), limits);
    INFO(command << ": " << r.err);
    REQUIRE_FALSE(r.timed_out);
    CHECK(r.exit_code == 2);
    CHECK(r.err == "opsbook: error: opsbook.yaml:38:32: the configuration expands to more than 8388608 bytes (YAML aliases are expanded): "
                   "write the values out without aliases (a fixed bound)\n");
  }
  test::write_file(dir.path() / "opsbook.yaml", "site:\n  title: x\nenvironments:\n  e: {params: " + std::string(70, '[') + std::string(70, ']') + "}\n");
  auto deep = test::run_opsbook({"check", "--no-shell"}, dir.path().string(), bounds(20));
  CHECK(deep.exit_code == 2);
  CHECK(deep.err == "opsbook: error: opsbook.yaml:4:84: nested deeper than 64 levels: flatten it (a fixed bound)\n");
}

TEST_CASE("the same expect-stdout pattern in 3,000 fences is compiled once (s7b review B4)", "[cli][check][hostile]") {
  // RE2 takes about 8 ms to refuse \pL{1000}: 1,000 fences of it took 7.8 s, compiled again each
  // time (3,000 took 7.6 s, now 0.14 s).
  test::TempDir dir;
  test::write_file(dir.path() / "re.md", "# Re\n" + test::repeat("\n```bash {expect-stdout=\"\\\\pL{1000}\\\\pL{1000}\"}\necho\n```\n", 3000));
  test::write_file(dir.path() / "opsbook.yaml", "limits:\n  regex_bytes: 65536\n");
  auto r = test::run_opsbook({"inspect", "re.md"}, dir.path().string(), bounds(10));
  REQUIRE_FALSE(r.timed_out);
  CHECK(r.err.find("re.md:3: warning[attributes]: expect-stdout: the pattern is larger than the limit of 65536 bytes once compiled (raise limits.regex_bytes in opsbook.yaml)") != std::string::npos);
}

TEST_CASE("a billion-laughs front matter stops at the expansion limit", "[cli][check][hostile]") {
  // 665 bytes whose aliases expand to 10^9 strings: expanding them took 14.5 s and 3.5 GB at
  // depth 7, and exhausted memory one level deeper.
  test::TempDir dir;
  test::write_file(dir.path() / "laughs.md", test::read_file(test::data_dir() + "/hostile/billion-laughs.md"));
  write_neighbour(dir);
  const std::string k_expected =
      "laughs.md:8:1: error[limit]: front matter key 'lol5': the front matter expands to more than 1048576 bytes (YAML aliases are expanded); "
      "the rest of the front matter is not read";
  for (std::vector<std::string> args : {std::vector<std::string>{"check", "--no-shell"}, {"inspect"}}) {
    args.insert(args.end(), {"laughs.md", "neighbour.md"});
    auto r = test::run_opsbook(args, dir.path().string(), bounds(20));
    INFO(args[0] << ": " << r.out << r.err);
    REQUIRE_FALSE(r.timed_out);
    CHECK(r.exit_code == 1);
    CHECK((r.out + r.err).find(k_expected) != std::string::npos);
    CHECK((r.out + r.err).find("neighbour.md") != std::string::npos);
  }
  auto build = test::run_opsbook({"build", "-o", "site", "laughs.md", "neighbour.md"}, dir.path().string(), bounds(20));
  REQUIRE_FALSE(build.timed_out);
  CHECK(build.exit_code == 1);
  CHECK(build.err.find(k_expected) != std::string::npos);
  CHECK(std::filesystem::exists(dir.path() / "site" / "runbooks" / "neighbour.html"));
}

TEST_CASE("fence attributes nested 50,000 deep are refused, not recursed into", "[cli][check][hostile]") {
  test::TempDir dir;
  std::string deep(50000, '[');
  deep += std::string(50000, ']');
  test::write_file(dir.path() / "deep.md", "# Deep\n\n```bash {\"name\":\"x\",\"env\":" + deep + "}\necho hi\n```\n");
  write_neighbour(dir);
  auto r = test::run_opsbook({"check", "--no-shell", "deep.md", "neighbour.md"}, dir.path().string(), bounds(20));
  REQUIRE_FALSE(r.timed_out);
  CHECK(r.exit_code == 1);
  CHECK(r.out.find("deep.md:3: error[limit]: attributes nested deeper than 64 levels; they are not read") != std::string::npos);
  CHECK(r.out.find("neighbour.md:3:") != std::string::npos);
}

TEST_CASE("limits: runbook size, snippets and findings per runbook, raised or lowered in opsbook.yaml", "[cli][check][hostile]") {
  test::TempDir dir;
  test::write_file(dir.path() / "opsbook.yaml", "limits:\n  runbook_bytes: 1000\n  snippets: 3\n  findings: 2\n");
  test::write_file(dir.path() / "big.md", "# Big\n\n" + std::string(2000, 'x') + "\n");
  std::string many = "# Many\n";
  for (int i = 0; i < 5; ++i) many += "\n[link " + std::to_string(i) + "](missing.md)\n\n```bash\necho " + std::to_string(i) + "\n```\n";
  test::write_file(dir.path() / "many.md", many);
  auto r = test::run_opsbook({"check", "--no-shell", "big.md", "many.md"}, dir.path().string(), bounds(20));
  CHECK(r.exit_code == 1);
  CHECK(r.out.find("big.md: error[limit]: the runbook is 2.0 KiB, over the limit of 1000 bytes") != std::string::npos);
  CHECK(r.out.find("many.md:3:1: error[broken-link]") != std::string::npos);
  CHECK(r.out.find("many.md:9:1: error[broken-link]") != std::string::npos);
  // Snippets: the 4th (line 23) is the first not read. Findings: 2 shown, the rest counted.
  CHECK(r.out.find("many.md:15:1: error[broken-link]") == std::string::npos);
  CHECK(r.out.find("many.md:15: error[limit]: more than 2 findings in this runbook: 4 errors, 0 warnings and 0 notes from here on are not shown") != std::string::npos);
  auto snippets = test::run_opsbook({"inspect", "many.md"}, dir.path().string(), bounds(20));
  CHECK(snippets.err.find("many.md:23: error[limit]: more than 3 snippets in one runbook; this one and the ones after it are not read") != std::string::npos);
  test::write_file(dir.path() / "opsbook.yaml", "limits:\n  snippets: inf\n");
  auto bad = test::run_opsbook({"check", "many.md"}, dir.path().string(), bounds(20));
  CHECK(bad.exit_code == 2);
  CHECK(bad.err == "opsbook: error: opsbook.yaml:2:13: limit 'snippets' must be a whole number from 1 to 1099511627776\n");
}

TEST_CASE("limits: shellcheck's bytes per runbook and per run, set in opsbook.yaml (s6 review B5)", "[cli][check][hostile]") {
  test::TempDir dir;
  test::write_file(dir.path() / "opsbook.yaml", "limits:\n  shellcheck_bytes: 100\n  shellcheck_run_bytes: 130\n");
  std::string two = "# Two\n\n```bash\necho one " + std::string(60, 'x') + "\n```\n\n```bash\necho two " + std::string(60, 'y') + "\n```\n";
  test::write_file(dir.path() / "a.md", two);
  test::write_file(dir.path() / "b.md", "# B\n\n```bash\necho three " + std::string(60, 'z') + "\n```\n");
  auto r = test::run_opsbook({"check", "a.md", "b.md"}, dir.path().string(), bounds(60));
  INFO(r.out);
  CHECK(r.out.find("a.md:7: warning[check-failed]: shellcheck did not check this script: the shell scripts of this runbook reach 140 bytes, over the limit of 100 bytes per "
                   "runbook (bash -n still checks them)\n") != std::string::npos);
  CHECK(r.out.find("hint: raise limits.shellcheck_bytes in opsbook.yaml, or split the runbook") != std::string::npos);
  // a.md's first script (70 bytes) and b.md's (72) pass the run's 130 bytes.
  CHECK(r.out.find("b.md:3: warning[check-failed]: shellcheck did not check this script: the shell scripts of this run reach 142 bytes, over the limit of 130 bytes per run "
                   "(bash -n still checks them)\n") != std::string::npos);
  CHECK(r.out.find("hint: raise limits.shellcheck_run_bytes in opsbook.yaml, or check fewer runbooks per run (--shard)") != std::string::npos);
  test::write_file(dir.path() / "opsbook.yaml", "limits:\n  shellcheck_bytes: 0\n");
  auto bad = test::run_opsbook({"check", "a.md"}, dir.path().string(), bounds(20));
  CHECK(bad.exit_code == 2);
  CHECK(bad.err == "opsbook: error: opsbook.yaml:2:21: limit 'shellcheck_bytes' must be a whole number from 1 to 1099511627776\n");
}

TEST_CASE("numbers are checked before conversion: timeout=inf, --timeout inf, --deadline 1e300", "[cli][check][hostile]") {
  // timeout=inf used to print "timed out after -9223372036854775 s" (an out-of-range cast).
  test::TempDir dir;
  test::write_file(dir.path() / "t.md", "# T\n\n```bash {name=wait timeout=inf expect-exit=300}\nsleep 1\n```\n");
  auto r = test::run_opsbook({"check", "--no-shell", "t.md"}, dir.path().string(), bounds(20));
  CHECK(r.out.find("t.md:3: warning[attributes]: timeout 'inf' is not a duration up to 24h; opsbook run refuses the snippet") != std::string::npos);
  CHECK(r.out.find("t.md:3: warning[attributes]: expect-exit '300' is not an exit status (0-255)") != std::string::npos);
  auto run = test::run_opsbook({"run", "t.md#wait", "--yes"}, dir.path().string(), bounds(20));
  CHECK(run.exit_code == 2);
  CHECK(run.err.find("t.md:3: timeout 'inf' of wait is not a duration up to 24h (e.g. 30s, 5m): fix the attribute") != std::string::npos);
  for (std::vector<std::string> args : {std::vector<std::string>{"--timeout", "inf"}, {"--timeout", "nan"}, {"--deadline", "1e300"}, {"--deadline", "-1"}}) {
    std::vector<std::string> argv = {"check", "--live", "t.md"};
    argv.insert(argv.end(), args.begin(), args.end());
    auto u = test::run_opsbook(argv, dir.path().string(), bounds(20));
    INFO(args[0] << " " << args[1] << ": " << u.err);
    CHECK(u.exit_code == 2);
    CHECK(u.err.find("opsbook: error: " + args[0] + " takes a number of seconds above 0") == 0);
  }
}

TEST_CASE("an expect-stdout pattern that backtracks runs in linear time (RE2)", "[cli][check][hostile]") {
  // (a|b)*ok over 100 KB of output crashed check --live (std::regex recursion).
  test::TempDir dir;
  test::write_file(dir.path() / "re.md",
                   "# Re\n\n```bash {name=ab run=auto expect-stdout=\"^(a|b)*ok$\"}\nprintf '%0200000d' 0 | tr 0 a; echo ok\n```\n\n"
                   "```bash {name=bad run=auto expect-stdout=\"(a)\\\\1\"}\necho aa\n```\n");
  auto r = test::run_opsbook({"check", "--live", "--no-shell", "--format", "json", "re.md"}, dir.path().string(), bounds(30));
  REQUIRE_FALSE(r.timed_out);
  CHECK(r.out.find(R"("snippet":"ab","target":"ab","expect":"exit 0, stdout /^(a|b)*ok$/","outcome":"pass")") != std::string::npos);
  CHECK(r.out.find("expect-stdout: not a valid RE2 regular expression: invalid escape sequence: \\\\1") != std::string::npos);
}

TEST_CASE("shellcheck's scripts never go to disk, and a signal stops shellcheck with opsbook", "[cli][check][hostile]") {
  // The folder was /tmp/opsbook-shellcheck-<pid>: a planted symlink let another local user make
  // opsbook overwrite any file of the user running it; then a private folder, which kill -9 left
  // behind with every script in it (s7b review B10). Now the scripts are in-memory files.
  test::TempDir dir;
  fs::create_directories(dir.path() / "tmp");
  fs::create_directories(dir.path() / "bin");
  // A shellcheck that hangs (after telling its version, for the cache), so that opsbook is stopped
  // while its folder exists. Its pid file appears whole (renamed into place): the test reads it
  // as soon as it exists.
  std::string pid_file = (dir.path() / "fake.pid").string();
  test::TempDir bin;  // outside the checkout: opsbook never runs a program from a folder of it
  test::write_file(bin.path() / "shellcheck", "#!/bin/sh\n[ \"$1\" = --version ] && echo 'version: 0' && exit 0\necho $$ > " + pid_file +
                                                          ".new\nmv " + pid_file + ".new " + pid_file + "\nexec sleep 30\n");
  fs::permissions(bin.path() / "shellcheck", fs::perms::owner_all);
  test::write_file(dir.path() / "a.md", "# A\n\n```bash\necho hi\n```\n");
  std::string path = bin.path().string() + ":" + std::getenv("PATH");
  pid_t pid = ::fork();
  REQUIRE(pid >= 0);
  if (pid == 0) {
    ::setenv("PATH", path.c_str(), 1);
    ::setenv("TMPDIR", (dir.path() / "tmp").c_str(), 1);
    if (::chdir(dir.path().c_str()) != 0 || !std::freopen("/dev/null", "w", stdout)) ::_exit(127);
    ::execl(OPSBOOK_BINARY, OPSBOOK_BINARY, "check", "a.md", static_cast<char*>(nullptr));
    ::_exit(127);
  }
  auto until = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  auto folders = [&] {
    std::vector<fs::path> out;
    for (const auto& e : fs::directory_iterator(dir.path() / "tmp")) out.push_back(e.path());
    return out;
  };
  while (!fs::exists(dir.path() / "fake.pid") && std::chrono::steady_clock::now() < until) std::this_thread::sleep_for(std::chrono::milliseconds(20));
  std::vector<fs::path> during = folders();
  ::kill(pid, SIGTERM);
  int status = 0;
  ::waitpid(pid, &status, 0);
  // The child it ran (the hanging shellcheck) goes with it (s5c review: doc-tests outlived check).
  int child = fs::exists(dir.path() / "fake.pid") ? std::stoi(test::read_file((dir.path() / "fake.pid").string())) : 0;
  auto gone = [&] {
    std::string stat = test::read_file("/proc/" + std::to_string(child) + "/stat");
    size_t close = stat.rfind(')');
    return stat.empty() || (close != std::string::npos && close + 2 < stat.size() && stat[close + 2] == 'Z');
  };
  for (int i = 0; i < 250 && child > 0 && !gone(); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(20));
  CHECK((child > 0 && gone()));
  if (child > 0 && !gone()) ::kill(child, SIGKILL);
  CHECK(during.empty());
  CHECK(WIFSIGNALED(status));
  CHECK(WTERMSIG(status) == SIGTERM);
  CHECK(folders().empty());
}

TEST_CASE("a re-run takes shellcheck's results from .opsbook/shellcheck-cache: a damaged cache is one note", "[cli][check]") {
  test::TempDir dir;
  test::write_file(dir.path() / "a.md", "# A\n\n```bash\necho start\nsudo echo x > /etc/motd\n```\n");
  std::string cache = (dir.path() / ".opsbook" / "shellcheck-cache").string();
  auto first = test::run_opsbook({"check", "a.md"}, dir.path().string(), bounds(60));
  REQUIRE(first.out.find("SC2024") != std::string::npos);
  REQUIRE(fs::is_regular_file(cache));
  test::write_file(cache, "not a cache");
  auto damaged = test::run_opsbook({"check", "a.md"}, dir.path().string(), bounds(60));
  CHECK(damaged.out == first.out);
  CHECK(damaged.err.find("opsbook: note: .opsbook/shellcheck-cache is truncated or not a cache: it is ignored and replaced, every script is checked again\n") != std::string::npos);
  // A shellcheck that only tells its version: the findings come from the (rewritten) cache.
  fs::create_directories(dir.path() / "bin");
  test::write_file(dir.path() / "bin" / "shellcheck", "#!/bin/sh\n[ \"$1\" = --version ] && exec /usr/bin/shellcheck --version\nexit 3\n");
  fs::permissions(dir.path() / "bin" / "shellcheck", fs::perms::owner_all);
  std::string old_path = std::getenv("PATH");
  ::setenv("PATH", ((dir.path() / "bin").string() + ":" + old_path).c_str(), 1);
  auto cached = test::run_opsbook({"check", "a.md"}, dir.path().string(), bounds(60));
  ::setenv("PATH", old_path.c_str(), 1);
  CHECK(cached.out == first.out);
  CHECK(cached.err.find("note") == std::string::npos);
  CHECK(cached.exit_code == first.exit_code);
}
