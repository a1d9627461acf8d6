// The powershell-syntax rule: quotes, brackets and here-strings must balance.
#pragma once

#include "model/runbook.hpp"

namespace opsbook::validator {

class FindingSink;

void check_powershell(FindingSink& sink, const model::Snippet& s);

}  // namespace opsbook::validator
