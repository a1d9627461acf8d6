// Diagnostics: bad input is data. Every stage appends to a Diagnostics sink and goes on,
// so one run reports every problem; render() prints them like a compiler does.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace opsbook::model {

enum class Severity { info, warning, error };

std::string_view to_string(Severity severity);
// Parses "info" / "warning" / "error"; returns false for anything else.
bool parse_severity(std::string_view text, Severity& out);

struct SourceLoc {
  int line = 0;  // 1-based line of the markdown file; 0 = whole file
  int col = 0;   // 1-based byte column; 0 = unknown
};

struct Diagnostic {
  std::string file;
  SourceLoc loc;
  Severity severity = Severity::error;
  std::string rule;
  std::string message;
  std::string hint;
};

class Diagnostics {
 public:
  void add(Diagnostic diagnostic) { m_items.push_back(std::move(diagnostic)); }
  void add(std::string file, SourceLoc loc, Severity severity, std::string rule,
           std::string message, std::string hint = {});
  void append(const Diagnostics& other);

  [[nodiscard]] const std::vector<Diagnostic>& items() const { return m_items; }
  [[nodiscard]] bool empty() const { return m_items.empty(); }
  [[nodiscard]] size_t count(Severity at_least) const;
  [[nodiscard]] bool has_errors() const { return count(Severity::error) > 0; }

 private:
  std::vector<Diagnostic> m_items;
};

// Returns the text of 1-based line `line` of `source` (without its newline); empty if absent.
std::string_view source_line(std::string_view source, int line);

// The source line under a message, with a caret under the column: " 12 | text\n    |   ^\n".
// A line longer than 160 bytes is cut to a window around the column, marked with "...".
std::string render_excerpt(int line, int col, std::string_view text);

// Compiler-style rendering: "file:line:col: severity[rule]: message", then the source line
// with a caret under the column, then "  hint: ...". `source` may be empty.
std::string render(const Diagnostic& diagnostic, std::string_view source);
// Every diagnostic at or above `at_least`, rendered with one line index of `source`.
std::string render(const Diagnostics& diagnostics, std::string_view source, Severity at_least);

}  // namespace opsbook::model
