// opsbook help [COMMAND [SUBCOMMAND]]: the same text as `opsbook COMMAND ... --help`, for any depth
// of subcommand, plus `help rules` (the check rules).
#pragma once

#include <string>
#include <vector>

namespace CLI {
class App;
}

namespace opsbook::cli {

// Prints help for `topic` (empty: the overview) to stdout; exit code 0, or 2 with a message on
// stderr naming the unknown command.
int print_help(const CLI::App& app, const std::vector<std::string>& topic);

// Where users find the documentation, for help texts.
inline constexpr const char* k_docs_hint = "Documentation: docs/README.md in the opsbook sources (/usr/share/doc/opsbook/ when installed)";

}  // namespace opsbook::cli
