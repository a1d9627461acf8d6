// SQL statement splitting (quotes, dollar quotes, comments, psql meta-commands) and the
// read-only / mutating / destructive verdict for one statement.
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "runbook.hpp"

namespace opsbook::model {

struct SqlStatement {
  std::string text;       // without the trailing ';'
  int line_offset = 0;    // 0-based line of its first token within the code
  bool meta = false;      // psql backslash command
  bool unterminated = false;  // a quote or comment runs to the end of the code
  char open_quote = 0;    // which quote was left open
};

// Where SQL text comes from: a runbook's SQL block, where a pasted psql session ("shop=# SELECT
// ...;" then the output) is read as the statements after its prompts; or what a client reads
// (psql -c, its standard input), where a line that looks like a prompt is SQL like any other.
enum class SqlText { block, client_input };

// Splits SQL into statements.
std::vector<SqlStatement> split_sql(std::string_view code, SqlText from = SqlText::block);

// The SQL of a psql session: prompts removed, output lines blanked (line numbers kept); other
// code unchanged.
std::string strip_psql_session(std::string_view code);

struct SqlVerdict {
  Safety level = Safety::read_only;
  std::string reason;  // empty for plain reads
};

// The client that reads the SQL, where its own commands differ: psql's backslash commands and
// variables, mysql's \T (tee), \C (charset), system...
enum class SqlClient { other, psql, mysql };

// A mysql client command in its short form (\T FILE, \C X, \! CMD, \. FILE...): what it does.
SqlVerdict classify_mysql_command(std::string_view command);

// What opsbook knows of psql's variables in a session: `known`, only what -v and \set in the text
// give them (none named by digits holds text, so a[1:2] is a slice); `any`, a \gset, \prompt or
// a file may have given any of them any text, :2 of a[1:2] too.
enum class PsqlVariables { known, any };

// `numbers`: psql variables known to hold a number (psql -v N=5, \set N 5, or a placeholder,
// which the filler lets hold only a number where psql splices it): :N of these is not SQL the
// text hides, unless psql sets N itself or `vars` is `any`.
SqlVerdict classify_sql_statement(std::string_view statement, std::span<const std::string> numbers = {}, PsqlVariables vars = PsqlVariables::known);

}  // namespace opsbook::model
