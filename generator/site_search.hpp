// The build's search stage: the index of every page (updated in place when the same pages are in
// the same order, else rebuilt), its shard files and the fragment files (title, URL, excerpt of
// each page; kept pages' fragments come from the previous build's files).
#pragma once

#include "generator/build_state.hpp"

namespace opsbook::generator {

// Writes search/ unless what it is made of is unchanged; fills state.search (search_built) and
// stats.search_shards/search_terms.
void build_search(BuildState& state, SiteWriter& out);

}  // namespace opsbook::generator
