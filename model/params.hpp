// Placeholders (<name>, {{name}}, [name]) and environment variables ($NAME, ${NAME}) in code.
#pragma once

#include <string_view>
#include <vector>

#include "runbook.hpp"

namespace opsbook::model {

enum class BracketPlaceholders { no, yes };  // `[name]` only counts inside inline commands

// Appends the params found in `code` (first line at `first_line`), skipping duplicates and
// variables the code assigns itself.
void extract_params(std::string_view code, int first_line, SnippetKind kind, BracketPlaceholders brackets,
                    std::vector<Param>& out);

}  // namespace opsbook::model
