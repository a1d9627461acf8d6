// The build state: inputs loaded once, the previous build handed on to the next one.
#include "generator/build_state.hpp"

#include <cstdio>
#include <cstdlib>
#include <ctime>

namespace opsbook::generator {

namespace fs = std::filesystem;

StageTimer::StageTimer() : m_on(std::getenv("OPSBOOK_TIMING") != nullptr), m_last(std::chrono::steady_clock::now()) {}

void StageTimer::mark(const char* stage) {
  if (!m_on) return;
  auto now = std::chrono::steady_clock::now();
  std::fprintf(stderr, "  %-28s %7.3f s\n", stage, std::chrono::duration<double>(now - m_last).count());
  m_last = now;
}

BuildState::BuildState(model::Config config_in, BuildOptions options_in)
    : config(std::move(config_in)),
      options(std::move(options_in)),
      templates(config.templates.empty() ? std::string() : config.resolve(config.templates)),
      report(options.report.empty() ? Report{} : load_report(options.report)) {
  key = templates.hash();
  key = fnv1a(config.site_title, key);
  key = fnv1a(config.repo_url, key);
  if (report.loaded) key = fnv1a(std::to_string(report.hash), key);
  report.history = load_history_view(config, std::time(nullptr));
  if (report.history.loaded) key = fnv1a(std::to_string(report.history.hash), key);
  if (!options.output.empty()) {
    target = fs::absolute(options.output).lexically_normal();
    if (target.filename().empty()) target = target.parent_path();
  }
}

SharedHashes shared_hashes(const std::vector<Summary>& summaries, const Report& report) {
  SharedHashes h{k_fnv_offset, k_fnv_offset, k_fnv_offset};
  auto mix = [](uint64_t& acc, std::string_view v) { acc = fnv1a(v, fnv1a(std::string_view("\x1f", 1), acc)); };
  auto mix_number = [&](uint64_t& acc, uint64_t v) { mix(acc, std::string_view(reinterpret_cast<const char*>(&v), sizeof v)); };
  for (const auto& s : summaries) {
    mix(h.lists, s.slug), mix(h.lists, s.title), mix(h.lists, s.description), mix(h.lists, page_status(s, report).text);
    mix(h.lists, s.listed ? "l" : "u");
    for (const auto& v : s.services) mix(h.lists, "s:" + v);
    for (const auto& v : s.tags) mix(h.lists, "t:" + v);
    mix_number(h.checklists, s.checklists_hash);
    mix(h.search, s.path), mix_number(h.search, s.search_hash);
  }
  return h;
}

void BuildState::keep_for_next_build(FileHashes site_files) {
  PreviousBuild next;
  next.hashes = hashes;
  next.files = std::move(site_files);
  next.search_loaded = search_built;
  next.search = std::move(search);
  for (auto& s : summaries) {
    next.search_paths.push_back(s.path);
    next.search_hashes.push_back(s.search_hash);
    // The page's terms are in the index now; its excerpt is in its fragment file.
    s.search = SearchDoc{};
    s.search_loaded = false;
    s.search_old_id = -1;
    s.fragment = std::string();
    std::string path = s.path;
    next.summaries.try_emplace(std::move(path), std::move(s));  // a file named twice: the first
  }
  previous = std::move(next);
  summaries.clear();
  file_state.clear();
  hashes = SharedHashes{};
  search_built = false;
  search = SearchIndexData{};
  stats = BuildStats{};
  diagnostics.clear();
}

}  // namespace opsbook::generator
