// Shard assignment: every path in exactly one shard, balanced, stable when files are added or
// N grows, and a set fingerprint that ignores order.
#include <catch2/catch.hpp>
#include <map>

#include "model/shard.hpp"

using namespace opsbook;

namespace {

std::vector<std::string> paths(size_t n, const std::string& prefix = "docs/") {
  std::vector<std::string> out;
  for (size_t i = 0; i < n; ++i) out.push_back(prefix + "team" + std::to_string(i % 37) + "/runbook-" + std::to_string(i) + ".md");
  return out;
}

}  // namespace

TEST_CASE("shard I/N: parsed, and refused with the reason", "[model][shard]") {
  std::string error;
  auto s = model::parse_shard("2/4", error);
  REQUIRE(s);
  CHECK(s->index == 2);
  CHECK(s->count == 4);
  CHECK(s->str() == "2/4");
  CHECK_FALSE(model::parse_shard("2", error));
  CHECK(error == "--shard takes I/N (e.g. 2/4), not '2'");
  CHECK_FALSE(model::parse_shard("0/4", error));
  CHECK(error == "--shard 0/4: I must be between 1 and 4");
  CHECK_FALSE(model::parse_shard("5/4", error));
  CHECK(error == "--shard 5/4: I must be between 1 and 4");
  CHECK_FALSE(model::parse_shard("1/0", error));
  CHECK(error == "--shard 1/0: N must be between 1 and 1000");
  CHECK_FALSE(model::parse_shard("-1/4", error));
  CHECK_FALSE(model::parse_shard("1/4x", error));
  CHECK_FALSE(model::parse_shard("99999999999/4", error));
}

TEST_CASE("shards: deterministic and balanced", "[model][shard]") {
  auto all = paths(10000);
  std::map<unsigned, size_t> sizes;
  for (const auto& p : all) {
    unsigned s = model::shard_of(p, 4);
    REQUIRE(s >= 1);
    REQUIRE(s <= 4);
    CHECK(model::shard_of(p, 4) == s);
    ++sizes[s];
  }
  REQUIRE(sizes.size() == 4);
  for (const auto& [s, n] : sizes) {
    INFO("shard " << s << " has " << n);
    CHECK(n > 2300);  // 2500 each +- 8%
    CHECK(n < 2700);
  }
  for (const auto& p : all) CHECK(model::shard_of(p, 1) == 1);
}

TEST_CASE("shards: adding files moves no other file, one more shard moves only its share", "[model][shard]") {
  auto before = paths(2000);
  std::map<std::string, unsigned> at;
  for (const auto& p : before) at[p] = model::shard_of(p, 4);
  // Rendezvous: a file's shard depends on its own path only, never on the rest of the set.
  auto more = paths(500, "new/");
  for (const auto& p : before) CHECK(model::shard_of(p, 4) == at[p]);
  size_t moved = 0;
  for (const auto& p : before) {
    unsigned now = model::shard_of(p, 5);
    if (now != at[p]) {
      ++moved;
      CHECK(now == 5);  // a file only ever moves into the new shard
    }
  }
  CHECK(moved > 300);  // about a fifth
  CHECK(moved < 500);
}

TEST_CASE("the set fingerprint ignores order and sees every path", "[model][shard]") {
  std::vector<std::string> a = {"x.md", "a/b.md", "c.md"};
  std::vector<std::string> b = {"c.md", "x.md", "a/b.md"};
  CHECK(model::path_set_fingerprint(a) == model::path_set_fingerprint(b));
  CHECK(model::path_set_fingerprint(a).size() == 16);
  CHECK(model::path_set_fingerprint({"x.md", "a/b.md"}) != model::path_set_fingerprint(a));
  CHECK(model::path_set_fingerprint({"x.md", "a/b.md", "c.mdx"}) != model::path_set_fingerprint(a));
  CHECK(model::path_set_fingerprint({"x.md\na/b.md", "c.md"}) != model::path_set_fingerprint(a));
}
