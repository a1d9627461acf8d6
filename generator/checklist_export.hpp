// `opsbook checklist`: every checklist and procedure of the model, with stable step ids, the
// commands in each step (safety, parameters) and the checked state, as JSON (schema in
// schemas/checklist.schema.json) or the same tree as YAML.
#pragma once

#include <string>
#include <vector>

#include "model/runbook.hpp"

namespace opsbook::generator {

std::string checklists_json(const std::vector<model::Runbook>& runbooks);
std::string checklists_yaml(const std::vector<model::Runbook>& runbooks);

}  // namespace opsbook::generator
