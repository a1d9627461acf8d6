// Reads a JSON report of `opsbook check` back into findings and their context: the inverse of
// write_json, so that `opsbook report merge` renders any format from shard reports, and
// `opsbook history record` stores what a check found.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "validator/report_writers.hpp"

namespace opsbook::validator {

struct LoadedReport {
  std::string path;  // where it was read from, for messages
  std::vector<Finding> findings;
  ReportContext ctx;
};

inline constexpr size_t k_max_report_bytes = size_t{1} << 30;

// Throws opsbook::Error naming `path` and what is wrong (unreadable, not JSON, not a report of
// this format, a field of the wrong type).
LoadedReport read_report(const std::string& path);
LoadedReport parse_report(std::string_view text, const std::string& path);

}  // namespace opsbook::validator
