// Navigation scripts: the folder tree as chunks of JSON.
#include "generator/nav_script.hpp"

#include <algorithm>

#include "model/json_writer.hpp"

namespace opsbook::generator {

namespace {

std::string chunk_file(const std::string& folder, size_t part) {
  if (part <= 1) return nav_chunk_file(folder);
  return "assets/nav/" + (folder.empty() ? std::string("~root") : folder) + "." + std::to_string(part) + ".js";
}

// A chunk shows at most k_nav_budget entries: its subfolders first (at most all of the budget),
// then as many of its own runbooks as fit; the rest come in parts of k_nav_budget (s10b review
// B12: 5,000 top-level folders made a 254 KB root script every page loads).
size_t folders_shown(const FolderNode& node) { return std::min(node.folders.size(), k_nav_budget); }
size_t pages_shown(const FolderNode& node) { return std::min(node.pages.size(), k_nav_budget - folders_shown(node)); }
size_t parts_of(size_t total, size_t shown) { return total > shown ? 1 + (total - shown + k_nav_budget - 1) / k_nav_budget : 1; }

std::string script(const std::string& key, const std::string& json) {
  std::string js = "(window.OPSBOOK_NAV=window.OPSBOOK_NAV||{})[";
  model::append_json_string(js, key);
  js += "]=" + json + ";\n";
  return js;
}

void pages_json(model::JsonWriter& w, const std::vector<const Summary*>& pages, size_t begin, size_t end) {
  w.begin_array();
  for (size_t i = begin; i < end && i < pages.size(); ++i) w.begin_array().value(slug_leaf(pages[i]->slug)).value(pages[i]->title).end_array();
  w.end_array();
}

// {"c":runbooks,"p":[[leaf,title],...],"m":more parts,"d":[subfolders]}; a subfolder that starts a
// chunk of its own is {"n":name,"c":runbooks,"f":1}, the others are inline, with their "n".
void node_json(model::JsonWriter& w, const FolderNode& node, const std::unordered_set<const FolderNode*>& chunks, bool top) {
  w.begin_object();
  if (!top) w.field("n", node.name);
  w.field("c", node.runbooks);
  if (!top && chunks.count(&node)) {
    w.field("f", 1).end_object();
    return;
  }
  size_t shown = top ? pages_shown(node) : node.pages.size();
  if (shown > 0) {
    w.key("p");
    pages_json(w, node.pages, 0, shown);
  }
  if (size_t parts = parts_of(node.pages.size(), shown); parts > 1) w.field("m", parts);
  size_t folders = top ? folders_shown(node) : node.folders.size();
  if (folders > 0) {
    w.key("d").begin_array();
    for (size_t i = 0; i < folders; ++i) node_json(w, *node.folders[i], chunks, false);
    w.end_array();
  }
  if (size_t parts = parts_of(node.folders.size(), folders); parts > 1) w.field("dm", parts).field("dn", node.folders.size());
  w.end_object();
}

void add_chunk(const FolderNode& node, const std::unordered_set<const FolderNode*>& chunks,
               std::vector<std::pair<std::string, std::string>>& out) {
  if (chunks.count(&node)) {
    std::string json;
    model::JsonWriter w(json);
    node_json(w, node, chunks, true);
    out.emplace_back(chunk_file(node.path, 1), script(node.path, json));
    for (size_t part = 2, from = pages_shown(node); from < node.pages.size(); ++part, from += k_nav_budget) {
      std::string list;
      model::JsonWriter lw(list);
      pages_json(lw, node.pages, from, from + k_nav_budget);
      out.emplace_back(chunk_file(node.path, part), script(node.path + "." + std::to_string(part), list));
    }
    // More subfolders than a chunk shows: each such one starts a chunk of its own (FolderTree::chunks
    // cuts every subfolder of a folder whose entries exceed the budget), listed as {n, c, f: 1}.
    for (size_t part = 2, from = folders_shown(node); from < node.folders.size(); ++part, from += k_nav_budget) {
      std::string list;
      model::JsonWriter lw(list);
      lw.begin_array();
      for (size_t i = from; i < std::min(node.folders.size(), from + k_nav_budget); ++i) node_json(lw, *node.folders[i], chunks, false);
      lw.end_array();
      std::string key = node.path + ".d" + std::to_string(part);
      out.emplace_back("assets/nav/" + (node.path.empty() ? std::string("~root") : node.path) + ".d" + std::to_string(part) + ".js", script(key, list));
    }
  }
  for (const auto& child : node.folders) add_chunk(*child, chunks, out);
}

}  // namespace

std::string nav_chunk_file(const std::string& folder) { return folder.empty() ? "assets/nav.js" : "assets/nav/" + folder + ".js"; }

std::vector<std::pair<std::string, std::string>> nav_scripts(const FolderTree& tree) {
  std::vector<std::pair<std::string, std::string>> out;
  add_chunk(tree.root(), tree.chunks(k_nav_budget, k_nav_budget), out);
  return out;
}

}  // namespace opsbook::generator
