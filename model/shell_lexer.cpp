// The shell lexer: a single forward pass that scans words with their quoting contexts and parses
// the grammar around them (lists, pipelines, compound statements, heredocs) as bash 5 does.
#include "shell_lexer.hpp"

#include <algorithm>
#include <cstring>

#include "shell_scanner.hpp"

namespace opsbook::model::shell {

std::string_view to_string(SpanKind kind) {
  static constexpr std::string_view k_names[] = {
      "single-quote", "ansi-c-quote", "double-quote", "locale-quote", "command-sub", "backtick",
      "param", "variable", "arith", "test", "process-sub", "heredoc", "heredoc-literal", "comment",
      "subshell", "group", "if", "for", "while", "case", "function", "array"};
  return k_names[static_cast<int>(kind)];
}

std::string_view to_string(RedirectOp op) {
  static constexpr std::string_view k_names[] = {"<", ">", ">>", ">|", "<>", "<&", ">&", "&>", "&>>", "<<", "<<-", "<<<"};
  return k_names[static_cast<int>(op)];
}

std::string_view to_string(ErrorKind kind) {
  static constexpr std::string_view k_names[] = {
      "unterminated single quote", "unterminated double quote", "unterminated $'...' quote",
      "unterminated backtick", "unterminated $(...)", "unterminated ${...}", "unterminated arithmetic",
      "heredoc without its terminator line", "unterminated compound statement", "unexpected token",
      "redirection without a target", "nesting too deep", "script too large"};
  return k_names[static_cast<int>(kind)];
}

std::span<const std::uint32_t> Script::args(const SimpleCommand& c) const {
  return std::span<const std::uint32_t>(m_args).subspan(c.args_begin, c.args_size);
}

std::span<const std::uint32_t> Script::redirects(const SimpleCommand& c) const {
  return std::span<const std::uint32_t>(m_redir_ids).subspan(c.redirs_begin, c.redirs_size);
}

const Word* Script::name(const SimpleCommand& c) const {
  if (c.assignments >= c.args_size) return nullptr;
  return &m_words[m_args[c.args_begin + c.assignments]];
}

std::span<const SimpleCommand> Script::commands(const Unit& u) const {
  return std::span<const SimpleCommand>(m_commands).subspan(u.commands_begin, u.commands_size);
}

int Script::span_at(std::size_t offset) const {
  // Spans are stored in pre-order (sorted by begin): the innermost one holding `offset` is the
  // last one starting at or before it, or one of its ancestors.
  auto it = std::upper_bound(m_spans.begin(), m_spans.end(), offset, [](std::size_t o, const Span& s) { return o < s.begin; });
  int i = static_cast<int>(it - m_spans.begin()) - 1;
  while (i >= 0 && !(offset >= m_spans[i].begin && offset < m_spans[i].end)) i = m_spans[i].parent;
  return i;
}

int Script::word_at(std::size_t offset) const {
  auto it = std::upper_bound(m_words.begin(), m_words.end(), offset, [](std::size_t o, const Word& w) { return o < w.begin; });
  int i = static_cast<int>(it - m_words.begin()) - 1;
  while (i >= 0 && !(offset >= m_words[i].begin && offset < m_words[i].end)) i = m_words[i].outer;
  return i;
}

bool Script::syntax_ok() const {
  return std::none_of(m_errors.begin(), m_errors.end(), [](const LexError& e) { return e.kind != ErrorKind::unterminated_heredoc && !e.deferred; });
}

std::string Script::heredoc_text(const Heredoc& h, bool* complete) const {
  std::string out;
  bool whole = true;
  std::string_view b = body(h);
  bool line_start = true;
  for (size_t i = 0; i < b.size(); ++i) {
    char c = b[i];
    if (line_start && h.strip_tabs && c == '\t') continue;
    line_start = c == '\n';
    if (h.expands && c == '\\' && i + 1 < b.size()) {
      char n = b[i + 1];
      if (n == '\n') {
        ++i;
        line_start = true;  // bash strips the tabs of the joined line too
        continue;
      }
      if (n == '$' || n == '`' || n == '\\') {
        out += n;
        ++i;
        continue;
      }
    }
    if (h.expands && (c == '`' || (c == '$' && i + 1 < b.size() && starts_expansion(b[i + 1])))) whole = false;
    out += c;
  }
  if (complete != nullptr) *complete = whole;
  return out;
}

Script lex(std::string_view source, Placeholders placeholders) {
  Script script;
  lex(source, script, placeholders);
  return script;
}

void lex(std::string_view source, Script& out, Placeholders placeholders) {
  out.clear();
  Lexer lexer(source, out, placeholders);
  lexer.run();
}

void Script::clear() {
  m_text.clear();
  m_units.clear();
  m_commands.clear();
  m_words.clear();
  m_spans.clear();
  m_redirects.clear();
  m_heredocs.clear();
  m_errors.clear();
  m_args.clear();
  m_redir_ids.clear();
}

}  // namespace opsbook::model::shell
