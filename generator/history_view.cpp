// Check history -> what runbook pages and lists say about it.
#include "generator/history_view.hpp"

#include <sys/stat.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>

#include "history/open.hpp"
#include "model/error.hpp"
#include "model/hash.hpp"
#include "model/html_body.hpp"

namespace opsbook::generator {

namespace {

using Checks = std::vector<const history::CheckSummary*>;

// "<time>at 2026-...Z</time>": the page's script turns it into "3 h ago".
std::string age_html(const std::string& at) {
  std::string t = model::html_escape(at);
  return "<time class=\"history-age\" datetime=\"" + t + "\">at " + t + "</time>";
}

// What the history says of some checks together (a snippet's, or one): verified when each passed
// within stale_after (as of the oldest of their last passes), else stale; "failing" when one
// failed in its newest run; then the pass rate, and "flaky" when one had both outcomes. `css` is
// the status class. "" when none of them was probed.
std::string verdict_html(const HistoryView& view, const Checks& checks, std::string& css) {
  size_t passed = 0, failed = 0;
  bool flaky = false, last_failed = false, each_passed = true;
  const history::CheckSummary* oldest = nullptr;  // the check whose last pass is the oldest
  for (const history::CheckSummary* s : checks) {
    if (s->pass_rate() < 0) continue;
    passed += s->passed, failed += s->failed;
    flaky = flaky || s->flaky();
    last_failed = last_failed || s->outcomes.front() == "fail";
    if (s->last_pass_at.empty()) each_passed = false;
    else if (!oldest || s->last_pass_at < oldest->last_pass_at) oldest = s;
  }
  if (passed + failed == 0) return "";
  std::string out;
  if (!each_passed || !oldest) {
    css = "stale", out = "not verified in the last " + std::to_string(k_history_runs) + " live runs";
  } else if (stale(oldest->last_pass_at, view)) {
    css = "stale", out = "stale: last verified on " + model::html_escape(oldest->env) + " " + age_html(oldest->last_pass_at);
  } else {
    css = "verified", out = "verified on " + model::html_escape(oldest->env) + " " + age_html(oldest->last_pass_at);
  }
  if (last_failed) css = "failing", out = "failed in its last run; " + out;
  return out + "; " + history::passed_text(passed, failed) + (flaky ? "; flaky" : "");
}

const std::vector<history::CheckSummary>* checks_of(const HistoryView& view, const std::string& path) {
  auto it = view.checks.find(path);
  return view.loaded && it != view.checks.end() ? &it->second : nullptr;
}

}  // namespace

HistoryView load_history_view(const model::Config& config, std::time_t now) {
  HistoryView view;
  view.now = now;
  view.stale_after_s = static_cast<std::time_t>(config.history.stale_after.count());
  view.stamp = history_stamp(config);
  // The history is an extra: a store that cannot be read is said once and the site built without it.
  std::string why;
  auto store = history::open_existing(config, why);
  view.warning = why;
  if (!store) return view;
  std::vector<history::PastCheck> rows;
  try {
    rows = store->checks("", k_history_runs);
  } catch (const Error& e) {
    view.warning = history::unused_history_note(e);
    return view;
  }
  view.loaded = true;
  if (std::string note = store->left_out_note(); !note.empty()) view.warning = "opsbook: note: " + note;
  view.files = history::runbook_history(rows);
  for (auto& s : history::summarize(rows)) view.checks[s.latest.file].push_back(std::move(s));
  view.hash = model::fnv1a("history");
  for (const auto& [path, h] : view.files) {
    view.hash = model::fnv1a(path + '\x1f' + h.last_verified_at + '\x1f' + h.latest_at + '\x1f' + (stale(h.last_verified_at, view) ? "s" : "") + '\x1f' +
                                 history_line(view, path) + '\x1f' + check_history_html(view, path),
                             view.hash);
  }
  return view;
}

std::string history_stamp(const model::Config& config) {
  std::string out;
  if (config.history.dsn_env.empty()) {
    std::string db = config.resolve(config.history.path);
    for (const std::string& file : {db, db + "-wal"}) {
      struct stat st {};
      if (::stat(file.c_str(), &st) != 0) out += "-;";
      else out += std::to_string(st.st_mtim.tv_sec) + "." + std::to_string(st.st_mtim.tv_nsec) + ":" + std::to_string(st.st_size) + ";";
    }
    return out;
  }
  std::string why;
  auto store = history::open_existing(config, why);
  if (!store) return why;
  try {
    for (const auto& run : store->runs(1)) out = run.run_id + '\x1f' + std::to_string(run.shards_complete) + '\x1f' + std::to_string(run.results);
  } catch (const Error& e) {
    return e.what();
  }
  return out;
}

bool stale(const std::string& at, const HistoryView& view) {
  std::tm tm{};
  if (std::sscanf(at.c_str(), "%d-%d-%dT%d:%d:%d", &tm.tm_year, &tm.tm_mon, &tm.tm_mday, &tm.tm_hour, &tm.tm_min, &tm.tm_sec) != 6) return false;
  tm.tm_year -= 1900;
  tm.tm_mon -= 1;
  return view.now - timegm(&tm) > view.stale_after_s;
}

std::string flaky_count_text(const history::RunbookHistory& h) {
  if (h.flaky.empty()) return "";
  return "; " + std::to_string(h.flaky.size()) + (h.flaky.size() == 1 ? " flaky check" : " flaky checks");
}

std::string history_line(const HistoryView& view, const std::string& path) {
  auto it = view.files.find(path);
  if (!view.loaded || it == view.files.end() || it->second.runs == 0) return "";
  const history::RunbookHistory& h = it->second;
  std::string out = "Check history: " + std::to_string(h.checks) + (h.checks == 1 ? " live check" : " live checks") + " in " + std::to_string(h.runs) +
                    (h.runs == 1 ? " run" : " runs") + ", last run " + h.latest_at + "; ";
  out += h.last_verified_at.empty() ? "none of these runs passed them all" : "all passed last on " + h.last_verified_env + " at " + h.last_verified_at;
  if (h.flaky.empty()) return out + ".";
  out += ". Flaky (both outcomes):";
  for (const auto& s : h.flaky) {
    out += " line " + std::to_string(s.latest.line) + " " + s.latest.kind + " " + s.latest.target + " (passed " + std::to_string(s.passed) + " of " +
           std::to_string(s.passed + s.failed) + ");";
  }
  out.back() = '.';
  return out;
}

std::string snippet_history_html(const HistoryView& view, const std::string& path, const std::string& id) {
  const auto* all = checks_of(view, path);
  if (!all || id.empty()) return "";
  Checks mine;
  for (const auto& s : *all) {
    if (s.latest.snippet == id) mine.push_back(&s);
  }
  std::string css;
  std::string verdict = verdict_html(view, mine, css);
  if (verdict.empty()) return "";
  return "<span class=\"snippet-history status-" + css + "\">history: " + verdict + "</span>";
}

std::string row_history_html(const HistoryView& view, const model::Runbook& rb, int line) {
  const auto* all = checks_of(view, rb.path);
  if (!all) return "";
  Checks mine;
  for (const auto& ep : rb.endpoints) {
    if (ep.line != line || !ep.snippet.empty()) continue;
    const history::CheckSummary* best = nullptr;
    for (const auto& s : *all) {
      if (!s.latest.snippet.empty() || s.latest.kind != "http" || s.latest.target != ep.url) continue;
      if (!best || std::abs(s.latest.line - line) < std::abs(best->latest.line - line)) best = &s;
    }
    if (best && std::find(mine.begin(), mine.end(), best) == mine.end()) mine.push_back(best);
  }
  bool port = std::any_of(rb.ports.begin(), rb.ports.end(), [&](const model::Port& p) { return p.line == line; });
  for (const auto& s : *all) {
    if (port && s.latest.line == line && s.latest.snippet.empty() && s.latest.kind == "tcp") mine.push_back(&s);
  }
  std::string css;
  std::string verdict = verdict_html(view, mine, css);
  if (verdict.empty()) return "";
  return " <span class=\"row-history status-" + css + "\">history: " + verdict + "</span>";
}

std::string check_history_html(const HistoryView& view, const std::string& path) {
  const auto* all = checks_of(view, path);
  if (!all) return "";
  std::string items;
  for (const auto& s : *all) {
    std::string css;
    std::string verdict = verdict_html(view, {&s}, css);
    if (verdict.empty()) continue;
    const history::CheckRow& r = s.latest;
    items += "<li class=\"status-" + css + "\"><code>line " + std::to_string(r.line) + "</code> " + model::html_escape(r.kind + " " + r.target) +
             (r.snippet.empty() ? "" : " #" + model::html_escape(r.snippet)) +
             ": " + verdict + "</li>";
  }
  return items.empty() ? "" : "<ul class=\"check-history\" aria-label=\"Each check's history\">" + items + "</ul>";
}

}  // namespace opsbook::generator
