// The static search index: BM25 scores computed at build time, terms split into shards by
// prefix so a query loads only the shards it needs, and one small fragment per page (title,
// URL, text for excerpts). Everything is a .js file that registers itself with OpsbookSearch,
// so it loads from file:// as well as from a server.
#pragma once

#include <cstdint>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "model/runbook.hpp"

namespace opsbook::model {
class CacheReader;
class CacheWriter;
}  // namespace opsbook::model

namespace opsbook::generator {

// A term of one page: its weighted frequency, and the section where most of that weight is (0: the
// page top, else 1 + an index into SearchDoc::sections), so a result links to the section.
struct SearchTerm {
  std::string term;
  float weight = 0;
  uint32_t section = 0;
};

// What the index needs of one page; terms are extracted once and can be cached.
struct SearchDoc {
  std::string title;
  std::string url;   // relative to the site root
  std::string path;  // source path, shown under the title
  std::string description;
  std::vector<std::string> services, tags;
  std::vector<std::pair<std::string, std::string>> sections;  // (anchor, title) a result can link to
  std::string text;  // plain text for excerpts (truncated)
  std::vector<SearchTerm> terms;  // sorted by term
  float length = 0;  // sum of weights
};

// Title x4, tags and services x3, description and headings x2, command text x1.5, body x1. The
// sections a result can link to are the headings of levels 2-3 (1 when the page has no H1 title);
// a term found deeper belongs to the enclosing one.
SearchDoc make_search_doc(const model::Runbook& runbook, const std::string& url);

// Lower-cased ASCII words and runs of non-ASCII bytes, 2..40 bytes long.
std::vector<std::string> search_tokens(std::string_view text);

struct SearchOutput {
  std::vector<std::pair<std::string, std::string>> files;  // path below the site root -> content
  std::vector<std::string> kept;  // shard files not rendered (unchanged since the last build)
  size_t shards = 0;
  size_t terms = 0;
};

// A term id, its weighted frequency in one page and its section there (SearchTerm::section).
struct TermWeight {
  uint32_t term;
  float weight;
  uint32_t section;
};

// The index in term-id form: what the build cache keeps, so that a rebuild after an edit
// recomputes only the terms of the changed pages.
struct SearchIndexData {
  std::vector<std::string> terms;    // sorted, unique
  std::vector<std::string> entries;  // per term: its serialised postings, "term":[df,doc,score,section,...]
  std::vector<float> lengths;        // per page: sum of its term weights
  std::vector<std::vector<TermWeight>> doc_terms;  // per page: its terms, ids ascending
};

SearchIndexData index_docs(const std::vector<SearchDoc>& docs, unsigned jobs);

// Page `doc`'s terms and length back out of the index (no title, URL, sections or text).
SearchDoc indexed_doc(const SearchIndexData& data, size_t doc);

// Replaces the terms of the `changed` pages (same page count and order as `data`); returns the
// terms whose entries changed or went away.
std::vector<std::string> update_index(SearchIndexData& data, const std::vector<std::pair<uint32_t, const SearchDoc*>>& changed);

// The group of a term: its first two code points. A group is one shard, or, when larger than a
// shard's budget, split by longer prefixes; small groups are packed into shared files.
std::string search_group(std::string_view term);

// Shard files and the manifest ({"docs","per","packs":[first group of each packed file],"shards":
// [keys of split groups' shards]}). With `render`, only the files of runs of groups holding a
// group in `render` (present or gone) are rendered; the others are listed in `kept`. Null renders
// everything.
SearchOutput render_index(const SearchIndexData& data, const std::set<std::string, std::less<>>* render);

// index_docs + render_index + one fragment per page: the whole index from scratch.
SearchOutput build_search_index(const std::vector<SearchDoc>& docs, unsigned jobs);

using model::CacheReader;  // model/cache_io.hpp
using model::CacheWriter;
void write_index(CacheWriter& w, const SearchIndexData& data);
bool read_index(CacheReader& r, SearchIndexData& data);

// The fragment of page `id` (title, URL, source path, description, services, tags, sections,
// excerpt text): one line of JS. Fragments
// are bundled k_fragments_per_file consecutive pages to a file (fewer files to write; the first
// search still fetches little), named by search_fragment_file.
inline constexpr size_t k_fragments_per_file = 4;
std::string search_fragment(size_t id, const SearchDoc& doc);
std::string search_fragment_file(size_t id);
// How many fragment files `pages` pages take.
inline size_t fragment_files(size_t pages) { return (pages + k_fragments_per_file - 1) / k_fragments_per_file; }
// Page `old_id`'s fragment out of a fragment file, as page `new_id`'s; empty when it is not there.
std::string renumber_fragment(std::string_view file, size_t old_id, size_t new_id);

// Shard file name for a key, matching search.js: non-ASCII bytes as "_XX".
std::string shard_file(std::string_view key);

}  // namespace opsbook::generator
