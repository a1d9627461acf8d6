// Parameter extraction. Shell variables assigned inside the snippet (FOO=..., export FOO=...,
// for FOO in, read FOO) are local, not something the reader supplies.
#include "params.hpp"

#include <algorithm>
#include <array>
#include <set>
#include <string>

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

std::set<std::string> assigned_names(std::string_view code) {
  std::set<std::string> names;
  for (std::string_view line : split_lines(code)) {
    std::string_view t = trim(line);
    for (std::string_view prefix : {"export ", "local ", "readonly ", "declare ", "set "}) {
      if (t.starts_with(prefix)) t = trim(t.substr(prefix.size()));
    }
    if (t.starts_with("for ")) {
      std::string_view rest = trim(t.substr(4));
      size_t end = 0;
      while (end < rest.size() && is_ident_char(rest[end])) ++end;
      names.emplace(rest.substr(0, end));
      continue;
    }
    if (t.starts_with("read ")) {
      std::string_view rest = t.substr(5);
      size_t pos = 0;
      while (pos < rest.size()) {
        while (pos < rest.size() && rest[pos] == ' ') ++pos;
        size_t start = pos;
        while (pos < rest.size() && rest[pos] != ' ') ++pos;
        std::string_view w = rest.substr(start, pos - start);
        if (!w.empty() && w[0] != '-' && is_ident_start(w[0])) names.emplace(w);
      }
      continue;
    }
    // NAME=value (possibly several, before a command); also PowerShell "$name =".
    size_t pos = 0;
    while (pos < t.size() && is_ident_start(t[pos])) {
      size_t end = pos;
      while (end < t.size() && is_ident_char(t[end])) ++end;
      if (end < t.size() && t[end] == '=') {
        names.emplace(t.substr(pos, end - pos));
        size_t sp = t.find(' ', end);
        if (sp == std::string_view::npos) break;
        pos = sp + 1;
        continue;
      }
      break;
    }
  }
  return names;
}

void add(std::vector<Param>& out, Param p) {
  for (const auto& existing : out) {
    if (existing.name == p.name && existing.kind == p.kind) return;
  }
  out.push_back(std::move(p));
}

}  // namespace

void extract_params(std::string_view code, int first_line, SnippetKind kind, BracketPlaceholders brackets,
                    std::vector<Param>& out) {
  if (kind == SnippetKind::data || kind == SnippetKind::text || kind == SnippetKind::diagram || kind == SnippetKind::other) return;
  std::set<std::string> local = assigned_names(code);
  int line = first_line;
  const size_t n = code.size();
  bool in_single_quote = false;
  for (size_t i = 0; i < n; ++i) {
    char c = code[i];
    if (c == '\n') {
      ++line;
      in_single_quote = false;  // quotes rarely span lines in runbooks; do not let one stray ' hide the rest
      continue;
    }
    if (c == '\'' && kind == SnippetKind::shell) in_single_quote = !in_single_quote;
    // <name>
    if (c == '<' && i + 2 < n && (i == 0 || code[i - 1] != '<') && is_ident_char(code[i + 1])) {
      size_t j = i + 1;
      while (j < n && (is_placeholder_char(code[j]) || (code[j] == ' ' && j + 1 < n && is_ident_char(code[j + 1]) && j - i < 40))) ++j;
      if (j < n && code[j] == '>' && j - i <= 64 && (j + 1 >= n || code[j + 1] != '>') && code[j - 1] != ' ') {
        std::string name(code.substr(i + 1, j - i - 1));
        add(out, Param{name, ParamKind::placeholder, "<" + name + ">", line, false});
        i = j;
        continue;
      }
    }
    // {{name}} / {{ name }}
    if (c == '{' && i + 1 < n && code[i + 1] == '{') {
      size_t close = code.find("}}", i + 2);
      if (close != std::string_view::npos && close - i < 64) {
        std::string_view inner = trim(code.substr(i + 2, close - i - 2));
        if (!inner.empty() && is_ident_start(inner[0]) && std::all_of(inner.begin(), inner.end(), is_placeholder_char)) {
          add(out, Param{std::string(inner), ParamKind::placeholder, std::string(code.substr(i, close + 2 - i)), line, false});
          i = close + 1;
          continue;
        }
      }
    }
    // [name] in inline commands: not [[, not a character class like [a-z].
    if (brackets == BracketPlaceholders::yes && c == '[' && (i == 0 || code[i - 1] != '[')) {
      size_t close = code.find(']', i + 1);
      if (close != std::string_view::npos && close - i > 2 && close - i < 48 && (close + 1 >= n || code[close + 1] != ']')) {
        std::string_view inner = code.substr(i + 1, close - i - 1);
        bool ok = is_ident_start(inner[0]) && inner.size() > 2 &&
                  std::all_of(inner.begin(), inner.end(), [](char ch) { return is_ident_char(ch) || ch == '-'; }) &&
                  std::any_of(inner.begin(), inner.end(), [](char ch) { return ch >= 'a' && ch <= 'z'; }) &&
                  inner.find('-') != 1;
        if (ok) {
          add(out, Param{std::string(inner), ParamKind::placeholder, "[" + std::string(inner) + "]", line, false});
          i = close;
          continue;
        }
      }
    }
    // $NAME / ${NAME} / ${NAME:-default}; PowerShell: only $env:NAME.
    if (c == '$' && i + 1 < n && !in_single_quote) {
      if (kind == SnippetKind::sql || kind == SnippetKind::http) {
        if (code[i + 1] != '{') continue;  // $1 parameters and $$ quoting in SQL
      }
      if (kind == SnippetKind::powershell) {
        if (code.substr(i + 1, 4) == "env:" || code.substr(i + 1, 4) == "Env:") {
          size_t j = i + 5;
          while (j < n && is_ident_char(code[j])) ++j;
          std::string name(code.substr(i + 5, j - i - 5));
          if (!name.empty()) add(out, Param{name, ParamKind::env, std::string(code.substr(i, j - i)), line, false});
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
          add(out, Param{name, ParamKind::env, std::string(code.substr(i, close + 1 - i)), line, has_default});
        }
        i = close;
        continue;
      }
      if (is_ident_start(code[i + 1])) {
        size_t j = i + 1;
        while (j < n && is_ident_char(code[j])) ++j;
        std::string name(code.substr(i + 1, j - i - 1));
        if (!local.count(name) && !is_builtin_var(name)) add(out, Param{name, ParamKind::env, "$" + name, line, false});
        i = j - 1;
      }
    }
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

std::vector<SpellingAt> find_spellings(std::string_view code, const std::vector<std::string>& spellings) {
  std::vector<size_t> order;
  for (size_t k = 0; k < spellings.size(); ++k) {
    if (!spellings[k].empty()) order.push_back(k);
  }
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return spellings[a].size() > spellings[b].size(); });
  std::vector<SpellingAt> out;
  for (size_t i = 0; i < code.size();) {
    auto hit = std::find_if(order.begin(), order.end(), [&](size_t k) { return code.compare(i, spellings[k].size(), spellings[k]) == 0; });
    if (hit == order.end()) {
      ++i;
      continue;
    }
    out.push_back({i, i + spellings[*hit].size(), *hit});
    i += spellings[*hit].size();
  }
  return out;
}

}  // namespace opsbook::model
