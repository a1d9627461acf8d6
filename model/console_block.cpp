// Ruby console input without prompts (see console_block.hpp). A statement goes on while a
// bracket, a string or a `do`/`def`/`if`... block is open, after a line ending with an operator or
// a comma, and before a line starting with `.` (a chained call).
#include "console_block.hpp"

#include <algorithm>
#include <array>
#include <string>

#include "text.hpp"

namespace opsbook::model {

namespace {

bool is_upper(char c) { return c >= 'A' && c <= 'Z'; }
bool is_lower_start(char c) { return (c >= 'a' && c <= 'z') || c == '_'; }

// Nesting a Ruby line opens (positive) or closes: brackets, `do`, `end`, and the keywords that
// open a block at the start of a statement. Strings and comments are skipped.
struct LineDepth {
  int delta = 0;
  bool open_string = false;
};

bool opens_at_start(std::string_view word) {
  static constexpr std::array<std::string_view, 10> k_openers = {"def", "class", "module", "begin", "case", "if", "unless", "while", "until", "for"};
  return std::find(k_openers.begin(), k_openers.end(), word) != k_openers.end();
}

// `quote` is the open string's quote when the line starts inside one (0 when none); it is
// updated to the quote still open at the end of the line.
int line_delta(std::string_view line, char& quote) {
  int delta = 0;
  bool statement_start = true;  // only blanks, '=' or '(' since the start or the last ';'
  size_t i = 0;
  while (i < line.size()) {
    char c = line[i];
    if (quote != 0) {
      if (c == '\\') i += 2;
      else if (c == quote) quote = 0, ++i;
      else ++i;
      continue;
    }
    if (c == '\'' || c == '"' || c == '`') {
      quote = c;
      ++i;
      statement_start = false;
      continue;
    }
    if (c == '#') break;  // a comment (interpolation lives only inside strings)
    if (c == '(' || c == '[' || c == '{') ++delta;
    if (c == ')' || c == ']' || c == '}') --delta;
    if (is_lower_start(c) && (i == 0 || (!is_ident_char(line[i - 1]) && line[i - 1] != '.' && line[i - 1] != ':'))) {
      size_t end = i;
      while (end < line.size() && (is_ident_char(line[end]) || line[end] == '?' || line[end] == '!')) ++end;
      std::string_view word = line.substr(i, end - i);
      bool key = end < line.size() && line[end] == ':' && (end + 1 >= line.size() || line[end + 1] != ':');  // `if:` a hash key
      if (!key) {
        if (word == "do") ++delta;
        else if (word == "end") --delta;
        else if (statement_start && opens_at_start(word)) ++delta;
      }
      statement_start = false;
      i = end;
      continue;
    }
    if (c == ';' || c == '=' || c == '(') statement_start = true;
    else if (c != ' ' && c != '\t') statement_start = false;
    ++i;
  }
  return delta;
}

// A line after which the statement must go on: an operator, a comma, a backslash at its end.
bool ends_open(std::string_view t) {
  if (t.empty()) return false;
  static constexpr std::array<std::string_view, 8> k_tails = {",", "\\", ".", "||", "&&", "+", "=", "->"};
  return std::any_of(k_tails.begin(), k_tails.end(), [&](std::string_view tail) { return t.ends_with(tail) && !t.ends_with("=>") && !t.ends_with("==") && !t.ends_with("..."); });
}

// "=> true", "#=> 42", "...": what the console printed, or an elision.
bool is_output_line(std::string_view t) { return t.starts_with("=>") || t.starts_with("#=>") || t == "..." || t == "\xE2\x80\xA6"; }

// A leading "> " some authors keep from the console's prompt.
std::string_view without_prompt(std::string_view t) {
  if (t.starts_with("> ")) return trim(t.substr(2));
  return t;
}

std::string_view first_word(std::string_view t) {
  size_t end = 0;
  while (end < t.size() && (is_ident_char(t[end]) || t[end] == '?' || t[end] == '!')) ++end;
  return t.substr(0, end);
}

// `User.find_by(...)`, `Gitlab::CryptoHelper.sha256 'x'`, `Flipper[:x].enabled?`.
bool starts_with_constant_call(std::string_view t) {
  if (t.empty() || !is_upper(t[0])) return false;
  size_t i = 0;
  for (;;) {
    while (i < t.size() && is_ident_char(t[i])) ++i;
    if (t.substr(i).starts_with("::") && i + 2 < t.size() && is_upper(t[i + 2])) {
      i += 2;
      continue;
    }
    break;
  }
  return i < t.size() && (t[i] == '.' || t[i] == '[');
}

enum class Shape { console, file, unknown };

// What a statement's first line says about the block.
Shape statement_shape(std::string_view t) {
  if (starts_with_constant_call(t) || t.starts_with("%w[") || t.starts_with("%i[")) return Shape::console;
  std::string_view word = first_word(t);
  if (word.empty() || !is_lower_start(word[0])) return Shape::unknown;
  static constexpr std::array<std::string_view, 7> k_typed = {"puts", "pp", "p", "exit", "quit", "reload!", "y"};
  static constexpr std::array<std::string_view, 9> k_file = {"def", "class", "module", "require", "require_relative", "include", "extend", "describe", "it"};
  if (std::find(k_file.begin(), k_file.end(), word) != k_file.end()) return Shape::file;
  std::string_view rest = t.substr(word.size());
  if (std::find(k_typed.begin(), k_typed.end(), word) != k_typed.end() && (rest.empty() || rest[0] == ' ' || rest[0] == '(')) return Shape::console;
  // `u.path`, `project.owner.block!`, `ds.each do |entry|`: a call on a variable of the session.
  if ((rest.starts_with('.') && rest.size() > 1 && is_lower_start(rest[1])) || rest.starts_with("&.")) return Shape::console;
  std::string_view after = trim(rest);
  // `u = Upload.find(1)`, `project_id = 1000`: an assignment (not `==`, `=~`, `=>`).
  if (after.starts_with('=') && !after.starts_with("==") && !after.starts_with("=~") && !after.starts_with("=>")) return Shape::console;
  // `template '/etc/x' do`, `node['x']`, `run_list *%w[`: a recipe or a configuration. A call
  // (`git_data_dirs({`, `reindex('x')`) says neither.
  if (rest.starts_with('[') || after.starts_with('\'') || after.starts_with('"') || after.starts_with(':') || after.starts_with('*')) return Shape::file;
  return Shape::unknown;
}

// "In `gitlab.rb` add this section", "add similar code to `.../log_query.rb`": a file to write.
bool names_ruby_file(std::string_view text) {
  for (size_t at = text.find(".rb"); at != std::string_view::npos; at = text.find(".rb", at + 3)) {
    if (at + 3 >= text.size() || !is_ident_char(text[at + 3])) return true;
  }
  return false;
}

struct Statement {
  size_t first = 0;
  size_t last = 0;
  std::string text;
};

std::vector<Statement> split_statements(const std::vector<std::string_view>& lines) {
  std::vector<Statement> out;
  int depth = 0;
  char quote = 0;
  bool open = false;
  for (size_t i = 0; i < lines.size(); ++i) {
    std::string_view t = trim(lines[i]);
    if (!open) {
      t = without_prompt(t);
      if (t.empty() || t[0] == '#' || is_output_line(t)) continue;
      if ((t == "end" || t == "}") && !out.empty()) {  // one `end` too many: it closes what came before
        out.back().text += '\n';
        out.back().text.append(t);
        out.back().last = i;
        continue;
      }
      out.push_back(Statement{i, i, std::string(t)});
      depth = 0;
      quote = 0;
      open = true;
    } else {
      out.back().text += '\n';
      out.back().text.append(quote != 0 ? lines[i] : t);
      out.back().last = i;
    }
    depth += line_delta(t, quote);
    size_t next = i + 1;
    while (next < lines.size() && trim(lines[next]).empty()) ++next;
    bool chained = next < lines.size() && (trim(lines[next]).starts_with('.') || trim(lines[next]).starts_with("&.")) &&
                   !is_output_line(trim(lines[next]));
    std::string_view code = t.substr(0, t.find(" #"));
    open = next < lines.size() && (depth > 0 || quote != 0 || ends_open(trim(code)) || chained);
  }
  return out;
}

}  // namespace

bool names_ruby_console(std::string_view text) {
  for (std::string_view name : {"rails console", "rails-console", "rails c ", "rails c`", "irb", "ruby console", "pry session", "console --sandbox"}) {
    if (icontains(text, name)) return true;
  }
  return false;
}

bool reads_as_ruby_console(std::string_view code, const BlockContext& around) {
  if (names_ruby_file(around.lead_in)) return false;
  std::vector<std::string_view> lines = split_lines(code);
  for (std::string_view l : lines) {
    if (trim(l).starts_with("#!")) return false;  // a script file
  }
  std::vector<Statement> statements = split_statements(lines);
  if (statements.empty()) return false;
  bool console_named = names_ruby_console(around.lead_in) || names_ruby_console(around.topic);
  // A console lets one define a helper (`def x ... end`) but not write a recipe or a config file.
  bool helper = first_word(statements.front().text) == "def";
  if (console_named && (helper || statement_shape(statements.front().text) == Shape::console)) {
    return std::none_of(statements.begin(), statements.end(), [](const Statement& s) { return statement_shape(s.text) == Shape::file && first_word(s.text) != "def"; });
  }
  return std::all_of(statements.begin(), statements.end(), [](const Statement& s) { return statement_shape(s.text) == Shape::console; });
}

std::vector<Command> ruby_statements(std::string_view code, int code_line) {
  std::vector<Command> out;
  for (Statement& s : split_statements(split_lines(code))) {
    Command c;
    c.text = std::move(s.text);
    c.line = code_line + static_cast<int>(s.first);
    c.end_line = code_line + static_cast<int>(s.last);
    c.lang = CommandLang::ruby;
    out.push_back(std::move(c));
  }
  return out;
}

bool is_ruby_console_call(std::string_view span) {
  std::string_view t = trim(span);
  if (!starts_with_constant_call(t) || t.find('/') != std::string_view::npos || (t.find(' ') != std::string_view::npos && t.find('(') == std::string_view::npos)) return false;
  // A call: parentheses, a `!`/`?` method, or a chain of two calls (`Rails.cache.clear`).
  return t.find('(') != std::string_view::npos || t.ends_with('!') || t.ends_with('?') || std::count(t.begin(), t.end(), '.') >= 2;
}

}  // namespace opsbook::model
