// `opsbook report merge`: the reports of the N shards of one check become the report the
// unsharded check gives (same findings in the same order, same live results, same exit code).
// Both rest on one canonical order, which `opsbook check` also writes.
#pragma once

#include <vector>

#include "validator/report_reader.hpp"

namespace opsbook::validator {

// Findings about the whole run (their file is no checked runbook: a missing path, a missing
// tool, the global deadline) first, in the order found; then each runbook's findings, by path,
// in the order its checks found them. Live results and files by path.
void canonical_order(std::vector<Finding>& findings, ReportContext& ctx);

// Throws opsbook::Error naming the report or shard at fault: a shard missing or given twice,
// reports of different runs (runbook set, tool version, environment, options), or a report
// covering runbooks of another shard. One report of an unsharded check (1/1) merges to itself,
// which converts it to any format.
LoadedReport merge_reports(std::vector<LoadedReport> reports);

}  // namespace opsbook::validator
