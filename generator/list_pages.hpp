// The pages that list runbooks, none growing with the site: the index and folder pages (chunks of
// the folder tree), every runbook by title, the services and tags pages (an index of names, one
// list per name), all paged; and the sidebar scripts (nav_script.hpp).
#pragma once

#include <vector>

#include "generator/output_dir.hpp"
#include "generator/site_context.hpp"

namespace opsbook::generator {

// Folders holding every list page and sidebar script but index.html and assets/nav.js.
inline constexpr const char* k_list_folders[] = {"folders", "lists", "services", "tags", "assets/nav"};

// Services or tags written differently that become one page ("DB" and "db"): a page-collision
// error for each runbook naming a second spelling, rendered; `errors` counts them.
std::string facet_collisions(const std::vector<Summary>& summaries, size_t& errors);

// Writes index.html, folders/, lists/, services/, tags/, assets/nav.js and assets/nav/.
void write_list_pages(const SiteContext& ctx, SiteWriter& out, const std::vector<Summary>& summaries);

}  // namespace opsbook::generator
