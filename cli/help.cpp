// opsbook help: walks the command tree by name, so `help incident new` prints what
// `incident new --help` prints (CLI11 formats both, with the same usage line).
#include "cli/help.hpp"

#include <CLI/CLI.hpp>
#include <cstdio>
#include <iostream>

#include "model/diagnostic.hpp"
#include "validator/finding.hpp"

namespace opsbook::cli {

namespace {

std::vector<const CLI::App*> subcommands_of(const CLI::App& app) {
  std::vector<const CLI::App*> out;
  for (const CLI::App* sub : app.get_subcommands([](const CLI::App*) { return true; })) {
    if (sub->get_name() != "help") out.push_back(sub);
  }
  return out;
}

int print_rules() {
  for (const auto& r : validator::rules()) {
    std::printf("%-24s %-8s %s\n", r.id, std::string(model::to_string(r.severity)).c_str(), r.doc);
  }
  return 0;
}

}  // namespace

int print_help(const CLI::App& app, const std::vector<std::string>& topic) {
  if (topic.empty()) {
    // Not app.help(): CLI11 would describe the selected subcommand, `help` itself.
    std::cout << app.get_formatter()->make_help(&app, app.get_name(), CLI::AppFormatMode::Normal);
    return 0;
  }
  if (topic.size() == 1 && topic[0] == "rules") return print_rules();
  const CLI::App* at = &app;
  std::string parent;  // "opsbook incident": what CLI11 prints before the command's own name
  for (const auto& name : topic) {
    const CLI::App* next = nullptr;
    std::string known;
    for (const CLI::App* sub : subcommands_of(*at)) {
      if (sub->get_name() == name) next = sub;
      known += (known.empty() ? "" : ", ") + sub->get_name();
    }
    if (next == nullptr) {
      if (at == &app) {
        std::cerr << "opsbook: error: unknown command '" << name << "'; commands: " << known << "; also 'opsbook help rules'\n";
      } else {
        std::cerr << "opsbook: error: '" << parent + " " + at->get_name() << "' has no command '" << name << "'"
                  << (known.empty() ? std::string() : "; it has: " + known) << "\n";
      }
      return 2;
    }
    parent = parent.empty() ? at->get_name() : parent + " " + at->get_name();
    at = next;
  }
  std::cout << at->help(parent);
  return 0;
}

}  // namespace opsbook::cli
