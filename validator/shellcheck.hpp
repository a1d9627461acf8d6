// The shellcheck rule: the same scripts as bash -n, through shellcheck when it is installed.
#pragma once

#include <chrono>
#include <vector>

#include "validator/shell_scripts.hpp"

namespace opsbook::validator {

// Checks every job (threads: 0 = one per core; limit: per shellcheck run); findings go to each
// job's sink. Call only when shellcheck is installed.
void check_shellcheck(std::vector<ShellJob>& jobs, unsigned threads, std::chrono::seconds limit);

}  // namespace opsbook::validator
