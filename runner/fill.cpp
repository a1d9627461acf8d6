// Shell filling on the shell lexer: for each placeholder, the quoting context it sits in (the
// innermost span) and every reason the text around it is read again (enclosing arithmetic,
// [[ -eq ]], heredocs and their consumer, the command whose argument it is, pipes into code,
// through $(...) levels) decide how its value is passed or whether it is refused.
#include "runner/fill.hpp"

#include <algorithm>
#include <cctype>
#include <optional>
#include <set>

#include "model/params.hpp"
#include "model/psql_variables.hpp"
#include "model/safety.hpp"
#include "model/shell_commands.hpp"
#include "model/shell_lexer.hpp"
#include "model/sql_lexer.hpp"
#include "model/text.hpp"
#include "runner/connection_targets.hpp"
#include "runner/reevaluation.hpp"
#include "runner/taint.hpp"

namespace opsbook::runner {

namespace {

namespace sh = model::shell;


bool whole_number(std::string_view v) {
  if (!v.empty() && (v[0] == '-' || v[0] == '+')) v.remove_prefix(1);
  return !v.empty() && v.size() <= 18 && std::all_of(v.begin(), v.end(), [](char c) { return c >= '0' && c <= '9'; });
}

bool sql_number(std::string_view v) {
  if (!v.empty() && v[0] == '-') v.remove_prefix(1);
  size_t dot = v.find('.');
  return whole_number(v.substr(0, dot)) && v.substr(0, dot).find_first_of("+-") == std::string_view::npos &&
         (dot == std::string_view::npos || whole_number(v.substr(dot + 1)));
}

// PostgreSQL's operator characters: a value starting with '-' right after one makes `--`.
bool sql_operator_char(char c) { return std::string_view("+-*/<>=~!@#%^&|`?").find(c) != std::string_view::npos; }

bool arithmetic_test(const sh::Script& script, const sh::Span& sp) {
  for (const auto& w : script.words()) {
    if (w.begin < sp.begin || w.end > sp.end) continue;
    std::string_view t = script.text(w);
    if (t == "-eq" || t == "-ne" || t == "-lt" || t == "-le" || t == "-gt" || t == "-ge") return true;
  }
  return false;
}

// [[ -v NAME ]] takes a variable name, whose subscript bash evaluates.
bool names_test(const sh::Script& script, const sh::Span& sp) {
  for (const auto& w : script.words()) {
    if (w.begin >= sp.begin && w.end <= sp.end && script.text(w) == "-v") return true;
  }
  return false;
}

// Quote-removed arguments of a command, with their word indices.
std::vector<std::string> args_of(const sh::Script& script, const sh::SimpleCommand& c, std::vector<uint32_t>* ids = nullptr) {
  std::vector<std::string> out;
  for (uint32_t id : script.args(c)) {
    out.emplace_back(script.text(script.words()[id]));
    if (ids) ids->push_back(id);
  }
  return out;
}

// Is `name` given the integer attribute anywhere in the script (declare -i, local -i...)? Then
// bash evaluates what is assigned to it as arithmetic.
bool declared_integer(const sh::Script& script, std::string_view name) {
  for (const auto& c : script.commands()) {
    for (const auto& v : integer_variables(args_of(script, c), c.assignments)) {
      if (v == name) return true;
    }
  }
  return false;
}

// Is byte `at` in the subscript or the :offset:length of the ${...} span `sp`? bash evaluates
// both as arithmetic (${a[i]}, ${s:o:n}); not the operands of ${x:-...}, ${x/.../...} and the like.
bool param_arithmetic(std::string_view source, const sh::Span& sp, size_t at) {
  std::string_view t = source.substr(sp.begin, sp.end - sp.begin);
  size_t rel = at - sp.begin, p = 2;
  if (p < t.size() && (t[p] == '!' || t[p] == '#')) ++p;
  if (p < t.size() && (t[p] == '@' || t[p] == '*')) ++p;
  while (p < t.size() && model::is_ident_char(t[p])) ++p;
  if (p < t.size() && t[p] == '[') {
    size_t close = p;
    for (int depth = 0; close < t.size(); ++close) {
      if (t[close] == '[') ++depth;
      if (t[close] == ']' && --depth == 0) break;
    }
    if (rel > p && rel < close) return true;
    p = close + 1;
  }
  return p + 1 < t.size() && t[p] == ':' && std::string_view("-=+?").find(t[p + 1]) == std::string_view::npos && rel > p;
}

// Is byte `at` in the [subscript] of an element of a compound array assignment a=([i]=x)?
bool element_subscript(const sh::Script& script, size_t at) {
  int w = script.word_at(at);
  if (w < 0 || script.words()[static_cast<size_t>(w)].role != sh::WordRole::element) return false;
  std::string_view raw = script.raw(script.words()[static_cast<size_t>(w)]);
  size_t close = raw.find("]=");
  return raw.starts_with('[') && close != std::string_view::npos && at - script.words()[static_cast<size_t>(w)].begin < close;
}

// Does the word holding byte `at` have a [ before it (a subscript of a name: arr[i])?
bool subscript_before(const sh::Script& script, size_t at) {
  int w = script.word_at(at);
  return w >= 0 && script.raw(script.words()[static_cast<size_t>(w)]).substr(0, at - script.words()[static_cast<size_t>(w)].begin).find('[') != std::string_view::npos;
}

// What reads the standard input of command `cmd` (and, along its pipe, of every command after
// it) as code.
std::vector<Reevaluation> stdin_readers(const sh::Script& script, size_t cmd) {
  std::vector<Reevaluation> out;
  const auto commands = script.commands();
  for (int c = static_cast<int>(cmd); c >= 0; c = commands[static_cast<size_t>(c)].pipe_next) {
    const sh::SimpleCommand& sc = commands[static_cast<size_t>(c)];
    Reevaluation r = stdin_evaluation(args_of(script, sc), sc.assignments);
    if (r.kind != Evaluation::none) out.push_back(r);
  }
  return out;
}

// The heredoc of span `k`, when a shell runs its body (bash <<'EOF'); nullptr otherwise.
const sh::Heredoc* shell_heredoc(const sh::Script& script, int k, std::string* by = nullptr) {
  for (const sh::Heredoc& h : script.heredocs()) {
    if (h.span != k || h.redirect < 0) continue;
    int cmd = script.all_redirects()[static_cast<size_t>(h.redirect)].command;
    if (cmd < 0) return nullptr;
    for (const Reevaluation& r : stdin_readers(script, static_cast<size_t>(cmd))) {
      if (r.kind != Evaluation::shell) continue;
      if (by) *by = r.by;
      return &h;
    }
  }
  return nullptr;
}

// Is `spelling` at `at` of a script that a shell runs again inside arithmetic (at any depth of
// bash -c within bash -c)? There a plain name would be evaluated as a variable, recursively.
bool arithmetic_inside(std::string_view script_text, size_t at, std::string_view spelling, int depth) {
  if (depth > 4) return true;
  sh::Script script = sh::lex(script_text, sh::Placeholders::words);
  for (int k = script.span_at(at); k >= 0; k = script.spans()[static_cast<size_t>(k)].parent) {
    const sh::Span& sp = script.spans()[static_cast<size_t>(k)];
    if (sp.kind == sh::SpanKind::arith || (sp.kind == sh::SpanKind::test && arithmetic_test(script, sp))) return true;
    if (sp.kind == sh::SpanKind::param && param_arithmetic(script_text, sp, at)) return true;
    if (sp.kind == sh::SpanKind::test && names_test(script, sp) && subscript_before(script, at)) return true;  // [[ -v a[i] ]]
    if (const sh::Heredoc* h = shell_heredoc(script, k)) return arithmetic_inside(script.body(*h), at - h->body_begin, spelling, depth + 1);
  }
  if (element_subscript(script, at)) return true;
  int w = script.word_at(at);
  if (w < 0 || script.words()[static_cast<size_t>(w)].command < 0) return false;
  const sh::Word& word = script.words()[static_cast<size_t>(w)];
  std::vector<uint32_t> ids;
  const sh::SimpleCommand& c = script.commands()[static_cast<size_t>(word.command)];
  std::vector<std::string> args = args_of(script, c, &ids);
  size_t pos = static_cast<size_t>(std::find(ids.begin(), ids.end(), static_cast<uint32_t>(w)) - ids.begin());
  if (pos >= args.size()) return false;
  std::string_view raw = script.raw(word).substr(0, at - word.begin);
  if ((word.role == sh::WordRole::assignment || pos < c.assignments) && raw.find('[') != std::string_view::npos && raw.find('=') == std::string_view::npos) {
    return true;  // arr[<i>]=x: the subscript is arithmetic
  }
  if ((word.role == sh::WordRole::assignment || pos < c.assignments) && raw.find('=') != std::string_view::npos &&
      declared_integer(script, raw.substr(0, raw.find_first_of("[+=")))) {
    return true;  // declare -i n; n=<v>
  }
  Reevaluation r = reevaluated_argument(args, c.assignments, pos);
  if (r.kind == Evaluation::arithmetic || (r.kind == Evaluation::names && raw.find('[') != std::string_view::npos)) return true;
  if (r.kind != Evaluation::shell) return false;
  // Any occurrence: the inner script is lexed on its own, without knowing which one this is.
  for (size_t inner = args[pos].find(spelling); inner != std::string::npos; inner = args[pos].find(spelling, inner + 1)) {
    if (arithmetic_inside(args[pos], inner, spelling, depth + 1)) return true;
  }
  return false;
}

// Variables programs read as a locale, time zone or terminal name (LANG, LC_*, TZ, TERM...).
// A value must be such a name, never a path that makes the C library load a file of the value's
// choosing (a locale or terminfo file; TZ=:/path). Nothing to say of other variables.
bool locale_variable(std::string_view var) {
  static constexpr std::string_view k_names[] = {"TZ", "LANG", "LANGUAGE", "TERM", "COLORTERM", "COLUMNS", "LINES", "NO_COLOR"};
  return var.starts_with("LC_") || std::find(std::begin(k_names), std::end(k_names), var) != std::end(k_names);
}

std::optional<std::string> locale_value(std::string_view var, std::string_view value) {
  if (!locale_variable(var)) return std::nullopt;
  bool zone = var == "TZ";  // Europe/Paris: a name with one or more folders, never a path of its own
  bool named = !value.empty() && value.find("..") == std::string_view::npos && value.find_first_of(zone ? ":" : ":/") == std::string_view::npos &&
               !value.starts_with('/') && !value.starts_with('-') &&
               std::all_of(value.begin(), value.end(), [](char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0 || std::string_view("._-+@/").find(c) != std::string_view::npos; });
  if (named) return std::nullopt;
  return "is put in the environment as " + std::string(var) + ", which the C library reads as the name of a " + (zone ? "time zone" : "locale or terminal") +
         ", so its value may only be such a name (letters, digits and . _ - + @" + (zone ? " /" : "") + ", no .. and no path); pass such a value";
}

// How a value lands in the code.
enum class Quoting { code, dquote, squote, ansi_c, heredoc, heredoc_literal };

// Everything known about one placeholder occurrence.
struct Spot {
  size_t begin = 0, end = 0;
  const model::Param* param = nullptr;
  const std::string* value = nullptr;
  Quoting quoting = Quoting::code;
  bool comment = false;
  bool variable = false;  // an environment-variable param ($NAME, ${NAME}): bash expands it, nothing is replaced
  std::string via;        // a variable of the snippet that holds the value (n of n=<v>; $((n)))
};

class ShellFiller {
 public:
  ShellFiller(std::string_view code, const LineOf& line_of) : m_code(code), m_line_of(line_of), m_script(sh::lex(code, sh::Placeholders::words)) {}

  ShellFill run(const std::vector<model::Param>& params, const std::map<std::string, std::string>& values) {
    std::vector<Spot> spots = find(params, values);
    size_t pos = 0;
    for (Spot& spot : spots) {
      if (spot.begin < pos) continue;  // inside an expansion already kept as written
      if (!place(spot)) return std::move(m_out);
      m_out.code.append(m_code.substr(pos, spot.begin - pos));
      m_out.literal.append(m_code.substr(pos, spot.begin - pos));
      std::string_view as_written = m_code.substr(spot.begin, spot.end - spot.begin);
      if (spot.comment) {  // commented out: nothing runs, nothing to fill
        m_out.code.append(as_written);
        m_out.literal.append(as_written);
      } else {
        m_out.code += spot.variable ? std::string(as_written) : reference(spot);
        m_out.literal += written(spot);
      }
      pos = spot.end;
    }
    m_out.code.append(m_code.substr(pos));
    m_out.literal.append(m_code.substr(pos));
    follow_variables(spots, params, values);
    return std::move(m_out);
  }

 private:
  // Placeholders, and expansions of environment-variable params ($NAME, ${NAME...}), in order.
  std::vector<Spot> find(const std::vector<model::Param>& params, const std::map<std::string, std::string>& values) {
    std::vector<const model::Param*> used;
    std::vector<std::string> spellings;
    for (const auto& p : params) {
      if (p.syntax.empty() || !values.count(p.name)) continue;
      if (p.kind == model::ParamKind::placeholder) {
        used.push_back(&p);
        spellings.push_back(p.syntax);
      } else {
        used.push_back(&p);
        spellings.push_back("$" + p.name);
        used.push_back(&p);
        spellings.push_back("${" + p.name);
        used.push_back(&p);
        spellings.push_back("${!" + p.name);  // indirect: the value names another variable
      }
    }
    std::vector<Spot> spots;
    m_params = used;
    for (const auto& at : model::find_spellings(m_code, spellings)) {
      const model::Param* p = used[at.spelling];
      bool variable = p->kind == model::ParamKind::env;
      if (variable && at.end < m_code.size() && model::is_ident_char(m_code[at.end])) continue;  // $NAMEX is another variable
      spots.push_back(Spot{at.begin, at.end, p, &values.at(p->name), Quoting::code, false, variable, ""});
    }
    return spots;
  }

  bool refuse(const Spot& s, std::string why) {
    m_out.refused_line = m_line_of ? m_line_of(s.begin) : 0;
    m_out.refusal = s.param->syntax + (s.via.empty() ? "" : " (held in $" + s.via + ")") + " " + why;
    return false;
  }

  // Decides the quoting and checks the value against every reading of the spot.
  bool place(Spot& s) {
    if (s.value->find('\0') != std::string::npos) return refuse(s, "has a value holding a NUL byte, which no program argument or variable can carry");
    int span = m_script.span_at(s.begin);
    if (s.variable) {
      // Expanded only where its own $ starts a variable or ${...} span; it is read in the
      // context around that span. In '...', a comment or a quoted heredoc nothing expands.
      if (span < 0 || m_script.spans()[static_cast<size_t>(span)].begin != s.begin) return exported_into_shell(s);
      s.end = m_script.spans()[static_cast<size_t>(span)].end;
      span = m_script.spans()[static_cast<size_t>(span)].parent;
      // ${x@P} expands the value as a prompt string: $(...) in it runs.
      if (m_code.substr(s.begin, s.end - s.begin).ends_with("@P}") && !plain_value(s, Reevaluation{Evaluation::shell, "${...@P} (prompt expansion)"})) return false;
      if (m_code.substr(s.begin, 3) == "${!" && !plain_value(s, Reevaluation{Evaluation::names, "${!...}"})) return false;
    } else if (m_script.span_at(s.end - 1) != span) {
      return refuse(s, "runs across a quote: opsbook cannot tell where its value would go; keep it inside one quoted or unquoted stretch");
    }
    s.quoting = quoting_of(span);
    for (int k = span; k >= 0; k = m_script.spans()[static_cast<size_t>(k)].parent) {
      const sh::Span& sp = m_script.spans()[static_cast<size_t>(k)];
      switch (sp.kind) {
        case sh::SpanKind::comment: s.comment = true; return true;
        case sh::SpanKind::param:
          if (!s.variable) return refuse(s, "stands inside ${...}: opsbook cannot tell how bash expands it there; move it out of the ${...}");
          if (param_arithmetic(m_code, sp, s.begin) && !numbers(s, "bash evaluates the subscript and the :offset:length of ${...} as arithmetic")) return false;
          break;
        case sh::SpanKind::arith:
          if (!numbers(s, "bash evaluates $((...)) and ((...)) as arithmetic")) return false;
          break;
        case sh::SpanKind::test:
          if (arithmetic_test(m_script, sp) && !numbers(s, "[[ ... -eq ... ]] evaluates its operands as arithmetic")) return false;
          if (names_test(m_script, sp) && !plain_value(s, Reevaluation{Evaluation::names, "[[ -v ... ]]"})) return false;
          break;
        case sh::SpanKind::heredoc:
        case sh::SpanKind::heredoc_literal:
          if (!heredoc(s, static_cast<int>(k))) return false;
          break;
        default: break;
      }
    }
    if (element_subscript(m_script, s.begin) && !numbers(s, "bash evaluates an array subscript as arithmetic")) return false;
    if (std::string run = variable_command(); !run.empty()) {
      return refuse(s, "cannot be filled: the snippet runs `" + run + "` as a command, which is known only when it runs, so a value could become that command; write the command out in the snippet");
    }
    if (s.variable && s.quoting == Quoting::code && s.value->find_first_of(" \t\n*?[") != std::string::npos) {
      return refuse(s, "is expanded unquoted, where bash splits its value into words and expands * ? [ to file names; quote it in the snippet (\"" +
                           std::string(m_code.substr(s.begin, s.end - s.begin)) + "\"), or pass a value without spaces or wildcards");
    }
    if (!url_authority(s)) return false;
    return words(s);
  }

  // A value never picks the server a URL names (runner/connection_targets). In a shell word the
  // word's quote-removed text is judged, as the program receives it ("http:"//h, a
  // backslash-newline); elsewhere (a heredoc body) the text as written, back to a blank.
  bool url_authority(const Spot& s) {
    std::string why;
    int w = m_script.word_at(s.begin);
    if (w < 0 || s.quoting == Quoting::heredoc || s.quoting == Quoting::heredoc_literal) {
      size_t start = s.begin, end = s.end;
      while (start > 0 && std::isspace(static_cast<unsigned char>(m_code[start - 1])) == 0) --start;
      while (end < m_code.size() && std::isspace(static_cast<unsigned char>(m_code[end])) == 0) ++end;
      why = url_authority_risk(m_code.substr(start, s.begin - start), m_code.substr(s.end, end - s.end), *s.value, false);
    } else {
      const sh::Word& word = m_script.words()[static_cast<size_t>(w)];
      std::string_view text = m_script.text(word);
      size_t at = std::min(text_offset(word, s), text.size());
      bool url = false;
      if (word.command >= 0) {
        const sh::SimpleCommand& c = m_script.commands()[static_cast<size_t>(word.command)];
        std::vector<uint32_t> ids;
        std::vector<std::string> args = args_of(m_script, c, &ids);
        size_t pos = static_cast<size_t>(std::find(ids.begin(), ids.end(), static_cast<uint32_t>(w)) - ids.begin());
        url = pos < args.size() && url_operand(args, c.assignments, pos);
      }
      why = url_authority_risk(text.substr(0, at), text.substr(std::min(text.size(), at + (s.end - s.begin))), *s.value, url);
    }
    return why.empty() || refuse(s, std::move(why));
  }

  Quoting quoting_of(int span) const {
    if (span < 0) return Quoting::code;
    switch (m_script.spans()[static_cast<size_t>(span)].kind) {
      case sh::SpanKind::single_quote: return Quoting::squote;
      case sh::SpanKind::ansi_c_quote: return Quoting::ansi_c;
      case sh::SpanKind::double_quote:
      case sh::SpanKind::locale_quote: return Quoting::dquote;
      case sh::SpanKind::heredoc: return Quoting::heredoc;
      case sh::SpanKind::heredoc_literal: return Quoting::heredoc_literal;
      default: return Quoting::code;
    }
  }

  // Variables that hold a value (n=<v>, read n <<< "<v>", for n in <v>, B=$A...), and variable
  // params: each use of them is judged as the placeholder would be there, bare names that
  // arithmetic reads included. Sets the refusal, if any.
  void follow_variables(const std::vector<Spot>& spots, const std::vector<model::Param>& params, const std::map<std::string, std::string>& values) {
    if (!m_out.refusal.empty()) return;
    std::vector<TaintSource> sources;
    for (const Spot& s : spots) {
      if (!s.variable) sources.push_back(TaintSource{s.begin, s.end, s.param});
    }
    std::vector<TaintedVariable> given;
    for (const auto& p : params) {
      if (p.kind == model::ParamKind::env && values.count(p.name)) given.push_back(TaintedVariable{p.name, {&p}, true});
    }
    std::vector<TaintedVariable> tainted = tainted_variables(m_script, sources, given);
    for (const auto& v : tainted) {
      if (v.exported) m_exported.insert(v.name);
    }
    if (!environment_readers(tainted, values)) return;
    for (const auto& v : tainted) {  // NAME=<v>; export NAME: as export NAME=<v>
      bool param = std::any_of(given.begin(), given.end(), [&](const TaintedVariable& g) { return g.name == v.name; });
      for (const model::Param* p : v.exported && !param ? v.params : std::vector<const model::Param*>{}) {
        auto first = std::find_if(spots.begin(), spots.end(), [&](const Spot& s) { return s.param == p; });
        Spot s{first == spots.end() ? 0 : first->begin, first == spots.end() ? 0 : first->end, p, &values.at(p->name), Quoting::code, false, true, v.name};
        if (!environment_value(s, v.name, true)) return;
      }
    }
    for (const auto& v : tainted) {
      bool param = std::any_of(given.begin(), given.end(), [&](const TaintedVariable& g) { return g.name == v.name; });
      for (const model::Param* p : v.params) {
        std::string via = param ? "" : v.name;
        if (!param) {  // a variable param's own expansions are spots already
          for (size_t at : references(m_code, v.name)) {
            Spot s{at, at + 1 + v.name.size(), p, &values.at(p->name), Quoting::code, false, true, via};
            if (!place(s)) return;
          }
        }
        for (size_t at : model::is_ident_char(v.name[0]) && !std::isdigit(static_cast<unsigned char>(v.name[0])) ? bare_names(m_code, v.name) : std::vector<size_t>{}) {
          Spot s{at, at + v.name.size(), p, &values.at(p->name), Quoting::code, false, true, via};
          if (arithmetic_inside(m_code, at, v.name, 0) && !numbers(s, "bash evaluates " + v.name + " there as arithmetic")) return;
        }
      }
    }
  }

  // An exported variable that holds a value, in the environment of a command that reads its
  // variables as code (make): the value must be plain.
  bool environment_readers(const std::vector<TaintedVariable>& tainted, const std::map<std::string, std::string>& values) {
    for (const auto& c : m_script.commands()) {
      Reevaluation r = environment_evaluation(args_of(m_script, c), c.assignments);
      if (r.kind == Evaluation::none) continue;
      for (const auto& v : tainted) {
        for (const model::Param* p : v.exported ? v.params : std::vector<const model::Param*>{}) {
          bool param = p->kind == model::ParamKind::env && p->name == v.name;
          Spot s{c.begin, c.begin, p, &values.at(p->name), Quoting::code, false, true, param ? "" : v.name};
          if (!plain_value(s, r)) return false;
        }
      }
    }
    return true;
  }

  // $NAME in text that a shell runs again but that this one does not expand ('...'): eval and
  // trap expand it in this shell, a child shell when NAME is exported; that script is judged with
  // NAME as a variable param.
  bool exported_into_shell(const Spot& s) {
    std::string name = s.via.empty() ? s.param->name : s.via;
    bool exported = (s.via.empty() && s.param->kind == model::ParamKind::env) || m_exported.count(name);
    auto child_shell = [&](std::string_view code, const std::string& by) {
      if (!exported) return true;
      if (s.via.empty()) m_out.environment.insert(name);
      return inner_shell(s, name, code, by, "through the environment");
    };
    for (int k = m_script.span_at(s.begin); k >= 0; k = m_script.spans()[static_cast<size_t>(k)].parent) {
      std::string by;
      if (const sh::Heredoc* h = shell_heredoc(m_script, k, &by)) return child_shell(m_script.body(*h), by);
    }
    int w = m_script.word_at(s.begin);
    if (w < 0 || m_script.words()[static_cast<size_t>(w)].command < 0) return true;
    const sh::SimpleCommand& c = m_script.commands()[static_cast<size_t>(m_script.words()[static_cast<size_t>(w)].command)];
    std::vector<uint32_t> ids;
    std::vector<std::string> args = args_of(m_script, c, &ids);
    size_t pos = static_cast<size_t>(std::find(ids.begin(), ids.end(), static_cast<uint32_t>(w)) - ids.begin());
    if (pos >= args.size()) return true;
    Reevaluation r = reevaluated_argument(args, c.assignments, pos);
    if (r.kind != Evaluation::shell) return true;
    if (r.by == "eval" || r.by == "trap") return inner_shell(s, name, args[pos], r.by, "") && same_shell(s, name, args[pos], r.by);
    return child_shell(args[pos], r.by);
  }

  // bash -c 'SCRIPT' _ <v>, f <v> (a function of the snippet): the value is a positional
  // parameter of SCRIPT or of f's body, judged there as $1...
  bool positional(const Spot& s, const std::vector<std::string>& args, size_t first, size_t pos) {
    ShellArgument a = shell_argument(args, first, pos);
    std::string_view code = a.number.empty() ? std::string_view() : std::string_view(args[a.script]);
    if (int f = pos > first ? function_span(args[first]) : -1; a.number.empty() && f >= 0) {
      const sh::Span& sp = m_script.spans()[static_cast<size_t>(f)];
      a = ShellArgument{std::to_string(pos - first), 0, "the function " + args[first]};
      code = m_code.substr(sp.begin, sp.end - sp.begin);
    }
    if (a.number.empty()) return true;
    for (const std::string& name : {a.number, std::string("@"), std::string("*")}) {
      if (!inner_shell(s, name, code, a.by, "as $" + a.number)) return false;
    }
    return true;
  }

  // eval 'm=$n' assigns, in this shell, a variable that opsbook does not follow from there.
  bool same_shell(const Spot& s, const std::string& name, std::string_view code, const std::string& by) {
    sh::Script inner = sh::lex(code, sh::Placeholders::words);
    model::Param p{name, model::ParamKind::env, "$" + name};
    for (const auto& v : tainted_variables(inner, {}, {TaintedVariable{name, {&p}, false}})) {
      if (v.name == name) continue;
      return refuse(s, "is assigned to " + v.name + " inside " + by + ", where opsbook cannot follow it to the variable's later uses; assign it outside " + by);
    }
    return true;
  }

  // The script `code` that `by` runs, with variable `name` from the environment holding the value.
  bool inner_shell(const Spot& s, const std::string& name, std::string_view code, const std::string& by, std::string_view how) {
    model::Param inner{name, model::ParamKind::env, "$" + name};
    ShellFill f = fill_shell(code, {inner}, {{name, *s.value}}, nullptr);
    return f.refusal.empty() || refuse(s, "reaches the script that " + by + " runs" + (how.empty() ? "" : " " + std::string(how)) + ", where " + f.refusal);
  }

  bool numbers(const Spot& s, std::string_view why) {
    if (whole_number(*s.value)) return true;
    if (s.variable && s.value->empty()) return true;  // an empty variable is 0 in arithmetic
    return refuse(s, "must be a whole number here: " + std::string(why) + ", and a value there runs as code");
  }

  bool plain_value(const Spot& s, const Reevaluation& r) {
    if (runner::plain_value(*s.value) && (*s.value)[0] != '-') return true;
    if (r.kind == Evaluation::names) {
      return refuse(s, "is a variable name for " + r.by + ", and bash evaluates the subscripts of names, so its value may only hold " + std::string(k_plain_chars) +
                           " (and not start with -)");
    }
    return refuse(s, "goes into text that " + r.by + " reads again as code, so its value may only hold " + std::string(k_plain_chars) +
                         " (and not start with -); pass such a value, or change the snippet to pass it as an argument (for bash -c: bash -c '... \"$1\"' _ " +
                         s.param->syntax + ")");
  }

  // A value in SQL text that a client runs without binding values.
  bool sql_value(const Spot& s, std::string_view sql, size_t offset, const Reevaluation& r) {
    std::vector<model::SqlToken> tokens = model::lex_sql(sql);
    const model::SqlToken* t = model::sql_token_at(tokens, offset);
    std::string way = "; use a sql snippet, whose values are bound";
    const std::string& v = *s.value;
    if (v.find_first_of(std::string("\n\r\0", 3)) != std::string::npos) return refuse(s, "stands in SQL that " + r.by + " runs: its value must be on one line" + way);
    if (!t || t->kind == model::SqlTokenKind::word || t->kind == model::SqlTokenKind::number || t->kind == model::SqlTokenKind::op ||
        t->kind == model::SqlTokenKind::punct) {
      if (!sql_number(v)) return refuse(s, "stands in SQL that " + r.by + " runs without binding values: there it must be a number" + way);
      if (v[0] != '-' || offset == 0 || !sql_operator_char(sql[offset - 1])) return true;
      return refuse(s, "stands right after an operator character in SQL that " + r.by + " runs, where a value starting with '-' would start a -- comment (5-" +
                           s.param->syntax + " with -1 gives 5--1); pass a value that does not, or put a space before " + s.param->syntax);
    }
    if (t->kind == model::SqlTokenKind::comment) return sql_comment(s, sql, *t, offset, r);
    if (t->kind == model::SqlTokenKind::meta && r.by.starts_with("psql")) return psql_meta(s, sql, *t, offset);
    if ((t->kind == model::SqlTokenKind::string && sql[t->begin] == '\'') || (t->kind == model::SqlTokenKind::quoted_ident && sql[t->begin] == '"')) {
      if (v.find_first_of("'\"\\") == std::string::npos) return true;
      return refuse(s, "stands in a SQL string that " + r.by + " runs without binding values: its value must not hold a quote or backslash" + way);
    }
    return refuse(s, "stands in a SQL dollar-quoted or escaped string that " + r.by + " runs: opsbook cannot check a value there" + way);
  }

  // In a /* ... */ comment (which PostgreSQL nests) a value holding */ or /* would end it or open
  // another, and /*! or /*+ (MySQL) runs its text: refused, as a quote in a string is.
  bool sql_comment(const Spot& s, std::string_view sql, const model::SqlToken& t, size_t offset, const Reevaluation& r) {
    if (sql.substr(t.begin, 2) != "/*") return true;  // -- to the end of the line: the value is one line
    size_t len = s.end - s.begin;
    std::string around = std::string(offset > 0 ? sql.substr(offset - 1, 1) : "") + *s.value + std::string(sql.substr(offset + len, 1));
    bool opens = offset == t.begin + 2 && !s.value->empty() && ((*s.value)[0] == '!' || (*s.value)[0] == '+');
    if (around.find("*/") == std::string::npos && around.find("/*") == std::string::npos && !opens) return true;
    return refuse(s, "stands in a SQL /* ... */ comment that " + r.by + " runs without binding values: its value must not hold */ or /* (nor start the comment with ! or +), which would end the comment and run what follows" +
                         "; use a sql snippet, whose values are bound");
  }

  // A psql backslash command reads its arguments with its own quoting (`...` runs a shell
  // command, :x splices a variable); \set NAME <v> sets a variable that :NAME splices into SQL.
  bool psql_meta(const Spot& s, std::string_view sql, const model::SqlToken& t, size_t offset) {
    const std::string& v = *s.value;
    std::string_view meta = sql.substr(t.begin, t.end - t.begin);
    if (!sql_number(v) && !(runner::plain_value(v) && v[0] != '-')) {
      return refuse(s, "stands in a psql backslash command (`" + std::string(meta.substr(0, meta.find_first_of(" \t", 1))) +
                           " ...`), which reads its arguments with its own quoting and runs `...` as a shell command, so its value may only hold " + std::string(k_plain_chars) +
                           " (and not start with -)");
    }
    model::PsqlSet set = model::psql_meta_set(meta, offset - t.begin);
    if (!set.found) return true;
    if (set.in_name) return variable_name(s);
    // The variable lives on in the psql session: another -c of the command may use it too, in SQL
    // or in a backslash command, where psql splices ::NAME as well (s11a review B3): every :NAME.
    std::vector<size_t> elsewhere;
    for (size_t p = m_code.find(":" + set.name); p != std::string_view::npos; p = m_code.find(":" + set.name, p + 1)) {
      size_t end = p + 1 + set.name.size();
      if (end == m_code.size() || !model::is_ident_char(m_code[end])) elsewhere.push_back(p);
    }
    return psql_uses(s, set.name, sql, s.begin - offset) && psql_uses(s, set.name, m_code, 0, elsewhere);
  }

  bool check(const Spot& s, const Reevaluation& r, std::string_view text, size_t offset) {
    switch (r.kind) {
      case Evaluation::none: return true;
      case Evaluation::line:  // curl -H "X-Trace: <v>" with "a\r\n\r\nDELETE /x" sends a second request
        if (std::none_of(s.value->begin(), s.value->end(), [](char c) { return static_cast<unsigned char>(c) < 0x20 || c == 0x7f; })) return true;
        return refuse(s, "goes into " + r.by + ", where a line break or another control character would end it and start another (a second request); give it one line of text");
      case Evaluation::arithmetic: return numbers(s, r.by + " evaluates it as arithmetic");
      case Evaluation::sql: return sql_value(s, text, offset, r);
      case Evaluation::shell:
        if (!plain_value(s, r)) return false;
        if (whole_number(*s.value) || !arithmetic_inside(text, offset, m_code.substr(s.begin, s.end - s.begin), 0)) return true;
        return numbers(s, r.by + " runs it inside arithmetic");
      default: return plain_value(s, r);
    }
  }

  // Heredoc bodies are read by the command they feed.
  bool heredoc(const Spot& s, int span) {
    const auto heredocs = m_script.heredocs();
    auto h = std::find_if(heredocs.begin(), heredocs.end(), [&](const sh::Heredoc& d) { return d.span == span; });
    if (h == heredocs.end()) return true;
    if (s.quoting == Quoting::heredoc_literal && s.value->find_first_of("\r\n") != std::string::npos) {
      return refuse(s, "is written into a quoted heredoc body, so its value must not hold a line break (it could end the heredoc)");
    }
    int cmd = h->redirect >= 0 ? m_script.all_redirects()[static_cast<size_t>(h->redirect)].command : -1;
    if (cmd < 0) return true;
    std::string_view body = m_script.body(*h);
    for (const Reevaluation& r : consumers(static_cast<size_t>(cmd), true)) {
      if (!check(s, r, body, s.begin - h->body_begin)) return false;
    }
    return true;
  }

  // What reads the standard input of command `cmd` (and, along its pipe, of every command
  // after it) as code.
  std::vector<Reevaluation> consumers(size_t cmd, bool include_self) const {
    if (include_self) return stdin_readers(m_script, cmd);
    int next = m_script.commands()[cmd].pipe_next;
    return next < 0 ? std::vector<Reevaluation>{} : stdin_readers(m_script, static_cast<size_t>(next));
  }

  // The word holding the placeholder, then each word whose $(...) or `...` holds that one: is
  // any of them read again?
  bool words(const Spot& s) {
    int w = m_script.word_at(s.begin);
    bool innermost = true;
    while (w >= 0) {
      const sh::Word& word = m_script.words()[static_cast<size_t>(w)];
      if (word.command >= 0) {
        const sh::SimpleCommand& c = m_script.commands()[static_cast<size_t>(word.command)];
        std::vector<uint32_t> ids;
        std::vector<std::string> args = args_of(m_script, c, &ids);
        size_t pos = static_cast<size_t>(std::find(ids.begin(), ids.end(), static_cast<uint32_t>(w)) - ids.begin());
        size_t at = text_offset(word, s);
        if (pos < args.size()) {
          if (innermost && !option_safe(s, args, c.assignments, pos, at)) return false;
          if (innermost && !subscript_safe(s, word, args, c.assignments, pos, at)) return false;
          if (innermost && !psql_variable(s, c, args, ids, pos, at)) return false;
          if (innermost && !s.variable && !libpq_dbname(s, args, c.assignments, pos)) return false;
          if (!check(s, reevaluated_argument(args, c.assignments, pos), args[pos], at)) return false;
          if (!declared_name(s, args, c.assignments, pos, at)) return false;
          if (pos > c.assignments && c.assignments < args.size() && defines_function(args[c.assignments]) && !(runner::plain_value(*s.value) && (*s.value)[0] != '-')) {
            return refuse(s, "is an argument of " + args[c.assignments] + ", a function of the snippet, whose body may run its arguments as code (opsbook does not follow it), so its value may only hold " +
                                 std::string(k_plain_chars) + " (and not start with -)");
          }
          if (innermost && !positional(s, args, c.assignments, pos)) return false;
        }
        // Piped into code, or fed to it as a here-string.
        for (const Reevaluation& r : consumers(static_cast<size_t>(word.command), word.role == sh::WordRole::redirect_target)) {
          if (!check(s, r, m_script.text(word), at)) return false;
        }
      }
      w = word.outer;
      innermost = false;
    }
    return true;
  }

  // A value never picks the server a libpq program connects to (runner/connection_targets). A
  // variable ($APP_DSN) is left to its rules: a service's DSN is one, and the environment declares it.
  bool libpq_dbname(const Spot& s, const std::vector<std::string>& args, size_t first, size_t pos) {
    std::string why = libpq_dbname_risk(args, first, pos, *s.value);
    return why.empty() || refuse(s, std::move(why));
  }

  // Offset of the placeholder in the word's quote-removed text: the same occurrence, counted
  // among the occurrences of its spelling (quote removal never makes or breaks one).
  size_t text_offset(const sh::Word& word, const Spot& s) const {
    std::string_view spelling = m_code.substr(s.begin, s.end - s.begin);
    std::string_view raw = m_code.substr(word.begin, s.begin - word.begin);
    size_t nth = 0;
    for (size_t p = raw.find(spelling); p != std::string_view::npos; p = raw.find(spelling, p + spelling.size())) ++nth;
    std::string_view text = m_script.text(word);
    size_t p = text.find(spelling);
    for (size_t k = 0; k < nth && p != std::string_view::npos; ++k) p = text.find(spelling, p + spelling.size());
    return p == std::string_view::npos ? 0 : p;
  }

  // A value starting with '-' at the start of an argument would be read as an option.
  bool option_safe(const Spot& s, const std::vector<std::string>& args, size_t first, size_t pos, size_t at) {
    if (pos <= first || at != 0 || s.value->empty() || (*s.value)[0] != '-' || whole_number(*s.value)) return true;
    if (std::find(args.begin() + static_cast<long>(first), args.begin() + static_cast<long>(pos), "--") != args.begin() + static_cast<long>(pos)) return true;
    return refuse(s, "has a value starting with '-', which " + args[first] + " would read as an option; pass a value that does not, or put -- before it in the snippet");
  }

  // psql -v NAME=<v> (-vNAME=, --set, --variable): psql splices the variable's text into the SQL
  // it runs (-c, a heredoc or here-string) wherever :NAME stands, so the value is SQL there.
  bool psql_variable(const Spot& s, const sh::SimpleCommand& c, const std::vector<std::string>& args, const std::vector<uint32_t>& ids, size_t pos, size_t at) {
    model::PsqlSet set = model::psql_set_variable(args, c.assignments, pos, at);
    if (!set.found) return true;
    if (set.in_name) return variable_name(s);
    std::vector<std::pair<std::string_view, size_t>> sql;  // SQL text, offset in the code of its start
    bool unseen = false, commands = false;
    for (size_t j = model::psql_index(args, c.assignments, pos) + 1; j < args.size(); ++j) {
      std::string_view a = args[j];
      if (a == "-f" || a == "--file" || a.starts_with("--file=") || (a.starts_with("-f") && a.size() > 2)) unseen = true;
      size_t word_begin = m_script.words()[ids[j]].begin;
      if ((a == "-c" || a == "--command") && j + 1 < args.size()) {
        sql.emplace_back(args[j + 1], m_script.words()[ids[j + 1]].begin);
      } else if (a.starts_with("--command=") || (a.starts_with("-c") && a.size() > 2)) {
        sql.emplace_back(a.substr(a.starts_with("-c") ? 2 : 10), word_begin);
      }
      commands = commands || a == "-c" || a == "--command" || a.starts_with("--command=") || (a.starts_with("-c") && a.size() > 2);
    }
    bool input = false;  // standard input opsbook can read: a heredoc or here-string
    for (uint32_t r : m_script.redirects(c)) {
      const sh::Redirect& redirect = m_script.all_redirects()[r];
      if (redirect.fd > 0) continue;
      if (redirect.heredoc >= 0) {
        const sh::Heredoc& h = m_script.heredocs()[static_cast<size_t>(redirect.heredoc)];
        sql.emplace_back(m_script.body(h), h.body_begin);
        input = true;
      } else if (redirect.op == sh::RedirectOp::herestring && redirect.target >= 0) {
        const sh::Word& w = m_script.words()[static_cast<size_t>(redirect.target)];
        sql.emplace_back(m_script.text(w), w.begin);
        input = true;
      }
    }
    if ((unseen || (!commands && !input)) && !sql_number(*s.value)) {
      return refuse(s, "sets the psql variable " + set.name + ", and psql runs SQL here that opsbook cannot see (a file or its standard input), where :" + set.name +
                           " would splice the value in as SQL: its value must be a number; write the SQL into the snippet, with :'" + set.name +
                           "' where a string goes (psql quotes it)");
    }
    for (const auto& [text, begin] : sql) {
      if (!psql_uses(s, set.name, text, begin)) return false;
    }
    return true;
  }

  // Each :NAME in `text` (at `begin` in the code) takes the value as SQL as it stands.
  bool psql_uses(const Spot& s, const std::string& name, std::string_view text, size_t begin) { return psql_uses(s, name, text, begin, model::psql_plain_uses(text, name)); }

  bool psql_uses(const Spot& s, const std::string& name, std::string_view text, size_t begin, const std::vector<size_t>& uses) {
    const std::string& v = *s.value;
    for (size_t use : uses) {
      std::string line = m_line_of ? " (line " + std::to_string(m_line_of(begin + use)) + ")" : "";
      if (!sql_number(v)) {
        return refuse(s, "sets the psql variable " + name + ", which psql splices into the SQL as it stands at :" + name + line +
                             ": there its value must be a number; write :'" + name + "' where a string goes (psql quotes it)");
      }
      if (v[0] == '-' && use > 0 && sql_operator_char(text[use - 1])) {
        return refuse(s, "sets the psql variable " + name + ", which psql splices in right after an operator character at `" + std::string(text.substr(use - 1, name.size() + 2)) +
                             "`" + line + ", where a value starting with '-' would start a -- comment; pass a value that does not, or put a space before :" + name);
      }
    }
    return true;
  }

  // The name part of psql -v NAME=..., \set NAME: letters, digits and _ only.
  bool variable_name(const Spot& s) {
    if (std::all_of(s.value->begin(), s.value->end(), model::is_ident_char) && !s.value->empty()) return true;
    return refuse(s, "names a psql variable, so its value may only hold letters, digits and _");
  }

  // arr[<i>]=x (also after declare, local...): bash evaluates the subscript as arithmetic.
  bool subscript_safe(const Spot& s, const sh::Word& word, const std::vector<std::string>& args, size_t first, size_t pos, size_t at) {
    bool assigns = word.role == sh::WordRole::assignment || pos < first;
    std::string_view name = first < args.size() ? std::string_view(args[first]) : std::string_view();
    assigns = assigns || (pos > first && (name == "declare" || name == "typeset" || name == "local" || name == "readonly" || name == "export"));
    std::string_view text = args[pos];
    size_t bracket = text.find('['), eq = text.find('=');
    if (!assigns || bracket == std::string_view::npos || bracket > at || (eq != std::string_view::npos && eq < at)) return true;
    return numbers(s, "bash evaluates an array subscript as arithmetic");
  }

  // declare/export/local NAME=value: the name part is a variable name, whose subscript bash
  // evaluates; and some variables hold command text that bash or git runs later (PS4 under
  // set -x, PROMPT_COMMAND, BASH_ENV...), also as plain assignments; BASH_CMDS[x]= and hash -p
  // pick the program a command name runs.
  bool declared_name(const Spot& s, const std::vector<std::string>& args, size_t first, size_t pos, size_t at) {
    std::string_view cmd = first < args.size() ? std::string_view(args[first]) : std::string_view();
    std::string_view assigned = std::string_view(args[pos]).substr(0, args[pos].find('='));
    bool program = cmd == "hash" && pos > first && std::find(args.begin() + static_cast<long>(first), args.end(), "-p") != args.end();
    if (program || (args[pos].find('=') < at && (assigned.starts_with("BASH_CMDS") || assigned.starts_with("BASH_ALIASES")))) {
      return refuse(s, "cannot be filled: " + std::string(program ? "hash -p" : assigned.substr(0, assigned.find('['))) +
                           " sets the program a command name runs, so a value could pick what a later command runs; write the program out in the snippet");
    }
    bool declares = cmd == "declare" || cmd == "typeset" || cmd == "local" || cmd == "readonly" || cmd == "export";
    bool identifier = !assigned.empty() && model::is_ident_start(assigned[0]) && std::all_of(assigned.begin(), assigned.end(), model::is_ident_char);
    if (model::program_name(cmd) == "env" && pos > first && args[pos].find('=') < at && identifier) return environment_value(s, assigned, true);
    if (!declares && pos >= first) return true;
    size_t eq = args[pos].find('=');
    if (declares && pos > first && (eq == std::string::npos || eq > at)) return plain_value(s, Reevaluation{Evaluation::names, std::string(cmd)});
    std::string_view var = std::string_view(args[pos]).substr(0, eq);
    if (eq != std::string::npos && eq < at && declared_integer(m_script, var.substr(0, var.find_first_of("[+")))) {
      return numbers(s, std::string(var.substr(0, var.find_first_of("[+"))) + " is declared -i, and bash evaluates what is assigned to it as arithmetic");
    }
    if (eq == std::string::npos || eq > at) return true;
    bool exported = cmd == "export" || (declares && std::any_of(args.begin() + static_cast<long>(first) + 1, args.begin() + static_cast<long>(pos), [](const std::string& a) {
                                          return a.starts_with('-') && a.find('x') != std::string::npos;
                                        }));
    return environment_value(s, var.substr(0, var.find_first_of("[+")), (pos < first && first < args.size()) || exported);
  }

  // NAME=<v>: a variable through which a value picks a program, a library or a configuration
  // (model/safety's lists) is never set from a value, even unexported (bash updates one the
  // environment already holds); one that a command sees in its environment (NAME=<v> cmd,
  // export, env NAME=<v>) takes plain values unless it is known to be harmless (TZ, LANG...).
  bool environment_value(const Spot& s, std::string_view var, bool environment) {
    if (model::value_may_not_set(var)) {
      return refuse(s, "cannot be filled: " + std::string(var) +
                           " is a variable through which a value picks a program, a library or a configuration that bash or other tools run or obey, so a value could choose what runs; write its value out in the snippet");
    }
    if (!environment) return true;
    if (std::optional<std::string> refusal = locale_value(var, *s.value)) return refuse(s, *refusal);
    if (locale_variable(var)) return true;
    // No path: a variable opsbook does not know may name a program, a library or a folder of
    // them (CLOUDSDK_PYTHON_ARGS=/tmp/x.py, GROFF_BIN_PATH=/tmp/bin ran them).
    if (runner::plain_value(*s.value) && (*s.value)[0] != '-' && s.value->find('/') == std::string::npos) return true;
    return refuse(s, "is put in the environment as " + std::string(var) + ", which a program may read as code or as a path (opsbook does not know " + std::string(var) +
                         "), so its value may only hold " + std::string(k_plain_chars) + " (no /, and not start with -); pass such a value, or pass it as an argument");
  }

  // The first command word whose program is known only at run time (`$cmd args`, `${tool}`,
  // `$(which x)`, also after wrappers: `timeout 5 "$cmd"`), other than a variable param of the
  // snippet (whose value is known); "" if none.
  std::string variable_command() const {
    auto param = [&](std::string_view word) {
      if (word.size() > 2 && word.front() == '"' && word.back() == '"') word = word.substr(1, word.size() - 2);
      std::string var(word.starts_with("${") && word.ends_with('}') ? word.substr(2, word.size() - 3) : word.starts_with('$') ? word.substr(1) : "");
      return std::any_of(m_params.begin(), m_params.end(), [&](const model::Param* p) { return p->kind == model::ParamKind::env && p->name == var; });
    };
    for (const auto& c : m_script.commands()) {
      const sh::Word* name = m_script.name(c);
      if (name != nullptr && name->expands && !param(m_script.raw(*name))) return std::string(m_script.raw(*name));
    }
    for (const auto& argv : model::simple_commands(m_code)) {
      if (!argv.empty() && argv[0].find_first_of("$`") != std::string::npos && !param(argv[0])) return argv[0];
    }
    return "";
  }

  // Is `name` a function the snippet defines (name() { ...; }, function name ...)?
  bool defines_function(std::string_view name) const { return function_span(name) >= 0; }

  // The span of the definition of function `name`, -1 when the snippet defines none.
  int function_span(std::string_view name) const {
    for (const auto& w : m_script.words()) {
      if (w.role != sh::WordRole::name || m_script.text(w) != name) continue;
      int span = m_script.span_at(w.begin);
      if (span >= 0 && m_script.spans()[static_cast<size_t>(span)].kind == sh::SpanKind::function) return span;
    }
    return -1;
  }

  std::string variable(const model::Param& p) {
    auto known = m_vars.find(p.name);
    if (known != m_vars.end()) return known->second;
    std::string base = "OPSBOOK_P_";
    for (char c : p.name) base += std::isalnum(static_cast<unsigned char>(c)) ? c : '_';
    std::string name = base;
    for (int n = 2; std::any_of(m_vars.begin(), m_vars.end(), [&](const auto& kv) { return kv.second == name; }); ++n) name = base + "_" + std::to_string(n);
    m_vars[p.name] = name;
    return name;
  }

  // The expansion that puts the value at the spot, as one word and never read again.
  std::string reference(const Spot& s) {
    std::string var = variable(*s.param);
    if (std::none_of(m_out.env.begin(), m_out.env.end(), [&](const auto& kv) { return kv.first == var; })) m_out.env.emplace_back(var, *s.value);
    switch (s.quoting) {
      case Quoting::code: return "\"${" + var + "}\"";
      case Quoting::dquote:
      case Quoting::heredoc: return "${" + var + "}";
      case Quoting::squote: return "'\"${" + var + "}\"'";
      case Quoting::ansi_c: return "'\"${" + var + "}\"$'";
      case Quoting::heredoc_literal: return *s.value;  // nothing expands there; checked to be one line
    }
    return "";
  }

  // The value written in, quoted for the spot: the same words the program will see.
  static std::string written(const Spot& s) {
    const std::string& v = *s.value;
    switch (s.quoting) {
      case Quoting::code: return shell_quote(v);
      case Quoting::squote: return "'" + shell_quote(v) + "'";
      case Quoting::ansi_c: return "'" + shell_quote(v) + "$'";
      case Quoting::dquote: {
        std::string out;
        for (char c : v) {
          if (c == '\\' || c == '$' || c == '`' || c == '"') out += '\\';
          out += c;
        }
        return out;
      }
      case Quoting::heredoc:
      case Quoting::heredoc_literal: return v;
    }
    return v;
  }

  std::string_view m_code;
  LineOf m_line_of;
  sh::Script m_script;
  std::map<std::string, std::string> m_vars;  // param name -> variable
  std::vector<const model::Param*> m_params;   // the snippet's params that have values
  std::set<std::string> m_exported;            // variables child processes see
  ShellFill m_out;
};

}  // namespace

ShellFill fill_shell(std::string_view code, const std::vector<model::Param>& params, const std::map<std::string, std::string>& values,
                     const LineOf& line_of) {
  return ShellFiller(code, line_of).run(params, values);
}

ShellFill fill_powershell(std::string_view code, const std::vector<model::Param>& params, const std::map<std::string, std::string>& values,
                          const LineOf& line_of) {
  ShellFill out;
  std::vector<const model::Param*> used;
  std::vector<std::string> spellings;
  for (const auto& p : params) {
    if (p.kind != model::ParamKind::placeholder || p.syntax.empty() || !values.count(p.name)) continue;
    used.push_back(&p);
    spellings.push_back(p.syntax);
  }
  size_t pos = 0;
  for (const auto& at : model::find_spellings(code, spellings)) {
    const std::string& v = values.at(used[at.spelling]->name);
    if (!plain_value(v) || v[0] == '-') {
      out.refused_line = line_of ? line_of(at.begin) : 0;
      out.refusal = used[at.spelling]->syntax + " goes into a PowerShell snippet, where opsbook writes values in: its value may only hold " +
                    std::string(k_plain_chars) + " (and not start with -)";
      return out;
    }
    out.code.append(code.substr(pos, at.begin - pos)).append(v);
    pos = at.end;
  }
  out.code.append(code.substr(pos));
  out.literal = out.code;
  return out;
}

bool plain_value(std::string_view v) {
  return !v.empty() && std::all_of(v.begin(), v.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || std::string_view("._:/@%+=,-").find(c) != std::string_view::npos;
  });
}

std::string shell_quote(std::string_view value) {
  std::string out = "'";
  for (char c : value) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

std::string display_quote(std::string_view value) {
  auto control = [](unsigned char c) { return c < 0x20 || c == 0x7f; };
  if (std::none_of(value.begin(), value.end(), control)) return shell_quote(value);
  static constexpr char k_hex[] = "0123456789abcdef";
  std::string out = "$'";
  for (unsigned char c : value) {
    if (c == '\\' || c == '\'') out += {'\\', static_cast<char>(c)};
    else if (c == '\n') out += "\\n";
    else if (c == '\t') out += "\\t";
    else if (c == '\r') out += "\\r";
    else if (control(c)) out += {'\\', 'x', k_hex[c >> 4], k_hex[c & 15]};
    else out += static_cast<char>(c);
  }
  return out + "'";
}

}  // namespace opsbook::runner
