// Running a program without a shell: input, environment, working folder, output streamed and/or
// captured, a time limit. The child gets its own process group; when the limit passes the whole
// group gets SIGTERM, then SIGKILL, and when the child exits whatever it left running in its
// group is killed too, so no helper or snippet ever outlives the call. A child that stops
// reading its input never raises SIGPIPE in opsbook (input_refused says so).
#pragma once

#include <chrono>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace opsbook::model {

struct ProcessResult {
  bool started = false;
  bool timed_out = false;
  int exit_code = -1;  // 128 + signal when killed
  std::string out;
  std::string err;
  std::string error;  // why it did not start
  bool input_refused = false;  // the child closed its stdin (or exited) before reading all input
};

struct ProcessOptions {
  std::string input;
  std::chrono::milliseconds limit{60000};
  const std::vector<std::string>* env = nullptr;  // "NAME=value" entries; nullptr inherits ours
  std::string cwd;                                // "" = ours
  // Called with 1 (stdout) or 2 (stderr) and each chunk as it arrives.
  std::function<void(int, std::string_view)> on_output;
  size_t capture_limit = static_cast<size_t>(-1);  // bytes kept per stream in the result
  // Test seam: called with the child's pid between its start and its tracking for the stop
  // signals (which are blocked meanwhile), the window a SIGTERM must not slip through.
  std::function<void(int)> after_spawn;
  // A Landlock ruleset (model/landlock) the child enforces on itself before it runs `argv`; the
  // child then also dies with the thread that started it (PR_SET_PDEATHSIG), is the init of a PID
  // namespace of its own where the system allows one (model/pid_namespace: when it ends, all it
  // started ends), and fails with 126 and a message when the ruleset cannot be enforced. A program
  // or working folder it cannot run in is reported in `error` (not started). -1: none.
  int confine_fd = -1;
};

// argv[0] without a slash is looked up as program_available() says (never in the checkout).
ProcessResult run_process(const std::vector<std::string>& argv, const ProcessOptions& options);

inline ProcessResult run_process(const std::vector<std::string>& argv, const std::string& input, std::chrono::milliseconds limit) {
  ProcessOptions options;
  options.input = input;
  options.limit = limit;
  return run_process(argv, options);
}

// True when `program` is found where opsbook looks for the programs it starts: PATH without
// empty or relative entries and without folders of the working folder (the checkout: a pull
// request's bin/git never runs in git's place).
bool program_available(const std::string& program);

// The path of `program` found that way, for a program another one starts (prlimit -- PROGRAM
// would search the job's PATH); `program` itself when there is none.
std::string program_path(const std::string& program);

}  // namespace opsbook::model
