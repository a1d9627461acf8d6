// Merging shard reports: findings about the whole run reconciled rule by rule, canonical order,
// and the JSON round trip every format relies on.
#include <catch2/catch.hpp>

#include "model/shard.hpp"
#include "validator/live_check.hpp"
#include "validator/report_merge.hpp"

using namespace opsbook;
using validator::Finding;
using validator::LiveResult;
using validator::LoadedReport;

namespace {

const std::vector<std::string> k_set = {"a.md", "b.md", "c.md", "d.md", "e.md", "f.md"};

Finding finding(const std::string& rule, const std::string& file, int line, const std::string& message) {
  return Finding{rule, validator::rule_info(rule).severity, file, line, 0, message, "hint", {}, {}};
}

LiveResult result(const std::string& file, int line, LiveResult::Outcome outcome, const std::string& detail = "status 200") {
  LiveResult r;
  r.kind = "http";
  r.file = file;
  r.line = line;
  r.target = "http://127.0.0.1/" + file;
  r.expectation = "status 2xx";
  r.outcome = outcome;
  r.detail = detail;
  r.attempts = 1;
  r.latency_ms = 3;
  return r;
}

// Shard i/n of k_set with the given findings and results (only those of its files are kept,
// plus every finding about the run).
LoadedReport shard(unsigned i, unsigned n, const std::vector<Finding>& findings, const std::vector<LiveResult>& results) {
  LoadedReport r;
  r.path = "s" + std::to_string(i) + ".json";
  r.ctx.tool_version = "0.1.0";
  r.ctx.generated_at = "2026-01-0" + std::to_string(i) + "T00:00:00Z";
  r.ctx.live = true;
  r.ctx.env = "staging";
  r.ctx.live_seconds = i;
  r.ctx.shard = {i, n};
  r.ctx.set_count = k_set.size();
  r.ctx.set_fingerprint = model::path_set_fingerprint(k_set);
  for (const auto& f : k_set) {
    if (model::shard_of(f, n) == i) r.ctx.files.push_back(f);
  }
  auto mine = [&](const std::string& file) { return std::find(r.ctx.files.begin(), r.ctx.files.end(), file) != r.ctx.files.end(); };
  for (const auto& f : findings) {
    bool runbook = std::find(k_set.begin(), k_set.end(), f.file) != k_set.end();
    if (!runbook || mine(f.file)) r.findings.push_back(f);
  }
  for (const auto& x : results) {
    if (mine(x.file)) r.ctx.results.push_back(x);
  }
  return r;
}

std::vector<std::string> ids(const std::vector<Finding>& fs) {
  std::vector<std::string> out;
  for (const auto& f : fs) out.push_back(f.rule + "@" + f.file + ":" + std::to_string(f.line));
  return out;
}

}  // namespace

TEST_CASE("merge: runbook findings by path, findings about the run once and first", "[validator][merge]") {
  std::vector<Finding> all;
  for (auto it = k_set.rbegin(); it != k_set.rend(); ++it) all.push_back(finding("broken-link", *it, 3, "link"));
  all.push_back(finding("tool-missing", "shellcheck", 0, "shellcheck is not installed"));
  std::vector<LoadedReport> shards;
  for (unsigned i = 1; i <= 3; ++i) shards.push_back(shard(i, 3, all, {}));
  LoadedReport merged = validator::merge_reports(shards);
  CHECK(ids(merged.findings) == std::vector<std::string>{"tool-missing@shellcheck:0", "broken-link@a.md:3", "broken-link@b.md:3", "broken-link@c.md:3",
                                                         "broken-link@d.md:3", "broken-link@e.md:3", "broken-link@f.md:3"});
  CHECK(merged.ctx.files == k_set);
  CHECK(merged.ctx.shard.str() == "1/1");
  CHECK(merged.ctx.generated_at == "2026-01-03T00:00:00Z");  // the latest shard's
  CHECK(merged.ctx.live_seconds == 3);                        // the slowest shard's
}

TEST_CASE("merge: an unused .env name is unused only when every shard says so", "[validator][merge]") {
  Finding unused_everywhere = finding("drift-env-unused", ".env.example", 1, "A is in .env.example but no runbook mentions it");
  Finding unused_in_one = finding("drift-env-unused", ".env.example", 2, "B is in .env.example but no runbook mentions it");
  std::vector<LoadedReport> shards = {shard(1, 2, {unused_everywhere, unused_in_one}, {}), shard(2, 2, {unused_everywhere}, {})};
  CHECK(ids(validator::merge_reports(shards).findings) == std::vector<std::string>{"drift-env-unused@.env.example:1"});
}

TEST_CASE("merge: a configuration error is reported once at its first place, late checks recounted", "[validator][merge]") {
  std::vector<Finding> all;
  for (const auto& f : k_set) all.push_back(finding("live-config", f, 7, "service 'db': environment variable PG is not set"));
  std::vector<LiveResult> results;
  for (const auto& f : k_set) results.push_back(result(f, 9, LiveResult::Outcome::fail, "not finished before the global deadline"));
  results.push_back(result("a.md", 4, LiveResult::Outcome::pass));
  std::vector<LoadedReport> shards;
  for (unsigned i = 1; i <= 3; ++i) {
    shards.push_back(shard(i, 3, all, results));
    // Each shard reported the error at its own first runbook, and its own late checks.
    auto& fs = shards.back().findings;
    fs.erase(std::remove_if(fs.begin() + 1, fs.end(), [](const Finding& f) { return f.rule == "live-config"; }), fs.end());
    if (auto late = validator::deadline_finding(shards.back().ctx.results)) fs.push_back(*late);
  }
  LoadedReport merged = validator::merge_reports(shards);
  REQUIRE(merged.findings.size() == 2);
  CHECK(merged.findings[0].rule == "live-deadline");
  CHECK(merged.findings[0].message == "6 live checks did not finish before the global deadline");
  CHECK(ids(merged.findings)[1] == "live-config@a.md:7");
  REQUIRE(merged.ctx.results.size() == 7);
  CHECK(merged.ctx.results[0].file == "a.md");
  CHECK(merged.ctx.results[0].line == 9);  // results of one file keep their shard's order
  CHECK(merged.ctx.results[1].line == 4);
}

TEST_CASE("the JSON report reads back into the same findings and context", "[validator][merge]") {
  std::vector<Finding> fs = {finding("secret", "a.md", 2, "a secret"), finding("tool-missing", "shellcheck", 0, "missing")};
  fs[0].col = 5;
  fs[0].snippet = "deploy";
  fs[0].source_line = "export TOKEN=****";
  LoadedReport r = shard(1, 1, fs, {result("a.md", 4, LiveResult::Outcome::refused, "not allowed")});
  r.ctx.results[0].latency_ms = 12.5;
  r.ctx.scope.changed_since = "origin/main";
  std::string json = validator::write_json(r.findings, r.ctx);
  LoadedReport back = validator::parse_report(json, "r.json");
  CHECK(validator::write_json(back.findings, back.ctx) == json);
  CHECK(validator::write_text(back.findings, back.ctx) == validator::write_text(r.findings, r.ctx));
  CHECK(validator::write_junit(back.findings, back.ctx) == validator::write_junit(r.findings, r.ctx));
  CHECK(back.findings[0].source_line == "export TOKEN=****");
  CHECK(back.ctx.scope.changed_since == "origin/main");
}
