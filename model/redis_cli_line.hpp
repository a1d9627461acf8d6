// A line of redis-cli's input (a heredoc, a pipe) split into words as redis-cli splits it
// (sdssplitargs): "..." with \xHH, \n, \t... escapes, '...' with \', quotes inside a word.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace opsbook::model {

// The words of `line`, or nullopt when redis-cli refuses it ("Invalid argument(s)": an open
// quote, a closing quote followed by more of the word), and runs nothing.
std::optional<std::vector<std::string>> redis_cli_words(std::string_view line);

}  // namespace opsbook::model
