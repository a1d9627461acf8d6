// What an awk or sed program given on the command line can do besides printing: run a command
// or write a file. The safety classifier rates `awk '...'` and `sed '...'` read-only only when
// these readers prove the program does neither.
#pragma once

#include <span>
#include <string>
#include <string_view>

namespace opsbook::model {

// "" when the awk program only reads and prints to standard output; otherwise what it does
// ("calls system()", "writes a file with print > ..."): system(), any `|` pipe to or from a
// command (print | "cmd", "cmd" | getline, |&), output redirection in print/printf other than
// to /dev/stdout or /dev/stderr, gawk's @ (extensions, includes, indirect calls).
std::string awk_side_effect(std::string_view program);

// The same for a sed script (GNU sed): the e command and s///e run commands, w/W and s///w write
// files; a command sed does not have is not proven harmless either.
std::string sed_side_effect(std::string_view script);

// The same for a whole awk or sed command line (argv[0] is the tool): its program is the values of
// -e/--source/--expression, or else the first operand. A program read from a file (-f), in-place
// editing, gawk's profile and variable dumps, and any option opsbook does not know are not proven
// harmless either.
std::string awk_command_side_effect(std::span<const std::string_view> argv);
std::string sed_command_side_effect(std::span<const std::string_view> argv);

}  // namespace opsbook::model
