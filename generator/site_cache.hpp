// The build caches in the site folder, for the next CLI build: `.opsbook-cache` (every runbook's
// summary, the shared pages' hashes, every site file's hash) and `.opsbook-search-cache` (the search
// index in term-id form). Their key holds everything a page depends on besides its runbook; a cache
// with another key is ignored. Both are sealed (cache_io.hpp): one that is cut short, damaged or of
// another version throws UnusableCache, and build_site says so and builds everything.
#pragma once

#include <string>

#include "generator/build_state.hpp"
#include "generator/cache_io.hpp"
#include "model/error.hpp"

namespace opsbook::generator {

inline constexpr const char* k_cache_file = ".opsbook-cache";
inline constexpr const char* k_search_cache_file = ".opsbook-search-cache";

// Reads the previous build's cache into state.previous. Returns true when the site is up to date
// (same files, same contents): then state.stats and state.diagnostics are filled, having read only
// the files' stamps, and the build is done.
bool read_previous_build(BuildState& state);

// Fills state.previous's search index from the search cache unless it is in memory already;
// throws UnusableCache when the cache does not match the previous build.
void load_previous_search(BuildState& state);

// Writes `.opsbook-search-cache` when this build made a new search index.
void write_search_cache(BuildState& state, SiteWriter& out);

// The summaries' part of `.opsbook-cache` (serialised while the shared pages are rendered).
std::string serialise_summaries(const BuildState& state);

// Writes both caches (unless nothing changed) and fills stats.files and stats.written.
// `summaries` is serialise_summaries' result, or empty to serialise them now.
void write_build_cache(BuildState& state, SiteWriter& out, std::string summaries);

// The error for a previous build whose cache and files disagree: build_site then does a full build.
UnusableCache stale_cache(const std::string& what);

}  // namespace opsbook::generator
