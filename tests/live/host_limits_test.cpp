// [live] Live checks at scale against a counting HTTP server run by the test: identical targets
// are probed once however often runbooks document them, and the server itself records that the
// per-host limit and the rate were never exceeded.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <thread>

#include "support.hpp"

using namespace opsbook;
using nlohmann::json;
using Clock = std::chrono::steady_clock;

namespace {

// HTTP/1.1 on 127.0.0.1, one thread per connection (keep-alive): answers 200 after `delay`,
// counts requests per path, and the most requests it was ever serving at once.
class CountingServer {
 public:
  explicit CountingServer(std::chrono::milliseconds delay) : m_delay(delay) {
    m_fd = test::listen_on_loopback(m_port);
    m_acceptor = std::thread([this] { accept_loop(); });
  }
  ~CountingServer() {
    ::shutdown(m_fd, SHUT_RDWR);
    m_acceptor.join();
    {
      std::lock_guard lock(m_mutex);
      for (int c : m_connections) ::shutdown(c, SHUT_RDWR);
    }
    for (auto& t : m_workers) t.join();
    for (int c : m_connections) ::close(c);
    ::close(m_fd);
  }
  CountingServer(const CountingServer&) = delete;
  CountingServer& operator=(const CountingServer&) = delete;

  [[nodiscard]] int port() const { return m_port; }
  [[nodiscard]] std::map<std::string, int> requests() const {
    std::lock_guard lock(m_mutex);
    return m_requests;
  }
  [[nodiscard]] int peak() const {
    std::lock_guard lock(m_mutex);
    return m_peak;
  }
  // From the first request's arrival to the last one's.
  [[nodiscard]] Clock::duration span() const {
    std::lock_guard lock(m_mutex);
    return m_arrivals.empty() ? Clock::duration{} : m_arrivals.back() - m_arrivals.front();
  }

 private:
  void accept_loop() {
    for (;;) {
      int c = ::accept4(m_fd, nullptr, nullptr, SOCK_CLOEXEC);
      if (c < 0) return;
      std::lock_guard lock(m_mutex);
      m_connections.push_back(c);
      m_workers.emplace_back([this, c] { serve(c); });
    }
  }

  void serve(int c) {
    std::string buffer;
    char chunk[4096];
    for (;;) {
      size_t end;
      while ((end = buffer.find("\r\n\r\n")) == std::string::npos) {
        ssize_t n = ::recv(c, chunk, sizeof chunk, 0);
        if (n <= 0) return;
        buffer.append(chunk, static_cast<size_t>(n));
      }
      std::string path = buffer.substr(buffer.find(' ') + 1);
      path = path.substr(0, path.find(' '));
      buffer.erase(0, end + 4);
      {
        std::lock_guard lock(m_mutex);
        m_arrivals.push_back(Clock::now());
        ++m_requests[path];
        m_peak = std::max(m_peak, ++m_serving);
      }
      std::this_thread::sleep_for(m_delay);
      {
        std::lock_guard lock(m_mutex);
        --m_serving;
      }
      const char reply[] = "HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nok\n";
      if (::send(c, reply, sizeof reply - 1, MSG_NOSIGNAL) < 0) return;
    }
  }

  std::chrono::milliseconds m_delay;
  int m_fd = -1;
  int m_port = 0;
  std::thread m_acceptor;
  mutable std::mutex m_mutex;
  std::vector<int> m_connections;
  std::vector<std::thread> m_workers;
  std::map<std::string, int> m_requests;
  std::vector<Clock::time_point> m_arrivals;
  int m_serving = 0;
  int m_peak = 0;
};

// `refs` runbook lines that curl `distinct` paths of the server, round robin.
std::string runbook(int port, int distinct, int refs) {
  std::string rb = "# Many references\n\n";
  for (int i = 0; i < refs; ++i) rb += "- `curl http://localhost:" + std::to_string(port) + "/item/" + std::to_string(i % distinct) + "`\n";
  return rb;
}

test::RunResult check(const test::TempDir& dir, const std::string& rb, std::vector<std::string> extra) {
  test::write_file(dir.path() / "opsbook.yaml", "default_env: local\nenvironments:\n  local:\n    allow_hosts: [localhost]\n");
  test::write_file(dir.path() / "rb.md", rb);
  std::vector<std::string> args = {"--config", (dir.path() / "opsbook.yaml").string(), "check", "--live", "--no-shell", (dir.path() / "rb.md").string()};
  args.insert(args.end(), extra.begin(), extra.end());
  return test::run_opsbook(args);
}

}  // namespace

TEST_CASE("2,000 references to 200 URLs send 200 requests, never more than 4 at once to the host", "[live][host-limits]") {
  test::TempDir dir;
  CountingServer server(std::chrono::milliseconds(5));
  std::string rb = runbook(server.port(), 200, 2000);
  auto r = check(dir, rb, {"--per-host", "4", "--live-jobs", "32", "--format", "json"});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  auto requests = server.requests();
  CHECK(requests.size() == 200);
  for (const auto& [path, n] : requests) {
    INFO(path);
    CHECK(n == 1);
  }
  CHECK(server.peak() <= 4);
  CHECK(server.peak() >= 2);  // the limit, not a lack of concurrency, kept it there
  json report = json::parse(r.out);
  CHECK(report["results"].size() == 2000);
  const json& live = report["summary"]["live"];
  CHECK(live["passed"] == 2000);
  CHECK(live["probes"] == 200);
  CHECK(live["per_host"] == 4);
  CHECK(live["peak_per_host"].get<int>() <= 4);

  // The same run as text: the limits are in the summary line.
  auto text = check(dir, rb, {"--per-host", "4"});
  CHECK(text.out.find(" (2000 checks, 200 probes, at most 4 per host at once, in ") != std::string::npos);
}

TEST_CASE("without a per-host limit the same server sees more than 4 at once, and a rate spaces the starts", "[live][host-limits]") {
  test::TempDir dir;
  {
    CountingServer server(std::chrono::milliseconds(20));
    auto r = check(dir, runbook(server.port(), 40, 40), {"--per-host", "0", "--live-jobs", "16"});
    INFO(r.out << r.err);
    CHECK(r.exit_code == 0);
    CHECK(server.peak() > 4);
    CHECK(r.out.find("40 probes, no per-host limit, in ") != std::string::npos);
  }
  CountingServer server(std::chrono::milliseconds(0));
  auto start = Clock::now();
  auto r = check(dir, runbook(server.port(), 6, 12), {"--rate", "20"});  // starts 50 ms apart
  INFO(r.out << r.err);
  CHECK(r.exit_code == 0);
  CHECK(server.requests().size() == 6);
  // 6 starts 50 ms apart: the last at least 250 ms after the first (less the first connection's setup).
  CHECK(server.span() >= std::chrono::milliseconds(200));
  CHECK(Clock::now() - start >= std::chrono::milliseconds(250));
  CHECK(r.out.find("6 probes, at most 8 per host at once, 20 per second per host, in ") != std::string::npos);
}
