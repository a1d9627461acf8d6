// Running a helper program (bash -n, shellcheck) with input, a time limit and no shell:
// the whole process group is killed when the limit passes, so a hanging tool never hangs us.
#pragma once

#include <chrono>
#include <string>
#include <vector>

namespace opsbook::validator {

struct ProcessResult {
  bool started = false;
  bool timed_out = false;
  int exit_code = -1;
  std::string out;
  std::string err;
};

ProcessResult run_process(const std::vector<std::string>& argv, const std::string& input, std::chrono::milliseconds limit);

// True when `program` is found on PATH.
bool program_available(const std::string& program);

}  // namespace opsbook::validator
