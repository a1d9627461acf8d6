// Switches of how SQL is read, found in decoded text (s10c review B2-B3; s11a review B4: a
// Unicode-escaped SET, a %-encoded URI parameter, -c standard-conforming-strings=off in options).
#include "sql_reading.hpp"

#include <algorithm>
#include <cctype>
#include <vector>

#include "sql_lexer.hpp"

namespace opsbook::model {

namespace {

// The escapes of U&"..." (\XXXX, \+XXXXXX) and of E'...' (\xHH, \ooo, \uXXXX) overlap (\0050):
// which applies depends on the quote around them, so the text is searched in both readings.
enum class Escapes { unicode_first, e_string_first };

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// How many of up to `max` bytes from `i` are digits of `base` (8 or 16), and their value.
size_t digits(std::string_view s, size_t i, size_t max, int base, unsigned long& value) {
  size_t n = 0;
  value = 0;
  for (; n < max && i + n < s.size(); ++n) {
    int d = hex_value(s[i + n]);
    if (d < 0 || d >= base) break;
    value = value * static_cast<unsigned long>(base) + static_cast<unsigned long>(d);
  }
  return n;
}

std::string percent_decoded(std::string_view s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    int hi = s[i] == '%' && i + 2 < s.size() ? hex_value(s[i + 1]) : -1;
    int lo = hi >= 0 ? hex_value(s[i + 2]) : -1;
    if (lo < 0) {
      out += s[i];
      continue;
    }
    out += static_cast<char>(hi * 16 + lo);
    i += 2;
  }
  return out;
}

// The text as the server compares setting names: %HH and backslash escapes decoded (a backslash
// before any other byte dropped, as the server's options and a shell's quotes drop it), `"`
// removed, ASCII lower case, `-` read as `_`. Code points past ASCII match no setting: `?`.
std::string normalized(std::string_view text, Escapes order) {
  std::string s = percent_decoded(text), out;
  auto put = [&](unsigned long c) {
    if (c >= 0x80) c = '?';
    char ch = static_cast<char>(std::tolower(static_cast<int>(c)));
    if (ch == '-') ch = '_';
    if (ch != '"') out += ch;
  };
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '\\' || i + 1 >= s.size()) {
      put(static_cast<unsigned char>(s[i]));
      continue;
    }
    size_t j = i + 1;
    unsigned long v = 0;
    auto unicode = [&] {
      if (s[j] == '+' && digits(s, j + 1, 6, 16, v) == 6) return i = j + 6, true;
      return digits(s, j, 4, 16, v) == 4 ? (i = j + 3, true) : false;
    };
    auto e_string = [&] {
      size_t n = 0;
      if (s[j] == 'x' && (n = digits(s, j + 1, 2, 16, v)) > 0) return i = j + n, true;
      if (s[j] == 'u' && digits(s, j + 1, 4, 16, v) == 4) return i = j + 4, true;
      if (s[j] == 'U' && digits(s, j + 1, 8, 16, v) == 8) return i = j + 8, true;
      return (n = digits(s, j, 3, 8, v)) > 0 ? (i = j + n - 1, true) : false;
    };
    bool escape = order == Escapes::unicode_first ? unicode() || e_string() : e_string() || unicode();
    if (!escape) {
      v = static_cast<unsigned char>(s[j]);
      i = j;
    }
    put(v);
  }
  return out;
}

bool ident(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }

bool word_at(std::string_view s, size_t at, std::string_view w) {
  return s.substr(at, w.size()) == w && (at == 0 || !ident(s[at - 1])) && (at + w.size() >= s.size() || !ident(s[at + w.size()]));
}

// The word that ends before `at` (spaces between), and where it starts.
std::string_view previous_word(std::string_view s, size_t at, size_t* start = nullptr) {
  size_t end = at;
  while (end > 0 && std::isspace(static_cast<unsigned char>(s[end - 1]))) --end;
  size_t begin = end;
  while (begin > 0 && ident(s[begin - 1])) --begin;
  if (start) *start = begin;
  return s.substr(begin, end - begin);
}

size_t skip_spaces(std::string_view s, size_t i) {
  while (i < s.size() && std::isspace(static_cast<unsigned char>(s[i]))) ++i;
  return i;
}

// set_config('name', ...): anything but one plain literal as the name (a concatenation, a column,
// a psql variable) is a name opsbook cannot read.
bool set_config_literal(std::string_view s, size_t after) {
  size_t i = skip_spaces(s, after);
  if (i >= s.size() || s[i] != '(') return false;
  i = skip_spaces(s, i + 1);
  if (s.substr(i, 2) == "u&") i += 2;
  else if (i < s.size() && (s[i] == 'e' || s[i] == 'n')) ++i;
  if (i >= s.size() || s[i] != '\'') return false;
  size_t close = s.find('\'', i + 1);
  if (close == std::string_view::npos) return false;
  i = skip_spaces(s, close + 1);
  return i < s.size() && s[i] == ',';
}

// In normalized text: a spelling whose setting opsbook cannot read.
std::string unreadable(std::string_view s) {
  if (s.find("uescape") != std::string_view::npos) return "a Unicode escape with UESCAPE";
  for (size_t at = s.find("set_config"); at != std::string_view::npos; at = s.find("set_config", at + 1)) {
    if (!set_config_literal(s, at + 10)) return "set_config() of a name that is not one plain string";
  }
  for (size_t at = s.find("pg_settings"); at != std::string_view::npos; at = s.find("pg_settings", at + 1)) {
    size_t start = at;
    std::string_view before = previous_word(s, at, &start);
    if (before.empty() && start > 0 && s[start - 1] == '.') before = previous_word(s, start - 1, &start);  // pg_catalog.pg_settings
    if (before == "pg_catalog") before = previous_word(s, start, &start);
    if (before == "only") before = previous_word(s, start, &start);
    if (before == "update") return "UPDATE pg_settings";
  }
  for (std::string_view verb : {"set", "reset"}) {
    for (size_t at = s.find(verb); at != std::string_view::npos; at = s.find(verb, at + 1)) {
      if (!word_at(s, at, verb)) continue;
      size_t i = skip_spaces(s, at + verb.size());
      if (word_at(s, i, "session") || word_at(s, i, "local")) i = skip_spaces(s, i + (s[i] == 's' ? 7 : 5));
      if (i < s.size() && s[i] == ':') return "a setting named by a psql variable";
    }
  }
  return "";
}

// In normalized text: a setting that changes the reading, or SET NAMES.
std::string setting(std::string_view s) {
  for (std::string_view name : {"client_encoding", "standard_conforming_strings", "backslash_quote"}) {
    if (s.find(name) != std::string_view::npos) return std::string(name);
  }
  for (size_t at = s.find("names"); at != std::string_view::npos; at = s.find("names", at + 1)) {
    if (!word_at(s, at, "names")) continue;
    size_t start = at;
    std::string_view before = previous_word(s, at, &start);
    if (before == "session" || before == "local") before = previous_word(s, start);
    if (before == "set") return "SET NAMES";
  }
  return "";
}

}  // namespace

ReadingSwitch libpq_environment_switch(std::string_view text) {
  std::string s = normalized(text, Escapes::e_string_first);
  if (s.find("pgclientencoding") != std::string::npos) return {"PGCLIENTENCODING"};
  for (std::string_view file : {"pgservicefile", "pgsysconfdir"}) {
    if (s.find(file) != std::string::npos) return {"a connection service file (PGSERVICEFILE, PGSYSCONFDIR), which may set options opsbook does not read", false};
  }
  for (size_t at = s.find("pgoptions"); at != std::string::npos; at = s.find("pgoptions", at + 1)) {
    std::string_view value = std::string_view(s).substr(at + 9);
    value = value.substr(0, value.find('\n'));
    if (value.empty() || value[0] != '=' || value.find_first_of("$`") != std::string_view::npos) return {"PGOPTIONS from a value opsbook cannot read", false};
    if (std::string name = setting(value); !name.empty()) return {"PGOPTIONS with " + name};
  }
  return {};
}

ReadingSwitch sql_reading_switch(std::string_view text) {
  std::string lower;
  for (char c : text) lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (lower.find("\\encoding") != std::string::npos) return {"\\encoding"};
  for (Escapes order : {Escapes::unicode_first, Escapes::e_string_first}) {
    std::string s = normalized(text, order);
    if (std::string why = unreadable(s); !why.empty()) return {why, false};
    if (std::string name = setting(s); !name.empty()) return {name};
  }
  return libpq_environment_switch(text);
}

bool reads_by_settings(std::string_view text) {
  if (std::any_of(text.begin(), text.end(), [](char c) { return static_cast<unsigned char>(c) >= 0x80; })) return true;
  std::vector<SqlToken> tokens = lex_sql(text);
  return std::any_of(tokens.begin(), tokens.end(), [&](const SqlToken& t) {
    return t.kind == SqlTokenKind::string && text.substr(t.begin, t.end - t.begin).find('\\') != std::string_view::npos;
  });
}

std::string reading_reason(const ReadingSwitch& r) {
  std::string effect = "how psql and the server read the SQL after it (a client encoding such as SJIS makes a byte of a character a backslash or the end of a string; "
                       "standard_conforming_strings off makes a backslash escape a quote), so what runs is not what opsbook reads";
  if (r.plain) return r.what + " changes " + effect;
  return r.what + ": opsbook cannot read which setting it changes, so it may change " + effect;
}

}  // namespace opsbook::model
