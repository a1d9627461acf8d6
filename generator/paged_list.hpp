// A list page of the portal (list.mustache): entries in groups, cut into pages of at most
// k_list_page_size entries with a pager, so that no list page grows with the site. Page 1 is
// `rel`, page n is `<rel without .html>.<n>.html` (`lists/index.<n>.html` for the index).
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "generator/output_dir.hpp"
#include "generator/site_context.hpp"

namespace opsbook::generator {

inline constexpr size_t k_list_page_size = 200;

struct ListEntry {
  std::string group;  // consecutive entries of one group share a heading ("": none)
  std::string href;   // below the site root
  std::string title, description;
  Status status;      // a badge unless "never"
};

struct ListPage {
  std::string rel;  // page 1, below the site root
  std::string heading, intro;
  std::vector<std::pair<std::string, std::string>> crumbs;  // (href below the site root, label) above the heading
  std::vector<std::pair<std::string, std::string>> links;   // (href below the site root, label) under the intro
};

// The file of page `n` (1-based) of the list whose first page is `rel`.
std::string list_page_file(const std::string& rel, size_t n);

// Writes every page of the list.
void write_paged_list(const SiteContext& ctx, SiteWriter& out, const ListPage& page, const std::vector<ListEntry>& entries);

}  // namespace opsbook::generator
