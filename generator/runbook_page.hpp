// A runbook's page: the layout with its table of contents, the article frame (badges, metadata,
// problems, checklists, incident data) and the body from the parser, with snippet badges.
#pragma once

#include <string>

#include "generator/site_context.hpp"
#include "model/runbook.hpp"

namespace opsbook::generator {

// The page `rel` (below the site root) of runbook `rb`, whose summary is `s`.
std::string render_runbook_page(const SiteContext& ctx, const model::Runbook& rb, const Summary& s, const std::string& rel);

// Replaces the body's <!--opsbook-status:ID--> markers with the report's badge for snippet ID and
// what the check history says of it, and its <!--opsbook-row:LINE--> markers (endpoint and port
// rows) with what the history says of the checks on that line.
std::string apply_snippet_status(const std::string& html, const model::Runbook& rb, const Report& report);

}  // namespace opsbook::generator
