// Line-level helpers for command blocks that are not read by the shell lexer: PowerShell lines
// and the names of commands ops runbooks use. Sessions with prompts are model/prompts'.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace opsbook::model {

// Logical lines of a PowerShell script: comment and blank lines skipped, a line ending in a
// backtick or a pipe continued on the next.
struct LogicalLine {
  std::string text;
  int line_offset = 0;  // 0-based line index within the code
};
std::vector<LogicalLine> powershell_lines(std::string_view code);

// True for the first word of commands that ops runbooks use ("docker", "kubectl", "psql"...).
bool is_known_command(std::string_view word);

}  // namespace opsbook::model
