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

// s10c review B12: opsbook.yaml (which a pull request can change) named `/`, or a committed link
// named the content folder out of the checkout: check read the whole file system, or 256
// runbooks from /usr/share that build would publish. The configured content folder lies in the
// git work tree around the configuration and is never the root; a folder given on the command line
// is the caller's choice.
TEST_CASE("the content folder opsbook.yaml names lies in its checkout, never the root", "[cli][hostile]") {
  test::TempDir dir;
  std::filesystem::create_directories(dir.path() / "repo" / ".git");
  test::write_file(dir.path() / "repo" / "docs" / "a.md", "# A\n");
  test::write_file(dir.path() / "outside" / "b.md", "# B\n");
  std::string repo = (dir.path() / "repo").string();
  std::string real_repo = std::filesystem::weakly_canonical(repo).string();
  test::write_file(dir.path() / "repo" / "opsbook.yaml", "content: /\n");
  auto root = run_opsbook({"check", "--no-shell"}, repo);
  CHECK(root.exit_code == 2);
  CHECK(root.err == "opsbook: error: opsbook.yaml: content '/' is /, outside the checkout " + real_repo +
                        ": opsbook reads the runbooks of its own checkout from the configuration; pass a folder elsewhere on the command line\n");
  std::filesystem::create_directory_symlink(dir.path() / "outside", dir.path() / "repo" / "linked");
  test::write_file(dir.path() / "repo" / "opsbook.yaml", "content: linked\n");
  auto linked = run_opsbook({"build", "-o", "site"}, repo);
  CHECK(linked.exit_code == 2);
  CHECK(linked.err.find("opsbook: error: opsbook.yaml: content 'linked' is " + std::filesystem::weakly_canonical(dir.path() / "outside").string() +
                        ", outside the checkout ") == 0);
  CHECK_FALSE(std::filesystem::exists(dir.path() / "repo" / "site"));
  test::write_file(dir.path() / "repo" / "opsbook.yaml", "content: docs\n");
  CHECK(run_opsbook({"check", "--no-shell"}, repo).exit_code == 0);
  CHECK(run_opsbook({"check", "--no-shell", (dir.path() / "outside").string()}, repo).exit_code == 0);  // named on the command line
  // s11d review B1: a hidden folder of the checkout, named or reached through a link.
  std::filesystem::create_directories(dir.path() / "repo" / ".git");
  test::write_file(dir.path() / "repo" / ".git" / "config", "[http]\n\textraheader = AUTHORIZATION: basic c2VjcmV0dG9rZW4xMjM0NQ==\n");
  std::filesystem::create_symlink(".git/config", dir.path() / "repo" / "leak.md");
  for (const char* content : {".git/config", "leak.md", ".git"}) {
    test::write_file(dir.path() / "repo" / "opsbook.yaml", std::string("content: ") + content + "\n");
    auto hidden = run_opsbook({"build", "-o", "site"}, repo);
    INFO(content << ": " << hidden.err);
    CHECK(hidden.exit_code == 2);
    CHECK(hidden.err == "opsbook: error: opsbook.yaml: content '" + std::string(content) + "' is " + real_repo + (std::string(content) == ".git" ? "/.git" : "/.git/config") +
                            ", in the hidden folder .git of the checkout: opsbook never reads hidden folders (.git holds CI's token); name another folder\n");
    CHECK_FALSE(std::filesystem::exists(dir.path() / "repo" / "site"));
  }
  // s11b review B8: the message names the configuration file given, and the folder absolute.
  test::write_file(dir.path() / "repo" / "ops" / "opsbook.yaml", "content: nonexist/../../../outside\n");
  auto named = run_opsbook({"--config", "ops/opsbook.yaml", "check", "--no-shell"}, repo);
  CHECK(named.exit_code == 2);
  CHECK(named.err == "opsbook: error: ops/opsbook.yaml: content 'nonexist/../../../outside' is " + std::filesystem::weakly_canonical(dir.path() / "outside").string() +
                         ", outside the checkout " + real_repo +
                         ": opsbook reads the runbooks of its own checkout from the configuration; pass a folder elsewhere on the command line\n");
}
