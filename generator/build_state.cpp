// The build state: inputs loaded once, the previous build handed on to the next one.
#include "generator/build_state.hpp"

#include <algorithm>
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
      templates(config.templates.empty() ? std::string() : config.resolve(config.templates), config.dir.empty() ? std::string(".") : config.dir),
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

namespace {

void mix(uint64_t& acc, std::string_view v) { acc = fnv1a(v, fnv1a(std::string_view("\x1f", 1), acc)); }
void mix_number(uint64_t& acc, uint64_t v) { mix(acc, std::string_view(reinterpret_cast<const char*>(&v), sizeof v)); }

// What the list pages show of one runbook.
uint64_t lists_hash(const Summary& s, const Report& report) {
  uint64_t h = k_fnv_offset;
  mix(h, s.slug), mix(h, s.title), mix(h, s.description), mix(h, page_status(s, report).text);
  mix(h, s.listed ? "l" : "u");
  for (const auto& v : s.services) mix(h, "s:"), mix(h, v);
  for (const auto& v : s.tags) mix(h, "t:"), mix(h, v);
  return h == 0 ? 1 : h;
}

}  // namespace

SharedHashes shared_hashes(std::vector<Summary>& summaries, const Report& report) {
  SharedHashes h{k_fnv_offset, k_fnv_offset, k_fnv_offset};
  for (auto& s : summaries) {
    // a kept summary's part is the previous build's (same summary, same report)
    if (s.lists_hash == 0) s.lists_hash = lists_hash(s, report);
    mix_number(h.lists, s.lists_hash);
    mix_number(h.checklists, s.checklists_hash);
    mix(h.search, s.path), mix_number(h.search, s.search_hash);
  }
  return h;
}

namespace {

// The previous summaries' entries of `summaries`, one each, when the paths are exactly the map's
// keys (the same files as before): the summaries go back into them and no new map is made.
// Empty otherwise.
std::vector<Summary*> same_entries(std::unordered_map<std::string, Summary>& by_path, const std::vector<Summary>& summaries) {
  if (by_path.size() != summaries.size()) return {};
  std::vector<Summary*> slots;
  slots.reserve(summaries.size());
  for (const auto& s : summaries) {
    auto it = by_path.find(s.path);
    if (it == by_path.end()) return {};
    slots.push_back(&it->second);
  }
  // A file named twice shares an entry: among neighbours when the files are in path order.
  bool in_order = true;
  for (size_t i = 1; in_order && i < summaries.size(); ++i) in_order = !(summaries[i].path < summaries[i - 1].path);
  if (in_order) {
    for (size_t i = 1; i < slots.size(); ++i) {
      if (slots[i] == slots[i - 1]) return {};
    }
    return slots;
  }
  std::vector<Summary*> sorted = slots;
  std::sort(sorted.begin(), sorted.end());
  if (std::adjacent_find(sorted.begin(), sorted.end()) != sorted.end()) return {};
  return slots;
}

}  // namespace

void BuildState::keep_for_next_build(FileHashes site_files) {
  std::vector<Summary*> slots = same_entries(previous.summaries, summaries);
  bool same_order = previous.search_paths.size() == summaries.size();
  for (size_t i = 0; same_order && i < summaries.size(); ++i) same_order = previous.search_paths[i] == summaries[i].path;
  PreviousBuild next;
  next.hashes = hashes;
  next.files = std::move(site_files);
  next.search_loaded = search_built;
  next.search = std::move(search);
  if (same_order) next.search_paths = std::move(previous.search_paths);
  if (!slots.empty()) next.summaries = std::move(previous.summaries);  // its nodes stay where `slots` point
  next.search_hashes.reserve(summaries.size());
  for (size_t i = 0; i < summaries.size(); ++i) {
    Summary& s = summaries[i];
    if (!same_order) next.search_paths.push_back(s.path);
    next.search_hashes.push_back(s.search_hash);
    // The page's terms are in the index now; its excerpt is in its fragment file.
    s.search = SearchDoc{};
    s.search_loaded = false;
    s.search_old_id = -1;
    s.fragment = std::string();
    if (!slots.empty()) {
      *slots[i] = std::move(s);
      continue;
    }
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
