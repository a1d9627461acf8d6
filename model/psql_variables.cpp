// psql variables: which argument sets one, and where psql splices one into SQL unquoted.
#include "model/psql_variables.hpp"

#include <algorithm>

#include "model/sql_lexer.hpp"
#include "model/text.hpp"

namespace opsbook::model {

namespace {

// In a cluster of short options (-Xv...), the offset after the `v` whose value follows, or npos
// when another option takes the rest as its value first.
size_t after_v(std::string_view arg) {
  if (arg.size() < 2 || arg[0] != '-' || arg[1] == '-') return std::string_view::npos;
  for (size_t i = 1; i < arg.size(); ++i) {
    if (arg[i] == 'v') return i + 1;
    if (k_psql_value_letters.find(arg[i]) != std::string_view::npos) return std::string_view::npos;  // -S is a flag
  }
  return std::string_view::npos;
}

// --set and --variable as getopt_long reads them: any unambiguous prefix (--se, --vari; s10c
// review B4: `--vari=lim=<v>` set the variable unseen). The length of the option's name in
// `arg` (before any `=`), or 0.
size_t set_option(std::string_view arg) {
  std::string_view name = arg.substr(0, arg.find('='));
  bool set = name.size() >= 4 && std::string_view("--set").starts_with(name);
  bool variable = name.size() >= 4 && std::string_view("--variable").starts_with(name);
  return set || variable ? name.size() : 0;
}

PsqlSet assignment(std::string_view text, size_t begin, size_t at) {
  size_t eq = text.find('=', begin);
  if (eq == std::string_view::npos || at < begin) return {};
  return PsqlSet{true, at <= eq, std::string(text.substr(begin, eq - begin))};
}

}  // namespace

size_t psql_index(const std::vector<std::string>& args, size_t first, size_t pos) {
  for (size_t j = first; j < pos && j < args.size(); ++j) {
    if (program_name(args[j]) == "psql") return j;
  }
  return args.size();
}

PsqlSet psql_set_variable(const std::vector<std::string>& args, size_t first, size_t pos, size_t at) {
  size_t psql = psql_index(args, first, pos);
  if (psql >= args.size() || pos <= psql) return {};
  std::string_view a = args[pos];
  if (size_t n = set_option(a); n > 0 && n < a.size()) return assignment(a, n + 1, at);
  if (size_t v = after_v(a); v != std::string_view::npos && v < a.size()) return assignment(a, v, at);
  std::string_view prev = args[pos - 1];
  if (pos - 1 > psql && ((set_option(prev) > 0 && set_option(prev) == prev.size()) || after_v(prev) == prev.size())) return assignment(a, 0, at);
  return {};
}

PsqlSet psql_meta_set(std::string_view meta, size_t offset) {
  if (!meta.starts_with("\\set") || (meta.size() > 4 && !std::isspace(static_cast<unsigned char>(meta[4])))) return {};
  size_t name = meta.find_first_not_of(" \t", 4);
  if (name == std::string_view::npos) return {};
  size_t end = meta.find_first_of(" \t", name);
  if (end == std::string_view::npos || offset < end) return PsqlSet{true, offset >= name, std::string(meta.substr(name, end - name))};
  return PsqlSet{true, false, std::string(meta.substr(name, end - name))};
}

bool psql_own_variable(std::string_view name) {
  static constexpr std::string_view k_names[] = {"AUTOCOMMIT", "COMP_KEYWORD_CASE", "DBNAME", "ENCODING", "ERROR", "FETCH_COUNT", "HOST", "IGNOREEOF",
                                                 "LASTOID", "PORT", "QUIET", "ROW_COUNT", "SERVICE", "SINGLELINE", "SINGLESTEP", "SQLSTATE", "USER",
                                                 "VERBOSITY"};
  static constexpr std::string_view k_prefixes[] = {"ECHO", "HIDE_", "HIST", "LAST_ERROR_", "ON_ERROR_", "PIPELINE_", "PROMPT", "SERVER_VERSION",
                                                    "SHELL_", "SHOW_", "VERSION", "WATCH_"};
  return std::find(std::begin(k_names), std::end(k_names), name) != std::end(k_names) ||
         std::any_of(std::begin(k_prefixes), std::end(k_prefixes), [&](std::string_view p) { return name.starts_with(p); });
}

bool psql_sets_variables_from_data(std::string_view meta) {
  static constexpr std::string_view k_setters[] = {"\\gset", "\\prompt", "\\getenv", "\\i", "\\include", "\\ir", "\\include_relative",
                                                   "\\e", "\\edit", "\\ef", "\\ev"};
  std::string_view name = meta.substr(0, meta.find_first_of(" \t\n"));
  return std::find(std::begin(k_setters), std::end(k_setters), name) != std::end(k_setters);
}

bool psql_colon_starts_variable(std::string_view sql, size_t p) {
  size_t run = 0;  // colons right before p
  while (run < p && sql[p - 1 - run] == ':') ++run;
  return run % 2 == 0 || (p > run && sql[p - run - 1] == '\\');
}

std::vector<size_t> psql_plain_uses(std::string_view sql, std::string_view name) {
  std::vector<size_t> out;
  auto use_at = [&](size_t p, size_t quote) {  // :NAME at p, the name after `quote` bytes
    size_t n = p + 1 + quote, end = n + name.size();
    return end <= sql.size() && sql.substr(n, name.size()) == name && (end == sql.size() || !is_ident_char(sql[end]));
  };
  for (const SqlToken& t : lex_sql(sql)) {
    if (t.kind == SqlTokenKind::punct && sql[t.begin] == ':' && psql_colon_starts_variable(sql, t.begin) && use_at(t.begin, 0)) out.push_back(t.begin);
    if (t.kind != SqlTokenKind::meta) continue;
    for (size_t p = sql.find(':', t.begin); p != std::string_view::npos && p < t.end; p = sql.find(':', p + 1)) {
      // In a backslash command every form counts: \! runs the text in a shell, where psql's SQL
      // quoting of :'NAME' does not hold.
      size_t quote = p + 1 < sql.size() && (sql[p + 1] == '\'' || sql[p + 1] == '"') ? 1 : 0;
      if (use_at(p, quote)) out.push_back(p);
    }
  }
  return out;
}

}  // namespace opsbook::model
