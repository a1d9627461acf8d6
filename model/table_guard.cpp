// Finds GFM table delimiter rows (`|---|:--:|`) outside code fences, sizes their tables and blanks
// the dashes of those past the bounds.
#include "table_guard.hpp"

#include <algorithm>

namespace opsbook::model {

namespace {

// The line without its container prefixes (indentation, `>` of block quotes).
std::string_view content(std::string_view line) {
  size_t i = 0;
  while (i < line.size() && (line[i] == ' ' || line[i] == '\t' || line[i] == '>')) ++i;
  return line.substr(i);
}

bool is_fence(std::string_view text) { return text.starts_with("```") || text.starts_with("~~~"); }

// Columns of a delimiter row (`|---|:-:|`, `--- | ---`), 0 when the line is not one.
size_t delimiter_columns(std::string_view text) {
  if (text.find('-') == std::string_view::npos || text.find('|') == std::string_view::npos) return 0;
  if (text.find_first_not_of("|-: \t\r") != std::string_view::npos) return 0;
  size_t columns = 0;
  bool dashes = false;
  for (char c : text) {
    if (c == '-') dashes = true;
    if (c == '|' && dashes) ++columns, dashes = false;
  }
  return columns + (dashes ? 1 : 0);
}

}  // namespace

std::optional<std::string> tame_huge_tables(std::string_view body, int first_line, const std::string& path, Diagnostics& diagnostics) {
  std::optional<std::string> out;
  bool in_fence = false;
  size_t pos = 0;
  int line = first_line;
  while (pos < body.size()) {
    size_t end = body.find('\n', pos);
    if (end == std::string_view::npos) end = body.size();
    std::string_view text = content(body.substr(pos, end - pos));
    if (is_fence(text)) in_fence = !in_fence;
    size_t columns = in_fence ? 0 : delimiter_columns(text);
    if (columns > 1) {
      size_t rows = 0;  // the rows after the delimiter, up to a blank line
      for (size_t at = end + 1; at < body.size(); ++rows) {
        size_t next = body.find('\n', at);
        if (next == std::string_view::npos) next = body.size();
        if (content(body.substr(at, next - at)).find_first_not_of(" \t\r") == std::string_view::npos) break;
        at = next + 1;
      }
      if (columns > k_max_table_columns || columns * columns * (rows + 1) > k_max_table_work) {
        if (!out) out = std::string(body);
        std::replace(out->begin() + static_cast<long>(pos), out->begin() + static_cast<long>(end), '-', ' ');
        diagnostics.add(path, SourceLoc{line, 0}, Severity::warning, "limit",
                        "a table of " + std::to_string(columns) + " columns and " + std::to_string(rows) + " rows is too large to lay out; it is shown as text",
                        "split the table (at most " + std::to_string(k_max_table_columns) + " columns), or move the data into a file");
      }
    }
    pos = end + 1;
    ++line;
  }
  return out;
}

}  // namespace opsbook::model
