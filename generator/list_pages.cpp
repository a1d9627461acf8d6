// List pages and the sidebar scripts.
#include "generator/list_pages.hpp"

#include <algorithm>
#include <map>
#include <set>

#include "generator/folder_tree.hpp"
#include "generator/nav_script.hpp"
#include "generator/paged_list.hpp"
#include "model/diagnostic.hpp"
#include "model/slug.hpp"
#include "model/text.hpp"

namespace opsbook::generator {

namespace {

ListEntry runbook_entry(const Summary& s, std::string group, const Report& report) {
  return ListEntry{std::move(group), "runbooks/" + s.slug + ".html", s.title, s.description, page_status(s, report)};
}

std::string folder_page(const FolderNode& node) { return node.path.empty() ? "index.html" : "folders/" + node.path + ".html"; }

// A folder inline in its chunk's page: its runbooks under its path (relative to the chunk), then
// its subfolders the same way.
void inline_entries(const FolderNode& node, const std::string& prefix, const Report& report, std::vector<ListEntry>& out) {
  std::string group = prefix + node.name;
  for (const Summary* s : node.pages) out.push_back(runbook_entry(*s, group, report));
  for (const auto& child : node.folders) inline_entries(*child, group + "/", report, out);
}

// The page of a chunk's folder (the index for the root): subfolders with chunks of their own as
// links, its runbooks, then the small subfolders inline (a large one would crowd out its
// siblings: it gets a page). Then the pages of those subfolders.
void write_folder_pages(const SiteContext& ctx, SiteWriter& out, const FolderNode& node, const std::unordered_set<const FolderNode*>& chunks,
                        std::vector<std::pair<std::string, std::string>> crumbs) {
  std::vector<ListEntry> entries;
  for (const auto& child : node.folders) {
    if (chunks.count(child.get())) {
      entries.push_back(ListEntry{"Folders", folder_page(*child), child->name, model::counted(child->runbooks, "runbook", "runbooks"), {}});
    }
  }
  for (const Summary* s : node.pages) entries.push_back(runbook_entry(*s, "Runbooks", ctx.report));
  for (const auto& child : node.folders) {
    if (!chunks.count(child.get())) inline_entries(*child, "", ctx.report, entries);
  }
  ListPage page;
  page.rel = folder_page(node);
  page.crumbs = crumbs;
  if (node.path.empty()) {
    page.heading = ctx.config.site_title;
    page.intro = model::counted(node.runbooks, "runbook", "runbooks") + ". Press / to search.";
    page.links = {{"lists/all.html", "All runbooks, A–Z"}, {"services/index.html", "By service"}, {"tags/index.html", "By tag"},
                  {"checklists.html", "Checklists"}};
    if (ctx.report.history.loaded) page.links.emplace_back("lists/stale.html", "By staleness");
  } else {
    page.heading = node.path;
    page.intro = model::counted(node.runbooks, "runbook", "runbooks") + " in this folder and below.";
  }
  write_paged_list(ctx, out, page, entries);
  crumbs.emplace_back(page.rel, node.path.empty() ? ctx.config.site_title : node.name);
  for (const auto& child : node.folders) {
    if (chunks.count(child.get())) write_folder_pages(ctx, out, *child, chunks, crumbs);
  }
}

// Every runbook by title, grouped by initial.
void write_all_runbooks(const SiteContext& ctx, SiteWriter& out, const std::vector<Summary>& summaries) {
  std::vector<std::pair<std::string, const Summary*>> by_title;
  by_title.reserve(summaries.size());
  for (const auto& s : summaries) {
    if (!s.listed) continue;
    std::string key = s.title;
    for (char& c : key) c = (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
    by_title.emplace_back(std::move(key), &s);
  }
  std::stable_sort(by_title.begin(), by_title.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  std::vector<ListEntry> entries;
  entries.reserve(by_title.size());
  for (const auto& [key, s] : by_title) {
    char c = key.empty() ? '#' : key[0];
    std::string group = (c >= 'a' && c <= 'z') ? std::string(1, static_cast<char>(c - 'a' + 'A')) : (c >= '0' && c <= '9') ? "0–9" : "Other";
    entries.push_back(runbook_entry(*s, std::move(group), ctx.report));
  }
  ListPage page{"lists/all.html", "All runbooks", model::counted(by_title.size(), "runbook", "runbooks") + ", by title.",
                {{"index.html", ctx.config.site_title}}, {}};
  write_paged_list(ctx, out, page, entries);
}

// Runbooks by their check history, the least recently verified first: those not verified in the
// runs looked at, then the stale ones, then the verified ones, oldest first; then those without
// live checks in the history.
void write_by_staleness(const SiteContext& ctx, SiteWriter& out, const std::vector<Summary>& summaries) {
  const HistoryView& view = ctx.report.history;
  std::vector<std::pair<std::pair<int, std::string>, const Summary*>> ranked;  // ((rank, last verified), runbook)
  for (const auto& s : summaries) {
    if (!s.listed) continue;
    history::RunbookHistory h = runbook_history_now(view, s.path, s.checks);  // the results of its text now
    if (h.runs == 0) ranked.push_back({{3, ""}, &s});
    else if (h.last_verified_at.empty()) ranked.push_back({{0, ""}, &s});
    else ranked.push_back({{stale(h.last_verified_at, view) ? 1 : 2, h.last_verified_at}, &s});
  }
  std::stable_sort(ranked.begin(), ranked.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  const std::string groups[] = {"Not verified in the last " + std::to_string(k_history_runs) + " live runs", "Stale (not verified within stale_after)",
                                "Verified", "No live checks recorded"};
  std::vector<ListEntry> entries;
  for (const auto& [rank, s] : ranked) entries.push_back(runbook_entry(*s, groups[rank.first], ctx.report));
  ListPage page{"lists/stale.html", "Runbooks by staleness", "The least recently verified first, from the check history.",
                {{"index.html", ctx.config.site_title}}, {}};
  write_paged_list(ctx, out, page, entries);
}

// Index of services or tags: one link per name, and one list per name.
void write_facet(const SiteContext& ctx, SiteWriter& out, const std::vector<Summary>& summaries, const std::string& folder,
                 const std::string& label, std::vector<std::string> Summary::*field) {
  // Names that become the same page ("DB" and "db") share it: the first name (A-Z) is its title,
  // and the build reports the others (facet_collisions). A second page would overwrite the first.
  std::map<std::string, std::vector<const Summary*>> by_name;
  std::map<std::string, std::string> name_of_page;
  for (const auto& s : summaries) {
    for (const auto& n : s.*field) {
      auto [it, added] = name_of_page.try_emplace(facet_slug(n), n);
      if (!added && n < it->second) it->second = n;
    }
  }
  for (const auto& s : summaries) {
    std::set<std::string> pages;
    for (const auto& n : s.*field) {
      if (pages.insert(facet_slug(n)).second) by_name[name_of_page[facet_slug(n)]].push_back(&s);
    }
  }
  // The facet index lists names, with counts, as links: one group without a heading of its own
  // (the page's title already says what they are).
  std::vector<ListEntry> names;
  for (const auto& [name, members] : by_name) {
    names.push_back(ListEntry{"", folder + "/" + facet_slug(name) + ".html", name, model::counted(members.size(), "runbook", "runbooks"), {}});
  }
  std::string singular = folder.substr(0, folder.size() - 1);
  std::string intro = by_name.empty() ? "No runbook names any " + folder + " in its front matter yet."
                                      : model::counted(by_name.size(), singular.c_str(), folder.c_str()) + ".";
  std::vector<std::pair<std::string, std::string>> home{{"index.html", ctx.config.site_title}};
  write_paged_list(ctx, out, ListPage{folder + "/index.html", label, intro, home, {}}, names);
  home.emplace_back(folder + "/index.html", label);
  for (const auto& [name, members] : by_name) {
    std::vector<ListEntry> entries;
    for (const Summary* s : members) entries.push_back(runbook_entry(*s, "", ctx.report));
    ListPage page{folder + "/" + facet_slug(name) + ".html", label.substr(0, label.size() - 1) + ": " + name,
                  model::counted(members.size(), "runbook", "runbooks") + ".", home, {}};
    write_paged_list(ctx, out, page, entries);
  }
}

// The collisions of one facet: the first spelling (A-Z) of each page keeps it.
void facet_collisions(const std::vector<Summary>& summaries, const char* folder, const char* what, std::vector<std::string> Summary::*field,
                      std::string& out, size_t& errors) {
  std::map<std::string, std::string> first;  // page -> first spelling A-Z
  for (const auto& s : summaries) {
    for (const auto& n : s.*field) {
      auto [it, added] = first.try_emplace(facet_slug(n), n);
      if (!added && n < it->second) it->second = n;
    }
  }
  for (const auto& s : summaries) {
    for (const auto& n : s.*field) {
      const std::string& kept = first[facet_slug(n)];
      if (n == kept) continue;
      std::string page = std::string(folder) + "/" + facet_slug(n) + ".html";
      model::Diagnostic d{s.path, model::SourceLoc{1, 0}, model::Severity::error, "page-collision",
                          std::string(what) + " '" + n + "' and " + what + " '" + kept + "' both become the page " + page + "; it lists both, as '" + kept + "'",
                          "write the " + std::string(what) + " the same way in every runbook (page names ignore case, spaces and punctuation)"};
      out += model::render(d, "");
      ++errors;
    }
  }
}

}  // namespace

std::string facet_collisions(const std::vector<Summary>& summaries, size_t& errors) {
  std::string out;
  facet_collisions(summaries, "services", "service", &Summary::services, out, errors);
  facet_collisions(summaries, "tags", "tag", &Summary::tags, out, errors);
  return out;
}

void write_list_pages(const SiteContext& ctx, SiteWriter& out, const std::vector<Summary>& summaries) {
  FolderTree tree(summaries);
  write_folder_pages(ctx, out, tree.root(), tree.chunks(k_list_page_size, k_list_page_size / 4), {});
  write_all_runbooks(ctx, out, summaries);
  if (ctx.report.history.loaded) write_by_staleness(ctx, out, summaries);
  write_facet(ctx, out, summaries, "services", "Services", &Summary::services);
  write_facet(ctx, out, summaries, "tags", "Tags", &Summary::tags);
  for (const auto& [rel, js] : nav_scripts(tree)) out.write(rel, js);
}

}  // namespace opsbook::generator
