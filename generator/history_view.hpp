// The check history as the portal shows it (history: in opsbook.yaml, when a store exists): per
// runbook, when its live checks last all passed and where, stale when that is older than a week,
// and its flaky checks. Read once per build; the build key changes when it does.
#pragma once

#include <cstdint>
#include <ctime>
#include <map>
#include <string>

#include "history/runbook_history.hpp"
#include "model/config.hpp"

namespace opsbook::generator {

inline constexpr std::time_t k_stale_after_s = 7 * 24 * 3600;
inline constexpr size_t k_history_runs = 20;  // live runs looked at

struct HistoryView {
  bool loaded = false;
  std::time_t now = 0;  // the build's time: "stale" is decided against it
  std::map<std::string, history::RunbookHistory> files;  // by runbook path
  uint64_t hash = 0;  // of what the pages show
};

// Throws opsbook::Error when a configured store cannot be read; no store is an empty view.
HistoryView load_history_view(const model::Config& config, std::time_t now);

// True when `at` (UTC ISO 8601) is older than k_stale_after_s before `now`.
bool stale(const std::string& at, std::time_t now);

// "; 2 flaky checks" or "".
std::string flaky_count_text(const history::RunbookHistory& h);

// The runbook page's history line ("" when the history has nothing on it).
std::string history_line(const HistoryView& view, const std::string& path);

}  // namespace opsbook::generator
