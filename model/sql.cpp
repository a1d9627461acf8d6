// SQL splitting and classification; the live check (validator) runs what this calls read-only.
#include "sql.hpp"

#include <algorithm>

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

std::vector<SqlStatement> split_sql(std::string_view raw) {
  std::string session = strip_psql_session(raw);
  std::string_view code = session;
  std::vector<SqlStatement> out;
  SqlStatement cur;
  int line = 0;
  bool started = false;
  size_t i = 0;
  const size_t n = code.size();
  auto flush = [&] {
    std::string_view t = trim(cur.text);
    if (!t.empty()) {
      cur.text = std::string(t);
      out.push_back(cur);
    }
    cur = SqlStatement{};
    started = false;
  };
  while (i < n) {
    char c = code[i];
    if (c == '\n') {
      ++line;
      cur.text += c;
      ++i;
      continue;
    }
    if (!started && (c == ' ' || c == '\t' || c == '\r')) {
      ++i;
      continue;
    }
    if (!started && c == '\\') {  // psql meta-command: to end of line
      size_t end = code.find('\n', i);
      if (end == std::string_view::npos) end = n;
      cur.line_offset = line;
      cur.meta = true;
      cur.text = std::string(code.substr(i, end - i));
      flush();
      i = end;
      continue;
    }
    if (c == '-' && i + 1 < n && code[i + 1] == '-') {  // line comment
      while (i < n && code[i] != '\n') ++i;
      continue;
    }
    if (c == '/' && i + 1 < n && code[i + 1] == '*') {
      size_t end = code.find("*/", i + 2);
      size_t stop = end == std::string_view::npos ? n : end + 2;
      line += static_cast<int>(std::count(code.begin() + static_cast<long>(i), code.begin() + static_cast<long>(stop), '\n'));
      if (end == std::string_view::npos) {
        if (!started) cur.line_offset = line;
        cur.unterminated = true;
        cur.open_quote = '*';
        started = true;
      }
      i = stop;
      cur.text += ' ';
      continue;
    }
    if (!started) {
      started = true;
      cur.line_offset = line;
    }
    if (c == ';') {
      flush();
      ++i;
      continue;
    }
    if (c == '\'' || c == '"') {
      size_t j = i + 1;
      for (;;) {
        j = code.find(c, j);
        if (j == std::string_view::npos) break;
        if (j + 1 < n && code[j + 1] == c) {  // doubled quote
          j += 2;
          continue;
        }
        break;
      }
      size_t stop = j == std::string_view::npos ? n : j + 1;
      if (j == std::string_view::npos) {
        cur.unterminated = true;
        cur.open_quote = c;
      }
      std::string_view piece = code.substr(i, stop - i);
      line += static_cast<int>(std::count(piece.begin(), piece.end(), '\n'));
      cur.text.append(piece);
      i = stop;
      continue;
    }
    if (c == '$') {  // dollar quoting: $$...$$ or $tag$...$tag$
      size_t j = i + 1;
      while (j < n && is_ident_char(code[j])) ++j;
      if (j < n && code[j] == '$' && (j == i + 1 || is_ident_start(code[i + 1]))) {
        std::string_view tag = code.substr(i, j - i + 1);
        size_t end = code.find(tag, j + 1);
        size_t stop = end == std::string_view::npos ? n : end + tag.size();
        if (end == std::string_view::npos) {
          cur.unterminated = true;
          cur.open_quote = '$';
        }
        std::string_view piece = code.substr(i, stop - i);
        line += static_cast<int>(std::count(piece.begin(), piece.end(), '\n'));
        cur.text.append(piece);
        i = stop;
        continue;
      }
    }
    cur.text += c;
    ++i;
  }
  flush();
  return out;
}

namespace {

// Upper-cased words outside quotes and parentheses depth > `max_depth` are skipped.
std::vector<std::string> sql_words(std::string_view s, int max_depth) {
  std::vector<std::string> words;
  int depth = 0;
  size_t i = 0;
  while (i < s.size()) {
    char c = s[i];
    if (c == '(') ++depth;
    if (c == ')') --depth;
    if (c == '\'' || c == '"') {
      size_t end = s.find(c, i + 1);
      i = end == std::string_view::npos ? s.size() : end + 1;
      continue;
    }
    if (is_ident_start(c)) {
      size_t j = i;
      while (j < s.size() && is_ident_char(s[j])) ++j;
      if (depth <= max_depth) {
        std::string w(s.substr(i, j - i));
        for (char& ch : w) {
          if (ch >= 'a' && ch <= 'z') ch = static_cast<char>(ch - 'a' + 'A');
        }
        words.push_back(std::move(w));
      }
      i = j;
      continue;
    }
    ++i;
  }
  return words;
}

bool has(const std::vector<std::string>& words, std::string_view w) {
  return std::find(words.begin(), words.end(), w) != words.end();
}

// Functions that change server state even inside a SELECT.
constexpr std::string_view k_side_effect_functions[] = {
    "pg_terminate_backend", "pg_cancel_backend", "pg_reload_conf", "pg_rotate_logfile",
    "set_config", "pg_switch_wal", "pg_create_restore_point", "nextval", "setval",
    "pg_advisory_lock", "pg_drop_replication_slot", "pg_create_physical_replication_slot",
    "pg_create_logical_replication_slot", "pg_promote", "lo_unlink"};

}  // namespace

SqlVerdict classify_sql_statement(std::string_view stmt) {
  stmt = trim(stmt);
  if (stmt.empty()) return {};
  if (stmt[0] == '\\') {
    // psql meta-commands: \d, \dt, \l, \x, \timing are reads; \i, \copy ... from, \! are not.
    std::string meta = to_lower(stmt.substr(0, stmt.find_first_of(" \t")));
    if (meta == "\\i" || meta == "\\ir" || meta == "\\!" || meta == "\\o" || meta == "\\gexec" ||
        (meta == "\\copy" && icontains(stmt, " from "))) {
      return {Safety::mutating, "psql " + meta + " runs or writes outside a query"};
    }
    return {};
  }
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
  if (verb == "EXPLAIN") {
    // EXPLAIN ANALYZE executes the statement.
    if (top.size() > 1 && (top[1] == "ANALYZE" || top[1] == "ANALYSE")) {
      size_t skip = 2;
      while (skip < top.size() && (top[skip] == "VERBOSE" || top[skip] == "BUFFERS")) ++skip;
      std::string_view rest = stmt;
      size_t pos = to_lower(stmt).find(to_lower(skip < top.size() ? top[skip] : ""));
      if (skip < top.size() && pos != std::string::npos) rest = stmt.substr(pos);
      SqlVerdict inner = classify_sql_statement(rest);
      if (inner.level != Safety::read_only) inner.reason = "EXPLAIN ANALYZE executes: " + inner.reason;
      return inner;
    }
    return {};
  }
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
  if (verb == "COPY") {
    if (has(top, "FROM")) return {Safety::mutating, "COPY ... FROM writes rows"};
    return {};
  }
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
    std::string lower = to_lower(stmt);
    for (std::string_view fn : k_side_effect_functions) {
      if (lower.find(fn) != std::string::npos) return {Safety::mutating, std::string(fn) + "() changes server state"};
    }
    if (verb == "SELECT" && has(top, "INTO")) return {Safety::mutating, "SELECT INTO creates a table"};
    return {};
  }
  if (verb == "SET" || verb == "RESET" || verb == "BEGIN" || verb == "START" || verb == "COMMIT" ||
      verb == "END" || verb == "ROLLBACK" || verb == "SAVEPOINT" || verb == "RELEASE" || verb == "FETCH" ||
      verb == "DECLARE" || verb == "CLOSE" || verb == "LISTEN" || verb == "UNLISTEN" || verb == "DESCRIBE" ||
      verb == "DESC") {
    return {};
  }
  return {Safety::mutating, "unrecognised statement " + verb + " (assumed to change data)"};
}

}  // namespace opsbook::model
