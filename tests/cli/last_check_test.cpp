// The last check report is kept per environment beside the configuration; build uses it unless
// told otherwise, and says which one and how old.
#include <catch2/catch.hpp>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "support.hpp"

using namespace opsbook;
using test::run_opsbook;
namespace fs = std::filesystem;

namespace {

// A check report as `opsbook check --live` writes it, for one runbook.
std::string live_report(const std::string& env, const std::string& generated_at, const std::string& outcome) {
  return R"({"version":1,"live":true,"env":")" + env + R"(","generated_at":")" + generated_at +
         R"(","findings":[],"results":[{"kind":"http","file":"content/a.md","line":5,"outcome":")" + outcome + R"("}]})";
}

std::string page(const fs::path& site) { return test::read_file((site / "runbooks/a.html").string()); }

}  // namespace

TEST_CASE("check keeps its JSON report in .opsbook/ beside the configuration", "[cli][report]") {
  test::TempDir dir;
  test::write_file(dir.path() / "content/a.md", "# A\n\n```bash\nif true; then\n```\n");
  auto r = run_opsbook({"check", "content", "--no-shell", "--format", "sarif", "-o", "out.sarif"}, dir.path().string());
  CHECK(r.exit_code == 0);  // --no-shell: nothing to find
  auto kept = nlohmann::json::parse(test::read_file((dir.path() / ".opsbook/last-check.json").string()));
  CHECK(kept["version"] == 1);
  CHECK(kept["live"] == false);
  // With --config elsewhere: beside that file, whatever the working folder.
  test::write_file(dir.path() / "conf/opsbook.yaml", "content: ../content\n");
  fs::create_directories(dir.path() / "elsewhere");
  r = run_opsbook({"--config", (dir.path() / "conf/opsbook.yaml").string(), "check"}, (dir.path() / "elsewhere").string());
  CHECK(fs::exists(dir.path() / "conf/.opsbook/last-check.json"));
  CHECK_FALSE(fs::exists(dir.path() / "elsewhere/.opsbook"));
  // An unwritable folder is a warning, not a failed check.
  fs::remove_all(dir.path() / ".opsbook");
  test::write_file(dir.path() / ".opsbook", "a file in the way");
  r = run_opsbook({"check", "content", "--no-shell"}, dir.path().string());
  CHECK(r.exit_code == 0);
  CHECK(r.err.find("opsbook: warning: the report was not kept in .opsbook/last-check.json") != std::string::npos);
}

TEST_CASE("build shows the kept report's badges by default; --report overrides, --no-report turns them off", "[cli][report][build]") {
  test::TempDir dir;
  test::write_file(dir.path() / "content/a.md", "# A\n\n## Health\n\n```bash\ncurl -fsS http://127.0.0.1:1/healthz\n```\n");
  test::write_file(dir.path() / "opsbook.yaml", "environments:\n  staging: {}\n  local: {}\n");
  test::write_file(dir.path() / ".opsbook/last-check-staging.json", live_report("staging", "2020-01-01T00:00:00Z", "pass"));
  test::write_file(dir.path() / ".opsbook/last-check-local.json", live_report("local", "2021-01-01T00:00:00Z", "fail"));
  auto r = run_opsbook({"build", "-o", "site", "content"}, dir.path().string());
  REQUIRE(r.exit_code == 0);
  // No --env and no default_env: the newest.
  CHECK(r.err.find("opsbook: badges from the live check on local ") != std::string::npos);
  CHECK(r.err.find(" days ago (.opsbook/last-check-local.json)\n") != std::string::npos);
  CHECK(page(dir.path() / "site").find("status-failing") != std::string::npos);
  r = run_opsbook({"build", "-o", "site", "content", "--env", "staging"}, dir.path().string());
  CHECK(r.err.find("opsbook: badges from the live check on staging ") != std::string::npos);
  CHECK(page(dir.path() / "site").find("verified live on staging") != std::string::npos);
  r = run_opsbook({"build", "-o", "site", "content", "--no-report"}, dir.path().string());
  CHECK(r.err.find("badges") == std::string::npos);
  CHECK(page(dir.path() / "site").find("never verified") != std::string::npos);
  test::write_file(dir.path() / "mine.json", live_report("prod", "2022-01-01T00:00:00Z", "pass"));
  r = run_opsbook({"build", "-o", "site", "content", "--report", "mine.json"}, dir.path().string());
  CHECK(page(dir.path() / "site").find("verified live on prod") != std::string::npos);
  r = run_opsbook({"build", "-o", "site", "content", "--env", "qa"}, dir.path().string());
  CHECK(r.err.find("opsbook: no check report kept for environment 'qa': badges say \"never verified\" (run 'opsbook check --live' first)\n") !=
        std::string::npos);
  // default_env picks its own report over a newer one.
  test::write_file(dir.path() / "opsbook.yaml", "default_env: staging\nenvironments:\n  staging: {}\n  local: {}\n");
  r = run_opsbook({"build", "-o", "site", "content"}, dir.path().string());
  CHECK(r.err.find("opsbook: badges from the live check on staging ") != std::string::npos);
}

TEST_CASE("a live check's kept report: check then build shows the badge without --report", "[cli][report][build]") {
  test::TempDir dir;
  test::write_file(dir.path() / "content/a.md", "# A\n\nText.\n");
  test::write_file(dir.path() / "opsbook.yaml", "environments:\n  local: {}\n");
  auto c = run_opsbook({"check", "content", "--live", "--env", "local", "--no-shell"}, dir.path().string());
  CHECK(c.exit_code == 0);
  CHECK(fs::exists(dir.path() / ".opsbook/last-check-local.json"));
  auto b = run_opsbook({"build", "content", "-o", "site"}, dir.path().string());
  CHECK(b.err.find("opsbook: badges from the live check on local just now (.opsbook/last-check-local.json)\n") != std::string::npos);
}
