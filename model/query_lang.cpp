// PromQL/LogQL by shape: selectors, ranges, functions and aggregations of the Prometheus query
// language, LogQL stream selectors and pipes; a bracket, quote and duration check.
#include "query_lang.hpp"

#include <algorithm>
#include <array>

#include "command_shape.hpp"
#include "text.hpp"

namespace opsbook::model {

namespace {

constexpr std::array<std::string_view, 69> k_functions = {
    "abs", "absent", "absent_over_time", "avg", "avg_over_time", "bottomk", "ceil", "changes", "clamp", "clamp_max",
    "clamp_min", "count", "count_over_time", "count_values", "day_of_month", "day_of_week", "days_in_month", "delta",
    "deriv", "exp", "floor", "group", "histogram_quantile", "holt_winters", "hour", "idelta", "increase", "irate",
    "label_join", "label_replace", "last_over_time", "ln", "log2", "log10", "max", "max_over_time", "min",
    "min_over_time", "minute", "month", "predict_linear", "present_over_time", "quantile", "quantile_over_time",
    "rate", "resets", "round", "scalar", "sgn", "sort", "sort_desc", "sqrt", "stddev", "stddev_over_time", "stdvar",
    "stdvar_over_time", "sum", "sum_over_time", "time", "timestamp", "topk", "vector", "year", "bytes_over_time",
    "bytes_rate", "rate_counter", "first_over_time", "limitk", "approx_topk"};

constexpr std::array<std::string_view, 12> k_aggregations = {"sum", "avg", "min", "max", "count", "group", "stddev",
                                                             "stdvar", "topk", "bottomk", "quantile", "count_values"};

QueryLang query_shape(std::string_view t);

bool is_metric_char(char c) { return is_ident_char(c) || c == ':'; }

bool is_function(std::string_view name) {
  return std::find(k_functions.begin(), k_functions.end(), name) != k_functions.end();
}

bool is_aggregation(std::string_view name) {
  return std::find(k_aggregations.begin(), k_aggregations.end(), name) != k_aggregations.end();
}

struct OpenQuote {
  char quote = 0;  // 0 when every quote closed
  size_t at = 0;
};

// Calls visit(offset, bracket) for each bracket outside quotes from `from` on, until it returns
// false; reports the quote left open at the end.
template <class Visit>
OpenQuote walk_brackets(std::string_view s, size_t from, Visit visit) {
  OpenQuote open;
  for (size_t i = from; i < s.size(); ++i) {
    char c = s[i];
    if (open.quote != 0) {
      if (c == '\\') ++i;
      else if (c == open.quote) open.quote = 0;
      continue;
    }
    if (c == '"' || c == '\'' || c == '`') open = {c, i};
    else if ((c == '(' || c == '[' || c == '{' || c == ')' || c == ']' || c == '}') && !visit(i, c)) break;
  }
  return open;
}

// Index just past a balanced bracket group starting at `open`, or npos.
size_t skip_group(std::string_view s, size_t open) {
  int depth = 0;
  size_t end = std::string_view::npos;
  walk_brackets(s, open, [&](size_t i, char c) {
    depth += (c == '(' || c == '[' || c == '{') ? 1 : -1;
    if (depth == 0) end = i + 1;
    return depth != 0;
  });
  return end;
}

// `{app="x", env=~"prod.*"}`: label matchers with = =~ != !~ and a quoted value.
bool is_label_matchers(std::string_view s) {
  if (s.size() < 2 || s.front() != '{' || s.back() != '}') return false;
  std::string_view inner = trim(s.substr(1, s.size() - 2));
  if (inner.empty()) return true;
  size_t i = 0;
  while (i < inner.size() && is_ident_char(inner[i])) ++i;
  if (i == 0) return false;
  while (i < inner.size() && inner[i] == ' ') ++i;
  std::string_view op = inner.substr(i, 2);
  return op.starts_with('=') || op == "!=" || op == "!~";
}

bool is_number(std::string_view s) {
  if (s.empty()) return false;
  return std::all_of(s.begin(), s.end(), [](char c) { return (c >= '0' && c <= '9') || c == '.' || c == 'e' || c == '+' || c == '-'; }) &&
         s[0] != 'e';
}

// What follows a selector in Prometheus' exposition format: "402" or "1 1700000000000".
bool is_sample_value(std::string_view rest) {
  rest = trim(rest);
  if (rest.empty()) return false;
  size_t sp = rest.find(' ');
  if (!is_number(rest.substr(0, sp)) && rest.substr(0, sp) != "NaN" && rest.substr(0, sp) != "+Inf") return false;
  return sp == std::string_view::npos || is_number(trim(rest.substr(sp)));
}

bool starts_with_operator(std::string_view t) {
  for (std::string_view op : {"/", "*", "+", "-", "%", "^", ">", "<", "==", "!=", "and ", "or ", "unless ", ")", "]", "}",
                              "by ", "by(", "without", "on(", "on (", "ignoring", "group_left", "group_right", "offset ", "bool "}) {
    if (t.starts_with(op)) return true;
  }
  return false;
}

bool ends_with_operator(std::string_view t) {
  if (t.empty()) return false;
  char c = t.back();
  if (c == '(' || c == '[' || c == '{' || c == ',' || c == '/' || c == '*' || c == '+' || c == '-' || c == '>' || c == '<' || c == '=') return true;
  for (std::string_view word : {" and", " or", " unless", " by", " without"}) {
    if (t.ends_with(word)) return true;
  }
  // `sum without(grpc_type)` at the end of a line: the aggregated expression follows.
  size_t open = t.rfind('(');
  if (t.back() == ')' && open != std::string_view::npos) {
    std::string_view before = trim(t.substr(0, open));
    return before.ends_with(" by") || before.ends_with(" without") || before == "by" || before == "without" ||
           before.ends_with("without") || before.ends_with(" by");
  }
  return false;
}

// Bracket depth change of a line.
int depth_change(std::string_view s) {
  int depth = 0;
  walk_brackets(s, 0, [&](size_t, char c) {
    depth += (c == '(' || c == '[' || c == '{') ? 1 : -1;
    return true;
  });
  return depth;
}

bool valid_duration(std::string_view d) {
  d = trim(d);
  if (d.empty()) return false;
  if (d[0] == '$') return true;  // Grafana: $__rate_interval, ${window}
  size_t i = 0;
  while (i < d.size()) {
    size_t digits = i;
    while (i < d.size() && d[i] >= '0' && d[i] <= '9') ++i;
    if (i == digits) return false;
    if (d.substr(i, 2) == "ms") {
      i += 2;
      continue;
    }
    if (i >= d.size() || std::string_view("smhdwy").find(d[i]) == std::string_view::npos) return false;
    ++i;
  }
  return true;
}

}  // namespace

std::string_view to_string(QueryLang lang) {
  switch (lang) {
    case QueryLang::promql: return "promql";
    case QueryLang::logql: return "logql";
    case QueryLang::search: return "search";
    case QueryLang::none: return "";
  }
  return "";
}

QueryLang query_lang_of_tag(std::string_view tag) {
  if (tag == "promql" || tag == "prometheus" || tag == "metricsql" || tag == "pql") return QueryLang::promql;
  if (tag == "logql" || tag == "loki") return QueryLang::logql;
  return QueryLang::none;
}

namespace {

// A search term: a quoted phrase, or a word or field:value without shell punctuation.
bool is_search_term(std::string_view w) {
  while (!w.empty() && w.front() == '(') w.remove_prefix(1);
  while (!w.empty() && w.back() == ')') w.remove_suffix(1);
  if (w.size() >= 2 && w.front() == '"' && w.back() == '"') return true;
  return !w.empty() && w.front() != '-' && std::all_of(w.begin(), w.end(), [](char c) { return is_ident_char(c) || std::string_view(".:/@*-~").find(c) != std::string_view::npos; });
}

// "curl AND \"gitlab-pages\"", "status:500 OR status:502": terms and at least one upper-case
// boolean operator between them. Quoted phrases may hold blanks.
bool is_boolean_search(std::string_view t) {
  std::vector<std::string_view> words;
  for (size_t i = 0; i < t.size();) {
    if (t[i] == ' ') {
      ++i;
      continue;
    }
    size_t end = i;
    bool quoted = false;
    while (end < t.size() && (quoted || t[end] != ' ')) {
      if (t[end] == '"') quoted = !quoted;
      ++end;
    }
    if (quoted) return false;
    words.push_back(t.substr(i, end - i));
    i = end;
  }
  bool op = false, term_before = false;
  for (std::string_view w : words) {
    if (w == "AND" || w == "OR") {
      if (!term_before) return false;
      op = true;
      term_before = false;
      continue;
    }
    if (w == "NOT") {  // "NOT status:200", "a AND NOT b"
      term_before = false;
      continue;
    }
    if (!is_search_term(w)) return false;
    term_before = true;
  }
  return op && term_before;
}

// `protoPayload.methodName="delete"`, `labels."k8s-pod/app"!="web"`: a dotted field, a comparison
// and a quoted value, nothing after it.
bool is_field_filter(std::string_view t) {
  size_t op = t.find_first_of("=!:<>");
  if (op == std::string_view::npos || op == 0) return false;
  std::string_view field = t.substr(0, op);
  if (field.find('.') == std::string_view::npos || field.front() == '.' || field.back() == '.') return false;
  if (!std::all_of(field.begin(), field.end(), [](char c) { return is_ident_char(c) || c == '.' || c == '"' || c == '-' || c == '/'; })) return false;
  std::string_view rest = t.substr(op);
  for (std::string_view cmp : {"=~", "!~", "!=", ">=", "<=", "=", ":", ">", "<"}) {
    if (!rest.starts_with(cmp)) continue;
    std::string_view value = trim(rest.substr(cmp.size()));
    return value.size() >= 2 && value.front() == '"' && value.back() == '"' && value.find('"', 1) == value.size() - 1;
  }
  return false;
}

}  // namespace

QueryLang detect_query(std::string_view line) {
  std::string_view t = trim(line);
  QueryLang lang = query_shape(t);
  // A line that reads as a shell command is one, whatever brackets it holds.
  if (lang == QueryLang::promql && shell_evidence(t) == ShellEvidence::strong) return QueryLang::none;
  if (lang == QueryLang::none && !t.empty() && (is_boolean_search(t) || is_field_filter(t))) return QueryLang::search;
  return lang;
}

namespace {

QueryLang query_shape(std::string_view t) {
  if (t.empty() || t[0] == '#' || t[0] == '$') return QueryLang::none;
  // LogQL: a stream selector, then pipes or nothing.
  if (t[0] == '{') {
    size_t end = skip_group(t, 0);
    if (end == std::string_view::npos || !is_label_matchers(t.substr(0, end))) return QueryLang::none;
    std::string_view rest = trim(t.substr(end));
    if (rest.empty() || rest.starts_with('|') || rest.starts_with("!=") || rest.starts_with("!~")) return QueryLang::logql;
    return QueryLang::none;
  }
  size_t i = 0;
  while (i < t.size() && (t[i] == '(' || t[i] == ' ')) ++i;
  // A number in front of an operator: "100 * sum(...)", "1 - avg(...)".
  size_t num = i;
  while (i < t.size() && ((t[i] >= '0' && t[i] <= '9') || t[i] == '.')) ++i;
  if (i > num) {
    std::string_view rest = trim(t.substr(i));
    if (rest.empty() || std::string_view("*/+-").find(rest[0]) == std::string_view::npos) return QueryLang::none;
    return query_shape(trim(rest.substr(1)));
  }
  size_t name_start = i;
  while (i < t.size() && is_metric_char(t[i])) ++i;
  std::string_view name = t.substr(name_start, i - name_start);
  if (name.empty() || !(is_ident_start(name[0]) || name[0] == ':')) return QueryLang::none;
  std::string_view rest = t.substr(i);
  bool metric_like = name.find('_') != std::string_view::npos || name.find(':') != std::string_view::npos;
  if (rest.starts_with('{')) {
    size_t end = skip_group(t, i);
    if (end == std::string_view::npos) return name_start == 0 || metric_like ? QueryLang::promql : QueryLang::none;
    if (!is_label_matchers(t.substr(i, end - i))) return QueryLang::none;
    std::string_view after = t.substr(end);
    if (is_sample_value(after)) return QueryLang::none;  // exposition format: output, not a query
    bool logql_pipe = trim(after).starts_with('|');
    return logql_pipe ? QueryLang::logql : QueryLang::promql;
  }
  if (rest.starts_with('(')) {
    if (!is_function(name)) return QueryLang::none;
    // LogQL functions take a stream selector: count_over_time({app="x"}[5m]).
    size_t brace = rest.find('{');
    if (brace != std::string_view::npos && brace < 3) return QueryLang::logql;
    return QueryLang::promql;
  }
  if (rest.starts_with('[') && metric_like) {
    size_t end = rest.find(']');
    return end != std::string_view::npos && valid_duration(rest.substr(1, end - 1)) ? QueryLang::promql : QueryLang::none;
  }
  std::string_view after = trim(rest);
  if (is_aggregation(name) && (after.starts_with("by") || after.starts_with("without"))) {
    std::string_view clause = trim(after.substr(after.starts_with("by") ? 2 : 7));
    return clause.starts_with('(') ? QueryLang::promql : QueryLang::none;
  }
  // "up == 0", "node_load1 > 2", "a_total / b_total": a metric compared or combined.
  if (metric_like && !after.empty()) {
    for (std::string_view op : {"==", "!=", ">=", "<=", "> ", "< ", "/ ", "* ", "+ ", "- ", "and ", "or ", "unless "}) {
      if (!after.starts_with(op)) continue;
      // The other side is a number or a series, not a file: "x_total > 0.5", not "my_script > out.txt".
      std::string_view rhs = trim(after.substr(op.size()));
      std::string_view word = rhs.substr(0, rhs.find_first_of(" ()"));
      bool file = word.find('/') != std::string_view::npos ||
                  (word.find('.') != std::string_view::npos && !is_number(word));
      return file ? QueryLang::none : QueryLang::promql;
    }
  }
  if (name == "up" && (after.starts_with("==") || after.starts_with("!="))) return QueryLang::promql;
  return QueryLang::none;
}

}  // namespace

QuerySpan query_span_at(const std::vector<std::string_view>& lines, size_t at, bool whole_block) {
  std::string_view t = trim(lines[at]);
  QuerySpan span{at, at, QueryLang::none};
  if (t.empty() || (t[0] == '#' && !whole_block)) return span;
  QueryLang lang = detect_query(t);
  if (lang == QueryLang::none && !whole_block) return span;
  if (lang == QueryLang::none) lang = t.starts_with('{') ? QueryLang::logql : QueryLang::promql;
  span.lang = lang;
  int depth = depth_change(t);
  std::string_view last = t;
  while (span.last + 1 < lines.size()) {
    std::string_view next = trim(lines[span.last + 1]);
    if (next.empty()) break;
    bool goes_on = depth > 0 || ends_with_operator(last) || starts_with_operator(next) || (whole_block && next.starts_with('(')) ||
                   (lang == QueryLang::search && detect_query(next) == QueryLang::search);
    if (!goes_on) break;
    ++span.last;
    depth += depth_change(next);
    last = next;
  }
  return span;
}

std::vector<QuerySpan> query_spans(const std::vector<std::string_view>& lines, bool whole_block) {
  std::vector<QuerySpan> out;
  for (size_t i = 0; i < lines.size(); ++i) {
    QuerySpan span = query_span_at(lines, i, whole_block);
    if (span.lang == QueryLang::none) continue;
    out.push_back(span);
    i = span.last;
  }
  return out;
}

std::vector<QueryProblem> check_query(std::string_view text) {
  std::vector<QueryProblem> out;
  std::vector<size_t> open;  // offsets of open brackets
  OpenQuote quote = walk_brackets(text, 0, [&](size_t i, char c) {
    if (c == '(' || c == '[' || c == '{') {
      open.push_back(i);
      return true;
    }
    char want = c == ')' ? '(' : c == ']' ? '[' : '{';
    if (open.empty() || text[open.back()] != want) {
      out.push_back({i, std::string("'") + c + "' closes nothing" + (open.empty() ? "" : std::string(" (the '") + text[open.back()] + "' before it is still open)"),
                     "balance the brackets of the expression"});
      return false;
    }
    if (c == ']') {
      std::string_view range = text.substr(open.back() + 1, i - open.back() - 1);
      size_t colon = range.find(':');
      bool ok = valid_duration(range.substr(0, colon)) && (colon == std::string_view::npos || trim(range.substr(colon + 1)).empty() || valid_duration(range.substr(colon + 1)));
      if (!ok) out.push_back({open.back(), "range '[" + std::string(range) + "]' is not a duration", "write a duration such as [5m], [1h30m] or [$__rate_interval]"});
    }
    open.pop_back();
    return true;
  });
  if (!out.empty() && out.back().message.find("closes nothing") != std::string::npos) return out;
  if (quote.quote != 0) out.push_back({quote.at, std::string("string opened with ") + quote.quote + " is never closed", "close the quote"});
  else if (!open.empty()) out.push_back({open.back(), std::string("'") + text[open.back()] + "' is never closed", "balance the brackets of the expression"});
  return out;
}

}  // namespace opsbook::model
