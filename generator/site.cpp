// The CLI's portal build: the stages of build_stages.hpp between the build caches and the disk.
// Stages: load templates and report -> read the previous build's cache (stop if nothing changed)
// -> render changed runbooks, keep the rest -> shared pages beside the search index -> caches ->
// make the new site visible.
#include "generator/site.hpp"

#include <future>
#include <memory>

#include "generator/build_stages.hpp"
#include "generator/build_state.hpp"
#include "generator/site_cache.hpp"
#include "generator/site_search.hpp"

namespace opsbook::generator {

namespace {

BuildStats build_once(const model::Config& config, const std::vector<model::SourceFile>& files, const BuildOptions& options,
                      std::string& rendered) {
  // templates, report and the key of everything a page depends on besides its runbook
  auto state = std::make_unique<BuildState>(config, options);
  state->files = files;
  if (!state->report.note.empty()) rendered += state->report.note + "\n";
  if (!state->report.history.warning.empty()) rendered += state->report.history.warning + "\n";
  // the previous build's summaries and file hashes, when its key matches; stop when nothing changed
  if (options.incremental && read_previous_build(*state)) {
    rendered += state->diagnostics;
    return state->stats;
  }
  // Incremental builds update the live site in place (changed files only, after rendering);
  // full builds stage a complete new site and swap it in.
  std::unique_ptr<SiteWriter> out;
  if (!state->previous.empty()) out = std::make_unique<InPlaceUpdate>(state->target.string(), state->previous.files);
  else out = std::make_unique<StagingDir>(state->target.string(), state->previous.files);
  state->timer.mark("templates, report, cache");

  // parse and render what changed; keep the rest (in parallel)
  render_runbooks(*state, *out);
  // the summaries' part of the next build's cache, serialised meanwhile when pages were rendered
  std::future<std::string> summaries;
  if (state->stats.parsed > 0) summaries = std::async(std::launch::async, [&] { return serialise_summaries(*state); });
  // index, facets, sidebar script, checklists on a thread of their own while the search index is built
  auto shared_pages = std::async(std::launch::async, [&] { write_shared_pages(*state, *out); });
  build_search(*state, *out);
  write_search_cache(*state, *out);
  shared_pages.get();
  state->timer.mark("list pages (concurrent)");

  // the cache for the next build (summaries and the hash of every file), then make it visible
  write_build_cache(*state, *out, summaries.valid() ? summaries.get() : std::string());
  state->timer.mark("cache written");
  out->commit();
  state->timer.mark("site updated");
  rendered += state->diagnostics;
  BuildStats stats = state->stats;
  if (!options.free_memory) {
    // The caller exits next: leave the pages' data to the OS instead of freeing a million
    // small objects one by one (most of a second on a large site).
    park(std::move(state));
    park(std::move(out));
  }
  return stats;
}

}  // namespace

BuildStats build_site(const model::Config& config, const std::vector<model::SourceFile>& files, const BuildOptions& options,
                      std::string& rendered) {
  if (!options.incremental) return build_once(config, files, options, rendered);
  try {
    return build_once(config, files, options, rendered);
  } catch (const UnusableCache& e) {
    // Never a refusal, never output built on damaged data: say so in one line, build everything.
    BuildOptions full = options;
    full.incremental = false;
    rendered.clear();
    BuildStats stats = build_once(config, files, full, rendered);
    rendered.insert(0, std::string("opsbook: note: ") + e.what() + "; doing a full build\n");
    return stats;
  }
}

}  // namespace opsbook::generator
