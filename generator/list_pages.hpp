// The pages that list runbooks: the index (grouped by folder), the services and tags pages (one
// per name, and an index of names), and the sidebar script.
#pragma once

#include <vector>

#include "generator/output_dir.hpp"
#include "generator/site_context.hpp"

namespace opsbook::generator {

// Writes index.html, services/, tags/ and assets/nav.js.
void write_list_pages(const SiteContext& ctx, SiteWriter& out, const std::vector<Summary>& summaries);

}  // namespace opsbook::generator
