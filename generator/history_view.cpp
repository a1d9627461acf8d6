// Check history -> what runbook pages and lists say about it.
#include "generator/history_view.hpp"

#include <sys/stat.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>

#include "history/open.hpp"
#include "model/check_digest.hpp"
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
  view.hash = model::fnv1a("history");
  for (auto& s : history::summarize(rows)) {
    std::string outcomes;
    for (const auto& o : s.outcomes) outcomes += o + ",";
    const history::CheckRow& r = s.latest;
    view.hash = model::fnv1a(r.file + '\x1f' + r.digest + '\x1f' + std::to_string(r.line) + '\x1f' + s.env + '\x1f' + r.kind + '\x1f' + r.snippet + '\x1f' +
                                 r.target + '\x1f' + r.expectation + '\x1f' + s.latest_at + '\x1f' + outcomes + '\x1f' + s.last_pass_at + '\x1f' +
                                 (stale(s.last_pass_at, view) ? "s" : ""),
                             view.hash);
    view.checks[s.latest.file].push_back(std::move(s));
  }
  for (auto& p : rows) {
    view.hash = model::fnv1a(p.row.file + '\x1f' + p.row.digest + '\x1f' + p.run_id + '\x1f' + p.started_at + '\x1f' + p.row.outcome, view.hash);
    view.rows[p.row.file].push_back(std::move(p));
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

history::RunbookHistory runbook_history_now(const HistoryView& view, const std::string& path, const std::vector<model::CheckSource>& checks) {
  auto it = view.rows.find(path);
  if (!view.loaded || it == view.rows.end()) return {};
  std::vector<history::PastCheck> mine;
  for (const auto& p : it->second) {
    if (model::has_check(checks, p.row.digest)) mine.push_back(p);
  }
  auto all = history::runbook_history(mine);
  auto h = all.find(path);
  return h == all.end() ? history::RunbookHistory{} : std::move(h->second);
}

std::string history_line(const HistoryView& view, const std::string& path, const std::vector<model::CheckSource>& checks) {
  history::RunbookHistory h = runbook_history_now(view, path, checks);
  if (h.runs == 0) return "";
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

std::string snippet_history_html(const HistoryView& view, const std::string& path, const model::Snippet& snippet, const std::vector<model::CheckSource>& checks) {
  const auto* all = checks_of(view, path);
  if (!all) return "";
  std::string digest = model::check_digest(snippet);
  Checks mine;
  const history::CheckSummary* changed = nullptr;  // the newest pass of its id for a text it no longer has
  for (const auto& s : *all) {
    if (s.latest.snippet.empty()) continue;
    if (s.latest.digest == digest) mine.push_back(&s);
    else if (s.latest.snippet == snippet.id && !s.latest.digest.empty() && !model::has_check(checks, s.latest.digest) && !s.last_pass_at.empty()) {
      if (!changed || s.last_pass_at > changed->last_pass_at) changed = &s;
    }
  }
  std::string css;
  std::string verdict = verdict_html(view, mine, css);
  if (verdict.empty() && changed) css = "changed", verdict = "changed since verified on " + model::html_escape(changed->env) + " " + age_html(changed->last_pass_at);
  if (verdict.empty()) return "";
  return "<span class=\"snippet-history status-" + css + "\">history: " + verdict + "</span>";
}

std::string row_history_html(const HistoryView& view, const model::Runbook& rb, int line) {
  const auto* all = checks_of(view, rb.path);
  if (!all) return "";
  Checks mine;
  auto checks_for = [&](const std::string& kind, const std::string& digest) {
    for (const auto& s : *all) {
      if (!s.latest.snippet.empty() || s.latest.kind != kind || s.latest.digest != digest) continue;
      // One probe documented twice on the row (a URL in a list item and its code span): one check.
      auto same = [&](const history::CheckSummary* m) {
        return m->env == s.env && m->latest.target == s.latest.target && m->latest.expectation == s.latest.expectation && m->latest.kind == s.latest.kind;
      };
      if (std::none_of(mine.begin(), mine.end(), same)) mine.push_back(&s);
    }
  };
  for (const auto& ep : rb.endpoints) {
    if (ep.line == line && ep.snippet.empty()) checks_for("http", model::check_digest(ep));
  }
  for (const auto& p : rb.ports) {
    if (p.line == line) checks_for("tcp", model::check_digest(p));
  }
  std::string css;
  std::string verdict = verdict_html(view, mine, css);
  if (verdict.empty()) return "";
  return " <span class=\"row-history status-" + css + "\">history: " + verdict + "</span>";
}

std::string check_history_html(const HistoryView& view, const std::string& path, const std::vector<model::CheckSource>& checks) {
  const auto* all = checks_of(view, path);
  if (!all) return "";
  std::string items;
  for (const auto& s : *all) {
    if (!model::has_check(checks, s.latest.digest)) continue;
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
