// The folder tree and its chunks.
#include "generator/folder_tree.hpp"

#include <algorithm>
#include <unordered_map>

namespace opsbook::generator {

namespace {

// Counts each folder's runbooks and entries, deepest first.
void count(FolderNode& node) {
  node.runbooks = node.pages.size();
  node.entries = node.pages.size() + node.folders.size();
  for (auto& child : node.folders) {
    count(*child);
    node.runbooks += child->runbooks;
    node.entries += child->entries;
  }
}

void cut(const FolderNode& node, size_t budget, size_t max_inline, std::unordered_set<const FolderNode*>& out) {
  out.insert(&node);
  size_t used = node.pages.size() + node.folders.size();
  std::vector<const FolderNode*> by_size;
  for (const auto& child : node.folders) by_size.push_back(child.get());
  std::stable_sort(by_size.begin(), by_size.end(), [](const FolderNode* a, const FolderNode* b) { return a->entries < b->entries; });
  for (const FolderNode* child : by_size) {
    if (child->entries <= max_inline && used + child->entries <= budget) {
      used += child->entries;  // inline, with its whole subtree
    } else {
      cut(*child, budget, max_inline, out);
    }
  }
}

}  // namespace

std::string_view slug_folder(std::string_view slug) {
  size_t cut_at = slug.rfind('/');
  return cut_at == std::string_view::npos ? std::string_view() : slug.substr(0, cut_at);
}

std::string_view slug_leaf(std::string_view slug) {
  size_t cut_at = slug.rfind('/');
  return cut_at == std::string_view::npos ? slug : slug.substr(cut_at + 1);
}

namespace {

std::vector<const Summary*> pointers(const std::vector<Summary>& summaries) {
  std::vector<const Summary*> out;
  out.reserve(summaries.size());
  for (const auto& s : summaries) out.push_back(&s);
  return out;
}

}  // namespace

FolderTree::FolderTree(const std::vector<Summary>& summaries) : FolderTree(pointers(summaries)) {}

FolderTree::FolderTree(const std::vector<const Summary*>& summaries) {
  std::unordered_map<std::string_view, FolderNode*> by_path{{std::string_view(), &m_root}};
  for (const Summary* sp : summaries) {
    const Summary& s = *sp;
    if (!s.listed) continue;  // a binary or unreadable file has no page
    std::string_view folder = slug_folder(s.slug);
    FolderNode* node = &m_root;
    size_t start = 0;
    while (start < folder.size()) {
      size_t end = std::min(folder.find('/', start), folder.size());
      auto [it, added] = by_path.emplace(folder.substr(0, end), nullptr);
      if (added) {
        auto child = std::make_unique<FolderNode>();
        child->name = std::string(folder.substr(start, end - start));
        child->path = std::string(folder.substr(0, end));
        it->second = child.get();
        node->folders.push_back(std::move(child));
      }
      node = it->second;
      start = end + 1;
    }
    node->pages.push_back(&s);
  }
  count(m_root);
}

std::unordered_set<const FolderNode*> FolderTree::chunks(size_t budget, size_t max_inline) const {
  std::unordered_set<const FolderNode*> out;
  cut(m_root, budget, max_inline, out);
  return out;
}

}  // namespace opsbook::generator
