// Builds killed (kill -9) at moments drawn from a fixed seed, then edited and built again: the
// incremental site, its search shards included, equals a full build of the same content every
// time (s6 review U1: after such kills a stale shard once still found a page for a word it lost).
// Edits keep the size of the page as often as not, with mtimes of a coarse clock: an edit in the
// same tick as the build before it looked unchanged.
#include <catch2/catch.hpp>

#include <chrono>
#include <csignal>
#include <filesystem>
#include <map>
#include <random>

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "generator/site.hpp"
#include "model/loader.hpp"
#include "support.hpp"

using namespace opsbook;
namespace fs = std::filesystem;

namespace {

void build(const fs::path& content, const fs::path& out, bool incremental) {
  model::Config config;
  model::Diagnostics top;
  auto files = model::collect_sources({content.string()}, top);
  generator::BuildOptions options;
  options.output = out.string();
  options.incremental = incremental;
  options.free_memory = false;  // as the CLI builds
  std::string diagnostics;
  generator::build_site(config, files, options, diagnostics);
}

// Writes `text` to `file` as a file system with a clock of 1 s ticks would (FAT: 2 s; ext4 on
// kernels before 6.13: a jiffy): its mtime rounded down to the second, so that an edit in the
// same second as the last one or as a build keeps its mtime.
void write_coarse(const fs::path& file, const std::string& text) {
  test::write_file(file, text);
  struct stat st {};
  REQUIRE(::stat(file.c_str(), &st) == 0);
  struct timespec times[2] = {st.st_atim, {st.st_mtim.tv_sec, 0}};
  REQUIRE(::utimensat(AT_FDCWD, file.c_str(), times, 0) == 0);
}

// The same page with each letter of its words replaced: the same size.
std::string same_size_edit(std::mt19937& rng, std::string md) {
  for (size_t i = md.find('\n'); i < md.size(); ++i) {
    if (md[i] >= 'a' && md[i] <= 'f') md[i] = static_cast<char>('a' + rng() % 6);
  }
  return md;
}

// A runbook of words drawn from `rng`: 2 to 4 letters from a small alphabet, so that pages share
// words and the words fall into many shards.
std::string page(std::mt19937& rng, int n) {
  std::string md = "# Page " + std::to_string(n) + "\n\n";
  int words = 5 + static_cast<int>(rng() % 30);
  for (int w = 0; w < words; ++w) {
    int letters = 2 + static_cast<int>(rng() % 3);
    for (int l = 0; l < letters; ++l) md += static_cast<char>('a' + rng() % 6);
    md += w % 8 == 7 ? "\n" : " ";
  }
  return md + "\n";
}

// The first file where the two sites differ, or "" when they are equal.
std::string first_difference(const std::map<std::string, std::string>& a, const std::map<std::string, std::string>& b) {
  for (const auto& [rel, text] : a) {
    auto it = b.find(rel);
    if (it == b.end()) return rel + " (only in the incremental site)";
    if (it->second != text) return rel;
  }
  for (const auto& [rel, text] : b) {
    if (!a.count(rel)) return rel + " (only in the full build)";
  }
  return "";
}

}  // namespace

TEST_CASE("builds killed at seeded moments: every later incremental site equals a full build, search shards included", "[generator][incremental][hostile]") {
  std::mt19937 rng(14);
  test::TempDir dir;
  fs::path content = dir.path() / "content", site = dir.path() / "site", full = dir.path() / "full";
  std::vector<int> pages;
  for (int n = 0; n < 40; ++n) {
    test::write_file(content / ("p" + std::to_string(n) + ".md"), page(rng, n));
    pages.push_back(n);
  }
  int next = 40;
  fs::path last;  // the page edited last
  build(content, site, false);
  auto timed = [&] {
    auto start = std::chrono::steady_clock::now();
    build(content, site, true);
    return std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - start).count();
  };
  long long build_us = std::max<long long>(timed(), 1000);
  int kills = 0;
  for (int round = 0; round < 80; ++round) {
    INFO("round " << round);
    // An edit: most often one page's words, sometimes a page added or removed.
    unsigned what = rng() % 8;
    if (what == 0) {
      test::write_file(content / ("p" + std::to_string(next) + ".md"), page(rng, next));
      pages.push_back(next++);
    } else if (what == 1 && pages.size() > 2) {
      size_t k = rng() % pages.size();
      fs::remove(content / ("p" + std::to_string(pages[k]) + ".md"));
      pages.erase(pages.begin() + static_cast<long>(k));
    } else if (what < 5 || !fs::exists(last)) {
      int n = pages[rng() % pages.size()];
      last = content / ("p" + std::to_string(n) + ".md");
      write_coarse(last, page(rng, n));
    } else {  // the page edited last, again, most often within the same second
      write_coarse(last, same_size_edit(rng, test::read_file(last.string())));
    }
    // Half the rounds: a build killed at a moment up to twice an incremental build's time.
    if (rng() % 2 == 0) {
      auto delay = static_cast<useconds_t>(rng() % static_cast<unsigned>(2 * build_us));
      pid_t pid = ::fork();
      REQUIRE(pid >= 0);
      if (pid == 0) {
        build(content, site, true);
        ::_exit(0);
      }
      ::usleep(delay);
      ::kill(pid, SIGKILL);
      int status = 0;
      ::waitpid(pid, &status, 0);
      kills += WIFSIGNALED(status) ? 1 : 0;
      // Sometimes a second edit lands between the killed build and the next one.
      if (rng() % 3 == 0 && fs::exists(last)) write_coarse(last, same_size_edit(rng, test::read_file(last.string())));
    }
    build_us = std::max<long long>(timed(), 1000);
    fs::remove_all(full);
    build(content, full, false);
    CHECK(first_difference(test::site_files(site), test::site_files(full)) == "");
  }
  // The bound run did kill builds mid-way (most delays are shorter than a build).
  CHECK(kills > 5);
}


TEST_CASE("an edit in the same clock tick as the last build, same size and mtime, is still seen (s6 review U1)", "[generator][incremental][hostile]") {
  test::TempDir dir;
  fs::path content = dir.path() / "content", site = dir.path() / "site", full = dir.path() / "full";
  test::write_file(content / "a.md", "# A\n\nRestart the zebracorn.\n");
  test::write_file(content / "b.md", "# B\n\nCheck the disk.\n");
  build(content, site, false);
  struct stat before {};
  REQUIRE(::stat((content / "a.md").c_str(), &before) == 0);
  test::write_file(content / "a.md", "# A\n\nRestart the unicornzz.\n");
  struct timespec times[2] = {before.st_atim, before.st_mtim};  // the clock has not ticked since
  REQUIRE(::utimensat(AT_FDCWD, (content / "a.md").c_str(), times, 0) == 0);
  build(content, site, true);
  build(content, full, false);
  CHECK(first_difference(test::site_files(site), test::site_files(full)) == "");
  CHECK(test::read_file((site / "runbooks/a.html").string()).find("unicornzz") != std::string::npos);
}
