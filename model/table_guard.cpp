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
  if (text.find_first_not_of("|-: \t\r\v\f") != std::string_view::npos) return 0;  // cmark-gfm's spacechar has \v and \f
  size_t columns = 0;
  bool dashes = false;
  for (char c : text) {
    if (c == '-') dashes = true;
    if (c == '|' && dashes) ++columns, dashes = false;
  }
  return columns + (dashes ? 1 : 0);
}

// Cells of a table row, from above: its `|` (escaped ones too) split it, an outer pipe opens or
// closes it.
size_t cells_of(std::string_view row) {
  size_t end = row.find_last_not_of(" \t\r");
  if (end == std::string_view::npos) return 0;
  row = row.substr(0, end + 1);
  auto pipes = static_cast<size_t>(std::count(row.begin(), row.end(), '|'));
  size_t outer = (row.front() == '|' ? 1 : 0) + (row.size() > 1 && row.back() == '|' ? 1 : 0);
  return pipes + 1 > outer ? pipes + 1 - outer : 1;
}

}  // namespace

std::optional<std::string> tame_huge_tables(std::string_view body, int first_line, const std::string& path, Diagnostics& diagnostics) {
  std::optional<std::string> out;
  bool in_fence = false;
  size_t pos = 0;
  size_t header_cells = 0;  // in the lines before this one up to a blank line: the header row's cells, or more
  int line = first_line;
  while (pos < body.size()) {
    size_t end = body.find('\n', pos);
    if (end == std::string_view::npos) end = body.size();
    std::string_view text = content(body.substr(pos, end - pos));
    if (is_fence(text)) in_fence = !in_fence;
    size_t columns = in_fence ? 0 : delimiter_columns(text);
    if (columns > 1) {
      // cmark-gfm splits every row into cells, also the cells past the header's width, at a cost
      // that grows with their square: a row of 50,000 `|` took 30 s.
      size_t widest = std::max(columns, header_cells);
      uint64_t work = uint64_t{widest} * widest;
      size_t rows = 0;  // the rows after the delimiter, up to a blank line or a code fence
      size_t at = end + 1;
      for (; at < body.size(); ++rows) {
        size_t next = body.find('\n', at);
        if (next == std::string_view::npos) next = body.size();
        std::string_view row = content(body.substr(at, next - at));
        if (row.find_first_not_of(" \t\r") == std::string_view::npos || is_fence(row)) break;
        size_t cells = std::max(columns, cells_of(row));
        widest = std::max(widest, cells);
        work += uint64_t{cells} * cells;
        at = next + 1;
      }
      if (columns > k_max_table_columns || work > k_max_table_work) {
        if (!out) out = std::string(body);
        std::replace(out->begin() + static_cast<long>(pos), out->begin() + static_cast<long>(end), '-', ' ');
        std::string shape = std::to_string(columns) + " columns and " + std::to_string(rows) + " rows";
        if (widest > columns) shape = std::to_string(columns) + " columns, " + std::to_string(rows) + " rows and a row of " + std::to_string(widest) + " cells";
        diagnostics.add(path, SourceLoc{line, 0}, Severity::warning, "limit", "a table of " + shape + " is too large to lay out; it is shown as text",
                        "split the table (at most " + std::to_string(k_max_table_columns) + " columns), or move the data into a file");
      }
      // Its rows are read: on after the table (a row like |-|-| starts no table of its own).
      line += static_cast<int>(rows) + 1;
      pos = std::min(at, body.size());
      header_cells = 0;
      continue;
    }
    header_cells = text.find_first_not_of(" \t\r") == std::string_view::npos ? 0 : header_cells + cells_of(text);
    pos = end + 1;
    ++line;
  }
  return out;
}

}  // namespace opsbook::model
