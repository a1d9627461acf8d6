// opsbook inspect: parse runbooks and print the model, as JSON or as a readable summary.
#include <CLI/CLI.hpp>
#include <atomic>
#include <cstdio>
#include <iostream>
#include <string>

#include "cli/command.hpp"
#include "cli/common.hpp"
#include "model/loader.hpp"
#include "model/model_json.hpp"
#include "model/parallel.hpp"
#include "model/terminal_text.hpp"
#include "model/text.hpp"

namespace opsbook::cli {

namespace {

struct InspectOptions {
  std::vector<std::string> paths;
  bool json = false;
  bool pretty = false;
};

// Every text of the runbook is shown through terminal_text: a title or a reason may hold ESC.
std::string text_summary(const model::Runbook& rb) {
  using model::to_string;
  auto t = [](std::string_view text) { return model::terminal_text(text); };
  std::string out = t(rb.path) + ": " + t(rb.title) + "\n";
  size_t counts[3] = {0, 0, 0};
  for (const auto& s : rb.snippets) counts[static_cast<int>(s.safety)]++;
  using model::counted;
  out += "  " + counted(rb.sections.size(), "section") + ", " + counted(rb.snippets.size(), "snippet") + " (" + std::to_string(counts[0]) +
         " read-only, " + std::to_string(counts[1]) + " mutating, " + std::to_string(counts[2]) + " destructive), " +
         counted(rb.endpoints.size(), "endpoint") + ", " + counted(rb.ports.size(), "port") + ", " + counted(rb.checklists.size(), "checklist") +
         ", " + counted(rb.tables.size(), "table") + "\n";
  for (const auto& s : rb.snippets) {
    out += "  snippet " + t(s.id) + "  line " + std::to_string(s.line) + "  " + std::string(to_string(s.kind)) +
           (s.is_inline ? " (inline)" : "") + "  " + std::string(to_string(s.safety));
    if (!s.params.empty()) {
      out += "  params:";
      for (const auto& p : s.params) out += " " + t(p.syntax);
    }
    out += "\n";
    for (const auto& r : s.reasons) out += "    line " + std::to_string(r.line) + ": " + t(r.reason) + "\n";
  }
  for (const auto& e : rb.endpoints) {
    out += "  endpoint " + t(e.method) + " " + t(e.url) + "  expect " + (e.expect_status.empty() ? "2xx" : t(e.expect_status)) +
           "  line " + std::to_string(e.line) + (e.service.empty() ? "" : "  service " + t(e.service)) + "\n";
  }
  for (const auto& p : rb.ports) {
    out += "  port " + std::to_string(p.port) + (p.container_port ? "->" + std::to_string(p.container_port) : "") + "  " +
           t(p.service) + (p.environment.empty() ? "" : " (" + t(p.environment) + ")") + "  line " + std::to_string(p.line) + "\n";
  }
  for (const auto& c : rb.checklists) {
    out += "  checklist " + t(c.id) + "  \"" + t(c.title) + "\"  " + std::string(to_string(c.kind)) + ", " +
           model::counted(c.items.size(), "step") + "  line " + std::to_string(c.line) + "\n";
  }
  return out;
}

int run_inspect(const InspectOptions& opts, const GlobalOptions& globals) {
  // load config -> collect files -> parse and serialise in parallel -> write in order
  model::Config config = load_config(globals);
  std::vector<std::string> paths = source_paths(opts.paths, config);
  model::Diagnostics top;
  std::vector<model::SourceFile> files = collect_runbooks(paths, top);

  std::vector<std::string> rendered(files.size());
  std::vector<std::string> diagnostics(files.size());
  std::atomic<size_t> errors{top.count(model::Severity::error)};
  model::LoadOptions load;
  load.jobs = globals.jobs;
  load.limits = config.limits;
  std::vector<model::Diagnostic> unread(files.size());  // a file that is not a runbook: its diagnostic
  model::parallel_for(files.size(), globals.jobs, [&](size_t i) {
    model::Runbook rb = model::load_runbook(files[i], load);
    if (!rb.readable && !rb.diagnostics.empty()) unread[i] = rb.diagnostics.items().front();
    if (rb.readable) rendered[i] = opts.json ? model::runbook_to_json(rb, opts.pretty ? 2 : -1) : text_summary(rb);
    diagnostics[i] = render_diagnostics(rb.diagnostics, rb.source, model::Severity::warning);
    errors += rb.diagnostics.count(model::Severity::error);
  });

  OutputBuffer out(stdout);
  if (opts.json) {
    out.write("{\"version\":");
    out.write(std::to_string(model::k_model_schema_version));
    out.write(",\"runbooks\":[");
    bool first = true;
    for (size_t i = 0; i < rendered.size(); ++i) {
      if (!unread[i].rule.empty()) continue;
      if (!first) out.write(",");
      first = false;
      out.write(rendered[i]);
      std::string().swap(rendered[i]);
    }
    // Diagnostics of no runbook: paths that are missing, files that could not be read as text.
    out.write("],\"diagnostics\":[");
    first = true;
    for (const std::vector<model::Diagnostic>* list : {&top.items(), static_cast<const std::vector<model::Diagnostic>*>(&unread)}) {
      for (const auto& d : *list) {
        if (d.rule.empty()) continue;
        if (!first) out.write(",");
        first = false;
        out.write(model::diagnostic_to_json(d));
      }
    }
    out.write("]}\n");
  } else {
    for (auto& r : rendered) out.write(r);
  }
  out.flush();
  std::string all_diags = render_diagnostics(top, "", model::Severity::warning);
  for (auto& d : diagnostics) all_diags += d;
  if (!all_diags.empty()) model::print_line(all_diags);
  return errors > 0 ? 1 : 0;
}

}  // namespace

Command inspect_command() {
  return Command{"inspect", "Parse runbooks and print the model (--json for the machine-readable form)",
                 [](CLI::App& sub, const GlobalOptions& globals) -> std::function<int()> {
                   auto opts = std::make_shared<InspectOptions>();
                   sub.add_option("paths", opts->paths, "Files or folders (default: the configured content folder)");
                   sub.add_flag("--json", opts->json, "Print the model as JSON ({\"version\": 1, \"runbooks\": [...]}; see docs/commands.md)");
                   sub.add_flag("--pretty", opts->pretty, "Indent the JSON");
                   return [opts, &globals] { return run_inspect(*opts, globals); };
                 }};
}

}  // namespace opsbook::cli
