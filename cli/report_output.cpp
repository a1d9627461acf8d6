// Report output shared by check and report merge.
#include "cli/report_output.hpp"

#include <CLI/CLI.hpp>
#include <cstdio>

#include "cli/common.hpp"
#include "model/error.hpp"
#include "model/terminal_text.hpp"

namespace opsbook::cli {

namespace {

const char* const k_formats[] = {"text", "json", "junit", "sarif", "github"};

std::string write(const std::string& format, const std::vector<validator::Finding>& findings, const validator::ReportContext& ctx) {
  if (format == "text") return validator::write_text(findings, ctx);
  if (format == "json") return validator::write_json(findings, ctx);
  if (format == "junit") return validator::write_junit(findings, ctx);
  if (format == "sarif") return validator::write_sarif(findings, ctx);
  return validator::write_github(findings, ctx);
}

}  // namespace

void add_report_options(CLI::App& sub, ReportOutput& out) {
  sub.add_option("--format", out.format, "text, json, junit, sarif or github")->capture_default_str();
  sub.add_option("-o,--output", out.output, "Write the report to FILE instead of stdout");
  sub.add_option("--json", out.json_output, "Also write the JSON report to FILE (for opsbook build --report, report merge, history record)");
  sub.add_option("--fail-on", out.fail_on, "Exit 1 when a finding is at least this severe: error, warning or info")->capture_default_str();
}

model::Severity validate_report_options(const ReportOutput& out) {
  model::Severity fail_on;
  if (!model::parse_severity(out.fail_on, fail_on)) throw Error("--fail-on takes error, warning or info, not '" + out.fail_on + "'");
  if (std::find(std::begin(k_formats), std::end(k_formats), out.format) == std::end(k_formats)) {
    throw Error("--format takes text, json, junit, sarif or github, not '" + out.format + "'");
  }
  return fail_on;
}

int emit_report(const ReportOutput& out, const std::vector<validator::Finding>& findings, const validator::ReportContext& ctx, const char* command) {
  model::Severity fail_on = validate_report_options(out);
  std::string report = write(out.format, findings, ctx);
  if (!out.json_output.empty()) {
    write_output(out.json_output, out.format == "json" ? report : validator::write_json(findings, ctx), "the JSON report");
  }
  write_output(out.output, report, "the report");
  if (!out.output.empty()) {
    auto s = validator::summarise(findings, ctx.files.size(), ctx.snippets);
    model::print_line(std::string("opsbook ") + command + ": " + validator::describe(s) + "; report in " + out.output);
  }
  for (const auto& f : findings) {
    if (static_cast<int>(f.severity) >= static_cast<int>(fail_on)) return 1;
  }
  return 0;
}

}  // namespace opsbook::cli
