// What every page of the portal is rendered with (configuration, templates, check report), the
// layout's data for a page, and a runbook's validation status.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "generator/report.hpp"
#include "generator/runbook_summary.hpp"
#include "generator/templates.hpp"
#include "model/config.hpp"

namespace opsbook::generator {

struct SiteContext {
  const model::Config& config;
  const Templates& templates;
  const Report& report;
};

// Markers for large bodies: rendered frames get the body spliced in instead of copying it
// through the template engine.
inline constexpr std::string_view k_body_marker = "\x01opsbook-body\x01";
inline constexpr std::string_view k_content_marker = "\x01opsbook-content\x01";

// "../" once per folder of a page path below the site root.
std::string root_for(const std::string& rel_page);

// layout.mustache's data for the page `rel_page`.
Data layout_data(const SiteContext& ctx, const std::string& rel_page, const std::string& title, const std::string& body_class);

// The page name of a service or tag below services/ or tags/: its slug, except that "index" is
// the overview's own name and becomes "_index" (a tag `index` replaced the tags overview).
std::string facet_slug(std::string_view name);

// [{name, slug}] for services and tags.
Data string_list(const std::vector<std::string>& names);

struct Status {
  std::string css;  // verified | failing | never | stale
  std::string text;
  std::string env, time;  // verified: on which environment and when (UTC); the page shows the age
};

// A runbook's badge: failing on errors or failed checks of its text, verified when a live check
// passed and every check it has now is covered by a result of its text (model/check_digest);
// "changed since verified" when a checked text changed or a check was added since; for runbooks
// the report does not settle, what the check history says (verified, stale, failing).
Status page_status(const Summary& s, const Report& report);

}  // namespace opsbook::generator
