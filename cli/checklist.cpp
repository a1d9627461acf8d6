// opsbook checklist: export every checklist and procedure as JSON or YAML.
#include <CLI/CLI.hpp>


#include "cli/command.hpp"
#include "cli/common.hpp"
#include "generator/checklist_export.hpp"
#include "model/error.hpp"
#include "model/loader.hpp"

namespace opsbook::cli {

namespace {

struct ChecklistOptions {
  std::vector<std::string> paths;
  std::string format = "json";
  std::string output;
};

int run_checklist(const ChecklistOptions& opts, const GlobalOptions& globals) {
  // load config -> parse -> export -> write
  if (opts.format != "json" && opts.format != "yaml") throw Error("--format takes json or yaml, not '" + opts.format + "'");
  model::Config config = load_config(globals);
  model::Diagnostics top;
  auto files = collect_runbooks(source_paths(opts.paths, config), top);
  model::LoadOptions load;
  load.jobs = globals.jobs;
  load.limits = config.limits;
  auto runbooks = model::load_runbooks(files, load);
  std::string text = opts.format == "json" ? generator::checklists_json(runbooks) : generator::checklists_yaml(runbooks);
  write_output(opts.output, text, "the checklists");
  int errors = 0;
  for (const auto& rb : runbooks) errors += static_cast<int>(rb.diagnostics.count(model::Severity::error));
  for (const auto& rb : runbooks) std::fputs(render_diagnostics(rb.diagnostics, rb.source, model::Severity::error).c_str(), stderr);
  std::fputs(render_diagnostics(top, "", model::Severity::error).c_str(), stderr);
  return errors > 0 || !top.empty() ? 1 : 0;
}

}  // namespace

Command checklist_command() {
  return Command{"checklist", "Export checklists and procedures with stable step ids (JSON or YAML)",
                 [](CLI::App& sub, const GlobalOptions& globals) -> std::function<int()> {
                   auto opts = std::make_shared<ChecklistOptions>();
                   sub.add_option("paths", opts->paths, "Files or folders (default: the configured content folder)");
                   sub.add_option("--format", opts->format, "json (schemas/checklist.schema.json) or yaml")->capture_default_str();
                   sub.add_option("-o,--output", opts->output, "Write to FILE instead of stdout");
                   return [opts, &globals] { return run_checklist(*opts, globals); };
                 }};
}

}  // namespace opsbook::cli
