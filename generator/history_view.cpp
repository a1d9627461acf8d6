// Check history -> what runbook pages and lists say about it.
#include "generator/history_view.hpp"

#include <cstdio>

#include "history/open.hpp"
#include "model/hash.hpp"

namespace opsbook::generator {

HistoryView load_history_view(const model::Config& config, std::time_t now) {
  HistoryView view;
  view.now = now;
  std::string why;
  auto store = history::open_existing(config, why);
  if (!store) return view;
  view.loaded = true;
  view.files = history::runbook_history(store->checks("", k_history_runs));
  view.hash = model::fnv1a("history");
  for (const auto& [path, h] : view.files) {
    view.hash = model::fnv1a(path + '\x1f' + h.last_verified_at + '\x1f' + h.latest_at + '\x1f' + (stale(h.last_verified_at, now) ? "s" : "") + '\x1f' +
                                 history_line(view, path),
                             view.hash);
  }
  return view;
}

bool stale(const std::string& at, std::time_t now) {
  std::tm tm{};
  if (std::sscanf(at.c_str(), "%d-%d-%dT%d:%d:%d", &tm.tm_year, &tm.tm_mon, &tm.tm_mday, &tm.tm_hour, &tm.tm_min, &tm.tm_sec) != 6) return false;
  tm.tm_year -= 1900;
  tm.tm_mon -= 1;
  return now - timegm(&tm) > k_stale_after_s;
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

}  // namespace opsbook::generator
