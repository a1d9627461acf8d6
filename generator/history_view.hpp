// The check history as the portal shows it (history: in opsbook.yaml, when a store exists): per
// runbook, when its live checks last all passed and where, stale when that is longer ago than
// history.stale_after, and its flaky checks; per snippet, per endpoint or port row and per check
// the same with its pass rate. Read once per build; the build key changes when it does.
#pragma once

#include <cstdint>
#include <ctime>
#include <map>
#include <string>
#include <vector>

#include "history/runbook_history.hpp"
#include "model/config.hpp"
#include "model/runbook.hpp"

namespace opsbook::generator {

inline constexpr size_t k_history_runs = 20;  // live runs looked at

struct HistoryView {
  bool loaded = false;
  std::time_t now = 0;                      // the build's time: "stale" is decided against it
  std::time_t stale_after_s = 7 * 24 * 3600;  // history.stale_after
  std::string warning;                      // a configured history that cannot be read, and what to do
  std::map<std::string, history::RunbookHistory> files;               // by runbook path
  std::map<std::string, std::vector<history::CheckSummary>> checks;  // by runbook path, by line
  uint64_t hash = 0;  // of what the pages show
  std::string stamp;  // history_stamp() before it was read
};

// Throws opsbook::Error when a configured store cannot be read; no store is an empty view (with
// a warning when history: dsn_env names a variable that is not set).
HistoryView load_history_view(const model::Config& config, std::time_t now);

// Changes when the configured store may have changed: the SQLite file's (and its WAL's) time and
// size, or PostgreSQL's newest run. Cheap: `opsbook serve` asks before each rebuild.
std::string history_stamp(const model::Config& config);

// True when `at` (UTC ISO 8601) is longer ago than the view's stale_after.
bool stale(const std::string& at, const HistoryView& view);

// "; 2 flaky checks" or "".
std::string flaky_count_text(const history::RunbookHistory& h);

// The runbook page's history line ("" when the history has nothing on it).
std::string history_line(const HistoryView& view, const std::string& path);

// Beside snippet `id` of runbook `path`: what its checks' history says, as HTML ("" nothing).
std::string snippet_history_html(const HistoryView& view, const std::string& path, const std::string& id);

// At the end of the table row or list item of `rb` that documents endpoints or a port on `line`:
// what the history says of that row's checks together, as HTML ("" nothing). An endpoint's check
// is the one of its URL (no snippet) on that line, or else on the nearest line (an edit above the
// row moved it); a port's is the TCP check of that line.
std::string row_history_html(const HistoryView& view, const model::Runbook& rb, int line);

// Under the history line: each check of `path` (snippet commands, endpoint rows) by line with its
// history, as an HTML list ("" when there is none).
std::string check_history_html(const HistoryView& view, const std::string& path);

}  // namespace opsbook::generator
