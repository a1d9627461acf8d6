// Internal to the shell lexer: the Lexer behind shell::lex(). shell_scanner.cpp scans tokens,
// words, quotes, expansions and heredoc bodies; shell_grammar.cpp parses lists, pipelines and
// compound statements from those tokens. Include shell_lexer.hpp instead.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "shell_lexer.hpp"

namespace opsbook::model::shell {

// After '$': a name, a digit, a special parameter, or one of { ( [ : an expansion follows.
bool starts_expansion(char c);

class Lexer {
 public:
  Lexer(std::string_view source, Script& out, Placeholders placeholders);
  void run();

 private:
  enum class Tok : std::uint8_t { eof, word, newline, op, redirect };
  enum class Op : std::uint8_t { none, semi, dsemi, semi_amp, dsemi_amp, amp, and_if, or_if, pipe, pipe_amp, lparen, rparen };
  struct Token {
    Tok type = Tok::eof;
    Op op = Op::none;
    RedirectOp redirect = RedirectOp::out;
    int fd = -1;
    std::uint32_t begin = 0, end = 0;
    std::int32_t word = -1;
  };
  struct Flags {
    bool quoted = false, expands = false, globs = false;
  };
  // What surrounds a `$`: decides whether $'...' and $"..." are quotes and '...' is literal.
  enum class Quoting : std::uint8_t { none, dquote, heredoc, arith };
  struct PendingHeredoc {
    std::int32_t redirect = -1;
    std::uint32_t delim_begin = 0, delim_size = 0;  // in Script::m_text
    bool expands = true, strip_tabs = false;
  };
  // Words that end a list when they stand where a command would.
  enum Stop : unsigned {
    stop_rparen = 1, stop_rbrace = 2, stop_then = 4, stop_do = 8, stop_done = 16, stop_fi = 32,
    stop_else = 64, stop_esac = 128, stop_dsemi = 256,
  };

  // --- scanner (shell_scanner.cpp)
  [[nodiscard]] bool at_end() const { return m_dead || m_pos >= m_end; }
  [[nodiscard]] char at(std::size_t i) const { return i < m_end ? m_src[i] : '\0'; }
  Token lex_token();
  void skip_blanks();
  bool lex_operator(Token& t);
  [[nodiscard]] std::size_t placeholder_size(std::size_t p) const;
  int scan_word(WordRole role);
  void single_quote(std::string& buf);
  void double_quote(std::string& buf, Flags& f, SpanKind kind, std::uint32_t begin);
  void ansi_c_quote(std::string& buf, Flags& f);
  void ansi_c_escape(std::string& buf, Flags& f);
  void dollar(std::string& buf, Flags& f, Quoting q);
  void param(Quoting q);
  int arith(std::uint32_t begin, std::uint32_t open_size, char open, char close);
  [[nodiscard]] std::size_t matching_paren(std::size_t from, int depth) const;
  [[nodiscard]] std::size_t skip_quoted(std::size_t i, int depth) const;
  [[nodiscard]] bool arith_closes(std::size_t from) const;
  void deferred_command_sub(std::uint32_t begin);
  void nested_range(std::uint32_t begin, std::uint32_t end);
  void command_sub(std::uint32_t begin, SpanKind kind);
  void backtick(std::string& buf, Flags& f);
  void array_assignment();
  [[nodiscard]] bool is_assignment_prefix(std::size_t begin, std::size_t end) const;
  void read_heredocs();
  void read_heredoc(const PendingHeredoc& p);
  void scan_heredoc_body(std::uint32_t begin, std::uint32_t end);
  int open_span(SpanKind kind, std::uint32_t begin);
  void close_span(int span, std::uint32_t end);
  void error(ErrorKind kind, std::uint32_t offset);
  Word& word(int index) { return m_out.m_words[static_cast<std::size_t>(index)]; }
  [[nodiscard]] std::string_view raw(const Token& t) const { return m_src.substr(t.begin, t.end - t.begin); }

  // --- grammar (shell_grammar.cpp)
  Token peek();
  Token consume();
  Token consume_keyword();
  [[nodiscard]] bool is_keyword(const Token& t, std::string_view kw) const;
  [[nodiscard]] bool is_closer(const Token& t) const;
  [[nodiscard]] bool maybe_keyword(const Token& t) const;
  [[nodiscard]] bool is_stop(const Token& t, unsigned stops) const;
  [[nodiscard]] bool starts_command(const Token& t) const;
  void skip_newlines();
  int list(unsigned stops, bool top);
  void begin_unit(std::uint32_t begin);
  void end_unit();
  void and_or();
  void pipeline();
  int command();
  int simple_command();
  int redirect(int command, int compound);
  void compound_redirects(int span);
  bool nonempty_list(unsigned stops, std::uint32_t open);
  bool expect(std::string_view kw, std::uint32_t open);
  void unexpected(const Token& t, std::uint32_t open);
  int finish(int span);
  int if_clause();
  int while_loop();
  int for_loop();
  int case_clause();
  int group();
  int subshell();
  int test();
  bool cond_or();
  bool cond_and();
  bool cond_term();
  bool cond_operands();
  [[nodiscard]] bool is_op(const Token& t, Op op) const;
  int arith_command(const Token& t);
  [[nodiscard]] bool is_function_def(const Token& t) const;
  int function_def();
  int function_keyword();
  void function_body(int span);

  std::string_view m_src;
  Script& m_out;
  Placeholders m_placeholders;
  std::uint32_t m_pos = 0;
  std::uint32_t m_end = 0;  // lowered while reading a `...` or a heredoc body
  bool m_dead = false;      // too deep: everything after is left unread
  Token m_peek;
  bool m_has_peek = false;
  bool m_regex_next = false;  // the next word is the right side of =~
  bool m_array_ok = true;     // a NAME=( here opens an array assignment
  int m_deferred = 0;  // > 0 while reading what bash parses only at run time
  int m_cond_depth = 0;
  std::uint32_t m_last_end = 0;  // end of the last token consumed
  std::int32_t m_unit = -1;
  bool m_unit_first = false;
  std::uint32_t m_unit_heredoc_end = 0;
  // Working memory, kept per thread: lexing many small snippets must not allocate it each time.
  struct Scratch {
    std::vector<int> open;            // spans open around the current position
    std::vector<int> word_stack;      // words being scanned (outer ones hold $(...) being parsed)
    std::vector<std::string> bufs;    // quote-removed text of the word being scanned, per depth
    std::string sink;                 // text of nested expansions, never read
    std::vector<std::uint32_t> args, redirs;
  };
  static Scratch& scratch();
  Scratch& m_scratch = scratch();
  std::vector<int>& m_open = m_scratch.open;
  std::vector<int>& m_word_stack = m_scratch.word_stack;
  std::vector<std::string>& m_bufs = m_scratch.bufs;
  std::string& m_sink = m_scratch.sink;
  std::vector<std::uint32_t>& m_scratch_args = m_scratch.args;
  std::vector<std::uint32_t>& m_scratch_redirs = m_scratch.redirs;
  std::vector<PendingHeredoc> m_pending;
};

}  // namespace opsbook::model::shell
