// Which variables of a shell snippet hold a parameter's value: assigned from a placeholder, or from
// another such variable (NAME=, export/declare/local NAME=, read, mapfile, for NAME in, printf -v),
// so that the filler judges every use of them as it judges the placeholder itself.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "model/runbook.hpp"
#include "model/shell_lexer.hpp"

namespace opsbook::runner {

// Bytes of the snippet where a parameter's value stands (a placeholder).
struct TaintSource {
  size_t begin = 0, end = 0;
  const model::Param* param = nullptr;
};

struct TaintedVariable {
  std::string name;
  std::vector<const model::Param*> params;  // whose values it may hold
  bool exported = false;                    // child processes (bash -c '...') see it too
};

// Every variable that may hold a value of `sources` or of a `given` variable (followed
// transitively; flow-insensitive: a use before the assignment counts too, as in a loop). The
// `given` variables are included.
std::vector<TaintedVariable> tainted_variables(const model::shell::Script& script, const std::vector<TaintSource>& sources,
                                               const std::vector<TaintedVariable>& given);

// Offsets of the `$` of each expansion of variable `name` in `code`: $name, ${name...}, ${!name}
// (not ${#name}, its length, a number).
std::vector<size_t> references(std::string_view code, std::string_view name);

// Offsets where `name` stands as a bare identifier (not after $ or ${): what arithmetic reads as
// a variable.
std::vector<size_t> bare_names(std::string_view code, std::string_view name);

}  // namespace opsbook::runner
