// The opsbook binary on real files: inspect output, exit codes, usage errors.
#include <catch2/catch.hpp>
#include <cstdlib>
#include <nlohmann/json.hpp>

#include "support.hpp"

using namespace opsbook;
using test::run_opsbook;

TEST_CASE("inspect --json on the samples prints the versioned model", "[cli][inspect]") {
  auto r = run_opsbook({"inspect", "--json", test::samples_dir()});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  auto j = nlohmann::json::parse(r.out);
  CHECK(j["version"] == 1);
  REQUIRE(j["runbooks"].size() == 3);
  const auto& rb = j["runbooks"][0];
  CHECK(rb["slug"] == "chessmate-operations");
  for (const char* key : {"path", "title", "sections", "snippets", "endpoints", "ports", "checklists", "tables", "diagnostics"}) {
    CHECK(rb.contains(key));
  }
  const auto& s = rb["snippets"][0];
  for (const char* key : {"id", "kind", "lang", "line", "code", "inline", "safety", "params", "attrs"}) CHECK(s.contains(key));
  const auto& c = rb["checklists"][0];
  for (const char* key : {"id", "title", "line", "items"}) CHECK(c.contains(key));
  for (const char* key : {"id", "text", "checked", "line"}) CHECK(c["items"][0].contains(key));
}

TEST_CASE("inspect text form summarises each runbook", "[cli][inspect]") {
  auto r = run_opsbook({"inspect", test::samples_dir() + "/chessmate-operations.md"});
  REQUIRE(r.exit_code == 0);
  CHECK(r.out.find("Operations Playbook") != std::string::npos);
  CHECK(r.out.find("checklist chessmate-operations/incident-response-checklist  \"Incident Response Checklist\"  procedure, 5 steps  line 38") != std::string::npos);
}

TEST_CASE("a broken file: exit 1, file:line on stderr, the other files still in the output", "[cli][inspect][errors]") {
  test::TempDir dir;
  test::write_file(dir.path() / "a.md", "# A\n\n```bash\necho\n");
  test::write_file(dir.path() / "b.md", "# B\n");
  auto r = run_opsbook({"inspect", "--json", dir.path().string()});
  CHECK(r.exit_code == 1);
  CHECK(r.err.find("a.md:3:1: error[unclosed-fence]") != std::string::npos);
  auto j = nlohmann::json::parse(r.out);
  REQUIRE(j["runbooks"].size() == 2);
  CHECK(j["runbooks"][1]["title"] == "B");
}

TEST_CASE("usage errors exit 2, and --version and help work", "[cli]") {
  CHECK(run_opsbook({"inspect", "--no-such-flag"}).exit_code == 2);
  CHECK(run_opsbook({"no-such-command"}).exit_code == 2);
  auto v = run_opsbook({"--version"});
  CHECK(v.exit_code == 0);
  CHECK(v.out.rfind("opsbook ", 0) == 0);
  auto h = run_opsbook({"help", "inspect"});
  CHECK(h.exit_code == 0);
  CHECK(h.out.find("--json") != std::string::npos);
  CHECK(run_opsbook({"help", "nope"}).exit_code == 2);
}

TEST_CASE("a broken opsbook.yaml is a usage error naming file and line", "[cli][config]") {
  test::TempDir dir;
  test::write_file(dir.path() / "opsbook.yaml", "content: [unclosed\n");
  auto r = run_opsbook({"inspect"}, dir.path().string());
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("opsbook: error: opsbook.yaml:") != std::string::npos);
}

TEST_CASE("an opsbook.yaml larger than 1 MiB is refused before yaml-cpp reads it", "[cli][config][limit]") {
  test::TempDir dir;
  test::write_file(dir.path() / "content/a.md", "# A\n");
  // One scalar: yaml-cpp took 10.7 s for 4 MB of it. At the bound it is read; one byte more is not.
  std::string head = "site:\n  title: ";
  std::string at_bound = head + std::string((1 << 20) - head.size() - 1, 'a') + "\n";
  REQUIRE(at_bound.size() == 1048576);
  test::write_file(dir.path() / "opsbook.yaml", at_bound);
  CHECK(run_opsbook({"inspect"}, dir.path().string()).exit_code == 0);
  test::write_file(dir.path() / "opsbook.yaml", at_bound + "#");
  auto r = run_opsbook({"inspect"}, dir.path().string());
  CHECK(r.exit_code == 2);
  CHECK(r.err == "opsbook: error: opsbook.yaml: larger than 1 MiB; opsbook reads a configuration of at most 1 MiB (1048576 bytes): is this the right file?\n");
  test::write_file(dir.path() / "opsbook.yaml", head + std::string(4 << 20, 'a') + "\n");
  CHECK(run_opsbook({"inspect"}, dir.path().string()).exit_code == 2);
}

TEST_CASE("a quote never closed in opsbook.yaml is an error at the quote", "[cli][config]") {
  // yaml-cpp took the rest of the file as the title ("My ops base_url: x") when the file ended
  // with a line break.
  test::TempDir dir;
  test::write_file(dir.path() / "content/a.md", "# A\n");
  test::write_file(dir.path() / "opsbook.yaml", "site:\n  title: \"My ops\n  base_url: x\n");
  auto r = run_opsbook({"inspect"}, dir.path().string());
  CHECK(r.exit_code == 2);
  CHECK(r.err == "opsbook: error: opsbook.yaml:2:10: invalid YAML: this \" is never closed\n");
  test::write_file(dir.path() / "opsbook.yaml", "site:\n  title: 'it''s\n");
  r = run_opsbook({"inspect"}, dir.path().string());
  CHECK(r.err == "opsbook: error: opsbook.yaml:2:10: invalid YAML: this ' is never closed\n");
  // Closed ones, with escapes and doubled quotes inside, are read.
  test::write_file(dir.path() / "opsbook.yaml", "site:\n  title: \"a \\\" b\"\n  base_url: 'it''s'\n\"content\": content\n");
  CHECK(run_opsbook({"inspect"}, dir.path().string()).exit_code == 0);
}

TEST_CASE("paths default to the configured content folder", "[cli][config]") {
  test::TempDir dir;
  test::write_file(dir.path() / "opsbook.yaml", "content: books\n");
  test::write_file(dir.path() / "books/x.md", "# X\n");
  auto r = run_opsbook({"inspect", "--json"}, dir.path().string());
  REQUIRE(r.exit_code == 0);
  CHECK(nlohmann::json::parse(r.out)["runbooks"][0]["title"] == "X");
}

TEST_CASE("build: exit 1 for a broken runbook, its page and the others still written", "[cli][build]") {
  test::TempDir dir;
  test::write_file(dir.path() / "content/a.md", "# A\n\n```bash\necho\n");
  test::write_file(dir.path() / "content/b.md", "# B\n");
  auto r = run_opsbook({"build", "content", "-o", "out"}, dir.path().string());
  CHECK(r.exit_code == 1);
  CHECK(r.err.find("content/a.md:3:1: error[unclosed-fence]") != std::string::npos);
  CHECK(std::filesystem::exists(dir.path() / "out/runbooks/a.html"));
  CHECK(std::filesystem::exists(dir.path() / "out/runbooks/b.html"));
  CHECK(std::filesystem::exists(dir.path() / "out/search/manifest.js"));
  // An unwritable output location is an error of the environment: exit 2, nothing half-written.
  test::write_file(dir.path() / "file", "x");
  auto bad = run_opsbook({"build", "content", "-o", "file/site"}, dir.path().string());
  CHECK(bad.exit_code == 2);
  CHECK(bad.err.find("opsbook: error:") != std::string::npos);
}

TEST_CASE("check: exit codes follow --fail-on, -o writes the report, help rules lists rules", "[cli][check]") {
  test::TempDir dir;
  test::write_file(dir.path() / "content/a.md", "# A\n\n```bash {name=wipe}\nrm -rf /srv/data\n```\n");
  auto warn_only = run_opsbook({"check", "content"}, dir.path().string());
  CHECK(warn_only.exit_code == 0);
  CHECK(warn_only.out.find("content/a.md:4: warning[destructive-unguarded]") != std::string::npos);
  CHECK(run_opsbook({"check", "content", "--fail-on", "warning"}, dir.path().string()).exit_code == 1);
  CHECK(run_opsbook({"check", "content", "--fail-on", "bogus"}, dir.path().string()).exit_code == 2);
  CHECK(run_opsbook({"check", "content", "--format", "bogus"}, dir.path().string()).exit_code == 2);
  auto sarif = run_opsbook({"check", "content", "--format", "sarif", "-o", "out.sarif"}, dir.path().string());
  CHECK(sarif.exit_code == 0);
  CHECK(nlohmann::json::parse(test::read_file((dir.path() / "out.sarif").string()))["version"] == "2.1.0");
  test::write_file(dir.path() / "content/b.md", "# B\n\n```bash\nif true; then\n```\n");
  CHECK(run_opsbook({"check", "content"}, dir.path().string()).exit_code == 1);
  auto rules = run_opsbook({"help", "rules"});
  CHECK(rules.exit_code == 0);
  CHECK(rules.out.find("shell-syntax") != std::string::npos);
  CHECK(rules.out.find("secret") != std::string::npos);
}

TEST_CASE("check --changed-since checks only runbooks changed since a git ref", "[cli][check]") {
  test::TempDir dir;
  test::write_file(dir.path() / "content/a.md", "# A\n\n```bash\nrm -rf /srv/a\n```\n");
  test::write_file(dir.path() / "content/b.md", "# B\n\n```bash\nrm -rf /srv/b\n```\n");
  auto git = [&](std::vector<std::string> args) { return test::git(dir.path(), std::move(args)); };
  REQUIRE(git({"init", "-q"}) == 0);
  REQUIRE(git({"add", "."}) == 0);
  REQUIRE(git({"commit", "-qm", "init"}) == 0);
  test::write_file(dir.path() / "content/b.md", "# B\n\nchanged\n\n```bash\nrm -rf /srv/b\n```\n");
  auto r = run_opsbook({"check", "content", "--changed-since", "HEAD"}, dir.path().string());
  CHECK(r.out.find("content/b.md:6: warning[destructive-unguarded]") != std::string::npos);
  CHECK(r.out.find("content/a.md") == std::string::npos);
  CHECK(r.out.find("in 1 runbook") != std::string::npos);
  CHECK(run_opsbook({"check", "content", "--changed-since", "no-such-ref"}, dir.path().string()).exit_code == 2);
}
