// Shard reports -> one report. Runbook findings and live results come from exactly one shard, so
// concatenating and putting them in canonical order rebuilds the unsharded report; findings
// about the whole run are reconciled rule by rule (see merge_run_findings).
#include "validator/report_merge.hpp"

#include <algorithm>
#include <map>
#include <set>
#include <tuple>

#include "model/error.hpp"
#include "model/shard.hpp"
#include "validator/live_check.hpp"

namespace opsbook::validator {

namespace {

auto identity(const Finding& f) { return std::tie(f.rule, f.severity, f.file, f.line, f.col, f.message); }

bool same_finding(const Finding& a, const Finding& b) { return identity(a) == identity(b); }

[[noreturn]] void refuse(const std::string& message) { throw Error(message); }

// Every report is a shard of the same run: same N, each index once, same runbook set, tool,
// environment and options.
void check_shards(const std::vector<LoadedReport>& reports) {
  const LoadedReport& first = reports.front();
  unsigned n = first.ctx.shard.count;
  std::map<unsigned, const LoadedReport*> by_index;
  for (const auto& r : reports) {
    const ReportContext& c = r.ctx;
    if (c.shard.count != n) {
      refuse(r.path + " is shard " + c.shard.str() + " but " + first.path + " is shard " + first.ctx.shard.str() +
             ": merge the reports of one sharded run");
    }
    auto [it, fresh] = by_index.emplace(c.shard.index, &r);
    if (!fresh) refuse("shard " + c.shard.str() + " is given twice: " + it->second->path + " and " + r.path);
    if (c.set_fingerprint != first.ctx.set_fingerprint || c.set_count != first.ctx.set_count) {
      refuse(r.path + " (shard " + c.shard.str() + ") checked another runbook set (" + std::to_string(c.set_count) + " runbooks, set " +
             c.set_fingerprint + ") than " + first.path + " (" + std::to_string(first.ctx.set_count) + " runbooks, set " + first.ctx.set_fingerprint +
             "): run every shard on the same commit with the same paths");
    }
    if (c.tool_version != first.ctx.tool_version) {
      refuse(r.path + " was written by opsbook " + c.tool_version + ", " + first.path + " by opsbook " + first.ctx.tool_version + ": use one version for every shard");
    }
    if (c.live != first.ctx.live || c.env != first.ctx.env) {
      auto what = [](const ReportContext& x) { return x.live ? "live on '" + x.env + "'" : std::string("static only"); };
      refuse(r.path + " is " + what(c) + ", " + first.path + " is " + what(first.ctx) + ": run every shard with the same --live and --env");
    }
    if (c.live_stats.per_host != first.ctx.live_stats.per_host || c.live_stats.rate != first.ctx.live_stats.rate) {
      refuse(r.path + " kept other per-host limits than " + first.path + " (--per-host, --rate): run every shard with the same options");
    }
    if (!(c.scope == first.ctx.scope)) {
      refuse(r.path + " was checked with other options than " + first.path + " (--no-shell, --no-shellcheck, --changed-since): run every shard with the same options");
    }
  }
  std::string missing;
  for (unsigned i = 1; i <= n; ++i) {
    if (!by_index.count(i)) missing += (missing.empty() ? "" : ", ") + model::Shard{i, n}.str();
  }
  bool one = missing.find(',') == std::string::npos;
  if (!missing.empty()) refuse(std::string(one ? "shard " : "shards ") + missing + (one ? " is" : " are") + " missing: merge the reports of all " + std::to_string(n) + " shards (a shard that failed wrote none)");
}

// Each report holds exactly its shard's runbooks, and together they are the whole set.
void check_coverage(const std::vector<LoadedReport>& reports) {
  const ReportContext& first = reports.front().ctx;
  std::vector<std::string> all;
  for (const auto& r : reports) {
    for (const auto& file : r.ctx.files) {
      unsigned owner = model::shard_of(file, r.ctx.shard.count);
      if (owner != r.ctx.shard.index) {
        refuse(r.path + " (shard " + r.ctx.shard.str() + ") holds " + file + ", which belongs to shard " + model::Shard{owner, r.ctx.shard.count}.str() +
               ": the report was not written by 'opsbook check --shard " + r.ctx.shard.str() + "'");
      }
      all.push_back(file);
    }
  }
  if (!first.scope.changed_since.empty()) return;  // only changed runbooks were checked: the set cannot be recounted
  if (all.size() != first.set_count || model::path_set_fingerprint(all) != first.set_fingerprint) {
    refuse("the shards cover " + std::to_string(all.size()) + " runbooks, but the set they were cut from has " + std::to_string(first.set_count) +
           " (set " + first.set_fingerprint + "): a report was edited or truncated");
  }
}

// Findings about the whole run. Most are the same in every shard (a missing path, a missing
// tool): kept once. `drift-env-unused` says no runbook of the shard mentions a variable: true of
// the run only when every shard says it. `live-deadline` counts late checks: recounted over
// the merged results.
std::vector<Finding> merge_run_findings(const std::vector<LoadedReport>& reports, const std::vector<std::set<std::string>>& files) {
  std::vector<Finding> out;
  for (size_t k = 0; k < reports.size(); ++k) {
    for (const auto& f : reports[k].findings) {
      if (files[k].count(f.file) || f.rule == "live-deadline") continue;
      if (std::any_of(out.begin(), out.end(), [&](const Finding& o) { return same_finding(o, f); })) continue;
      if (f.rule == "drift-env-unused") {
        bool everywhere = std::all_of(reports.begin(), reports.end(), [&](const LoadedReport& r) {
          return std::any_of(r.findings.begin(), r.findings.end(), [&](const Finding& o) { return same_finding(o, f); });
        });
        if (!everywhere) continue;
      }
      out.push_back(f);
    }
  }
  return out;
}

}  // namespace

void canonical_order(std::vector<Finding>& findings, ReportContext& ctx) {
  std::stable_sort(ctx.files.begin(), ctx.files.end());
  std::set<std::string_view> runbooks(ctx.files.begin(), ctx.files.end());
  auto key = [&](const Finding& f) { return runbooks.count(f.file) ? std::string_view(f.file) : std::string_view(); };
  std::stable_sort(findings.begin(), findings.end(), [&](const Finding& a, const Finding& b) {
    bool ra = !key(a).empty(), rb = !key(b).empty();
    return ra != rb ? rb : key(a) < key(b);
  });
  std::stable_sort(ctx.results.begin(), ctx.results.end(), [](const LiveResult& a, const LiveResult& b) { return a.file < b.file; });
}

LoadedReport merge_reports(std::vector<LoadedReport> reports) {
  if (reports.empty()) refuse("no report to merge");
  check_shards(reports);
  check_coverage(reports);
  std::vector<std::set<std::string>> files;
  for (const auto& r : reports) files.emplace_back(r.ctx.files.begin(), r.ctx.files.end());

  LoadedReport out;
  out.path = "merged";
  ReportContext& ctx = out.ctx;
  const ReportContext& first = reports.front().ctx;
  ctx.tool_version = first.tool_version;
  ctx.live = first.live;
  ctx.env = first.env;
  ctx.set_count = first.set_count;
  ctx.set_fingerprint = first.set_fingerprint;
  ctx.scope = first.scope;
  ctx.live_stats.per_host = first.live_stats.per_host;
  ctx.live_stats.rate = first.live_stats.rate;
  out.findings = merge_run_findings(reports, files);
  // The live planner reports these once per run, at the first place that meets them.
  std::set<std::string> once_per_run;
  for (size_t k = 0; k < reports.size(); ++k) {
    ReportContext& c = reports[k].ctx;
    ctx.generated_at = std::max(ctx.generated_at, c.generated_at);
    ctx.live_seconds = std::max(ctx.live_seconds, c.live_seconds);
    ctx.snippets += c.snippets;
    ctx.live_stats.probes += c.live_stats.probes;  // each shard probes its own targets
    ctx.live_stats.peak_per_host = std::max(ctx.live_stats.peak_per_host, c.live_stats.peak_per_host);
    ctx.files.insert(ctx.files.end(), c.files.begin(), c.files.end());
    for (auto& r : c.results) ctx.results.push_back(std::move(r));
    for (auto& f : reports[k].findings) {
      if (files[k].count(f.file)) out.findings.push_back(std::move(f));
    }
  }
  canonical_order(out.findings, ctx);
  std::set<std::string> all(ctx.files.begin(), ctx.files.end());
  std::erase_if(out.findings, [&](const Finding& f) {
    return (f.rule == "live-config" || f.rule == "live-privileged-role") && !once_per_run.insert(f.message).second;
  });
  if (auto late = deadline_finding(ctx.results)) {
    // After the other findings about the run, as `opsbook check` adds it.
    auto first_runbook = std::find_if(out.findings.begin(), out.findings.end(), [&](const Finding& f) { return all.count(f.file) > 0; });
    out.findings.insert(first_runbook, std::move(*late));
  }
  return out;
}

}  // namespace opsbook::validator
