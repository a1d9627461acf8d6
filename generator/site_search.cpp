// The search stage of a build.
#include "generator/site_search.hpp"

#include <algorithm>
#include <map>
#include <set>
#include <string_view>

#include "generator/site_cache.hpp"
#include "model/parallel.hpp"

namespace opsbook::generator {

namespace {

// Whether search/ of the previous build still holds (then kept as it is).
bool keep_previous_search(BuildState& state, SiteWriter& out) {
  PreviousBuild& previous = state.previous;
  if (previous.empty() || state.hashes.search != previous.hashes.search || !out.reuse_tree("search")) return false;
  if (!previous.search_loaded) return out.reuse(k_search_cache_file);
  state.search = std::move(previous.search);
  state.search_built = true;
  return true;
}

// Gives each kept page (its terms in the previous index) its position there: mostly the same as
// now (looked up by path only when pages were added or removed).
void find_kept_pages(BuildState& state) {
  load_previous_search(state);
  const PreviousBuild& previous = state.previous;
  const auto& paths = previous.search_paths;
  std::map<std::string_view, size_t> old_id;
  for (size_t i = 0; i < state.summaries.size(); ++i) {
    Summary& s = state.summaries[i];
    if (s.search_loaded) continue;
    if (!previous.search_loaded) throw stale_cache(s.path);
    if (i < paths.size() && paths[i] == s.path) {
      s.search_old_id = static_cast<int64_t>(i);
      continue;
    }
    if (old_id.empty()) {
      for (size_t k = 0; k < paths.size(); ++k) old_id.emplace(paths[k], k);
    }
    auto it = old_id.find(s.path);
    if (it == old_id.end()) throw stale_cache(s.path);
    s.search_old_id = static_cast<int64_t>(it->second);
  }
}

// Same pages in the same order as the previous index: update the terms of the changed pages and
// render only the shards that hold them.
SearchOutput update_search(BuildState& state) {
  auto& summaries = state.summaries;
  std::vector<std::pair<uint32_t, const SearchDoc*>> changed;
  for (size_t i = 0; i < summaries.size(); ++i) {
    if (summaries[i].search_loaded && summaries[i].search_hash != state.previous.search_hashes[i]) {
      changed.emplace_back(static_cast<uint32_t>(i), &summaries[i].search);
    }
  }
  state.search = std::move(state.previous.search);
  std::set<std::string, std::less<>> groups;
  for (const auto& term : update_index(state.search, changed)) groups.insert(search_group(term));
  return render_index(state.search, &groups);
}

// First build, or pages added or removed: index everything (kept pages' terms from the old index).
SearchOutput index_everything(BuildState& state) {
  auto& summaries = state.summaries;
  std::vector<SearchDoc> docs(summaries.size());
  for (size_t i = 0; i < summaries.size(); ++i) {
    Summary& s = summaries[i];
    if (s.search_loaded) {
      docs[i] = std::move(s.search);
      continue;
    }
    docs[i] = indexed_doc(state.previous.search, static_cast<size_t>(s.search_old_id));
  }
  state.search = index_docs(docs, state.options.jobs);
  SearchOutput index = render_index(state.search, nullptr);
  if (!state.options.free_memory) park(std::move(docs));
  return index;
}

// The fragment file that starts at page `first`: pages rendered now bring their fragment, kept
// pages take theirs from the previous build's files (renumbered when pages were added or
// removed). With the same pages in the same order, a file without a rendered page is kept.
void write_fragment_file(const BuildState& state, SiteWriter& out, size_t first, bool same_pages) {
  const auto& summaries = state.summaries;
  size_t last = std::min(summaries.size(), first + k_fragments_per_file);
  std::string name = search_fragment_file(first);
  bool fresh = false;
  for (size_t id = first; id < last; ++id) fresh = fresh || summaries[id].search_old_id < 0;
  if (same_pages && !fresh) {
    if (!out.reuse(name)) throw stale_cache(name);
    return;
  }
  std::string js;
  std::map<size_t, std::string> old_files;  // previous fragment files, by number
  for (size_t id = first; id < last; ++id) {
    int64_t old = summaries[id].search_old_id;
    if (old < 0) {
      js += summaries[id].fragment;
      continue;
    }
    auto old_id = static_cast<size_t>(old);
    size_t number = old_id / k_fragments_per_file;
    if (!old_files.count(number)) old_files[number] = out.previous_file(search_fragment_file(old_id));
    std::string line = renumber_fragment(old_files[number], old_id, id);
    if (line.empty()) throw stale_cache(summaries[id].path);
    js += line;
  }
  out.write(name, js);
}

}  // namespace

void build_search(BuildState& state, SiteWriter& out) {
  if (keep_previous_search(state, out)) return;
  auto& summaries = state.summaries;
  bool any_kept = std::any_of(summaries.begin(), summaries.end(), [](const Summary& s) { return !s.search_loaded; });
  if (any_kept) find_kept_pages(state);
  const auto& old_paths = state.previous.search_paths;
  bool same_pages = any_kept && old_paths.size() == summaries.size();
  for (size_t i = 0; same_pages && i < summaries.size(); ++i) same_pages = old_paths[i] == summaries[i].path;
  SearchOutput index = same_pages ? update_search(state) : index_everything(state);
  state.search_built = true;
  state.timer.mark("search index");
  for (const auto& kept : index.kept) {
    if (!out.reuse(kept)) throw stale_cache(kept);
  }
  size_t shard_files = index.files.size();
  model::parallel_for(shard_files + fragment_files(summaries.size()), state.options.jobs, [&](size_t i) {
    if (i < shard_files) return out.write(index.files[i].first, index.files[i].second);
    write_fragment_file(state, out, (i - shard_files) * k_fragments_per_file, same_pages);
  }, model::Order::spread);
  state.stats.search_shards = index.shards;
  state.stats.search_terms = index.terms;
  if (!state.options.free_memory) park(std::move(index));
  state.timer.mark("search files written");
}

}  // namespace opsbook::generator
