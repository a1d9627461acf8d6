// Shared pieces of the red-team suite: the live stack's canaries (a table, a sequence, files
// the database server could write, a second backend), and `check --live` on a runbook.
#pragma once

#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <pqxx/connection>
#include <string>
#include <thread>
#include <vector>

#include "support.hpp"

namespace opsbook::test {

// Canaries on the stack's PostgreSQL, reset by the constructor: table `canary` (3 rows, every
// role may write it), sequence `canary_seq` at 42, a VOLATILE function `canary_kill(pid)` that
// terminates a backend, files under the server's own folder, and a second backend (a
// superuser's connection) that must survive.
class PgCanaries {
 public:
  PgCanaries();
  ~PgCanaries();
  PgCanaries(const PgCanaries&) = delete;
  PgCanaries& operator=(const PgCanaries&) = delete;

  [[nodiscard]] int victim_pid() const { return m_victim_pid; }
  // A path the server may write: the test checks it never appears.
  std::string file(const std::string& name);
  // "" when every canary is as it was; else what changed.
  [[nodiscard]] std::string damage() const;

 private:
  std::unique_ptr<pqxx::connection> m_victim;
  int m_victim_pid = 0;
  std::vector<std::string> m_files;
};

// The stack's services as an opsbook.yaml environment `local`; `dsn_env` names the variable
// with the PostgreSQL DSN; `extra` goes under the environment (e.g. allow_privileged_role).
std::string stack_config(const std::string& dsn_env, const std::string& extra = "");

struct LiveCheck {
  RunResult run;
  nlohmann::json report;
};
// Writes opsbook.yaml and rb.md into `dir`, runs `opsbook check --live --format json`.
LiveCheck check_live(const TempDir& dir, const std::string& config, const std::string& runbook);

// A server on a free 127.0.0.1 port that records what every connection sends first (for HTTP,
// the request line "GET /x"; "" when a client connected and sent nothing), answers 200 and closes.
class RecordingServer {
 public:
  RecordingServer();
  ~RecordingServer();
  RecordingServer(const RecordingServer&) = delete;
  RecordingServer& operator=(const RecordingServer&) = delete;

  [[nodiscard]] int port() const { return m_port; }
  [[nodiscard]] std::vector<std::string> requests();

 private:
  void serve();

  int m_fd = -1;
  int m_port = 0;
  std::mutex m_mutex;
  std::vector<std::string> m_requests;
  std::thread m_thread;
};

// The DSN variables of the three ways a check may connect.
struct DsnCase {
  const char* variable;
  const char* extra;  // environment settings
  const char* label;
};
inline const DsnCase k_dsn_cases[] = {
    {"OPSBOOK_PG_DSN", "", "the recommended read-only role"},
    {"OPSBOOK_PG_SUPER_DSN", "", "a superuser"},
    {"OPSBOOK_PG_SUPER_DSN", "    allow_privileged_role: true\n", "a superuser, allow_privileged_role: true"},
};

}  // namespace opsbook::test
