// The Docker probe against fake Engine API servers on a unix socket: what it reads, that it only
// sends GET, and that absent, hanging, broken and hostile daemons give one clear error in time.
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <cstring>

#include "support.hpp"
#include "unix_http_server.hpp"
#include "validator/live_probe.hpp"

using namespace opsbook;
using validator::Clock;
using Server = test::UnixHttpServer;

namespace {

const std::string k_id_api = std::string(64, 'a');
const std::string k_id_job = std::string(64, 'b');
const std::string k_id_other = std::string(64, 'c');

std::map<std::string, Server::Answer> engine() {
  std::string list = R"([
    {"Id": ")" + k_id_api + R"(", "Names": ["/shop-api-1"], "State": "running", "Status": "Up 2 minutes",
     "Labels": {"com.docker.compose.project": "shop", "com.docker.compose.service": "api", "com.docker.compose.oneoff": "False"},
     "Ports": [{"IP": "127.0.0.1", "PrivatePort": 80, "PublicPort": 8080, "Type": "tcp"}, {"PrivatePort": 9000, "Type": "tcp"}],
     "HostConfig": {"NetworkMode": "shop_default"}},
    {"Id": ")" + k_id_job + R"(", "Names": ["/shop-job-1"], "State": "exited", "Status": "Exited (1) 3 seconds ago",
     "Labels": {"com.docker.compose.project": "shop", "com.docker.compose.service": "job"}, "Ports": [], "HostConfig": {"NetworkMode": "host"}},
    {"Id": ")" + k_id_other + R"(", "Names": ["/lonely"], "State": "running", "Status": "Up", "Labels": {}, "Ports": []}
  ])";
  std::string api = R"({"State": {"Status": "running", "Health": {"Status": "unhealthy", "Log": [{"Output": "first\n"}, {"Output": "curl: (7) refused\nexit 1\n"}]}},
                        "HostConfig": {"NetworkMode": "shop_default"}, "Config": {"ExposedPorts": {"80/tcp": {}}}})";
  std::string job = R"({"State": {"Status": "exited"}, "HostConfig": {"NetworkMode": "host"}, "Config": {"ExposedPorts": {"18092/tcp": {}, "53/udp": {}}}})";
  return {{"/version", {200, R"({"Version": "20.10.24", "ApiVersion": "1.41"})"}},
          {"/containers/json?all=1", {200, list}},
          {"/containers/" + k_id_api + "/json", {200, api}},
          {"/containers/" + k_id_job + "/json", {200, job}},
          {"/images/json", {200, R"([{"Id": "sha256:1", "RepoTags": ["busybox:1"]}])"}},
          {"/networks", {200, R"([{"Name": "host", "Id": "n1"}])"}},
          {"/volumes", {200, R"({"Volumes": [{"Name": "pgdata"}]})"}}};
}

validator::ProbeLimits limits(int timeout_ms = 2000) {
  validator::ProbeLimits l;
  l.timeout = std::chrono::milliseconds(timeout_ms);
  l.deadline = Clock::now() + std::chrono::seconds(20);
  l.retries = 1;
  l.backoff = std::chrono::milliseconds(20);
  return l;
}

double seconds_since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

}  // namespace

TEST_CASE("docker probe: containers, compose labels, health and ports, with GET requests only", "[validator][docker]") {
  Server server(Server::Mode::canned, engine());
  auto snap = validator::probe_docker({server.path(), {"shop"}, true}, limits());
  INFO(snap.error);
  REQUIRE(snap.error.empty());
  CHECK(snap.version == "20.10.24");
  REQUIRE(snap.containers.size() == 3);
  const auto& api = snap.containers[0];
  CHECK(api.names == std::vector<std::string>{"shop-api-1"});
  CHECK(api.project == "shop");
  CHECK(api.service == "api");
  CHECK_FALSE(api.one_off);
  CHECK(api.state == "running");
  CHECK(api.health == "unhealthy");
  CHECK(api.health_output == "exit 1");
  CHECK(api.published == std::vector<int>{8080});  // bridge network: what is published, not exposed
  const auto& job = snap.containers[1];
  CHECK(job.host_network);
  CHECK(job.published == std::vector<int>{18092, 53});  // host network: the exposed ports
  CHECK(job.health.empty());
  CHECK_FALSE(snap.containers[2].inspected);  // not in the project: listed, not inspected
  CHECK(snap.objects == std::vector<std::string>{"sha256:1", "busybox:1", "n1", "host", "pgdata"});
  CHECK(server.requests() == std::vector<std::string>{"GET /version", "GET /containers/json?all=1", "GET /containers/" + k_id_api + "/json",
                                                       "GET /containers/" + k_id_job + "/json", "GET /images/json", "GET /networks", "GET /volumes"});
}

TEST_CASE("docker probe: no daemon, a file that is no socket, a socket nobody listens on", "[validator][docker]") {
  test::TempDir dir;
  auto absent = validator::probe_docker({(dir.path() / "docker.sock").string(), {}, false}, limits());
  CHECK(absent.error == "no socket at " + (dir.path() / "docker.sock").string() + " (No such file or directory): is the Docker daemon running here?");
  test::write_file(dir.path() / "file.sock", "");
  CHECK(validator::probe_docker({(dir.path() / "file.sock").string(), {}, false}, limits()).error == (dir.path() / "file.sock").string() + " is not a socket");
  // Bound but not listening: connection refused, retried once (--retries 1).
  std::string dead = (dir.path() / "dead.sock").string();
  int fd = ::socket(AF_UNIX, SOCK_STREAM, 0);
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  std::strncpy(addr.sun_path, dead.c_str(), sizeof addr.sun_path - 1);
  REQUIRE(::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
  auto refused = validator::probe_docker({dead, {}, false}, limits());
  ::close(fd);
  CHECK(refused.error == "cannot connect to " + dead + ": Connection refused");
  CHECK(refused.attempts == 2);
}

TEST_CASE("docker probe: a daemon that hangs is reported within the timeout, and within the deadline", "[validator][docker]") {
  Server hang(Server::Mode::hang);
  auto start = Clock::now();
  auto snap = validator::probe_docker({hang.path(), {}, false}, limits(300));
  CHECK(snap.error == "no answer to GET /version within 0.3 s (the daemon hangs)");
  CHECK(snap.attempts == 1);  // a timeout is not retried
  CHECK(seconds_since(start) < 2);
  auto tight = limits(5000);
  tight.deadline = Clock::now() + std::chrono::milliseconds(300);
  start = Clock::now();
  CHECK(validator::probe_docker({hang.path(), {}, false}, tight).error == "not finished before the global deadline");
  CHECK(seconds_since(start) < 2);
}

TEST_CASE("docker probe: broken and hostile answers are errors, not crashes", "[validator][docker]") {
  auto snapshot = [](std::map<std::string, Server::Answer> answers) {
    Server server(Server::Mode::canned, std::move(answers));
    return validator::probe_docker({server.path(), {"shop"}, false}, limits());
  };
  auto error_with = [&](std::map<std::string, Server::Answer> answers) { return snapshot(std::move(answers)).error; };
  const Server::Answer version{200, R"({"Version": "1"})"};
  CHECK(error_with({{"/version", {200, "<html>hello</html>"}}}) == "GET /version: the answer is not JSON (is this a Docker Engine socket?)");
  CHECK(error_with({{"/version", version}, {"/containers/json?all=1", {500, R"({"message": "boom"})"}}}) == "GET /containers/json?all=1 answered 500: boom");
  CHECK(error_with({{"/version", version}, {"/containers/json?all=1", {200, R"({"not": "a list"})"}}}) ==
        "GET /containers/json: the answer is not a list of containers");
  // Nesting beyond the depth bound is dropped, not recursed into.
  auto deep = snapshot({{"/version", version}, {"/containers/json?all=1", {200, std::string(100000, '[') + std::string(100000, ']')}}});
  CHECK(deep.error.empty());
  CHECK(deep.containers.empty());
  CHECK(error_with({{"/version", version}, {"/containers/json?all=1", {200, "[\"" + std::string(33u << 20, 'x') + "\"]"}}}) ==
        "the answer to GET /containers/json?all=1 is larger than 32 MB");
  // Wrong types where strings and lists are expected are skipped, never thrown.
  CHECK(error_with({{"/version", {200, "[]"}}, {"/containers/json?all=1", {200, R"([{"Id": 5, "Names": "x", "Labels": [], "Ports": {}}, 7])"}}}).empty());
  // A container removed between the listing and its inspection is no error.
  CHECK(error_with({{"/version", version}, {"/containers/json?all=1", {200, R"([{"Id": "abcd", "Labels": {"com.docker.compose.project": "shop"}}])"}}}).empty());
}
