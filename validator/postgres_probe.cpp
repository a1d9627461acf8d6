// PostgreSQL probes through libpqxx: a small pool of connections per DSN shared by worker
// threads. Only statements that pass the read-only vetting run, one per round trip through the
// extended protocol (so no second statement can ride along), with bound values, inside a READ
// ONLY transaction with statement and lock timeouts, always rolled back; anything else is only
// EXPLAINed (never executed) or skipped with the reason. A privileged role only EXPLAINs.
#include <pqxx/pqxx>

#include <algorithm>
#include <atomic>
#include <map>
#include <memory>
#include <mutex>
#include <thread>

#include "model/parallel.hpp"
#include "model/sql_read_only.hpp"
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
                 auto c = std::make_unique<pqxx::connection>(with_connect_timeout(dsn, limits.timeout));
                 c->set_client_encoding("UTF8");  // the encoding the SQL tokenizer reads
                 return c;
               } catch (const std::exception& e) {
                 error = scrub(first_line(e.what()));
                 return nullptr;
               }
             },
             [](const std::string& error) { return error.find("Connection refused") != std::string::npos || error.find("starting up") != std::string::npos; },
             limits) {}

  // Error texts never carry the password, whatever the server or libpq put in them.
  [[nodiscard]] std::string scrub(std::string text) const { return model::scrub(std::move(text), password); }

  // Why the DSN's role is privileged ("" when it is not), asked once per server.
  std::string privileged(pqxx::transaction_base& tx) {
    std::lock_guard lock(m_role_mutex);
    if (!m_role_checked) {
      pqxx::row r = tx.exec_params1(std::string(model::k_role_privileges_query));
      model::RolePrivileges role{r[0].as<std::string>(), r[1].as<bool>(), r[2].as<bool>(), r[3].as<bool>(), r[4].as<bool>()};
      m_privileged = model::privileged_role_reason(role);
      m_role_checked = true;
    }
    return m_privileged;
  }

  // The first VOLATILE function outside pg_catalog among those `v` names ("" when none), asked
  // once per set of names and server: 500 snippets calling count() ask once.
  std::string volatile_user_function(pqxx::transaction_base& tx, const model::ReadOnlyVerdict& v) {
    model::VolatileCheck check = model::volatile_user_functions(v);
    if (check.query.empty()) return "";
    std::string key;
    for (const auto& p : check.params) key.append(p).push_back('\0');
    {
      std::lock_guard lock(m_role_mutex);
      if (auto it = m_volatile.find(key); it != m_volatile.end()) return it->second;
    }
    pqxx::result r = tx.exec_params(check.query, pqxx::prepare::make_dynamic_params(check.params));
    std::string found = r.empty() ? "" : r[0][0].as<std::string>();
    std::lock_guard lock(m_role_mutex);
    m_volatile.emplace(std::move(key), found);
    return found;
  }

  std::string password;
  ConnectionPool<std::unique_ptr<pqxx::connection>> pool;

 private:
  std::map<std::string, std::string> m_volatile;  // function names -> the VOLATILE one, or ""
  std::mutex m_role_mutex;
  bool m_role_checked = false;
  std::string m_privileged;
};

// Why a statement of a query task must not run (then it is EXPLAINed or skipped), or "".
// A function the statement may call that the database defines as VOLATILE outside pg_catalog has
// its body out of the vetting's sight.
std::string why_not_run(pqxx::transaction_base& tx, const SqlStatementRef& st, const std::string& privileged, Server& server) {
  model::ReadOnlyVerdict v = model::vet_read_only(st.text);
  if (!v.allowed) return v.reason;
  if (!privileged.empty()) return privileged;
  if (std::string fn = server.volatile_user_function(tx, v); !fn.empty()) return "calls " + fn + ", a VOLATILE function defined in the database";
  return "";
}

// Counts of what happened to a task's statements, for its detail text.
struct Tally {
  size_t run = 0, explained = 0, skipped = 0;
  std::string first_reason;

  void not_run(std::string reason, bool explained_instead) {
    (explained_instead ? explained : skipped) += 1;
    if (first_reason.empty()) first_reason = std::move(reason);
  }

  [[nodiscard]] std::string detail(long rows) const {
    auto statements = [](size_t n) { return std::to_string(n) + (n == 1 ? " statement" : " statements"); };
    std::vector<std::string> parts;
    if (run) parts.push_back(std::to_string(rows) + (rows == 1 ? " row" : " rows"));
    if (explained) parts.push_back(statements(explained) + " explained, not run");
    if (skipped) parts.push_back(statements(skipped) + " neither run nor explained");
    std::string out;
    for (const auto& p : parts) out += (out.empty() ? "" : "; ") + p;
    if (!first_reason.empty()) out += " (" + first_reason + ")";
    return out.empty() ? "no statement" : out;
  }
};

void run_task(pqxx::connection& conn, const SqlTask& task, SqlResult& r, long timeout_ms, Server& server) {
  pqxx::read_transaction tx(conn);
  // One round trip for our own three settings (the simple protocol takes several statements);
  // standard_conforming_strings: strings as the SQL tokenizer reads them.
  tx.exec("SET LOCAL statement_timeout = " + std::to_string(timeout_ms) + "; SET LOCAL lock_timeout = " + std::to_string(timeout_ms) +
          "; SET LOCAL standard_conforming_strings = on");
  if (task.mode == SqlMode::ready) {
    tx.exec("SELECT 1");
    r.detail = "accepting connections";
    r.ok = true;
    tx.abort();
    return;
  }
  std::string privileged = task.mode == SqlMode::query && !task.allow_privileged_role ? server.privileged(tx) : "";
  Tally tally;
  for (const auto& st : task.statements) {
    try {
      std::string why = task.mode == SqlMode::query ? why_not_run(tx, st, privileged, server) : "";
      if (!why.empty() && privileged == why) r.privileged = why;
      if (task.mode == SqlMode::explain || !why.empty()) {
        if (!model::explainable(st.text)) {
          tally.not_run(why, false);
          continue;
        }
        // Exactly one statement per round trip: the extended protocol refuses a second one.
        tx.exec_params("EXPLAIN " + st.text, pqxx::prepare::make_dynamic_params(st.values));
        if (why.empty()) ++tally.explained;
        else tally.not_run(why, true);
      } else {
        pqxx::result res = tx.exec_params(st.text, pqxx::prepare::make_dynamic_params(st.values));
        r.rows = res.columns() > 0 ? static_cast<long>(res.size()) : static_cast<long>(res.affected_rows());
        ++tally.run;
      }
    } catch (const pqxx::sql_error& e) {
      int rel = 0;
      r.error = server.scrub(first_line(e.what(), &rel));
      r.error_line = st.line + (rel > 0 ? rel - 1 : 0);
      tx.abort();
      return;
    }
  }
  tx.abort();  // reads leave nothing behind either
  r.ok = true;
  r.detail = tally.detail(r.rows);
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
    HostSlot slot(limits.gate, dsn_host(dsns[task.dsn]), limits.deadline);
    if (!slot.held()) {
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
