// The runner's executors besides the shell: SQL through libpqxx and HTTP through libcurl. They
// stream what they print through `out` and return the exit code opsbook run passes on.
#pragma once

#include <chrono>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace opsbook::runner {

using Output = std::function<void(int, std::string_view)>;  // 1 = stdout, 2 = stderr

// One statement of a SQL snippet, its values bound as $1, $2, ... (never written into it).
struct SqlStep {
  std::string text;
  std::vector<std::string> values;
  int line = 0;       // markdown line
  bool meta = false;  // psql meta-command: skipped with a note
};

enum class SqlAccess {
  read_only,   // every statement passed the read-only vetting: a READ ONLY transaction, rolled
               // back; refused for a privileged role unless allowed, and per statement for a
               // call to a VOLATILE function the database defines
  read_write,  // one transaction, committed only when every statement succeeded
};

// Runs the statements one per round trip through the extended protocol, so no statement can
// carry a second one. Results print as aligned tables. Exit code 0, 1 on a server error, 2 when
// opsbook refused to run a statement (the reason on stderr).
int exec_sql(const std::string& dsn, const std::vector<SqlStep>& steps, SqlAccess access, bool allow_privileged_role,
             std::chrono::milliseconds timeout, const Output& out);

// Sends the request of an HTTP snippet ("METHOD URL" line, headers, blank line, body). Prints
// the status line to stderr and the body to stdout; exit code 0 when the status matches
// `expect_status` (default: below 400).
int exec_http(const std::string& method, const std::string& url, const std::string& headers, const std::string& body,
              const std::string& expect_status, std::chrono::milliseconds timeout, const Output& out);

}  // namespace opsbook::runner
