// psql variables that a snippet sets from a value (psql -v NAME=VALUE, --set, --variable,
// \set NAME VALUE): psql splices a variable's text into the SQL as it stands wherever :NAME
// stands, so a value there is SQL; :'NAME' and :"NAME" are quoted by psql itself.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace opsbook::model {

// psql's short options that take a value (-c SQL, -d DB, -v NAME=V...); the others are flags.
inline constexpr std::string_view k_psql_value_letters = "hpUcdfLoFPRTv";

struct PsqlSet {
  bool found = false;    // the argument sets a psql variable
  bool in_name = false;  // byte `at` is in the variable's name, not in its value
  std::string name;
};

// Does the argument at `pos` of a command whose name is at `first` (psql, also after wrappers:
// sudo -u postgres psql ...) set a psql variable: -v NAME=V, -vNAME=V, -XvNAME=V, --set=NAME=V,
// --set NAME=V, --variable...? `at` is an offset in that argument.
PsqlSet psql_set_variable(const std::vector<std::string>& args, size_t first, size_t pos, size_t at);

// In a psql meta-command `\set NAME VALUE`: the variable when `offset` (in `meta`) is in VALUE.
PsqlSet psql_meta_set(std::string_view meta, size_t offset);

// psql's own variables: those it sets itself (ROW_COUNT and LAST_ERROR_MESSAGE after each query,
// DBNAME and ENCODING at connecting, SHELL_ERROR after \!...) and those whose value its hooks
// decide (AUTOCOMMIT, FETCH_COUNT...): whatever -v or \set gave them, psql's text stands at :NAME
// (s11a review B2: -v LAST_ERROR_MESSAGE=5, then a failed query's message was spliced in as SQL).
bool psql_own_variable(std::string_view name);

// A backslash command that sets variables from something opsbook does not read: a query's result
// (\gset), the input (\prompt), the environment (\getenv), a file or an editor (\i, \ir, \e...).
// After one, any variable may hold any text, one named by digits too (s11a review B2).
bool psql_sets_variables_from_data(std::string_view meta);

// Whether psql reads a variable at the colon at `p` of SQL (outside quotes and comments): its
// scanner takes the longest match from the left, so a run of colons pairs into `::` casts, and
// `:::x` is `::` then the variable x (s11a review B3). In doubt (a run after psql's `\:`), yes.
bool psql_colon_starts_variable(std::string_view sql, size_t p);

// Offsets in `sql` of each :NAME that psql replaces by the variable's text as it stands: in SQL
// outside quotes and comments (not :'NAME', :"NAME", nor a cast ::NAME, but the :NAME of
// :::NAME), and any :NAME in a backslash command, where psql's scanner splices ::NAME too.
std::vector<size_t> psql_plain_uses(std::string_view sql, std::string_view name);

// Is psql the command at `first` or a command it wraps, before `pos`? Its index, or args.size().
size_t psql_index(const std::vector<std::string>& args, size_t first, size_t pos);

}  // namespace opsbook::model
