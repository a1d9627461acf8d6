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

// Offsets in `sql` of each :NAME that psql replaces by the variable's text as it stands: in SQL
// outside quotes and comments (not :'NAME', :"NAME", nor a cast ::NAME), and any :NAME in a
// backslash command (\! runs it in a shell).
std::vector<size_t> psql_plain_uses(std::string_view sql, std::string_view name);

// Is psql the command at `first` or a command it wraps, before `pos`? Its index, or args.size().
size_t psql_index(const std::vector<std::string>& args, size_t first, size_t pos);

}  // namespace opsbook::model
