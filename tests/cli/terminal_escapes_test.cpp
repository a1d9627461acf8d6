// A runbook's control characters never reach the terminal raw (s7b review B11, s7e review E9):
// check findings and their source lines, inspect, and opsbook run's dry run and the code shown
// above its prompt print them escaped; check reports each as a control-character error.
#include <catch2/catch.hpp>

#include <cstdlib>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <regex>

#include "support.hpp"

using namespace opsbook;
namespace fs = std::filesystem;

namespace {

// The reproducer of B11: an OSC title in the front matter, ESC[8m hiding the rest of a command.
const char* k_hidden = "---\ntitle: \"T\\e]0;pwned\\a\"\n---\n# H\n\n```bash\nrm -rf / \x1b[8m--hidden-from-the-terminal\n```\n";

void no_raw_controls(const std::string& text) {
  for (char c : text) {
    auto u = static_cast<unsigned char>(c);
    INFO("byte " << static_cast<int>(u));
    CHECK((u >= 0x20 || u == '\n' || u == '\t'));
    CHECK(u != 0x7f);
  }
}

// `text` with every UTC time (2026-12-03T08:00:00Z) replaced by T.
std::string timeless(std::string text) {
  static const std::regex k_time("[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z");
  return std::regex_replace(text, k_time, "T");
}

}  // namespace

TEST_CASE("check and inspect show a runbook's escapes escaped, and check reports them (s7b B11)", "[cli][terminal][hostile]") {
  test::TempDir dir;
  test::write_file(dir.path() / "content" / "r.md", k_hidden);
  auto check = test::run_opsbook({"check", "--no-shell", "content"}, dir.path().string());
  INFO(check.out << check.err);
  CHECK(check.exit_code == 1);
  std::string all = check.out + check.err;
  no_raw_controls(all);
  CHECK(all.find("content/r.md:7:10: error[control-character]: control character \\x1b in the text: a terminal that shows this line acts on it "
                 "(it can hide the code or rewrite the lines above)\n"
                 " 7 | rm -rf / \\x1b[8m--hidden-from-the-terminal\n"
                 "   |          ^\n"
                 "  hint: remove it; where a command means the byte, write it as an escape (printf '\\033[1m', $'\\e')\n") != std::string::npos);
  CHECK(all.find("content/r.md:7: warning[destructive-unguarded]: destructive command `rm -rf / \\x1b[8m--hidden-from-the-terminal` in snippet 'h-1'") !=
        std::string::npos);
  auto inspect = test::run_opsbook({"inspect", "content"}, dir.path().string());
  INFO(inspect.out << inspect.err);
  no_raw_controls(inspect.out + inspect.err);
  CHECK(inspect.out.rfind("content/r.md: T\\x1b]0;pwned\\x07\n", 0) == 0);
  CHECK(inspect.err.find(" 7 | rm -rf / \\x1b[8m--hidden-from-the-terminal\n") != std::string::npos);
}

TEST_CASE("opsbook run: the dry run and the code above the prompt show escapes escaped (s7e E9)", "[cli][terminal][hostile]") {
  test::TempDir dir;
  std::string canary = (dir.path() / "canary_esc").string();
  test::write_file(dir.path() / "content" / "esc.md", "# E\n\n## e\n\n```bash {name=e}\ntouch " + canary + " # \x1b[1A\x1b[2Kuptime\x1b[8m\n```\n");
  auto dry = test::run_opsbook({"run", "content/esc.md#e", "--dry-run", "--no-transcript"}, dir.path().string());
  INFO(dry.out << dry.err);
  no_raw_controls(dry.out + dry.err);
  CHECK(dry.out.find("touch " + canary + " # \\x1b[1A\\x1b[2Kuptime\\x1b[8m\n") != std::string::npos);
  auto asked = test::run_opsbook({"run", "content/esc.md#e", "--no-transcript"}, dir.path().string());
  INFO(asked.out << asked.err);
  no_raw_controls(asked.out + asked.err);
  CHECK(asked.err.rfind("touch " + canary + " # \\x1b[1A\\x1b[2Kuptime\\x1b[8m\n", 0) == 0);
  CHECK_FALSE(fs::exists(canary));
}

// s9b review R1: opsbook.yaml's history settings, a history file a pull request commits and a
// report's fields reach notes and warnings: each printed escaped, through model::print_line.
TEST_CASE("history notes and warnings show escapes from opsbook.yaml, history files and reports escaped (s9b R1)", "[cli][terminal][hostile][history]") {
  test::TempDir dir;
  test::write_file(dir.path() / "content" / "r.md", "# R\n\n```bash\nuptime\n```\n");
  test::write_file(dir.path() / ".opsbook" / "h\x1b]0;PW\x07.sqlite", std::string(100, 'x'));  // not SQLite: refused
  test::write_file(dir.path() / "opsbook.yaml", "history:\n  path: \".opsbook/h\\e]0;PW\\a.sqlite\"\n");
  auto build = test::run_opsbook({"build", "content", "-o", "site"}, dir.path().string());
  INFO(build.err);
  CHECK(build.exit_code == 0);
  no_raw_controls(build.out + build.err);
  CHECK(build.err.find("history: .opsbook/h\\x1b]0;PW\\x07.sqlite") != std::string::npos);

  test::write_file(dir.path() / "opsbook.yaml", "history:\n  dsn_env: \"V\\e]0;PW\\a\"\n");
  auto warned = test::run_opsbook({"build", "content", "-o", "site"}, dir.path().string());
  INFO(warned.err);
  no_raw_controls(warned.out + warned.err);
  CHECK(warned.err.find("history: dsn_env names V\\x1b]0;PW\\x07, which is not set") != std::string::npos);

  test::write_file(dir.path() / "opsbook.yaml", "history:\n  path: .opsbook/history.sqlite\n");
  auto check = test::run_opsbook({"check", "--no-shell", "--format", "json", "-o", "r.json", "content"}, dir.path().string());
  REQUIRE(check.exit_code == 0);
  std::string report = test::read_file(dir.path() / "r.json");
  size_t at = report.find("\"generated_at\":\"");
  REQUIRE(at != std::string::npos);
  at += 16;
  report.replace(at, report.find('"', at) - at, "2026-12-03T08:00:00Z\\u001b]0;PW\\u0007");
  test::write_file(dir.path() / "r.json", report);
  auto record = test::run_opsbook({"history", "record", "r.json"}, dir.path().string());
  CHECK(record.exit_code == 2);
  CHECK(record.err == "opsbook: error: history: the report's generated_at '2026-12-03T08:00:00Z\\x1b]0;PW\\x07' is not a UTC time like "
                      "2026-11-24T01:30:00Z; record the report 'opsbook check' wrote, unchanged\n");
}

// s10b review B2: values that reached the terminal raw on paths no message escaped: a shard
// report's env, rule and file in `report merge` (text and GitHub formats), opsbook.yaml's output
// folder in build's last line. opsbook's standard streams escape whatever they are given
// (cli/terminal_sink), so no message has to remember to.
TEST_CASE("report merge and build show escapes from reports and opsbook.yaml escaped, whichever message quotes them (s10b B2)", "[cli][terminal][hostile]") {
  test::TempDir dir;
  test::write_file(dir.path() / "content" / "r.md", "# R\n\n```bash\nuptime\n```\n\n[x](missing.md)\n");
  auto check = test::run_opsbook({"check", "--no-shell", "--shard", "1/1", "--format", "json", "-o", "s.json", "content"}, dir.path().string());
  REQUIRE(check.exit_code == 1);
  std::string report = test::read_file(dir.path() / "s.json");
  auto plant = [&](const std::string& from, const std::string& to) {
    size_t at = report.find(from);
    REQUIRE(at != std::string::npos);
    report.replace(at, from.size(), to);
  };
  plant("\"env\":\"\"", "\"env\":\"lo\\u001b]0;PW\\u0007cal\"");
  plant("\"rule\":\"broken-link\"", "\"rule\":\"broken\\u001b[31m-link\"");
  plant("\"file\":\"content/r.md\"", "\"file\":\"content/r\\u001b]0;X\\u0007\\u202e.md\"");
  test::write_file(dir.path() / "s.json", report);
  for (const char* format : {"text", "github"}) {
    auto merged = test::run_opsbook({"report", "merge", "--format", format, "s.json"}, dir.path().string());
    INFO(format << ": " << merged.out << merged.err);
    no_raw_controls(merged.out + merged.err);
    CHECK(merged.out.find("\\u202e") != std::string::npos);
    CHECK(merged.out.find("\xe2\x80\xae") == std::string::npos);
  }
  auto text = test::run_opsbook({"report", "merge", "s.json"}, dir.path().string());
  CHECK(text.out.find("content/r\\x1b]0;X\\x07\\u202e.md:7:1: error[broken\\x1b[31m-link]: link to 'missing.md': no such file\n") == 0);

  test::write_file(dir.path() / "opsbook.yaml", "output: \"out\\e]0;PW\\a\"\n");
  auto build = test::run_opsbook({"build", "content"}, dir.path().string());
  INFO(build.err);
  no_raw_controls(build.out + build.err);
  CHECK(build.err.find("into out\\x1b]0;PW\\x07 in ") != std::string::npos);

  // s10b review B10: a newline inside one quoted value forged a line of its own.
  std::string forged = test::read_file(dir.path() / "s.json");
  size_t at = forged.find("\"generated_at\":\"");
  REQUIRE(at != std::string::npos);
  at += 16;
  forged.replace(at, forged.find('"', at) - at, "2026-12-03T08:00:00Z\\nhistory: recorded run X");
  test::write_file(dir.path() / "s.json", forged);
  auto record = test::run_opsbook({"history", "record", "s.json"}, dir.path().string());
  CHECK(record.exit_code == 2);
  CHECK(record.err.find("generated_at '2026-12-03T08:00:00Z\\x0ahistory: recorded run X' is not a UTC time") != std::string::npos);
}

// s10c review B11: a parameter value's line break, shell-quoted, started a line of its own in the
// dry run and above the confirmation prompt, where it could pass for opsbook's own words. Values
// with a control character are shown as bash reads $'...', which is what runs.
TEST_CASE("opsbook run: a value's line break never starts a line of its own above the prompt (s10c B11)", "[cli][terminal][hostile]") {
  test::TempDir dir;
  test::write_file(dir.path() / "content" / "v.md", "# V\n\n```bash {name=greet}\necho \"hello <name>\" >/dev/null\n```\n");
  std::string value = "a\nopsbook: read-only snippet, nothing to confirm\x1b[2K\tend'\\";
  auto dry = test::run_opsbook({"run", "content/v.md#greet", "--dry-run", "--no-transcript", "-p", "name=" + value}, dir.path().string());
  INFO(dry.out << dry.err);
  CHECK(dry.exit_code == 0);
  no_raw_controls(dry.out + dry.err);
  std::string shown = "OPSBOOK_P_name=$'a\\nopsbook: read-only snippet, nothing to confirm\\x1b[2K\\tend\\'\\\\'\n";
  CHECK(dry.out.find(shown) != std::string::npos);
  CHECK(dry.out.find("\nopsbook: read-only") == std::string::npos);
  // What is shown is the value bash gets.
  test::write_file(dir.path() / "shown.sh", shown + "printf %s \"$OPSBOOK_P_name\" > \"$1\"\n");
  std::string cmd = "bash '" + (dir.path() / "shown.sh").string() + "' '" + (dir.path() / "value").string() + "'";
  REQUIRE(std::system(cmd.c_str()) == 0);
  CHECK(test::read_file(dir.path() / "value") == value);
}

// s11b review B4: the sink escaped machine output on stdout too, so one DEL byte in a runbook made
// `check --format json`, `inspect --json` and `checklist --format json` invalid JSON, and junit on
// stdout differed from -o. Machine formats write DEL, C1 and bidi controls as their own escapes
// (\u007f, &#x202E;): valid, the same on stdout and in a file, and safe on a terminal.
TEST_CASE("machine formats on stdout are valid and equal to -o when a runbook holds DEL, C1 and bidi controls (s11b B4)", "[cli][terminal][hostile]") {
  test::TempDir dir;
  test::write_file(dir.path() / "content" / "r.md", "# T\xe2\x80\xae\x7f\n\n- [ ] step \x7f one \xc2\x85\n\n```bash\nuptime # \x7f \xe2\x80\xae\n```\n");
  for (const char* format : {"json", "sarif", "junit"}) {
    auto out = test::run_opsbook({"check", "--no-shell", "--format", format, "content"}, dir.path().string());
    auto file = test::run_opsbook({"check", "--no-shell", "--format", format, "-o", std::string("r.") + format, "content"}, dir.path().string());
    INFO(format << ": " << out.err << file.err);
    CHECK(out.exit_code == 1);
    no_raw_controls(out.out);
    CHECK(timeless(out.out) == timeless(test::read_file(dir.path() / (std::string("r.") + format))));  // two runs: their times may differ
    if (std::string(format) != "junit") CHECK_FALSE(nlohmann::json::parse(out.out, nullptr, false).is_discarded());
  }
  auto json = test::read_file(dir.path() / "r.json");
  CHECK(json.find("step \\u007f one \\u0085") != std::string::npos);
  for (std::vector<std::string> args : {std::vector<std::string>{"inspect", "--json", "content"}, {"checklist", "--format", "json", "content"}}) {
    auto r = test::run_opsbook(args, dir.path().string());
    INFO(args[0] << ": " << r.err);
    no_raw_controls(r.out);
    auto parsed = nlohmann::json::parse(r.out, nullptr, false);
    CHECK_FALSE(parsed.is_discarded());
    CHECK(r.out.find("\\u007f") != std::string::npos);
  }
}

// s11a review B10: opsbook's own words on the path a snippet's output takes (an HTTP snippet's
// error, a SQL server's message quoting a value) reached the terminal raw.
TEST_CASE("opsbook run: its own messages about an HTTP or SQL snippet show escapes escaped (s11a B10)", "[cli][terminal][hostile]") {
  test::TempDir dir;
  test::write_file(dir.path() / "content" / "h.md", "# H\n\n```http {name=h}\nGET http://shop.example.com/x\n```\n");
  test::write_file(dir.path() / "opsbook.yaml", "environments:\n  local:\n    hosts:\n      \"shop.example.com\": \"127.0.0.1:1\\e]0;PW\\a\"\n");
  auto r = test::run_opsbook({"run", "content/h.md#h", "--env", "local", "--no-transcript"}, dir.path().string());
  INFO(r.out << r.err);
  CHECK(r.exit_code != 0);
  no_raw_controls(r.out + r.err);
  CHECK(r.err.find("opsbook: GET http://127.0.0.1:1\\x1b]0;PW\\x07/x: ") != std::string::npos);
}
