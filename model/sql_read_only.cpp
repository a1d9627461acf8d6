// The read-only vetting of one SQL statement, on the SQL tokenizer: comments, quotes, dollar
// quotes, quoted and schema-qualified names are seen as PostgreSQL sees them, never by
// substring search.
#include "sql_read_only.hpp"

#include <algorithm>

#include "sql_lexer.hpp"
#include "text.hpp"

namespace opsbook::model {

namespace {

constexpr std::string_view k_signals = "signals or stops another session";
constexpr std::string_view k_server = "changes the server's state";
constexpr std::string_view k_replication = "changes replication state";
constexpr std::string_view k_stats = "resets statistics";
constexpr std::string_view k_files = "reads or writes files on the database server";
constexpr std::string_view k_large_objects = "imports, exports or changes large objects";
constexpr std::string_view k_remote = "runs SQL on another server (dblink)";
constexpr std::string_view k_locks = "takes an advisory lock";
constexpr std::string_view k_sequences = "advances or sets a sequence";
constexpr std::string_view k_queries = "runs a query given as a string";
constexpr std::string_view k_indexes = "changes an index or the visibility map";

}  // namespace

const std::vector<DeniedFunction>& denied_functions() {
  static const std::vector<DeniedFunction> k_list = {
      {"pg_terminate_backend", k_signals}, {"pg_cancel_backend", k_signals},
      {"pg_reload_conf", k_server}, {"pg_rotate_logfile", k_server}, {"pg_rotate_logfile_old", k_server},
      {"pg_log_backend_memory_contexts", k_server}, {"set_config", "changes a setting"}, {"pg_promote", k_server},
      {"pg_wal_replay_pause", k_server}, {"pg_wal_replay_resume", k_server}, {"pg_switch_wal", k_server},
      // Their names before PostgreSQL 10, still in older runbooks.
      {"pg_xlog_replay_pause", k_server}, {"pg_xlog_replay_resume", k_server},
      {"pg_switch_xlog", k_server}, {"pg_create_restore_point", k_server}, {"pg_backup_start", k_server},
      {"pg_backup_stop", k_server}, {"pg_start_backup", k_server}, {"pg_stop_backup", k_server},
      {"pg_log_standby_snapshot", k_server}, {"pg_import_system_collations", k_server},
      {"txid_current", "assigns a transaction id"}, {"pg_current_xact_id", "assigns a transaction id"},
      {"pg_notify", "sends a notification"},
      {"pg_create_physical_replication_slot", k_replication}, {"pg_create_logical_replication_slot", k_replication},
      {"pg_drop_replication_slot", k_replication}, {"pg_copy_physical_replication_slot", k_replication},
      {"pg_copy_logical_replication_slot", k_replication}, {"pg_replication_slot_advance", k_replication},
      {"pg_logical_slot_get_changes", k_replication}, {"pg_logical_slot_get_binary_changes", k_replication},
      {"pg_logical_emit_message", k_replication}, {"pg_replication_origin_*", k_replication},
      {"pg_stat_reset*", k_stats}, {"pg_stat_statements_reset", k_stats},
      {"pg_read_file", k_files}, {"pg_read_binary_file", k_files}, {"pg_stat_file", k_files}, {"pg_ls_*", k_files},
      {"pg_file_*", k_files}, {"pg_logdir_ls", k_files}, {"autoprewarm_dump_now", k_files}, {"autoprewarm_start_worker", k_server},
      {"lo_*", k_large_objects}, {"loread", k_large_objects}, {"lowrite", k_large_objects},
      {"dblink*", k_remote},
      {"pg_advisory_*", k_locks}, {"pg_try_advisory_*", k_locks},
      {"nextval", k_sequences}, {"setval", k_sequences},
      {"query_to_xml", k_queries}, {"query_to_xmlschema", k_queries}, {"query_to_xml_and_xmlschema", k_queries},
      {"cursor_to_xml", k_queries}, {"cursor_to_xmlschema", k_queries}, {"ts_stat", k_queries},
      {"brin_summarize_new_values", k_indexes}, {"brin_summarize_range", k_indexes}, {"brin_desummarize_range", k_indexes},
      {"gin_clean_pending_list", k_indexes}, {"pg_truncate_visibility_map", k_indexes},
      {"heap_force_kill", k_indexes}, {"heap_force_freeze", k_indexes}, {"binary_upgrade_*", k_server},
      // Found by the test that walks PostgreSQL 15's VOLATILE functions (hostile review).
      {"ts_rewrite", k_queries}, {"pg_read_file_old", k_files}, {"pg_nextoid", k_server}, {"pg_stop_making_pinned_objects", k_server},
      {"pg_stat_force_next_flush", k_server}, {"pg_extension_config_dump", k_server},
      // The sqlite3 shell's own functions (sqlite3 DB "SELECT writefile(...)").
      {"writefile", "writes a file (sqlite3)"}, {"readfile", "reads a file (sqlite3)"}, {"edit", "runs an editor (sqlite3)"},
      {"load_extension", "loads a library's code"}, {"fts3_tokenizer", "registers a tokenizer by its address (sqlite3)"},
  };
  return k_list;
}

namespace {

const DeniedFunction* denied(std::string_view name) {
  for (const auto& d : denied_functions()) {
    if (d.name.ends_with('*') ? name.starts_with(d.name.substr(0, d.name.size() - 1)) : name == d.name) return &d;
  }
  return nullptr;
}

// The statement's tokens without comments.
struct Statement {
  explicit Statement(std::string_view text) : code(text) {
    for (const auto& t : lex_sql(text)) {
      if (t.kind != SqlTokenKind::comment || t.unterminated) tokens.push_back(t);
    }
  }
  [[nodiscard]] bool is(size_t k, SqlTokenKind kind) const { return k < tokens.size() && tokens[k].kind == kind; }
  [[nodiscard]] bool punct(size_t k, char c) const { return is(k, SqlTokenKind::punct) && code[tokens[k].begin] == c; }
  // Upper-case keyword at k, or "" for anything but a word.
  [[nodiscard]] std::string word(size_t k) const {
    return is(k, SqlTokenKind::word) ? to_upper(code.substr(tokens[k].begin, tokens[k].end - tokens[k].begin)) : std::string();
  }
  [[nodiscard]] bool name(size_t k) const { return is(k, SqlTokenKind::word) || is(k, SqlTokenKind::quoted_ident); }

  std::string_view code;
  std::vector<SqlToken> tokens;
};

// Why the tokens cannot be one statement the server reads as we do, or "".
std::string malformed(const Statement& st) {
  for (const auto& t : st.tokens) {
    if (t.unterminated) return "a quote or comment is never closed";
    if (t.kind == SqlTokenKind::semicolon) return "more than one statement";
    if (t.kind == SqlTokenKind::meta) return "psql meta-command";
  }
  return "";
}

// Index of the first token of the statement proper: after leading '('.
size_t first_verb(const Statement& st) {
  size_t k = 0;
  while (st.punct(k, '(')) ++k;
  return k;
}

// Writes, table creation and row locks hidden in a query.
std::string write_in_query(const Statement& st) {
  for (size_t k = 0; k < st.tokens.size(); ++k) {
    std::string w = st.word(k);
    if (w == "FOR") {
      std::string next = st.word(k + 1);
      if (next == "UPDATE" || next == "SHARE" || next == "NO" || next == "KEY") return "SELECT ... FOR " + next + " locks rows";
    }
    if (w == "INSERT" || w == "UPDATE" || w == "DELETE" || w == "MERGE" || w == "TRUNCATE") return w + " inside the query writes rows";
    if (w == "INTO") return "SELECT ... INTO creates a table";
  }
  return "";
}

}  // namespace

std::string side_effect_in(std::string_view text) {
  Statement st(text);
  for (size_t k = 0; k < st.tokens.size(); ++k) {
    if (!st.name(k)) continue;
    // U&"..." spells a name with escapes: what it names is not visible here.
    if (st.is(k, SqlTokenKind::quoted_ident) && st.code[st.tokens[k].begin] != '"') return "a name written with U& escapes hides what it calls";
    std::string name = sql_identifier(st.code, st.tokens[k]);
    std::string folded = to_lower(name);  // "PG_SLEEP" quoted is another name, but never a harmless one
    if (const DeniedFunction* d = denied(folded)) return name + "() " + std::string(d->effect);
  }
  return "";
}

namespace {

// Words that take a parenthesis without calling a function: SQL syntax and type modifiers.
bool syntax_before_parenthesis(std::string_view upper) {
  static constexpr std::string_view k_words[] = {
      "ALL", "AND", "ANY", "ARRAY", "AS", "BETWEEN", "BY", "CASE", "CAST", "CHAR", "CHARACTER", "COALESCE", "COLLATION", "CUBE", "DEC", "DECIMAL",
      "DISTINCT", "ELSE", "EXCEPT", "EXISTS", "FILTER", "FLOAT", "FROM", "GREATEST", "GROUPING", "HAVING", "ILIKE", "IN", "INTERSECT", "INTERVAL",
      "IS", "JOIN", "LATERAL", "LEAST", "LIKE", "LIMIT", "NCHAR", "NOT", "NULLIF", "NUMERIC", "OFFSET", "ON", "OR", "OVER", "PARTITION", "RETURNING",
      "ROLLUP", "ROW", "SELECT", "SETS", "SIMILAR", "SOME", "TABLESAMPLE", "THEN", "TIME", "TIMESTAMP", "TREAT", "TRIM", "UNION", "USING", "VALUES",
      "VARCHAR", "VARYING", "WHEN", "WHERE", "WITH", "WITHIN", "BIT", "VARBIT", "EXPLAIN", "ROWS", "RANGE", "GROUPS", "ORDER", "WINDOW", "FETCH",
      "SHOW", "TABLE", "RECURSIVE", "MATERIALIZED", "NATURAL", "LEFT", "RIGHT", "FULL", "INNER", "OUTER", "CROSS", "IF"};
  return std::find(std::begin(k_words), std::end(k_words), upper) != std::end(k_words);
}

// The index of the token after the parenthesis that opens at k, or the end.
size_t after_parentheses(const Statement& st, size_t k) {
  int depth = 0;
  for (; k < st.tokens.size(); ++k) {
    if (st.punct(k, '(')) ++depth;
    if (st.punct(k, ')') && --depth == 0) return k + 1;
  }
  return k;
}

}  // namespace

std::string user_function_call(std::string_view text) {
  Statement st(text);
  // Functional notation with a parenthesized row, `(o).fn` (also `(o.col).fn`): PostgreSQL calls
  // fn(o) when the row has no column fn. Field selection on a composite column is written the
  // same way, and is rare in runbooks: both count. `o.fn` without parentheses is a column
  // reference as often as not, and is not counted (docs/safety.md says what remains).
  for (size_t k = 0; k + 2 < st.tokens.size(); ++k) {
    if (!st.punct(k, ')') || !st.punct(k + 1, '.') || !st.name(k + 2)) continue;
    std::string name = sql_identifier(st.code, st.tokens[k + 2]);
    if (postgres_builtin_function(name)) continue;
    return name + "() (written (row)." + name + ")";
  }
  for (size_t k = 0; k + 1 < st.tokens.size(); ++k) {
    if (!st.name(k) || !st.punct(k + 1, '(')) continue;
    bool quoted = st.is(k, SqlTokenKind::quoted_ident);
    if (!quoted && syntax_before_parenthesis(st.word(k))) continue;
    if (st.word(after_parentheses(st, k + 1)) == "AS") continue;  // WITH t(a, b) AS (...): a query's columns
    if (k > 0 && st.word(k - 1) == "AS") continue;                 // FROM f() AS t(a, b): an alias's columns
    std::string name = sql_identifier(st.code, st.tokens[k]);
    std::string schema = k >= 2 && st.punct(k - 1, '.') && st.name(k - 2) ? sql_identifier(st.code, st.tokens[k - 2]) : "";
    if ((schema.empty() || schema == "pg_catalog") && postgres_builtin_function(name)) continue;
    return (schema.empty() ? "" : schema + ".") + name + "()";
  }
  return "";
}

ReadOnlyVerdict vet_read_only(std::string_view text) {
  ReadOnlyVerdict v;
  Statement st(text);
  if (st.tokens.empty()) {
    v.allowed = true;
    return v;
  }
  if (std::string why = malformed(st); !why.empty()) {
    v.reason = why;
    return v;
  }
  size_t k = first_verb(st);
  std::string verb = st.word(k);
  if (verb == "EXPLAIN") {
    for (size_t j = k + 1; j < st.tokens.size(); ++j) {
      std::string w = st.word(j);
      if (w == "ANALYZE" || w == "ANALYSE") {
        v.reason = "EXPLAIN ANALYZE executes the statement";
        return v;
      }
      if (!w.empty() && w != "VERBOSE" && !st.punct(j, '(')) break;
      if (st.punct(j, '(')) {  // option list: look inside it (option names may be quoted)
        while (j < st.tokens.size() && !st.punct(j, ')')) {
          std::string option = st.name(j) ? to_lower(sql_identifier(st.code, st.tokens[j])) : "";
          if (option == "analyze" || option == "analyse") {
            v.reason = "EXPLAIN ANALYZE executes the statement";
            return v;
          }
          ++j;
        }
      }
    }
  } else if (verb == "SELECT" || verb == "WITH" || verb == "VALUES" || verb == "TABLE") {
    if (std::string why = write_in_query(st); !why.empty()) {
      v.reason = why;
      return v;
    }
  } else if (verb != "SHOW") {
    v.reason = (verb.empty() ? std::string("this statement") : verb) + " is not a read (only SELECT, WITH, VALUES, TABLE, SHOW and EXPLAIN run)";
    return v;
  }
  if (std::string effect = side_effect_in(text); !effect.empty()) {
    v.reason = effect;
    return v;
  }
  for (size_t j = 0; j < st.tokens.size(); ++j) {
    if (st.name(j)) v.names.push_back(sql_identifier(st.code, st.tokens[j]));  // "Odd" stays Odd, odd folds
    if (!st.is(j, SqlTokenKind::op)) continue;
    // PostgreSQL may end an operator before a trailing + or - (`<-2` is `<` and `-2`).
    for (std::string_view op = st.code.substr(st.tokens[j].begin, st.tokens[j].end - st.tokens[j].begin); !op.empty(); op.remove_suffix(1)) {
      v.operators.emplace_back(op);
      if (!op.ends_with('+') && !op.ends_with('-')) break;
    }
  }
  for (auto* list : {&v.names, &v.operators}) {
    std::sort(list->begin(), list->end());
    list->erase(std::unique(list->begin(), list->end()), list->end());
  }
  v.allowed = true;
  return v;
}

bool explainable(std::string_view text) {
  Statement st(text);
  if (st.tokens.empty() || !malformed(st).empty()) return false;
  std::string verb = st.word(0);
  return verb == "SELECT" || verb == "INSERT" || verb == "UPDATE" || verb == "DELETE" || verb == "MERGE" || verb == "VALUES" ||
         verb == "WITH" || verb == "TABLE";
}

std::string privileged_role_reason(const RolePrivileges& r) {
  std::string who = "role '" + r.role + "'";
  if (r.superuser) return who + " is a superuser (or may become one)";
  std::vector<std::string> groups;
  if (r.execute_program) groups.emplace_back("pg_execute_server_program");
  if (r.write_files) groups.emplace_back("pg_write_server_files");
  if (r.read_files) groups.emplace_back("pg_read_server_files");
  if (groups.empty()) return "";
  std::string list;
  for (const auto& g : groups) list += (list.empty() ? "" : ", ") + g;
  return who + " is a member of " + list;
}

VolatileCheck volatile_user_functions(const ReadOnlyVerdict& v) {
  VolatileCheck c;
  if (v.names.empty() && v.operators.empty()) return c;
  auto placeholders = [&](const std::vector<std::string>& values) {
    std::string in;
    for (const auto& value : values) {
      c.params.push_back(value);
      in += (in.empty() ? "$" : ", $") + std::to_string(c.params.size());
    }
    return in.empty() ? std::string("NULL") : in;
  };
  std::string names = placeholders(v.names);
  std::string operators = placeholders(v.operators);
  const std::string user_volatile = " AND p.provolatile = 'v' AND n.nspname NOT IN ('pg_catalog', 'information_schema')";
  c.query = "SELECT n.nspname::text || '.' || p.proname::text || '()' FROM pg_catalog.pg_proc p "
            "JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace WHERE p.proname IN (" + names + ")" + user_volatile +
            " UNION ALL SELECT 'operator ' || o.oprname::text || ' (' || n.nspname::text || '.' || p.proname::text || '())' "
            "FROM pg_catalog.pg_operator o JOIN pg_catalog.pg_proc p ON p.oid = o.oprcode "
            "JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace WHERE o.oprname IN (" + operators + ")" + user_volatile +
            " ORDER BY 1 LIMIT 1";
  return c;
}

}  // namespace opsbook::model
