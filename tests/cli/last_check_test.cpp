// The last check report is kept per environment beside the configuration; build uses it unless
// told otherwise, and says which one and how old.
#include <catch2/catch.hpp>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "model/check_digest.hpp"
#include "model/seal_key.hpp"
#include "support.hpp"

using namespace opsbook;
using test::run_opsbook;
namespace fs = std::filesystem;

namespace {

const std::string k_health = "# A\n\n## Health\n\n```bash\ncurl -fsS http://127.0.0.1:1/healthz\n```\n";

// A check report as `opsbook check --live` writes it, for one runbook: its result checked the
// snippet of k_health (its digest).
std::string live_report(const std::string& env, const std::string& generated_at, const std::string& outcome) {
  std::string digest = model::check_digest(test::parse(k_health).snippets.at(0));
  return R"({"version":1,"live":true,"env":")" + env + R"(","generated_at":")" + generated_at +
         R"(","findings":[],"results":[{"kind":"http","file":"content/a.md","line":5,"outcome":")" + outcome + R"(","digest":")" + digest + R"("}]})";
}

std::string page(const fs::path& site) { return test::read_file((site / "runbooks/a.html").string()); }

// A report kept as `opsbook check` keeps it on this machine: with its seal beside it (a domain
// tag, the file's name, the report's environment, the report).
void keep(const fs::path& path, const std::string& json) {
  test::write_file(path, json);
  std::string env = nlohmann::json::parse(json).value("env", "");
  test::write_file(path.string() + ".seal", model::seal_hex({"opsbook report", path.filename().string(), env, json}) + "\n");
}

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

TEST_CASE("build shows the kept report's badges by default: --report overrides, --no-report turns them off", "[cli][report][build]") {
  test::TempDir dir;
  test::write_file(dir.path() / "content/a.md", k_health);
  test::write_file(dir.path() / "opsbook.yaml", "environments:\n  staging: {}\n  local: {}\n");
  keep(dir.path() / ".opsbook/last-check-staging.json", live_report("staging", "2020-01-01T00:00:00Z", "pass"));
  keep(dir.path() / ".opsbook/last-check-local.json", live_report("local", "2021-01-01T00:00:00Z", "fail"));
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

TEST_CASE("a kept report that opsbook did not keep on this machine is never shown: committed, copied or edited (hostile review #14 round 7)", "[cli][report][build][security]") {
  test::TempDir dir;
  test::write_file(dir.path() / "content/a.md", k_health);
  test::write_file(dir.path() / "opsbook.yaml", "environments:\n  production: {}\n");
  std::string forged = live_report("production", "2026-01-01T00:00:00Z", "pass");
  std::string refused = "opsbook: .opsbook/last-check-production.json was not kept by opsbook on this machine (its seal does not hold): badges say \"never verified\" "
                        "(run 'opsbook check --live' here, or pass --report FILE)\n";
  // Committed by a pull request: no seal; a seal made under another key; a sealed report edited.
  std::string other_key_seal = "0000000000000000000000000000000000000000000000000000000000000000\n";
  for (int attempt = 0; attempt < 3; ++attempt) {
    INFO("attempt " << attempt);
    fs::remove_all(dir.path() / ".opsbook");
    test::write_file(dir.path() / ".opsbook/last-check-production.json", forged);
    if (attempt == 1) test::write_file(dir.path() / ".opsbook/last-check-production.json.seal", other_key_seal);
    if (attempt == 2) {
      keep(dir.path() / ".opsbook/last-check-production.json", live_report("production", "2026-01-01T00:00:00Z", "fail"));
      test::write_file(dir.path() / ".opsbook/last-check-production.json", forged);  // "fail" turned into "pass"
    }
    auto r = run_opsbook({"build", "-o", "site", "content"}, dir.path().string());
    REQUIRE(r.exit_code == 0);
    CHECK(r.err.find(refused) != std::string::npos);
    CHECK(page(dir.path() / "site").find("verified live on production") == std::string::npos);
    CHECK(page(dir.path() / "site").find("never verified") != std::string::npos);
  }
  // A seal of the bytes alone (opsbook before seals named the report and its environment): refused once, the next check keeps a new one.
  fs::remove_all(dir.path() / ".opsbook");
  test::write_file(dir.path() / ".opsbook/last-check-production.json", forged);
  test::write_file(dir.path() / ".opsbook/last-check-production.json.seal", model::seal_hex({forged}) + "\n");
  auto old = run_opsbook({"build", "-o", "site", "content"}, dir.path().string());
  CHECK(old.err.find(refused) != std::string::npos);
  // The same report, kept by opsbook here, is shown.
  keep(dir.path() / ".opsbook/last-check-production.json", forged);
  auto r = run_opsbook({"build", "-o", "site", "content"}, dir.path().string());
  CHECK(r.err.find("opsbook: badges from the live check on production ") != std::string::npos);
  CHECK(page(dir.path() / "site").find("verified live on production") != std::string::npos);
}

TEST_CASE("a kept report copied under another environment's name is refused (s7c review B9, s7d D8)", "[cli][report][build][security]") {
  test::TempDir dir;
  test::write_file(dir.path() / "content/a.md", k_health);
  test::write_file(dir.path() / "opsbook.yaml", "environments:\n  local: {}\n  production: {}\n");
  keep(dir.path() / ".opsbook/last-check-local.json", live_report("local", "2026-01-01T00:00:00Z", "pass"));
  fs::copy_file(dir.path() / ".opsbook/last-check-local.json", dir.path() / ".opsbook/last-check-production.json");
  fs::copy_file(dir.path() / ".opsbook/last-check-local.json.seal", dir.path() / ".opsbook/last-check-production.json.seal");
  auto r = run_opsbook({"build", "-o", "site", "content", "--env", "production"}, dir.path().string());
  REQUIRE(r.exit_code == 0);
  CHECK(r.err.find("opsbook: .opsbook/last-check-production.json was not kept by opsbook on this machine (its seal does not hold): badges say \"never verified\" "
                   "(run 'opsbook check --live' here, or pass --report FILE)\n") != std::string::npos);
  CHECK(r.err.find("badges from the live check on local") == std::string::npos);
  CHECK(page(dir.path() / "site").find("never verified") != std::string::npos);
  // The report with its env rewritten to production keeps local's seal, which does not hold either.
  test::write_file(dir.path() / ".opsbook/last-check-production.json", live_report("production", "2026-01-01T00:00:00Z", "pass"));
  r = run_opsbook({"build", "-o", "site", "content", "--env", "production"}, dir.path().string());
  CHECK(r.err.find("was not kept by opsbook on this machine (its seal does not hold)") != std::string::npos);
  // local's own report is still taken.
  r = run_opsbook({"build", "-o", "site", "content", "--env", "local"}, dir.path().string());
  CHECK(r.err.find("opsbook: badges from the live check on local ") != std::string::npos);
  CHECK(page(dir.path() / "site").find("verified live on local") != std::string::npos);
}

TEST_CASE("a .opsbook folder that is a symlink is never written through: reports, shellcheck cache, history (s7c review B2)", "[cli][report][security]") {
  test::TempDir dir;
  test::write_file(dir.path() / "content/a.md", "# A\n\n```bash\necho hi\n```\n");
  test::write_file(dir.path() / "opsbook.yaml", "environments:\n  local: {}\n");
  fs::create_directories(dir.path() / "outside");
  fs::create_symlink(dir.path() / "outside", dir.path() / ".opsbook");
  auto r = run_opsbook({"check", "content"}, dir.path().string());
  CHECK(r.exit_code == 0);
  CHECK(r.err.find("opsbook: warning: the report was not kept in .opsbook/last-check.json (its folder is a symlink: a report is kept only in a real folder)") !=
        std::string::npos);
  CHECK(r.err.find(".opsbook/shellcheck-cache: its folder is a symlink; the shellcheck results of this run are not kept") != std::string::npos);
  r = run_opsbook({"check", "--live", "--env", "local", "--no-shell", "--record", "content"}, dir.path().string());
  CHECK(r.err.find("history: .opsbook is a symlink: opsbook keeps its history only in a real folder") != std::string::npos);
  // s7e review E6: transcripts (.opsbook/transcripts by default) went through it too.
  r = run_opsbook({"run", "content/a.md#a-1"}, dir.path().string());
  CHECK(r.err.find(".opsbook is a symlink: a transcript is written only in a real folder") != std::string::npos);
  CHECK(fs::is_empty(dir.path() / "outside"));
}

// s10b review B8: environments whose names slug alike (prod, Prod, p.rod) shared one kept report:
// each live check overwrote the others', and build --env prod then called the file foreign.
TEST_CASE("environments whose names slug alike keep a report each", "[cli][report]") {
  test::TempDir dir;
  test::write_file(dir.path() / "opsbook.yaml",
                   "environments:\n  prod:\n    allow_hosts: [127.0.0.1]\n  Prod:\n    allow_hosts: [127.0.0.1]\n  p.rod:\n    allow_hosts: [127.0.0.1]\n"
                   "  prod-0c94e13d:\n    allow_hosts: [127.0.0.1]\n  \"p.ro,du?c,tion\":\n    allow_hosts: [127.0.0.1]\n  \".pro.d.u!ct?ion\":\n    allow_hosts: [127.0.0.1]\n");
  test::write_file(dir.path() / "content" / "a.md", "# A\n\n```bash\nuptime\n```\n");
  // s10c B14: a name like a hashed one; s11b B7: two names whose 8-digit FNV hashes collided.
  for (const char* env : {"prod", "Prod", "p.rod", "prod-0c94e13d", "p.ro,du?c,tion", ".pro.d.u!ct?ion"}) {
    auto r = run_opsbook({"check", "--live", "--no-shell", "--env", env, "content"}, dir.path().string());
    REQUIRE(r.exit_code == 0);
  }
  for (const char* env : {"prod", "Prod", "p.rod", "prod-0c94e13d", "p.ro,du?c,tion", ".pro.d.u!ct?ion"}) {
    auto b = run_opsbook({"build", "--env", env, "content", "-o", "site"}, dir.path().string());
    INFO(b.err);
    CHECK(b.exit_code == 0);
    CHECK(b.err.find(std::string("opsbook: badges from the live check on ") + env + " just now (.opsbook/last-check-pro") == 0);
  }
  CHECK(fs::exists(dir.path() / ".opsbook" / "last-check-prod.json"));
}
