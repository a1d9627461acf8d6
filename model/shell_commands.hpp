// Shell snippets as commands: the top-level commands a reader types (per the lexer's units), and
// the simple commands of a command line with their wrappers (sudo, env, timeout...) stripped.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "runbook.hpp"

namespace opsbook::model {

// One Command per top-level command of the script (lists, compound statements, heredocs with
// their bodies, continuation lines), at its markdown lines; `first_line` is the code's first.
std::vector<Command> split_shell_commands(std::string_view code, int first_line);

// The simple commands of `text` (nested ones included), each as the quote-removed words of the
// command plain wrappers run: `sudo -u x env A=1 curl -s "$U"` gives {"curl", "-s", "$U"};
// `docker compose exec db psql` stays as it is.
std::vector<std::vector<std::string>> simple_commands(std::string_view text);

}  // namespace opsbook::model
