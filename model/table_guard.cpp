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
  size_t next = 0;  // where the next line starts
  int number = 0;  // counted in '\n', as every diagnostic
  size_t cells = 0;  // 0: blank
  size_t columns = 0;  // as a delimiter row
  uint64_t read = 0;  // what reading it as a header row costs: its bytes and cells squared
};

// The line at `pos` (numbered `number`), ended by \n, \r\n or \r as in CommonMark (a file of bare
// \r is many lines to cmark-gfm). Nothing is kept per line: a file of 16 MiB of line breaks is
// 16 million lines.
Line line_at(std::string_view body, size_t pos, int number) {
  size_t end = body.find_first_of("\r\n", pos);
  if (end == std::string_view::npos) end = body.size();
  std::string_view text = content(body.substr(pos, end - pos));
  size_t cells = cells_of(text);
  size_t next = end;
  if (next < body.size() && body[next] == '\r' && next + 1 < body.size() && body[next + 1] == '\n') ++next;
  return Line{pos, end, next + 1, number, cells, delimiter_columns(text), uint64_t{text.size()} + uint64_t{cells} * cells};
}

int number_after(std::string_view body, const Line& line) { return line.number + (line.next - 1 < body.size() && body[line.next - 1] == '\n' ? 1 : 0); }

uint64_t capped_add(uint64_t a, uint64_t b) { return std::min(a + b, uint64_t{1} << 62); }

// Blanks the dashes of `line`: a paragraph line of the same length.
void blank(std::optional<std::string>& out, std::string_view body, const Line& line) {
  if (!out) out = std::string(body);
  std::replace(out->begin() + static_cast<long>(line.begin), out->begin() + static_cast<long>(line.end), '-', ' ');
}

// The widest row from `pos` to the next blank line.
size_t widest_from(std::string_view body, size_t pos) {
  size_t widest = 0;
  for (Line l; pos < body.size(); pos = l.next) {
    l = line_at(body, pos, 0);
    if (l.cells == 0) break;
    widest = std::max(widest, l.cells);
  }
  return widest;
}

// The first table of a block past the bounds: its delimiter row, shape, and the delimiter rows
// after it up to the blank line (each would be sized again with the same rows: shown as text too).
struct TooLarge {
  Line line;
  uint64_t rows = 0;
  size_t widest = 0;
  size_t more = 0;
};

void warn_table(const std::string& path, const TooLarge& t, Diagnostics& diagnostics) {
  size_t columns = t.line.columns;
  std::string shape = std::to_string(columns) + " columns and " + std::to_string(t.rows) + " rows";
  if (t.widest > columns) shape = std::to_string(columns) + " columns, " + std::to_string(t.rows) + " rows and a row of " + std::to_string(t.widest) + " cells";
  std::string more = t.more == 0   ? ""
                     : t.more == 1 ? " (and the delimiter row after it up to the next blank line)"
                                   : " (and the " + std::to_string(t.more) + " delimiter rows after it up to the next blank line)";
  diagnostics.add(path, SourceLoc{t.line.number, 0}, Severity::warning, "limit", "a table of " + shape + " is too large to lay out; it is shown as text" + more,
                  "split the table (at most " + std::to_string(k_max_table_columns) +
                      " columns), or move the data into a file (a row like this one in a code block is sized as a table too: its dashes are shown as spaces)");
}

// The header re-reads past the runbook's budget: the first delimiter row, and the ones after it.
struct OverBudget {
  Line line;
  size_t more = 0;
  bool any = false;
};

void warn_budget(const std::string& path, const OverBudget& o, Diagnostics& diagnostics) {
  std::string which = o.more == 0 ? "this delimiter row is" : "this delimiter row and the " + std::to_string(o.more) + " after it are";
  diagnostics.add(path, SourceLoc{o.line.number, 0}, Severity::warning, "limit",
                  which + " shown as text: the markdown parser reads the whole paragraph above each one again, over " + std::to_string(k_max_header_work) +
                      " steps in this runbook",
                  "put a blank line before each table, and fewer lines like |-|-| in one paragraph");
}

}  // namespace

std::optional<std::string> tame_huge_tables(std::string_view body, int first_line, const std::string& path, Diagnostics& diagnostics) {
  std::optional<std::string> out;
  uint64_t headers = 0;  // the header re-reads of the delimiter rows left as they are
  OverBudget over;
  size_t pos = 0;
  int number = first_line;
  while (pos < body.size()) {
    // A block: the lines up to a blank one. First its totals, then each delimiter row in it, with
    // the rows after it as the totals less those up to it.
    uint64_t total_rows = 0, total_squares = 0;
    size_t stop = pos;
    for (Line l; stop < body.size(); stop = l.next) {
      l = line_at(body, stop, 0);
      if (l.cells == 0) break;
      ++total_rows;
      total_squares = capped_add(total_squares, uint64_t{l.cells} * l.cells);
    }
    uint64_t rows_to = 0, squares_to = 0;
    uint64_t above = 0;  // reading the block's lines above this one, as cmark-gfm reads a header
    size_t header = 0;  // the cells of the line above
    std::optional<TooLarge> too_large;
    while (pos < stop) {
      Line line = line_at(body, pos, number);
      ++rows_to;
      squares_to = capped_add(squares_to, uint64_t{line.cells} * line.cells);
      size_t columns = line.columns;
      if (columns > 0 && too_large) {
        blank(out, body, line);
        ++too_large->more;
      } else if (columns > 0) {
        // cmark-gfm splits the header and every row into cells, also the cells past the header's
        // width, at a cost that grows with their square (a row of 50,000 `|` took 30 s), and pads
        // each row to the header's width. A row after the delimiter costs at most columns² + cells².
        uint64_t rows = total_rows - rows_to;
        uint64_t head = above + uint64_t{columns} * columns;
        uint64_t work = head + rows * columns * columns + (total_squares - squares_to);
        if (columns > k_max_table_columns || work > k_max_table_work) {
          blank(out, body, line);
          too_large = TooLarge{line, rows, std::max({columns, header, widest_from(body, line.next)}), 0};
        } else if (headers + head > k_max_header_work) {
          blank(out, body, line);
          if (over.any) ++over.more;
          else over = OverBudget{line, 0, true};
        } else {
          headers += head;
        }
      }
      above = capped_add(above, line.read);
      header = line.cells;
      number = number_after(body, line);
      pos = line.next;
    }
    if (too_large) warn_table(path, *too_large, diagnostics);
    // The blank lines after the block.
    while (pos < body.size()) {
      Line line = line_at(body, pos, number);
      if (line.cells != 0) break;
      number = number_after(body, line);
      pos = line.next;
    }
  }
  if (over.any) warn_budget(path, over, diagnostics);
  return out;
}

}  // namespace opsbook::model
