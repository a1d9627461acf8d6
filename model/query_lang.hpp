// Query languages written in runbooks (PromQL, LogQL): recognised by their shape wherever they
// appear (a `promql` fence, a `sh` fence, no fence tag), and given a light syntax check.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace opsbook::model {

// search: log search filters (Kibana/Lucene/KQL `"gitlab-pages" AND 404`, Cloud Logging
// `protoPayload.methodName="delete"`), typed into a search box, never run by a shell.
enum class QueryLang { none, promql, logql, search };

std::string_view to_string(QueryLang lang);

// The query language of a fence tag ("promql", "logql", "metricsql"...), or none.
QueryLang query_lang_of_tag(std::string_view tag);

// Whether one line starts an expression: a selector `name{label="x"}`, a range `name[5m]`, a
// PromQL function or aggregation `rate(`, `sum by (job) (`, a comparison of a metric, a LogQL
// stream selector `{app="x"} |= "err"`. A line that reads as a shell command never is PromQL.
// Search filters: terms joined by upper-case AND / OR / NOT, or a dotted field compared with a
// quoted value (`resource.type="gce_instance"`: no shell variable has a dot in its name).
QueryLang detect_query(std::string_view line);

// One expression of a block, possibly over several lines (brackets still open, the next line
// goes on with an operator or `by (`, or a search filter's next line is another filter: the
// lines of a Cloud Logging filter are ANDed).
struct QuerySpan {
  size_t first = 0;  // 0-based line indexes, inclusive
  size_t last = 0;
  QueryLang lang = QueryLang::none;
};
// The expression that starts at line `at` (lang none when none does).
QuerySpan query_span_at(const std::vector<std::string_view>& lines, size_t at, bool whole_block);

// The expressions of a block's lines. With `whole_block` every non-blank line belongs to one
// (a `promql` fence); otherwise only lines detect_query() recognises start one.
std::vector<QuerySpan> query_spans(const std::vector<std::string_view>& lines, bool whole_block);

// Light syntax check: balanced (), [], {}, closed quotes, durations in ranges ("[5m]", "[1h:5m]",
// "[$__rate_interval]"). Each problem has the byte offset in `text` it points at.
struct QueryProblem {
  size_t offset = 0;
  std::string message;
  std::string hint;
};
std::vector<QueryProblem> check_query(std::string_view text);

}  // namespace opsbook::model
