// The shell lexer's scanner: tokens, words with quote removal, quoting contexts and expansions,
// heredoc bodies. Every construct records a span; nested $(...) and `...` call the grammar.
#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <utility>

#include "shell_scanner.hpp"

namespace opsbook::model::shell {

namespace {

bool is_name_start(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }
bool is_name_char(char c) { return is_name_start(c) || (c >= '0' && c <= '9'); }
bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_special_param(char c) { return c != '\0' && std::strchr("@*#?-$!", c) != nullptr; }
// Characters with no meaning to the shell inside a word.
bool is_plain(char c) { return is_name_char(c) || c == '-' || c == '.' || c == '/' || c == ':' || c == ',' || c == '=' || c == '+' || c == '@' || c == '%'; }
int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

bool starts_expansion(char c) { return is_name_start(c) || is_digit(c) || is_special_param(c) || c == '{' || c == '(' || c == '['; }

Lexer::Lexer(std::string_view source, Script& out, Placeholders placeholders)
    : m_src(source), m_out(out), m_placeholders(placeholders), m_end(static_cast<std::uint32_t>(std::min<std::size_t>(source.size(), Script::k_max_size))) {
  out.m_source = source;
  m_open.clear();
  m_word_stack.clear();
  m_scratch_args.clear();
  m_scratch_redirs.clear();
  m_sink.clear();
}

Lexer::Scratch& Lexer::scratch() {
  // Sized once: scan_word keeps a reference to its depth's buffer while deeper words are scanned.
  thread_local Scratch t_scratch{{}, {}, std::vector<std::string>(Script::k_max_depth + 2), {}, {}, {}};
  return t_scratch;
}

void Lexer::run() {
  if (m_src.size() > Script::k_max_size) {
    error(ErrorKind::too_large, 0);
    return;
  }
  list(0, true);
  if (!m_pending.empty() && !m_dead) read_heredocs();  // no newline after the last <<X
}

void Lexer::error(ErrorKind kind, std::uint32_t offset) {
  if (m_dead && kind != ErrorKind::too_deep) return;  // the unwinding after the bound says nothing new
  bool bound = kind == ErrorKind::too_deep || kind == ErrorKind::too_large;
  m_out.m_errors.push_back(LexError{kind, offset, m_deferred > 0 && !bound});
}

int Lexer::open_span(SpanKind kind, std::uint32_t begin) {
  if (m_open.size() >= static_cast<std::size_t>(Script::k_max_depth) && !m_dead) {
    error(ErrorKind::too_deep, begin);
    m_dead = true;
  }
  int index = static_cast<int>(m_out.m_spans.size());
  m_out.m_spans.push_back(Span{kind, begin, begin, m_open.empty() ? -1 : m_open.back()});
  m_open.push_back(index);
  return index;
}

void Lexer::close_span(int span, std::uint32_t end) {
  Span& s = m_out.m_spans[static_cast<std::size_t>(span)];
  s.end = std::max(end, s.begin);
  m_open.pop_back();
}

void Lexer::skip_blanks() {
  while (!at_end()) {
    char c = m_src[m_pos];
    if (c == ' ' || c == '\t') {
      ++m_pos;
    } else if (c == '\\' && at(m_pos + 1) == '\n') {
      m_pos += 2;  // a line continuation between words
    } else if (c == '#') {
      std::uint32_t begin = m_pos;
      const void* nl = std::memchr(m_src.data() + m_pos, '\n', m_end - m_pos);
      m_pos = nl != nullptr ? static_cast<std::uint32_t>(static_cast<const char*>(nl) - m_src.data()) : m_end;
      close_span(open_span(SpanKind::comment, begin), m_pos);
    } else {
      return;
    }
  }
}

Lexer::Token Lexer::lex_token() {
  skip_blanks();
  Token t;
  t.begin = t.end = m_pos;
  if (at_end()) {
    m_regex_next = false;
    return t;
  }
  char c = m_src[m_pos];
  if (c == '\n') {
    m_regex_next = false;
    t.type = Tok::newline;
    t.end = ++m_pos;
    if (!m_pending.empty()) read_heredocs();
    return t;
  }
  if (!m_regex_next && lex_operator(t)) return t;
  t.type = Tok::word;
  t.word = scan_word(WordRole::arg);
  t.end = m_pos;
  return t;
}

bool Lexer::lex_operator(Token& t) {
  std::size_t p = m_pos;
  // [n]< and [n]>: a digit run directly before the operator is its file descriptor.
  std::size_t q = p;
  while (q < m_end && is_digit(m_src[q]) && q - p < 9) ++q;
  if (q > p && (at(q) == '<' || at(q) == '>') && at(q + 1) != '(') {
    t.fd = std::atoi(std::string(m_src.substr(p, q - p)).c_str());
    p = q;
  }
  char c = at(p), n = at(p + 1), n2 = at(p + 2);
  auto op = [&](Op o, std::size_t size) {
    t.type = Tok::op;
    t.op = o;
    m_pos = static_cast<std::uint32_t>(p + size);
    t.end = m_pos;
    return true;
  };
  auto redir = [&](RedirectOp r, std::size_t size) {
    t.type = Tok::redirect;
    t.redirect = r;
    m_pos = static_cast<std::uint32_t>(p + size);
    t.end = m_pos;
    return true;
  };
  if (t.fd < 0) {
    switch (c) {
      case ';':
        if (n == ';') return n2 == '&' ? op(Op::dsemi_amp, 3) : op(Op::dsemi, 2);
        return n == '&' ? op(Op::semi_amp, 2) : op(Op::semi, 1);
      case '&':
        if (n == '&') return op(Op::and_if, 2);
        if (n == '>') return n2 == '>' ? redir(RedirectOp::append_err, 3) : redir(RedirectOp::out_err, 2);
        return op(Op::amp, 1);
      case '|':
        if (n == '|') return op(Op::or_if, 2);
        return n == '&' ? op(Op::pipe_amp, 2) : op(Op::pipe, 1);
      case '(': return op(Op::lparen, 1);
      case ')': return op(Op::rparen, 1);
      default: break;
    }
  }
  if (c == '<') {
    if (t.fd < 0 && (n == '(' || placeholder_size(p) > 0)) return false;  // <(...) and <name> are words
    if (n == '<') {
      if (n2 == '<') return redir(RedirectOp::herestring, 3);
      return n2 == '-' ? redir(RedirectOp::heredoc_tabs, 3) : redir(RedirectOp::heredoc, 2);
    }
    if (n == '&') return redir(RedirectOp::dup_in, 2);
    return n == '>' ? redir(RedirectOp::in_out, 2) : redir(RedirectOp::in, 1);
  }
  if (c == '>') {
    if (t.fd < 0 && n == '(') return false;
    if (n == '>') return redir(RedirectOp::append, 2);
    if (n == '|') return redir(RedirectOp::clobber, 2);
    return n == '&' ? redir(RedirectOp::dup_out, 2) : redir(RedirectOp::out, 1);
  }
  return false;
}

// `<name>`: the size of a placeholder at `p` when placeholders are words, else 0.
std::size_t Lexer::placeholder_size(std::size_t p) const {
  if (m_placeholders != Placeholders::words || at(p) != '<' || !is_name_start(at(p + 1))) return 0;
  std::size_t j = p + 1;
  while (j < m_end && j - p < 64) {
    char c = m_src[j];
    if (c == '>') return m_src[j - 1] == ' ' ? 0 : j + 1 - p;
    if (!(is_name_char(c) || c == '-' || c == '.' || (c == ' ' && is_name_char(at(j + 1))))) return 0;
    ++j;
  }
  return 0;
}

int Lexer::scan_word(WordRole role) {
  int index = static_cast<int>(m_out.m_words.size());
  m_out.m_words.emplace_back();  // reserved now so that words stay in source order
  Word w;
  w.begin = m_pos;
  w.role = role;
  w.outer = m_word_stack.empty() ? -1 : m_word_stack.back();
  m_word_stack.push_back(index);
  std::string& buf = m_bufs[std::min(m_open.size(), m_bufs.size() - 1)];
  buf.clear();
  Flags f;
  bool brace = false;
  bool regex = std::exchange(m_regex_next, false);
  int regex_parens = 0;
  while (!at_end()) {
    char c = m_src[m_pos];
    bool blank = c == ' ' || c == '\t' || c == '\n';
    bool meta = blank || c == ';' || c == '&' || c == '|' || c == '(' || c == ')' || c == '<' || c == '>';
    if (meta) {
      if ((c == '<' || c == '>') && at(m_pos + 1) == '(') {
        std::uint32_t start = m_pos;
        command_sub(start, SpanKind::process_sub);
        buf.append(m_src.substr(start, m_pos - start));
        f.expands = true;
        continue;
      }
      if (std::size_t size = c == '<' ? placeholder_size(m_pos) : 0; size > 0) {
        buf.append(m_src.substr(m_pos, size));
        m_pos += static_cast<std::uint32_t>(size);
        continue;
      }
      // The right side of =~ keeps ( ) and | and, inside parentheses, blanks.
      bool in_regex = regex && (c == '(' || c == '|' || (c == ')' && regex_parens > 0) || (regex_parens > 0 && c != '\n'));
      if (in_regex) {
        regex_parens += c == '(' ? 1 : c == ')' ? -1 : 0;
        buf += c;
        ++m_pos;
        continue;
      }
      if (c == '(' && m_array_ok && is_assignment_prefix(w.begin, m_pos)) {
        std::uint32_t start = m_pos;
        array_assignment();
        buf.append(m_src.substr(start, m_pos - start));
        f.expands = true;
        continue;
      }
      break;
    }
    switch (c) {
      case '\\':
        if (m_pos + 1 >= m_end) {
          buf += c;
          ++m_pos;
          break;
        }
        m_pos += 2;
        if (m_src[m_pos - 1] != '\n') {  // \<newline> joins lines and leaves nothing
          buf += m_src[m_pos - 1];
          f.quoted = true;
        }
        break;
      case '\'':
        single_quote(buf);
        f.quoted = true;
        break;
      case '"':
        double_quote(buf, f, SpanKind::double_quote, m_pos);
        f.quoted = true;
        break;
      case '$': dollar(buf, f, Quoting::none); break;
      case '`': backtick(buf, f); break;
      case '*':
      case '?':
      case '[':
        f.globs = true;
        buf += c;
        ++m_pos;
        break;
      case '~':
        if (m_pos == w.begin || m_src[m_pos - 1] == '=' || m_src[m_pos - 1] == ':') f.globs = true;
        buf += c;
        ++m_pos;
        break;
      default: {
        if (c == '{') brace = true;
        if (c == '}' && brace) f.globs = true;  // a {a,b} or {1..3} group may expand
        std::size_t run = m_pos + 1;  // plain characters: appended as one run
        while (run < m_end && is_plain(m_src[run])) ++run;
        buf.append(m_src.substr(m_pos, run - m_pos));
        m_pos = static_cast<std::uint32_t>(run);
        break;
      }
    }
  }
  w.end = m_pos;
  w.quoted = f.quoted;
  w.expands = f.expands;
  w.globs = f.globs;
  w.text_begin = static_cast<std::uint32_t>(m_out.m_text.size());
  w.text_size = static_cast<std::uint32_t>(buf.size());
  m_out.m_text += buf;
  m_word_stack.pop_back();
  m_out.m_words[static_cast<std::size_t>(index)] = w;
  return index;
}

void Lexer::single_quote(std::string& buf) {
  std::uint32_t begin = m_pos;
  int span = open_span(SpanKind::single_quote, begin);
  const void* q = std::memchr(m_src.data() + m_pos + 1, '\'', m_end - m_pos - 1);
  if (q == nullptr) {
    buf.append(m_src.substr(m_pos + 1, m_end - m_pos - 1));
    m_pos = m_end;
    error(ErrorKind::unterminated_single_quote, begin);
  } else {
    auto close = static_cast<std::uint32_t>(static_cast<const char*>(q) - m_src.data());
    buf.append(m_src.substr(m_pos + 1, close - m_pos - 1));
    m_pos = close + 1;
  }
  close_span(span, m_pos);
}

void Lexer::double_quote(std::string& buf, Flags& f, SpanKind kind, std::uint32_t begin) {
  int span = open_span(kind, begin);
  ++m_pos;  // the opening "
  while (!at_end()) {
    char c = m_src[m_pos];
    if (c == '"') {
      close_span(span, ++m_pos);
      return;
    }
    if (c == '\\' && m_pos + 1 < m_end) {
      char n = m_src[m_pos + 1];
      if (n == '\n' || n == '$' || n == '`' || n == '"' || n == '\\') {
        if (n != '\n') buf += n;
        m_pos += 2;
        continue;
      }
    }
    if (c == '$') {
      dollar(buf, f, Quoting::dquote);
    } else if (c == '`') {
      backtick(buf, f);
    } else {
      buf += c;
      ++m_pos;
    }
  }
  error(ErrorKind::unterminated_double_quote, begin);
  close_span(span, m_pos);
}

void Lexer::ansi_c_quote(std::string& buf, Flags& f) {
  std::uint32_t begin = m_pos;
  int span = open_span(SpanKind::ansi_c_quote, begin);
  m_pos += 2;  // $'
  while (!at_end()) {
    char c = m_src[m_pos];
    if (c == '\'') {
      close_span(span, ++m_pos);
      return;
    }
    if (c == '\\' && m_pos + 1 < m_end) {
      ansi_c_escape(buf, f);
    } else {
      buf += c;
      ++m_pos;
    }
  }
  error(ErrorKind::unterminated_ansi_c_quote, begin);
  close_span(span, m_pos);
}

// One \ escape of $'...'. A NUL or a non-ASCII code point is marked as unknown (`expands`): bash
// cuts the string at NUL and encodes code points by locale.
void Lexer::ansi_c_escape(std::string& buf, Flags& f) {
  char n = m_src[m_pos + 1];
  m_pos += 2;
  auto digits = [&](int base, int max) {
    unsigned value = 0;
    int count = 0;
    while (count < max) {
      int d = base == 8 ? (at(m_pos) >= '0' && at(m_pos) <= '7' ? at(m_pos) - '0' : -1) : hex_value(at(m_pos));
      if (d < 0 || m_pos >= m_end) break;
      value = value * static_cast<unsigned>(base) + static_cast<unsigned>(d);
      ++m_pos;
      ++count;
    }
    return std::pair<unsigned, int>{value, count};
  };
  auto put = [&](unsigned value) {
    if (value == 0 || value > 0x7f) f.expands = true;
    buf += static_cast<char>(value & 0xff);
  };
  switch (n) {
    case 'a': buf += '\a'; return;
    case 'b': buf += '\b'; return;
    case 'e':
    case 'E': buf += '\x1b'; return;
    case 'f': buf += '\f'; return;
    case 'n': buf += '\n'; return;
    case 'r': buf += '\r'; return;
    case 't': buf += '\t'; return;
    case 'v': buf += '\v'; return;
    case '\\':
    case '\'':
    case '"':
    case '?': buf += n; return;
    case 'c':
      if (m_pos < m_end) {
        put(static_cast<unsigned>(static_cast<unsigned char>(m_src[m_pos++])) & 0x1f);
        return;
      }
      break;
    case 'x':
    case 'u':
    case 'U': {
      auto [value, count] = digits(16, n == 'x' ? 2 : n == 'u' ? 4 : 8);
      if (count > 0) {
        if (n != 'x' && value > 0x7f) f.expands = true;
        put(n == 'x' ? value : std::min(value, 0x80u));
        return;
      }
      break;
    }
    default:
      if (n >= '0' && n <= '7') {
        --m_pos;
        put(digits(8, 3).first);
        return;
      }
      break;
  }
  buf += '\\';  // an unknown escape stays as written
  buf += n;
}

void Lexer::dollar(std::string& buf, Flags& f, Quoting q) {
  std::uint32_t start = m_pos;
  if (m_pos + 1 >= m_end) {
    buf += '$';
    ++m_pos;
    return;
  }
  char n = m_src[m_pos + 1];
  if (q == Quoting::none && n == '\'') {
    ansi_c_quote(buf, f);
    f.quoted = true;
    return;
  }
  if (q == Quoting::none && n == '"') {
    ++m_pos;
    double_quote(buf, f, SpanKind::locale_quote, start);
    f.quoted = true;
    return;
  }
  if (n == '(') {
    if (at(m_pos + 2) != '(') command_sub(start, SpanKind::command_sub);
    else if (arith_closes(m_pos + 3)) arith(start, 3, '(', ')');
    else deferred_command_sub(start);
  } else if (n == '{') {
    param(q);
  } else if (n == '[') {
    arith(start, 2, '[', ']');
  } else if (is_name_start(n) || is_digit(n) || is_special_param(n)) {
    int span = open_span(SpanKind::variable, start);
    m_pos += 2;
    if (is_name_start(n)) {
      while (m_pos < m_end && is_name_char(m_src[m_pos])) ++m_pos;
    }
    close_span(span, m_pos);
  } else {
    buf += '$';
    ++m_pos;
    return;
  }
  f.expands = true;
  buf.append(m_src.substr(start, m_pos - start));
}

void Lexer::param(Quoting q) {
  std::uint32_t begin = m_pos;
  int span = open_span(SpanKind::param, begin);
  m_pos += 2;  // ${
  Flags f;
  if (m_sink.size() > 4096) m_sink.clear();
  while (!at_end()) {
    char c = m_src[m_pos];
    if (c == '}') {  // bash does not count braces: the first unquoted } closes
      close_span(span, ++m_pos);
      return;
    }
    if (c == '\\') {
      m_pos = std::min(m_pos + 2, m_end);
    } else if (c == '\'' && (q == Quoting::none || q == Quoting::arith)) {
      single_quote(m_sink);
    } else if (c == '"') {
      double_quote(m_sink, f, SpanKind::double_quote, m_pos);
    } else if (c == '$') {
      dollar(m_sink, f, q == Quoting::arith ? Quoting::none : q);
    } else if (c == '`') {
      backtick(m_sink, f);
    } else {
      ++m_pos;
    }
  }
  error(ErrorKind::unterminated_param, begin);
  close_span(span, m_pos);
}

// The ) that closes an open ( before `from`, as bash's matched-pair reader finds it: quotes,
// escapes, ${...} and backticks skipped, parentheses counted, comments not recognised. Returns
// m_end when there is none.
std::size_t Lexer::matching_paren(std::size_t from, int depth) const {
  int open = 0;
  for (std::size_t i = from; i < m_end; ++i) {
    char c = m_src[i];
    if (c == '(') {
      ++open;
    } else if (c == ')') {
      if (open == 0) return i;
      --open;
    } else {
      i = skip_quoted(i, depth + 1) - 1;
    }
  }
  return m_end;
}

// Past the quoted construct at `i` ('...', "...", `...`, ${...}, \x), or i + 1 for any other byte.
std::size_t Lexer::skip_quoted(std::size_t i, int depth) const {
  if (depth > Script::k_max_depth) return m_end;
  char c = m_src[i];
  if (c == '\\') return std::min<std::size_t>(i + 2, m_end);
  if (c == '$' && at(i + 1) == '\'') {  // $'...' knows \' escapes
    for (std::size_t j = i + 2; j < m_end; ++j) {
      if (m_src[j] == '\\') ++j;
      else if (m_src[j] == '\'') return j + 1;
    }
    return m_end;
  }
  if (c == '\'' || c == '`') {
    for (std::size_t j = i + 1; j < m_end; ++j) {
      if (c == '`' && m_src[j] == '\\') ++j;
      else if (m_src[j] == c) return j + 1;
    }
    return m_end;
  }
  if (c == '"' || (c == '$' && at(i + 1) == '{')) {
    char close = c == '"' ? '"' : '}';
    for (std::size_t j = i + (c == '"' ? 1 : 2); j < m_end; ++j) {
      char d = m_src[j];
      if (d == close) return j + 1;
      if (d == '$' && at(j + 1) == '(') j = matching_paren(j + 2, depth + 1);
      else if (d == '\\' || d == '`' || d == '"' || (d == '$' && at(j + 1) == '{') || (d == '\'' && close == '}')) j = skip_quoted(j, depth + 1) - 1;
    }
    return m_end;
  }
  return i + 1;
}

// $((...)) when the parenthesis that closes the first ( is directly followed by another ).
bool Lexer::arith_closes(std::size_t from) const {
  std::size_t close = matching_paren(from, 0);
  return close < m_end && at(close + 1) == ')';
}

// $((...)), ((...)), $[...]: returns the span. Closes on `close` (doubled for parentheses) at depth 0.
int Lexer::arith(std::uint32_t begin, std::uint32_t open_size, char open, char close) {
  int span = open_span(SpanKind::arith, begin);
  m_pos = begin + open_size;
  int depth = 0;
  Flags f;
  while (!at_end()) {
    char c = m_src[m_pos];
    if (c == open) {
      ++depth;
      ++m_pos;
    } else if (c == close) {
      if (depth == 0) {
        std::uint32_t size = open == '(' ? 2 : 1;
        if (size == 2 && at(m_pos + 1) != ')') break;
        m_pos += size;
        close_span(span, m_pos);
        return span;
      }
      --depth;
      ++m_pos;
    } else if (c == '\\') {
      m_pos = std::min(m_pos + 2, m_end);
    } else if (c == '$') {
      dollar(m_sink, f, Quoting::arith);
    } else if (c == '`') {
      backtick(m_sink, f);
    } else if (c == '"') {
      double_quote(m_sink, f, SpanKind::double_quote, m_pos);
    } else {
      ++m_pos;
    }
  }
  error(ErrorKind::unterminated_arith, begin);
  close_span(span, m_pos);
  return span;
}

// $(...), <(...), >(...): a nested script up to the matching ).
void Lexer::command_sub(std::uint32_t begin, SpanKind kind) {
  int span = open_span(kind, begin);
  m_pos = begin + 2;
  bool array_ok = std::exchange(m_array_ok, true);
  list(stop_rparen, false);
  Token t = peek();
  if (t.type == Tok::op && t.op == Op::rparen) {
    consume();
  } else {
    m_has_peek = false;
    error(ErrorKind::unterminated_command_sub, begin);
  }
  m_array_ok = array_ok;
  close_span(span, m_pos);
}

// `...`: the text up to the next unescaped backtick, parsed as a nested script.
void Lexer::backtick(std::string& buf, Flags& f) {
  std::uint32_t begin = m_pos;
  std::size_t close = begin + 1;
  while (close < m_end && m_src[close] != '`') close += m_src[close] == '\\' ? 2 : 1;
  int span = open_span(SpanKind::backtick, begin);
  f.expands = true;
  if (close >= m_end) {
    error(ErrorKind::unterminated_backtick, begin);
    m_pos = m_end;
  } else {
    nested_range(begin + 1, static_cast<std::uint32_t>(close));
    if (!m_dead) m_pos = static_cast<std::uint32_t>(close + 1);
  }
  close_span(span, m_pos);
  buf.append(m_src.substr(begin, m_pos - begin));
}

// $(( that does not close as arithmetic: a command substitution whose end bash finds by counting
// parentheses and whose commands it parses only when it runs them.
void Lexer::deferred_command_sub(std::uint32_t begin) {
  std::size_t close = matching_paren(begin + 2, 0);
  int span = open_span(SpanKind::command_sub, begin);
  if (close >= m_end) {  // bash stops here too: nothing after it is read
    error(ErrorKind::unterminated_command_sub, begin);
    m_pos = m_end;
  } else {
    ++m_deferred;
    nested_range(begin + 2, static_cast<std::uint32_t>(close));
    --m_deferred;
    if (!m_dead) m_pos = static_cast<std::uint32_t>(close + 1);
  }
  close_span(span, m_pos);
}

// Parses [begin, end) as a script of its own (the inside of `...` or a deferred $(( ).
void Lexer::nested_range(std::uint32_t begin, std::uint32_t end) {
  std::uint32_t saved_end = m_end;
  bool array_ok = std::exchange(m_array_ok, true);
  m_end = end;
  m_pos = begin;
  list(0, false);
  m_has_peek = false;  // the end of the range, read as eof
  m_end = saved_end;
  m_array_ok = array_ok;
}

bool Lexer::is_assignment_prefix(std::size_t begin, std::size_t end) const {
  std::string_view s = m_src.substr(begin, end - begin);
  if (s.empty() || s.back() != '=' || !is_name_start(s[0])) return false;
  s.remove_suffix(1);
  if (!s.empty() && s.back() == '+') s.remove_suffix(1);
  std::size_t i = 1;
  while (i < s.size() && is_name_char(s[i])) ++i;
  if (i < s.size() && s[i] == '[' && s.back() == ']') return true;
  return i == s.size();
}

// NAME=( words ): the words are elements, read until the closing parenthesis.
void Lexer::array_assignment() {
  std::uint32_t begin = m_pos;
  int span = open_span(SpanKind::array, begin);
  ++m_pos;
  bool array_ok = std::exchange(m_array_ok, false);
  for (;;) {
    skip_blanks();
    if (at_end()) {
      error(ErrorKind::unexpected_token, begin);
      break;
    }
    char c = m_src[m_pos];
    if (c == '\n') {
      ++m_pos;
      continue;
    }
    if (c == ')') {
      ++m_pos;
      break;
    }
    if (c == ';' || c == '&' || c == '|' || c == '(' || ((c == '<' || c == '>') && at(m_pos + 1) != '(')) {
      error(ErrorKind::unexpected_token, m_pos);
      break;
    }
    scan_word(WordRole::element);
  }
  m_array_ok = array_ok;
  close_span(span, m_pos);
}

void Lexer::read_heredocs() {
  std::vector<PendingHeredoc> pending;
  pending.swap(m_pending);  // heredocs opened inside these bodies queue anew
  for (const PendingHeredoc& p : pending) read_heredoc(p);
}

void Lexer::read_heredoc(const PendingHeredoc& p) {
  std::string_view delimiter = std::string_view(m_out.m_text).substr(p.delim_begin, p.delim_size);
  Heredoc h;
  h.redirect = p.redirect;
  h.expands = p.expands;
  h.strip_tabs = p.strip_tabs;
  h.body_begin = m_pos;
  for (;;) {
    if (m_pos >= m_end) {
      h.body_end = h.end = m_end;
      h.terminated = false;
      error(ErrorKind::unterminated_heredoc, m_out.m_redirects[static_cast<std::size_t>(p.redirect)].begin);
      m_unit_heredoc_end = std::max(m_unit_heredoc_end, m_end);
      break;
    }
    const void* nl = std::memchr(m_src.data() + m_pos, '\n', m_end - m_pos);
    auto eol = nl != nullptr ? static_cast<std::uint32_t>(static_cast<const char*>(nl) - m_src.data()) : m_end;
    std::string_view line = m_src.substr(m_pos, eol - m_pos);
    if (p.strip_tabs) line.remove_prefix(std::min(line.find_first_not_of('\t'), line.size()));
    if (line == delimiter) {
      h.body_end = m_pos;
      h.end = eol < m_end ? eol + 1 : eol;
      m_unit_heredoc_end = std::max(m_unit_heredoc_end, eol);
      break;
    }
    m_pos = eol < m_end ? eol + 1 : eol;
  }
  auto index = m_out.m_heredocs.size();  // reserved first: bodies may hold heredocs of their own
  m_out.m_heredocs.push_back(h);
  m_out.m_redirects[static_cast<std::size_t>(p.redirect)].heredoc = static_cast<int>(index);
  h.span = open_span(h.expands ? SpanKind::heredoc : SpanKind::heredoc_literal, h.body_begin);
  if (h.expands) scan_heredoc_body(h.body_begin, h.body_end);
  close_span(h.span, h.body_end);
  m_out.m_heredocs[index] = h;
  if (!m_dead) m_pos = h.end;
}

// $..., $(...) and `...` in an expanding body; quotes are plain characters there.
void Lexer::scan_heredoc_body(std::uint32_t begin, std::uint32_t end) {
  std::uint32_t saved_end = m_end;
  m_end = end;
  m_pos = begin;
  ++m_deferred;
  Flags f;
  if (m_sink.size() > 4096) m_sink.clear();
  while (!at_end()) {
    char c = m_src[m_pos];
    if (c == '\\') {
      m_pos = std::min(m_pos + 2, m_end);
    } else if (c == '$') {
      dollar(m_sink, f, Quoting::heredoc);
    } else if (c == '`') {
      backtick(m_sink, f);
    } else {
      ++m_pos;
    }
  }
  if (!m_pending.empty() && !m_dead) read_heredocs();  // opened in the body, never closed there
  --m_deferred;
  m_end = saved_end;
}

}  // namespace opsbook::model::shell
