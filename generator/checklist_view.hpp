// The checklist view (checklists.html): each runbook's sections are rendered with its page, kept
// in its summary, and concatenated into the one page.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "generator/site_context.hpp"
#include "model/runbook.hpp"

namespace opsbook::generator {

// The anchor of checklist `id` in the checklist view.
std::string checklist_anchor(std::string_view id);

// This runbook's sections of the checklist view (one checklist.mustache each).
std::string render_checklist_sections(const SiteContext& ctx, const model::Runbook& rb, const std::string& slug);

std::string render_checklists_page(const SiteContext& ctx, const std::vector<Summary>& summaries);

}  // namespace opsbook::generator
