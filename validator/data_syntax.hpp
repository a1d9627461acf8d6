// The data-syntax rule: JSON, YAML and .env/ini blocks must parse (excerpts with "..." are skipped).
#pragma once

#include "model/runbook.hpp"

namespace opsbook::validator {

class FindingSink;

void check_data(FindingSink& sink, const model::Snippet& s);

}  // namespace opsbook::validator
