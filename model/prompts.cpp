// The prompt table and the session splitter. Shapes are data: a small pattern language whose
// classes ({user}, {host}, {path}, {db}, {n}...) are matched greedily, never backtracking, so a
// line costs at most the sum of the shapes' lengths.
#include "prompts.hpp"

#include <array>
#include <vector>

#include "command_shape.hpp"
#include "shell_words.hpp"
#include "text.hpp"

namespace opsbook::model {

namespace {

enum class Role { primary, continuation };
// What the text after an ambiguous shape must look like for the shape to be a prompt.
enum class Guard { none, shell_command, mongo_text, redis_command, sql_statement };

struct Shape {
  std::string_view pattern;
  CommandLang lang;
  Role role = Role::primary;
  Guard guard = Guard::none;
  PromptScope scope = PromptScope::any_block;  // session: only inside a known session
};

using L = CommandLang;
// Most specific first: the first shape that matches wins.
constexpr std::array k_shapes = {
    // Ruby consoles: irb, pry, Rails 7 ("app(prod)> "). "irb(main):002:1> " is inside a block.
    Shape{"irb({word}):{n}:0>", L::ruby},
    Shape{"irb({word}):{n}:{n}>", L::ruby, Role::continuation},
    Shape{"irb({word}):{n}:{n}*", L::ruby, Role::continuation},
    Shape{"irb({word}):{n}>", L::ruby},
    Shape{"irb({word}):{n}*", L::ruby, Role::continuation},
    Shape{"irb>", L::ruby},
    Shape{"[{n}] pry({any})>", L::ruby},
    Shape{"[{n}] pry({any})*", L::ruby, Role::continuation},
    Shape{"pry({any})>", L::ruby},
    Shape{"{word}({word})>", L::ruby},
    Shape{"[ {word} ] {word}>", L::ruby},  // GitLab's Rails console: "[ gstg ] production> "
    Shape{"{word}({word})*", L::ruby, Role::continuation},
    // PowerShell and cmd.exe.
    Shape{"PS {winpath}>", L::powershell},
    Shape{"PS>", L::powershell},
    Shape{">>", L::powershell, Role::continuation, Guard::none, PromptScope::session},
    Shape{"{drive}:\\{winpath}>", L::other},
    // Python, ipython and pdb.
    Shape{">>>", L::python},
    Shape{"...", L::python, Role::continuation, Guard::none, PromptScope::session},
    Shape{"In [{n}]:", L::python},
    Shape{"...:", L::python, Role::continuation, Guard::none, PromptScope::session},
    Shape{"(Pdb)", L::python},
    // MySQL / MariaDB; their continuation prompts are indented ("    -> ").
    Shape{"mysql>", L::sql},
    Shape{"MariaDB [{box}]>", L::sql},
    Shape{"MySQL [{box}]>", L::sql},
    Shape{"->", L::sql, Role::continuation, Guard::none, PromptScope::session},
    Shape{"'>", L::sql, Role::continuation, Guard::none, PromptScope::session},
    Shape{"\">", L::sql, Role::continuation, Guard::none, PromptScope::session},
    Shape{"sqlite>", L::sql},
    // redis-cli.
    Shape{"redis {host}:{n}[{n}]>", L::redis},
    Shape{"redis {host}:{n}>", L::redis},
    Shape{"{host}:{n}[{n}]>", L::redis},
    Shape{"{host}:{n}>", L::redis},
    Shape{"redis>", L::redis},
    Shape{"not connected>", L::redis},
    // mongo shell and mongosh.
    Shape{"{word}:PRIMARY>", L::mongo},
    Shape{"{word}:SECONDARY>", L::mongo},
    Shape{"mongos>", L::mongo},
    Shape{"{word}>", L::mongo, Role::primary, Guard::mongo_text},
    // psql: "db=# ", "db=> ", in a transaction "db=*# ", continued "db-# ", "db(# ", "db'# ".
    Shape{"{db}=#", L::sql},
    Shape{"{db}=>", L::sql},
    Shape{"{db}=*#", L::sql},
    Shape{"{db}=*>", L::sql},
    Shape{"{db}=!#", L::sql},
    Shape{"{db}-#", L::sql, Role::continuation},
    Shape{"{db}->", L::sql, Role::continuation},
    Shape{"{db}(#", L::sql, Role::continuation},
    Shape{"{db}(>", L::sql, Role::continuation},
    Shape{"{db}'#", L::sql, Role::continuation},
    Shape{"{db}#", L::sql, Role::primary, Guard::sql_statement},  // "template1# select ...": PROMPT1 without %R
    Shape{"{db}\"#", L::sql, Role::continuation},
    // Shells: user@host with a path, bracketed, with a (virtualenv) in front; zsh themes.
    Shape{"({word}){user}@{host}:{path}$", L::shell},
    Shape{"({word}){user}@{host}:{path}#", L::shell},
    Shape{"({word}) {user}@{host}:{path}$", L::shell},
    Shape{"({word}) {user}@{host}:{path}#", L::shell},
    Shape{"{user}@{host}:{path}$", L::shell},
    Shape{"{user}@{host}:{path}#", L::shell},
    Shape{"{user}@{host}:{path}%", L::shell},
    Shape{"{user}@{host} {path} $", L::shell},
    Shape{"{user}@{host} {path} %", L::shell},
    Shape{"{user}@{host}$", L::shell},
    Shape{"{user}@{host}#", L::shell},
    Shape{"[{user}@{host} {path}]$", L::shell},
    Shape{"[{user}@{host} {path}]#", L::shell},
    Shape{"{host}:{path} {user}$", L::shell},
    Shape{"{host}:{path}$", L::shell},
    Shape{"{host}:{path}#", L::shell},
    Shape{":{path}$", L::shell},
    Shape{"\xE2\x9E\x9C{sp}{path} git:({any}) \xE2\x9C\x97", L::shell},  // ➜  dir git:(main) ✗
    Shape{"\xE2\x9E\x9C{sp}{path} git:({any})", L::shell},
    Shape{"\xE2\x9E\x9C{sp}{path}", L::shell},
    Shape{"~", L::shell, Role::primary, Guard::shell_command},  // a minimal zsh theme: "~ kubectl get pods"
    Shape{"\xE2\x9D\xAF", L::shell},  // ❯
    Shape{"\xCE\xBB", L::shell},      // λ
    Shape{"bash-{word}$", L::shell},
    Shape{"bash-{word}#", L::shell},
    Shape{"sh-{word}$", L::shell},
    Shape{"sh-{word}#", L::shell},
    Shape{"{abspath} #", L::shell},  // busybox in a pod: "/ # ", "/app # "
    Shape{"{abspath} $", L::shell},
    Shape{"{word}$", L::shell},      // "worker$ "
    Shape{"{word}{sp}$", L::shell, Role::primary, Guard::shell_command},  // "patroni-01-db-gstg $ sudo ...", "workstation        $ knife ..."
    Shape{"{word}{sp}#", L::shell, Role::primary, Guard::shell_command},  // the root shell of the same: "patroni-01-db-gstg # postmaster=..."
    Shape{"$>", L::shell},
    Shape{"$", L::shell},
    Shape{"%", L::shell, Role::primary, Guard::shell_command},  // zsh's and csh's default: "% brew services list"
    Shape{"#", L::shell, Role::primary, Guard::shell_command, PromptScope::session},  // root, or a comment
    Shape{">", L::shell, Role::continuation, Guard::none, PromptScope::session},
    Shape{">", L::redis, Role::primary, Guard::redis_command},  // "> slowlog get 10", "> INFO replication"
    Shape{">", L::shell, Role::primary, Guard::shell_command},  // "> kubectl get pods"
    Shape{">", L::mongo, Role::primary, Guard::mongo_text},
    // Other consoles: commands in a language of their own, never run by a shell.
    Shape{"(gdb)", L::other},
    Shape{"cqlsh>", L::other},
    Shape{"cqlsh:{word}>", L::other},
    Shape{"gpg>", L::other},
    Shape{"gpg/card>", L::other},
    Shape{"ftp>", L::other},
    Shape{"sftp>", L::other},
};

constexpr size_t k_max_class_run = 160;

// The character classes of the pattern language, named once per pattern token (not per character).
enum class Cls { word, db, n, drive, sp, any, box, winpath, path, none };

Cls class_named(std::string_view name) {
  if (name == "word" || name == "user" || name == "host") return Cls::word;
  if (name == "db") return Cls::db;
  if (name == "n") return Cls::n;
  if (name == "drive") return Cls::drive;
  if (name == "sp") return Cls::sp;
  if (name == "any") return Cls::any;
  if (name == "box") return Cls::box;
  if (name == "winpath") return Cls::winpath;
  if (name == "path" || name == "abspath") return Cls::path;
  return Cls::none;
}

bool in_class(Cls cls, unsigned char c) {
  bool alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
  switch (cls) {
    case Cls::word: return alnum || c == '_' || c == '.' || c == '-';
    case Cls::db: return alnum || c == '_';
    case Cls::n: return c >= '0' && c <= '9';
    case Cls::drive: return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
    case Cls::sp: return c == ' ';
    case Cls::any: return c != ')' && c != ']' && c != '\t';
    case Cls::box: return c != ']' && c != '\t';
    case Cls::winpath: return c != '>' && c != '\t';
    case Cls::path: return c != ' ' && c != '\t' && c != '$' && c != '#' && c != '>' && c != ']' && c != '[';
    case Cls::none: return false;
  }
  return false;
}

// A pattern compiled once: each piece is one literal byte or one character class.
struct Piece {
  Cls cls = Cls::none;  // none: the literal byte
  char literal = 0;
  bool absolute = false;  // {abspath}: must start with '/' or '~'
};

std::vector<Piece> compile(std::string_view pattern) {
  std::vector<Piece> out;
  for (size_t p = 0; p < pattern.size(); ++p) {
    if (pattern[p] != '{') {
      out.push_back(Piece{Cls::none, pattern[p], false});
      continue;
    }
    size_t close = pattern.find('}', p);
    std::string_view name = pattern.substr(p + 1, close - p - 1);
    out.push_back(Piece{class_named(name), 0, name == "abspath"});
    p = close;
  }
  return out;
}

const std::vector<std::vector<Piece>>& compiled_shapes() {
  static const std::vector<std::vector<Piece>> k_compiled = [] {
    std::vector<std::vector<Piece>> out;
    for (const Shape& shape : k_shapes) out.push_back(compile(shape.pattern));
    return out;
  }();
  return k_compiled;
}

// Length of the prompt `pieces` at the start of `line`, or npos. The prompt must be followed by
// a blank or the end of the line.
size_t match_shape(const std::vector<Piece>& pieces, std::string_view line) {
  size_t i = 0;
  for (const Piece& piece : pieces) {
    if (piece.cls == Cls::none) {
      if (i >= line.size() || line[i] != piece.literal) return std::string_view::npos;
      ++i;
      continue;
    }
    size_t start = i;
    if (piece.absolute && (i >= line.size() || (line[i] != '/' && line[i] != '~'))) return std::string_view::npos;
    if (piece.cls == Cls::drive) {
      if (i < line.size() && in_class(piece.cls, static_cast<unsigned char>(line[i]))) ++i;
    } else {
      while (i < line.size() && i - start < k_max_class_run && in_class(piece.cls, static_cast<unsigned char>(line[i]))) ++i;
    }
    if (i == start) return std::string_view::npos;
  }
  if (i < line.size() && line[i] != ' ' && line[i] != '\t') return std::string_view::npos;
  return i;
}

bool mongo_text(std::string_view t) {
  for (std::string_view start : {"db.", "db[", "rs.", "sh.", "use ", "show ", "printjson(", "load(", "it"}) {
    if (t.starts_with(start)) return start != "it" || t == "it";
  }
  return false;
}

bool guard_holds(Guard guard, std::string_view text) {
  switch (guard) {
    case Guard::none: return true;
    case Guard::shell_command: return shell_evidence(text) == ShellEvidence::strong;
    case Guard::mongo_text: return mongo_text(text);
    case Guard::redis_command:  // not curl -v's "> GET / HTTP/1.1"
      return (is_redis_command(text) || is_redis_command_alone(text)) && text.find(" HTTP/") == std::string_view::npos;
    case Guard::sql_statement: return is_sql_statement(text);
  }
  return false;
}

// The last literal byte of each shape ('$' of "{user}@{host}:{path}$"): a line without it cannot
// hold that prompt. Most lines have none of them, and skip the table in one pass.
struct LastBytes {
  std::array<unsigned char, k_shapes.size()> of_shape{};
  std::array<bool, 256> any{};
};

const LastBytes& last_bytes() {
  static const LastBytes k_last = [] {
    LastBytes out;
    const auto& compiled = compiled_shapes();
    for (size_t k = 0; k < compiled.size(); ++k) {
      for (const Piece& piece : compiled[k]) {
        if (piece.cls == Cls::none) out.of_shape[k] = static_cast<unsigned char>(piece.literal);
      }
      out.any[out.of_shape[k]] = true;
    }
    return out;
  }();
  return k_last;
}

// "$sudo lsblk": a '$' prompt that lost its blank. No one names a shell variable after a program,
// so '$' glued to a known program with arguments is the prompt.
std::optional<PromptMatch> glued_dollar_prompt(std::string_view rest, size_t lead) {
  if (!rest.starts_with('$') || rest.size() < 3 || !(rest[1] >= 'a' && rest[1] <= 'z')) return std::nullopt;
  std::string_view text = rest.substr(1);
  std::string_view word = text.substr(0, text.find(' '));
  if (word.size() == text.size() || !is_known_command(word) || shell_evidence(text) != ShellEvidence::strong) return std::nullopt;
  return PromptMatch{CommandLang::shell, lead + 1, false, "$"};
}

std::optional<PromptMatch> match_in(std::string_view line, PromptScope scope, bool continuation_wanted) {
  size_t lead = line.find_first_not_of(" \t");
  if (lead == std::string_view::npos) return std::nullopt;
  std::string_view rest = line.substr(lead);
  if (!continuation_wanted) {
    if (auto glued = glued_dollar_prompt(rest, lead)) return glued;
  }
  const LastBytes& last = last_bytes();
  std::array<bool, 256> seen{};
  bool some = false;
  for (char c : rest) {
    auto b = static_cast<unsigned char>(c);
    if (last.any[b]) some = seen[b] = true;
  }
  if (!some) return std::nullopt;
  const auto& compiled = compiled_shapes();
  for (size_t k = 0; k < k_shapes.size(); ++k) {
    if (!seen[last.of_shape[k]]) continue;
    const Shape& shape = k_shapes[k];
    if (shape.scope == PromptScope::session && scope != PromptScope::session) continue;
    if ((shape.role == Role::continuation) != continuation_wanted) continue;
    size_t len = match_shape(compiled[k], rest);
    if (len == std::string_view::npos) continue;
    // irb's last number is the nesting depth: "irb(main):002:0> " is a new command at the top
    // level, "irb(main):002:1> " goes on inside a block.
    if (shape.role == Role::continuation && rest.substr(0, len).ends_with(":0>")) continue;
    std::string_view text = trim(rest.substr(len));
    if (!guard_holds(shape.guard, text)) continue;
    return PromptMatch{shape.lang, lead + len, shape.role == Role::continuation, shape.pattern};
  }
  return std::nullopt;
}

// ---- the session splitter ----

bool ends_with_backslash(std::string_view text) {
  text = trim(text);
  return !text.empty() && text.back() == '\\';
}

// SQL typed so far still waits for its ';' (psql meta-commands and \g end at the line).
bool sql_unterminated(std::string_view text) {
  std::string_view t = trim(text);
  if (t.empty() || t[0] == '\\') return false;
  size_t last_line = t.rfind('\n');
  std::string_view tail = trim(last_line == std::string_view::npos ? t : t.substr(last_line + 1));
  if (size_t dash = tail.find("--"); dash != std::string_view::npos) tail = trim(tail.substr(0, dash));
  if (tail.empty()) return true;
  return !(tail.back() == ';' || tail.ends_with("\\g") || tail.ends_with("\\G") || tail.ends_with("\\gx"));
}

// psql's answer rather than more SQL: a result table, its rule, a row count, a status tag.
bool looks_like_sql_output(std::string_view line, std::string_view next) {
  std::string_view t = trim(line);
  if (t.find(" | ") != std::string_view::npos || t.starts_with("---") || t.starts_with("-[ RECORD") || t.starts_with("+-")) return true;
  if (t.starts_with('(') && (t.ends_with(" rows)") || t.ends_with(" row)"))) return true;
  for (std::string_view tag : {"ERROR:", "NOTICE:", "WARNING:", "HINT:", "DETAIL:", "LINE ", "Time:", "Expanded display"}) {
    if (t.starts_with(tag)) return true;
  }
  return trim(next).starts_with("---") || trim(next).starts_with("+-");
}

class Splitter {
 public:
  explicit Splitter(std::string_view code) : m_lines(split_lines(code)) {}

  Session run() {
    for (m_i = 0; m_i < m_lines.size(); ++m_i) {
      std::string_view line = m_lines[m_i];
      if (m_open && continue_open(line)) continue;
      close();
      if (auto p = match_in(line, PromptScope::session, false)) {
        open(line, *p);
        continue;
      }
      if (!trim(line).empty()) {
        m_out.output_lines.push_back(static_cast<int>(m_i));
        m_out.output.append(line);
        m_out.output += '\n';
      }
    }
    close();
    return std::move(m_out);
  }

 private:
  void open(std::string_view line, const PromptMatch& p) {
    m_cmd = SessionCommand{std::string(trim(line.substr(p.length))), static_cast<int>(m_i), static_cast<int>(m_i), p.lang,
                           std::string(trim(line.substr(0, p.length)))};
    m_open = true;
    m_heredoc = m_cmd.lang == CommandLang::shell ? opened_heredoc(m_cmd.text) : std::string();
  }

  void append(std::string_view text, bool join_lines) {
    if (join_lines) {
      while (!m_cmd.text.empty() && (m_cmd.text.back() == ' ' || m_cmd.text.back() == '\\')) m_cmd.text.pop_back();
      m_cmd.text += ' ';
    } else {
      m_cmd.text += '\n';
    }
    m_cmd.text.append(text);
    m_cmd.end_offset = static_cast<int>(m_i);
  }

  // Takes the line into the open command when it continues it; false when it does not.
  bool continue_open(std::string_view line) {
    auto cont = match_in(line, PromptScope::session, true);
    std::string_view text = cont ? trim(line.substr(cont->length)) : trim(line);
    if (!m_heredoc.empty()) {
      std::string_view body = cont ? line.substr(cont->length) : line;
      if (cont && body.starts_with(' ')) body.remove_prefix(1);  // the blank after "> "
      append(body, false);
      if (text == m_heredoc) m_heredoc.clear();
      return true;
    }
    bool joins = m_cmd.lang == CommandLang::shell && ends_with_backslash(m_cmd.text);
    if (cont && continues(*cont)) {
      append(text, joins);
      if (m_cmd.lang == CommandLang::shell) m_heredoc = opened_heredoc(text);
      return true;
    }
    if (cont || match_in(line, PromptScope::session, false)) return false;
    if (joins && !text.empty()) {
      append(text, true);
      m_heredoc = opened_heredoc(text);
      return true;
    }
    std::string_view next = m_i + 1 < m_lines.size() ? m_lines[m_i + 1] : std::string_view{};
    if (m_cmd.lang == CommandLang::sql && sql_unterminated(m_cmd.text) && !text.empty() && !looks_like_sql_output(line, next)) {
      append(text, false);
      return true;
    }
    return false;
  }

  // Whether a continuation prompt belongs to the open command's language.
  bool continues(const PromptMatch& p) const {
    if (p.lang == m_cmd.lang) return true;
    if (p.shape == ">") return m_cmd.lang == CommandLang::mongo;
    if (p.shape == "...") return m_cmd.lang == CommandLang::mongo;
    return false;
  }

  void close() {
    if (!m_open) return;
    m_open = false;
    m_heredoc.clear();
    if (!m_cmd.text.empty()) m_out.commands.push_back(std::move(m_cmd));
  }

  std::vector<std::string_view> m_lines;
  size_t m_i = 0;
  Session m_out;
  SessionCommand m_cmd;
  bool m_open = false;
  std::string m_heredoc;
};

}  // namespace

std::optional<PromptMatch> match_prompt(std::string_view line, PromptScope scope) {
  if (auto p = match_in(line, scope, false)) return p;
  return match_in(line, scope, true);
}

Session split_session(std::string_view code) { return Splitter(code).run(); }

namespace {

bool has_prompt_in(std::string_view code, PromptScope scope) {
  for (std::string_view line : split_lines(code)) {
    auto p = match_in(line, scope, false);
    if (p && !trim(line.substr(p->length)).empty()) return true;
  }
  return false;
}

}  // namespace

bool has_session_prompt(std::string_view code) { return has_prompt_in(code, PromptScope::any_block); }

bool has_prompted_line(std::string_view code) { return has_prompt_in(code, PromptScope::session); }

}  // namespace opsbook::model
