// Static validation of parsed runbooks: the parser's diagnostics plus the rules of
// `opsbook help rules` (shell syntax with bash -n, data blocks, SQL, PowerShell, links,
// secrets, unguarded destructive snippets, duplicate names, unexplained placeholders).
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "model/limits.hpp"
#include "model/runbook.hpp"
#include "validator/finding.hpp"
#include "validator/secrets.hpp"  // find_secrets and redact_line, used with the findings

namespace opsbook::validator {

class ShellcheckCache;

struct StaticOptions {
  unsigned jobs = 0;
  bool shell = true;       // run bash -n (when bash is installed)
  bool shellcheck = true;  // run shellcheck (when installed; a note says so when it is not)
  std::chrono::seconds shellcheck_timeout{60};  // per batch
  size_t shellcheck_runbook_bytes = model::Limits{}.shellcheck_bytes;  // distinct script bytes per runbook
  size_t shellcheck_run_bytes = model::Limits{}.shellcheck_run_bytes;  // and per run
  ShellcheckCache* shellcheck_cache = nullptr;   // results of scripts checked before (check: .opsbook/)
  // Findings kept per runbook: past them they are only counted, into *left_out (by path) when set.
  size_t findings = SIZE_MAX;
  std::map<std::string, LeftOut>* left_out = nullptr;
  // When not empty, only these runbook paths are checked; the others still serve as link targets.
  std::set<std::string> only;
};

std::vector<Finding> check_static(const std::vector<model::Runbook>& runbooks, const StaticOptions& options);

}  // namespace opsbook::validator
