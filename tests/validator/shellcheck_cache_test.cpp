// The shellcheck cache: results come back for the same script, shellcheck and options only; a
// damaged, foreign or hostile file is ignored with one note and replaced; concurrent writers merge.
#include <sys/stat.h>

#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>

#include "model/cache_io.hpp"
#include "model/process.hpp"
#include "support.hpp"
#include "validator/shellcheck_cache.hpp"
#include "validator/static_checks.hpp"

using namespace opsbook;
using validator::ShellcheckCache;
using validator::ShellcheckComment;
namespace fs = std::filesystem;

namespace {

std::vector<ShellcheckComment> one_comment() { return {ShellcheckComment{2024, 2, false, "sudo doesn't affect redirects"}}; }

bool cached(const std::string& path, const std::string& tool, const std::string& script) {
  ShellcheckCache cache(path);
  cache.set_tool(tool);
  std::vector<ShellcheckComment> out;
  return cache.find(script, out);
}

}  // namespace

TEST_CASE("a script's comments come back for the same text and tool only", "[validator][shellcheck]") {
  test::TempDir dir;
  std::string path = (dir.path() / ".opsbook" / "shellcheck-cache").string();
  {
    ShellcheckCache cache(path);
    cache.set_tool("shellcheck 0.9.0 -s bash");
    cache.put("echo a", one_comment());
    cache.put("echo b", {});  // no comments is a result too
    cache.save();
    CHECK(cache.take_note().empty());
  }
  ShellcheckCache cache(path);
  cache.set_tool("shellcheck 0.9.0 -s bash");
  std::vector<ShellcheckComment> out;
  REQUIRE(cache.find("echo a", out));
  REQUIRE(out.size() == 1);
  CHECK(out[0].code == 2024);
  CHECK(out[0].line == 2);
  CHECK(out[0].message == "sudo doesn't affect redirects");
  CHECK(cache.find("echo b", out));
  CHECK(out.empty());
  CHECK_FALSE(cache.find("echo c", out));
  CHECK_FALSE(cached(path, "shellcheck 0.10.0 -s bash", "echo a"));  // another shellcheck
  CHECK_FALSE(cached(path, "shellcheck 0.9.0 -s sh", "echo a"));     // another dialect
}

TEST_CASE("a damaged, foreign or hostile cache file is ignored with one note, then replaced", "[validator][shellcheck]") {
  test::TempDir dir;
  std::string path = (dir.path() / "shellcheck-cache").string();
  {
    ShellcheckCache cache(path);
    cache.set_tool("t");
    cache.put("echo a", one_comment());
    cache.save();
  }
  std::string good = test::read_file(path);
  auto note_of = [&](const std::string& bytes) {
    test::write_file(path, bytes);
    ShellcheckCache cache(path);
    cache.set_tool("t");
    std::vector<ShellcheckComment> out;
    CHECK_FALSE(cache.find("echo a", out));
    return cache.take_note();
  };
  std::string flipped = good;
  flipped[20] = static_cast<char>(flipped[20] ^ 1);
  CHECK(note_of(flipped) == path + " is damaged or sealed elsewhere (its seal is not this machine's): it is ignored and replaced, every script is checked again");
  CHECK(note_of(good.substr(0, good.size() / 2)) == path + " is truncated or not a cache: it is ignored and replaced, every script is checked again");
  // Well sealed but not entries: a count of entries far beyond the bytes, a key of the wrong size.
  for (std::string payload : {std::string("\xff\xff\xff\xff\xff\xff\xff\x7f", 8), std::string("\x01\0\0\0\0\0\0\0\x03\0\0\0\0\0\0\0abc", 19)}) {
    model::seal_cache(payload, ShellcheckCache::k_kind, ShellcheckCache::k_format);
    CHECK(note_of(payload) == path + " is not a shellcheck cache (its entries do not read back): it is ignored and replaced, every script is checked again");
  }
  CHECK(note_of(std::string(2 * ShellcheckCache::k_max_bytes + 1, 'x')) == path + " is larger than a shellcheck cache can be: it is ignored and replaced, every script is checked again");
  std::string other = "";
  model::seal_cache(other, ShellcheckCache::k_kind, ShellcheckCache::k_format + 1);
  CHECK(note_of(other) == path + " is written by another version of opsbook: it is ignored and replaced, every script is checked again");
  // A FIFO in its place neither blocks the read nor the write.
  fs::remove(path);
  REQUIRE(::mkfifo(path.c_str(), 0600) == 0);
  ShellcheckCache cache(path);
  CHECK(cache.take_note() == path + " is not a regular file, or unreadable: it is ignored and replaced, every script is checked again");
  cache.set_tool("t");
  cache.put("echo a", one_comment());
  cache.save();
  CHECK(cache.take_note().empty());
  CHECK(fs::is_regular_file(path));
  CHECK(cached(path, "t", "echo a"));
}

TEST_CASE("two processes' caches written one after the other keep both's entries", "[validator][shellcheck]") {
  test::TempDir dir;
  std::string path = (dir.path() / "shellcheck-cache").string();
  ShellcheckCache first(path), second(path);  // both read the file before either writes
  first.set_tool("t"), second.set_tool("t");
  first.put("echo 1", {});
  second.put("echo 2", one_comment());
  first.save();
  second.save();
  CHECK(cached(path, "t", "echo 1"));
  CHECK(cached(path, "t", "echo 2"));
}

TEST_CASE("check with a cache: the second run gives the same findings without running shellcheck", "[validator][shellcheck]") {
  REQUIRE(model::program_available("shellcheck"));
  test::TempDir dir;
  std::string path = (dir.path() / "shellcheck-cache").string();
  std::vector<model::Runbook> rbs;
  rbs.push_back(test::parse("# T\n\n```bash\necho start\nsudo echo x > /etc/motd\n```\n\n```bash\necho fine\n```\n"));
  auto check = [&] {
    ShellcheckCache cache(path);
    validator::StaticOptions options;
    options.shell = false;
    options.shellcheck_cache = &cache;
    auto found = validator::check_static(rbs, options);
    cache.save();
    std::vector<std::string> out;
    for (const auto& f : found) out.push_back(std::to_string(f.line) + " " + f.rule + " " + f.message.substr(0, 7));
    return out;
  };
  std::vector<std::string> fresh = check();
  CHECK(fresh == std::vector<std::string>{"5 shellcheck SC2024:"});
  // A shellcheck that only tells its version: every script comes from the cache.
  test::TempDir bin;
  test::write_file(bin.path() / "shellcheck", "#!/bin/sh\n[ \"$1\" = --version ] && exec /usr/bin/shellcheck --version\nexit 3\n");
  fs::permissions(bin.path() / "shellcheck", fs::perms::owner_all);
  std::string old_path = std::getenv("PATH");
  ::setenv("PATH", (bin.path().string() + ":" + old_path).c_str(), 1);
  std::vector<std::string> again = check();
  // Another shellcheck version: nothing matches, so it runs (and fails here).
  test::write_file(bin.path() / "shellcheck", "#!/bin/sh\n[ \"$1\" = --version ] && echo 'version: 9.9.9' && exit 0\nexit 3\n");
  std::vector<std::string> upgraded = check();
  ::setenv("PATH", old_path.c_str(), 1);
  CHECK(again == fresh);
  CHECK(upgraded.size() == 2);
  CHECK(upgraded[0].find("check-failed") != std::string::npos);
}
