// cmark-gfm's table extension pads every row to the header's width, at a cost that grows with
// columns squared times rows: a 21 KB table exhausts memory. Tables past a bound are read as
// plain paragraphs instead, with a warning; everything else in the runbook is read as usual.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "diagnostic.hpp"

namespace opsbook::model {

inline constexpr size_t k_max_table_columns = 200;
inline constexpr size_t k_max_table_work = 50'000'000;  // the sum over its rows of cells squared
// cmark-gfm reads the paragraph above each delimiter row again (its bytes and cells squared): the
// sum over a runbook of those reads.
inline constexpr uint64_t k_max_header_work = 10'000'000;

// `body` with the delimiter row of each table past the bounds made a non-delimiter of the same
// length (its dashes blanked, so every offset and line stays), or nullopt when there is none.
// `first_line` is the markdown line of body's first line, for the warnings.
std::optional<std::string> tame_huge_tables(std::string_view body, int first_line, const std::string& path, Diagnostics& diagnostics);

}  // namespace opsbook::model
