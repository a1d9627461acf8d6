// Inline code spans that are whole commands (see inline_commands.hpp): the span's own shape
// decides, the passage's topic only for SQL and Redis (whose verbs are also English words).
#include "inline_commands.hpp"

#include <algorithm>
#include <array>

#include "command_shape.hpp"
#include "console_block.hpp"
#include "endpoints.hpp"
#include "prompts.hpp"
#include "text.hpp"

namespace opsbook::model {

namespace {

bool mentions_any(std::string_view text, std::initializer_list<std::string_view> words) {
  return std::any_of(words.begin(), words.end(), [&](std::string_view w) { return icontains(text, w); });
}

bool about_sql(std::string_view topic) {
  return mentions_any(topic, {"postgres", "sql", "database", "patroni", "pgbouncer", "replica", "mysql", "query", " db", "pg_"});
}

bool about_redis(std::string_view topic) { return icontains(topic, "redis"); }

// Redis commands complete without an argument ("INFO", "PING"); "GET" alone is a word in prose.
bool redis_complete(std::string_view t) { return t.find(' ') != std::string_view::npos || is_redis_command_alone(t); }

bool upper_first_word(std::string_view t) {
  std::string_view first = t.substr(0, t.find(' '));
  return !first.empty() && std::all_of(first.begin(), first.end(), [](char c) { return (c >= 'A' && c <= 'Z') || c == '_'; });
}

// The last word of the text before the span, lower-cased, closing punctuation kept.
std::string last_word(std::string_view before) {
  std::string_view t = trim(before);
  size_t space = t.find_last_of(" \t\n");
  return to_lower(space == std::string_view::npos ? t : t.substr(space + 1));
}

// "Run `uptime`", "execute `df`", "by running the script `x`": a bare program name is the
// instruction, not a noun (an article and a word naming a program may stand between).
bool asked_to_run(std::string_view before) {
  static constexpr std::array<std::string_view, 5> k_verbs = {"run", "execute", "type", "try", "enter"};
  static constexpr std::array<std::string_view, 2> k_gerunds = {"running", "executing"};
  // A gerund asks at the start of a clause, as a means or a step ("by running", "try running",
  // "including running"); after a noun it describes what something does ("a git client running
  // `git fetch`"), after "from" what others are kept from doing.
  static constexpr std::array<std::string_view, 15> k_means = {"by", "try", "after", "before", "when", "while", "consider", "then",
                                                               "including", "without", "for", "avoid", "start", "keep", "and"};
  static constexpr std::array<std::string_view, 5> k_programs = {"script", "command", "tool", "program", "binary"};
  auto asks = [&](std::string_view text) {
    std::string w = last_word(text);
    if (std::find(k_verbs.begin(), k_verbs.end(), w) != k_verbs.end()) return true;
    if (std::find(k_gerunds.begin(), k_gerunds.end(), w) == k_gerunds.end()) return false;
    std::string_view rest = trim(trim(text).substr(0, trim(text).size() - w.size()));
    std::string prev = last_word(rest);
    return rest.empty() || rest.ends_with(',') || rest.ends_with('.') || rest.ends_with(':') ||
           std::find(k_means.begin(), k_means.end(), prev) != k_means.end();
  };
  if (asks(before)) return true;
  std::string last = last_word(before);
  if (std::find(k_programs.begin(), k_programs.end(), last) == k_programs.end()) return false;
  std::string_view t = trim(before);
  t = trim(t.substr(0, t.size() - last.size()));
  std::string article = last_word(t);
  if (article != "the" && article != "this" && article != "a") return false;
  return asks(t.substr(0, t.size() - article.size()));
}

// "Check the service with `sv status x`", "(verify with `top`": the means of an instruction. The
// clause (after the last '.', ';', ':' or '(') starts with a verb of checking and ends with
// "with", "using" or "via".
bool means_of_instruction(std::string_view before) {
  static constexpr std::array<std::string_view, 3> k_means = {"with", "using", "via"};
  static constexpr std::array<std::string_view, 12> k_checks = {"check", "verify", "confirm", "inspect", "look", "watch",
                                                                "monitor", "test", "list", "show", "view", "examine"};
  std::string last = last_word(before);
  if (std::find(k_means.begin(), k_means.end(), last) == k_means.end()) return false;
  std::string_view t = trim(before);
  size_t cut = t.find_last_of(".;:(");
  std::string_view clause = trim(cut == std::string_view::npos ? t : t.substr(cut + 1));
  std::string first = to_lower(clause.substr(0, clause.find(' ')));
  return std::find(k_checks.begin(), k_checks.end(), first) != k_checks.end();
}

// "the worker queue", "a new node": words of a phrase, never a program's name.
bool is_function_word(std::string_view word) {
  static constexpr std::array<std::string_view, 16> k_words = {"the", "a", "an", "this", "that", "these", "those", "its",
                                                               "their", "our", "your", "my", "all", "each", "every", "some"};
  return std::find(k_words.begin(), k_words.end(), to_lower(word)) != k_words.end();
}

// "scripts/check-certs", "/opt/prometheus/promtool": a path whose last part names a program.
bool program_path(std::string_view word) {
  if (word.find('/') == std::string_view::npos || word.ends_with('/') || word.find("://") != std::string_view::npos) return false;
  std::string_view base = word.substr(word.find_last_of('/') + 1);
  return !base.empty() && base.find('.') == std::string_view::npos &&
         std::all_of(base.begin(), base.end(), [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_'; });
}

// "On the consul server `consul leave`", "On the new box, `gitlab-patronictl list`": a short clause
// that only says where, right before the span (not "On the `x` page": it ends on a noun's article).
bool names_the_place(std::string_view before) {
  static constexpr std::array<std::string_view, 6> k_places = {"on", "in", "from", "inside", "within", "at"};
  std::string_view t = trim(before);
  size_t cut = t.find_last_of(".;:(");
  std::string_view clause = trim(cut == std::string_view::npos ? t : t.substr(cut + 1));
  if (clause.ends_with(',')) clause = trim(clause.substr(0, clause.size() - 1));
  std::string first = to_lower(clause.substr(0, clause.find(' ')));
  if (std::find(k_places.begin(), k_places.end(), first) == k_places.end() || clause.find(' ') == std::string_view::npos) return false;
  // Ending on an article or a preposition, the clause takes the span as its object ("the docs about `x`").
  static constexpr std::array<std::string_view, 12> k_objects = {"about", "of", "for", "to", "by", "like", "than", "as", "on", "in", "from", "at"};
  std::string last = last_word(clause);
  if (std::count(clause.begin(), clause.end(), ' ') > 5 || is_function_word(last) || std::find(k_objects.begin(), k_objects.end(), last) != k_objects.end()) return false;
  return clause.find('`') == std::string_view::npos;
}

// The text before a span introduces a command: a verb asking to run or check it, "with", "via",
// "then", an arrow, a dash ("Reload the configuration - `x`"), a colon, or nothing (the span opens
// the paragraph, the item or a sentence).
bool introduces_command(std::string_view before) {
  static constexpr std::array<std::string_view, 10> k_cues = {"with", "via", "then", "check", "\xE2\x86\x92", "->", "=>",
                                                              "-", "\xE2\x80\x94", "\xE2\x80\x93"};
  static constexpr std::array<std::string_view, 4> k_abbreviations = {"e.g.", "i.e.", "etc.", "vs."};
  std::string_view t = trim(before);
  if (t.empty() || t.ends_with(':') || asked_to_run(t) || names_the_place(t)) return true;
  std::string last = last_word(t);
  if (t.ends_with('.')) return std::find(k_abbreviations.begin(), k_abbreviations.end(), last) == k_abbreviations.end();
  return std::find(k_cues.begin(), k_cues.end(), last) != k_cues.end();
}

// "`git pack-objects` processes", "`VACUUM FULL` is a standard command": the span names a
// program or a statement as a noun.
bool named_as_noun(std::string_view after) {
  static constexpr std::array<std::string_view, 12> k_nouns = {"process", "processes", "pid", "pids", "command", "commands",
                                                               "subcommand", "invocation", "invocations", "is", "are", "was"};
  std::string_view t = after;
  if (t.empty() || t[0] != ' ') return false;
  t = trim(t);
  std::string first = to_lower(t.substr(0, t.find_first_of(" \t\n,.;:)")));
  return std::find(k_nouns.begin(), k_nouns.end(), first) != k_nouns.end();
}

// Words with nothing that only a command line has: no option, path, assignment, expansion,
// quote, operator or placeholder ("git clone", "kubectl logs", "knife node from file").
bool bare_words(std::string_view t) {
  return std::all_of(t.begin(), t.end(), [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == ' ' || c == '-' || c == '_'; }) &&
         t.find(" -") == std::string_view::npos;
}

std::optional<InlineCommand> shell_command(std::string_view t, const InlineContext& around) {
  bool one_word = t.find_first_of(" \t") == std::string_view::npos;
  if (one_word) {
    if (t.starts_with("./") && t.size() > 2) return InlineCommand{std::string(t), CommandLang::shell, {}};
    // "by running the script `scripts/check-certs`": a path alone only where the text runs it.
    if (program_path(t) && asked_to_run(around.before)) return InlineCommand{std::string(t), CommandLang::shell, {}};
    if (!runs_without_arguments(t)) return std::nullopt;
    if (around.in_paragraph && !asked_to_run(around.before) && !means_of_instruction(around.before)) return std::nullopt;
    return InlineCommand{std::string(t), CommandLang::shell, {}};
  }
  std::string_view first = t.substr(0, t.find_first_of(" \t"));
  if (ShellEvidence evidence = shell_evidence(t); evidence != ShellEvidence::strong) {
    // "running `congregate list`": a tool opsbook does not know, where the text says to run it;
    // "check with `sv status x`", "verify with `dstat -f`": the means of a check;
    // "`qdrant snapshot create --path /x`": one with a long option; "Check the configuration -
    // `/opt/x/promtool check config x.yml`": a program's path with arguments, introduced.
    bool shaped = (bare_words(t) || evidence == ShellEvidence::weak) && !is_shell_builtin(first) && !is_function_word(first);
    bool asked = shaped && (asked_to_run(around.before) || means_of_instruction(around.before));
    bool long_option = evidence == ShellEvidence::weak && t.find(" --") != std::string_view::npos;
    bool introduced_path = program_path(first) && first.find('$') == std::string_view::npos && introduces_command(around.before);
    if (!asked && !long_option && !introduced_path) return std::nullopt;
    // "/chatops run auto_deploy status": a slash command typed in chat, not a shell path.
    bool chat = first.size() > 1 && first[0] == '/' && first.find('/', 1) == std::string_view::npos;
    return InlineCommand{std::string(t), chat ? CommandLang::other : CommandLang::shell, {}};
  }
  // "select the node", "set the flag": a keyword that is also an English verb, before plain words.
  if (is_shell_builtin(first) && t.find_first_of("-/=$'\"|;&<>.*[") == std::string_view::npos) return std::nullopt;
  // A program and a subcommand alone ("git clone", "kubectl logs") are often its name in a
  // sentence: a command only where the text introduces one. sudo says "run this" by itself.
  bool two_words = std::count(t.begin(), t.end(), ' ') == 1;
  if (two_words && bare_words(t) && first != "sudo" && !introduces_command(around.before)) return std::nullopt;
  return InlineCommand{std::string(t), CommandLang::shell, {}};
}

// SQL by its shape: written in capitals ("SELECT pg_is_in_recovery()"), or lower-case with what
// only SQL has ("select * from pg_stat_activity where ..."), or a psql meta-command ("\\dt").
// Empty when the span is not SQL; false when it is, outside a passage about a database.
std::optional<bool> sql_statement(std::string_view t, const InlineContext& around) {
  if (!is_sql_statement(t)) return std::nullopt;
  bool meta_command = t[0] == '\\';
  bool several_words = t.find(' ') != std::string_view::npos || t.ends_with(';') || t.ends_with(')');
  // "VACUUM FULL", "BEGIN TRANSACTION": two keywords name a statement more often than they ask for it.
  bool keywords_only = std::count(t.begin(), t.end(), ' ') == 1 && upper_first_word(t.substr(t.find(' ') + 1)) &&
                       t.find_first_of("(;*") == std::string_view::npos;
  bool sql_marks = t.find_first_of("(;*") != std::string_view::npos || icontains(t, " from ") || icontains(t, " where ");
  if (!meta_command && !(several_words && !keywords_only && (upper_first_word(t) || sql_marks))) return std::nullopt;
  return about_sql(around.topic) || about_sql(t);  // "select * from pg_locks" names its database
}

// "INFO replication", "set <key> <value> ex 60" in a passage about Redis.
bool redis_command(std::string_view t, const InlineContext& around) {
  if (!is_redis_command(t) || !about_redis(around.topic)) return false;
  if (upper_first_word(t)) return redis_complete(t);
  return t.find(" -") == std::string_view::npos;  // "set -e" is the shell's
}

}  // namespace

std::optional<InlineCommand> inline_command(std::string_view span, const InlineContext& around) {
  std::string_view t = trim(span);
  if (t.empty() || t.find('\n') != std::string_view::npos) return std::nullopt;
  if (named_as_noun(around.after)) return std::nullopt;
  if (t.find(' ') == std::string_view::npos && (looks_like_url(t) || t.find("://") != std::string_view::npos)) return std::nullopt;
  if (auto p = match_prompt(t, PromptScope::any_block); p && !p->continuation) {
    std::string_view rest = trim(t.substr(p->length));
    if (rest.empty()) return std::nullopt;
    return InlineCommand{std::string(rest), p->lang, std::string(trim(t.substr(0, p->length)))};
  }
  if (is_powershell_command(t)) return InlineCommand{std::string(t), CommandLang::powershell, {}};
  if (QueryLang q = detect_query(t); q != QueryLang::none) return InlineCommand{std::string(t), CommandLang::query, {}, q};
  if (std::optional<bool> sql = sql_statement(t, around)) {
    if (!*sql) return std::nullopt;  // SQL outside a passage about a database: never shell
    return InlineCommand{std::string(t), CommandLang::sql, {}};
  }
  if (redis_command(t, around)) return InlineCommand{std::string(t), CommandLang::redis, {}};
  // "`Rails.cache.clear` empties the cache" in a passage about the Rails console.
  if (is_ruby_console_call(t) && names_ruby_console(around.topic)) return InlineCommand{std::string(t), CommandLang::ruby, {}};
  return shell_command(t, around);
}

}  // namespace opsbook::model
