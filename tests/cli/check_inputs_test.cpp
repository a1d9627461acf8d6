// What a sharded check covers: its shard is printed first; links into runbooks of other shards
// are still checked against them; --changed-since narrows every shard the same way.
#include <catch2/catch.hpp>
#include <cstdlib>
#include <nlohmann/json.hpp>

#include "model/shard.hpp"
#include "support.hpp"

using namespace opsbook;
using test::run_opsbook;

namespace {

// Writes runbooks r0..r{n-1}: each links to the next one's heading, and r0 also to a heading
// that does not exist in the last one.
void write_linked(const std::filesystem::path& dir, int n) {
  for (int i = 0; i < n; ++i) {
    std::string next = "r" + std::to_string((i + 1) % n);
    std::string md = "# R" + std::to_string(i) + "\n\n## Restart\n\nThen [go on](" + next + ".md#restart) or [read](" + next + ".md).\n";
    if (i == 0) md += "\nAlso [missing](r" + std::to_string(n - 1) + ".md#no-such-heading).\n";
    test::write_file(dir / ("r" + std::to_string(i) + ".md"), md);
  }
}

std::vector<std::string> merged_json(const std::string& cwd, std::vector<std::string> args, unsigned n) {
  std::vector<std::string> reports;
  for (unsigned i = 1; i <= n; ++i) {
    std::string out = "shard" + std::to_string(i) + ".json";
    std::vector<std::string> a = {"check", "--shard", std::to_string(i) + "/" + std::to_string(n), "--format", "json", "-o", out};
    a.insert(a.end(), args.begin(), args.end());
    auto r = run_opsbook(a, cwd);
    INFO(r.err);
    REQUIRE(r.exit_code <= 1);
    reports.push_back(out);
  }
  std::vector<std::string> m = {"report", "merge", "--format", "json"};
  m.insert(m.end(), reports.begin(), reports.end());
  auto r = run_opsbook(m, cwd);
  return {r.out, std::to_string(r.exit_code)};
}

}  // namespace

TEST_CASE("a shard is printed first, and checks links into the other shards' runbooks", "[cli][check][shard]") {
  ::setenv("SOURCE_DATE_EPOCH", "1763942400", 1);
  test::TempDir dir;
  write_linked(dir.path() / "docs", 8);
  std::string docs = (dir.path() / "docs").string();
  unsigned owner = model::shard_of(docs + "/r0.md", 3);
  auto r = run_opsbook({"check", "--shard", std::to_string(owner) + "/3", docs});
  size_t mine = 0;
  for (int i = 0; i < 8; ++i) mine += model::shard_of(docs + "/r" + std::to_string(i) + ".md", 3) == owner;
  CHECK(r.err.rfind("opsbook check: shard " + std::to_string(owner) + "/3: " + std::to_string(mine) + " of 8 runbooks (set ", 0) == 0);
  CHECK(r.exit_code == 1);
  CHECK(r.out.find("r0.md:7:") != std::string::npos);
  CHECK(r.out.find("error[broken-link]: link to '#no-such-heading' in r7.md: no such heading") != std::string::npos);
  CHECK(r.out.find("#restart") == std::string::npos);  // the other shards' headings were found

  auto whole = run_opsbook({"check", "--format", "json", docs});
  auto merged = merged_json(dir.path().string(), {docs}, 3);
  CHECK(merged[0] == whole.out);
  CHECK(merged[1] == std::to_string(whole.exit_code));
  ::unsetenv("SOURCE_DATE_EPOCH");
}

TEST_CASE("changed-since narrows each shard, and the merge equals the unsharded check", "[cli][check][shard]") {
  ::setenv("SOURCE_DATE_EPOCH", "1763942400", 1);
  test::TempDir dir;
  for (int i = 0; i < 10; ++i) test::write_file(dir.path() / "content" / ("r" + std::to_string(i) + ".md"), "# R\n\n```bash\nrm -rf /srv/" + std::to_string(i) + "\n```\n");
  auto git = [&](std::vector<std::string> args) { return test::git(dir.path(), std::move(args)); };
  REQUIRE(git({"init", "-q"}) == 0);
  REQUIRE(git({"add", "."}) == 0);
  REQUIRE(git({"commit", "-qm", "init"}) == 0);
  for (int i : {2, 5, 7}) test::write_file(dir.path() / "content" / ("r" + std::to_string(i) + ".md"), "# R\n\nchanged\n\n```bash\nrm -rf /srv/x\n```\n");
  auto whole = run_opsbook({"check", "content", "--changed-since", "HEAD", "--format", "json"}, dir.path().string());
  auto j = nlohmann::json::parse(whole.out);
  CHECK(j["files"].size() == 3);
  CHECK(j["runbooks"]["count"] == 10);
  auto merged = merged_json(dir.path().string(), {"content", "--changed-since", "HEAD"}, 4);
  CHECK(merged[0] == whole.out);
  CHECK(merged[1] == std::to_string(whole.exit_code));
  ::unsetenv("SOURCE_DATE_EPOCH");
}
