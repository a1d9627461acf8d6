// The broken-link and malformed-url rules: relative links must reach existing files and headings
// (of any runbook of the run), external http(s) links must be well-formed.
#pragma once

#include <map>
#include <string>

#include "model/runbook.hpp"

namespace opsbook::validator {

class FindingSink;

// by_path: every runbook of the run by its lexically normal path (link targets).
void check_links(FindingSink& sink, const model::Runbook& rb, const std::map<std::string, const model::Runbook*>& by_path);

}  // namespace opsbook::validator
