// From a check report to the check history: `opsbook history record` and `check --record` both
// go through here, into the store opsbook.yaml names (history:), SQLite by default.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "history/history.hpp"
#include "model/config.hpp"
#include "validator/report_writers.hpp"

namespace opsbook::cli {

// The run id: `given`, else the CI's (OPSBOOK_RUN_ID, GITHUB_RUN_ID + attempt, CI_PIPELINE_ID),
// else for an unsharded report its time and a hash of the whole report; a shard without one is
// an error (its siblings would not find it).
std::string run_id_for(const std::string& given, const std::vector<validator::Finding>& findings, const validator::ReportContext& ctx);

// Records the report; returns the line printed on stderr.
std::string record_history(history::Store& store, const std::string& run_id, const std::vector<validator::Finding>& findings,
                           const validator::ReportContext& ctx);

}  // namespace opsbook::cli
