// opsbook serve: the portal built in memory, served on 127.0.0.1, rebuilt when runbooks,
// templates, the configuration or a check report change, with open pages reloaded.
#include <CLI/CLI.hpp>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <thread>

#include "cli/command.hpp"
#include "cli/common.hpp"
#include "cli/last_check.hpp"
#include "generator/templates.hpp"
#include "model/error.hpp"
#include "server/preview_build.hpp"
#include "server/preview_server.hpp"
#include "server/watcher.hpp"
#include "model/terminal_text.hpp"

namespace opsbook::cli {

namespace {

namespace fs = std::filesystem;

struct ServeOptions {
  std::vector<std::string> paths;
  int port = 8000;
  std::string env;
  std::string report;
  bool no_report = false;
};

server::Watcher* g_watcher = nullptr;  // for the signal handler

extern "C" void stop_serving(int) {
  if (g_watcher) g_watcher->stop();  // a write to a pipe: safe in a signal handler
}

// What a build is made of, read again whenever the configuration or a report changes.
server::PreviewInputs load_inputs(const ServeOptions& opts, const GlobalOptions& globals) {
  server::PreviewInputs in;
  in.config = load_config(globals);
  in.paths = source_paths(opts.paths, in.config);
  ReportChoice report = choose_report(in.config, opts.report, opts.no_report, opts.env);
  in.report = report.path;
  in.report_note = report.note;
  if (opts.report.empty() && !opts.no_report) in.report_folder = fs::path(kept_report_path(in.config, "")).parent_path().string();
  return in;
}

int run_serve(const ServeOptions& opts, const GlobalOptions& globals) {
  // check the inputs -> first build in memory -> listen -> rebuild on every change until Ctrl-C
  if (opts.port < 0 || opts.port > 65535) throw Error("--port takes 0 (any free port) to 65535, not " + std::to_string(opts.port));
  {
    model::Config config = load_config(globals);
    model::Diagnostics top;
    collect_runbooks(source_paths(opts.paths, config), top);  // none: a clear message, exit 2
  }
  note_seal_key();
  std::string note;
  server::PreviewBuild preview(
      [&] {
        server::PreviewInputs in = load_inputs(opts, globals);
        note = in.report_note;
        return in;
      },
      globals.jobs);
  server::BuildEvent first = preview.build({});
  if (!first.fatal.empty()) throw Error(first.fatal);
  if (!note.empty()) model::print_line(note);
  if (!first.warning.empty()) model::print_line(first.warning);
  model::print_line(first.summary);

  server::Watcher watcher;
  preview.watch(watcher);
  generator::Templates templates("");
  server::PreviewServer http(preview.site(), templates.text("serve/reload.js"));
  // Pages served from now on carry the first build's id: a page that connects with an older one
  // is from an earlier run of the server and reloads.
  http.publish(first);
  int port = http.bind(opts.port);
  std::fprintf(stderr, "opsbook: serving http://127.0.0.1:%d/ (Ctrl-C to stop)\n", port);
  std::fflush(stderr);
  std::thread listener([&] { http.run(); });

  g_watcher = &watcher;
  std::signal(SIGINT, stop_serving);
  std::signal(SIGTERM, stop_serving);
  for (;;) {
    server::Changes changes = watcher.wait(std::chrono::milliseconds(10));
    if (changes.empty()) break;  // stopped
    std::string before = note;
    // Open pages are told as soon as the pages are built; the search index follows.
    server::BuildEvent event = preview.build(changes, [&](const server::BuildEvent& pages) { http.publish(pages); });
    if (note != before && !note.empty()) model::print_line(note);
    if (!event.warning.empty()) model::print_line(event.warning);
    model::print_line(event.summary);
    if (!event.problems.empty()) model::print_line(event.problems);
    std::fflush(stderr);
    preview.watch(watcher);  // a new templates folder or report (new content folders are watched as they come)
  }
  g_watcher = nullptr;
  http.stop();
  listener.join();
  std::fprintf(stderr, "opsbook: stopped serving\n");
  return 0;
}

}  // namespace

Command serve_command() {
  return Command{"serve", "Preview the portal: build in memory, serve on 127.0.0.1, reload pages on every change",
                 [](CLI::App& sub, const GlobalOptions& globals) -> std::function<int()> {
                   auto opts = std::make_shared<ServeOptions>();
                   sub.add_option("paths", opts->paths, "Files or folders (default: the configured content folder)");
                   sub.add_option("--port", opts->port, "Port on 127.0.0.1 (0: any free port)")->capture_default_str();
                   sub.add_option("--env", opts->env, "Badges from the last check on this environment (default: default_env, else the newest)");
                   sub.add_option("--report", opts->report, "JSON report of 'opsbook check' for the badges (default: the last check's, kept in .opsbook/)");
                   sub.add_flag("--no-report", opts->no_report, "No validation badges");
                   return [opts, &globals] { return run_serve(*opts, globals); };
                 }};
}

}  // namespace opsbook::cli
