// Sizes the table every GFM delimiter row (`|---|:--:|`) could open and blanks the dashes of those
// past the bounds. Code fences are not tracked: a fence the guard read differently from cmark-gfm
// (an info string with a backtick, 4 spaces of indentation, a fence in a list item) let a huge
// table through (s6 hostile review B2: 20.9 s). Every delimiter row is sized as if it opened a
// table, in one pass over the lines and one back. And cmark-gfm reads the whole paragraph above
// each delimiter row again for its header: a paragraph of 20,000 short lines like `-|` and `-|-|`
// (80 KB) took 18 s; those reads have one budget per runbook.
#include "table_guard.hpp"

#include <algorithm>
#include <vector>

namespace opsbook::model {

namespace {

// The line without its container prefixes (indentation, `>` of block quotes).
std::string_view content(std::string_view line) {
  size_t i = 0;
  while (i < line.size() && (line[i] == ' ' || line[i] == '\t' || line[i] == '>')) ++i;
  return line.substr(i);
}

// Columns of a delimiter row (`|---|:-:|`, `--- | ---`, `|-|`), 0 when the line is not one.
size_t delimiter_columns(std::string_view text) {
  if (text.find('-') == std::string_view::npos || text.find('|') == std::string_view::npos) return 0;
  if (text.find_first_not_of("|-: \t\v\f") != std::string_view::npos) return 0;  // cmark-gfm's spacechar has \v and \f
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
  size_t end = row.find_last_not_of(" \t");
  if (end == std::string_view::npos) return 0;
  row = row.substr(0, end + 1);
  auto pipes = static_cast<size_t>(std::count(row.begin(), row.end(), '|'));
  size_t outer = (row.front() == '|' ? 1 : 0) + (row.size() > 1 && row.back() == '|' ? 1 : 0);
  return pipes + 1 > outer ? pipes + 1 - outer : 1;
}

struct Line {
  size_t begin = 0;
  size_t end = 0;  // before its line ending
  int number = 0;  // counted in '\n', as every diagnostic
  size_t cells = 0;  // 0: blank
  size_t columns = 0;  // as a delimiter row
  uint64_t read = 0;  // what reading it as a header row costs: its bytes and cells squared
};

// The lines of `body`, ended by \n, \r\n or \r as in CommonMark (a file of bare \r is many lines
// to cmark-gfm).
std::vector<Line> lines_of(std::string_view body, int first_line) {
  std::vector<Line> lines;
  int number = first_line;
  size_t pos = 0;
  while (pos < body.size()) {
    size_t end = body.find_first_of("\r\n", pos);
    if (end == std::string_view::npos) end = body.size();
    std::string_view text = content(body.substr(pos, end - pos));
    size_t cells = cells_of(text);
    lines.push_back(Line{pos, end, number, cells, delimiter_columns(text), uint64_t{text.size()} + uint64_t{cells} * cells});
    if (end < body.size() && body[end] == '\r' && end + 1 < body.size() && body[end + 1] == '\n') ++end;
    if (end < body.size() && body[end] == '\n') ++number;
    pos = end + 1;
  }
  return lines;
}

// From each line to the next blank line: the rows, the sum of their cells squared, the widest.
struct Rest {
  uint64_t rows = 0;
  uint64_t squares = 0;
  size_t widest = 0;
};

std::vector<Rest> rests_of(const std::vector<Line>& lines) {
  std::vector<Rest> rests(lines.size() + 1);
  for (size_t i = lines.size(); i-- > 0;) {
    if (lines[i].cells == 0) continue;
    const Rest& next = rests[i + 1];
    uint64_t cells = lines[i].cells;
    rests[i] = Rest{next.rows + 1, std::min(next.squares + cells * cells, uint64_t{1} << 62), std::max(next.widest, lines[i].cells)};
  }
  return rests;
}

}  // namespace

namespace {

// Blanks the dashes of line `i`: a paragraph line of the same length.
void blank(std::optional<std::string>& out, std::string_view body, const Line& line) {
  if (!out) out = std::string(body);
  std::replace(out->begin() + static_cast<long>(line.begin), out->begin() + static_cast<long>(line.end), '-', ' ');
}

void warn_table(const std::string& path, const Line& line, const Rest& rest, size_t widest, Diagnostics& diagnostics) {
  std::string shape = std::to_string(line.columns) + " columns and " + std::to_string(rest.rows) + " rows";
  if (widest > line.columns) shape = std::to_string(line.columns) + " columns, " + std::to_string(rest.rows) + " rows and a row of " + std::to_string(widest) + " cells";
  diagnostics.add(path, SourceLoc{line.number, 0}, Severity::warning, "limit", "a table of " + shape + " is too large to lay out; it is shown as text",
                  "split the table (at most " + std::to_string(k_max_table_columns) +
                      " columns), or move the data into a file (a row like this one in a code block is sized as a table too: its dashes are shown as spaces)");
}

}  // namespace

std::optional<std::string> tame_huge_tables(std::string_view body, int first_line, const std::string& path, Diagnostics& diagnostics) {
  std::optional<std::string> out;
  std::vector<Line> lines = lines_of(body, first_line);
  std::vector<Rest> rests = rests_of(lines);
  uint64_t above = 0;  // reading the lines above this one up to a blank line, as cmark-gfm reads a header
  uint64_t headers = 0;  // the header reads of the delimiter rows left as they are
  size_t over_budget = lines.size(), after_it = 0;  // the first row past the header budget, and the rows after it
  for (size_t i = 0; i < lines.size(); ++i) {
    const Line& line = lines[i];
    size_t columns = line.columns;
    if (columns > 0) {
      // cmark-gfm splits the header and every row into cells, also the cells past the header's
      // width, at a cost that grows with their square (a row of 50,000 `|` took 30 s), and pads
      // each row to the header's width. A row after the delimiter costs at most columns² + cells².
      size_t header = i > 0 ? lines[i - 1].cells : 0;
      const Rest& rest = rests[i + 1];
      size_t widest = std::max({columns, header, rest.widest});
      uint64_t head = above + uint64_t{columns} * columns;
      uint64_t work = head + rest.rows * columns * columns + rest.squares;
      if (columns > k_max_table_columns || work > k_max_table_work) {
        blank(out, body, line);
        warn_table(path, line, rest, widest, diagnostics);
      } else if (headers + head > k_max_header_work) {
        blank(out, body, line);
        if (over_budget == lines.size()) over_budget = i;
        else ++after_it;
      } else {
        headers += head;
      }
    }
    above = line.cells == 0 ? 0 : std::min(above + line.read, uint64_t{1} << 62);
  }
  if (over_budget < lines.size()) {
    std::string which = after_it == 0 ? "this delimiter row is" : "this delimiter row and the " + std::to_string(after_it) + " after it are";
    diagnostics.add(path, SourceLoc{lines[over_budget].number, 0}, Severity::warning, "limit",
                    which + " shown as text: the markdown parser reads the whole paragraph above each one again, over " +
                        std::to_string(k_max_header_work) + " steps in this runbook",
                    "put a blank line before each table, and fewer lines like |-|-| in one paragraph");
  }
  return out;
}

}  // namespace opsbook::model
