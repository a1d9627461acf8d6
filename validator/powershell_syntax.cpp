// The powershell-syntax rule: a scan for unclosed quotes, here-strings and brackets.
#include "validator/powershell_syntax.hpp"

#include <algorithm>
#include <utility>
#include <vector>

#include "validator/finding_sink.hpp"

namespace opsbook::validator {

void check_powershell(FindingSink& sink, const model::Snippet& s) {
  std::vector<std::pair<char, int>> stack;
  int line = s.code_line;
  const std::string& c = s.code;
  for (size_t i = 0; i < c.size(); ++i) {
    char ch = c[i];
    if (ch == '\n') {
      ++line;
      continue;
    }
    if (ch == '#' && (i == 0 || c[i - 1] == ' ' || c[i - 1] == '\n')) {
      while (i < c.size() && c[i] != '\n') ++i;
      --i;
      continue;
    }
    if (ch == '@' && i + 1 < c.size() && (c[i + 1] == '"' || c[i + 1] == '\'')) {  // here-string
      std::string close = std::string("\n") + c[i + 1] + "@";
      size_t end = c.find(close, i + 2);
      if (end == std::string::npos) {
        sink.add("powershell-syntax", line, 0, "here-string is never closed", "end it with " + close.substr(1) + " at the start of a line", s.id);
        return;
      }
      line += static_cast<int>(std::count(c.begin() + static_cast<long>(i), c.begin() + static_cast<long>(end) + 2, '\n'));
      i = end + 2;
      continue;
    }
    if (ch == '"' || ch == '\'') {
      size_t j = i + 1;
      while (j < c.size() && c[j] != ch && c[j] != '\n') {
        if (ch == '"' && c[j] == '`') ++j;  // backtick escape
        ++j;
      }
      if (j >= c.size() || c[j] != ch) {
        sink.add("powershell-syntax", line, 0, std::string("unterminated ") + (ch == '"' ? "double" : "single") + "-quoted string", "close the quote", s.id);
        return;
      }
      i = j;
      continue;
    }
    if (ch == '{' || ch == '(' || ch == '[') stack.emplace_back(ch, line);
    if (ch == '}' || ch == ')' || ch == ']') {
      char open = ch == '}' ? '{' : ch == ')' ? '(' : '[';
      if (stack.empty() || stack.back().first != open) {
        sink.add("powershell-syntax", line, 0, std::string("unmatched '") + ch + "'", "balance the brackets", s.id);
        return;
      }
      stack.pop_back();
    }
  }
  if (!stack.empty()) {
    sink.add("powershell-syntax", stack.back().second, 0, std::string("'") + stack.back().first + "' is never closed", "balance the brackets", s.id);
  }
}

}  // namespace opsbook::validator
