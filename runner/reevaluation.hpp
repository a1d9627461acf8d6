// Which arguments of a command are read again as code: the script of `bash -c`, every argument
// of `eval`, `watch` and `ssh`, the SQL of `psql -c`, the program of `awk` or `python -c`, the
// variable names of `read` or `declare`... through wrappers such as sudo, env, timeout, xargs,
// `kubectl exec ... --` and `docker exec`. Also which commands read their standard input as
// code (a heredoc, a here-string or a pipe into them). The filler refuses values there that are
// not plainly data.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace opsbook::runner {

enum class Evaluation {
  none,        // taken as data
  shell,       // run again by a shell (bash -c, eval, ssh, watch, su -c, ...)
  sql,         // run as SQL (psql -c, mysql -e, ...)
  program,     // a program in another language (awk, sed, python -c, perl -e, ...)
  names,       // variable names whose subscripts bash evaluates (read, unset, declare, ...)
  arithmetic,  // evaluated as arithmetic (let, declare -i)
  line,        // one line of a line-based protocol (curl -H): a line break starts another
};

struct Reevaluation {
  Evaluation kind = Evaluation::none;
  std::string by;  // what reads it again, for messages: "bash -c", "ssh", "psql -c"
};

// `args` are the quote-removed words of one simple command, its name at `first` (after any
// NAME=value assignments); is the word at `pos` read again as code?
Reevaluation reevaluated_argument(const std::vector<std::string>& args, size_t first, size_t pos);

// The variables a `declare -i` (typeset, local, readonly) command gives the integer attribute:
// bash evaluates every later assignment to them (`n=VALUE`) as arithmetic.
std::vector<std::string> integer_variables(const std::vector<std::string>& args, size_t first);

// bash -c SCRIPT NAME ARGS...: the argument at `pos` is the script's positional parameter
// `number` ("0" for NAME, "1"...), and the script is at `script`; `number` is empty otherwise.
// Also after wrappers (sudo bash -c ..., kubectl exec ... -- sh -c ...).
struct ShellArgument {
  std::string number;
  size_t script = 0;
  std::string by;  // "bash -c"
};
ShellArgument shell_argument(const std::vector<std::string>& args, size_t first, size_t pos);

// Does the command read its standard input as code (a heredoc, here-string or pipe into it)?
Reevaluation stdin_evaluation(const std::vector<std::string>& args, size_t first);

// Does the command (through wrappers) read the variables of its environment as code? make makes
// each one a variable of the makefile, expanded ($(shell ...) runs) where the makefile uses it,
// over the makefile's own with -e; MAKEFLAGS holds options and variables.
Reevaluation environment_evaluation(const std::vector<std::string>& args, size_t first);

}  // namespace opsbook::runner
