// Report -> history::ShardRecord -> the store.
#include "cli/history_record.hpp"

#include <cstdlib>

#include "cli/common.hpp"
#include "model/error.hpp"
#include "model/hash.hpp"
#include "model/terminal_text.hpp"

namespace opsbook::cli {

std::string run_id_for(const std::string& given, const std::vector<validator::Finding>& findings, const validator::ReportContext& ctx) {
  if (!given.empty()) return given;
  auto env = [](const char* name) {
    const char* v = std::getenv(name);
    return std::string(v ? v : "");
  };
  if (!env("OPSBOOK_RUN_ID").empty()) return env("OPSBOOK_RUN_ID");
  if (!env("GITHUB_RUN_ID").empty()) return "github-" + env("GITHUB_RUN_ID") + "-" + (env("GITHUB_RUN_ATTEMPT").empty() ? "1" : env("GITHUB_RUN_ATTEMPT"));
  if (!env("CI_PIPELINE_ID").empty()) return "gitlab-" + env("CI_PIPELINE_ID");
  if (ctx.shard.count > 1) {
    throw Error("history: shard " + ctx.shard.str() + " needs --run-id (the same for every shard of the run; GITHUB_RUN_ID or CI_PIPELINE_ID are used when set)");
  }
  // Outside CI: the report's time and a hash of the whole report, so recording the same report
  // again changes nothing while two checks in the same second (or under SOURCE_DATE_EPOCH, after
  // an edit) are two runs; the time and the runbook set alone made the later one replace the
  // earlier silently (s10b review B9).
  return ctx.generated_at + "-" + model::hex64(model::fnv1a(validator::write_json(findings, ctx))).substr(0, 12);
}

std::string record_history(history::Store& store, const std::string& run_id, const std::vector<validator::Finding>& findings,
                           const validator::ReportContext& ctx) {
  // The run's time orders the history: only a time opsbook writes (a report's field is input).
  if (parse_utc(ctx.generated_at) < 0) {
    throw Error("history: the report's generated_at '" + model::terminal_text(ctx.generated_at) +
                "' is not a UTC time like 2026-11-24T01:30:00Z; record the report 'opsbook check' wrote, unchanged");
  }
  history::ShardRecord rec;
  rec.run_id = run_id;
  rec.shard = ctx.shard.index;
  rec.shard_count = ctx.shard.count;
  rec.set_fingerprint = ctx.set_fingerprint;
  rec.env = ctx.live ? ctx.env : "";
  rec.started_at = ctx.generated_at;
  rec.results.reserve(ctx.results.size());
  for (const auto& r : ctx.results) {
    rec.results.push_back({r.file, r.line, r.kind, r.snippet, r.target, r.expectation, std::string(validator::to_string(r.outcome)), r.detail, r.latency_ms, r.digest});
  }
  rec.findings.reserve(findings.size());
  for (const auto& f : findings) rec.findings.push_back({f.file, f.line, f.rule, std::string(model::to_string(f.severity)), f.message});
  store.record(rec);
  return "history: recorded run " + run_id + (ctx.shard.count > 1 ? " shard " + ctx.shard.str() : "") + ": " + std::to_string(rec.results.size()) +
         " live results, " + std::to_string(rec.findings.size()) + " findings";
}

}  // namespace opsbook::cli
