// The subcommand table: each command registers its options on a CLI11 subcommand and runs
// with the global options. main.cpp walks the table; nothing else knows the list.
#pragma once

#include <functional>
#include <string>
#include <vector>

namespace CLI {
class App;
}

namespace opsbook::cli {

struct GlobalOptions {
  std::string config_path = "opsbook.yaml";
  bool config_given = false;
  unsigned jobs = 0;
};

struct Command {
  const char* name;
  const char* summary;
  // Adds the command's options to `sub`; returns the function that runs it (exit code).
  std::function<std::function<int()>(CLI::App& sub, const GlobalOptions& globals)> setup;
};

const std::vector<Command>& commands();

// Registered by each command's file.
Command inspect_command();
Command build_command();
Command check_command();
Command run_command();
Command checklist_command();
Command incident_command();
Command report_command();
Command serve_command();
Command init_command();
Command history_command();

}  // namespace opsbook::cli
