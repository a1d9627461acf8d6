// The shell-syntax rule: scripts go through `bash -n` in large batches, each snippet in its own
// subshell; snippets that leave a quote or heredoc open are checked alone.
#pragma once

#include <vector>

#include "validator/shell_scripts.hpp"

namespace opsbook::validator {

// Checks every job (jobs: threads, 0 = one per core); findings go to each job's sink.
void check_bash_syntax(std::vector<ShellJob>& jobs, unsigned threads);

}  // namespace opsbook::validator
