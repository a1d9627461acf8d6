// The sql-syntax rule over the statements of the one SQL splitter (model/sql).
#include "validator/sql_syntax.hpp"

#include "model/sql.hpp"
#include "model/sql_lexer.hpp"
#include "validator/finding_sink.hpp"

namespace opsbook::validator {

void check_sql(FindingSink& sink, const model::Snippet& s) {
  for (const auto& st : model::split_sql(s.code)) {
    int line = s.code_line + st.line_offset;
    if (st.unterminated) {
      std::string what = st.open_quote == '*' ? "a /* comment" : st.open_quote == '$' ? "a $$ quoted string" : std::string("a ") + st.open_quote + " quoted string";
      sink.add("sql-syntax", line, 0, what + " is never closed", "close it; the statement would swallow the rest of the snippet", s.id);
      continue;
    }
    int depth = 0;  // parentheses outside quotes, dollar quotes and comments, by the SQL tokenizer
    for (const auto& t : model::lex_sql(st.text)) {
      if (t.kind != model::SqlTokenKind::punct) continue;
      if (st.text[t.begin] == '(') ++depth;
      else if (st.text[t.begin] == ')' && --depth < 0) break;
    }
    if (depth != 0) {
      sink.add("sql-syntax", line, 0, depth > 0 ? "unbalanced parentheses: " + std::to_string(depth) + " '(' not closed" : "unbalanced parentheses: ')' without '('",
               "balance the parentheses", s.id);
    }
  }
}

}  // namespace opsbook::validator
