// Output pasted after a command in a shell block without prompts: the lines that are what the
// terminal printed back (a table, a count, host names, JSON, log lines), not commands.
#pragma once

#include <string_view>

namespace opsbook::model {

// Why the line looks like a tool's output ("a table row", "a number", "JSON"...), or "" when it
// does not. A line that reads as a command never looks like output.
std::string_view output_shape(std::string_view line);

}  // namespace opsbook::model
