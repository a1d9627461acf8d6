// Reading a code block: its tag names a kind, its text decides the rest. A block with a prompt
// is a session whatever its tag; a `sh` block can hold queries and pasted output; a block
// without a tag is shell only when its lines give evidence of it.
#include "block_kind.hpp"

#include <algorithm>
#include <array>
#include <map>

#include "command_shape.hpp"
#include "prompts.hpp"
#include "query_lang.hpp"
#include "shell_output.hpp"
#include "shell_commands.hpp"
#include "shell_words.hpp"
#include "sql.hpp"
#include "text.hpp"

namespace opsbook::model {

namespace {

bool is_console_tag(std::string_view tag) {
  return tag == "console" || tag == "shell-session" || tag == "shellsession" || tag == "terminal" || tag == "session";
}

// Program code and configuration: lines in them are never commands unless a prompt says so.
bool is_code_tag(std::string_view tag) {
  static constexpr std::array<std::string_view, 64> k_code = {
      "ruby", "rb", "python", "py", "python3", "go", "golang", "js", "javascript", "ts", "typescript", "java", "c",
      "cpp", "c++", "rust", "rs", "jsonnet", "libsonnet", "hcl", "tf", "nginx", "apache", "dockerfile", "makefile",
      "xml", "html", "css", "scss", "diff", "patch", "math", "latex", "tex", "csv", "tsv", "graphql", "lua", "perl",
      "php", "groovy", "kotlin", "scala", "swift", "erlang", "elixir", "haskell", "proto", "protobuf", "conf", "cfg",
      "properties", "nix", "rego", "cue", "jinja", "j2", "gotmpl", "tpl", "erb", "cron", "crontab", "awk", "vim"};
  return std::find(k_code.begin(), k_code.end(), tag) != k_code.end();
}

bool is_ruby_tag(std::string_view tag) { return tag == "ruby" || tag == "rb" || tag == "irb" || tag == "rails"; }

// Output and logs: the author says nothing in them is typed.
bool is_output_tag(std::string_view tag) {
  return tag == "log" || tag == "logs" || tag == "output" || tag == "stdout" || tag == "stderr" || tag == "out";
}

int line_of(int code_line, size_t index) { return code_line + static_cast<int>(index); }

SnippetKind session_kind(const std::vector<Command>& commands, SnippetKind fallback) {
  bool shell = false, sql = true, powershell = true;
  for (const auto& c : commands) {
    shell = shell || c.lang == CommandLang::shell;
    sql = sql && c.lang == CommandLang::sql;
    powershell = powershell && c.lang == CommandLang::powershell;
  }
  if (commands.empty()) return fallback;
  if (sql) return SnippetKind::sql;
  if (powershell) return SnippetKind::powershell;
  if (shell) return SnippetKind::shell;
  return SnippetKind::other;
}

BlockReading read_session(std::string_view code, int code_line, SnippetKind fallback) {
  BlockReading out;
  Session session = split_session(code);
  for (auto& c : session.commands) {
    Command cmd;
    cmd.text = std::move(c.text);
    cmd.line = line_of(code_line, static_cast<size_t>(c.line_offset));
    cmd.end_line = line_of(code_line, static_cast<size_t>(c.end_offset));
    cmd.lang = c.lang;
    cmd.prompt = std::move(c.prompt);
    out.commands.push_back(std::move(cmd));
  }
  out.expected_output = std::move(session.output);
  out.kind = session_kind(out.commands, fallback);
  return out;
}

Command query_command(const std::vector<std::string_view>& lines, const QuerySpan& span, int code_line) {
  Command q;
  for (size_t k = span.first; k <= span.last; ++k) {
    if (k > span.first) q.text += '\n';
    q.text.append(lines[k]);
  }
  q.line = line_of(code_line, span.first);
  q.end_line = line_of(code_line, span.last);
  q.lang = CommandLang::query;
  return q;
}

BlockReading read_queries(std::string_view code, int code_line) {
  BlockReading out;
  out.kind = SnippetKind::query;
  std::vector<std::string_view> lines = split_lines(code);
  for (const auto& span : query_spans(lines, true)) out.commands.push_back(query_command(lines, span, code_line));
  return out;
}

// True when every line that says something is a query: the block is a query block.
bool all_queries(const std::vector<std::string_view>& lines) {
  bool any = false;
  for (size_t i = 0; i < lines.size(); ++i) {
    std::string_view t = trim(lines[i]);
    if (t.empty() || t[0] == '#') continue;
    QuerySpan span = query_span_at(lines, i, false);
    if (span.lang == QueryLang::none) return false;
    any = true;
    i = span.last;
  }
  return any;
}

// "0 3 * * * /opt/backup.sh", "@daily cmd": a line for a crontab, not a command to type.
bool is_cron_entry(std::string_view t) {
  if (t.starts_with('@')) {
    for (std::string_view when : {"@reboot ", "@yearly ", "@annually ", "@monthly ", "@weekly ", "@daily ", "@midnight ", "@hourly "}) {
      if (t.starts_with(when)) return true;
    }
    return false;
  }
  size_t pos = 0;
  for (int field = 0; field < 5; ++field) {
    size_t start = pos;
    while (pos < t.size() && std::string_view("0123456789*/,-").find(t[pos]) != std::string_view::npos) ++pos;
    if (pos == start || pos >= t.size() || t[pos] != ' ') return false;
    while (pos < t.size() && t[pos] == ' ') ++pos;
  }
  return pos < t.size();
}

enum class Role : char { command, output, query, body, continuation, skipped };

// PowerShell: one command per line; a line ending with a backtick or a pipe goes on.
std::vector<Command> powershell_commands(std::string_view script, int code_line) {
  std::vector<Command> out;
  for (auto& logical : powershell_lines(script)) {
    Command c{std::move(logical.text), code_line + logical.line_offset};
    c.end_line = c.line + static_cast<int>(std::count(c.text.begin(), c.text.end(), '\n'));
    c.lang = CommandLang::powershell;
    out.push_back(std::move(c));
  }
  return out;
}

// Reads an unprompted script: which lines are commands, queries or output, then the commands
// cut by the shell segmenter with heredoc bodies and continuations kept in their command.
BlockReading read_script(std::string_view code, int code_line, CommandLang lang) {
  BlockReading out;
  std::vector<std::string_view> lines = split_lines(code);
  std::vector<Role> role(lines.size(), Role::skipped);
  std::vector<Command> queries;
  std::string heredoc;
  bool continued = false;
  int last_command = -1;
  bool last_output = false;
  for (size_t i = 0; i < lines.size(); ++i) {
    std::string_view t = trim(lines[i]);
    if (!heredoc.empty()) {
      role[i] = Role::body;
      if (t == heredoc) heredoc.clear();
      continue;
    }
    if (continued) {
      role[i] = Role::continuation;
      continued = !t.empty() && t.back() == '\\';
      if (std::string h = opened_heredoc(t); !h.empty()) heredoc = h;
      continue;
    }
    if (t.empty() || t[0] == '#') continue;
    if (lang == CommandLang::shell) {
      QuerySpan span = query_span_at(lines, i, false);
      if (span.lang != QueryLang::none) {
        for (size_t k = span.first; k <= span.last; ++k) role[k] = Role::query;
        queries.push_back(query_command(lines, span, code_line));
        out.notes.push_back({line_of(code_line, i), std::string(to_string(span.lang)) + " expression: a query, not a shell command"});
        i = span.last;
        continue;
      }
    }
    if (is_cron_entry(t)) {
      out.notes.push_back({line_of(code_line, i), "a crontab entry (schedule and command), not a command to type"});
      continue;
    }
    if (t == "}" || t == ")" || t == "};" || t == "]") {
      // Closes a function or group, or ends JSON printed as output: it goes with what it closes.
      role[i] = last_output ? Role::output : Role::command;
      continue;
    }
    // Weak evidence (a pipe, an unknown word with options) gives way to a clear output shape:
    // "wiki-1  | Error: ..." after `docker compose logs` is its output.
    ShellEvidence evidence = shell_evidence(t);
    bool shell_like = evidence == ShellEvidence::strong || (evidence == ShellEvidence::weak && output_shape(t).empty());
    bool command_like = lang == CommandLang::powershell ? (is_powershell_command(t) || evidence != ShellEvidence::none) : shell_like;
    std::string_view why = command_like ? std::string_view{} : output_shape(t);
    // "options" under a usage text: a line with no shell evidence goes on with the output above.
    if (why.empty() && !command_like && evidence == ShellEvidence::none && last_output && lang == CommandLang::shell) why = "more of the output above";
    if (!why.empty()) {
      role[i] = Role::output;
      last_output = true;
      out.expected_output.append(lines[i]);
      out.expected_output += '\n';
      std::string note = last_command >= 0 ? "output of the command at line " + std::to_string(line_of(code_line, static_cast<size_t>(last_command)))
                                           : std::string("not a command");
      out.notes.push_back({line_of(code_line, i), note + ": " + std::string(why)});
      continue;
    }
    role[i] = Role::command;
    last_output = false;
    last_command = static_cast<int>(i);
    // A quoted string that goes on over lines (`psql -c "SELECT ...` up to its closing quote).
    for (size_t close = quoted_until(lines, i); i < close;) role[++i] = Role::continuation;
    t = trim(lines[i]);
    continued = !t.empty() && t.back() == '\\';
    heredoc = opened_heredoc(t);
  }
  // The segmenter reads the command lines only (others blanked, so offsets stay true).
  std::string script;
  for (size_t i = 0; i < lines.size(); ++i) {
    if (role[i] == Role::command || role[i] == Role::continuation || role[i] == Role::body) script.append(lines[i]);
    script += '\n';
  }
  std::vector<Command> commands = lang == CommandLang::powershell ? powershell_commands(script, code_line) : split_shell_commands(script, code_line);
  out.commands = std::move(commands);
  out.commands.insert(out.commands.end(), queries.begin(), queries.end());
  std::sort(out.commands.begin(), out.commands.end(), [](const Command& a, const Command& b) { return a.line < b.line; });
  out.kind = lang == CommandLang::powershell ? SnippetKind::powershell : SnippetKind::shell;
  if (out.commands.size() == queries.size() && !queries.empty()) out.kind = SnippetKind::query;
  return out;
}

// A block without a tag (or with a tool's name as its tag) is shell when every line could be a
// command and one runs a program, when its first line is a command and some line is clearly one,
// or when most of its lines are clearly commands (a first line with a tool opsbook does not know:
// "glsh kube use-cluster gprd", then kubectl, df, rm).
bool reads_as_shell(const std::vector<std::string_view>& lines) {
  bool first_seen = false;
  bool first_command = false;
  bool all_commands = true;  // every line could be one
  bool program = false;      // some line runs a program (not only VAR=value lines, not logfmt)
  size_t strong = 0, said = 0;
  for (std::string_view l : lines) {
    std::string_view t = trim(l);
    if (t.empty() || t[0] == '#') continue;
    ShellEvidence e = shell_evidence(t);
    if (!first_seen) first_command = e != ShellEvidence::none || is_powershell_command(t);
    first_seen = true;
    ++said;
    if (e == ShellEvidence::strong) ++strong;
    all_commands = all_commands && e != ShellEvidence::none;
    // A program with arguments: not a path alone ("/opt/gitlab/embedded/bin/git" names a build).
    program = program || (e != ShellEvidence::none && t.find(' ') != std::string_view::npos && t.substr(0, t.find(' ')).find('=') == std::string_view::npos);
  }
  // "tf plan -out plan -target x": a tool opsbook does not know, with options, and nothing else.
  if (said > 0 && all_commands && program) return true;
  return first_command ? strong > 0 : strong >= 2 && strong * 2 > said;
}

// "# sudo ls -lt /var/log" with "total 34800" under it: a root prompt, not a comment, when what
// follows the '#' is clearly a command and the next line that says something is its output (a
// comment is followed by the command it explains).
bool has_root_prompt_with_output(std::string_view code) {
  std::vector<std::string_view> lines = split_lines(code);
  for (size_t i = 0; i < lines.size(); ++i) {
    std::string_view t = trim(lines[i]);
    if (!t.starts_with("# ") || shell_evidence(trim(t.substr(2))) != ShellEvidence::strong) continue;
    size_t next = i + 1;
    while (next < lines.size() && trim(lines[next]).empty()) ++next;
    if (next == lines.size()) continue;
    std::string_view n = trim(lines[next]);
    ShellEvidence e = shell_evidence(n);
    if (n[0] != '#' && e != ShellEvidence::strong && (e == ShellEvidence::none || !output_shape(n).empty())) return true;
  }
  return false;
}

// "# brew install jq" on every line that says something (two or more): a root shell's prompts,
// not comments, in a block with no tag (a comment explains a command that follows it).
bool all_root_prompts(std::string_view code) {
  size_t prompted = 0;
  for (std::string_view l : split_lines(code)) {
    std::string_view t = trim(l);
    if (t.empty()) continue;
    if (!t.starts_with("# ") || shell_evidence(trim(t.substr(2))) != ShellEvidence::strong) return false;
    ++prompted;
  }
  return prompted >= 2;
}

BlockReading read_sql(std::string_view code, int code_line) {
  BlockReading out;
  out.kind = SnippetKind::sql;
  for (const auto& st : split_sql(code)) {
    if (trim(st.text).empty()) continue;
    Command c;
    c.text = std::string(trim(st.text));
    c.line = line_of(code_line, static_cast<size_t>(st.line_offset));
    c.end_line = c.line + static_cast<int>(std::count(c.text.begin(), c.text.end(), '\n'));
    c.lang = CommandLang::sql;
    out.commands.push_back(std::move(c));
  }
  return out;
}

// One command per line in a console language (a `redis` fence of "INFO replication" lines).
BlockReading read_lines_as(std::string_view code, int code_line, CommandLang lang, bool (*accepts)(std::string_view)) {
  BlockReading out;
  out.kind = SnippetKind::other;
  std::vector<std::string_view> lines = split_lines(code);
  for (size_t i = 0; i < lines.size(); ++i) {
    std::string_view t = trim(lines[i]);
    if (t.empty() || t[0] == '#') continue;
    if (!accepts(t)) continue;
    Command c;
    c.text = std::string(t);
    c.line = c.end_line = line_of(code_line, i);
    c.lang = lang;
    out.commands.push_back(std::move(c));
  }
  return out;
}

// True when the block says something and every line that does is accepted.
bool every_line(const std::vector<std::string_view>& lines, bool (*accepts)(std::string_view)) {
  bool any = false;
  for (std::string_view l : lines) {
    std::string_view t = trim(l);
    if (t.empty() || t[0] == '#') continue;
    if (!accepts(t)) return false;
    any = true;
  }
  return any;
}

// "SELECT\n  queryid,\n ...\nWHERE ... ;": statements written over lines: the first word an SQL
// verb in capitals or lower case (not "Select the node"), a clause keyword after it, the last
// byte the ';' that ends a statement.
bool reads_as_sql(std::string_view code) {
  std::string_view t = trim(code);
  if (!t.ends_with(';')) return false;
  std::string_view first = t.substr(0, t.find_first_of(" \t\r\n(;"));
  if (first.empty() || first[0] == '\\' || !is_sql_statement(std::string(first) + ";")) return false;
  if (to_upper(first) != first && to_lower(first) != first) return false;
  std::string words = " " + to_lower(t) + " ";
  for (char& c : words) c = (c == '\n' || c == '\t' || c == '\r') ? ' ' : c;
  static constexpr std::array<std::string_view, 7> k_clauses = {" from ", " where ", " set ", " into ", " table ", " index ", " values "};
  return std::any_of(k_clauses.begin(), k_clauses.end(), [&](std::string_view k) { return words.find(k) != std::string::npos; });
}

// Ruby statements typed into a console without prompts: each its own command.
BlockReading read_ruby_console(std::string_view code, int code_line) {
  BlockReading out;
  out.kind = SnippetKind::other;
  out.commands = ruby_statements(code, code_line);
  return out;
}

// No tag, a text tag, or a tool's name: the text decides (and the text around, for a console).
BlockReading read_by_evidence(std::string_view code, int code_line, SnippetKind fallback, const BlockContext& around) {
  std::vector<std::string_view> lines = split_lines(code);
  if (all_queries(lines)) return read_queries(code, code_line);
  if (reads_as_sql(code)) return read_sql(code, code_line);
  if (reads_as_shell(lines)) return read_script(code, code_line, CommandLang::shell);
  bool console_named = names_ruby_console(around.lead_in) || names_ruby_console(around.topic);
  if (console_named && reads_as_ruby_console(code, around)) return read_ruby_console(code, code_line);
  // "Then type this in Redis console:" and Redis commands only ("sentinel master gitlab-redis").
  bool about_redis = icontains(around.lead_in, "redis") || icontains(around.topic, "redis");
  if (about_redis && every_line(lines, is_redis_command)) return read_lines_as(code, code_line, CommandLang::redis, is_redis_command);
  BlockReading out;
  out.kind = fallback;
  return out;
}

}  // namespace

SnippetKind kind_for_tag(std::string_view tag) {
  static const std::map<std::string_view, SnippetKind> k_tags = {
      {"sh", SnippetKind::shell},          {"bash", SnippetKind::shell},       {"shell", SnippetKind::shell},
      {"zsh", SnippetKind::shell},         {"console", SnippetKind::shell},    {"shell-session", SnippetKind::shell},
      {"shellsession", SnippetKind::shell}, {"terminal", SnippetKind::shell},  {"session", SnippetKind::shell},
      {"powershell", SnippetKind::powershell}, {"pwsh", SnippetKind::powershell}, {"ps1", SnippetKind::powershell},
      {"ps", SnippetKind::powershell},     {"sql", SnippetKind::sql},          {"psql", SnippetKind::sql},
      {"pgsql", SnippetKind::sql},         {"postgresql", SnippetKind::sql},   {"postgres", SnippetKind::sql},
      {"plpgsql", SnippetKind::sql},       {"mysql", SnippetKind::sql},        {"mariadb", SnippetKind::sql},
      {"http", SnippetKind::http},         {"yaml", SnippetKind::data},        {"yml", SnippetKind::data},
      {"json", SnippetKind::data},         {"toml", SnippetKind::data},        {"ini", SnippetKind::data},
      {"env", SnippetKind::data},          {"dotenv", SnippetKind::data},      {"jsonc", SnippetKind::data},
      {"mermaid", SnippetKind::diagram},   {"plantuml", SnippetKind::diagram}, {"dot", SnippetKind::diagram},
      {"graphviz", SnippetKind::diagram},  {"text", SnippetKind::text},        {"txt", SnippetKind::text},
      {"plaintext", SnippetKind::text},    {"log", SnippetKind::text},         {"output", SnippetKind::text},
      {"", SnippetKind::text}};
  if (query_lang_of_tag(tag) != QueryLang::none) return SnippetKind::query;
  auto it = k_tags.find(tag);
  return it == k_tags.end() ? SnippetKind::other : it->second;
}

BlockReading read_block(std::string_view tag, std::string_view code, int code_line, const BlockContext& around) {
  SnippetKind kind = kind_for_tag(tag);
  BlockReading out;
  out.kind = kind;
  switch (kind) {
    case SnippetKind::query: return read_queries(code, code_line);
    case SnippetKind::shell:
      // A console tag with no prompt in it: the author pasted the commands alone (```console
      // then `kubectl get pods`), read as a script whose output lines are told apart.
      if (has_session_prompt(code) || has_root_prompt_with_output(code) || (is_console_tag(tag) && has_prompted_line(code))) {
        return read_session(code, code_line, kind);
      }
      return read_script(code, code_line, CommandLang::shell);
    case SnippetKind::powershell:
      if (has_session_prompt(code)) return read_session(code, code_line, kind);
      return read_script(code, code_line, CommandLang::powershell);
    case SnippetKind::sql:
      if (has_session_prompt(code)) return read_session(code, code_line, kind);
      return read_sql(code, code_line);
    case SnippetKind::text:
      if (is_output_tag(tag)) return out;
      if (has_session_prompt(code) || all_root_prompts(code)) return read_session(code, code_line, kind);
      // No tag or a plain-text one ("text", "txt", "plaintext"): the lines decide, as unlabelled.
      return read_by_evidence(code, code_line, kind, around);
    case SnippetKind::other:
      if (has_session_prompt(code)) return read_session(code, code_line, kind);
      if (is_ruby_tag(tag) && reads_as_ruby_console(code, around)) return read_ruby_console(code, code_line);
      if (is_code_tag(tag) || is_output_tag(tag)) return out;
      if (tag == "redis" || tag == "redis-cli") return read_lines_as(code, code_line, CommandLang::redis, is_redis_command);
      return read_by_evidence(code, code_line, kind, around);
    case SnippetKind::http:
    case SnippetKind::data:
    case SnippetKind::diagram: return out;
  }
  return out;
}

}  // namespace opsbook::model
