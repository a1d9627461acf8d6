// SQL splitting and classification; the live check (validator) runs what this calls read-only.
#include "sql.hpp"

#include <algorithm>

#include "psql_variables.hpp"
#include "sql_lexer.hpp"
#include "sql_read_only.hpp"
#include "sql_reading.hpp"
#include "text.hpp"

namespace opsbook::model {

namespace {

// Length of a psql prompt at the start of `line` ("shop=# ", "shop=> ", "shop-# ", "shop(# "),
// or 0.
size_t psql_prompt(std::string_view line) {
  size_t i = 0;
  while (i < line.size() && (line[i] == ' ' || line[i] == '\t')) ++i;
  size_t start = i;
  if (i >= line.size() || !(is_ident_start(line[i]))) return 0;
  while (i < line.size() && (is_ident_char(line[i]) || line[i] == '-' || line[i] == '.' || line[i] == '$')) ++i;
  if (i == start) return 0;
  // The name may end in "-" itself ("shop-#" continuation): back off one when followed by # or >.
  if (i < line.size() && (line[i] == '=' || line[i] == '(' || line[i] == '\'' || line[i] == '"' || line[i] == '-')) ++i;
  else if (line[i - 1] == '-') {}  // "shop-#" already consumed the dash
  else return 0;
  if (i >= line.size() || (line[i] != '#' && line[i] != '>')) return 0;
  ++i;
  if (i < line.size() && line[i] != ' ') return 0;  // "data->>'k'" is an operator, not a prompt
  if (i < line.size()) ++i;
  return i;
}

}  // namespace

std::string strip_psql_session(std::string_view code) {
  auto lines = split_lines(code);
  bool session = false;
  for (auto l : lines) session = session || psql_prompt(l) > 0;
  if (!session) return std::string(code);
  // Lines after a prompt are SQL; the others are the server's output: blank, so lines keep
  // their numbers.
  std::string out;
  for (size_t k = 0; k < lines.size(); ++k) {
    size_t p = psql_prompt(lines[k]);
    if (p > 0) out += lines[k].substr(p);
    if (k + 1 < lines.size()) out += '\n';
  }
  return out;
}

std::vector<SqlStatement> split_sql(std::string_view raw, SqlText from) {
  std::string session = from == SqlText::block ? strip_psql_session(raw) : std::string(raw);
  std::string_view code = session;
  std::vector<SqlToken> tokens = lex_sql(code);
  std::vector<SqlStatement> out;
  size_t line = 0;  // lines counted up to `counted`
  size_t counted = 0;
  auto line_of = [&](size_t offset) {
    line += static_cast<size_t>(std::count(code.begin() + static_cast<long>(counted), code.begin() + static_cast<long>(offset), '\n'));
    counted = offset;
    return static_cast<int>(line);
  };
  // Statement text: its tokens with the spaces between them; a comment inside becomes a space
  // (or the line breaks it spanned, so lines keep their numbers).
  auto emit = [&](size_t first, size_t last) {  // token range [first, last)
    SqlStatement st;
    st.line_offset = line_of(tokens[first].begin);
    for (size_t k = first; k < last; ++k) {
      const SqlToken& t = tokens[k];
      if (k > first) st.text.append(code.substr(tokens[k - 1].end, t.begin - tokens[k - 1].end));
      std::string_view piece = code.substr(t.begin, t.end - t.begin);
      if (t.kind == SqlTokenKind::comment) {
        size_t breaks = static_cast<size_t>(std::count(piece.begin(), piece.end(), '\n'));
        st.text += breaks ? std::string(breaks, '\n') : std::string(" ");
      } else {
        st.text.append(piece);
      }
      if (t.unterminated && !st.unterminated) {
        st.unterminated = true;
        st.open_quote = t.kind == SqlTokenKind::comment ? '*' : t.kind == SqlTokenKind::dollar_string ? '$' : t.kind == SqlTokenKind::quoted_ident ? '"' : '\'';
      }
    }
    st.text = std::string(trim(st.text));
    st.meta = tokens[first].kind == SqlTokenKind::meta;
    if (!st.text.empty() || st.unterminated) out.push_back(std::move(st));
  };
  size_t first = 0;
  for (size_t k = 0; k <= tokens.size(); ++k) {
    bool end = k == tokens.size();
    if (!end && tokens[k].kind != SqlTokenKind::semicolon && tokens[k].kind != SqlTokenKind::meta) continue;
    // Leading comments belong to no statement.
    while (first < k && tokens[first].kind == SqlTokenKind::comment && !tokens[first].unterminated) ++first;
    if (first < k) emit(first, k);
    if (!end && tokens[k].kind == SqlTokenKind::meta) emit(k, k + 1);
    first = k + 1;
  }
  return out;
}

namespace {

// Upper-cased words (keywords and unquoted names) at parenthesis depth <= `max_depth`.
std::vector<std::string> sql_words(std::string_view s, int max_depth) {
  std::vector<std::string> words;
  int depth = 0;
  for (const auto& t : lex_sql(s)) {
    std::string_view text = s.substr(t.begin, t.end - t.begin);
    if (t.kind == SqlTokenKind::punct && text == "(") ++depth;
    if (t.kind == SqlTokenKind::punct && text == ")") --depth;
    if (t.kind == SqlTokenKind::word && depth <= max_depth) words.push_back(to_upper(text));
  }
  return words;
}

bool has(const std::vector<std::string>& words, std::string_view w) {
  return std::find(words.begin(), words.end(), w) != words.end();
}

// Statements inside statements (EXPLAIN ANALYZE S, COPY (S) TO) are read to this depth.
constexpr int k_max_depth = 8;

// MySQL statements that share a verb with a session-only one: "SET GLOBAL x = 1" (also
// "SET @@GLOBAL.x", "SET PERSIST x") changes the server for every session, "START REPLICA" /
// "START SLAVE" starts replication, "RESET REPLICA" / "RESET SLAVE" forgets its position; ""
// for the session-only forms (SET x, SET SESSION x, START TRANSACTION, RESET ALL).
std::string mysql_server_statement(std::string_view stmt, const std::string& verb, const std::vector<std::string>& top) {
  if (verb == "SET") {
    std::string upper = to_upper(stmt);
    bool global = has(top, "GLOBAL") || has(top, "PERSIST") || has(top, "PERSIST_ONLY") || upper.find("@@GLOBAL.") != std::string::npos ||
                  upper.find("@@PERSIST") != std::string::npos;
    return global ? "SET GLOBAL changes a server setting for every session" : "";
  }
  std::string object = top.size() > 1 ? top[1] : "";
  if (verb == "START" && (object == "REPLICA" || object == "SLAVE" || object == "GROUP_REPLICATION")) return "START " + object + " starts replication";
  if (verb == "RESET" && (object == "REPLICA" || object == "SLAVE")) return "RESET " + object + " makes the replica forget its replication position";
  return "";
}

SqlVerdict classify_at(std::string_view stmt, int depth, std::span<const std::string> numbers = {}, PsqlVariables vars = PsqlVariables::known);

// COPY and psql's \copy, read as PostgreSQL and psql read them: {table [(columns)] | (query)}
// {TO | FROM} target. Only TO STDOUT (psql also PSTDOUT) is a read, and then the query decides;
// a server file is written, a PROGRAM runs a shell command (s10a review B4: " to stdout" anywhere
// in the text passed `\copy (select ' to stdout ') to program 'touch F'`, and a table named
// stdout passed COPY ... TO a file). `args`: the text after COPY or \copy.
SqlVerdict classify_copy_args(std::string_view args, bool psql, int depth) {
  // psql splits \copy's line with a reader of its own that knows only '...' and "..." quotes: a
  // dollar quote, a comment or a backslash there reads otherwise (s10c review B1:
  // `\copy (select $$) to program 'touch F' $$) to stdout` ran the program).
  if (psql && args.find_first_of("$\\") != std::string_view::npos) return {Safety::destructive, "\\copy with $, or a backslash, which psql's \\copy reader takes otherwise than SQL: it may run a program"};
  if (psql && (args.find("--") != std::string_view::npos || args.find("/*") != std::string_view::npos)) {
    return {Safety::destructive, "\\copy with a comment, which psql's \\copy reader does not know: it may run a program"};
  }
  std::vector<SqlToken> t = lex_sql(args);
  std::erase_if(t, [](const SqlToken& x) { return x.kind == SqlTokenKind::comment; });
  auto punct = [&](size_t i, char c) { return i < t.size() && t[i].kind == SqlTokenKind::punct && args[t[i].begin] == c; };
  auto word = [&](size_t i) { return i < t.size() && t[i].kind == SqlTokenKind::word ? to_upper(args.substr(t[i].begin, t[i].end - t[i].begin)) : std::string(); };
  auto closing = [&](size_t open) {
    int level = 0;
    for (size_t i = open; i < t.size(); ++i) {
      if (punct(i, '(')) ++level;
      if (punct(i, ')') && --level == 0) return i + 1;
    }
    return t.size() + 1;
  };
  SqlVerdict query;
  size_t k = 0;
  if (punct(0, '(')) {
    k = closing(0);
    if (k > t.size() || k < 3) return {Safety::mutating, "COPY with a query opsbook cannot read"};
    query = classify_at(args.substr(t[1].begin, t[k - 2].end - t[1].begin), depth + 1);
  } else {
    while (k < t.size() && (t[k].kind == SqlTokenKind::word || t[k].kind == SqlTokenKind::quoted_ident)) {
      ++k;
      if (!punct(k, '.')) break;
      ++k;
    }
    if (punct(k, '(')) k = closing(k);
  }
  std::string direction = word(k), target = word(k + 1);
  if (direction == "FROM" && target == "PROGRAM") {  // s11a review B8: rated as a write of rows
    return {Safety::destructive, std::string(psql ? "\\copy" : "COPY") + " ... FROM PROGRAM runs a shell command" + (psql ? "" : " on the database server")};
  }
  if (direction == "FROM") return {Safety::mutating, "COPY ... FROM writes rows"};
  if (direction != "TO") return {Safety::mutating, "COPY that opsbook cannot read as {table | (query)} TO target"};
  if (target == "PROGRAM" || (psql && k + 1 < t.size() && args[t[k + 1].begin] == '|')) {
    return {Safety::destructive, std::string(psql ? "\\copy" : "COPY") + " ... TO PROGRAM runs a shell command" + (psql ? "" : " on the database server")};
  }
  if (target == "STDOUT" || (psql && target == "PSTDOUT")) return query;
  return {Safety::mutating, std::string(psql ? "\\copy ... TO a file writes a file" : "COPY ... TO a file writes on the database server")};
}

// EXPLAIN plans; EXPLAIN ANALYZE (or EXPLAIN (ANALYZE ...)) also executes the statement.
SqlVerdict classify_explain(std::string_view stmt, int depth) {
  std::vector<SqlToken> tokens = lex_sql(stmt);
  bool analyze = false;
  size_t k = 1;
  auto text = [&](size_t i) { return to_upper(stmt.substr(tokens[i].begin, tokens[i].end - tokens[i].begin)); };
  for (; k < tokens.size(); ++k) {
    if (tokens[k].kind == SqlTokenKind::comment) continue;
    std::string w = text(k);
    if (w == "(") {  // option names may be quoted: EXPLAIN ("analyze") runs it too
      for (; k < tokens.size() && text(k) != ")"; ++k) {
        std::string option = to_upper(sql_identifier(stmt, tokens[k]));
        analyze = analyze || option == "ANALYZE" || option == "ANALYSE";
      }
    } else if (w == "ANALYZE" || w == "ANALYSE") {
      analyze = true;
    } else if (w != "VERBOSE") {
      break;
    }
  }
  if (!analyze) return {};
  if (k >= tokens.size()) return {Safety::mutating, "EXPLAIN ANALYZE executes the statement"};
  SqlVerdict inner = classify_at(stmt.substr(tokens[k].begin), depth + 1);
  if (inner.level != Safety::read_only) inner.reason = "EXPLAIN ANALYZE executes: " + inner.reason;
  return inner;
}

// psql meta-commands that only show, describe or format: \d..., \l, \conninfo, \x, \timing...
// Every other one runs a file or a program, writes a file, changes large objects, variables or
// the connection, or opens an editor (\i, \o, \w, \g FILE, \copy, \lo_*, \set, \e, \!...).
bool psql_meta_shows(std::string_view name) {
  static constexpr std::string_view k_shows[] = {"\\l", "\\l+", "\\list", "\\list+", "\\conninfo", "\\x", "\\timing", "\\t", "\\a",
                                                 "\\pset", "\\echo", "\\qecho", "\\warn", "\\q", "\\quit", "\\?", "\\h",
                                                 "\\help", "\\copyright", "\\sf", "\\sf+", "\\sv", "\\sv+", "\\z", "\\z+", "\\errverbose",
                                                 "\\H", "\\html", "\\f", "\\C", "\\T", "\\p", "\\print", "\\r", "\\reset", "\\watch",
                                                 "\\G"};  // mysql's vertical ;
  if (name.starts_with("\\d")) return std::all_of(name.begin() + 2, name.end(), [](char c) { return std::isalpha(static_cast<unsigned char>(c)) || c == '+'; });
  return std::find(std::begin(k_shows), std::end(k_shows), name) != std::end(k_shows);
}

SqlVerdict classify_psql_meta(std::string_view stmt, int depth) {
  std::string_view name = stmt.substr(0, stmt.find_first_of(" \t\n"));
  std::string_view args = stmt.substr(name.size());
  // psql runs the shell command of a backquoted argument, whatever the meta-command.
  if (stmt.find('`') != std::string_view::npos) return {Safety::mutating, "psql runs the shell command in backquotes in " + std::string(name)};
  // \gexec runs each value of the result as SQL: what it runs is not in the text (s9a review B4).
  if (name == "\\encoding") return {Safety::destructive, "psql \\encoding changes the client encoding, in which a byte of a character can be a backslash or end a string: what runs after it is not what opsbook reads"};
  if (name == "\\gexec") return {Safety::destructive, "psql \\gexec runs each value of the query's result as SQL, which the text does not show"};
  bool bare_go = (name == "\\g" || name == "\\gx") && trim(args).empty();  // \g FILE writes, \g |cmd runs
  if (name == "\\copy") return classify_copy_args(args, true, depth);
  if (psql_meta_shows(name) || bare_go) return {};
  return {Safety::mutating, "psql " + std::string(name) + " runs, writes or changes something outside a query"};
}

// SELECT ... FOR UPDATE, FOR NO KEY UPDATE, FOR SHARE, FOR KEY SHARE: row locks that block writers.
bool locks_rows(const std::vector<std::string>& top) {
  for (size_t k = 0; k + 1 < top.size(); ++k) {
    if (top[k] != "FOR") continue;
    const std::string& next = top[k + 1];
    if (next == "UPDATE" || next == "SHARE" || next == "NO" || next == "KEY") return true;
  }
  return false;
}

// MySQL functions that take a named lock or hold the connection busy (SELECT GET_LOCK('x', 10)).
std::string mysql_side_effect(const std::vector<std::string>& all) {
  for (const char* f : {"GET_LOCK", "RELEASE_LOCK", "RELEASE_ALL_LOCKS", "SLEEP", "BENCHMARK"}) {
    if (has(all, f)) return std::string(f) + "() takes a lock or holds the server busy";
  }
  return "";
}

// psql replaces :NAME in SQL (outside quotes and comments; not :'NAME' or :"NAME", which it
// quotes, nor a cast ::T) by the variable's text as it stands, which psql then reads again: SQL
// the statement does not show (s10a review B2: `select 1 :q;` with -v q='; drop table t'). A
// number after a colon that follows a word or number with no blank is an array slice (a[1:2]),
// unless a variable named by digits may exist (`vars` any).
std::string psql_interpolation(std::string_view stmt, const std::vector<SqlToken>& tokens, std::span<const std::string> numbers, PsqlVariables vars) {
  auto colon = [&](size_t i) { return tokens[i].kind == SqlTokenKind::punct && stmt[tokens[i].begin] == ':'; };
  auto name_char = [](char c) { return is_ident_char(c) || static_cast<unsigned char>(c) >= 0x80; };
  for (size_t i = 0; i + 1 < tokens.size(); ++i) {
    if (!colon(i) || tokens[i + 1].begin != tokens[i].end) continue;
    // psql's name: every letter, digit and _ after the colon, whatever tokens SQL makes of them
    // (s10c B6: `1:1abc` is the variable 1abc, not a slice).
    size_t end = tokens[i].end;
    while (end < stmt.size() && name_char(stmt[end])) ++end;
    std::string_view name = stmt.substr(tokens[i].end, end - tokens[i].end);
    if (name.empty()) continue;
    bool after_colon = !psql_colon_starts_variable(stmt, tokens[i].begin);  // the second of `::`
    bool slice = vars == PsqlVariables::known && all_digits(name) && i > 0 && tokens[i - 1].end == tokens[i].begin &&
                 (tokens[i - 1].kind == SqlTokenKind::number || tokens[i - 1].kind == SqlTokenKind::word);
    bool number = vars == PsqlVariables::known && !psql_own_variable(name) && std::find(numbers.begin(), numbers.end(), name) != numbers.end();
    if (!after_colon && !slice && !number) return std::string(stmt.substr(tokens[i].begin, end - tokens[i].begin));
  }
  return "";
}

SqlVerdict classify_at(std::string_view stmt, int depth, std::span<const std::string> numbers, PsqlVariables vars) {
  stmt = trim(stmt);
  if (stmt.empty()) return {};
  if (depth > k_max_depth) return {Safety::mutating, "a statement nested deeper than opsbook reads"};
  if (stmt[0] == '\\') return classify_psql_meta(stmt, depth);
  // A statement that is a psql variable (`:q` after `\\gset` or `\\set`): SQL the text does not show.
  if (stmt[0] == ':') return {Safety::destructive, "a statement that is a psql variable (" + std::string(stmt.substr(0, stmt.find_first_of(" ;\n"))) + ") runs SQL the text does not show"};
  std::vector<SqlToken> tokens = lex_sql(stmt);
  if (std::string use = psql_interpolation(stmt, tokens, numbers, vars); !use.empty()) {
    return {Safety::destructive, "psql puts the text of the variable " + use + " into the statement as it stands: SQL the text does not show (write :'name' for a value)"};
  }
  size_t lead = 0;  // "(SELECT ...)": the statement inside
  while (lead < tokens.size() && (tokens[lead].kind == SqlTokenKind::comment || (tokens[lead].kind == SqlTokenKind::punct && stmt[tokens[lead].begin] == '('))) ++lead;
  if (lead > 0 && lead < tokens.size()) return classify_at(stmt.substr(tokens[lead].begin), depth + 1, numbers, vars);
  std::vector<std::string> top = sql_words(stmt, 0);
  if (top.empty()) return {};
  std::string verb = top[0];
  if (verb == "WITH") {  // the data-modifying verb of a CTE query, if any
    std::vector<std::string> all = sql_words(stmt, 1000);
    for (const char* v : {"DELETE", "UPDATE", "INSERT"}) {
      if (has(all, v)) {
        verb = v;
        break;
      }
    }
  }
  if (verb == "EXPLAIN") return classify_explain(stmt, depth);
  // SHOW and RESET of a setting named plainly leave the reading as it is (RESET goes back to the
  // server's); any other mention, or a name opsbook cannot read, changes it (s10c B2, s11a B4).
  if (ReadingSwitch r = sql_reading_switch(stmt); r.found() && (!r.plain || (top[0] != "SHOW" && top[0] != "RESET"))) return {Safety::destructive, reading_reason(r)};
  if (verb == "DROP") return {Safety::destructive, "DROP " + (top.size() > 1 ? top[1] : std::string()) + " removes objects and their data"};
  if (verb == "TRUNCATE") return {Safety::destructive, "TRUNCATE removes every row"};
  if (verb == "DELETE") {
    if (!has(top, "WHERE")) return {Safety::destructive, "DELETE without WHERE removes every row"};
    return {Safety::mutating, "DELETE removes rows"};
  }
  if (verb == "UPDATE") {
    if (!has(top, "WHERE")) return {Safety::destructive, "UPDATE without WHERE changes every row"};
    return {Safety::mutating, "UPDATE changes rows"};
  }
  if (verb == "ALTER") {
    if (has(top, "DROP")) return {Safety::destructive, "ALTER ... DROP removes a column or constraint"};
    return {Safety::mutating, "ALTER changes the schema"};
  }
  if (verb == "INSERT" || verb == "MERGE" || verb == "UPSERT" || verb == "REPLACE") return {Safety::mutating, verb + " writes rows"};
  if (verb == "COPY") return classify_copy_args(stmt.substr(tokens[0].end), false, depth);
  if (verb == "CREATE" || verb == "GRANT" || verb == "REVOKE" || verb == "COMMENT" || verb == "REFRESH" ||
      verb == "REINDEX" || verb == "VACUUM" || verb == "ANALYZE" || verb == "CLUSTER" || verb == "LOCK" ||
      verb == "CALL" || verb == "DO" || verb == "SECURITY" || verb == "IMPORT" || verb == "CHECKPOINT" ||
      verb == "NOTIFY" || verb == "PREPARE" || verb == "EXECUTE" || verb == "DISCARD" || verb == "LOAD" ||
      verb == "REASSIGN") {
    if (verb == "REASSIGN" || (verb == "VACUUM" && has(top, "FULL"))) {
      return {Safety::mutating, verb + " rewrites data and takes heavy locks"};
    }
    return {Safety::mutating, verb + " changes the database"};
  }
  if (verb == "SELECT" || verb == "VALUES" || verb == "TABLE" || verb == "SHOW" || verb == "WITH") {
    if (std::string effect = side_effect_in(stmt); !effect.empty()) return {Safety::mutating, effect};
    if (verb == "SELECT" && has(top, "INTO")) return {Safety::mutating, "SELECT INTO creates a table"};
    if (locks_rows(top)) return {Safety::mutating, "SELECT ... FOR UPDATE/SHARE locks rows until the transaction ends"};
    if (std::string effect = mysql_side_effect(sql_words(stmt, 1000)); !effect.empty()) return {Safety::mutating, effect};
    return {};
  }
  if ((verb == "COMMIT" || verb == "ROLLBACK") && has(top, "PREPARED")) {
    return {Safety::destructive, verb + " PREPARED commits or discards a transaction another session prepared"};
  }
  if (std::string effect = mysql_server_statement(stmt, verb, top); !effect.empty()) return {Safety::mutating, effect};
  if (verb == "RESET" && top.size() > 1 && (top[1] == "MASTER" || top[1] == "BINARY")) {
    return {Safety::destructive, "RESET " + top[1] + " deletes every binary log of the server"};
  }
  if (verb == "PURGE" && top.size() > 1 && (top[1] == "BINARY" || top[1] == "MASTER")) {
    return {Safety::destructive, "PURGE " + top[1] + " LOGS deletes binary logs a replica may still need"};
  }
  if (verb == "SET" || verb == "RESET" || verb == "BEGIN" || verb == "START" || verb == "COMMIT" ||
      verb == "END" || verb == "ROLLBACK" || verb == "SAVEPOINT" || verb == "RELEASE" || verb == "FETCH" ||
      verb == "DECLARE" || verb == "CLOSE" || verb == "LISTEN" || verb == "UNLISTEN" || verb == "DESCRIBE" ||
      verb == "DESC") {
    return {};
  }
  return {Safety::mutating, "unrecognised statement " + verb + " (assumed to change data)"};
}

}  // namespace

SqlVerdict classify_mysql_command(std::string_view command) {
  std::string_view name = command.substr(0, command.find_first_of(" \t\n"));
  static constexpr std::string_view k_shows[] = {"\\G", "\\g", "\\c", "\\p", "\\s", "\\h", "\\?", "\\q", "\\W", "\\w",
                                                 "\\n", "\\t", "\\u", "\\R", "\\#", "\\o", "\\x", "\\d"};
  if (name == "\\C") return {Safety::destructive, "\\C (charset) changes the character set mysql reads the text in, where a byte of a character can be a backslash or end a string: what runs is not what opsbook reads"};
  if (name == "\\T") return {Safety::mutating, "\\T (tee) appends all output to a file"};
  if (name == "\\!") return {Safety::mutating, "\\! (system) runs a shell command"};
  if (name == "\\P") return {Safety::mutating, "\\P (pager) pipes the output to a program"};
  if (name == "\\.") return {Safety::mutating, "\\. (source) runs the SQL of a file"};
  if (name == "\\e") return {Safety::mutating, "\\e (edit) runs what an editor writes"};
  if (name == "\\r") return {Safety::mutating, "\\r (connect) connects to another server"};
  if (std::find(std::begin(k_shows), std::end(k_shows), name) != std::end(k_shows)) return {};
  return {Safety::mutating, "mysql " + std::string(name) + " is not known to only show"};
}

SqlVerdict classify_sql_statement(std::string_view stmt, std::span<const std::string> numbers, PsqlVariables vars) { return classify_at(stmt, 0, numbers, vars); }

}  // namespace opsbook::model
