// Paged list pages.
#include "generator/paged_list.hpp"

#include "model/slug.hpp"

namespace opsbook::generator {

namespace {

Data link_list(const std::vector<std::pair<std::string, std::string>>& links, const std::string& root) {
  Data list{Data::type::list};
  for (const auto& [href, label] : links) {
    Data l;
    l.set("href", root + href);
    l.set("label", label);
    append(list, std::move(l));
  }
  return list;
}

Data item_data(const ListEntry& e, const std::string& root) {
  Data item;
  item.set("href", root + e.href);
  item.set("title", e.title);
  if (!e.description.empty()) item.set("description", e.description);
  if (!e.status.css.empty() && e.status.css != "never") {
    item.set("badge", e.status.css);
    item.set("badge_text", e.status.text);
    if (!e.status.time.empty()) item.set("badge_time", e.status.time), item.set("badge_env", e.status.env);
  }
  return item;
}

// Entries [begin, end) as groups: a run of entries with the same group is one group.
Data groups(const std::vector<ListEntry>& entries, size_t begin, size_t end, const std::string& root) {
  Data list{Data::type::list};
  size_t i = begin;
  while (i < end) {
    size_t j = i;
    Data items{Data::type::list};
    while (j < end && entries[j].group == entries[i].group) append(items, item_data(entries[j++], root));
    Data g;
    if (!entries[i].group.empty()) {
      g.set("name", entries[i].group);
      g.set("anchor", model::slugify(entries[i].group));
      g.set("count", std::to_string(j - i));
    }
    put(g, "items", std::move(items));
    append(list, std::move(g));
    i = j;
  }
  return list;
}

Data pager(const std::string& rel, size_t n, size_t pages, const std::string& root) {
  Data p;
  if (n > 1) p.set("prev", root + list_page_file(rel, n - 1));
  if (n < pages) p.set("next", root + list_page_file(rel, n + 1));
  Data list{Data::type::list};
  for (size_t k = 1; k <= pages; ++k) {
    Data e;
    e.set("number", std::to_string(k));
    e.set("href", root + list_page_file(rel, k));
    e.set("current", k == n);
    append(list, std::move(e));
  }
  put(p, "pages", std::move(list));
  return p;
}

}  // namespace

std::string list_page_file(const std::string& rel, size_t n) {
  if (n <= 1) return rel;
  // The index's further pages go below lists/, so that every list page but the index is in a folder.
  std::string base = rel == "index.html" ? "lists/index" : rel.substr(0, rel.size() - 5);
  return base + "." + std::to_string(n) + ".html";
}

void write_paged_list(const SiteContext& ctx, SiteWriter& out, const ListPage& page, const std::vector<ListEntry>& entries) {
  size_t pages = std::max<size_t>(1, (entries.size() + k_list_page_size - 1) / k_list_page_size);
  for (size_t n = 1; n <= pages; ++n) {
    std::string rel = list_page_file(page.rel, n);
    std::string root = root_for(rel);
    size_t begin = (n - 1) * k_list_page_size, end = std::min(entries.size(), n * k_list_page_size);
    Data c;
    c.set("heading", page.heading);
    if (!page.intro.empty()) c.set("intro", page.intro);
    c.set("has_crumbs", !page.crumbs.empty());
    c.set("crumbs", link_list(page.crumbs, root));
    c.set("has_links", n == 1 && !page.links.empty());
    c.set("links", link_list(page.links, root));
    put(c, "groups", groups(entries, begin, end, root));
    if (pages > 1) {
      c.set("page_info", "Page " + std::to_string(n) + " of " + std::to_string(pages) + ": " + std::to_string(begin + 1) + "–" +
                             std::to_string(end) + " of " + std::to_string(entries.size()) + ".");
      put(c, "pager", pager(page.rel, n, pages, root));
    }
    Data d = layout_data(ctx, rel, pages > 1 ? page.heading + " (" + std::to_string(n) + "/" + std::to_string(pages) + ")" : page.heading,
                         "page-list");
    d.set("content", ctx.templates.render("list.mustache", c));
    out.write(rel, ctx.templates.render("layout.mustache", d));
  }
}

}  // namespace opsbook::generator
