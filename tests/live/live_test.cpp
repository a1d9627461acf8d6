// [live] integration tests: the opsbook binary against the real PostgreSQL, nginx and Redis
// that scripts/stack.sh started on 127.0.0.1 (CTest fixture), plus small in-test TCP servers
// for hanging, counting and dying peers.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <catch2/catch.hpp>
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <thread>

#include "model/text.hpp"
#include "support.hpp"
#include "model/process.hpp"

using namespace opsbook;
using nlohmann::json;

namespace {

using test::pg_admin;
using test::stack;

std::string nginx() { return "localhost:" + stack().at("STACK_NGINX_PORT"); }

// A loopback TCP server run by the test: `hang` accepts nothing (the backlog completes the
// handshake, then silence); `count` accepts and counts; `dying` answers `serve` HTTP requests,
// each after `delay`, then closes everything like a killed server.
class TestServer {
 public:
  enum class Mode { hang, count, dying };
  explicit TestServer(Mode mode, int answers = 0, std::chrono::milliseconds delay = {}) : m_mode(mode), m_serve(answers), m_delay(delay) {
    m_fd = test::listen_on_loopback(m_port);
    if (mode != Mode::hang) m_thread = std::thread([this] { serve(); });
  }
  ~TestServer() {
    m_stop = true;
    ::shutdown(m_fd, SHUT_RDWR);
    ::close(m_fd);
    if (m_thread.joinable()) m_thread.join();
  }
  TestServer(const TestServer&) = delete;
  TestServer& operator=(const TestServer&) = delete;

  [[nodiscard]] int port() const { return m_port; }
  [[nodiscard]] int accepted() const { return m_accepted; }

 private:
  void serve() {
    std::vector<int> open;
    int served = 0;
    while (!m_stop) {
      int c = ::accept4(m_fd, nullptr, nullptr, SOCK_CLOEXEC);
      if (c < 0) break;
      ++m_accepted;
      open.push_back(c);
      if (m_mode != Mode::dying) continue;
      char buf[4096];
      for (;;) {  // keep-alive: answer each request on this connection
        ssize_t n = ::recv(c, buf, sizeof buf, 0);
        if (n <= 0) break;
        std::this_thread::sleep_for(m_delay);
        if (served++ >= m_serve) {
          // Killed: drop every connection and stop listening.
          for (int o : open) ::close(o);
          open.clear();
          ::shutdown(m_fd, SHUT_RDWR);
          return;
        }
        const char reply[] = "HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nok\n";
        if (::send(c, reply, sizeof reply - 1, MSG_NOSIGNAL) < 0) break;
      }
    }
    for (int o : open) ::close(o);
  }

  Mode m_mode;
  int m_serve;
  std::chrono::milliseconds m_delay;
  int m_fd = -1;
  int m_port = 0;
  std::atomic<int> m_accepted{0};
  std::atomic<bool> m_stop{false};
  std::thread m_thread;
};

int closed_port() {
  TestServer s(TestServer::Mode::hang);
  return s.port();  // closed again when `s` goes away
}

struct LiveRun {
  test::RunResult run;
  json report;
  double seconds = 0;
};

// Writes opsbook.yaml + rb.md into `dir` and runs check --live with the JSON report.
LiveRun check_live(const test::TempDir& dir, const std::string& config, const std::string& runbook, std::vector<std::string> extra = {}) {
  stack();
  auto timed = test::run_live_check(dir, config, runbook, extra);
  LiveRun r;
  r.run = timed.run;
  r.seconds = timed.seconds;
  INFO(r.run.out << r.run.err);
  r.report = json::parse(r.run.out);
  return r;
}

// "line:outcome" of each result.
std::vector<std::string> outcomes(const json& report) {
  std::vector<std::string> out;
  for (const auto& r : report["results"]) out.push_back(std::to_string(r["line"].get<int>()) + ":" + r["outcome"].get<std::string>());
  return out;
}

std::vector<std::string> findings(const json& report) {
  std::vector<std::string> out;
  for (const auto& f : report["findings"]) out.push_back(f["rule"].get<std::string>() + "@" + std::to_string(f["line"].get<int>()));
  return out;
}

std::string local_env(const std::string& extra_services = "", const std::string& allow = "[\"localhost\", \"127.0.0.1\"]") {
  return "default_env: local\nenvironments:\n  local:\n    allow_hosts: " + allow + "\n    services:\n      web: {url: \"http://" + nginx() +
         "\"}\n      cache: {url: \"redis://127.0.0.1:" + stack().at("STACK_REDIS_PORT") + "\"}\n" + extra_services;
}

}  // namespace

TEST_CASE("the demo content passes against the demo stack", "[live]") {
  stack();
  std::string content = std::string(OPSBOOK_TEST_DATA) + "/../../content";
  auto r = test::run_opsbook({"--config", std::getenv("OPSBOOK_STACK_DIR") + std::string("/opsbook.yaml"), "check", "--live", "--no-shellcheck", "--format", "json", content});
  INFO(r.out << r.err);
  CHECK(r.exit_code == 0);
  json report = json::parse(r.out);
  CHECK(report["live"] == true);
  CHECK(report["env"] == "local");
  size_t passed = 0;
  for (const auto& res : report["results"]) {
    INFO(res.dump());
    CHECK(res["outcome"] != "fail");
    CHECK(res["outcome"] != "refused");
    passed += res["outcome"] == "pass";
  }
  CHECK(passed >= 20);
  for (const auto& kind : {"http", "tcp", "postgres", "sql", "redis", "doctest"}) {
    bool seen = false;
    for (const auto& res : report["results"]) seen = seen || (res["kind"] == kind && res["outcome"] == "pass");
    CHECK(seen);
  }
  // The report feeds the portal: every page verified, none failing.
  test::TempDir dir;
  test::write_file(dir.path() / "report.json", r.out);
  auto built = test::run_opsbook({"build", content, "-o", (dir.path() / "site").string(), "--report", (dir.path() / "report.json").string()});
  REQUIRE(built.exit_code == 0);
  for (const char* page : {"web-gateway", "orders-database", "session-cache", "incident-response"}) {
    std::string html = test::read_file((dir.path() / "site" / "runbooks" / (std::string(page) + ".html")).string());
    INFO(page);
    CHECK(html.find("verified live on local") != std::string::npos);
    CHECK(html.find("status-failing") == std::string::npos);
  }
}

TEST_CASE("HTTP: pass, wrong status, redirects, refused, timeout, host not allowed", "[live]") {
  test::TempDir dir;
  TestServer hang(TestServer::Mode::hang);
  TestServer counter(TestServer::Mode::count);
  int closed = closed_port();
  std::string n = nginx();
  std::string rb = "# Web\n\n"                                                                              // 1-2
                   "- `curl http://" + n + "/healthz`\n"                                                     // 3 pass
                   "- `curl http://" + n + "/status/maintenance`\n"                                          // 4 503, expected 2xx
                   "- `curl http://" + n + "/moved`\n"                                                       // 5 301 -> /healthz: pass
                   "- `curl http://" + n + "/loop`\n"                                                        // 6 too many redirects
                   "- `curl http://localhost:" + std::to_string(closed) + "/`\n"                              // 7 refused
                   "- `curl http://localhost:" + std::to_string(hang.port()) + "/`\n"                         // 8 timeout
                   "- `curl http://127.0.0.1:" + std::to_string(counter.port()) + "/`\n"                      // 9 not allowed
                   "- `curl http://shop.example.com/healthz`\n"                                               // 10 not allowed (DNS name)
                   "\n| Endpoint | Expected |\n|---|---|\n"                                                   // 11-13
                   "| `/status/503` | `503` |\n"                                                                // 14 pass
                   "| `/status/429` | `200-204, 429` |\n"                                                       // 15 pass
                   "| `/healthz` | `404` |\n"                                                                 // 16 wrong status
                   "| `/away` | `200` |\n";                                                                    // 17 redirect out of bounds
  auto r = check_live(dir, local_env("", "[\"localhost\"]"), rb, {"--timeout", "1", "--retries", "1"});
  CHECK(r.run.exit_code == 1);
  CHECK(outcomes(r.report) == std::vector<std::string>{"3:pass", "4:fail", "5:pass", "6:fail", "7:fail", "8:fail", "9:refused", "10:refused",
                                                        "14:pass", "15:pass", "16:fail", "17:refused"});
  CHECK(findings(r.report) == std::vector<std::string>{"live-http@4", "live-http@6", "live-http@7", "live-http@8", "live-not-allowed@9",
                                                        "live-not-allowed@10", "live-http@16", "live-not-allowed@17"});
  CHECK(counter.accepted() == 0);  // refused targets are never contacted
  const auto& results = r.report["results"];
  CHECK(results[1]["detail"] == "status 503");
  CHECK(results[2]["detail"] == "status 200 after 1 redirect");
  CHECK(results[4]["attempts"] == 2);  // connection refused is retried once (--retries 1)
  CHECK(results[5]["attempts"] == 1);  // a timeout is not retried
  CHECK(r.seconds < 8);
}

TEST_CASE("PostgreSQL: bad password gives one clear finding and never prints the password", "[live]") {
  test::TempDir dir;
  std::string dsn = stack().at("OPSBOOK_PG_DSN");
  std::string wrong = "Wr0ngPassw0rd-" + std::to_string(::getpid());
  std::string bad = dsn.substr(0, dsn.find(':', 14) + 1) + wrong + dsn.substr(dsn.find('@'));
  ::setenv("OPSBOOK_TEST_BAD_DSN", bad.c_str(), 1);
  std::string config = local_env("      db: {dsn_env: OPSBOOK_TEST_BAD_DSN}\n");
  std::string rb = "# DB\n\n```sql\nSELECT 1;\n```\n\n```sql\nSELECT 2;\n```\n";
  auto r = check_live(dir, config, rb);
  CHECK(findings(r.report) == std::vector<std::string>{"live-postgres@4"});
  std::string message = r.report["findings"][0]["message"];
  CHECK(message.find("password authentication failed") != std::string::npos);
  for (const auto& format : {"text", "json", "junit", "sarif", "github"}) {
    auto out = test::run_opsbook({"--config", (dir.path() / "opsbook.yaml").string(), "check", "--live", "--no-shell", "--format", format,
                                  (dir.path() / "rb.md").string()});
    INFO(format);
    CHECK(out.exit_code == 1);
    CHECK(out.out.find(wrong) == std::string::npos);
    CHECK(out.err.find(wrong) == std::string::npos);
  }
}

TEST_CASE("SQL: reads run with row counts, errors point at the failing line", "[live]") {
  test::TempDir dir;
  std::string config = local_env("      db: {dsn_env: OPSBOOK_PG_DSN}\n");
  std::string rb = "# DB\n\n```sql {name=pending}\nSELECT count(*) FROM orders WHERE status = 'pending';\n```\n\n"  // 4
                   "```sql {name=broken}\nSELECT 1;\nSELECT id,\n       status\nFROM no_such_table\nWHERE id = 1;\n```\n";  // 8..12
  auto r = check_live(dir, config, rb);
  CHECK(outcomes(r.report) == std::vector<std::string>{"4:pass", "8:fail"});
  CHECK(r.report["results"][0]["detail"] == "1 row");
  CHECK(findings(r.report) == std::vector<std::string>{"live-sql@11"});
  CHECK(r.report["findings"][0]["message"] == "broken: relation \"no_such_table\" does not exist");
}

TEST_CASE("SQL: destructive and mutating snippets never change the table, even with a role that could", "[live]") {
  test::TempDir dir;
  // The application role owns the table: only opsbook's own rules stand between it and the data.
  std::string config = local_env("      db: {dsn_env: OPSBOOK_PG_APP_DSN}\n");
  std::string before = pg_admin("SELECT count(*) || ':' || sum(total_cents) FROM orders");
  std::string rb = "# Danger\n\n"
                   "```sql {name=wipe}\nDELETE FROM orders;\n```\n\n"                                           // 4
                   "```sql {name=drop}\nTRUNCATE orders;\nDROP TABLE orders;\n```\n\n"                           // 8
                   "```sql {name=touch safety=read-only}\nUPDATE orders SET total_cents = 0;\n```\n\n"           // 13
                   "```sql {name=sneaky}\nSELECT 1; DELETE FROM orders WHERE id > 0;\n```\n\n"                    // 17
                   "```sql {name=typo}\nUPDATE orderz SET status = 'x' WHERE id = 1;\n```\n";                      // 21
  auto r = check_live(dir, config, rb);
  CHECK(pg_admin("SELECT count(*) || ':' || sum(total_cents) FROM orders") == before);
  CHECK(outcomes(r.report) == std::vector<std::string>{"4:pass", "8:skipped", "13:pass", "17:pass", "21:fail"});
  CHECK(r.report["results"][0]["detail"] == "1 statement explained, not run");
  CHECK(findings(r.report) == std::vector<std::string>{"live-sql@21"});
}

TEST_CASE("Redis: PING and reads pass, writes are never sent", "[live]") {
  test::TempDir dir;
  std::string rb = "# Cache\n\n```bash\nredis-cli -h cache -p 6379 ping\nredis-cli GET session:demo\nredis-cli FLUSHALL\nredis-cli DEL session:demo\n```\n\n"
                   "```bash\nredis-cli GET session:demo\n```\n";
  std::string config = local_env() + "    hosts: {\"cache:6379\": \"127.0.0.1:" + stack().at("STACK_REDIS_PORT") + "\"}\n";
  auto r = check_live(dir, config, rb);
  CHECK(r.run.exit_code == 0);
  CHECK(outcomes(r.report) == std::vector<std::string>{"4:pass", "4:pass", "5:pass", "6:skipped", "7:skipped", "11:pass"});
  CHECK(r.report["results"][5]["detail"] == "5 bytes");  // the key is still there
}

TEST_CASE("a server killed mid-run gives failures, not a hang", "[live]") {
  test::TempDir dir;
  TestServer dying(TestServer::Mode::dying, 3, std::chrono::milliseconds(30));
  std::string rb = "# Flaky\n\n";
  for (int i = 0; i < 10; ++i) rb += "- `curl http://127.0.0.1:" + std::to_string(dying.port()) + "/item/" + std::to_string(i) + "`\n";
  auto r = check_live(dir, local_env(), rb, {"--live-jobs", "1", "--retries", "0", "--timeout", "2"});
  CHECK(r.run.exit_code == 1);
  size_t pass = 0, fail = 0;
  for (const auto& res : r.report["results"]) (res["outcome"] == "pass" ? pass : fail) += 1;
  CHECK(pass == 3);
  CHECK(fail == 7);
  CHECK(r.seconds < 10);
}

TEST_CASE("the global deadline stops a run against a hanging stack", "[live]") {
  test::TempDir dir;
  TestServer hang(TestServer::Mode::hang);
  std::string rb = "# Hang\n\n";
  for (int i = 0; i < 3; ++i) rb += "- `curl http://127.0.0.1:" + std::to_string(hang.port()) + "/" + std::to_string(i) + "`\n";
  auto r = check_live(dir, local_env(), rb, {"--timeout", "60", "--deadline", "2"});
  CHECK(r.run.exit_code == 1);
  CHECK(r.seconds < 6);
  auto f = findings(r.report);
  CHECK(std::find(f.begin(), f.end(), "live-deadline@0") != f.end());
  for (const auto& res : r.report["results"]) CHECK(res["detail"] == "not finished before the global deadline");
}

TEST_CASE("doc-tests: run=auto snippets pass and fail as documented against the stack", "[live]") {
  test::TempDir dir;
  std::string config = local_env("      db: {dsn_env: OPSBOOK_PG_DSN}\n") + "    hosts: {\"shop.example.com\": \"" + nginx() + "\"}\n";
  std::string rb = "# Doc-tests\n\n"
                   "```bash {name=healthy run=auto expect-exit=0 expect-stdout=\"^ok$\"}\ncurl -fsS http://shop.example.com/healthz\n```\n\n"   // 3
                   "```bash {name=wrong-body run=auto expect-stdout=\"^ready\"}\ncurl -fsS http://shop.example.com/healthz\n```\n\n"       // 7
                   "```bash {name=wrong-exit run=auto expect-exit=0}\ncurl -fsS http://shop.example.com/status/503\n```\n\n"            // 11
                   "```bash {name=expected-failure run=auto expect-exit=22}\ncurl -fsS http://shop.example.com/status/503\n```\n\n"     // 15
                   "```sql {name=count run=auto expect-stdout=\"\\(1 row\\)\" service=db}\nSELECT count(*) FROM orders;\n```\n\n"      // 19
                   "```bash {name=wipe run=auto expect-exit=0}\nredis-cli FLUSHALL\n```\n";                                              // 23
  auto r = check_live(dir, config, rb);
  std::vector<std::string> doctests;
  for (const auto& res : r.report["results"]) {
    if (res["kind"] == "doctest") doctests.push_back(res["snippet"].get<std::string>() + ":" + res["outcome"].get<std::string>());
  }
  CHECK(doctests == std::vector<std::string>{"healthy:pass", "wrong-body:fail", "wrong-exit:fail", "expected-failure:pass", "count:pass", "wipe:skipped"});
  CHECK(findings(r.report) == std::vector<std::string>{"live-doctest@7", "live-doctest@11"});
  CHECK(r.run.exit_code == 1);
}
