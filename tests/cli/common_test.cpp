// Rules every command shares: no runbooks found (missing or empty folder) is exit 2 with one
// message; a file that is not text is reported and never counted or listed as a runbook.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "support.hpp"

using namespace opsbook;
using test::run_opsbook;

TEST_CASE("a missing or empty content folder: the same clear message and exit 2 for every command", "[cli]") {
  test::TempDir dir;
  std::filesystem::create_directories(dir.path() / "empty/sub");
  test::write_file(dir.path() / "empty/notes.txt", "not markdown\n");
  const std::string k_empty =
      "opsbook: error: no runbooks (*.md, *.markdown) found in 'empty'; name a file or folder that has some, or set content: in opsbook.yaml\n";
  for (std::vector<std::string> cmd : {std::vector<std::string>{"check"}, {"build", "-o", "site"}, {"inspect"}, {"checklist"}}) {
    INFO(cmd[0]);
    auto args = cmd;
    args.push_back("empty");
    auto r = run_opsbook(args, dir.path().string());
    CHECK(r.exit_code == 2);
    CHECK(r.err == k_empty);
    CHECK(r.out.empty());
    args.back() = "missing";
    r = run_opsbook(args, dir.path().string());
    CHECK(r.exit_code == 2);
    CHECK(r.err ==
          "missing: error[io]: no such file or directory\n  hint: check the path\n"
          "opsbook: error: no runbooks (*.md, *.markdown) found in 'missing'; name a file or folder that has some, or set content: in opsbook.yaml\n");
  }
  CHECK_FALSE(std::filesystem::exists(dir.path() / "site"));
  // The configured content folder, when no path is given.
  test::write_file(dir.path() / "opsbook.yaml", "content: empty\n");
  auto r = run_opsbook({"check"}, dir.path().string());
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("found in 'empty'") != std::string::npos);
}

TEST_CASE("a binary file named .md is reported, and not counted or listed as a runbook", "[cli]") {
  test::TempDir dir;
  test::write_file(dir.path() / "content/real.md", "# Real\n\nText.\n");
  test::write_file(dir.path() / "content/logo.md", std::string("\x89PNG\r\n\x1a\n\0\0\0\rIHDR", 16));
  auto check = run_opsbook({"check", "content", "--no-shell"}, dir.path().string());
  CHECK(check.exit_code == 1);
  CHECK(check.out.find("content/logo.md:3: error[binary]: binary file (NUL byte at offset 8); not read as a runbook") != std::string::npos);
  CHECK(check.out.find("opsbook check: 1 error, 0 warnings, 0 notes in 1 runbook\n") != std::string::npos);
  auto inspect = run_opsbook({"inspect", "--json", "content"}, dir.path().string());
  CHECK(inspect.exit_code == 1);
  auto j = nlohmann::json::parse(inspect.out);
  REQUIRE(j["runbooks"].size() == 1);
  CHECK(j["runbooks"][0]["title"] == "Real");
  REQUIRE(j["diagnostics"].size() == 1);
  CHECK(j["diagnostics"][0]["rule"] == "binary");
  auto text = run_opsbook({"inspect", "content"}, dir.path().string());
  CHECK(text.out.find("logo") == std::string::npos);
  CHECK(text.err.find("content/logo.md:3: error[binary]") != std::string::npos);
  // The portal: reported, but no page, not on the index, not in the sidebar.
  for (bool full : {true, false}) {
    INFO("full " << full);
    auto build = run_opsbook({"build", "content", "-o", "site", "--no-report", full ? "--full" : "--no-report"}, dir.path().string());
    CHECK(build.exit_code == 1);
    CHECK(build.err.find("content/logo.md:3: error[binary]") != std::string::npos);
    CHECK(build.err.find("opsbook: built 1 runbook (") != std::string::npos);
    CHECK_FALSE(std::filesystem::exists(dir.path() / "site/runbooks/logo.html"));
    std::string index = test::read_file((dir.path() / "site/index.html").string());
    CHECK(index.find("1 runbook. Press / to search.") != std::string::npos);
    CHECK(index.find("logo") == std::string::npos);
    CHECK(test::read_file((dir.path() / "site/assets/nav.js").string()).find("logo") == std::string::npos);
  }
}

TEST_CASE("counts read as English: 1 error, 1 runbook, 1 endpoint", "[cli]") {
  test::TempDir dir;
  test::write_file(dir.path() / "one.md", "# One\n\n## Health\n\n```bash {name=h}\ncurl -fsS http://127.0.0.1:1/healthz\n```\n\n```bash\nif true; then\n```\n");
  auto r = run_opsbook({"check", "one.md", "--no-shellcheck", "-o", "report.txt"}, dir.path().string());
  CHECK(r.err == "opsbook check: 1 error, 0 warnings, 0 notes in 1 runbook; report in report.txt\n");
  r = run_opsbook({"inspect", "one.md"}, dir.path().string());
  CHECK(r.out.find("  2 sections, 2 snippets (2 read-only, 0 mutating, 0 destructive), 1 endpoint, 0 ports, 0 checklists, 0 tables\n") != std::string::npos);
  r = run_opsbook({"run", "one.md", "--list"}, dir.path().string());
  CHECK(r.out.starts_with("one.md: 2 snippets\n"));
}
