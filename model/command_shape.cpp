// Shell evidence of a line of text: known tools, paths to executables, shell keywords and
// syntax on one side; prose, tables of output, YAML/JSON and log lines on the other.
#include "command_shape.hpp"

#include <algorithm>
#include <array>
#include <string>
#include <vector>

#include "safety_table.hpp"
#include "shell_lexer.hpp"
#include "shell_words.hpp"
#include "text.hpp"

namespace opsbook::model {

namespace {

bool is_lower_word_char(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.' || c == '+'; }

bool has_script_extension(std::string_view word) {
  for (std::string_view ext : {".sh", ".bash", ".py", ".rb", ".pl", ".ps1", ".exe", ".bat", ".cmd"}) {
    if (word.size() > ext.size() && word.ends_with(ext)) return true;
  }
  return false;
}

// A folder whose files are programs: "/opt/gitlab/bin/", "scripts/", "/etc/init.d/".
bool has_program_folder(std::string_view word) {
  for (std::string_view dir : {"bin/", "sbin/", "libexec/", "scripts/", "script/", "hack/", "tools/", "init.d/"}) {
    size_t at = word.find(dir);
    if (at != std::string_view::npos && (at == 0 || word[at - 1] == '/')) return true;
  }
  return false;
}

}  // namespace

bool is_shell_builtin(std::string_view w) {
  static constexpr std::array<std::string_view, 33> k_words = {
      "for", "while", "until", "if", "case", "function", "select", "do", "done", "then", "else", "elif", "fi", "esac",
      "cd", "export", "source", ".", "set", "unset", "alias", "echo", "printf", "read", "exit", "trap", "eval", "exec",
      "test", "[", "[[", "pushd", "popd"};
  return std::find(k_words.begin(), k_words.end(), w) != k_words.end();
}

namespace {

// Columns of a table printed by a tool ("web-1   1/1   Running   0   5d"): two or more gaps of
// at least two blanks.
bool is_tabular(std::string_view line) {
  int gaps = 0;
  for (size_t i = 0; i + 1 < line.size(); ++i) {
    if (line[i] == ' ' && line[i + 1] == ' ') {
      ++gaps;
      while (i < line.size() && line[i] == ' ') ++i;
    } else if (line[i] == '\t') {
      ++gaps;
    }
  }
  return gaps >= 2;
}

// A sentence: several plain words, no option or operator, ending like prose.
bool is_prose(std::string_view line, const std::vector<std::string_view>& words) {
  if (words.size() < 5) return false;
  for (std::string_view w : words) {
    if (w.starts_with('-') || w.find_first_of("/=$") != std::string_view::npos) return false;
  }
  return line.back() == '.' || line.find(", ") != std::string_view::npos || words.size() >= 8;
}

// Options, expansions, pipes or redirections: the marks of a command line.
bool has_shell_marks(const shell::Script& s, const shell::SimpleCommand& c, size_t first_arg) {
  if (c.pipe_next >= 0 || !s.redirects(c).empty() || s.units().size() > 1) return true;
  auto args = s.args(c);
  for (size_t i = first_arg; i < args.size(); ++i) {
    const shell::Word& w = s.words()[args[i]];
    std::string_view text = s.text(w);
    if ((text.size() > 1 && text[0] == '-' && !w.quoted) || w.expands) return true;
  }
  return false;
}

// "for NAME in ...", "for ((...))", "select NAME in ...", "case WORD in": bash's grammar for these
// keywords, which prose also starts with ("# for a duration of 60 seconds").
bool keyword_grammar_holds(std::string_view keyword, std::string_view line) {
  std::string_view rest = trim(line.substr(keyword.size()));
  if (keyword == "case") return rest.ends_with(" in") || rest.find(" in ") != std::string_view::npos;
  if (keyword != "for" && keyword != "select") return true;
  if (rest.starts_with("((")) return keyword == "for";
  size_t name_end = 0;
  while (name_end < rest.size() && is_ident_char(rest[name_end])) ++name_end;
  if (name_end == 0 || !is_ident_start(rest[0])) return false;
  std::string_view after = trim(rest.substr(name_end));
  return after.empty() || after.starts_with(';') || after == "in" || after.starts_with("in ") || after.starts_with("do");
}

}  // namespace

bool is_executable_path(std::string_view word) {
  if (word.starts_with("./") || word.starts_with(".\\")) return word.size() > 2;
  if (word.starts_with("../") || word.starts_with('/') || word.starts_with("~/")) {
    return has_program_folder(word) || has_script_extension(word);
  }
  if (word.find('/') == std::string_view::npos) return false;
  return has_program_folder(word) || has_script_extension(word);
}

bool is_tool_like_name(std::string_view word) {
  if (word.empty() || !(word[0] >= 'a' && word[0] <= 'z')) return false;
  if (!std::all_of(word.begin(), word.end(), is_lower_word_char)) return false;
  for (std::string_view end : {"ctl", "adm", "-cli"}) {
    if (word.size() > end.size() + 1 && word.ends_with(end)) return true;
  }
  if (word.find('-') == std::string_view::npos) return false;
  // Every part starts with a letter: "gitlab-redis-cli" yes, "web-1" or "api-7d9f8-x2k4z" no.
  size_t parts = 0;
  for (size_t start = 0; start <= word.size();) {
    size_t dash = word.find('-', start);
    std::string_view part = word.substr(start, dash == std::string_view::npos ? std::string_view::npos : dash - start);
    if (part.empty() || !(part[0] >= 'a' && part[0] <= 'z') ||
        std::any_of(part.begin(), part.end(), [](char c) { return c >= '0' && c <= '9'; })) {
      return false;
    }
    ++parts;
    if (dash == std::string_view::npos) break;
    start = dash + 1;
  }
  return parts <= 4;
}

namespace {

constexpr size_t k_quoted_lines = 40;

bool leaves_quote_open(std::string_view text) {
  thread_local shell::Script s;
  shell::lex(text, s, shell::Placeholders::words);
  auto errors = s.errors();
  return std::any_of(errors.begin(), errors.end(), [](const shell::LexError& e) {
    return e.kind == shell::ErrorKind::unterminated_single_quote || e.kind == shell::ErrorKind::unterminated_double_quote;
  });
}

}  // namespace

// A quick scan of quotes and backslashes (no $(...), comments or heredocs): most lines close
// their quotes and skip the lexer. Where it misreads (a quote inside "$(...)"), the line is read
// on its own, as it was before multi-line strings were joined.
bool may_leave_quote_open(std::string_view t) {
  char quote = 0;
  for (size_t i = 0; i < t.size(); ++i) {
    char c = t[i];
    if (c == '\\' && quote != '\'') ++i;
    else if (quote == 0 && (c == '\'' || c == '"')) quote = c;
    else if (c == quote) quote = 0;
  }
  return quote != 0;
}

size_t quoted_until(const std::vector<std::string_view>& lines, size_t first) {
  std::string_view t = lines[first];
  if (!may_leave_quote_open(t) || !leaves_quote_open(t)) return first;
  std::string text(t);
  for (size_t k = first + 1; k < lines.size() && k <= first + k_quoted_lines; ++k) {
    text += '\n';
    text.append(lines[k]);
    if (lines[k].find_first_of("'\"") != std::string_view::npos && !leaves_quote_open(text)) return k;
  }
  return first;
}

std::string opened_heredoc(std::string_view text) {
  if (text.find("<<") == std::string_view::npos) return {};
  thread_local shell::Script s;
  shell::lex(text, s, shell::Placeholders::words);
  std::string delimiter;
  for (const auto& r : s.all_redirects()) {
    if ((r.op == shell::RedirectOp::heredoc || r.op == shell::RedirectOp::heredoc_tabs) && r.target >= 0) {
      delimiter = std::string(s.text(s.words()[static_cast<size_t>(r.target)]));
    }
  }
  return delimiter;
}

bool runs_without_arguments(std::string_view word) {
  static constexpr std::array<std::string_view, 24> k_alone = {
      "uptime", "df", "free", "top", "htop", "iostat", "vmstat", "mpstat", "ps", "hostname", "whoami", "id",
      "date", "nproc", "lscpu", "lsblk", "ifconfig", "pg_isready", "dmesg", "uname", "printenv", "pwd", "w", "env"};
  return std::find(k_alone.begin(), k_alone.end(), word) != k_alone.end();
}

bool is_redis_command(std::string_view line) {
  static constexpr std::array<std::string_view, 58> k_redis = {
      "AUTH", "BGREWRITEAOF", "BGSAVE", "CLIENT", "CLUSTER", "CONFIG", "DBSIZE", "DEBUG", "DECR", "DEL", "EXISTS",
      "EXPIRE", "FLUSHALL", "FLUSHDB", "GET", "HDEL", "HGET", "HGETALL", "HKEYS", "HLEN", "HSET", "INCR", "INFO",
      "KEYS", "LASTSAVE", "LATENCY", "LINDEX", "LLEN", "LPOP", "LPUSH", "LRANGE", "MEMORY", "MGET", "MONITOR", "OBJECT",
      "PING", "PTTL", "PUBLISH", "REPLICAOF", "ROLE", "RPOP", "RPUSH", "SCAN", "SCARD", "SENTINEL", "SET", "SETEX",
      "SLAVEOF", "SLOWLOG", "SMEMBERS", "SREM", "STRLEN", "TTL", "TYPE", "UNLINK", "XINFO", "XLEN", "ZRANGE"};
  std::string_view t = trim(line);
  std::string_view first = t.substr(0, t.find(' '));
  if (first.empty() || !std::all_of(first.begin(), first.end(), [](char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'); })) return false;
  // Written in capitals, as Redis documents them ("INFO replication"), or a lower-case command with arguments.
  bool capitals = std::all_of(first.begin(), first.end(), [](char c) { return c >= 'A' && c <= 'Z'; });
  bool lower = std::all_of(first.begin(), first.end(), [](char c) { return c >= 'a' && c <= 'z'; });
  if (!capitals && (!lower || first.size() == t.size())) return false;
  return std::find(k_redis.begin(), k_redis.end(), to_upper(first)) != k_redis.end();
}

bool is_redis_command_alone(std::string_view word) {
  static constexpr std::array<std::string_view, 8> k_alone = {"INFO", "PING", "DBSIZE", "ROLE", "LASTSAVE", "TIME", "MONITOR", "SLOWLOG"};
  return std::find(k_alone.begin(), k_alone.end(), to_upper(trim(word))) != k_alone.end();
}

bool is_sql_statement(std::string_view line) {
  static constexpr std::array<std::string_view, 22> k_verbs = {
      "SELECT", "INSERT", "UPDATE", "DELETE", "WITH", "EXPLAIN", "SHOW", "CREATE", "DROP", "ALTER", "TRUNCATE", "GRANT",
      "REVOKE", "VACUUM", "ANALYZE", "REINDEX", "BEGIN", "COMMIT", "ROLLBACK", "CALL", "COPY", "CHECKPOINT"};
  std::string_view t = trim(line);
  if (t.size() >= 2 && t[0] == '\\' && t[1] >= 'a' && t[1] <= 'z') return true;  // psql \dt, \x
  std::string_view first = t.substr(0, t.find_first_of(" (;"));
  if (first.size() == t.size() && !t.ends_with(';')) return false;
  return std::find(k_verbs.begin(), k_verbs.end(), to_upper(first)) != k_verbs.end();
}

bool is_powershell_command(std::string_view line) {
  static constexpr std::array<std::string_view, 62> k_verbs = {
      "Add", "Clear", "Close", "Compare", "Compress", "Connect", "ConvertFrom", "ConvertTo", "Copy", "Disable",
      "Disconnect", "Dismount", "Enable", "Enter", "Exit", "Expand", "Export", "Find", "Format", "Get", "Grant",
      "Group", "Import", "Initialize", "Install", "Invoke", "Join", "Measure", "Mount", "Move", "New", "Out", "Pop",
      "Publish", "Push", "Read", "Receive", "Register", "Remove", "Rename", "Repair", "Reset", "Resolve", "Restart",
      "Restore", "Resume", "Revoke", "Save", "Select", "Send", "Set", "Sort", "Start", "Stop", "Suspend", "Test",
      "Uninstall", "Unregister", "Update", "Wait", "Where", "Write"};
  std::string_view t = trim(line);
  if (t.starts_with("& ")) t = trim(t.substr(2));  // the call operator
  std::string_view first = t.substr(0, t.find_first_of(" \t|"));
  if ((first.ends_with(".ps1") || first.ends_with(".exe")) && first.size() > 4) return true;  // a script, a Windows program
  if (first.starts_with('$') && first.size() > 1 && is_ident_start(first[1]) && trim(t.substr(first.size())).starts_with('=')) return true;
  size_t dash = first.find('-');
  if (dash == std::string_view::npos || dash == 0 || dash + 1 >= first.size()) return false;
  std::string_view verb = first.substr(0, dash);
  std::string_view noun = first.substr(dash + 1);
  if (!(noun[0] >= 'A' && noun[0] <= 'Z') || !std::all_of(noun.begin(), noun.end(), [](char c) { return is_ident_char(c); })) return false;
  return std::find(k_verbs.begin(), k_verbs.end(), verb) != k_verbs.end();
}

ShellEvidence shell_evidence(std::string_view line) {
  std::string_view t = trim(line);
  if (t.empty() || t[0] == '#') return ShellEvidence::none;
  // "< files.txt xargs du -ch": the input redirection first, then a command (curl -v's
  // "< HTTP/1.1 200 OK" and "< Content-Type: x" have none after their first word).
  if (t.starts_with("< ")) {
    std::string_view rest = trim(t.substr(2));
    size_t gap = rest.find(' ');
    if (gap == std::string_view::npos || rest.find(':') < gap) return ShellEvidence::none;
    std::string_view command = trim(rest.substr(gap + 1));
    if (command.starts_with('<')) return ShellEvidence::none;  // one level only: no recursion on "< < < ..."
    return shell_evidence(command) == ShellEvidence::strong ? ShellEvidence::strong : ShellEvidence::none;
  }
  // JSON, XML, markdown tables, YAML lists and keys, log levels ("ERROR:"), prose lead-ins.
  if (t[0] == '{' || t[0] == '"' || t[0] == '<' || t[0] == '|' || t.starts_with("- ") || t.starts_with("* ")) return ShellEvidence::none;
  if (t[0] == '[' && !t.starts_with("[ ") && !t.starts_with("[[ ")) return ShellEvidence::none;
  size_t first_end = t.find_first_of(" \t");
  std::string_view first = t.substr(0, first_end);
  if (first.size() > 1 && first.back() == ':') return ShellEvidence::none;
  if (is_shell_builtin(first)) return keyword_grammar_holds(first, t) ? ShellEvidence::strong : ShellEvidence::none;
  thread_local shell::Script s;
  shell::lex(t, s, shell::Placeholders::words);
  if (s.commands().empty()) return ShellEvidence::none;
  // The command the line starts with (nested ones, as in A=$(date), come in the list too).
  const shell::SimpleCommand& c = *std::min_element(s.commands().begin(), s.commands().end(),
                                                    [](const auto& a, const auto& b) { return a.begin < b.begin; });
  auto args = s.args(c);
  std::vector<std::string_view> words;
  for (size_t k = c.assignments; k < args.size(); ++k) words.push_back(s.text(s.words()[args[k]]));
  if (words.empty()) return c.assignments > 0 ? ShellEvidence::weak : ShellEvidence::none;  // FOO=bar
  size_t i = SafetyTable::builtin().unwrap(words);
  bool wrapped = i > 0 && (words[0] == "sudo" || words[0] == "doas");
  if (i >= words.size()) return wrapped ? ShellEvidence::strong : ShellEvidence::weak;
  std::string_view w = words[i];
  bool more = i + 1 < words.size();
  if (is_shell_builtin(w) || wrapped) return ShellEvidence::strong;
  // A path alone names a program ("the build at /opt/gitlab/embedded/bin/git"); "./x" runs it.
  if (is_executable_path(w)) return more || w.starts_with("./") ? ShellEvidence::strong : ShellEvidence::weak;
  std::string_view name = w.find('/') == std::string_view::npos ? w : std::string_view{};
  if (!name.empty() && (is_known_command(name) || SafetyTable::builtin().knows_tool(name))) {
    if (is_prose(t, words)) return ShellEvidence::weak;
    return more || runs_without_arguments(name) ? ShellEvidence::strong : ShellEvidence::weak;
  }
  if (is_tabular(t)) return ShellEvidence::none;
  if (is_tool_like_name(name) && more && !is_prose(t, words)) return ShellEvidence::strong;
  bool lower = !name.empty() && name[0] >= 'a' && name[0] <= 'z' && std::all_of(name.begin(), name.end(), is_lower_word_char);
  if (lower && has_shell_marks(s, c, c.assignments + i + 1)) return ShellEvidence::weak;
  if (c.assignments > 0 || i > 0) return ShellEvidence::weak;  // VAR=value or a wrapper before a word
  return ShellEvidence::none;
}

}  // namespace opsbook::model
