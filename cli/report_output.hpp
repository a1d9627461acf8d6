// How `opsbook check` and `opsbook report merge` hand out a report: the chosen format on stdout
// or in -o FILE, the JSON report beside it (--json FILE), a summary line on stderr when the
// report went to a file, and the exit code for --fail-on.
#pragma once

#include <string>
#include <vector>

#include "model/diagnostic.hpp"
#include "validator/report_writers.hpp"

namespace CLI {
class App;
}

namespace opsbook::cli {

struct ReportOutput {
  std::string format = "text";
  std::string output;
  std::string json_output;  // also the JSON report, e.g. for opsbook build --report
  std::string fail_on = "error";
};

void add_report_options(CLI::App& sub, ReportOutput& out);

// Throws opsbook::Error for an unknown --format or --fail-on (call before doing the work).
model::Severity validate_report_options(const ReportOutput& out);

// Writes the report; returns the exit code (1 when a finding is at least --fail-on, else 0).
int emit_report(const ReportOutput& out, const std::vector<validator::Finding>& findings, const validator::ReportContext& ctx, const char* command);

}  // namespace opsbook::cli
