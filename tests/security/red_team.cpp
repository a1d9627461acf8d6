// The red-team suite's canaries and helpers (see red_team.hpp).
#include "red_team.hpp"

#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <pqxx/pqxx>

#include <filesystem>

namespace opsbook::test {

namespace fs = std::filesystem;

PgCanaries::PgCanaries() {
  pg_admin(
      "DROP TABLE IF EXISTS canary, canary_copy CASCADE; CREATE TABLE canary (id int PRIMARY KEY, note text);"
      "INSERT INTO canary VALUES (1, 'one'), (2, 'two'), (3, 'three'); GRANT ALL ON canary TO PUBLIC;"
      "DROP SEQUENCE IF EXISTS canary_seq; CREATE SEQUENCE canary_seq; SELECT setval('canary_seq', 42); GRANT ALL ON canary_seq TO PUBLIC;"
      "CREATE OR REPLACE FUNCTION canary_kill(pid int) RETURNS boolean LANGUAGE sql VOLATILE AS 'SELECT pg_terminate_backend(pid)';"
      // Called without a visible call: by a quoted mixed-case name, as a column (c.fn), as an operator.
      "CREATE OR REPLACE FUNCTION \"Canary_Kill\"(pid int) RETURNS boolean LANGUAGE sql VOLATILE AS 'SELECT pg_terminate_backend(pid)';"
      "CREATE OR REPLACE FUNCTION canary_row_kill(canary) RETURNS boolean LANGUAGE sql VOLATILE AS "
      "$$SELECT bool_or(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE application_name = 'opsbook-canary-victim'$$;"
      "CREATE OR REPLACE FUNCTION canary_op_kill(int, int) RETURNS boolean LANGUAGE sql VOLATILE AS 'SELECT pg_terminate_backend($1)';"
      "DROP OPERATOR IF EXISTS !!! (int, int); CREATE OPERATOR !!! (LEFTARG = int, RIGHTARG = int, FUNCTION = canary_op_kill);"
      "SELECT lo_unlink(oid) FROM pg_largeobject_metadata;");
  m_victim = std::make_unique<pqxx::connection>(stack().at("OPSBOOK_PG_SUPER_DSN"));
  pqxx::nontransaction tx(*m_victim);
  tx.exec("SET application_name = 'opsbook-canary-victim'");
  m_victim_pid = tx.exec1("SELECT pg_backend_pid()")[0].as<int>();
}

PgCanaries::~PgCanaries() {
  for (const auto& f : m_files) {
    std::error_code ec;
    fs::remove(f, ec);
  }
}

std::string PgCanaries::file(const std::string& name) {
  std::string path = stack().at("STACK_PGDIR") + "/canary-" + name;
  std::error_code ec;
  fs::remove(path, ec);
  m_files.push_back(path);
  return path;
}

std::string PgCanaries::damage() const {
  std::string out;
  std::string rows = pg_admin("SELECT string_agg(id || ':' || note, ',' ORDER BY id) FROM canary");
  if (rows != "1:one,2:two,3:three") out += "canary rows are now '" + rows + "'; ";
  if (pg_admin("SELECT last_value FROM canary_seq") != "42") out += "canary_seq moved; ";
  if (pg_admin("SELECT count(*) FROM pg_largeobject_metadata") != "0") out += "a large object appeared; ";
  if (pg_admin("SELECT to_regclass('canary_copy') IS NULL") != "t") out += "table canary_copy appeared; ";
  for (const auto& f : m_files) {
    if (fs::exists(f)) out += f + " appeared; ";
  }
  try {
    pqxx::nontransaction tx(*m_victim);
    tx.exec("SELECT 1");
  } catch (const std::exception& e) {
    out += "the second backend was terminated (" + std::string(e.what()).substr(0, 80) + "); ";
  }
  return out;
}

std::string stack_config(const std::string& dsn_env, const std::string& extra) {
  return "default_env: local\nenvironments:\n  local:\n    allow_hosts: [\"127.0.0.1\"]\n    services:\n      db: {dsn_env: " + dsn_env +
         "}\n      cache: {url: \"redis://127.0.0.1:" + stack().at("STACK_REDIS_PORT") +
         "\"}\n      web: {url: \"http://127.0.0.1:" + stack().at("STACK_NGINX_PORT") + "\"}\n" + extra;
}

RecordingServer::RecordingServer() {
  m_fd = listen_on_loopback(m_port);
  m_thread = std::thread([this] { serve(); });
}

RecordingServer::~RecordingServer() {
  ::shutdown(m_fd, SHUT_RDWR);
  ::close(m_fd);
  m_thread.join();
}

std::vector<std::string> RecordingServer::requests() {
  std::lock_guard lock(m_mutex);
  return m_requests;
}

void RecordingServer::serve() {
  for (;;) {
    int c = ::accept4(m_fd, nullptr, nullptr, SOCK_CLOEXEC);
    if (c < 0) return;
    timeval wait{2, 0};  // a client that connects and sends nothing (nc -z, pg_isready) is recorded too
    ::setsockopt(c, SOL_SOCKET, SO_RCVTIMEO, &wait, sizeof wait);
    std::string head;
    char buf[4096];
    while (head.find("\r\n\r\n") == std::string::npos && head.size() < 65536) {
      ssize_t n = ::recv(c, buf, sizeof buf, 0);
      if (n <= 0) break;
      head.append(buf, static_cast<size_t>(n));
      if (head.find(" HTTP/") == std::string::npos && head.size() > 0 && head.find('\n') != std::string::npos) break;  // not HTTP
    }
    {
      std::lock_guard lock(m_mutex);
      m_requests.push_back(head.substr(0, head.find(" HTTP/")));
    }
    const char reply[] = "HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";
    (void)::send(c, reply, sizeof reply - 1, MSG_NOSIGNAL);
    ::close(c);
  }
}

LiveCheck check_live(const TempDir& dir, const std::string& config, const std::string& runbook) {
  write_file(dir.path() / "opsbook.yaml", config);
  write_file(dir.path() / "rb.md", runbook);
  LiveCheck c;
  c.run = run_opsbook({"--config", (dir.path() / "opsbook.yaml").string(), "check", "--live", "--no-shell", "--format", "json",
                       (dir.path() / "rb.md").string()});
  c.report = nlohmann::json::parse(c.run.out);
  return c;
}

}  // namespace opsbook::test
