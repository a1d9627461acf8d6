// Test helpers: paths to shared data, temporary folders, running the opsbook binary.
#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "model/runbook.hpp"

namespace opsbook::test {

std::string shared_dir();   // ../shared, checked to exist
std::string samples_dir();  // ../shared/samples
std::string data_dir();     // tests/data

std::string read_file(const std::string& path);
// Every file of a built site by its path under `root`, with its bytes (not the build cache).
std::map<std::string, std::string> site_files(const std::filesystem::path& root);
void write_file(const std::filesystem::path& path, const std::string& text);

// A fresh folder under /tmp, removed on destruction.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  [[nodiscard]] const std::filesystem::path& path() const { return m_path; }

 private:
  std::filesystem::path m_path;
};

struct RunResult {
  int exit_code = -1;
  std::string out;
  std::string err;
  bool timed_out = false;  // killed by Limits::seconds
  double seconds = 0;      // wall-clock time
  long max_rss_kb = 0;     // peak resident memory
};

// Bounds for a run of the binary: wall-clock seconds (then SIGKILL), address space and file
// size rlimits (0 = none). A hostile-input test asserts the run stays within them.
struct Limits {
  double seconds = 0;
  size_t address_space = 0;
  size_t file_size = 0;
};

// Runs the opsbook binary with `args` (no shell), in `cwd` when given.
RunResult run_opsbook(const std::vector<std::string>& args, const std::string& cwd = {}, const Limits& limits = {});

// The running live stack (scripts/stack.sh, started by the live_stack CTest fixture): its
// stack.env, also exported into this process so an opsbook child sees the DSNs.
const std::map<std::string, std::string>& stack();

// Runs SQL as the stack's PostgreSQL superuser (psql over the local socket); its output, trimmed.
std::string pg_admin(const std::string& sql);

// Runs git with `args` in the repository `repo` (a test identity, output discarded); its exit code.
int git(const std::filesystem::path& repo, std::vector<std::string> args);

// The pid of a process whose command line is exactly `cmdline` (its words joined by NULs, a NUL
// after the last), or 0.
int find_process(const std::string& cmdline);

// A TCP socket listening on 127.0.0.1 at a free port (close-on-exec): its fd; the port goes to
// `port`. Throws when the system refuses.
int listen_on_loopback(int& port);

// The NAME=value lines a fixture wrote into `dir`/`file` (stack.env, docker.env), surrounding
// double quotes removed. Throws naming the fixture (`variable`, `script`) when there is none.
std::map<std::string, std::string> read_fixture_env(const char* variable, const std::string& file, const std::string& script);

// Writes `config` as opsbook.yaml and `runbook` as rb.md into `dir`, runs `check --live
// --no-shell --format json` on them with `extra` options, and times it.
struct TimedRun {
  RunResult run;
  double seconds = 0;
};
TimedRun run_live_check(const TempDir& dir, const std::string& config, const std::string& runbook, const std::vector<std::string>& extra = {});

// `text` written `times` times in a row (hostile inputs).
std::string repeat(const std::string& text, size_t times);

// Parses markdown text as a runbook named `path`.
model::Runbook parse(const std::string& markdown, const std::string& path = "test.md");

}  // namespace opsbook::test
