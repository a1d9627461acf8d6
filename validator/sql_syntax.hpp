// The sql-syntax rule: statements must not leave strings, comments or parentheses open.
#pragma once

#include "model/runbook.hpp"

namespace opsbook::validator {

class FindingSink;

void check_sql(FindingSink& sink, const model::Snippet& s);

}  // namespace opsbook::validator
