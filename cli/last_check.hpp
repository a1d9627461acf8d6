// The last check report, kept per environment in .opsbook/ beside the configuration, so that
// `build` and `serve` show badges without being told where the report is.
#pragma once

#include <string>
#include <string_view>

#include "model/config.hpp"

namespace opsbook::cli {

// .opsbook/last-check.json (no environment) or .opsbook/last-check-<env>.json, relative to the
// configuration file's folder.
std::string kept_report_path(const model::Config& config, std::string_view env);

// Writes the JSON report of a check atomically (temporary file, then rename), and its seal beside
// it (FILE.seal, model/seal_key): only a report with a seal that holds is ever read back. A folder
// that cannot be written is a warning on stderr, never a failure of the check.
void keep_report(const model::Config& config, std::string_view env, std::string_view json);

struct KeptReport {
  std::string path;          // "" when there is none
  std::string env;           // as the report says
  std::string generated_at;  // UTC, ISO 8601
  // A report found whose seal does not hold (committed, copied, edited): never used.
  std::string unsealed;
};

// The report `build` and `serve` use by default: that of `env` when given, else of the configured
// default_env, else the newest live one, else the static one; path "" when there is none.
KeptReport find_kept_report(const model::Config& config, std::string_view env);

struct ReportChoice {
  std::string path;  // "" = no badges
  std::string note;  // what to tell the user about it ("" = nothing)
};

// The check report for the badges of `build` and `serve`: `given` (--report FILE), else the kept
// one (see find_kept_report), unless `none` (--no-report).
ReportChoice choose_report(const model::Config& config, const std::string& given, bool none, std::string_view env);

// "verified live on staging 2 h ago" style age of an ISO 8601 UTC time, relative to now:
// "just now", "5 min ago", "3 h ago", "2 days ago"; "" when the time cannot be read.
std::string age_of(std::string_view generated_at);

}  // namespace opsbook::cli
