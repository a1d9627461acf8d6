// opsbook: parse, validate, render and run ops runbooks. main() only builds the command line
// from the subcommand table, runs the chosen command and maps errors to exit codes.
#include <CLI/CLI.hpp>
#include <csignal>
#include <cstdio>
#include <iostream>
#include <map>

#include "cli/command.hpp"
#include "cli/help.hpp"
#include "cli/terminal_sink.hpp"
#include "model/error.hpp"
#include "model/terminal_text.hpp"
#include "model/temp_dir.hpp"

#ifdef OPSBOOK_JEMALLOC
// Read by jemalloc at start-up: transparent huge pages for its memory. A portal build holds a few
// hundred MB; with 4 KiB pages, first-touch page faults alone cost most of a second.
extern "C" {
extern const char* malloc_conf;
const char* malloc_conf = "thp:always,metadata_thp:always";
}
#endif

namespace opsbook::cli {

const std::vector<Command>& commands() {
  static const std::vector<Command> k_commands = {inspect_command(), build_command(), check_command(), run_command(), checklist_command(), incident_command(),
                                                   report_command(), serve_command(), init_command(), history_command()};
  return k_commands;
}

}  // namespace opsbook::cli

int main(int argc, char** argv) {
  using namespace opsbook::cli;
  guard_standard_streams();
  // A helper (bash -n, shellcheck, a snippet) that exits before reading its input must give us
  // EPIPE, not end opsbook silently with 141. Children get the default disposition back.
  std::signal(SIGPIPE, SIG_IGN);
  // A write over RLIMIT_FSIZE fails with EFBIG (reported, old site kept) instead of killing us.
  std::signal(SIGXFSZ, SIG_IGN);
  opsbook::model::install_temp_cleanup();  // temporary folders go with us on Ctrl-C / SIGTERM
  CLI::App app{"opsbook: trustworthy, usable ops runbooks", "opsbook"};
  app.set_version_flag("--version", std::string("opsbook ") + OPSBOOK_VERSION);
  app.require_subcommand(0, 1);
  GlobalOptions globals;
  app.add_option("--config", globals.config_path, "Configuration file (default ./opsbook.yaml)")
      ->each([&](const std::string&) { globals.config_given = true; });
  app.add_option("-j,--jobs", globals.jobs, "Worker threads (default: one per core)");

  std::map<CLI::App*, std::function<int()>> runners;
  for (const auto& cmd : commands()) {
    CLI::App* sub = app.add_subcommand(cmd.name, cmd.summary);
    runners[sub] = cmd.setup(*sub, globals);
  }
  app.footer(std::string("Run 'opsbook help COMMAND' for a command's options. ") + k_docs_hint + ".\n");
  std::vector<std::string> help_topic;
  CLI::App* help = app.add_subcommand("help", "Show help for a command (e.g. 'help incident new'), or 'help rules'");
  help->add_option("command", help_topic, "Command and subcommand names, or 'rules' for the check rules");

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    app.exit(e);
    return 2;
  }

  try {
    if (app.get_subcommands().empty()) {
      std::cout << app.help();
      return 2;
    }
    if (help->parsed()) return print_help(app, help_topic);
    for (auto& [sub, run] : runners) {
      if (sub->parsed()) return run();
    }
  } catch (const opsbook::Error& e) {
    std::cerr << "opsbook: error: " << opsbook::model::terminal_text(e.what(), opsbook::model::Lines::many) << '\n';
    return 2;
  } catch (const std::exception& e) {
    std::cerr << "opsbook: internal error: " << opsbook::model::terminal_text(e.what(), opsbook::model::Lines::many) << '\n';
    return 2;
  }
  return 0;
}
