// Safety classification of commands: read-only, mutating or destructive, with the reason.
#pragma once

#include <string_view>
#include <vector>

#include "runbook.hpp"

namespace opsbook::model {

struct Verdict {
  Safety level = Safety::read_only;
  std::string reason;
};

// One logical shell command line (may contain pipelines and several commands).
Verdict classify_shell_command(std::string_view command_line);

// Classifies a snippet from its kind, commands and code, filling `reasons` with the lines that
// decided it; returns the overall (highest) level.
Safety classify_snippet(const Snippet& snippet, std::vector<SafetyReason>& reasons);

}  // namespace opsbook::model
