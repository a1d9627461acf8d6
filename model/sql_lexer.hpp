// The one SQL tokenizer (PostgreSQL's lexical rules, plus psql backslash commands): the splitter,
// the classifier, the read-only vetting and parameter binding all read SQL through it.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace opsbook::model {

enum class SqlTokenKind {
  word,           // keyword or unquoted identifier (may contain $ after its first character)
  quoted_ident,   // "..." or U&"..."
  string,         // '...', N'...', B'...', X'...', U&'...'
  escape_string,  // E'...': backslash escapes
  dollar_string,  // $$...$$ or $tag$...$tag$
  number,
  param,          // $1
  op,             // a run of operator characters (+ - * / < > = ~ ! @ # % ^ & | ` ?)
  punct,          // ( ) [ ] , : . and anything else on its own
  semicolon,
  comment,        // -- to end of line, or /* ... */ (nested); psql's \\ separator
  meta,           // psql backslash command: to the end of the line or the next unquoted backslash
};

struct SqlToken {
  SqlTokenKind kind = SqlTokenKind::word;
  size_t begin = 0;
  size_t end = 0;            // one past the last byte
  bool unterminated = false; // a quote, dollar quote or comment runs to the end of the text
};

// Tokens of `code` in order; whitespace between them is not a token. Every byte outside
// whitespace belongs to exactly one token.
std::vector<SqlToken> lex_sql(std::string_view code);

// The token containing byte `offset`, or nullptr when it is whitespace.
const SqlToken* sql_token_at(const std::vector<SqlToken>& tokens, size_t offset);

// For quoted identifiers, strings and words: the name as PostgreSQL resolves it (words folded
// to lower case, quotes removed and "" undoubled).
std::string sql_identifier(std::string_view code, const SqlToken& token);

}  // namespace opsbook::model
