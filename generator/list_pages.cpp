// List pages and the sidebar script.
#include "generator/list_pages.hpp"

#include <map>

#include "model/json_writer.hpp"
#include "model/slug.hpp"

namespace opsbook::generator {

namespace {

Data list_item(const Summary& s, const std::string& root, const Report& report) {
  Data item;
  item.set("href", root + "runbooks/" + s.slug + ".html");
  item.set("title", s.title);
  if (!s.description.empty()) item.set("description", s.description);
  Status st = page_status(s, report);
  if (st.css != "never") {
    item.set("badge", st.css);
    item.set("badge_text", st.text);
  }
  return item;
}

// A list page: groups of runbooks.
std::string render_list_page(const SiteContext& ctx, const std::string& rel, const std::string& heading, const std::string& intro,
                             const std::vector<std::pair<std::string, std::vector<const Summary*>>>& groups) {
  std::string root = root_for(rel);
  Data c;
  c.set("heading", heading);
  if (!intro.empty()) c.set("intro", intro);
  Data gl{Data::type::list};
  for (const auto& [name, members] : groups) {
    Data g;
    g.set("name", name);
    g.set("anchor", model::slugify(name));
    g.set("count", std::to_string(members.size()));
    Data items{Data::type::list};
    for (const Summary* s : members) append(items, list_item(*s, root, ctx.report));
    put(g, "items", std::move(items));
    append(gl, std::move(g));
  }
  put(c, "groups", std::move(gl));
  Data d = layout_data(ctx, rel, heading, "page-list");
  d.set("content", ctx.templates.render("list.mustache", c));
  return ctx.templates.render("layout.mustache", d);
}

// Index of services or tags: one link per name, and one page per name.
void write_facet(const SiteContext& ctx, SiteWriter& out, const std::vector<Summary>& summaries, const std::string& folder,
                 const std::string& label, std::vector<std::string> Summary::*field) {
  std::map<std::string, std::vector<const Summary*>> by_name;
  for (const auto& s : summaries) {
    for (const auto& n : s.*field) by_name[n].push_back(&s);
  }
  // The facet index lists names, with counts, as links: one group without a heading of its own
  // (the page's title already says what they are).
  Data c;
  c.set("heading", label);
  Data gl{Data::type::list};
  Data g;
  Data items{Data::type::list};
  for (const auto& [name, members] : by_name) {
    Data item;
    item.set("href", model::slugify(name) + ".html");
    item.set("title", name);
    item.set("description", std::to_string(members.size()) + (members.size() == 1 ? " runbook" : " runbooks"));
    append(items, std::move(item));
  }
  put(g, "items", std::move(items));
  append(gl, std::move(g));
  put(c, "groups", std::move(gl));
  c.set("intro", by_name.empty() ? "No runbook names any " + folder + " in its front matter yet."
                                  : std::to_string(by_name.size()) + " " + (by_name.size() == 1 ? folder.substr(0, folder.size() - 1) : folder) + ".");
  Data d = layout_data(ctx, folder + "/index.html", label, "page-list");
  d.set("content", ctx.templates.render("list.mustache", c));
  out.write(folder + "/index.html", ctx.templates.render("layout.mustache", d));
  for (const auto& [name, members] : by_name) {
    std::string rel = folder + "/" + model::slugify(name) + ".html";
    out.write(rel, render_list_page(ctx, rel, label.substr(0, label.size() - 1) + ": " + name, "", {{name, members}}));
    }
}

std::string nav_script(const std::vector<Summary>& summaries) {
  std::string js = "window.OPSBOOK_NAV=";
  model::JsonWriter w(js);
  w.begin_array();
  for (const auto& s : summaries) w.begin_array().value(s.slug).value(s.title).end_array();
  w.end_array();
  js += ";\n";
  return js;
}

}  // namespace

void write_list_pages(const SiteContext& ctx, SiteWriter& out, const std::vector<Summary>& summaries) {
  std::map<std::string, std::vector<const Summary*>> folders;
  for (const auto& s : summaries) {
    size_t slash = s.slug.find('/');
    folders[slash == std::string::npos ? std::string("Runbooks") : s.slug.substr(0, slash)].push_back(&s);
  }
  std::vector<std::pair<std::string, std::vector<const Summary*>>> groups(folders.begin(), folders.end());
  out.write("index.html", render_list_page(ctx, "index.html", ctx.config.site_title,
                                           std::to_string(summaries.size()) + " runbooks. Press / to search.", groups));
  write_facet(ctx, out, summaries, "services", "Services", &Summary::services);
  write_facet(ctx, out, summaries, "tags", "Tags", &Summary::tags);
  out.write("assets/nav.js", nav_script(summaries));
}

}  // namespace opsbook::generator
