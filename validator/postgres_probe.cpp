// PostgreSQL probes through libpqxx: a small pool of connections per DSN shared by worker
// threads. Reads run inside a READ ONLY transaction with statement and lock timeouts and are
// always rolled back; anything else is only EXPLAINed (never executed).
#include <pqxx/pqxx>

#include <algorithm>
#include <atomic>
#include <memory>
#include <mutex>
#include <thread>

#include "model/parallel.hpp"
#include "validator/connection_pool.hpp"
#include "validator/live_probe.hpp"

namespace opsbook::validator {

namespace {

// libpq's message without its "ERROR:  " padding, first line only; "LINE n:" gives `line`.
std::string first_line(const std::string& what, int* line = nullptr) {
  std::string msg = what;
  size_t l = msg.find("\nLINE ");
  if (line && l != std::string::npos) *line = std::atoi(msg.c_str() + l + 6);
  msg = msg.substr(0, msg.find('\n'));
  for (const char* prefix : {"ERROR:  ", "FATAL:  "}) {
    size_t p = msg.find(prefix);
    if (p != std::string::npos) msg.replace(p, std::string_view(prefix).size(), "");
  }
  return msg;
}

std::string with_connect_timeout(const std::string& dsn, std::chrono::milliseconds timeout) {
  long secs = std::max<long>(2, static_cast<long>((timeout.count() + 999) / 1000));  // libpq's minimum is 2
  if (dsn.find("connect_timeout") != std::string::npos) return dsn;
  if (dsn.find("://") != std::string::npos) return dsn + (dsn.find('?') == std::string::npos ? "?" : "&") + "connect_timeout=" + std::to_string(secs);
  return dsn + " connect_timeout=" + std::to_string(secs);
}

struct Server {
  Server(const std::string& dsn, const ProbeLimits& limits)
      : password(model::dsn_password(dsn)),
        pool([this, dsn, &limits](std::string& error) -> std::unique_ptr<pqxx::connection> {
               try {
                 return std::make_unique<pqxx::connection>(with_connect_timeout(dsn, limits.timeout));
               } catch (const std::exception& e) {
                 error = scrub(first_line(e.what()));
                 return nullptr;
               }
             },
             [](const std::string& error) { return error.find("Connection refused") != std::string::npos || error.find("starting up") != std::string::npos; },
             limits) {}

  // Error texts never carry the password, whatever the server or libpq put in them.
  [[nodiscard]] std::string scrub(std::string text) const { return model::scrub(std::move(text), password); }

  std::string password;
  ConnectionPool<std::unique_ptr<pqxx::connection>> pool;
};

void run_task(pqxx::connection& conn, const SqlTask& task, SqlResult& r, long timeout_ms, const Server& pool) {
  pqxx::read_transaction tx(conn);
  tx.exec("SET LOCAL statement_timeout = " + std::to_string(timeout_ms));
  tx.exec("SET LOCAL lock_timeout = " + std::to_string(timeout_ms));
  if (task.mode == SqlMode::ready) {
    tx.exec("SELECT 1");
    r.detail = "accepting connections";
    r.ok = true;
    tx.abort();
    return;
  }
  size_t n = 0;
  for (const auto& st : task.statements) {
    try {
      if (task.mode == SqlMode::explain) {
        tx.exec("EXPLAIN " + st.text);
      } else {
        pqxx::result res = tx.exec(st.text);
        r.rows = res.columns() > 0 ? static_cast<long>(res.size()) : static_cast<long>(res.affected_rows());
      }
      ++n;
    } catch (const pqxx::sql_error& e) {
      int rel = 0;
      r.error = pool.scrub(first_line(e.what(), &rel));
      r.error_line = st.line + (rel > 0 ? rel - 1 : 0);
      tx.abort();
      return;
    }
  }
  tx.abort();  // reads leave nothing behind either
  r.ok = true;
  if (task.mode == SqlMode::explain) r.detail = std::to_string(n) + (n == 1 ? " statement" : " statements") + " explained, not run";
  else r.detail = std::to_string(r.rows) + (r.rows == 1 ? " row" : " rows");
}

}  // namespace

std::vector<SqlResult> probe_postgres(const std::vector<std::string>& dsns, const std::vector<SqlTask>& tasks, const ProbeLimits& limits) {
  std::vector<SqlResult> results(tasks.size());
  std::vector<std::unique_ptr<Server>> pools;
  for (const auto& dsn : dsns) pools.push_back(std::make_unique<Server>(dsn, limits));
  // A few connections are plenty: queries on a local server take well under a millisecond.
  unsigned threads = std::clamp(limits.concurrency, 1u, 4u);
  model::parallel_for(tasks.size(), threads, [&](size_t i) {
    const SqlTask& task = tasks[i];
    SqlResult& r = results[i];
    Server& server = *pools[task.dsn];
    if (Clock::now() >= limits.deadline) {
      r.error = "not run: the global deadline was reached";
      return;
    }
    auto start = Clock::now();
    std::string error;
    int attempts = 1;
    auto conn = server.pool.acquire(error, attempts);
    r.attempts = attempts;
    if (!conn) {
      r.error = error;
      r.connection_error = true;
      r.latency_ms = std::chrono::duration<double, std::milli>(Clock::now() - start).count();
      return;
    }
    auto remaining = std::chrono::duration_cast<std::chrono::milliseconds>(limits.deadline - Clock::now()).count();
    long timeout_ms = static_cast<long>(std::max<long long>(1, std::min<long long>(limits.timeout.count(), remaining)));
    try {
      run_task(*conn, task, r, timeout_ms, server);
      if (conn->is_open()) server.pool.release(std::move(conn));
    } catch (const std::exception& e) {
      // The connection broke (server gone, killed, restarted): drop it.
      r.ok = false;
      r.error = server.scrub(first_line(e.what()));
      r.connection_error = true;
    }
    r.latency_ms = std::chrono::duration<double, std::milli>(Clock::now() - start).count();
  });
  return results;
}

}  // namespace opsbook::validator
