// Runbook pages.
#include "generator/runbook_page.hpp"

#include <cstdlib>

#include "generator/checklist_view.hpp"
#include "generator/incident.hpp"
#include "model/check_digest.hpp"
#include "model/html_body.hpp"

namespace opsbook::generator {

namespace {

// A marker's HTML-escaped text as it was before escaping.
std::string unescaped(std::string_view id) {
  std::string raw;
  for (size_t i = 0; i < id.size(); ++i) {
    if (id.compare(i, 5, "&amp;") == 0) raw += '&', i += 4;
    else if (id.compare(i, 4, "&lt;") == 0) raw += '<', i += 3;
    else if (id.compare(i, 4, "&gt;") == 0) raw += '>', i += 3;
    else if (id.compare(i, 6, "&quot;") == 0) raw += '"', i += 5;
    else if (id.compare(i, 5, "&#39;") == 0) raw += '\'', i += 4;
    else raw += id[i];
  }
  return raw;
}

// What a snippet's marker becomes: the report's badge for its text (or what changed since), then
// the history's.
std::string snippet_status(std::string_view id, const model::Runbook& rb, const Report& report, const std::vector<model::CheckSource>& checks) {
  std::string raw = unescaped(id);  // ids in the marker are HTML-escaped; the report holds them raw
  const model::Snippet* s = rb.find_snippet(raw);
  if (!s) return "";
  std::string digest = model::check_digest(*s);
  std::string outcome = report.failing_snippets.count(rb.path + "#" + raw) ? "fail" : live_outcome(report, rb.path, digest);
  std::string out;
  if (outcome == "pass") out = "<span class=\"badge status-verified\">verified</span>";
  else if (outcome == "fail") out = "<span class=\"badge status-failing\">failing</span>";
  else if (std::string text = unmatched_snippet_text(report, rb.path, *s, checks); !text.empty()) {
    out = "<span class=\"badge status-" + std::string(text == "never verified" ? "never" : "changed") + "\">" + model::html_escape(text) + "</span>";
  }
  return out + snippet_history_html(report.history, rb.path, *s, checks);
}

}  // namespace

std::string apply_snippet_status(const std::string& html, const model::Runbook& rb, const Report& report) {
  static constexpr std::string_view k_marker = "<!--opsbook-";
  static constexpr std::string_view k_status = "status:", k_row = "row:";
  std::string out;
  out.reserve(html.size());
  size_t pos = 0;
  std::vector<model::CheckSource> checks = model::check_sources(rb);
  for (;;) {
    size_t at = html.find(k_marker, pos);
    if (at == std::string::npos) break;
    size_t end = html.find("-->", at);
    if (end == std::string::npos) break;
    out.append(html, pos, at - pos);
    std::string_view inner = std::string_view(html).substr(at + k_marker.size(), end - at - k_marker.size());
    if (inner.starts_with(k_status)) {
      out += snippet_status(inner.substr(k_status.size()), rb, report, checks);
    } else if (inner.starts_with(k_row)) {
      out += row_history_html(report.history, rb, std::atoi(std::string(inner.substr(k_row.size())).c_str()));
    }
    pos = end + 3;
  }
  out.append(html, pos, std::string::npos);
  return out;
}

std::string render_runbook_page(const SiteContext& ctx, const model::Runbook& rb, const Summary& s, const std::string& rel) {
  Data d = layout_data(ctx, rel, rb.title, "page-runbook");
  d.set("current", rb.slug);
  Data toc{Data::type::list};
  size_t toc_count = 0;
  bool has_h1 = false;
  for (const auto& sec : rb.sections) {
    if (sec.level == 1) has_h1 = true;
    if (sec.level < 2 || sec.level > 3) continue;
    Data e;
    e.set("slug", sec.slug);
    e.set("title", sec.title);
    e.set("level", std::to_string(sec.level));
    append(toc, std::move(e));
    ++toc_count;
  }
  if (toc_count >= 2) {
    d.set("has_toc", true);
    put(d, "toc", std::move(toc));
  }
  Status st = page_status(s, ctx.report);
  Data c;
  c.set("root", root_for(rel));
  c.set("title", rb.title);
  c.set("status_class", st.css);
  c.set("status_text", st.text);
  if (!st.time.empty()) c.set("status_time", st.time), c.set("status_env", st.env);
  if (std::string line = history_line(ctx.report.history, rb.path, s.checks); !line.empty()) c.set("history_line", line);
  if (std::string checks = check_history_html(ctx.report.history, rb.path, s.checks); !checks.empty()) c.set("check_history", checks);
  c.set("services", string_list(rb.meta.services));
  c.set("tags", string_list(rb.meta.tags));
  if (!rb.meta.owner.empty()) c.set("owner", rb.meta.owner);
  if (!rb.meta.severity.empty()) c.set("severity", rb.meta.severity);
  if (!rb.meta.last_reviewed.empty()) c.set("last_reviewed", rb.meta.last_reviewed);
  if (!rb.meta.description.empty()) c.set("description", rb.meta.description);
  c.set("path", rb.path);
  c.set("incident_json", incident_portal_json(ctx.templates, rb, ctx.config.severities, ctx.config.resolve(ctx.config.incidents)));
  c.set("no_h1", !has_h1);
  Data diags{Data::type::list};
  for (const auto& diag : rb.diagnostics.items()) {
    if (diag.severity == model::Severity::info) continue;
    Data e;
    e.set("location", diag.file + (diag.loc.line > 0 ? ":" + std::to_string(diag.loc.line) : ""));
    e.set("severity", std::string(model::to_string(diag.severity)));
    e.set("rule", diag.rule);
    e.set("message", diag.message);
    if (!diag.hint.empty()) e.set("hint", diag.hint);
    append(diags, std::move(e));
  }
  c.set("has_diagnostics", !diags.is_empty_list());
  put(c, "diagnostics", std::move(diags));
  c.set("body", std::string(k_body_marker));
  Data cls{Data::type::list};
  for (const auto& cl : rb.checklists) {
    Data e;
    e.set("anchor", checklist_anchor(cl.id));
    e.set("id", cl.id);
    e.set("title", cl.title);
    e.set("count", std::to_string(cl.items.size()));
    append(cls, std::move(e));
  }
  c.set("has_checklists", !rb.checklists.empty());
  put(c, "checklists", std::move(cls));
  d.set("content", std::string(k_content_marker));
  // Large bodies stay out of the mustache data: render the frames, then splice the body in.
  std::string page = ctx.templates.render("layout.mustache", d);
  std::string article = ctx.templates.render("runbook.mustache", c);
  std::string body = apply_snippet_status(rb.html, rb, ctx.report);
  splice(article, k_body_marker, body);
  splice(page, k_content_marker, article);
  return page;
}

}  // namespace opsbook::generator
