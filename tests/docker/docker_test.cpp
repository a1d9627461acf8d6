// [docker] tests: the opsbook binary against a real Docker daemon that scripts/docker-stack.sh
// started with the Compose project of tests/data/docker/compose.yml (CTest fixture), through a
// proxy on its socket that logs every request and lets GET requests only through. Where dockerd
// cannot run, the fixture says why and these tests exit 77 (skipped) with that line.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>

#include "model/process.hpp"
#include "model/text.hpp"
#include "support.hpp"
#include "unix_http_server.hpp"

using namespace opsbook;
using nlohmann::json;
using Server = test::UnixHttpServer;

namespace {

// docker.env of the running stack; exits 77 (skipped) when the fixture could not start dockerd.
const std::map<std::string, std::string>& stack() {
  static const std::map<std::string, std::string> values = [] {
    auto m = test::read_fixture_env("OPSBOOK_DOCKER_DIR", "docker.env", "scripts/docker-stack.sh");
    if (m.count("DOCKER_UNAVAILABLE")) {
      std::printf("docker tests skipped: %s\n", m["DOCKER_UNAVAILABLE"].c_str());
      std::fflush(stdout);
      std::_Exit(77);
    }
    ::setenv("DOCKER_HOST", m.at("DOCKER_HOST").c_str(), 1);  // for the docker CLI calls below
    return m;
  }();
  return values;
}

std::string socket_path() { return stack().at("DOCKER_HOST").substr(7); }

// The docker CLI against the stack (the test's own view, not opsbook's).
std::string docker(const std::vector<std::string>& args) {
  stack();  // DOCKER_HOST
  std::vector<std::string> argv = {"docker"};
  argv.insert(argv.end(), args.begin(), args.end());
  auto r = model::run_process(argv, "", std::chrono::seconds(30));
  if (r.exit_code != 0) throw std::runtime_error("docker failed: " + r.err);
  return std::string(model::trim(r.out));
}

// Id, start time and state of every container: what a mutating request would change.
std::string containers_state() {
  std::string ids = docker({"ps", "-aq"});
  std::vector<std::string> args = {"inspect", "--format", "{{.Name}} {{.State.StartedAt}} {{.State.Status}} {{.RestartCount}}"};
  for (auto id : model::split_lines(ids)) args.emplace_back(id);
  return docker(args);
}

int closed_port() {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof addr;
  ::bind(fd, reinterpret_cast<sockaddr*>(&addr), len);
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  ::close(fd);
  return ntohs(addr.sin_port);
}

// Port tables name services as hosts: the environment maps them to loopback.
std::string config(const std::string& docker_host, bool service_hosts = true) {
  return "default_env: local\nenvironments:\n  local:\n" +
         std::string(service_hosts ? "    hosts: {\"api\": \"127.0.0.1\", \"broken\": \"127.0.0.1\", \"oneshot\": \"127.0.0.1\"}\n" : "") +
         "    compose: {project: shop, docker_host: \"" + docker_host + "\"}\n";
}

struct Checked {
  test::RunResult run;
  json report;
  double seconds = 0;
};

Checked check(const test::TempDir& dir, const std::string& docker_host, const std::string& runbook, std::vector<std::string> extra = {},
              bool service_hosts = true) {
  auto timed = test::run_live_check(dir, config(docker_host, service_hosts), runbook, extra);
  Checked c{timed.run, {}, timed.seconds};
  INFO(c.run.out << c.run.err);
  c.report = json::parse(c.run.out);
  return c;
}

std::vector<std::string> findings(const json& report) {
  std::vector<std::string> out;
  for (const auto& f : report["findings"]) out.push_back(f["rule"].get<std::string>() + "@" + std::to_string(f["line"].get<int>()));
  return out;
}

std::string message(const json& report, size_t i) { return report["findings"][i]["message"].get<std::string>(); }

}  // namespace

TEST_CASE("docker: a runbook whose services exist and are healthy passes, and only GET requests reach the daemon", "[docker]") {
  test::TempDir dir;
  Server proxy(Server::Mode::proxy, {}, socket_path());
  std::string before = containers_state();
  std::string rb = "---\nservices: [worker, db]\n---\n# Shop\n\n"
                   "| Service | Port |\n|---|---|\n| api | " + stack().at("API_PORT") + " |\n\n"
                   "```bash {run=never}\n"
                   "docker compose ps\n"
                   "docker compose logs --tail 5 worker api\n"
                   "docker compose restart worker\n"
                   "docker compose exec api ls /www\n"
                   "docker compose kill api\n"
                   "docker compose down -v\n"
                   "docker exec shop-db true\n"
                   "docker restart shop-db\n"
                   "docker rm -f shop-db\n"
                   "docker stats --no-stream shop-db\n"
                   "docker inspect opsbook/busybox:local\n"
                   "```\n";
  auto c = check(dir, "unix://" + proxy.path(), rb);
  CHECK(c.run.exit_code == 0);
  CHECK(findings(c.report).empty());
  size_t docker_results = 0;
  for (const auto& r : c.report["results"]) {
    INFO(r.dump());
    CHECK(r["outcome"] == "pass");
    docker_results += r["kind"] == "docker";
  }
  CHECK(docker_results == 15);  // 2 front matter services, 2 for the port row, the project once, 10 names
  // What reached the daemon: reads only; nothing was restarted, killed or removed.
  auto requests = proxy.requests();
  CHECK(requests.size() >= 3);
  for (const auto& r : requests) CHECK(r.rfind("GET /", 0) == 0);
  CHECK(containers_state() == before);
}

TEST_CASE("docker: a renamed service, a stopped container, an unhealthy one and a wrong port give one finding each, at their line", "[docker]") {
  test::TempDir dir;
  int wrong = closed_port();
  std::string rb = "# Shop\n\n| Service | Port |\n|---|---|\n"
                   "| api | " + std::to_string(wrong) + " |\n"                      // 5: wrong port
                   "| oneshot | " + std::to_string(closed_port()) + " |\n"         // 6: exited
                   "| broken | " + stack().at("BROKEN_PORT") + " |\n\n"            // 7: unhealthy
                   "```bash\ndocker compose logs --tail 5 celery\n"                 // 10: renamed
                   "docker compose logs --tail 5 worker\n```\n";                    // 11: fine
  auto c = check(dir, stack().at("DOCKER_HOST"), rb);
  CHECK(c.run.exit_code == 1);
  REQUIRE(findings(c.report) == std::vector<std::string>{"live-docker-port@5", "live-docker-state@6", "live-docker-state@7", "live-docker@10"});
  CHECK(message(c.report, 0) == "port table says api is on " + std::to_string(wrong) + "; in project 'shop' service 'api' publishes " +
                                    stack().at("API_PORT") + "; the TCP check of this row fails too: 127.0.0.1:" + std::to_string(wrong) +
                                    " (documented as api:" + std::to_string(wrong) + "): connection refused");
  CHECK(message(c.report, 1).rfind("service 'oneshot' of project 'shop' is not running: exited (0) ", 0) == 0);
  CHECK(message(c.report, 2) == "service 'broken' of project 'shop' is unhealthy: its healthcheck says \"wget: server returned error: HTTP/1.1 404 Not Found\"");
  CHECK(message(c.report, 3) == "service 'celery' is not in the running Compose project 'shop' (its services: api, broken, db, oneshot, worker)");
}

TEST_CASE("docker: an absent daemon and a hanging one give one live-unreachable finding, in time", "[docker]") {
  test::TempDir dir;
  std::string rb = "# Shop\n\n```bash\ndocker compose ps\ndocker compose logs --tail 5 worker\ndocker exec shop-db true\n```\n";
  std::string absent = (dir.path() / "no-daemon.sock").string();
  auto gone = check(dir, "unix://" + absent, rb);
  CHECK(gone.run.exit_code == 1);
  CHECK(findings(gone.report) == std::vector<std::string>{"live-unreachable@4"});
  CHECK(message(gone.report, 0) == "the Docker Engine at unix://" + absent + " is unreachable: no socket at " + absent +
                                       " (No such file or directory): is the Docker daemon running here?");
  CHECK(gone.seconds < 5);
  Server hang(Server::Mode::hang);
  auto hung = check(dir, "unix://" + hang.path(), rb, {"--timeout", "1"});
  CHECK(findings(hung.report) == std::vector<std::string>{"live-unreachable@4"});
  CHECK(message(hung.report, 0) == "the Docker Engine at unix://" + hang.path() + " is unreachable: no answer to GET /version within 1 s (the daemon hangs)");
  CHECK(hung.seconds < 5);
  size_t skipped = 0;
  for (const auto& r : hung.report["results"]) skipped += r["outcome"] == "skipped";
  CHECK(skipped == 3);
}

TEST_CASE("docker: doc-tests run read-only docker commands against the stack, never the others", "[docker]") {
  test::TempDir dir;
  std::string before = containers_state();
  std::string rb = "# Shop\n\n"
                   "```bash {name=names run=auto expect-stdout=\"^shop-db$\"}\ndocker ps --filter name=shop-db --format '{{.Names}}'\n```\n\n"
                   "```bash {name=health run=auto expect-stdout=\"[(]healthy[)]\"}\n"
                   "docker ps --filter label=com.docker.compose.service=api --format '{{.Status}}'\n```\n\n"
                   "```bash {name=tail run=auto expect-exit=0}\ndocker logs --tail 1 shop-db\n```\n\n"
                   "```bash {name=restart run=auto expect-exit=0}\ndocker restart shop-db\n```\n\n"
                   "```bash {name=follow run=auto expect-exit=0}\ndocker logs -f shop-db\n```\n";
  // No hosts: mapping here: it would rewrite "api" in the commands' filters too.
  auto c = check(dir, stack().at("DOCKER_HOST"), rb, {}, false);
  std::vector<std::string> doctests;
  for (const auto& r : c.report["results"]) {
    if (r["kind"] == "doctest") doctests.push_back(r["snippet"].get<std::string>() + ":" + r["outcome"].get<std::string>());
  }
  INFO(c.report["results"].dump());
  CHECK(doctests == std::vector<std::string>{"names:pass", "health:pass", "tail:pass", "restart:skipped", "follow:skipped"});
  CHECK(containers_state() == before);
}
