// The shellcheck rule: the same scripts as bash -n, through shellcheck when it is installed.
#pragma once

#include <chrono>
#include <cstddef>
#include <vector>

#include "validator/shell_scripts.hpp"

namespace opsbook::validator {

// Scripts larger than this get a check-failed finding instead of a shellcheck run (it takes
// seconds per 10 KB); 4 times the largest shell snippet of the 570 runbooks of the real corpus.
inline constexpr size_t k_max_shellcheck_bytes = 32 * 1024;

class ShellcheckCache;

// Checks every job (threads: 0 = one per core; limit: per shellcheck run); findings go to each
// job's sink. Scripts in `cache` are not run again, and those run are added to it. Call only when
// shellcheck is installed.
void check_shellcheck(std::vector<ShellJob>& jobs, unsigned threads, std::chrono::seconds limit, ShellcheckCache* cache = nullptr);

}  // namespace opsbook::validator
