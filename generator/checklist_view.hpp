// The checklist view: each runbook's sections are rendered with its page, kept in its summary, and
// concatenated into pages that are chunks of the folder tree of the runbooks with checklists
// (folder_tree.hpp): checklists.html for the top, checklists.<folder, "/" as ".">.html for the
// others (path slugs hold no '.', so names do not collide), so that no page grows with the site.
// checklists.html?id=ID finds the page holding ID.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "generator/output_dir.hpp"
#include "generator/site_context.hpp"
#include "model/runbook.hpp"

namespace opsbook::generator {

// The anchor of checklist `id` in the checklist view.
std::string checklist_anchor(std::string_view id);

// This runbook's sections of the checklist view (one checklist.mustache each).
std::string render_checklist_sections(const SiteContext& ctx, const model::Runbook& rb, const std::string& slug);

// Every page of the checklist view starts with this ("checklists.html" and "checklists.*.html").
inline constexpr const char* k_checklist_pages = "checklists.";

void write_checklist_pages(const SiteContext& ctx, SiteWriter& out, const std::vector<Summary>& summaries);

}  // namespace opsbook::generator
