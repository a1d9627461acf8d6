// Reading and writing the build caches.
#include "generator/site_cache.hpp"

#include <atomic>

#include "generator/cache_io.hpp"
#include "model/error.hpp"
#include "model/parallel.hpp"

namespace opsbook::generator {

namespace {

constexpr const char* k_cache_magic = "opsbook-cache-14";

// Whether every file is the one the stamps record, with the same contents. What is learnt here
// (stat results, contents compared) is kept in state.file_state for the pages.
bool all_unchanged(BuildState& state, const std::vector<Stamp>& stamps) {
  std::atomic<bool> same{stamps.size() == state.files.size()};
  if (!same) return false;
  model::parallel_for(state.files.size(), state.options.jobs, [&](size_t i) {
    const auto& f = state.files[i];
    FileState& known = state.file_state[i];
    stat_file(f.path, known);
    if (stamps[i].path == f.path && stamps[i].slug == f.slug) {
      known.compared = true;
      known.unchanged = same_contents(f.path, known, stamps[i].size, stamps[i].mtime, stamps[i].hash);
    }
    if (!known.unchanged) same = false;
  });
  return same;
}

// The bytes of a sealed cache file; "" when there is none. Throws UnusableCache when the file is
// there but its seal does not hold (cut short, damaged, another version).
std::string_view unsealed(const MappedFile& cache, const char* name) {
  if (!cache.ok()) return {};
  std::string why;
  std::optional<std::string_view> payload = unseal_cache(cache.bytes(), name, why);
  if (!payload) throw UnusableCache(std::string(name) + " is " + why);
  return *payload;
}

void write_site_file(CacheWriter& w, const SiteFile& f) {
  w.u64(f.hash), w.u64(f.disk.size), w.u64(f.disk.inode), w.u64(static_cast<uint64_t>(f.disk.mtime_ns)), w.u32(f.disk.mode);
}

SiteFile read_site_file(CacheReader& r) {
  SiteFile f;
  f.hash = r.u64(), f.disk.size = r.u64(), f.disk.inode = r.u64(), f.disk.mtime_ns = static_cast<int64_t>(r.u64()), f.disk.mode = r.u32();
  return f;
}

// Whether the live site still holds every file the cache lists as the previous build left it (one
// lstat each, in parallel), and no other file. The cache's last two numbers are where that list starts and the site's
// file count.
bool site_unchanged(const BuildState& state, std::string_view bytes) {
  constexpr size_t k_trailer = 2 * sizeof(uint64_t);
  if (bytes.size() < k_trailer) return false;
  uint64_t at = CacheReader(bytes.substr(bytes.size() - k_trailer)).u64();
  if (at > bytes.size() - k_trailer) return false;
  CacheReader r(bytes.substr(at, bytes.size() - k_trailer - at));
  std::vector<std::pair<std::string_view, SiteFile>> files;
  uint64_t n = r.u64();
  for (uint64_t i = 0; i < n && r.ok(); ++i) {
    std::string_view rel = r.view();
    SiteFile f = read_site_file(r);
    if (!is_site_path(rel)) return false;  // and the full read of the cache refuses it
    files.emplace_back(rel, f);
  }
  if (!r.ok()) return false;
  // One walk first: an entry the build did not make (a stray file, a folder replaced by a symlink)
  // means a build. After it every folder on the way to a listed file is a real one, and one lstat
  // per file finds the rest.
  std::vector<std::string_view> listed;
  listed.reserve(files.size());
  for (const auto& f : files) listed.push_back(f.first);
  if (!holds_only(state.target, listed)) return false;
  std::atomic<bool> intact{true};
  model::parallel_for(files.size(), state.options.jobs, [&](size_t i) {
    if (intact && !is_intact(disk_stamp(state.target / files[i].first), files[i].second)) intact = false;
  });
  return intact;
}

}  // namespace

UnusableCache stale_cache(const std::string& what) { return UnusableCache("the previous build's cache does not match its files (" + what + ")"); }

bool read_previous_build(BuildState& state) {
  state.file_state.assign(state.files.size(), FileState{});
  MappedFile cache((state.target / k_cache_file).string());
  std::string_view bytes = unsealed(cache, k_cache_file);
  CacheReader r(bytes);
  if (bytes.empty() || r.str() != k_cache_magic || r.u64() != state.key) return false;
  uint64_t n = r.u64();
  std::vector<Stamp> stamps;
  for (uint64_t i = 0; i < n && r.ok(); ++i) stamps.push_back(read_stamp(r));
  if (r.ok() && all_unchanged(state, stamps) && site_unchanged(state, bytes)) {
    // Up to date: the trailer holds the site's file count.
    CacheReader trailer(bytes.substr(bytes.size() - sizeof(uint64_t)));
    state.stats.reused = state.files.size();
    state.stats.files = trailer.u64();
    for (const auto& st : stamps) {
      state.stats.runbooks += st.listed ? 1 : 0;
      state.diagnostics += st.diagnostics;
      state.stats.errors += st.errors;
    }
    state.timer.mark("up to date");
    return true;
  }
  PreviousBuild& previous = state.previous;
  previous.hashes.lists = r.u64(), previous.hashes.checklists = r.u64(), previous.hashes.search = r.u64();
  for (const auto& st : stamps) {
    Summary s = read_summary(st, r);
    if (r.ok()) previous.summaries.emplace(s.path, std::move(s));
  }
  uint64_t nf = r.u64();
  for (uint64_t i = 0; i < nf && r.ok(); ++i) {
    std::string_view rel = r.view();
    SiteFile f = read_site_file(r);
    if (r.ok() && !is_site_path(rel)) throw UnusableCache(std::string(k_cache_file) + " lists a file that is not below the site");
    previous.files[std::string(rel)] = f;
  }
  if (!r.ok()) throw UnusableCache(std::string(k_cache_file) + " cannot be read");
  return false;
}

void load_previous_search(BuildState& state) {
  PreviousBuild& previous = state.previous;
  if (previous.search_loaded) return;
  MappedFile cache((state.target / k_search_cache_file).string());
  std::string_view bytes = unsealed(cache, k_search_cache_file);
  CacheReader r(bytes);
  bool ok = !bytes.empty() && r.str() == k_cache_magic && r.u64() == state.key;
  uint64_t n = ok ? r.u64() : 0;
  for (uint64_t i = 0; i < n && r.ok(); ++i) {
    previous.search_paths.push_back(r.str());
    previous.search_hashes.push_back(r.u64());
  }
  ok = ok && r.ok() && read_index(r, previous.search) && previous.search.lengths.size() == previous.search_paths.size();
  if (!ok) {
    previous.search_paths.clear(), previous.search_hashes.clear();
    previous.search = SearchIndexData{};
  }
  previous.search_loaded = ok;
}

std::string serialise_summaries(const BuildState& state) {
  const auto& summaries = state.summaries;
  CacheWriter w;
  size_t bytes = 64;
  for (const auto& s : summaries) bytes += 256 + s.path.size() * 2 + s.title.size() + s.description.size() + s.diagnostics.size() + s.checklists_html.size();
  w.data().reserve(bytes);
  w.str(k_cache_magic);
  w.u64(state.key);
  w.u64(summaries.size());
  for (const auto& s : summaries) write_stamp(w, s);
  w.u64(state.hashes.lists), w.u64(state.hashes.checklists), w.u64(state.hashes.search);
  for (const auto& s : summaries) write_rest(w, s);
  return std::move(w.data());
}

void write_search_cache(BuildState& state, SiteWriter& out) {
  if (!state.search_built) return;
  const SearchIndexData& data = state.search;
  CacheWriter sw;
  size_t bytes = 1024 + state.summaries.size() * 256;
  for (const auto& e : data.entries) bytes += 2 * e.size() + 16;
  for (const auto& l : data.doc_terms) bytes += 8 + l.size() * sizeof(TermWeight);
  sw.data().reserve(bytes);
  sw.str(k_cache_magic);
  sw.u64(state.key);
  sw.u64(state.summaries.size());
  for (const auto& s : state.summaries) sw.str(s.path), sw.u64(s.search_hash);
  write_index(sw, data);
  seal_cache(sw.data(), k_search_cache_file);
  out.write_state(k_search_cache_file, sw.data());
}

void write_build_cache(BuildState& state, SiteWriter& out, std::string summaries) {
  // When nothing was parsed or written the previous cache still holds; touched files' new mtimes
  // are then not recorded, and the next build compares their contents again.
  auto* in_place = dynamic_cast<InPlaceUpdate*>(&out);
  if (in_place && state.stats.parsed == 0 && in_place->unchanged()) {
    state.stats.files = out.hashes().size() + 1;
    state.stats.written = 0;
    return;
  }
  FileHashes site_files = out.hashes();
  CacheWriter w;
  w.data() = summaries.empty() ? serialise_summaries(state) : std::move(summaries);
  w.data().reserve(w.data().size() + site_files.size() * 96);
  uint64_t list_at = w.data().size();
  w.u64(site_files.size());
  for (const auto& [rel, f] : site_files) w.str(rel), write_site_file(w, f);
  // trailer, for a build that stops early: where the file list starts, the site's file count
  w.u64(list_at), w.u64(site_files.size() + 1);
  seal_cache(w.data(), k_cache_file);
  out.write_state(k_cache_file, w.data());
  state.stats.files = site_files.size() + 1;
  state.stats.written = in_place ? in_place->files_written() : state.stats.files;
}

}  // namespace opsbook::generator
