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

// shellcheck's time grows with the bytes it reads (16 scripts of 31 KiB in one runbook took 18 s):
// the bytes of distinct scripts it checks per runbook and per run (limits.shellcheck_bytes,
// limits.shellcheck_run_bytes in opsbook.yaml). An identical script checked before costs nothing.
struct ShellcheckBudget {
  size_t runbook_bytes;
  size_t run_bytes;
};

// Takes out of `jobs`, in order, the scripts past either budget; in each runbook the first one
// taken out gets a check-failed finding naming the limit, its setting and how many follow it.
// Scripts over k_max_shellcheck_bytes stay (check_shellcheck reports them) and count nothing.
void keep_within_budget(std::vector<ShellJob>& jobs, const ShellcheckBudget& budget);

// Checks every job (threads: 0 = one per core; limit: per shellcheck run); findings go to each
// job's sink. Scripts in `cache` are not run again, and those run are added to it. Call only when
// shellcheck is installed.
void check_shellcheck(std::vector<ShellJob>& jobs, unsigned threads, std::chrono::seconds limit, ShellcheckCache* cache = nullptr);

}  // namespace opsbook::validator
