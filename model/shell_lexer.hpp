// The one shell lexer: words with their byte ranges and quoting contexts, operators, redirections,
// heredocs, comments and compound statements of a bash script. Pure (never executes or expands
// anything), linear time, bounded nesting; problems are reported as data, never thrown.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

// API in short (namespace opsbook::model::shell):
//   Script s = lex(source);           // `source` must outlive `s` (offsets and views point into it)
//   s.units()                         // top-level commands: what a reader types and presses Enter on
//   s.commands()                      // every simple command, in source order, nested ones included
//   s.args(cmd), s.text(word)         // a command's words; a word with quotes removed
//   s.span_at(offset), s.spans()[i].parent   // the quoting context of a byte and what encloses it
//   s.redirects(cmd), s.heredocs()    // redirections; heredoc bodies with their consumer
//   s.errors()                        // unterminated quotes, heredocs, compounds... with offsets
namespace opsbook::model::shell {

// Quoting contexts and enclosing constructs. Every byte of the source sits in the innermost span
// that contains it, or in none (unquoted, top level).
enum class SpanKind : std::uint8_t {
  single_quote,     // '...'
  ansi_c_quote,     // $'...'
  double_quote,     // "..."
  locale_quote,     // $"..."
  command_sub,      // $(...)
  backtick,         // `...`
  param,            // ${...}
  variable,         // $name, $1, $@ ...
  arith,            // $((...)), ((...)), $[...], for ((...))
  test,             // [[ ... ]]
  process_sub,      // <(...), >(...)
  heredoc,          // body of <<X (expands $, ` and \)
  heredoc_literal,  // body of <<'X', <<"X", <<\X (taken as is)
  comment,          // # ... up to the end of the line
  subshell,         // ( ... ) as a command
  group,            // { ...; }
  if_clause,        // if ... fi
  for_loop,         // for ... done (also select)
  while_loop,       // while/until ... done
  case_clause,      // case ... esac
  function,         // name() body, function name body
  array,            // name=( ... )
};
std::string_view to_string(SpanKind kind);

struct Span {
  SpanKind kind = SpanKind::single_quote;
  std::uint32_t begin = 0;  // first byte (the opening quote or keyword)
  std::uint32_t end = 0;    // one past the last byte (the closing quote or keyword)
  std::int32_t parent = -1;
};

enum class WordRole : std::uint8_t {
  arg,              // command name or argument of a simple command
  assignment,       // NAME=value before the command name
  redirect_target,  // the file of > file, the word of <<< word
  heredoc_delimiter,
  keyword,          // if, then, do, done, {, }, [[, ]], !, time, ...
  name,             // for NAME, select NAME, function NAME
  list,             // the words after `for x in`, the subject of `case`
  pattern,          // a case pattern
  operand,          // a word inside [[ ... ]]
  element,          // a word of an array assignment
};

struct Word {
  std::uint32_t begin = 0, end = 0;  // raw bytes in the source
  std::uint32_t text_begin = 0, text_size = 0;  // quote-removed text (see Script::text)
  std::int32_t command = -1;  // simple command it belongs to, -1 for none
  std::int32_t outer = -1;    // the word whose $(...) or `...` holds this one, -1 for none
  WordRole role = WordRole::arg;
  bool quoted = false;   // some part was quoted or escaped
  bool expands = false;  // holds $..., `...`, <(...): its value is known only at run time
  bool globs = false;    // unquoted *, ?, [, a {..} group or a leading ~: the shell may rewrite it
  [[nodiscard]] bool literal() const { return !expands && !globs; }
};

enum class RedirectOp : std::uint8_t {
  in,            // <
  out,           // >
  append,        // >>
  clobber,       // >|
  in_out,        // <>
  dup_in,        // <&
  dup_out,       // >&
  out_err,       // &>
  append_err,    // &>>
  heredoc,       // <<
  heredoc_tabs,  // <<-
  herestring,    // <<<
};
std::string_view to_string(RedirectOp op);

struct Redirect {
  std::uint32_t begin = 0, end = 0;  // the operator with its fd, e.g. "2>" of "2>&1"
  RedirectOp op = RedirectOp::out;
  int fd = -1;                   // explicit file descriptor, -1 when none
  std::int32_t target = -1;      // word index: file, fd, here-string word or heredoc delimiter
  std::int32_t heredoc = -1;     // index into heredocs() for << and <<-
  std::int32_t command = -1;     // simple command it belongs to, or -1 ...
  std::int32_t compound = -1;    // ... the span of the compound statement it follows (done > f)
};

struct Heredoc {
  std::uint32_t body_begin = 0, body_end = 0;  // the body, without the terminator line
  std::uint32_t end = 0;       // past the terminator line
  std::int32_t redirect = -1;  // the << that opened it
  std::int32_t span = -1;      // its heredoc / heredoc_literal span
  bool expands = true;         // unquoted delimiter: $, ` and \ are live in the body
  bool strip_tabs = false;     // <<-
  bool terminated = true;      // false: the body runs to the end of the script
};

struct SimpleCommand {
  std::uint32_t begin = 0, end = 0;  // first to last byte of its words and redirections
  std::uint32_t args_begin = 0, args_size = 0;      // see Script::args
  std::uint32_t redirs_begin = 0, redirs_size = 0;  // see Script::redirects
  std::uint32_t assignments = 0;  // leading NAME=value words among the args
  std::int32_t span = -1;         // innermost enclosing span: a $(...), a loop...; -1 top level
  std::int32_t unit = -1;         // top-level command it is part of
  std::int32_t pipe_next = -1;    // the command its output is piped into
  std::int32_t pipe_prev = -1;
};

// A top-level command: a simple command, pipeline, list or whole compound statement, with the
// heredoc bodies that belong to it. Comments and blank lines between units belong to none.
struct Unit {
  std::uint32_t begin = 0, end = 0;  // end: past its last token or heredoc terminator line
  std::uint32_t commands_begin = 0, commands_size = 0;  // index range into commands()
  bool compound = false;  // starts with a compound statement or function definition
};

enum class ErrorKind : std::uint8_t {
  unterminated_single_quote,
  unterminated_double_quote,
  unterminated_ansi_c_quote,
  unterminated_backtick,
  unterminated_command_sub,
  unterminated_param,
  unterminated_arith,
  unterminated_heredoc,   // bash only warns: the body runs to the end of the script
  unterminated_compound,  // if without fi, { without }, ...
  unexpected_token,
  missing_redirect_target,
  too_deep,   // nesting beyond the bound: the rest of the script is not read
  too_large,  // the script exceeds the size bound: nothing is read
};
std::string_view to_string(ErrorKind kind);

struct LexError {
  ErrorKind kind = ErrorKind::unexpected_token;
  std::uint32_t offset = 0;  // where the unterminated construct opened, or the bad token
  // Inside an expanding heredoc body, or a $(( that turned out not to be arithmetic: bash reads
  // those only when it runs them (`bash -n` does not see the error).
  bool deferred = false;
};

// `<name>` placeholders (letters, digits, `_-.`) are words rather than redirections when asked:
// runbooks write `kubectl logs <pod>`, which bash itself would read as `< pod >`.
enum class Placeholders { shell, words };

class Script {
 public:
  // 256 KiB: far beyond any command a person types, and the words nested 64 deep in it keep their
  // own text, so memory grows with size x depth.
  static constexpr std::uint32_t k_max_size = 1u << 18;
  static constexpr int k_max_depth = 64;

  [[nodiscard]] std::string_view source() const { return m_source; }
  [[nodiscard]] std::span<const Unit> units() const { return m_units; }
  [[nodiscard]] std::span<const SimpleCommand> commands() const { return m_commands; }
  [[nodiscard]] std::span<const Word> words() const { return m_words; }
  [[nodiscard]] std::span<const Span> spans() const { return m_spans; }
  [[nodiscard]] std::span<const Redirect> all_redirects() const { return m_redirects; }
  [[nodiscard]] std::span<const Heredoc> heredocs() const { return m_heredocs; }
  [[nodiscard]] std::span<const LexError> errors() const { return m_errors; }

  // Word indices of a command's assignments, name and arguments, in order.
  [[nodiscard]] std::span<const std::uint32_t> args(const SimpleCommand& c) const;
  // Redirect indices of a command.
  [[nodiscard]] std::span<const std::uint32_t> redirects(const SimpleCommand& c) const;
  // The command name (the first arg after the assignments), or nullptr for `A=1 >f`.
  [[nodiscard]] const Word* name(const SimpleCommand& c) const;
  // The commands of a unit.
  [[nodiscard]] std::span<const SimpleCommand> commands(const Unit& u) const;

  [[nodiscard]] std::string_view raw(const Word& w) const { return m_source.substr(w.begin, w.end - w.begin); }
  // Quote removal applied; expansions ($x, $(...), `...`) kept as written.
  [[nodiscard]] std::string_view text(const Word& w) const { return std::string_view(m_text).substr(w.text_begin, w.text_size); }
  [[nodiscard]] std::string_view raw(const Unit& u) const { return m_source.substr(u.begin, u.end - u.begin); }
  [[nodiscard]] std::string_view body(const Heredoc& h) const { return m_source.substr(h.body_begin, h.body_end - h.body_begin); }
  // The body as its consumer reads it when it does not expand anything at run time: tabs stripped
  // for <<-, and for an expanding body \$ \` \\ unescaped and \<newline> joined. `complete` is
  // false when the body holds an expansion (kept as written).
  [[nodiscard]] std::string heredoc_text(const Heredoc& h, bool* complete = nullptr) const;

  // Innermost span containing byte `offset`, -1 when none (unquoted, top level). Walk
  // spans()[i].parent for the enclosing ones. O(log n + depth).
  [[nodiscard]] int span_at(std::size_t offset) const;
  // The word containing byte `offset`, -1 when none.
  [[nodiscard]] int word_at(std::size_t offset) const;
  // True when no error but an unterminated heredoc or a deferred one was found (what `bash -n`
  // accepts).
  [[nodiscard]] bool syntax_ok() const;

 private:
  friend class Lexer;
  friend void lex(std::string_view, Script&, Placeholders);
  void clear();
  std::string_view m_source;
  std::string m_text;  // quote-removed texts of all words
  std::vector<Unit> m_units;
  std::vector<SimpleCommand> m_commands;
  std::vector<Word> m_words;
  std::vector<Span> m_spans;
  std::vector<Redirect> m_redirects;
  std::vector<Heredoc> m_heredocs;
  std::vector<LexError> m_errors;
  std::vector<std::uint32_t> m_args;       // word indices, per command contiguous
  std::vector<std::uint32_t> m_redir_ids;  // redirect indices, per command contiguous
};

// Lexes and parses `source` as bash would read it (bash 5 rules, extglob off).
Script lex(std::string_view source, Placeholders placeholders = Placeholders::shell);
// The same into `out`, reusing its memory: for callers that lex many small snippets.
void lex(std::string_view source, Script& out, Placeholders placeholders = Placeholders::shell);

}  // namespace opsbook::model::shell
