// The model as JSON (SPEC §4, "version": 1). Used by `inspect --json` and by later stages that
// embed model data; the schema is documented in docs/model.md.
#pragma once

#include <string>
#include <vector>

#include "runbook.hpp"

namespace opsbook::model {

inline constexpr int k_model_schema_version = 1;

// One runbook as a JSON object (compact when indent < 0). Invalid UTF-8 is replaced, never thrown.
std::string runbook_to_json(const Runbook& runbook, int indent = -1);
// A diagnostic as a JSON object.
std::string diagnostic_to_json(const Diagnostic& diagnostic);

}  // namespace opsbook::model
