// SQL tokens by PostgreSQL's lexical rules (scan.l): standard-conforming strings, E'' escapes,
// nested block comments, dollar quotes, identifiers with $, operators that never swallow the
// start of a comment. psql backslash commands as psql's own scanners read them (psqlscan.l,
// psqlscanslash.l): several on one line, `\;` and `\\` back to SQL.
#include "sql_lexer.hpp"

#include <algorithm>
#include <cctype>
#include <string>

namespace opsbook::model {

namespace {

// Bytes >= 0x80 are identifier characters in PostgreSQL (UTF-8 names).
bool ident_start(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || static_cast<unsigned char>(c) >= 0x80;
}
bool ident_char(char c) { return ident_start(c) || (c >= '0' && c <= '9') || c == '$'; }
bool digit(char c) { return c >= '0' && c <= '9'; }
bool op_char(char c) { return std::string_view("+-*/<>=~!@#%^&|`?").find(c) != std::string_view::npos; }
bool space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }

class Lexer {
 public:
  explicit Lexer(std::string_view code) : m_s(code) {}

  std::vector<SqlToken> run() {
    while (m_i < m_s.size()) {
      char c = m_s[m_i];
      if (space(c)) {
        ++m_i;
        continue;
      }
      size_t start = m_i;
      SqlToken t;
      t.kind = next(c, t.unterminated);
      t.begin = start;
      t.end = m_i;
      m_out.push_back(t);
    }
    return std::move(m_out);
  }

 private:
  bool at(size_t i, std::string_view text) const { return m_s.substr(i, text.size()) == text; }

  SqlTokenKind next(char c, bool& unterminated) {
    if (at(m_i, "--")) {
      size_t e = m_s.find('\n', m_i);
      m_i = e == std::string_view::npos ? m_s.size() : e;
      return SqlTokenKind::comment;
    }
    if (at(m_i, "/*")) return block_comment(unterminated);
    if (c == '\\') return backslash();
    if (c == '\'') return quoted('\'', false, unterminated, SqlTokenKind::string);
    if (c == '"') return quoted('"', false, unterminated, SqlTokenKind::quoted_ident);
    if ((c == 'e' || c == 'E') && at(m_i + 1, "'")) {
      ++m_i;
      return quoted('\'', true, unterminated, SqlTokenKind::escape_string);
    }
    if ((c == 'u' || c == 'U') && at(m_i + 1, "&'")) {
      m_i += 2;
      return quoted('\'', false, unterminated, SqlTokenKind::string);
    }
    if ((c == 'u' || c == 'U') && at(m_i + 1, "&\"")) {
      m_i += 2;
      return quoted('"', false, unterminated, SqlTokenKind::quoted_ident);
    }
    if (std::string_view("nNbBxX").find(c) != std::string_view::npos && at(m_i + 1, "'")) {
      ++m_i;
      return quoted('\'', false, unterminated, SqlTokenKind::string);
    }
    if (c == '$') return dollar(unterminated);
    if (ident_start(c)) {
      while (m_i < m_s.size() && ident_char(m_s[m_i])) ++m_i;
      return SqlTokenKind::word;
    }
    if (digit(c) || (c == '.' && m_i + 1 < m_s.size() && digit(m_s[m_i + 1]))) return number();
    if (c == ';') {
      ++m_i;
      return SqlTokenKind::semicolon;
    }
    if (op_char(c)) {
      // An operator never contains "--" or "/*": those start a comment.
      ++m_i;
      while (m_i < m_s.size() && op_char(m_s[m_i]) && !at(m_i, "--") && !at(m_i, "/*")) ++m_i;
      return SqlTokenKind::op;
    }
    ++m_i;
    return SqlTokenKind::punct;
  }

  // psql: `\;` is a semicolon that does not send yet (the statements on both sides run, as one
  // query), `\:` a colon, `\\` ends a backslash command's arguments (SQL follows). Any other
  // backslash starts a backslash command, whose arguments end at the end of the line or at the
  // next backslash outside quotes, where the next command starts: psql runs every one on the
  // line (s10a review B1, B3). \! \copy \h \sf \ef \sv \ev take the rest of the line, and so
  // does an argument that starts with `|` of the commands that read a file or pipe there
  // (OT_FILEPIPE: \g |cmd, \gx, \o, \w); after any other, `|` is an ordinary character and the
  // next backslash starts a command (s11a review B1: `\echo |x \! touch F` ran the \!).
  SqlTokenKind backslash() {
    if (at(m_i, "\\;")) {
      m_i += 2;
      return SqlTokenKind::semicolon;
    }
    if (at(m_i, "\\:") || at(m_i, "\\\\")) {
      m_i += 2;
      return at(m_i - 2, "\\:") ? SqlTokenKind::punct : SqlTokenKind::comment;
    }
    size_t i = m_i + 1;
    if (i < m_s.size() && std::isalpha(static_cast<unsigned char>(m_s[i]))) {
      while (i < m_s.size() && (std::isalnum(static_cast<unsigned char>(m_s[i])) || m_s[i] == '_' || m_s[i] == '+')) ++i;
    } else if (i < m_s.size() && m_s[i] != '\n') {
      ++i;
    }
    static constexpr std::string_view k_whole_line[] = {"!", "copy", "h", "help", "sf", "sf+", "ef", "sv", "sv+", "ev"};
    static constexpr std::string_view k_file_pipe[] = {"g", "gx", "o", "out", "w", "write"};
    std::string_view name = m_s.substr(m_i + 1, i - m_i - 1);
    bool whole = std::find(std::begin(k_whole_line), std::end(k_whole_line), name) != std::end(k_whole_line);
    bool pipe = std::find(std::begin(k_file_pipe), std::end(k_file_pipe), name) != std::end(k_file_pipe);
    bool word_start = true;
    while (i < m_s.size() && m_s[i] != '\n') {
      char c = m_s[i];
      if (whole || (pipe && c == '|' && word_start)) {
        whole = true;
        ++i;
        continue;
      }
      if (c == '\\') break;
      if (c == '\'' || c == '"' || c == '`') i = meta_quote(i);
      else ++i;
      word_start = c == ' ' || c == '\t';
    }
    m_i = i;
    return SqlTokenKind::meta;
  }

  // Past a quoted argument of a backslash command that opens at `i` ('...' with backslash
  // escapes, "..." and `...`), or to the end of the line when it is not closed there.
  size_t meta_quote(size_t i) const {
    char q = m_s[i++];
    while (i < m_s.size() && m_s[i] != '\n') {
      if (q == '\'' && m_s[i] == '\\') i += 2;
      else if (m_s[i++] == q) return i;
    }
    return std::min(i, m_s.size());
  }

  SqlTokenKind block_comment(bool& unterminated) {
    int depth = 0;
    while (m_i < m_s.size()) {
      if (at(m_i, "/*")) {
        ++depth;
        m_i += 2;
      } else if (at(m_i, "*/")) {
        m_i += 2;
        if (--depth == 0) return SqlTokenKind::comment;
      } else {
        ++m_i;
      }
    }
    unterminated = true;
    return SqlTokenKind::comment;
  }

  // From the opening quote at m_i to just past the closing one; a doubled quote stays inside,
  // and with `backslash` a backslash escapes the next byte.
  SqlTokenKind quoted(char q, bool backslash, bool& unterminated, SqlTokenKind kind) {
    ++m_i;
    while (m_i < m_s.size()) {
      char c = m_s[m_i];
      if (backslash && c == '\\') {
        m_i = std::min(m_s.size(), m_i + 2);
        continue;
      }
      ++m_i;
      if (c != q) continue;
      if (m_i < m_s.size() && m_s[m_i] == q) {
        ++m_i;
        continue;
      }
      return kind;
    }
    unterminated = true;
    return kind;
  }

  SqlTokenKind dollar(bool& unterminated) {
    size_t j = m_i + 1;
    if (j < m_s.size() && digit(m_s[j])) {
      while (j < m_s.size() && digit(m_s[j])) ++j;
      m_i = j;
      return SqlTokenKind::param;
    }
    // $tag$: the tag is an identifier without $.
    if (j < m_s.size() && ident_start(m_s[j])) {
      while (j < m_s.size() && ident_char(m_s[j]) && m_s[j] != '$') ++j;
    }
    if (j >= m_s.size() || m_s[j] != '$') {
      ++m_i;
      return SqlTokenKind::punct;
    }
    std::string_view tag = m_s.substr(m_i, j - m_i + 1);
    size_t close = m_s.find(tag, j + 1);
    if (close == std::string_view::npos) {
      m_i = m_s.size();
      unterminated = true;
    } else {
      m_i = close + tag.size();
    }
    return SqlTokenKind::dollar_string;
  }

  // Digits, a fraction, an exponent; letters after it start a new token (so a name glued to a
  // number is still seen as a name).
  SqlTokenKind number() {
    auto digits = [&] {
      while (m_i < m_s.size() && (digit(m_s[m_i]) || m_s[m_i] == '_')) ++m_i;
    };
    digits();
    if (m_i < m_s.size() && m_s[m_i] == '.' && !at(m_i + 1, ".")) {
      ++m_i;
      digits();
    }
    if (m_i < m_s.size() && (m_s[m_i] == 'e' || m_s[m_i] == 'E')) {
      size_t j = m_i + 1;
      if (j < m_s.size() && (m_s[j] == '+' || m_s[j] == '-')) ++j;
      if (j < m_s.size() && digit(m_s[j])) {
        m_i = j;
        digits();
      }
    }
    return SqlTokenKind::number;
  }

  std::string_view m_s;
  size_t m_i = 0;
  std::vector<SqlToken> m_out;
};

}  // namespace

std::vector<SqlToken> lex_sql(std::string_view code) { return Lexer(code).run(); }

const SqlToken* sql_token_at(const std::vector<SqlToken>& tokens, size_t offset) {
  auto it = std::upper_bound(tokens.begin(), tokens.end(), offset, [](size_t o, const SqlToken& t) { return o < t.end; });
  if (it == tokens.end() || offset < it->begin) return nullptr;
  return &*it;
}

std::string sql_identifier(std::string_view code, const SqlToken& token) {
  std::string_view text = code.substr(token.begin, token.end - token.begin);
  std::string out;
  if (token.kind == SqlTokenKind::word) {
    for (char c : text) out += (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
    return out;
  }
  size_t open = text.find_first_of("\"'");
  if (open == std::string_view::npos) return std::string(text);
  char q = text[open];
  text.remove_prefix(open + 1);
  if (!token.unterminated && !text.empty()) text.remove_suffix(1);
  for (size_t i = 0; i < text.size(); ++i) {
    out += text[i];
    if (text[i] == q && i + 1 < text.size() && text[i + 1] == q) ++i;
  }
  return out;
}

}  // namespace opsbook::model
