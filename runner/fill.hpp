// Filling a shell snippet's placeholders so that no value can change what the snippet does: a
// value is never written into the code. It travels in an environment variable, referenced by a
// quoted expansion that fits the spot (unquoted, "...", '...', $'...'), found by the one shell
// lexer. Where text is read again as code (bash -c, eval, ssh, heredocs fed to a shell or psql,
// arithmetic, awk programs...) only plain values pass, and others are refused with the line,
// the parameter, the reason and the way forward. SQL values are bound (model/sql_bind); HTTP
// values are encoded (http_fill).
#pragma once

#include <functional>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "model/runbook.hpp"
#include "model/params.hpp"

namespace opsbook::runner {

struct ShellFill {
  std::string code;     // what runs
  std::string literal;  // the same with each value written in, quoted for its spot: what the classifier reads
  std::vector<std::pair<std::string, std::string>> env;  // the variables `code` references
  // Variable params ($NAME) that a shell the snippet starts reads from its environment
  // (bash -c '... $NAME', watch '...', a quoted heredoc fed to bash): they must be exported.
  std::set<std::string> environment;
  int refused_line = 0;  // with `refusal`: the markdown line of the placeholder
  std::string refusal;   // "<app> ...: why; what to do", empty when filled
};

// Markdown line of a byte offset in the code.
using LineOf = std::function<int(size_t offset)>;

// Fills the placeholder params (`<name>`, `{{name}}`, `[name]`) that have a value in `values`.
ShellFill fill_shell(std::string_view code, const std::vector<model::Param>& params, const std::map<std::string, std::string>& values,
                     const LineOf& line_of);

// PowerShell has no lexer here: values are written in only when they are plain (letters,
// digits and . _ : / @ % + = , -) and do not start with '-'; others are refused.
ShellFill fill_powershell(std::string_view code, const std::vector<model::Param>& params, const std::map<std::string, std::string>& values,
                          const LineOf& line_of);

// Letters, digits and . _ : / @ % + = , - only, and not empty: a value that reads the same as
// data and as code in every language opsbook fills (shell words, programs, URLs, PowerShell).
bool plain_value(std::string_view value);
inline constexpr std::string_view k_plain_chars = "letters, digits and . _ : / @ % + = , -";

// 'value' with embedded single quotes spliced as '\''.
std::string shell_quote(std::string_view value);

// The value as bash reads it, for the screen: shell_quote, or $'...' with escapes when it holds a
// control character, so that a value never starts a line of its own above a prompt.
std::string display_quote(std::string_view value);

using model::is_secret_name;  // model/params.hpp

}  // namespace opsbook::runner
