// opsbook incident new | list and opsbook checklist through the real binary.
#include <catch2/catch.hpp>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "support.hpp"

using namespace opsbook;
namespace fs = std::filesystem;

TEST_CASE("incident new: never overwrites, prints the path, uses docs/INCIDENTS by default", "[cli][incident]") {
  test::TempDir dir;
  std::string rb = test::samples_dir() + "/fastapi-celery-operations.md";
  std::vector<std::string> args = {"incident", "new", "--runbook", rb, "--severity", "SEV2", "--title", "Queue backlog!", "--now", "2026-11-24T03:04:05Z"};
  auto first = test::run_opsbook(args, dir.path().string());
  auto second = test::run_opsbook(args, dir.path().string());
  REQUIRE(first.exit_code == 0);
  REQUIRE(second.exit_code == 0);
  CHECK(first.out == "docs/INCIDENTS/2026-11-24-queue-backlog.md\n");
  CHECK(second.out == "docs/INCIDENTS/2026-11-24-queue-backlog-2.md\n");
  std::string a = test::read_file((dir.path() / "docs/INCIDENTS/2026-11-24-queue-backlog.md").string());
  std::string b = test::read_file((dir.path() / "docs/INCIDENTS/2026-11-24-queue-backlog-2.md").string());
  CHECK(a == b);
  CHECK(a.find("severity: SEV2\n") != std::string::npos);

  auto bad = test::run_opsbook({"incident", "new", "--runbook", rb, "--severity", "SEV7", "--title", "x"}, dir.path().string());
  CHECK(bad.exit_code == 2);
  CHECK(bad.err.find("unknown severity 'SEV7'; known: SEV1, SEV2, SEV3, SEV4") != std::string::npos);
}

TEST_CASE("incident new: a title with a line break or control character is refused: no document is written", "[cli][incident]") {
  test::TempDir dir;
  std::string rb = test::samples_dir() + "/fastapi-celery-operations.md";
  for (const auto& [title, code, byte] : std::vector<std::tuple<std::string, std::string, std::string>>{
           {"Queue backlog\n# Fake heading", "0x0A", "14"}, {"a\rb", "0x0D", "2"}, {"\x1b[31mred", "0x1B", "1"}, {"tab\there", "0x09", "4"}, {"del\x7f", "0x7F", "4"}}) {
    auto r = test::run_opsbook({"incident", "new", "--runbook", rb, "--severity", "SEV2", "--title", title}, dir.path().string());
    CHECK(r.exit_code == 2);
    CHECK(r.out.empty());
    CHECK(r.err == "opsbook: error: --title must be one line of text, but it holds the control character " + code + " at byte " + byte +
                       "; write the title on one line and the details in the document\n");
  }
  CHECK_FALSE(fs::exists(dir.path() / "docs/INCIDENTS"));
  auto ok = test::run_opsbook({"incident", "new", "--runbook", rb, "--severity", "SEV2", "--title", "Zürich: queue “backlog”", "--now", "2026-11-24T03:04:05Z"}, dir.path().string());
  CHECK(ok.exit_code == 0);
}

TEST_CASE("incident list: status and severity, newest first", "[cli][incident]") {
  test::TempDir dir;
  std::string rb = test::samples_dir() + "/chessmate-operations.md";
  std::string out = (dir.path() / "inc").string();
  for (const auto& [title, now, sev] : std::vector<std::tuple<std::string, std::string, std::string>>{
           {"Old outage", "2026-10-01T10:00:00Z", "SEV3"}, {"New outage", "2026-11-20T08:30:00Z", "SEV1"}, {"Middle", "2026-11-01T00:00:00Z", "SEV2"}}) {
    REQUIRE(test::run_opsbook({"incident", "new", "--runbook", rb, "--severity", sev, "--title", title, "--now", now, "-o", out}).exit_code == 0);
  }
  auto r = test::run_opsbook({"incident", "list", out});
  REQUIRE(r.exit_code == 0);
  size_t n = r.out.find("New outage"), m = r.out.find("Middle"), o = r.out.find("Old outage");
  CHECK(n < m);
  CHECK(m < o);
  CHECK(r.out.find("2026-11-20T08:30:00Z  SEV1      investigating  New outage") != std::string::npos);
}

TEST_CASE("checklist: JSON and YAML of a folder: exit 1 when a runbook is broken", "[cli][checklist]") {
  auto r = test::run_opsbook({"checklist", test::samples_dir(), "--format", "json"});
  REQUIRE(r.exit_code == 0);
  auto j = nlohmann::json::parse(r.out);
  CHECK(j["version"] == 1);
  CHECK(j["checklists"].size() == 7);
  auto y = test::run_opsbook({"checklist", test::samples_dir(), "--format", "yaml"});
  CHECK(y.exit_code == 0);
  CHECK(y.out.find("- id: \"chessmate-operations/deployment\"") != std::string::npos);
  CHECK(test::run_opsbook({"checklist", test::samples_dir(), "--format", "xml"}).exit_code == 2);
}

TEST_CASE("incident new: the template can be overridden from the templates folder", "[cli][incident]") {
  test::TempDir dir;
  test::write_file(dir.path() / "tpl" / "incident.md.mustache", "# {{title}} ({{severity}})\nRunbook: {{runbook_title}}\n");
  test::write_file(dir.path() / "opsbook.yaml", "templates: tpl\nincidents: out\n");
  auto r = test::run_opsbook({"incident", "new", "--runbook", test::samples_dir() + "/chessmate-operations.md", "--severity", "sev1", "--title", "Slow", "--now",
                              "2026-11-24T03:04:05Z"},
                             dir.path().string());
  REQUIRE(r.exit_code == 0);
  CHECK(test::read_file((dir.path() / "out/2026-11-24-slow.md").string()) == "# Slow (SEV1)\nRunbook: Operations Playbook\n");
}

TEST_CASE("incident new: the link to the runbook works from the folder the document is in", "[cli][incident]") {
  test::TempDir dir;
  test::write_file(dir.path() / "content/db.md", "# DB\n\n## Health\n\n```bash\npg_isready -h 127.0.0.1\n```\n");
  auto r = test::run_opsbook({"incident", "new", "--runbook", "content/db.md", "--severity", "SEV1", "--title", "DB down", "--now", "2026-11-24T03:04:05Z"},
                             dir.path().string());
  REQUIRE(r.exit_code == 0);
  std::string doc = test::read_file((dir.path() / "docs/INCIDENTS/2026-11-24-db-down.md").string());
  CHECK(doc.find("from the runbook [DB](../../content/db.md).") != std::string::npos);
  CHECK(doc.find("runbook: \"content/db.md\"\n") != std::string::npos);  // front matter: as given, from where opsbook runs
  // opsbook's own output passes opsbook's link check.
  auto check = test::run_opsbook({"check", "docs/INCIDENTS", "--no-shell"}, dir.path().string());
  CHECK(check.out.find("broken") == std::string::npos);
  CHECK(check.out.find("error[") == std::string::npos);
  // -o elsewhere, and an absolute runbook path: still relative to the document.
  r = test::run_opsbook({"incident", "new", "--runbook", (dir.path() / "content/db.md").string(), "--severity", "SEV1", "--title", "DB down",
                         "--now", "2026-11-24T03:04:05Z", "-o", "notes/2026"},
                        dir.path().string());
  REQUIRE(r.exit_code == 0);
  CHECK(test::read_file((dir.path() / "notes/2026/2026-11-24-db-down.md").string()).find("[DB](../../content/db.md)") != std::string::npos);
}

TEST_CASE("incident list: a committed incident file's escapes reach the terminal escaped (s8c review R5)", "[cli][incident]") {
  test::TempDir dir;
  std::string out = (dir.path() / "inc").string();
  REQUIRE(test::run_opsbook({"incident", "new", "--runbook", test::samples_dir() + "/chessmate-operations.md", "--severity", "SEV2", "--title", "Outage", "--now",
                             "2026-11-20T08:30:00Z", "-o", out}).exit_code == 0);
  for (const auto& e : fs::directory_iterator(out)) {
    std::string text = test::read_file(e.path().string());
    size_t at = text.find("Outage");
    REQUIRE(at != std::string::npos);
    text.replace(at, 6, "\x1b]0;pwned\x07Outage\x1b[2J");
    test::write_file(e.path(), text);
  }
  auto r = test::run_opsbook({"incident", "list", out});
  INFO(r.out);
  CHECK(r.out.find('\x1b') == std::string::npos);
  CHECK(r.out.find("\\x1b]0;pwned\\x07Outage\\x1b[2J") != std::string::npos);
}

// s11d review B5: `incidents: /usr` in a pull request's opsbook.yaml made `incident list` walk /usr
// (and `incident new` would write there). The configured folder lies in the checkout.
TEST_CASE("incidents: the folder opsbook.yaml names lies in the checkout, never outside it or in .git (s11d B5)", "[cli][incident][hostile]") {
  test::TempDir dir;
  std::filesystem::create_directories(dir.path() / "repo" / ".git");
  test::write_file(dir.path() / "repo" / "content" / "r.md", "# R\n\ntext\n");
  std::string repo = (dir.path() / "repo").string();
  std::string real_repo = std::filesystem::weakly_canonical(repo).string();
  const std::string way = ": opsbook keeps incidents in its own checkout; name a folder elsewhere on the command line (incident new -o DIR, incident list DIR)\n";
  test::write_file(dir.path() / "repo" / "opsbook.yaml", "incidents: /usr\n");
  auto list = test::run_opsbook({"incident", "list"}, repo);
  CHECK(list.exit_code == 2);
  CHECK(list.err == "opsbook: error: opsbook.yaml: incidents '/usr' is /usr, outside the checkout " + real_repo + way);
  auto created = test::run_opsbook({"incident", "new", "--runbook", "content/r.md", "--severity", "SEV2", "--title", "t"}, repo);
  CHECK(created.exit_code == 2);
  CHECK(created.err == list.err);
  test::write_file(dir.path() / "repo" / "opsbook.yaml", "incidents: .git/hooks\n");
  created = test::run_opsbook({"incident", "new", "--runbook", "content/r.md", "--severity", "SEV2", "--title", "t"}, repo);
  CHECK(created.exit_code == 2);
  CHECK(created.err.find("in the hidden folder .git of the checkout") != std::string::npos);
  CHECK_FALSE(std::filesystem::exists(dir.path() / "repo" / ".git" / "hooks"));
  test::write_file(dir.path() / "repo" / "opsbook.yaml", "incidents: docs/INCIDENTS\n");
  CHECK(test::run_opsbook({"incident", "new", "--runbook", "content/r.md", "--severity", "SEV2", "--title", "t"}, repo).exit_code == 0);
  CHECK(test::run_opsbook({"incident", "list"}, repo).exit_code == 0);
}
