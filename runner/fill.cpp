// Context-aware placeholder filling: a small scanner tracks the quoting state of the shell text
// so that each value is escaped for exactly the quotes around it. (SQL values are bound by
// model/sql_bind, never written into the SQL.)
#include "runner/fill.hpp"

#include <algorithm>

#include "model/error.hpp"
#include "model/text.hpp"

namespace opsbook::runner {

namespace {

enum class Quote { none, single, dbl };

std::string escape_for(std::string_view value, Dialect dialect, Quote q) {
  std::string out;
  if (dialect == Dialect::shell) {
    if (q == Quote::none) return shell_quote(value);
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
    }
  }
  return out;
}

}  // namespace opsbook::runner
