// Context-aware placeholder filling: a small scanner tracks the quoting state of the shell or
// SQL text so that each value is escaped for exactly the quotes around it.
#include "runner/fill.hpp"

#include <algorithm>
#include <cctype>

#include "model/error.hpp"
#include "model/text.hpp"

namespace opsbook::runner {

namespace {

enum class Quote { none, single, dbl, comment };

std::string escape_for(std::string_view value, Dialect dialect, Quote q) {
  std::string out;
  if (dialect == Dialect::shell) {
    if (q == Quote::none || q == Quote::comment) return shell_quote(value);
    if (q == Quote::single) {
      for (char c : value) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
      return out;
    }
    for (char c : value) {  // inside "...": only \ $ ` " are special
      if (c == '\\' || c == '$' || c == '`' || c == '"') out += '\\';
      out += c;
    }
    return out;
  }
  if (dialect == Dialect::sql) {
    if (q == Quote::single || q == Quote::dbl) {
      char quote = q == Quote::single ? '\'' : '"';
      for (char c : value) {
        out += c;
        if (c == quote) out += c;
      }
      return out;
    }
    // Bare numbers and identifiers cannot change the statement; anything else is a literal.
    bool bare = !value.empty() && value.size() < 64;
    bool number = bare && std::all_of(value.begin(), value.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)) || c == '.'; }) &&
                  std::isdigit(static_cast<unsigned char>(value[0]));
    bool ident = bare && (std::isalpha(static_cast<unsigned char>(value[0])) || value[0] == '_') &&
                 std::all_of(value.begin(), value.end(), [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; });
    if (number || ident) return std::string(value);
    out.push_back('\'');
    for (char c : value) {
      out += c;
      if (c == '\'') out += c;
    }
    return out + "'";
  }
  if (value.find_first_of("\r\n") != std::string_view::npos) throw Error("a parameter value for an HTTP snippet must not contain a line break");
  return std::string(value);
}

}  // namespace

std::string shell_quote(std::string_view value) {
  std::string out = "'";
  for (char c : value) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

bool is_secret_name(std::string_view name) {
  std::string n = model::to_lower(name);
  for (std::string_view w : {"pass", "secret", "token", "key", "credential", "dsn", "auth", "cookie", "session"}) {
    if (n.find(w) != std::string::npos) return true;
  }
  return false;
}

std::string fill_placeholders(std::string_view code, const std::vector<model::Param>& params, const std::map<std::string, std::string>& values,
                              Dialect dialect) {
  // Spellings to replace, longest first.
  std::vector<std::pair<std::string, const std::string*>> spellings;
  for (const auto& p : params) {
    if (p.kind != model::ParamKind::placeholder || p.syntax.empty()) continue;
    auto it = values.find(p.name);
    if (it != values.end()) spellings.emplace_back(p.syntax, &it->second);
  }
  std::sort(spellings.begin(), spellings.end(), [](const auto& a, const auto& b) { return a.first.size() > b.first.size(); });
  std::string out;
  Quote q = Quote::none;
  size_t i = 0;
  while (i < code.size()) {
    bool done = false;
    for (const auto& [syntax, value] : spellings) {
      if (code.compare(i, syntax.size(), syntax) == 0) {
        out += escape_for(*value, dialect, q);
        i += syntax.size();
        done = true;
        break;
      }
    }
    if (done) continue;
    char c = code[i];
    out += c;
    ++i;
    if (dialect == Dialect::shell) {
      if (q == Quote::none && c == '\\' && i < code.size()) out += code[i++];
      else if (q == Quote::dbl && c == '\\' && i < code.size()) out += code[i++];
      else if (q == Quote::none && c == '\'') q = Quote::single;
      else if (q == Quote::single && c == '\'') q = Quote::none;
      else if (q == Quote::none && c == '"') q = Quote::dbl;
      else if (q == Quote::dbl && c == '"') q = Quote::none;
    } else if (dialect == Dialect::sql) {
      if (q == Quote::none && c == '\'') q = Quote::single;
      else if (q == Quote::single && c == '\'') q = Quote::none;  // '' re-enters at once
      else if (q == Quote::none && c == '"') q = Quote::dbl;
      else if (q == Quote::dbl && c == '"') q = Quote::none;
      else if (q == Quote::none && c == '-' && i < code.size() && code[i] == '-') q = Quote::comment;
      else if (q == Quote::comment && c == '\n') q = Quote::none;
    }
  }
  return out;
}

}  // namespace opsbook::runner
