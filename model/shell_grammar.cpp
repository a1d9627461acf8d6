// The shell lexer's grammar: lists, pipelines, simple commands and compound statements, read
// from the scanner's tokens with one token of lookahead. Recovers from errors token by token.
#include <algorithm>

#include "shell_scanner.hpp"

namespace opsbook::model::shell {

namespace {

bool is_assignment(std::string_view raw) {
  std::size_t eq = raw.find('=');
  // a[i=1]=x: the subscript (arithmetic) may hold '='; the assignment's is after its ']'.
  if (std::size_t open = raw.find('['); open != std::string_view::npos && open < eq) {
    std::size_t close = raw.find(']', open);
    eq = close == std::string_view::npos ? std::string_view::npos : raw.find('=', close);
  }
  if (eq == std::string_view::npos || eq == 0) return false;
  std::string_view name = raw.substr(0, eq);
  if (name.back() == '+') name.remove_suffix(1);
  if (std::size_t bracket = name.find('['); bracket != std::string_view::npos) {
    if (name.back() != ']') return false;
    name = name.substr(0, bracket);
  }
  if (name.empty() || !((name[0] >= 'a' && name[0] <= 'z') || (name[0] >= 'A' && name[0] <= 'Z') || name[0] == '_')) return false;
  for (char c : name) {
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_')) return false;
  }
  return true;
}

// Builtins whose NAME=(...) arguments are array assignments.
bool is_declaration(std::string_view name) {
  return name == "declare" || name == "typeset" || name == "local" || name == "export" || name == "readonly";
}

}  // namespace

Lexer::Token Lexer::peek() {
  if (!m_has_peek) {
    Token t = lex_token();  // may parse nested scripts, which use the lookahead themselves
    m_peek = t;
    m_has_peek = true;
  }
  return m_peek;
}

Lexer::Token Lexer::consume() {
  Token t = peek();
  m_has_peek = false;
  if (t.type != Tok::newline && t.type != Tok::eof) m_last_end = t.end;
  return t;
}

Lexer::Token Lexer::consume_keyword() {
  Token t = consume();
  if (t.word >= 0) word(t.word).role = WordRole::keyword;
  return t;
}

bool Lexer::is_keyword(const Token& t, std::string_view kw) const {
  if (t.type != Tok::word || t.end - t.begin != kw.size() || raw(t) != kw) return false;
  const Word& w = m_out.m_words[static_cast<std::size_t>(t.word)];
  return !w.quoted && !w.expands;
}

// A word short enough to be a reserved word ("function" is the longest).
bool Lexer::maybe_keyword(const Token& t) const { return t.type == Tok::word && t.end - t.begin <= 8; }

// Reserved words that may not start a command.
bool Lexer::is_closer(const Token& t) const {
  static constexpr std::string_view k_closers[] = {"then", "else", "elif", "fi", "do", "done", "esac", "}"};
  if (!maybe_keyword(t)) return false;
  for (std::string_view kw : k_closers) {
    if (is_keyword(t, kw)) return true;
  }
  return false;
}

bool Lexer::is_stop(const Token& t, unsigned stops) const {
  if (t.type == Tok::op) {
    if (t.op == Op::rparen) return (stops & stop_rparen) != 0;
    if (t.op == Op::dsemi || t.op == Op::semi_amp || t.op == Op::dsemi_amp) return (stops & stop_dsemi) != 0;
    return false;
  }
  return ((stops & stop_rbrace) != 0 && is_keyword(t, "}")) || ((stops & stop_then) != 0 && is_keyword(t, "then")) ||
         ((stops & stop_do) != 0 && is_keyword(t, "do")) || ((stops & stop_done) != 0 && is_keyword(t, "done")) ||
         ((stops & stop_fi) != 0 && is_keyword(t, "fi")) ||
         ((stops & stop_else) != 0 && (is_keyword(t, "else") || is_keyword(t, "elif"))) ||
         ((stops & stop_esac) != 0 && is_keyword(t, "esac"));
}

bool Lexer::is_op(const Token& t, Op op) const { return t.type == Tok::op && t.op == op; }

bool Lexer::starts_command(const Token& t) const {
  if (t.type == Tok::word) return !is_closer(t);
  return t.type == Tok::redirect || (t.type == Tok::op && t.op == Op::lparen);
}

void Lexer::skip_newlines() {
  while (peek().type == Tok::newline) consume();
}

// Commands separated by ; & and newlines, up to a stop (or eof). At the top level each line's
// commands form a unit. Returns how many and-or lists were read.
int Lexer::list(unsigned stops, bool top) {
  int count = 0;
  for (;;) {
    Token t = peek();
    if (t.type == Tok::newline) {
      consume();
      if (top) end_unit();
      continue;
    }
    if (t.type == Tok::eof || is_stop(t, stops)) {
      if (top) end_unit();
      return count;
    }
    if (top && m_unit < 0) begin_unit(t.begin);
    if (!starts_command(t)) {
      error(ErrorKind::unexpected_token, t.begin);
      consume();
      continue;
    }
    and_or();
    ++count;
    t = peek();
    if (t.type == Tok::op && (t.op == Op::semi || t.op == Op::amp)) {
      consume();
    } else if (t.type != Tok::newline && t.type != Tok::eof && !is_stop(t, stops)) {
      error(ErrorKind::unexpected_token, t.begin);
      consume();
    }
  }
}

void Lexer::begin_unit(std::uint32_t begin) {
  m_unit = static_cast<std::int32_t>(m_out.m_units.size());
  Unit u;
  u.begin = begin;
  u.commands_begin = static_cast<std::uint32_t>(m_out.m_commands.size());
  m_out.m_units.push_back(u);
  m_unit_first = true;
  m_unit_heredoc_end = 0;
}

void Lexer::end_unit() {
  if (m_unit < 0) return;
  Unit& u = m_out.m_units[static_cast<std::size_t>(m_unit)];
  u.end = std::max({m_last_end, m_unit_heredoc_end, u.begin});
  u.commands_size = static_cast<std::uint32_t>(m_out.m_commands.size()) - u.commands_begin;
  m_unit = -1;
}

void Lexer::and_or() {
  pipeline();
  for (;;) {
    Token t = peek();
    if (t.type != Tok::op || (t.op != Op::and_if && t.op != Op::or_if)) return;
    consume();
    skip_newlines();
    if (!starts_command(peek())) {
      error(ErrorKind::unexpected_token, peek().begin);
      return;
    }
    pipeline();
  }
}

void Lexer::pipeline() {
  for (;;) {  // ! and time [-p] before the pipeline
    Token t = peek();
    if (is_keyword(t, "!")) {
      consume_keyword();
    } else if (is_keyword(t, "time")) {
      consume_keyword();
      if (is_keyword(peek(), "-p")) consume_keyword();
    } else {
      break;
    }
    if (!starts_command(peek())) return;
  }
  int prev = command();
  for (;;) {
    Token t = peek();
    if (t.type != Tok::op || (t.op != Op::pipe && t.op != Op::pipe_amp)) return;
    consume();
    skip_newlines();
    if (!starts_command(peek())) {
      error(ErrorKind::unexpected_token, peek().begin);
      return;
    }
    int next = command();
    if (prev >= 0 && next >= 0) {
      m_out.m_commands[static_cast<std::size_t>(prev)].pipe_next = next;
      m_out.m_commands[static_cast<std::size_t>(next)].pipe_prev = prev;
    }
    prev = next;
  }
}

// One command: simple, or compound with its redirections. Returns the simple command's index,
// -1 for a compound statement.
int Lexer::command() {
  Token t = peek();
  enum class Kind { simple, compound, bad } kind = Kind::bad;
  if (t.type == Tok::word && !is_closer(t)) {
    kind = Kind::simple;
    static constexpr std::string_view k_openers[] = {"if", "for", "select", "while", "until", "case", "{", "[[", "function"};
    for (std::string_view kw : k_openers) {
      if (maybe_keyword(t) && is_keyword(t, kw)) kind = Kind::compound;
    }
    if (kind == Kind::simple && is_function_def(t)) kind = Kind::compound;
  } else if (t.type == Tok::redirect) {
    kind = Kind::simple;
  } else if (t.type == Tok::op && t.op == Op::lparen) {
    kind = Kind::compound;
  }
  if (m_unit >= 0 && m_unit_first) {
    m_unit_first = false;
    m_out.m_units[static_cast<std::size_t>(m_unit)].compound = kind == Kind::compound;
  }
  if (kind == Kind::simple) return simple_command();
  if (kind == Kind::bad) {
    error(ErrorKind::unexpected_token, t.begin);
    consume();
    return -1;
  }
  int span = -1;
  if (t.type == Tok::op) {
    span = at(t.end) == '(' && arith_closes(t.end + 1) ? arith_command(t) : subshell();
  } else if (is_keyword(t, "if")) {
    span = if_clause();
  } else if (is_keyword(t, "for") || is_keyword(t, "select")) {
    span = for_loop();
  } else if (is_keyword(t, "while") || is_keyword(t, "until")) {
    span = while_loop();
  } else if (is_keyword(t, "case")) {
    span = case_clause();
  } else if (is_keyword(t, "{")) {
    span = group();
  } else if (is_keyword(t, "[[")) {
    span = test();
  } else if (is_keyword(t, "function")) {
    span = function_keyword();
  } else {
    span = function_def();
  }
  compound_redirects(span);
  return -1;
}

int Lexer::simple_command() {
  auto index = static_cast<std::int32_t>(m_out.m_commands.size());
  m_out.m_commands.emplace_back();  // reserved now: commands stay in source order
  SimpleCommand c;
  c.begin = peek().begin;
  c.span = m_open.empty() ? -1 : m_open.back();
  c.unit = m_unit;
  std::size_t args_base = m_scratch_args.size(), redirs_base = m_scratch_redirs.size();
  bool prefix = true, declaration = false;
  for (;;) {
    Token t = peek();
    if (t.type == Tok::word) {
      consume();
      Word& w = word(t.word);
      w.command = index;
      if (prefix && is_assignment(raw(t))) {
        w.role = WordRole::assignment;
        ++c.assignments;
      } else if (prefix) {
        prefix = false;
        declaration = is_declaration(m_out.text(w));
      }
      m_array_ok = prefix || declaration;
      m_scratch_args.push_back(static_cast<std::uint32_t>(t.word));
    } else if (t.type == Tok::redirect) {
      m_scratch_redirs.push_back(static_cast<std::uint32_t>(redirect(index, -1)));
    } else {
      break;
    }
  }
  m_array_ok = true;
  c.args_begin = static_cast<std::uint32_t>(m_out.m_args.size());
  c.args_size = static_cast<std::uint32_t>(m_scratch_args.size() - args_base);
  m_out.m_args.insert(m_out.m_args.end(), m_scratch_args.begin() + static_cast<long>(args_base), m_scratch_args.end());
  m_scratch_args.resize(args_base);
  c.redirs_begin = static_cast<std::uint32_t>(m_out.m_redir_ids.size());
  c.redirs_size = static_cast<std::uint32_t>(m_scratch_redirs.size() - redirs_base);
  m_out.m_redir_ids.insert(m_out.m_redir_ids.end(), m_scratch_redirs.begin() + static_cast<long>(redirs_base), m_scratch_redirs.end());
  m_scratch_redirs.resize(redirs_base);
  c.end = m_last_end;
  m_out.m_commands[static_cast<std::size_t>(index)] = c;
  return index;
}

// A redirection and its target word; a heredoc's body is read at the next newline.
int Lexer::redirect(int command, int compound) {
  Token t = consume();
  auto index = static_cast<int>(m_out.m_redirects.size());
  Redirect r;
  r.begin = t.begin;
  r.end = t.end;
  r.op = t.redirect;
  r.fd = t.fd;
  r.command = command;
  r.compound = compound;
  Token target = peek();
  if (target.type != Tok::word) {
    error(ErrorKind::missing_redirect_target, t.begin);
    m_out.m_redirects.push_back(r);
    return index;
  }
  consume();
  Word& w = word(target.word);
  bool heredoc = r.op == RedirectOp::heredoc || r.op == RedirectOp::heredoc_tabs;
  w.role = heredoc ? WordRole::heredoc_delimiter : WordRole::redirect_target;
  w.command = command;
  r.target = target.word;
  m_out.m_redirects.push_back(r);
  if (heredoc) m_pending.push_back(PendingHeredoc{index, w.text_begin, w.text_size, !w.quoted, r.op == RedirectOp::heredoc_tabs});
  return index;
}

void Lexer::compound_redirects(int span) {
  while (peek().type == Tok::redirect) redirect(-1, span);
}

// A list that must hold at least one command (bash rejects `if then`, `{ }`...).
bool Lexer::nonempty_list(unsigned stops, std::uint32_t open) {
  if (list(stops, false) > 0) return true;
  Token t = peek();
  unexpected(t, open);
  return false;
}

// At eof the statement opened at `open` is unterminated; anywhere else the token is unexpected.
void Lexer::unexpected(const Token& t, std::uint32_t open) {
  if (t.type == Tok::eof) error(ErrorKind::unterminated_compound, open);
  else error(ErrorKind::unexpected_token, t.begin);
}

bool Lexer::expect(std::string_view kw, std::uint32_t open) {
  Token t = peek();
  if (is_keyword(t, kw)) {
    consume_keyword();
    return true;
  }
  unexpected(t, open);
  return false;
}

int Lexer::finish(int span) {
  close_span(span, m_last_end);
  return span;
}

int Lexer::if_clause() {
  Token kw = consume_keyword();
  int span = open_span(SpanKind::if_clause, kw.begin);
  nonempty_list(stop_then, kw.begin);
  if (!expect("then", kw.begin)) return finish(span);
  nonempty_list(stop_else | stop_fi, kw.begin);
  while (is_keyword(peek(), "elif")) {
    consume_keyword();
    nonempty_list(stop_then, kw.begin);
    if (!expect("then", kw.begin)) return finish(span);
    nonempty_list(stop_else | stop_fi, kw.begin);
  }
  if (is_keyword(peek(), "else")) {
    consume_keyword();
    nonempty_list(stop_fi, kw.begin);
  }
  expect("fi", kw.begin);
  return finish(span);
}

int Lexer::while_loop() {
  Token kw = consume_keyword();
  int span = open_span(SpanKind::while_loop, kw.begin);
  nonempty_list(stop_do, kw.begin);
  if (expect("do", kw.begin)) {
    nonempty_list(stop_done, kw.begin);
    expect("done", kw.begin);
  }
  return finish(span);
}

// for NAME [in WORDS] ; do LIST done, for ((...)) ; do LIST done, and select alike.
int Lexer::for_loop() {
  Token kw = consume_keyword();
  int span = open_span(SpanKind::for_loop, kw.begin);
  Token t = peek();
  if (raw(kw) == "for" && t.type == Tok::op && t.op == Op::lparen && at(t.end) == '(') {
    m_has_peek = false;
    arith(t.begin, 2, '(', ')');
    m_last_end = m_pos;
    if (Token s = peek(); s.type == Tok::op && s.op == Op::semi) consume();
  } else {
    if (t.type != Tok::word) {
      unexpected(t, kw.begin);
      return finish(span);
    }
    word(consume().word).role = WordRole::name;
    skip_newlines();
    t = peek();
    if (is_keyword(t, "in")) {
      consume_keyword();
      while ((t = peek()).type == Tok::word) word(consume().word).role = WordRole::list;
      if (t.type == Tok::op && t.op == Op::semi) {
        consume();
      } else if (t.type != Tok::newline) {
        unexpected(t, kw.begin);
        return finish(span);
      }
    } else if (t.type == Tok::op && t.op == Op::semi) {
      consume();
    }
  }
  skip_newlines();
  if (is_keyword(peek(), "{")) {
    group();
  } else if (expect("do", kw.begin)) {
    nonempty_list(stop_done, kw.begin);
    expect("done", kw.begin);
  }
  return finish(span);
}

int Lexer::case_clause() {
  Token kw = consume_keyword();
  int span = open_span(SpanKind::case_clause, kw.begin);
  Token t = peek();
  if (t.type != Tok::word) {
    unexpected(t, kw.begin);
    return finish(span);
  }
  word(consume().word).role = WordRole::list;
  skip_newlines();
  if (!expect("in", kw.begin)) return finish(span);
  for (;;) {
    skip_newlines();
    t = peek();
    if (is_keyword(t, "esac")) {
      consume_keyword();
      return finish(span);
    }
    if (t.type == Tok::op && t.op == Op::lparen) consume();
    for (;;) {  // pattern | pattern )
      t = peek();
      if (t.type != Tok::word) {
        unexpected(t, kw.begin);
        return finish(span);
      }
      word(consume().word).role = WordRole::pattern;
      t = peek();
      if (t.type == Tok::op && t.op == Op::pipe) {
        consume();
        continue;
      }
      if (t.type == Tok::op && t.op == Op::rparen) {
        consume();
        break;
      }
      unexpected(t, kw.begin);
      return finish(span);
    }
    list(stop_dsemi | stop_esac, false);
    t = peek();
    if (t.type == Tok::op && (t.op == Op::dsemi || t.op == Op::semi_amp || t.op == Op::dsemi_amp)) {
      consume();
      continue;
    }
    expect("esac", kw.begin);
    return finish(span);
  }
}

int Lexer::group() {
  Token kw = consume_keyword();
  int span = open_span(SpanKind::group, kw.begin);
  nonempty_list(stop_rbrace, kw.begin);
  expect("}", kw.begin);
  return finish(span);
}

int Lexer::subshell() {
  Token open = consume();
  int span = open_span(SpanKind::subshell, open.begin);
  nonempty_list(stop_rparen, open.begin);
  Token t = peek();
  if (t.type == Tok::op && t.op == Op::rparen) consume();
  else unexpected(t, open.begin);
  return finish(span);
}

// [[ ... ]]: bash's conditional grammar; < > ( ) && || and ! are its own operators there.
int Lexer::test() {
  Token kw = consume_keyword();
  int span = open_span(SpanKind::test, kw.begin);
  bool ok = cond_or();
  Token t = peek();
  if (ok && is_keyword(t, "]]")) {
    consume_keyword();
  } else {
    if (ok) error(ErrorKind::unexpected_token, t.begin);
    // Skip to the closing ]] on this line, so that the rest of the script reads as usual.
    while ((t = peek()).type != Tok::eof && t.type != Tok::newline && !is_keyword(t, "]]")) consume();
    if (is_keyword(t, "]]")) consume_keyword();
    else if (t.type == Tok::eof) error(ErrorKind::unterminated_compound, kw.begin);
  }
  return finish(span);
}

bool Lexer::cond_or() {
  if (!cond_and()) return false;
  while (is_op(peek(), Op::or_if)) {
    consume();
    if (!cond_and()) return false;
  }
  return true;
}

bool Lexer::cond_and() {
  if (!cond_term()) return false;
  while (is_op(peek(), Op::and_if)) {
    consume();
    if (!cond_term()) return false;
  }
  return true;
}

namespace {

bool is_unary_test(std::string_view w) {
  return w.size() == 2 && w[0] == '-' && std::string_view("abcdefghknoprstuvwxzGLNORS").find(w[1]) != std::string_view::npos;
}

bool is_binary_test(std::string_view w) {
  for (std::string_view op : {"=", "==", "!=", "=~", "-eq", "-ne", "-lt", "-le", "-gt", "-ge", "-nt", "-ot", "-ef"}) {
    if (w == op) return true;
  }
  return false;
}

}  // namespace

// One term; an empty one (before ]]) is allowed, as bash allows `[[ ]]` and `[[ ! ]]`.
bool Lexer::cond_term() {
  skip_newlines();
  Token t = peek();
  if (is_keyword(t, "]]")) return true;
  if (++m_cond_depth > Script::k_max_depth) {
    error(ErrorKind::too_deep, t.begin);
    m_dead = true;
  }
  bool ok = false;
  if (is_op(t, Op::lparen)) {
    consume();
    ok = cond_or() && is_op(peek(), Op::rparen);
    if (ok) consume();
    else error(ErrorKind::unexpected_token, peek().begin);
  } else if (is_keyword(t, "!")) {
    consume_keyword();
    ok = cond_term();
  } else if (t.type == Tok::word) {
    ok = cond_operands();
  } else {
    error(ErrorKind::unexpected_token, t.begin);
  }
  --m_cond_depth;
  return ok;
}

// WORD, -op WORD, WORD op WORD (op: a test word, < or >; =~ takes a regular expression).
bool Lexer::cond_operands() {
  Token first = consume();
  word(first.word).role = WordRole::operand;
  Token t = peek();
  bool unary = is_unary_test(m_out.text(word(first.word))) && !word(first.word).quoted;
  bool ends = is_keyword(t, "]]") || is_op(t, Op::and_if) || is_op(t, Op::or_if) || is_op(t, Op::rparen);
  if (unary && !ends) {
    if (t.type != Tok::word) {
      error(ErrorKind::unexpected_token, t.begin);
      return false;
    }
    word(consume().word).role = WordRole::operand;
    skip_newlines();  // bash reads on past newlines after a complete test, not after a lone word
    return true;
  }
  if (ends) return true;
  bool compare = t.type == Tok::redirect && t.fd < 0 && (t.redirect == RedirectOp::in || t.redirect == RedirectOp::out);
  if (!compare && !(t.type == Tok::word && is_binary_test(raw(t)))) {
    error(ErrorKind::unexpected_token, t.begin);
    return false;
  }
  consume();
  if (t.type == Tok::word) {
    word(t.word).role = WordRole::operand;
    if (raw(t) == "=~") m_regex_next = true;
  }
  Token right = peek();
  if (right.type != Tok::word || is_keyword(right, "]]")) {
    error(ErrorKind::unexpected_token, right.begin);
    return false;
  }
  word(consume().word).role = WordRole::operand;
  skip_newlines();
  return true;
}

int Lexer::arith_command(const Token& t) {
  m_has_peek = false;
  int span = arith(t.begin, 2, '(', ')');
  m_last_end = m_pos;
  return span;
}

// NAME ( ) with a literal NAME.
bool Lexer::is_function_def(const Token& t) const {
  const Word& w = m_out.m_words[static_cast<std::size_t>(t.word)];
  if (w.quoted || w.expands) return false;
  std::size_t j = t.end;
  while (at(j) == ' ' || at(j) == '\t') ++j;
  if (at(j) != '(') return false;
  ++j;
  while (at(j) == ' ' || at(j) == '\t') ++j;
  return at(j) == ')';
}

int Lexer::function_def() {
  Token name = consume();
  word(name.word).role = WordRole::name;
  int span = open_span(SpanKind::function, name.begin);
  while (m_src[m_pos] != ')') ++m_pos;  // is_function_def saw "( )"
  m_last_end = ++m_pos;
  function_body(span);
  return finish(span);
}

// function NAME [( )] BODY
int Lexer::function_keyword() {
  Token kw = consume_keyword();
  int span = open_span(SpanKind::function, kw.begin);
  Token name = peek();
  if (name.type != Tok::word) {
    unexpected(name, kw.begin);
    return finish(span);
  }
  bool parens = is_function_def(name);
  word(consume().word).role = WordRole::name;
  if (parens) {
    while (m_src[m_pos] != ')') ++m_pos;
    m_last_end = ++m_pos;
  }
  function_body(span);
  return finish(span);
}

// The body of a function: a compound command.
void Lexer::function_body(int span) {
  skip_newlines();
  Token t = peek();
  bool compound = (t.type == Tok::op && t.op == Op::lparen);
  static constexpr std::string_view k_bodies[] = {"{", "if", "for", "select", "while", "until", "case", "[["};
  for (std::string_view kw : k_bodies) {
    if (is_keyword(t, kw)) compound = true;
  }
  if (!compound) {
    unexpected(t, m_out.m_spans[static_cast<std::size_t>(span)].begin);
    return;
  }
  command();
}

}  // namespace opsbook::model::shell
