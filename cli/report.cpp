// opsbook report merge: joins the JSON reports of the shards of one check (`check --shard I/N`)
// into the report the unsharded check gives, in any format, with its exit code.
#include <CLI/CLI.hpp>

#include "cli/command.hpp"
#include "cli/report_output.hpp"
#include "validator/report_merge.hpp"

namespace opsbook::cli {

namespace {

struct MergeOptions {
  std::vector<std::string> reports;
  ReportOutput report;
};

int run_merge(const MergeOptions& opts) {
  // options -> read every report -> prove they are the shards of one run and merge -> write
  validate_report_options(opts.report);
  std::vector<validator::LoadedReport> reports;
  for (const auto& path : opts.reports) reports.push_back(validator::read_report(path));
  validator::LoadedReport merged = validator::merge_reports(std::move(reports));
  return emit_report(opts.report, merged.findings, merged.ctx, "report merge");
}

}  // namespace

Command report_command() {
  return Command{"report", "Work with check reports: 'report merge' joins the reports of sharded checks",
                 [](CLI::App& sub, const GlobalOptions&) -> std::function<int()> {
                   sub.require_subcommand(1);
                   CLI::App* merge = sub.add_subcommand("merge", "Merge the JSON reports of 'check --shard I/N' into one report");
                   auto opts = std::make_shared<MergeOptions>();
                   merge->add_option("reports", opts->reports, "JSON reports of every shard (check --format json or --json FILE)")->required();
                   add_report_options(*merge, opts->report);
                   return [opts] { return run_merge(*opts); };
                 }};
}

}  // namespace opsbook::cli
