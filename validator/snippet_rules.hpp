// Rules on one snippet and its page: destructive-unguarded (no run attribute and no warning
// nearby) and unexplained-placeholder (a placeholder the page's text never mentions).
#pragma once

#include "model/runbook.hpp"

namespace opsbook::validator {

class FindingSink;

void check_destructive_guard(FindingSink& sink, const model::Runbook& rb, const model::Snippet& s);
void check_placeholders(FindingSink& sink, const model::Runbook& rb, const model::Snippet& s);

}  // namespace opsbook::validator
