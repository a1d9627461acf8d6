// Binding placeholders in SQL, on the SQL tokenizer: where each placeholder stands (a value
// position, a string literal, a quoted name, a comment, a dollar-quoted body) decides how its
// value is passed, and values never become SQL text.
#include "sql_bind.hpp"

#include <algorithm>

#include "params.hpp"
#include "sql_lexer.hpp"
#include "text.hpp"

namespace opsbook::model {

namespace {

// Types written as `type 'literal'` (a typed literal): its text must be a constant, so a bound
// value becomes CAST(... AS type).
bool typed_literal_type(std::string_view word) {
  static constexpr std::string_view k_types[] = {
      "interval", "date", "time", "timestamp", "timestamptz", "timetz", "json", "jsonb", "uuid", "inet", "cidr", "macaddr",
      "macaddr8", "numeric", "decimal", "int", "int2", "int4", "int8", "integer", "bigint", "smallint", "real", "float",
      "float4", "float8", "boolean", "bool", "text", "varchar", "char", "character", "bpchar", "bytea", "money", "xml",
      "tsquery", "tsvector", "regclass", "regproc", "regprocedure", "regtype", "regrole", "regnamespace", "oid", "point",
      "bit", "varbit", "name", "pg_lsn", "daterange", "tstzrange", "tsrange", "int4range", "int8range", "numrange"};
  return std::find(std::begin(k_types), std::end(k_types), word) != std::end(k_types);
}

// Words after which a bare placeholder stands where a name goes (a table, a column to sort by).
bool name_position(std::string_view upper_word) {
  static constexpr std::string_view k_words[] = {"FROM", "JOIN", "TABLE", "INTO", "UPDATE", "TRUNCATE", "INDEX", "VIEW",
                                                 "SEQUENCE", "SCHEMA", "ONLY", "BY", "DATABASE", "ROLE", "USER"};
  return std::find(std::begin(k_words), std::end(k_words), upper_word) != std::end(k_words);
}

struct Occurrence {
  size_t begin = 0, end = 0;
  const SqlPlaceholder* p = nullptr;
};

struct Edit {
  size_t begin = 0, end = 0;
  std::string text;
};

class Binder {
 public:
  Binder(std::string_view stmt, const std::vector<SqlPlaceholder>& placeholders) : m_s(stmt), m_tokens(lex_sql(stmt)) {
    for (const auto& t : m_tokens) {
      if (t.kind != SqlTokenKind::comment) m_code.push_back(t);
    }
    find(placeholders);
  }

  BoundSql run() {
    for (const auto& t : m_code) {
      if (t.kind == SqlTokenKind::param && !m_occ.empty()) {
        return refuse("the statement uses " + std::string(m_s.substr(t.begin, t.end - t.begin)) +
                      " itself: write placeholders such as <name> for opsbook to bind");
      }
    }
    for (const auto& o : m_occ) {
      if (o.p->value.find('\0') != std::string::npos) return refuse(o.p->syntax + ": the value holds a NUL byte, which PostgreSQL text cannot hold");
    }
    size_t k = 0;
    while (k < m_occ.size() && m_out.refusal.empty()) k = place(k);
    if (!m_out.refusal.empty()) return m_out;
    if (!m_out.values.empty()) check_verb();
    if (!m_out.refusal.empty()) return m_out;
    std::string text;
    size_t pos = 0;
    for (const auto& e : m_edits) {
      text.append(m_s.substr(pos, e.begin - pos));
      text += e.text;
      pos = e.end;
    }
    text.append(m_s.substr(pos));
    m_out.text = std::move(text);
    return m_out;
  }

 private:
  void find(const std::vector<SqlPlaceholder>& placeholders) {
    std::vector<std::string> spellings;
    for (const auto& p : placeholders) spellings.push_back(p.syntax);
    for (const auto& at : find_spellings(m_s, spellings)) {
      const SqlToken* t = sql_token_at(m_tokens, at.begin);
      if (!t || t->kind != SqlTokenKind::comment) m_occ.push_back({at.begin, at.end, &placeholders[at.spelling]});  // comments never run
    }
  }

  BoundSql refuse(std::string why) {
    m_out.refusal = std::move(why);
    return m_out;
  }

  std::string param(const SqlPlaceholder& p) {
    m_out.values.push_back(p.value);
    return "$" + std::to_string(m_out.values.size());
  }

  // Index into m_code of the last token ending at or before `offset` (npos when none).
  size_t before(size_t offset) const {
    size_t k = std::string::npos;
    for (size_t j = 0; j < m_code.size() && m_code[j].end <= offset; ++j) k = j;
    return k;
  }
  std::string upper(size_t k) const {
    if (k >= m_code.size() || m_code[k].kind != SqlTokenKind::word) return "";
    return to_upper(m_s.substr(m_code[k].begin, m_code[k].end - m_code[k].begin));
  }
  bool is_dot(size_t k) const { return k < m_code.size() && m_code[k].kind == SqlTokenKind::punct && m_s[m_code[k].begin] == '.'; }

  // Places occurrence k (and the others inside the same quoted token); returns the next index.
  size_t place(size_t k) {
    const Occurrence& o = m_occ[k];
    const SqlToken* t = sql_token_at(m_tokens, o.begin);
    bool quoted = t && (t->kind == SqlTokenKind::string || t->kind == SqlTokenKind::quoted_ident || t->kind == SqlTokenKind::escape_string ||
                        t->kind == SqlTokenKind::dollar_string);
    if (!quoted) {
      place_bare(o);
      return k + 1;
    }
    size_t last = k;
    while (last + 1 < m_occ.size() && m_occ[last + 1].begin < t->end) ++last;
    for (size_t j = k; j <= last; ++j) {
      if (m_occ[j].end > t->end) {
        refuse(m_occ[j].p->syntax + " runs across the end of a quoted text: opsbook cannot tell where its value would go");
        return last + 1;
      }
    }
    if (t->kind == SqlTokenKind::string && m_s[t->begin] == '\'') place_in_literal(*t, k, last);
    else if (t->kind == SqlTokenKind::quoted_ident && m_s[t->begin] == '"') place_in_name(*t, k, last);
    else refuse(o.p->syntax + " stands inside " + describe(*t) + ": opsbook cannot bind a value there; put it where a value or a plain '...' string goes");
    return last + 1;
  }

  std::string describe(const SqlToken& t) const {
    if (t.kind == SqlTokenKind::dollar_string) return "a dollar-quoted body";
    if (t.kind == SqlTokenKind::escape_string) return "an E'...' string";
    return "a " + std::string(m_s.substr(t.begin, 2)) + "...' string or name";
  }

  void place_bare(const Occurrence& o) {
    for (const auto& t : m_tokens) {  // a placeholder glued to a quote or comment
      bool overlaps = t.begin < o.end && o.begin < t.end;
      if (overlaps && t.kind != SqlTokenKind::word && t.kind != SqlTokenKind::op && t.kind != SqlTokenKind::punct && t.kind != SqlTokenKind::number) {
        refuse(o.p->syntax + " runs into a quote or comment: opsbook cannot tell where its value would go");
        return;
      }
    }
    if (o.p->identifier) {
      std::string quoted = quote_sql_identifier(o.p->value);
      if (quoted.empty()) {
        refuse(o.p->syntax + " is declared a name (ident=" + o.p->name + "), but its value is not one PostgreSQL keeps as written (empty, control characters or longer than 63 bytes)");
        return;
      }
      m_edits.push_back({o.begin, o.end, quoted});
      return;
    }
    size_t prev = before(o.begin);
    size_t next = prev == std::string::npos ? 0 : prev + 1;
    while (next < m_code.size() && m_code[next].begin < o.end) ++next;
    if (name_position(upper(prev)) || is_dot(prev) || is_dot(next)) {
      refuse(o.p->syntax + " stands where a name goes: declare it with ident=" + o.p->name + " on the snippet so its value is quoted as a name");
      return;
    }
    m_edits.push_back({o.begin, o.end, param(*o.p)});
  }

  // '...<x>...': the literal becomes $n, or ('...' || $n::text || '...'); after a type name
  // (interval '<n> days') a CAST of that.
  void place_in_literal(const SqlToken& t, size_t first, size_t last) {
    std::vector<std::string> parts;
    size_t pos = t.begin + 1;
    size_t close = t.unterminated ? t.end : t.end - 1;
    for (size_t j = first; j <= last; ++j) {
      if (m_occ[j].begin > pos) parts.push_back("'" + std::string(m_s.substr(pos, m_occ[j].begin - pos)) + "'");
      parts.push_back(param(*m_occ[j].p) + "::text");
      pos = m_occ[j].end;
    }
    if (close > pos) parts.push_back("'" + std::string(m_s.substr(pos, close - pos)) + "'");
    std::string expr;
    if (parts.size() == 1) {
      expr = parts[0].substr(0, parts[0].size() - 6);  // a whole literal: untyped, like the literal was
    } else {
      for (const auto& p : parts) expr += (expr.empty() ? "(" : " || ") + p;
      expr += ")";
    }
    size_t prev = before(t.begin);
    std::string type = prev == std::string::npos || m_code[prev].kind != SqlTokenKind::word ? "" : to_lower(upper(prev));
    std::string syntax = m_occ[first].p->syntax;
    if (type == "zone" && upper(prev - 2) != "AT") type = "with time zone";
    if (type == "zone" || type == "with time zone" || type == "precision" || type == "varying") {
      if (type != "zone") {
        refuse(syntax + " stands in a typed literal of a type written in several words: write it as '...'::type (e.g. '...'::timestamptz)");
        return;
      }
      type.clear();  // AT TIME ZONE '<tz>' takes any expression
    }
    if (typed_literal_type(type)) {
      m_edits.push_back({m_code[prev].begin, t.end, "CAST(" + expr + " AS " + type + ")"});
      return;
    }
    m_edits.push_back({t.begin, t.end, expr});
  }

  // "...<x>...": only placeholders declared as names; the value's quotes are doubled.
  void place_in_name(const SqlToken& t, size_t first, size_t last) {
    std::string text;
    size_t pos = t.begin;
    for (size_t j = first; j <= last; ++j) {
      const SqlPlaceholder& p = *m_occ[j].p;
      if (!p.identifier) {
        refuse(p.syntax + " stands inside a quoted name: declare it with ident=" + p.name + " on the snippet if it is a name");
        return;
      }
      if (quote_sql_identifier(p.value).empty()) {
        refuse(p.syntax + " is declared a name (ident=" + p.name + "), but its value is not one PostgreSQL keeps as written (empty, control characters or longer than 63 bytes)");
        return;
      }
      text.append(m_s.substr(pos, m_occ[j].begin - pos));
      for (char c : p.value) text += c == '"' ? std::string("\"\"") : std::string(1, c);
      pos = m_occ[j].end;
    }
    text.append(m_s.substr(pos, t.end - pos));
    m_edits.push_back({t.begin, t.end, text});
  }

  void check_verb() {
    size_t k = 0;
    while (k < m_code.size() && m_code[k].kind == SqlTokenKind::punct && m_s[m_code[k].begin] == '(') ++k;
    std::string verb = upper(k);
    static constexpr std::string_view k_bindable[] = {"SELECT", "INSERT", "UPDATE", "DELETE", "MERGE", "VALUES", "WITH", "CALL", "EXPLAIN"};
    if (std::find(std::begin(k_bindable), std::end(k_bindable), verb) != std::end(k_bindable)) return;
    std::string names;
    for (const auto& o : m_occ) {
      if (!o.p->identifier && names.find(o.p->syntax) == std::string::npos) names += (names.empty() ? "" : ", ") + o.p->syntax;
    }
    refuse("PostgreSQL binds values only in SELECT, INSERT, UPDATE, DELETE, MERGE, VALUES, WITH and CALL; " +
           (verb.empty() ? std::string("this statement") : verb) + " cannot take " + names + " as a value");
  }

  std::string_view m_s;
  std::vector<SqlToken> m_tokens;  // all, comments included
  std::vector<SqlToken> m_code;    // without comments
  std::vector<Occurrence> m_occ;
  std::vector<Edit> m_edits;
  BoundSql m_out;
};

}  // namespace

BoundSql bind_sql(std::string_view statement, const std::vector<SqlPlaceholder>& placeholders) {
  return Binder(statement, placeholders).run();
}

std::string quote_sql_identifier(std::string_view value) {
  std::string out;
  size_t start = 0;
  for (;;) {
    size_t dot = value.find('.', start);
    std::string_view part = value.substr(start, dot == std::string_view::npos ? std::string_view::npos : dot - start);
    if (part.empty() || part.size() > 63) return "";
    if (!out.empty()) out += '.';
    out += '"';
    for (char c : part) {
      if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) return "";
      out += c;
      if (c == '"') out += '"';
    }
    out += '"';
    if (dot == std::string_view::npos) return out;
    start = dot + 1;
  }
}

std::vector<std::string> identifier_names(std::string_view attribute) {
  std::vector<std::string> out;
  std::string cur;
  for (char c : attribute) {
    if (c == ',' || c == ' ') {
      if (!cur.empty()) out.push_back(std::move(cur)), cur.clear();
    } else {
      cur += c;
    }
  }
  if (!cur.empty()) out.push_back(std::move(cur));
  return out;
}

std::vector<SqlPlaceholder> sql_placeholders(const Snippet& snippet, const std::map<std::string, std::string>& values) {
  const std::string* attr = snippet.attr("ident");
  std::vector<std::string> idents = attr ? identifier_names(*attr) : std::vector<std::string>{};
  std::vector<SqlPlaceholder> out;
  for (const auto& p : snippet.params) {
    auto it = values.find(p.name);
    if (it == values.end() || p.syntax.empty()) continue;
    bool ident = std::find(idents.begin(), idents.end(), p.name) != idents.end();
    out.push_back({p.syntax, p.name, it->second, ident});
  }
  return out;
}

}  // namespace opsbook::model
