// Page frames and validation status, shared by every page of the portal.
#include "generator/site_context.hpp"

#include "model/slug.hpp"
#include "model/text.hpp"

namespace opsbook::generator {

std::string root_for(const std::string& rel_page) {
  std::string root;
  for (char c : rel_page) {
    if (c == '/') root += "../";
  }
  return root;
}

Data layout_data(const SiteContext& ctx, const std::string& rel_page, const std::string& title, const std::string& body_class) {
  Data d;
  d.set("root", root_for(rel_page));
  d.set("title", title);
  d.set("site_title", ctx.config.site_title);
  d.set("version", std::string(OPSBOOK_VERSION));
  d.set("body_class", body_class);
  d.set("current", "");
  if (!ctx.config.repo_url.empty()) d.set("repo_url", ctx.config.repo_url);
  d.set("has_toc", false);
  return d;
}

std::string facet_slug(std::string_view name) {
  std::string slug = model::name_slug(name);
  return slug == "index" ? "_index" : slug;
}

Data string_list(const std::vector<std::string>& names) {
  Data list{Data::type::list};
  for (const auto& n : names) {
    Data item;
    item.set("name", n);
    item.set("slug", facet_slug(n));
    append(list, std::move(item));
  }
  return list;
}

namespace {

// From the check history: the newest run that probed the runbook failed, or when all passed. The
// time stays in the text (no data-verified-at: the page's script would say "verified live" only).
Status history_status(const history::RunbookHistory& h, const HistoryView& view) {
  std::string flaky = flaky_count_text(h);
  if (h.latest_failed) {
    return {"failing", "failing on " + h.latest_env + " at " + h.latest_at + (h.last_verified_at.empty() ? "" : "; last verified at " + h.last_verified_at) + flaky, "", ""};
  }
  if (stale(h.last_verified_at, view)) return {"stale", "stale: last verified on " + h.last_verified_env + " at " + h.last_verified_at + flaky, "", ""};
  return {"verified", "verified on " + h.last_verified_env + " at " + h.last_verified_at + flaky, "", ""};
}

}  // namespace

Status page_status(const Summary& s, const Report& report) {
  auto it = report.files.find(s.path);
  LiveCover live = live_cover(report, s.path, s.checks);
  if (s.errors > 0 || (it != report.files.end() && it->second.errors > 0) || live.failed > 0) return {"failing", "failing", "", ""};
  // Verified live only when every check the runbook has now is covered by a result of its text.
  if (report.live && live.any) {
    std::string when = " on " + report.env + " at " + report.generated_at;
    if (live.changed > 0) return {"changed", (live.changed_passed ? "changed since verified" : "changed since checked") + when, "", ""};
    if (live.uncovered > 0) return {"changed", model::counted(live.uncovered, "check") + " added since the check" + when, "", ""};
    if (live.passed > 0) return {"verified", "verified live" + when, report.env, report.generated_at};
  }
  if (history::RunbookHistory h = runbook_history_now(report.history, s.path, s.checks); h.runs > 0) return history_status(h, report.history);
  return {"never", "never verified", "", ""};
}

}  // namespace opsbook::generator
