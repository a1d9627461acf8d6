// The runbooks' folders as a tree (from their slugs), and its cut into chunks of bounded size:
// a chunk is a folder with its own runbooks, its subfolders as entries, and whole small subtrees
// inline; a subtree that does not fit starts a chunk of its own. The sidebar's section scripts
// and the folder list pages are such chunks, so neither grows with the site.
#pragma once

#include <memory>
#include <string>
#include <unordered_set>
#include <vector>

#include "generator/runbook_summary.hpp"

namespace opsbook::generator {

struct FolderNode {
  std::string name;  // last segment of the path ("" for the root)
  std::string path;  // below the content root, as in slugs ("" for the root)
  std::vector<const Summary*> pages;                  // runbooks directly in it, in site order
  std::vector<std::unique_ptr<FolderNode>> folders;   // in order of first appearance
  size_t runbooks = 0;  // in its subtree
  size_t entries = 0;   // runbooks and folders in its subtree, itself not counted
};

class FolderTree {
 public:
  explicit FolderTree(const std::vector<Summary>& summaries);
  explicit FolderTree(const std::vector<const Summary*>& summaries);

  [[nodiscard]] const FolderNode& root() const { return m_root; }

  // The folders that start a chunk of at most `budget` entries (when their own runbooks and
  // subfolders fit): the root, and every subfolder whose subtree does not fit in its parent's
  // chunk or has more than `max_inline` entries; the smallest subtrees are taken inline first.
  [[nodiscard]] std::unordered_set<const FolderNode*> chunks(size_t budget, size_t max_inline) const;

 private:
  FolderNode m_root;
};

// The folder part of a runbook slug ("" at the root) and its last segment.
std::string_view slug_folder(std::string_view slug);
std::string_view slug_leaf(std::string_view slug);

}  // namespace opsbook::generator
