// What the site keeps of one runbook besides its own page (list data, its checklist sections,
// its search document, hashes): kept between builds so that a rebuild does not parse unchanged
// files; and how a build tells whether a source file changed since.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "generator/search_index.hpp"
#include "model/check_digest.hpp"
#include "model/runbook.hpp"

namespace opsbook::model {
class CacheReader;
class CacheWriter;
}  // namespace opsbook::model

namespace opsbook::generator {

using model::CacheReader;  // model/cache_io.hpp
using model::CacheWriter;

struct Summary {
  std::string path, slug, title, description, owner;
  std::vector<std::string> services, tags;
  uint64_t size = 0, hash = 0;
  int64_t mtime = 0;
  int errors = 0;
  bool listed = true;           // false: not a runbook (binary, unreadable): reported, but no page and not listed
  std::string diagnostics;      // rendered
  std::string checklists_html;  // this runbook's sections of the checklist view, rendered
  uint64_t checklist_count = 0;
  uint64_t checklists_hash = 0;  // of checklists_html
  SearchDoc search;              // terms and text live in the previous index, loaded only when needed
  uint64_t search_hash = 0;      // of `search`, to tell whether the index must be rebuilt
  bool search_loaded = true;     // false: `search` is empty, the page's terms are in the previous index
  int64_t search_old_id = -1;    // position in the previous index, when `search` came from there
  std::string fragment;          // search fragment, when rendered in this build
  uint64_t lists_hash = 0;       // of what the list pages show of it (0: not known yet; never cached)
  std::vector<model::CheckSource> checks;  // what its live checks read now, by digest (sorted)
};

// The summary of a parsed runbook whose page is `url` (size, hash, mtime and checklists are the
// caller's).
Summary summarise(const model::Runbook& rb, const std::string& url, std::string diagnostics_text);

// A summary is cached in two parts: the stamp (what tells whether the file changed, and what a
// build prints for it), read first and alone when nothing changed, then the rest.
struct Stamp {
  std::string_view path, slug, diagnostics;  // views into the cache's bytes
  uint64_t size = 0, hash = 0, errors = 0;
  int64_t mtime = 0;
  bool listed = true;
};
void write_stamp(CacheWriter& w, const Summary& s);
void write_rest(CacheWriter& w, const Summary& s);
Stamp read_stamp(CacheReader& r);
Summary read_summary(const Stamp& st, CacheReader& r);

// What a build learns of a source file before deciding whether to parse it.
struct FileState {
  bool statted = false, stat_ok = false;
  bool compared = false, unchanged = false;  // compared with the recorded summary of its path
  int64_t mtime = 0;
  uint64_t size = 0;
};

// A source modified less than this before a build looked at it is "racy" (as in git): an edit in
// the same tick of the file system's clock keeps its mtime, and with the same size it looked
// unchanged (s6 review U1: a page and its search shard kept a word the runbook no longer had).
// Its mtime is recorded as k_racy_mtime, and the next build compares its bytes.
inline constexpr int64_t k_racy_window_ns = 2'000'000'000;
inline constexpr int64_t k_racy_mtime = INT64_MIN;

// Fills `state` with the file's modification time (ns; k_racy_mtime when racy) and size; stat_ok
// false when unreadable.
void stat_file(const std::string& path, FileState& state);

// Whether a file (now `state`) still has the recorded contents: same size, and same mtime (not a
// racy one) or, when only the mtime moved or it is racy, the same bytes.
bool same_contents(const std::string& path, const FileState& state, uint64_t size, int64_t mtime, uint64_t hash);

}  // namespace opsbook::generator
