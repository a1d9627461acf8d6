// The static search index: BM25 scores computed at build time, terms split into shards by
// prefix so a query loads only the shards it needs, and one small fragment per page (title,
// URL, text for excerpts). Everything is a .js file that registers itself with OpsbookSearch,
// so it loads from file:// as well as from a server.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "model/runbook.hpp"

namespace opsbook::generator {

// What the index needs of one page; terms are extracted once and can be cached.
struct SearchDoc {
  std::string title;
  std::string url;   // relative to the site root
  std::string path;  // source path, shown under the title
  std::string text;  // plain text for excerpts (truncated)
  std::vector<std::pair<std::string, float>> terms;  // term -> weighted frequency
  float length = 0;  // sum of weights
};

// Title x4, headings x2, command text x1.5, body x1.
SearchDoc make_search_doc(const model::Runbook& runbook, const std::string& url);

// Lower-cased ASCII words and runs of non-ASCII bytes, 2..40 bytes long.
std::vector<std::string> search_tokens(std::string_view text);

struct SearchOutput {
  std::vector<std::pair<std::string, std::string>> files;  // path below the site root -> content
  size_t shards = 0;
  size_t terms = 0;
};

// Shards and manifest, and with `fragments` one fragment per page (search_fragment).
SearchOutput build_search_index(const std::vector<SearchDoc>& docs, unsigned jobs, bool fragments = true);

// The fragment of page `id` (title, URL, source path, excerpt text) and its file name.
std::string search_fragment(size_t id, const SearchDoc& doc);
std::string search_fragment_file(size_t id);

// Shard file name for a key, matching search.js: non-ASCII bytes as "_XX".
std::string shard_file(std::string_view key);

}  // namespace opsbook::generator
