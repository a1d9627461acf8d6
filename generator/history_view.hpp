// The check history as the portal shows it (history: in opsbook.yaml, when a store exists): per
// runbook, when its live checks last all passed and where, stale when that is longer ago than
// history.stale_after, and its flaky checks; per snippet, per endpoint or port row and per check
// the same with its pass rate. Read once per build; the build key changes when it does. A past
// result counts only for the text it checked (model/check_digest): a runbook's checks are those
// whose digests it has now (Summary::checks); rows recorded without a digest count for none.
#pragma once

#include <cstdint>
#include <ctime>
#include <map>
#include <string>
#include <vector>

#include "history/runbook_history.hpp"
#include "model/check_digest.hpp"
#include "model/config.hpp"
#include "model/runbook.hpp"

namespace opsbook::generator {

inline constexpr size_t k_history_runs = 20;  // live runs looked at

struct HistoryView {
  bool loaded = false;
  std::time_t now = 0;                      // the build's time: "stale" is decided against it
  std::time_t stale_after_s = 7 * 24 * 3600;  // history.stale_after
  std::string warning;                      // a configured history that cannot be read, and what to do
  std::map<std::string, std::vector<history::PastCheck>> rows;        // by runbook path, newest run first
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

// What the history says of runbook `path` from the results of the checks it has now (`checks`,
// sorted by digest): runs == 0 when none.
history::RunbookHistory runbook_history_now(const HistoryView& view, const std::string& path, const std::vector<model::CheckSource>& checks);

// The runbook page's history line ("" when the history has nothing on its checks now).
std::string history_line(const HistoryView& view, const std::string& path, const std::vector<model::CheckSource>& checks);

// Beside snippet `s` of runbook `path`: what the history of its text's checks says, as HTML; when
// it has none, "changed since verified on ENV at TIME" if a past check of its id passed for a
// text the runbook no longer has (`checks`: what it has now); else "".
std::string snippet_history_html(const HistoryView& view, const std::string& path, const model::Snippet& s, const std::vector<model::CheckSource>& checks);

// At the end of the table row or list item of `rb` that documents endpoints or a port on `line`:
// what the history says of that row's checks together, as HTML ("" nothing): the HTTP checks of
// its endpoints and the TCP check of its port, by digest (wherever the row was then).
std::string row_history_html(const HistoryView& view, const model::Runbook& rb, int line);

// Under the history line: each check of `path` (snippet commands, endpoint rows) whose text it
// still has (`checks`), by line with its history, as an HTML list ("" when there is none).
std::string check_history_html(const HistoryView& view, const std::string& path, const std::vector<model::CheckSource>& checks);

}  // namespace opsbook::generator
