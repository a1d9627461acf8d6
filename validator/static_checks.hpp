// Static validation of parsed runbooks: the parser's diagnostics plus the rules of
// `opsbook help rules` (shell syntax with bash -n, data blocks, SQL, PowerShell, links,
// secrets, unguarded destructive snippets, duplicate names, unexplained placeholders).
#pragma once

#include <vector>

#include "model/runbook.hpp"
#include "validator/finding.hpp"

namespace opsbook::validator {

struct StaticOptions {
  unsigned jobs = 0;
  bool shell = true;  // run bash -n (when bash is installed)
};

std::vector<Finding> check_static(const std::vector<model::Runbook>& runbooks, const StaticOptions& options);

// Secret detection on one line; each match is [begin, end) of the secret value and its kind.
struct SecretMatch {
  size_t begin = 0, end = 0;
  std::string kind;
};
std::vector<SecretMatch> find_secrets(std::string_view line);
std::string redact_line(std::string_view line, const std::vector<SecretMatch>& matches);

}  // namespace opsbook::validator
