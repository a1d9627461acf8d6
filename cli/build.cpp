// opsbook build: render the portal into the output folder (atomic, incremental), optionally
// watching the content folder and rebuilding on change.
#include <CLI/CLI.hpp>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <thread>

#include "cli/command.hpp"
#include "cli/common.hpp"
#include "cli/last_check.hpp"
#include "cli/progress.hpp"
#include "generator/site.hpp"
#include "model/error.hpp"
#include "model/text.hpp"
#include "model/terminal_text.hpp"

namespace opsbook::cli {

namespace {

namespace fs = std::filesystem;

struct BuildCliOptions {
  std::vector<std::string> paths;
  std::string output;
  std::string report;
  bool no_report = false;
  std::string env;  // whose kept report gives the badges
  bool full = false;
  bool watch = false;
};

// Sum of sizes and mtimes of the sources: cheap change detection for --watch.
uint64_t fingerprint(const std::vector<std::string>& paths) {
  uint64_t h = 1469598103934665603ull;
  model::Diagnostics ignored;
  for (const auto& f : model::collect_sources(paths, ignored)) {
    std::error_code ec;
    auto t = fs::last_write_time(f.path, ec).time_since_epoch().count();
    auto size = fs::file_size(f.path, ec);
    h = (h ^ static_cast<uint64_t>(t) ^ (static_cast<uint64_t>(size) << 1)) * 1099511628211ull;
    for (char c : f.path) h = (h ^ static_cast<unsigned char>(c)) * 1099511628211ull;
  }
  return h;
}

int build_once(const BuildCliOptions& opts, const GlobalOptions& globals) {
  // load config -> collect files -> build (parse, render, index) -> report
  auto start = std::chrono::steady_clock::now();
  model::Config config = load_config(globals);
  std::vector<std::string> paths = source_paths(opts.paths, config);
  note_seal_key();
  model::Diagnostics top;
  std::vector<model::SourceFile> files = collect_runbooks(paths, top);
  model::drop_slug_collisions(files, top);
  if (files.empty() && top.has_errors()) {
    std::fputs(render_diagnostics(top, "", model::Severity::warning).c_str(), stderr);
    throw Error("nothing to build: no runbooks found");
  }
  generator::BuildOptions options;
  options.output = opts.output.empty() ? config.resolve(config.output) : opts.output;
  ReportChoice report = choose_report(config, opts.report, opts.no_report, opts.env);
  if (!report.note.empty()) model::print_line(report.note);
  options.report = report.path;
  options.jobs = globals.jobs;
  options.incremental = !opts.full;
  options.free_memory = opts.watch;
  std::string diagnostics;
  if (std::getenv("OPSBOOK_TIMING")) {
    std::fprintf(stderr, "  %-28s %7.3f s\n", "config, file list", std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
  }
  std::atomic<size_t> done{0};
  options.progress = &done;
  generator::BuildStats stats;
  {
    Progress progress;
    progress.phase("building the portal: runbooks", &done, files.size());
    stats = generator::build_site(config, files, options, diagnostics);
  }
  std::fputs(render_diagnostics(top, "", model::Severity::warning).c_str(), stderr);
  if (!diagnostics.empty()) model::print_line(diagnostics);
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::string search = stats.search_shards > 0 ? model::counted(stats.search_shards, "search shard") : std::string("search index unchanged");
  // A file that is no runbook (binary, CR line endings) is read but gets no page.
  std::string unread = stats.unread > 0 ? "; " + model::counted(stats.unread, "file") + " not read as a runbook" : "";
  std::fprintf(stderr, "opsbook: built %s (%zu rendered, %zu unchanged%s), %s, %zu of %s written, into %s in %.2f s\n",
               model::counted(stats.runbooks, "runbook").c_str(), stats.parsed - stats.unread, stats.reused, unread.c_str(), search.c_str(), stats.written,
               model::counted(stats.files, "file").c_str(), options.output.c_str(), seconds);
  return (stats.errors > 0 || top.has_errors()) ? 1 : 0;
}

int run_build(const BuildCliOptions& opts, const GlobalOptions& globals) {
  int code = build_once(opts, globals);
  if (!opts.watch) return code;
  model::Config config = load_config(globals);
  std::vector<std::string> paths = source_paths(opts.paths, config);
  uint64_t last = fingerprint(paths);
  std::fprintf(stderr, "opsbook: watching for changes (Ctrl-C to stop)\n");
  for (;;) {
    std::this_thread::sleep_for(std::chrono::milliseconds(400));
    uint64_t now = fingerprint(paths);
    if (now == last) continue;
    last = now;
    try {
      build_once(opts, globals);
    } catch (const Error& e) {
      model::print_line(std::string("opsbook: error: ") + e.what());
    }
  }
}

}  // namespace

Command build_command() {
  return Command{"build", "Render the ops portal (atomic and incremental)",
                 [](CLI::App& sub, const GlobalOptions& globals) -> std::function<int()> {
                   auto opts = std::make_shared<BuildCliOptions>();
                   sub.add_option("paths", opts->paths, "Files or folders (default: the configured content folder)");
                   sub.add_option("-o,--output", opts->output, "Output folder (default: the configured output, site/)");
                   sub.add_option("--report", opts->report, "JSON report of 'opsbook check' for the badges (default: the last check's, kept in .opsbook/)");
                   sub.add_flag("--no-report", opts->no_report, "No validation badges: every page says \"never verified\"");
                   sub.add_option("--env", opts->env, "Badges from the last check on this environment (default: default_env, else the newest)");
                   sub.add_flag("--full", opts->full, "Ignore the previous build and render everything");
                   sub.add_flag("--watch", opts->watch, "Rebuild when runbooks change");
                   return [opts, &globals] { return run_build(*opts, globals); };
                 }};
}

}  // namespace opsbook::cli
