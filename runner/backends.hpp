// The runner's executors besides the shell: SQL through libpqxx and HTTP through libcurl. They
// stream what they print through `out` and return the exit code opsbook run passes on.
#pragma once

#include <chrono>
#include <functional>
#include <string>
#include <string_view>

namespace opsbook::runner {

using Output = std::function<void(int, std::string_view)>;  // 1 = stdout, 2 = stderr

// Runs each statement of `code` (psql meta-commands are skipped with a note). Read-only
// snippets run in a READ ONLY transaction that is rolled back; others in one transaction that
// is committed only when every statement succeeded. Results print as aligned tables.
int exec_sql(const std::string& dsn, const std::string& code, bool read_only, std::chrono::milliseconds timeout, const Output& out);

// Sends the request of an HTTP snippet ("METHOD URL" line, headers, blank line, body). Prints
// the status line to stderr and the body to stdout; exit code 0 when the status matches
// `expect_status` (default: below 400).
int exec_http(const std::string& method, const std::string& url, const std::string& headers, const std::string& body,
              const std::string& expect_status, std::chrono::milliseconds timeout, const Output& out);

}  // namespace opsbook::runner
