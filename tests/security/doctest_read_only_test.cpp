// Promise: "read-only checks never change anything" (README "Safety", docs/SECURITY.md), for
// doc-tests: a pull request that puts run=auto on a writing snippet does not make check --live
// run it; read-only doc-tests still run.
#include <catch2/catch.hpp>
#include <filesystem>

#include "model/process.hpp"
#include "model/text.hpp"
#include "red_team.hpp"

using namespace opsbook;

TEST_CASE("promise: read-only checks never change anything -- run=auto on a writing snippet does not run", "[security][doctest]") {
  test::PgCanaries canaries;
  test::TempDir dir;
  std::string file = (dir.path() / "made").string();
  std::string port = test::stack().at("STACK_REDIS_PORT");
  model::run_process({"redis-cli", "-p", port, "SET", "canary", "alive"}, "", std::chrono::seconds(10));
  std::string rb = "# T\n\n"
                   "```bash {name=touch run=auto expect-exit=0}\ntouch " + file + "\n```\n\n"
                   "```bash {name=redis run=auto expect-exit=0}\nredis-cli -p " + port + " SET canary dead\n```\n\n"
                   "```bash {name=psql run=auto expect-exit=0}\npsql \"$OPSBOOK_PG_APP_DSN\" -c 'DELETE FROM canary WHERE id > 0'\n```\n\n"
                   "```sql {name=sql run=auto expect-exit=0 service=db}\nUPDATE canary SET note = 'x' WHERE id = 1;\n```\n\n"
                   "```bash {name=lying run=auto expect-exit=0 safety=read-only}\nrm -f " + file + "\n```\n\n"
                   "```bash {name=read run=auto expect-stdout=alive}\nredis-cli -p " + port + " GET canary\n```\n";
  auto c = test::check_live(dir, test::stack_config("OPSBOOK_PG_APP_DSN"), rb);
  std::vector<std::string> doctests;
  for (const auto& r : c.report["results"]) {
    if (r["kind"] == "doctest") doctests.push_back(r["snippet"].get<std::string>() + ":" + r["outcome"].get<std::string>());
  }
  CHECK(doctests == std::vector<std::string>{"touch:skipped", "redis:skipped", "psql:skipped", "sql:skipped", "lying:skipped", "read:pass"});
  CHECK_FALSE(std::filesystem::exists(file));
  CHECK(model::trim(model::run_process({"redis-cli", "-p", port, "GET", "canary"}, "", std::chrono::seconds(10)).out) == "alive");
  CHECK(canaries.damage().empty());
}

// Hostile review: commands of read-only tools that write or run through their own arguments. Each
// attack is first run by bash in a scratch folder, to prove it writes its canary on this machine.
namespace {

std::vector<std::pair<std::string, std::string>> writing_attacks(const std::string& d) {
  std::string git = "git -C " + d + "/repo";
  return {
      {"awk-system", "awk 'BEGIN{system(\"touch " + d + "/awk-system\")}'"},
      {"awk-print", "echo x | awk '{print > \"" + d + "/awk-print\"}'"},
      {"awk-pipe", "echo x | awk '{print | \"cat > " + d + "/awk-pipe\"}'"},
      {"sed-e", "echo x | sed -n '1e touch " + d + "/sed-e'"},
      {"sed-w", "echo x | sed -n 'w " + d + "/sed-w'"},
      {"sed-s-w", "echo x | sed 's/x/y/w " + d + "/sed-s-w'"},
      {"uniq", "uniq /etc/hostname " + d + "/uniq"},
      {"xxd", "xxd /etc/hostname " + d + "/xxd"},
      {"git-c", git + " -c core.fsmonitor='touch " + d + "/git-c' status"},
      {"git-env", "GIT_CONFIG_COUNT=1 GIT_CONFIG_KEY_0=core.fsmonitor GIT_CONFIG_VALUE_0='touch " + d + "/git-env' " + git + " status"},
      {"curl-header", "curl -sS -D " + d + "/curl-header http://127.0.0.1:" + test::stack().at("STACK_NGINX_PORT") + "/ -o /dev/null"},
      {"perl", "perl -e 'open(F, \">" + d + "/perl\")' status"},
      {"trap", "trap 'touch " + d + "/trap' EXIT; echo status"},
      {"wrapped", "setarch $(uname -m) touch " + d + "/wrapped status"},
      {"bash-cmds", "BASH_CMDS[df]=/usr/bin/touch; df " + d + "/bash-cmds"},
      {"ps4", "PS4='$(touch " + d + "/ps4)'; set -x; true"},
      {"arith", "x='a[$(touch " + d + "/arith)]'; echo $((x))"},
      {"alias", "shopt -s expand_aliases\nalias ll=touch\nll " + d + "/alias"},
      {"tar", "tar -tf /dev/null --checkpoint=1 --checkpoint-action=exec='touch " + d + "/tar'"},
  };
}

void make_repo(const std::string& d) {
  model::run_process({"git", "init", "-q", d + "/repo"}, "", std::chrono::seconds(10));
  model::run_process({"git", "-C", d + "/repo", "-c", "user.name=a", "-c", "user.email=a@b", "commit", "-q", "--allow-empty", "-m", "x"}, "", std::chrono::seconds(10));
}

}  // namespace

TEST_CASE("promise: read-only checks never change anything -- read-only tools that write through their arguments do not run as doc-tests", "[security][doctest]") {
  test::TempDir proof, dir;
  make_repo(proof.path().string());
  for (const auto& [name, cmd] : writing_attacks(proof.path().string())) {
    INFO("the attack must work when run: " << cmd);
    model::run_process({"bash", "-c", "cd " + proof.path().string() + " && " + cmd}, "", std::chrono::seconds(10));
    CHECK(std::filesystem::exists(proof.path() / name));
  }
  std::string d = dir.path().string();
  make_repo(d);
  std::string rb = "# T\n\n";
  for (const auto& [name, cmd] : writing_attacks(d)) rb += "```bash {name=" + name + " run=auto expect-exit=0}\n" + cmd + "\n```\n\n";
  rb += "```bash {name=read run=auto expect-exit=0}\nawk -F: '$1 == \"root\" {print $1}' /etc/passwd | sed -n '1p'\n```\n";
  auto c = test::check_live(dir, test::stack_config("OPSBOOK_PG_APP_DSN"), rb);
  std::vector<std::string> ran;
  for (const auto& r : c.report["results"]) {
    if (r["kind"] == "doctest" && r["outcome"] != "skipped") ran.push_back(r["snippet"].get<std::string>() + ":" + r["outcome"].get<std::string>());
  }
  CHECK(ran == std::vector<std::string>{"read:pass"});
  for (const auto& [name, cmd] : writing_attacks(d)) {
    INFO(cmd);
    CHECK_FALSE(std::filesystem::exists(dir.path() / name));
  }
  CHECK_FALSE(std::filesystem::exists(dir.path() / "status"));
}

TEST_CASE("promise: read-only checks never change anything -- a doc-test's psql sessions are read-only transactions too", "[security][doctest]") {
  test::TempDir dir;
  std::string rb = "# T\n\n"
                   "```bash {name=ro run=auto expect-stdout=\"^on$\"}\npsql \"$OPSBOOK_PG_APP_DSN\" -XAtc 'SHOW transaction_read_only'\n```\n";
  auto c = test::check_live(dir, test::stack_config("OPSBOOK_PG_APP_DSN"), rb);
  std::vector<std::string> doctests;
  for (const auto& r : c.report["results"]) {
    if (r["kind"] == "doctest") doctests.push_back(r["snippet"].get<std::string>() + ":" + r["outcome"].get<std::string>() + " " + r.value("detail", ""));
  }
  CHECK(doctests == std::vector<std::string>{"ro:pass exit 0, stdout matches"});
}
