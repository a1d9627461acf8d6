// redis-cli's word splitting, read from its sdssplitargs: decoding what it decodes is what lets
// the classifier see `"\x46LUSHALL"` as FLUSHALL (s11a review B12).
#include "redis_cli_line.hpp"

namespace opsbook::model {

namespace {

bool blank(char c) { return c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == '\v' || c == '\f'; }

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

char escaped(char c) {
  switch (c) {
    case 'n': return '\n';
    case 'r': return '\r';
    case 't': return '\t';
    case 'b': return '\b';
    case 'a': return '\a';
    default: return c;
  }
}

}  // namespace

std::optional<std::vector<std::string>> redis_cli_words(std::string_view s) {
  std::vector<std::string> out;
  size_t i = 0;
  while (true) {
    while (i < s.size() && blank(s[i])) ++i;
    if (i >= s.size()) return out;
    std::string word;
    char quote = 0;
    for (; i < s.size() || quote; ++i) {
      if (i >= s.size()) return std::nullopt;  // an open quote
      char c = s[i];
      if (quote == '"') {
        if (c == '\\' && i + 3 < s.size() && s[i + 1] == 'x' && hex_digit(s[i + 2]) >= 0 && hex_digit(s[i + 3]) >= 0) {
          word += static_cast<char>(hex_digit(s[i + 2]) * 16 + hex_digit(s[i + 3]));
          i += 3;
        } else if (c == '\\' && i + 1 < s.size()) {
          word += escaped(s[++i]);
        } else if (c == '"') {
          if (i + 1 < s.size() && !blank(s[i + 1])) return std::nullopt;  // a closing quote must end the word
          quote = 0;
          ++i;
          break;
        } else {
          word += c;
        }
      } else if (quote == '\'') {
        if (c == '\\' && i + 1 < s.size() && s[i + 1] == '\'') {
          word += '\'';
          ++i;
        } else if (c == '\'') {
          if (i + 1 < s.size() && !blank(s[i + 1])) return std::nullopt;
          quote = 0;
          ++i;
          break;
        } else {
          word += c;
        }
      } else if (blank(c)) {
        break;
      } else if (c == '"' || c == '\'') {
        quote = c;
      } else {
        word += c;
      }
    }
    out.push_back(std::move(word));
  }
}

}  // namespace opsbook::model
