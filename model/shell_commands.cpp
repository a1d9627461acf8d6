// Splitting shell snippets into commands and unwrapping simple commands, on the shell lexer.
#include "shell_commands.hpp"

#include <algorithm>

#include "safety_table.hpp"
#include "shell_lexer.hpp"

namespace opsbook::model {

std::vector<Command> split_shell_commands(std::string_view code, int first_line) {
  thread_local shell::Script s;
  shell::lex(code, s, shell::Placeholders::words);
  std::vector<Command> out;
  out.reserve(s.units().size());
  int line = first_line;
  size_t counted = 0;  // newlines before `counted` are in `line`
  auto advance = [&](size_t offset) {
    line += static_cast<int>(std::count(code.begin() + static_cast<long>(counted), code.begin() + static_cast<long>(offset), '\n'));
    counted = offset;
    return line;
  };
  for (const auto& u : s.units()) {
    std::string_view text = s.raw(u);
    while (!text.empty() && (text.back() == ' ' || text.back() == '\t' || text.back() == '\n' || text.back() == '\r')) text.remove_suffix(1);
    Command c;
    c.text = std::string(text);
    c.line = advance(u.begin);
    c.end_line = advance(u.begin + text.size());
    out.push_back(std::move(c));
  }
  return out;
}

std::vector<std::vector<std::string>> simple_commands(std::string_view text) {
  thread_local shell::Script s;
  shell::lex(text, s, shell::Placeholders::words);
  const SafetyTable& table = SafetyTable::builtin();
  std::vector<std::vector<std::string>> out;
  std::vector<std::string_view> words;
  for (const auto& c : s.commands()) {
    words.clear();
    auto args = s.args(c);
    for (size_t i = c.assignments; i < args.size(); ++i) words.push_back(s.text(s.words()[args[i]]));
    if (words.empty()) continue;
    size_t start = table.unwrap(words);
    out.emplace_back(words.begin() + static_cast<long>(start), words.end());
  }
  return out;
}

}  // namespace opsbook::model
