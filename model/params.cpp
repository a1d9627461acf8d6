// Parameter extraction. Shell variables assigned inside the snippet (FOO=..., export FOO=...,
// for FOO in, read FOO) are local, not something the reader supplies.
#include "params.hpp"

#include <algorithm>
#include <array>
#include <optional>
#include <set>
#include <string>

#include "shell_lexer.hpp"
#include "text.hpp"

namespace opsbook::model {

namespace {

bool is_placeholder_char(char c) { return is_ident_char(c) || c == '-' || c == '.'; }

// Shell's own and always-set variables: never something to fill in.
bool is_builtin_var(std::string_view name) {
  static constexpr std::array<std::string_view, 22> k_builtin = {
      "HOME", "PATH", "USER", "PWD", "OLDPWD", "SHELL", "HOSTNAME", "RANDOM", "UID", "EUID", "LANG",
      "TERM", "EDITOR", "LINENO", "SECONDS", "IFS", "PPID", "BASH_SOURCE", "LOGNAME", "TMPDIR", "PS1",
      "REPLY"};
  return std::find(k_builtin.begin(), k_builtin.end(), name) != k_builtin.end();
}

std::string_view name_before_equals(std::string_view word) {
  size_t end = 0;
  while (end < word.size() && is_ident_char(word[end])) ++end;
  return end > 0 && is_ident_start(word[0]) && (end == word.size() || word[end] == '=' || word[end] == '+' || word[end] == '[') ? word.substr(0, end) : std::string_view{};
}

// Variables the script sets itself: NAME=..., export/local/declare/readonly NAME, read NAME,
// for NAME in ...; PowerShell `$name = ...`.
std::set<std::string> assigned_names(const shell::Script& s) {
  std::set<std::string> names;
  for (const auto& w : s.words()) {
    if (w.role == shell::WordRole::assignment || (w.role == shell::WordRole::name && w.command < 0)) names.emplace(name_before_equals(s.text(w)));
  }
  for (const auto& c : s.commands()) {
    const shell::Word* name = s.name(c);
    if (name == nullptr) continue;
    std::string_view cmd = s.text(*name);
    bool declares = cmd == "export" || cmd == "local" || cmd == "declare" || cmd == "typeset" || cmd == "readonly" || cmd == "read";
    auto args = s.args(c);
    for (size_t i = c.assignments + 1; declares && i < args.size(); ++i) {
      std::string_view a = s.text(s.words()[args[i]]);
      if (!a.starts_with('-')) names.emplace(name_before_equals(a));
    }
    if (args.size() > c.assignments + 1 && cmd.starts_with('$') && s.text(s.words()[args[c.assignments + 1]]) == "=") names.emplace(cmd.substr(1));
  }
  names.erase("");
  return names;
}

// ${NAME}, ${NAME:-default}: the param, or an empty name for ${#x}, ${1}, ${@}...
Param braced(std::string_view text) {
  std::string_view inner = text.substr(2, text.size() - 3);
  size_t end = 0;
  while (end < inner.size() && is_ident_char(inner[end])) ++end;
  std::string_view rest = inner.substr(end);
  Param p{std::string(inner.substr(0, end)), ParamKind::env, std::string(text), 0, rest.starts_with(":-") || rest.starts_with("-") || rest.starts_with(":=")};
  if (p.name.empty() || !is_ident_start(p.name[0])) p.name.clear();
  return p;
}

// $NAME and ${NAME} where the shell expands them (not in '...', a <<'X' body or a comment), from
// the shell lexer; a script with an unclosed quote is read line by line, as people paste
// fragments.
void shell_variables(std::string_view code, std::set<std::string>& local, std::vector<std::pair<size_t, Param>>& found) {
  std::vector<std::pair<size_t, Param>> vars;
  thread_local shell::Script s;
  auto scan = [&](std::string_view text, size_t base) {
    shell::lex(text, s, shell::Placeholders::words);
    std::set<std::string> assigned = assigned_names(s);
    local.insert(assigned.begin(), assigned.end());
    for (const auto& span : s.spans()) {
      std::string_view t = text.substr(span.begin, span.end - span.begin);
      Param p;
      if (span.kind == shell::SpanKind::param && t.size() > 3 && t.back() == '}') p = braced(t);
      else if (span.kind == shell::SpanKind::variable && t.size() > 1 && is_ident_start(t[1])) p = Param{std::string(t.substr(1)), ParamKind::env, std::string(t), 0, false};
      if (!p.name.empty()) vars.emplace_back(base + span.begin, std::move(p));
    }
    return std::none_of(s.errors().begin(), s.errors().end(), [](const shell::LexError& e) {
      return e.kind == shell::ErrorKind::unterminated_single_quote || e.kind == shell::ErrorKind::unterminated_double_quote;
    });
  };
  if (!scan(code, 0)) {
    vars.clear();
    size_t base = 0;
    for (std::string_view line : split_lines(code)) {
      scan(line, base);
      base += line.size() + 1;
    }
  }
  for (auto& v : vars) {
    if (!local.count(v.second.name) && !is_builtin_var(v.second.name)) found.push_back(std::move(v));
  }
}


}  // namespace

void extract_params(std::string_view code, int first_line, SnippetKind kind, BracketPlaceholders brackets,
                    std::vector<Param>& out) {
  if (kind == SnippetKind::data || kind == SnippetKind::text || kind == SnippetKind::diagram || kind == SnippetKind::other ||
      kind == SnippetKind::query) return;
  std::vector<std::pair<size_t, Param>> found;  // by offset, ordered at the end
  std::set<std::string> local;
  if (kind == SnippetKind::shell) shell_variables(code, local, found);
  const size_t n = code.size();
  const int line = 0;  // filled from the offset below
  for (size_t i = 0; i < n; ++i) {
    char c = code[i];
    // <name>
    if (c == '<' && i + 2 < n && (i == 0 || code[i - 1] != '<') && is_ident_char(code[i + 1])) {
      size_t j = i + 1;
      while (j < n && (is_placeholder_char(code[j]) || (code[j] == ' ' && j + 1 < n && is_ident_char(code[j + 1]) && j - i < 40))) ++j;
      if (j < n && code[j] == '>' && j - i <= 64 && (j + 1 >= n || code[j + 1] != '>') && code[j - 1] != ' ') {
        std::string name(code.substr(i + 1, j - i - 1));
        found.emplace_back(i, Param{name, ParamKind::placeholder, "<" + name + ">", line, false});
        i = j;
        continue;
      }
    }
    // {{name}} / {{ name }}
    if (c == '{' && i + 1 < n && code[i + 1] == '{') {
      size_t close = code.substr(0, std::min(n, i + 65)).find("}}", i + 2);  // within 64 bytes: linear, whatever follows
      if (close != std::string_view::npos) {
        std::string_view inner = trim(code.substr(i + 2, close - i - 2));
        if (!inner.empty() && is_ident_start(inner[0]) && std::all_of(inner.begin(), inner.end(), is_placeholder_char)) {
          found.emplace_back(i, Param{std::string(inner), ParamKind::placeholder, std::string(code.substr(i, close + 2 - i)), line, false});
          i = close + 1;
          continue;
        }
      }
    }
    // [name] in inline commands: not [[, not a character class like [a-z].
    if (brackets == BracketPlaceholders::yes && c == '[' && (i == 0 || code[i - 1] != '[')) {
      size_t close = code.substr(0, std::min(n, i + 48)).find(']', i + 1);
      if (close != std::string_view::npos && close - i > 2 && (close + 1 >= n || code[close + 1] != ']')) {
        std::string_view inner = code.substr(i + 1, close - i - 1);
        bool ok = is_ident_start(inner[0]) && inner.size() > 2 &&
                  std::all_of(inner.begin(), inner.end(), [](char ch) { return is_ident_char(ch) || ch == '-'; }) &&
                  std::any_of(inner.begin(), inner.end(), [](char ch) { return ch >= 'a' && ch <= 'z'; }) &&
                  inner.find('-') != 1;
        if (ok) {
          found.emplace_back(i, Param{std::string(inner), ParamKind::placeholder, "[" + std::string(inner) + "]", line, false});
          i = close;
          continue;
        }
      }
    }
    // $NAME / ${NAME} / ${NAME:-default}; PowerShell: only $env:NAME.
    if (c == '$' && i + 1 < n && kind != SnippetKind::shell) {  // shell: the lexer's expansions
      if (kind == SnippetKind::sql || kind == SnippetKind::http) {
        if (code[i + 1] != '{') continue;  // $1 parameters and $$ quoting in SQL
      }
      if (kind == SnippetKind::powershell) {
        if (code.substr(i + 1, 4) == "env:" || code.substr(i + 1, 4) == "Env:") {
          size_t j = i + 5;
          while (j < n && is_ident_char(code[j])) ++j;
          std::string name(code.substr(i + 5, j - i - 5));
          if (!name.empty()) found.emplace_back(i, Param{name, ParamKind::env, std::string(code.substr(i, j - i)), line, false});
          i = j - 1;
        }
        continue;
      }
      if (code[i + 1] == '{') {
        size_t close = code.find('}', i + 2);
        if (close == std::string_view::npos) continue;
        std::string_view inner = code.substr(i + 2, close - i - 2);
        size_t end = 0;
        while (end < inner.size() && is_ident_char(inner[end])) ++end;
        std::string name(inner.substr(0, end));
        if (name.empty() || !is_ident_start(name[0])) continue;
        bool has_default = end < inner.size() && (inner.substr(end).starts_with(":-") || inner.substr(end).starts_with("-") ||
                                                  inner.substr(end).starts_with(":="));
        if (!local.count(name) && !is_builtin_var(name)) {
          found.emplace_back(i, Param{name, ParamKind::env, std::string(code.substr(i, close + 1 - i)), line, has_default});
        }
        i = close;
        continue;
      }
      if (is_ident_start(code[i + 1])) {
        size_t j = i + 1;
        while (j < n && is_ident_char(code[j])) ++j;
        std::string name(code.substr(i + 1, j - i - 1));
        if (!local.count(name) && !is_builtin_var(name)) found.emplace_back(i, Param{name, ParamKind::env, "$" + name, line, false});
        i = j - 1;
      }
    }
  }
  std::stable_sort(found.begin(), found.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  int at_line = first_line;
  size_t counted = 0;
  // The first of each name and kind: a set, not a scan of `out` per param (80,000 placeholders
  // took 15 s).
  std::set<std::pair<ParamKind, std::string>> seen;
  for (const auto& p : out) seen.emplace(p.kind, p.name);
  for (auto& [offset, p] : found) {
    at_line += static_cast<int>(std::count(code.begin() + static_cast<long>(counted), code.begin() + static_cast<long>(offset), '\n'));
    counted = offset;
    p.line = at_line;
    if (seen.emplace(p.kind, p.name).second) out.push_back(std::move(p));
  }
}

std::string param_default(std::string_view syntax) {
  if (!syntax.starts_with("${") || !syntax.ends_with("}")) return "";
  std::string_view inner = syntax.substr(2, syntax.size() - 3);
  size_t end = 0;
  while (end < inner.size() && is_ident_char(inner[end])) ++end;
  inner.remove_prefix(end);
  for (std::string_view op : {":-", ":=", "-", "="}) {
    if (inner.starts_with(op)) return std::string(inner.substr(op.size()));
  }
  return "";
}

Spellings::Spellings(const std::vector<std::string>& spellings) : m_spellings(spellings) {
  for (size_t k = 0; k < spellings.size(); ++k) {
    if (!spellings[k].empty()) m_order.push_back(k);
  }
  // By text, equal ones by index: a prefix sorts before its extensions.
  std::stable_sort(m_order.begin(), m_order.end(), [&](size_t a, size_t b) { return spellings[a] < spellings[b]; });
}

// The spellings that share the text read so far form one range of m_order, narrowed byte by byte
// (a walk down a trie): a start costs the length of its longest partial match times log(count),
// whatever the number of spellings (80,000 placeholders in one script were 80,000 compares a byte).
std::optional<SpellingAt> Spellings::longest_at(std::string_view code, size_t i) const {
  const auto& text = m_spellings;
  auto lo = m_order.begin(), hi = m_order.end();
  std::optional<SpellingAt> best;
  for (size_t d = 0; lo < hi; ++d) {
    if (text[*lo].size() == d) best = SpellingAt{i, i + d, *lo++};  // the first equal one: the lowest index
    while (lo < hi && text[*lo].size() == d) ++lo;                    // its duplicates
    if (i + d >= code.size()) break;
    auto byte = [&](size_t k) { return static_cast<unsigned char>(text[k][d]); };  // as std::string orders them
    auto c = static_cast<unsigned char>(code[i + d]);
    lo = std::partition_point(lo, hi, [&](size_t k) { return byte(k) < c; });
    hi = std::partition_point(lo, hi, [&](size_t k) { return byte(k) == c; });
  }
  return best;
}

std::vector<SpellingAt> Spellings::find(std::string_view code) const {
  std::vector<SpellingAt> out;
  if (m_order.empty()) return out;
  for (size_t i = 0; i < code.size();) {
    auto hit = longest_at(code, i);
    if (!hit) {
      ++i;
      continue;
    }
    out.push_back(*hit);
    i = hit->end;
  }
  return out;
}

std::vector<SpellingAt> find_spellings(std::string_view code, const std::vector<std::string>& spellings) {
  return Spellings(spellings).find(code);
}

bool is_secret_name(std::string_view name) {
  std::string n = model::to_lower(name);
  for (std::string_view w : {"pass", "secret", "token", "key", "credential", "dsn", "auth", "cookie", "session"}) {
    if (n.find(w) != std::string::npos) return true;
  }
  return false;
}

}  // namespace opsbook::model
