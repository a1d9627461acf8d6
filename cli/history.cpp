// opsbook history: `record REPORT.json` stores a check report (one shard or a whole run) in the
// check history; `show [RUNBOOK[#SNIPPET]]` prints each check's last outcomes, pass rate, last
// pass and flakiness, or without a runbook the last runs and the flaky checks.
#include <CLI/CLI.hpp>
#include <algorithm>
#include <cstdio>

#include "cli/command.hpp"
#include "cli/common.hpp"
#include "cli/history_record.hpp"
#include "history/open.hpp"
#include "history/summary.hpp"
#include "model/error.hpp"
#include "model/terminal_text.hpp"
#include "validator/report_reader.hpp"

namespace opsbook::cli {

namespace {

struct HistoryOptions {
  std::string report;
  std::string run_id;
  std::string which;  // RUNBOOK[#SNIPPET]
  size_t last = 20;
};

int run_record(const HistoryOptions& opts, const GlobalOptions& globals) {
  // config -> store -> read the report -> record
  auto store = history::open_configured(load_config(globals));
  validator::LoadedReport report = validator::read_report(opts.report);
  model::print_line(record_history(*store, run_id_for(opts.run_id, report.findings, report.ctx), report.findings, report.ctx));
  return 0;
}

char letter(const std::string& outcome) { return outcome == "pass" ? 'P' : outcome == "fail" ? 'F' : outcome == "refused" ? 'R' : 'S'; }

std::string describe(const history::CheckSummary& s) {
  const history::CheckRow& r = s.latest;
  auto t = [](std::string_view text) { return model::terminal_text(text); };  // the file may hold ESC: it is input too
  std::string out = t(r.file + ":" + std::to_string(r.line) + ": " + r.kind + " " + r.target + " (" + r.expectation + ")");
  if (!r.snippet.empty()) out += " #" + t(r.snippet);
  out += "\n  last " + t(s.outcomes.front()) + " on " + t(s.env) + " at " + t(s.latest_at) + "; ";
  out += s.pass_rate() < 0 ? "never probed in these runs" : history::passed_text(s.passed, s.failed);
  out += "; last pass " + (s.last_pass_at.empty() ? std::string("not in these runs") : t(s.last_pass_at));
  if (s.flaky()) out += "; FLAKY";
  out += "\n  newest first: ";
  for (const auto& o : s.outcomes) out += letter(o);
  return out + "\n";
}

// What `history show` adds to a sealed run that never counts (history/seal).
const char* left_out_text(const std::string& why) {
  if (why == "future") return "; LEFT OUT: dated in the future";
  if (why == "environment") return "; LEFT OUT: not an environment of opsbook.yaml";
  return "";
}

// The note on runs left out, once, after what `history show` printed.
void note_left_out(const history::Store& store) {
  if (std::string note = store.left_out_note(); !note.empty()) model::print_line("opsbook: note: " + note);
}

// One run of the list. A run one of whose seals does not hold shows no figure: they would come
// from rows opsbook did not write (s10b review B5).
std::string run_line(const history::RunInfo& r) {
  std::string out = "  " + model::terminal_text(r.started_at) + "  " + model::terminal_text(r.run_id) + "  " + (r.env.empty() ? "static" : model::terminal_text(r.env));
  if (r.left_out == "unsealed") return out + "  LEFT OUT: not sealed here\n";
  out += "  " + std::to_string(r.results) + " live results, ";
  out += r.complete() ? "complete" : "INCOMPLETE: " + std::to_string(r.shards_complete) + " of " + std::to_string(r.shard_count) + " shards recorded";
  return out + left_out_text(r.left_out) + "\n";
}

int show_runs(history::Store& store, size_t last) {
  // One snapshot for all it reads (s9 review R9).
  history::Store::Snapshot snapshot(store);
  std::vector<history::CheckSummary> flaky;
  for (auto& s : history::summarize(store, "", last)) {
    if (s.flaky()) flaky.push_back(std::move(s));
  }
  auto runs = store.runs(last);
  if (runs.empty()) {
    std::printf("no runs recorded yet (opsbook check --record, or opsbook history record REPORT.json)\n");
    return 0;
  }
  size_t counting = static_cast<size_t>(std::count_if(runs.begin(), runs.end(), [](const history::RunInfo& r) { return r.left_out.empty(); }));
  size_t left_out = runs.size() - counting + store.runs_not_listed();
  std::printf("last %zu %s, newest first%s:\n", counting, counting == 1 ? "run" : "runs",
              left_out == 0 ? "" : (" (" + std::to_string(left_out) + (left_out == 1 ? " run" : " runs") + " left out among them)").c_str());
  for (const auto& r : runs) std::fputs(run_line(r).c_str(), stdout);
  if (size_t more = store.runs_not_listed(); more > 0) std::printf("  ... and %zu more %s left out, not listed\n", more, more == 1 ? "run" : "runs");
  std::printf("%zu flaky checks (both outcomes in one environment within the last %zu live runs)%s\n", flaky.size(), last, flaky.empty() ? "" : ":");
  for (const auto& s : flaky) std::fputs(describe(s).c_str(), stdout);
  std::fflush(stdout);
  note_left_out(store);
  return 0;
}

int run_show(const HistoryOptions& opts, const GlobalOptions& globals) {
  // config -> store -> the runs, or one runbook's checks summarised
  if (opts.last == 0) throw Error("--last takes a number of runs above 0");
  auto store = history::open_configured(load_config(globals));
  if (opts.which.empty()) return show_runs(*store, opts.last);
  size_t hash = opts.which.find('#');
  std::string file = opts.which.substr(0, hash);
  std::string snippet = hash == std::string::npos ? "" : opts.which.substr(hash + 1);
  std::vector<history::CheckSummary> summaries;
  {
    history::Store::Snapshot snapshot(*store);
    summaries = history::summarize(*store, file, opts.last);
  }
  if (!snippet.empty()) std::erase_if(summaries, [&](const history::CheckSummary& s) { return s.latest.snippet != snippet; });
  if (summaries.empty()) {
    std::printf("%s: no live checks recorded in the last %zu runs (the path as the report names it)\n", opts.which.c_str(), opts.last);
  }
  for (const auto& s : summaries) std::fputs(describe(s).c_str(), stdout);
  std::fflush(stdout);
  note_left_out(*store);
  return 0;
}

}  // namespace

Command history_command() {
  return Command{"history", "Check history: 'history record' stores a check report, 'history show' prints outcomes over runs",
                 [](CLI::App& sub, const GlobalOptions& globals) -> std::function<int()> {
                   sub.require_subcommand(1);
                   auto opts = std::make_shared<HistoryOptions>();
                   CLI::App* record = sub.add_subcommand("record", "Record a JSON check report (one shard or a whole run) in the history");
                   record->add_option("report", opts->report, "JSON report of opsbook check (--format json or --json FILE)")->required();
                   record->add_option("--run-id", opts->run_id, "Run id, the same for every shard (default: the CI's run id)");
                   CLI::App* show = sub.add_subcommand("show", "Last outcomes, pass rate, last pass and flaky checks");
                   show->add_option("runbook", opts->which, "RUNBOOK[#SNIPPET] as the report names it; none: the last runs and flaky checks");
                   show->add_option("--last", opts->last, "Live runs to look at (static runs have no live checks)")->capture_default_str();
                   return [opts, record, &globals] { return record->parsed() ? run_record(*opts, globals) : run_show(*opts, globals); };
                 }};
}

}  // namespace opsbook::cli
