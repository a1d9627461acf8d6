// The checklist view.
#include "generator/checklist_view.hpp"

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

std::string render_checklists_page(const SiteContext& ctx, const std::vector<Summary>& summaries) {
  size_t bytes = 0;
  uint64_t count = 0;
  for (const auto& s : summaries) bytes += s.checklists_html.size(), count += s.checklist_count;
  Data c;
  c.set("count", std::to_string(count));
  c.set("checklists", std::string(k_body_marker));
  Data d = layout_data(ctx, "checklists.html", "Checklists", "page-checklists");
  d.set("content", std::string(k_content_marker));
  std::string page = ctx.templates.render("layout.mustache", d);
  std::string article = ctx.templates.render("checklists.mustache", c);
  std::string sections;
  sections.reserve(bytes);
  for (const auto& s : summaries) sections += s.checklists_html;
  splice(article, k_body_marker, sections);
  splice(page, k_content_marker, article);
  return page;
}

}  // namespace opsbook::generator
