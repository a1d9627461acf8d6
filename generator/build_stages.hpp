// The stages of a portal build over one BuildState, shared by the CLI build (site.hpp: disk
// output and caches) and an in-memory server (memory_site.hpp). Each takes the sink the site goes
// to: a staged folder, an in-place update or an in-memory map.
#pragma once

#include "generator/build_state.hpp"
#include "generator/output_dir.hpp"

namespace opsbook::generator {

// Parses and renders the runbooks that changed since state.previous, keeps the others' pages (in
// parallel); fills state.summaries, state.hashes, the stats' counts and state.diagnostics.
void render_runbooks(BuildState& state, SiteWriter& out);

// The pages made of every runbook's summary: index, services, tags, sidebar script (kept when
// what they show is unchanged), the checklist view, the search page and the assets.
void write_shared_pages(const BuildState& state, SiteWriter& out);

// A site's pages: render_runbooks, then write_shared_pages. The search index (build_search,
// site_search.hpp) completes the site: a server commits the pages first and serves them while it
// builds the index (preview_build.cpp), then calls state.keep_for_next_build.
void render_pages(BuildState& state, SiteWriter& out);

}  // namespace opsbook::generator
