// The sidebar's data, cut by folder (folder_tree.hpp) so that a page loads only the part it
// shows: assets/nav.js holds the root chunk, assets/nav/<folder>.js each other chunk, and a folder
// with more entries than a chunk holds lists the rest of its runbooks in assets/nav/<folder>.<n>.js
// and the rest of its subfolders in assets/nav/<folder>.d<n>.js (~root at the root; slugs have no
// "." or "~"). Scripts, not JSON, so the sidebar works from file://; each
// registers itself in window.OPSBOOK_NAV under its folder (or "<folder>.<n>"); opsbook.js loads
// the current page's chunks at once and the others when their folder is opened.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "generator/folder_tree.hpp"

namespace opsbook::generator {

inline constexpr size_t k_nav_budget = 150;  // entries (runbooks and folders) per script

// The script of a folder's chunk, below the site root ("" for the root: assets/nav.js); whether
// the folder has a chunk of its own depends on the tree (nav_scripts lists those that do).
std::string nav_chunk_file(const std::string& folder);

// (path below the site root, script) of every navigation script.
std::vector<std::pair<std::string, std::string>> nav_scripts(const FolderTree& tree);

}  // namespace opsbook::generator
