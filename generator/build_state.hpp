// The state of a portal build, shared by its stages: the inputs (configuration, templates, check
// report, source files), what is known of the previous build, and what this build made. A CLI
// build reads the previous build from the site's caches (site_cache.hpp); a server keeps the state
// in memory between builds (keep_for_next_build) and re-runs the stages for what changed.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "generator/output_dir.hpp"
#include "generator/report.hpp"
#include "generator/runbook_summary.hpp"
#include "generator/search_index.hpp"
#include "generator/site.hpp"
#include "generator/site_context.hpp"
#include "generator/templates.hpp"
#include "model/config.hpp"
#include "model/loader.hpp"

namespace opsbook::generator {

// Hashes of what the shared pages are made of: equal hashes mean the previous files still hold.
struct SharedHashes {
  uint64_t lists = 0, checklists = 0, search = 0;
};

// Fills the summaries' lists_hash where it is 0.
SharedHashes shared_hashes(std::vector<Summary>& summaries, const Report& report);

// The previous build, as a rebuild needs it.
struct PreviousBuild {
  std::unordered_map<std::string, Summary> summaries;  // by source path
  SharedHashes hashes;
  FileHashes files;  // the site's files and their hashes
  // Its search index in term-id form and, per page of it, the source path and search hash. Kept in
  // memory by a server; a CLI build reads them from the search cache when it needs them.
  bool search_loaded = false;
  SearchIndexData search;
  std::vector<std::string> search_paths;
  std::vector<uint64_t> search_hashes;

  [[nodiscard]] bool empty() const { return summaries.empty(); }
};

// OPSBOOK_TIMING=1 prints how long each stage took (for bench/ and profiling).
class StageTimer {
 public:
  StageTimer();
  void mark(const char* stage);

 private:
  bool m_on;
  std::chrono::steady_clock::time_point m_last;
};

struct BuildState {
  // Loads the templates and the check report; throws opsbook::Error when either is unusable.
  BuildState(model::Config config_in, BuildOptions options_in);

  model::Config config;
  BuildOptions options;
  Templates templates;
  Report report;
  uint64_t key = 0;               // of everything a page depends on besides its runbook
  std::filesystem::path target;   // the site folder (options.output, absolute)
  [[nodiscard]] SiteContext context() const { return {config, templates, report}; }

  std::vector<model::SourceFile> files;
  std::vector<FileState> file_state;  // per file, what was learnt before parsing
  PreviousBuild previous;

  // Made by this build.
  std::vector<Summary> summaries;  // per file
  SharedHashes hashes;             // of `summaries`, once the runbooks are rendered
  bool search_built = false;       // `search` holds the index of `summaries` (else it was kept)
  SearchIndexData search;
  BuildStats stats;
  std::string diagnostics;  // the runbooks' diagnostics, rendered
  StageTimer timer;

  // After a build that made the site `site_files`: this build becomes the previous one, and the
  // state is ready for the next build (set `files`, run the stages again).
  void keep_for_next_build(FileHashes site_files);
};

// Keeps `value` alive until the process exits, for builds whose caller exits right after
// (BuildOptions::free_memory false); reachable from a global, so leak checkers stay quiet.
template <typename T>
void park(T&& value) {
  static auto* parked = new std::vector<std::shared_ptr<void>>();
  parked->push_back(std::make_shared<std::decay_t<T>>(std::forward<T>(value)));
}

}  // namespace opsbook::generator
