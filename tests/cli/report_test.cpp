// opsbook report merge: the shards of a check of the real corpora, merged, are byte for byte the
// unsharded report in every format, with its exit code; a missing, duplicated, foreign, edited
// or truncated shard is an error that names it.
#include <catch2/catch.hpp>
#include <cstdlib>
#include <fstream>
#include <nlohmann/json.hpp>

#include "support.hpp"

using namespace opsbook;
using test::run_opsbook;

namespace {

const char* const k_formats[] = {"text", "json", "junit", "sarif", "github"};

// Reports carry their time: SOURCE_DATE_EPOCH pins it so that reports compare byte for byte.
struct FixedClock {
  FixedClock() { ::setenv("SOURCE_DATE_EPOCH", "1763942400", 1); }
  ~FixedClock() { ::unsetenv("SOURCE_DATE_EPOCH"); }
};

std::vector<std::string> shard_reports(const test::TempDir& dir, const std::vector<std::string>& args, unsigned n) {
  std::vector<std::string> out;
  for (unsigned i = 1; i <= n; ++i) {
    std::string path = (dir.path() / ("shard" + std::to_string(i) + ".json")).string();
    std::vector<std::string> a = {"check", "--shard", std::to_string(i) + "/" + std::to_string(n), "--format", "json", "-o", path};
    a.insert(a.end(), args.begin(), args.end());
    auto r = run_opsbook(a);
    INFO(r.err);
    REQUIRE((r.exit_code == 0 || r.exit_code == 1));
    CHECK(r.err.rfind("opsbook check: shard " + std::to_string(i) + "/" + std::to_string(n) + ": ", 0) == 0);
    out.push_back(path);
  }
  return out;
}

test::RunResult merge(const std::vector<std::string>& reports, const std::vector<std::string>& extra = {}) {
  std::vector<std::string> a = {"report", "merge"};
  a.insert(a.end(), reports.begin(), reports.end());
  a.insert(a.end(), extra.begin(), extra.end());
  return run_opsbook(a);
}

}  // namespace

TEST_CASE("3 shards of the real corpora merge into exactly the unsharded report, in every format", "[cli][report][shard]") {
  FixedClock clock;
  test::TempDir dir;
  // Two folders in reverse order: the report is in path order either way.
  std::vector<std::string> args = {test::shared_dir() + "/corpus/prometheus-operator", test::shared_dir() + "/corpus/gitlab", "--no-shellcheck"};
  auto shards = shard_reports(dir, args, 3);
  for (const char* format : k_formats) {
    std::vector<std::string> a = {"check", "--format", format};
    a.insert(a.end(), args.begin(), args.end());
    auto whole = run_opsbook(a);
    auto merged = merge(shards, {"--format", format});
    INFO(format << ": " << merged.err);
    CHECK(whole.exit_code == 1);
    CHECK(merged.exit_code == whole.exit_code);
    CHECK(merged.out.size() > 5000);
    CHECK(merged.out == whole.out);
  }
  // Reordered arguments merge the same way.
  std::vector<std::string> reversed(shards.rbegin(), shards.rend());
  CHECK(merge(reversed, {"--format", "json"}).out == merge(shards, {"--format", "json"}).out);
}

TEST_CASE("shards with shellcheck, and a clean set, merge with the unsharded exit code", "[cli][report][shard]") {
  FixedClock clock;
  test::TempDir dir;
  std::vector<std::string> args = {test::shared_dir() + "/corpus/prometheus-operator"};
  auto shards = shard_reports(dir, args, 4);
  auto whole = run_opsbook({"check", "--format", "json", args[0]});
  auto merged = merge(shards, {"--format", "json", "--fail-on", "error"});
  CHECK(merged.out == whole.out);
  CHECK(merged.exit_code == whole.exit_code);
  auto warn = merge(shards, {"--fail-on", "info"});
  CHECK(warn.exit_code == run_opsbook({"check", "--fail-on", "info", args[0]}).exit_code);

  test::write_file(dir.path() / "clean" / "a.md", "# A\n\nAll good.\n");
  test::write_file(dir.path() / "clean" / "b.md", "# B\n\nSee [A](a.md#a).\n");
  auto clean = shard_reports(dir, {(dir.path() / "clean").string()}, 2);
  auto r = merge(clean, {"-o", (dir.path() / "merged.txt").string()});
  CHECK(r.exit_code == 0);
  CHECK(r.err == "opsbook report merge: 0 errors, 0 warnings, 0 notes in 2 runbooks; report in " + (dir.path() / "merged.txt").string() + "\n");
}

TEST_CASE("report merge: a missing, duplicated, foreign, edited or truncated shard is an error naming it", "[cli][report][shard][errors]") {
  FixedClock clock;
  test::TempDir dir;
  for (int i = 0; i < 12; ++i) test::write_file(dir.path() / "docs" / ("rb" + std::to_string(i) + ".md"), "# R" + std::to_string(i) + "\n\n```bash\nls\n```\n");
  std::string docs = (dir.path() / "docs").string();
  auto s = shard_reports(dir, {docs}, 3);

  auto r = merge({s[0], s[2]});
  CHECK(r.exit_code == 2);
  CHECK(r.err == "opsbook: error: shard 2/3 is missing: merge the reports of all 3 shards (a shard that failed wrote none)\n");
  r = merge({s[0]});
  CHECK(r.err == "opsbook: error: shards 2/3, 3/3 are missing: merge the reports of all 3 shards (a shard that failed wrote none)\n");
  r = merge({s[0], s[1], s[1], s[2]});
  CHECK(r.exit_code == 2);
  CHECK(r.err == "opsbook: error: shard 2/3 is given twice: " + s[1] + " and " + s[1] + "\n");
  r = merge({s[0], s[1], (dir.path() / "nope.json").string()});
  CHECK(r.err == "opsbook: error: " + (dir.path() / "nope.json").string() + ": cannot read the report\n");

  // A shard of another cut (N), of another set (a file more), or with other options.
  std::string other_n = (dir.path() / "other-n.json").string();
  REQUIRE(run_opsbook({"check", "--shard", "2/4", "--format", "json", "-o", other_n, docs}).exit_code == 0);
  r = merge({s[0], other_n, s[2]});
  CHECK(r.err == "opsbook: error: " + other_n + " is shard 2/4 but " + s[0] + " is shard 1/3: merge the reports of one sharded run\n");
  test::write_file(dir.path() / "docs" / "late.md", "# Late\n");
  std::string other_set = (dir.path() / "other-set.json").string();
  REQUIRE(run_opsbook({"check", "--shard", "2/3", "--format", "json", "-o", other_set, docs}).exit_code == 0);
  r = merge({s[0], other_set, s[2]});
  CHECK(r.exit_code == 2);
  CHECK(r.err.rfind("opsbook: error: " + other_set + " (shard 2/3) checked another runbook set (13 runbooks, set ", 0) == 0);
  CHECK(r.err.find(") than " + s[0] + " (12 runbooks, set ") != std::string::npos);
  std::filesystem::remove(dir.path() / "docs" / "late.md");
  std::string no_shell = (dir.path() / "no-shell.json").string();
  REQUIRE(run_opsbook({"check", "--shard", "2/3", "--no-shell", "--format", "json", "-o", no_shell, docs}).exit_code == 0);
  r = merge({s[0], no_shell, s[2]});
  CHECK(r.err == "opsbook: error: " + no_shell + " was checked with other options than " + s[0] +
                     " (--no-shell, --no-shellcheck, --changed-since): run every shard with the same options\n");

  // A runbook moved from one shard's report into another's, or dropped from one.
  auto j0 = nlohmann::json::parse(test::read_file(s[0]));
  auto j1 = nlohmann::json::parse(test::read_file(s[1]));
  REQUIRE(j1["files"].size() > 0);
  std::string moved = j1["files"][0];
  j0["files"].push_back(moved);
  j1["files"].erase(0);
  std::string edited0 = (dir.path() / "edited0.json").string(), edited1 = (dir.path() / "edited1.json").string();
  test::write_file(edited0, j0.dump());
  test::write_file(edited1, j1.dump());
  r = merge({edited0, edited1, s[2]});
  CHECK(r.err == "opsbook: error: " + edited0 + " (shard 1/3) holds " + moved + ", which belongs to shard 2/3: the report was not written by 'opsbook check --shard 1/3'\n");
  r = merge({s[0], edited1, s[2]});
  CHECK(r.err.rfind("opsbook: error: the shards cover 11 runbooks, but the set they were cut from has 12 (set ", 0) == 0);

  // A shard that died while writing, and something that is no report.
  std::string text = test::read_file(s[1]);
  std::string truncated = (dir.path() / "truncated.json").string();
  test::write_file(truncated, text.substr(0, text.size() / 2));
  r = merge({s[0], truncated, s[2]});
  CHECK(r.err == "opsbook: error: " + truncated + ": not valid JSON (a truncated or failed shard?) (expected the JSON report of 'opsbook check --format json' or '--json FILE')\n");
  auto j2 = nlohmann::json::parse(text);
  j2.erase("runbooks");
  std::string old = (dir.path() / "old.json").string();
  test::write_file(old, j2.dump());
  r = merge({s[0], old, s[2]});
  CHECK(r.err == "opsbook: error: " + old + ": the report has no runbooks of the right type (expected the JSON report of 'opsbook check --format json' or '--json FILE')\n");

  // All three, in any order: fine.
  CHECK(merge({s[2], s[0], s[1]}).exit_code == 0);
}

TEST_CASE("report merge of one unsharded report converts it to any format", "[cli][report]") {
  FixedClock clock;
  test::TempDir dir;
  std::string json = (dir.path() / "r.json").string();
  std::string samples = test::samples_dir();
  auto whole = run_opsbook({"check", "--no-shellcheck", "--format", "sarif", "--json", json, samples});
  auto converted = merge({json}, {"--format", "sarif"});
  CHECK(converted.exit_code == whole.exit_code);
  CHECK(converted.out == whole.out);
}
