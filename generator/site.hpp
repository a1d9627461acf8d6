// opsbook build: the portal. Parses what changed, renders pages, list pages, the checklist
// view, the sidebar script and the search index into a staging folder, then swaps it in.
#pragma once

#include <atomic>
#include <string>
#include <vector>

#include "model/config.hpp"
#include "model/diagnostic.hpp"
#include "model/loader.hpp"

namespace opsbook::generator {

struct BuildOptions {
  std::string output;        // site folder
  std::string report;        // optional check report for badges
  unsigned jobs = 0;
  bool incremental = true;   // reuse pages of unchanged runbooks from the previous build
  bool free_memory = true;   // false: the caller exits right after, so the build's data is not freed
  std::atomic<size_t>* progress = nullptr;  // when set, counts the runbooks rendered or kept (for a progress line)
};

struct BuildStats {
  size_t runbooks = 0;
  size_t parsed = 0;    // runbooks read and rendered this time
  size_t reused = 0;    // runbooks whose page came from the previous build
  size_t unread = 0;    // of `parsed`, files that are no runbook (binary, CR line endings): no page
  size_t files = 0;     // files in the site
  size_t written = 0;   // files written this time (incremental builds skip unchanged ones)
  size_t search_shards = 0;
  size_t search_terms = 0;
  size_t errors = 0;    // runbooks' error diagnostics (the pages still build)
  size_t warnings = 0;
};

// The runbooks' diagnostics are rendered into `diagnostics` (a broken runbook still gets a page
// that shows them); failures of the environment throw opsbook::Error and leave the old site intact.
BuildStats build_site(const model::Config& config, const std::vector<model::SourceFile>& files,
                      const BuildOptions& options, std::string& diagnostics);

}  // namespace opsbook::generator
