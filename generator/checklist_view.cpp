// The checklist view.
#include "generator/checklist_view.hpp"

#include <algorithm>

#include "generator/folder_tree.hpp"
#include "model/json_writer.hpp"

namespace opsbook::generator {

std::string checklist_anchor(std::string_view id) {
  std::string out = "checklist-";
  for (char c : id) out += (c == '/') ? '_' : c;
  return out;
}

std::string render_checklist_sections(const SiteContext& ctx, const model::Runbook& rb, const std::string& slug) {
  std::string out;
  for (const auto& c : rb.checklists) {
    Data e;
    e.set("anchor", checklist_anchor(c.id));
    e.set("id", c.id);
    e.set("title", c.title);
    e.set("href", "runbooks/" + slug + ".html");
    e.set("runbook", rb.title);
    e.set("line", std::to_string(c.line));
    e.set("kind", std::string(model::to_string(c.kind)));
    e.set("path", rb.path);
    Data items{Data::type::list};
    for (const auto& i : c.items) {
      Data it;
      it.set("line", std::to_string(i.line));
      it.set("id", i.id);
      it.set("text", i.text);
      it.set("checked", i.checked);
      it.set("depth", std::to_string(i.depth));
      append(items, std::move(it));
    }
    put(e, "items", std::move(items));
    out += ctx.templates.render("checklist.mustache", e);
  }
  return out;
}

namespace {

constexpr size_t k_checklist_budget = 60;  // runbooks and folders on one page of the view

std::string chunk_page(const std::string& folder) {
  if (folder.empty()) return "checklists.html";
  std::string name = "checklists." + folder + ".html";
  std::replace(name.begin(), name.end(), '/', '.');
  return name;
}

uint64_t checklists_below(const FolderNode& node) {
  uint64_t n = 0;
  for (const Summary* s : node.pages) n += s->checklist_count;
  for (const auto& c : node.folders) n += checklists_below(*c);
  return n;
}

// The sections of a folder inline in its chunk's page, and of its subfolders.
void inline_sections(const FolderNode& node, std::string& out, uint64_t& count) {
  for (const Summary* s : node.pages) out += s->checklists_html, count += s->checklist_count;
  for (const auto& c : node.folders) inline_sections(*c, out, count);
}

void write_chunk(const SiteContext& ctx, SiteWriter& out, const FolderNode& node, const std::unordered_set<const FolderNode*>& chunks,
                 Data crumbs, const std::string& all_chunks) {
  std::string rel = chunk_page(node.path);
  std::string sections;
  uint64_t count = 0;
  for (const Summary* s : node.pages) sections += s->checklists_html, count += s->checklist_count;
  Data folders{Data::type::list};
  for (const auto& c : node.folders) {
    if (!chunks.count(c.get())) {
      inline_sections(*c, sections, count);
      continue;
    }
    Data f;
    f.set("href", chunk_page(c->path));
    f.set("name", c->name);
    f.set("count", std::to_string(checklists_below(*c)));
    append(folders, std::move(f));
  }
  Data c;
  c.set("heading", node.path.empty() ? std::string("Checklists") : "Checklists in " + node.path);
  c.set("count", std::to_string(count));
  c.set("total", std::to_string(checklists_below(node)));
  c.set("self", rel);
  c.set("has_crumbs", !crumbs.is_empty_list());
  c.set("crumbs", crumbs);
  c.set("has_folders", !folders.is_empty_list());
  put(c, "folders", std::move(folders));
  if (!all_chunks.empty()) c.set("chunks", all_chunks);
  c.set("checklists", std::string(k_body_marker));
  Data d = layout_data(ctx, rel, "Checklists", "page-checklists");
  d.set("content", std::string(k_content_marker));
  std::string page = ctx.templates.render("layout.mustache", d);
  std::string article = ctx.templates.render("checklists.mustache", c);
  splice(article, k_body_marker, sections);
  splice(page, k_content_marker, article);
  out.write(rel, page);
  Data crumb;
  crumb.set("href", rel);
  crumb.set("label", node.path.empty() ? std::string("Checklists") : node.name);
  append(crumbs, std::move(crumb));
  for (const auto& child : node.folders) {
    if (chunks.count(child.get())) write_chunk(ctx, out, *child, chunks, crumbs, "");
  }
}

}  // namespace

void write_checklist_pages(const SiteContext& ctx, SiteWriter& out, const std::vector<Summary>& summaries) {
  std::vector<const Summary*> with;
  for (const auto& s : summaries) {
    if (s.checklist_count > 0) with.push_back(&s);
  }
  FolderTree tree(with);
  auto chunks = tree.chunks(k_checklist_budget, k_checklist_budget / 4);
  // The folders with a page of their own, for checklists.html?id= to find a checklist's page.
  std::vector<std::string> paths;
  for (const FolderNode* n : chunks) {
    if (!n->path.empty()) paths.push_back(n->path);
  }
  std::sort(paths.begin(), paths.end());
  std::string json;
  model::JsonWriter w(json);
  w.begin_array();
  for (const auto& p : paths) w.value(p);
  w.end_array();
  write_chunk(ctx, out, tree.root(), chunks, Data{Data::type::list}, json);
}

}  // namespace opsbook::generator
