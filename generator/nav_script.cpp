// Navigation scripts: the folder tree as chunks of JSON.
#include "generator/nav_script.hpp"

#include "model/json_writer.hpp"

namespace opsbook::generator {

namespace {

std::string chunk_file(const std::string& folder, size_t part) {
  if (part <= 1) return folder.empty() ? "assets/nav.js" : "assets/nav/" + folder + ".js";
  return "assets/nav/" + (folder.empty() ? std::string("~root") : folder) + "." + std::to_string(part) + ".js";
}

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
  if (!node.pages.empty()) {
    w.key("p");
    pages_json(w, node.pages, 0, k_nav_budget);
  }
  size_t parts = (node.pages.size() + k_nav_budget - 1) / k_nav_budget;
  if (parts > 1) w.field("m", parts);
  if (!node.folders.empty()) {
    w.key("d").begin_array();
    for (const auto& child : node.folders) node_json(w, *child, chunks, false);
    w.end_array();
  }
  w.end_object();
}

void add_chunk(const FolderNode& node, const std::unordered_set<const FolderNode*>& chunks,
               std::vector<std::pair<std::string, std::string>>& out) {
  if (chunks.count(&node)) {
    std::string json;
    model::JsonWriter w(json);
    node_json(w, node, chunks, true);
    out.emplace_back(chunk_file(node.path, 1), script(node.path, json));
    for (size_t part = 2; (part - 1) * k_nav_budget < node.pages.size(); ++part) {
      std::string list;
      model::JsonWriter lw(list);
      pages_json(lw, node.pages, (part - 1) * k_nav_budget, part * k_nav_budget);
      out.emplace_back(chunk_file(node.path, part), script(node.path + "." + std::to_string(part), list));
    }
  }
  for (const auto& child : node.folders) add_chunk(*child, chunks, out);
}

}  // namespace

std::vector<std::pair<std::string, std::string>> nav_scripts(const FolderTree& tree) {
  std::vector<std::pair<std::string, std::string>> out;
  add_chunk(tree.root(), tree.chunks(k_nav_budget, k_nav_budget), out);
  return out;
}

}  // namespace opsbook::generator
