// The in-memory site and the build stages run into it, as a server runs them: the same site as a
// disk build, rebuilt by re-running the stages for what changed.
#include <catch2/catch.hpp>
#include <filesystem>
#include <map>

#include "generator/build_stages.hpp"
#include "generator/build_state.hpp"
#include "generator/memory_site.hpp"
#include "generator/site.hpp"
#include "generator/site_search.hpp"
#include "model/loader.hpp"
#include "support.hpp"

using namespace opsbook;
namespace fs = std::filesystem;

namespace {

std::vector<model::SourceFile> sources(const fs::path& content) {
  model::Diagnostics top;
  return model::collect_sources({content.string()}, top);
}

// Every file of a full disk build, but the caches (a server keeps its state in memory instead).
std::map<std::string, std::string> disk_build(const fs::path& content, const fs::path& out) {
  fs::remove_all(out);
  generator::BuildOptions options;
  options.output = out.string();
  options.incremental = false;
  std::string diagnostics;
  generator::build_site(model::Config{}, sources(content), options, diagnostics);
  std::map<std::string, std::string> files;
  for (const auto& e : fs::recursive_directory_iterator(out)) {
    std::string rel = fs::relative(e.path(), out).generic_string();
    if (e.is_regular_file() && !rel.starts_with(".opsbook-")) files[rel] = test::read_file(e.path().string());
  }
  return files;
}

// Runs the stages once more over the current files, as a server does after a change.
generator::BuildStats rebuild(generator::BuildState& state, generator::MemorySite& site, const fs::path& content) {
  state.files = sources(content);
  generator::render_pages(state, site);
  site.reuse_tree("search");  // the pages first, served with the previous search index
  site.commit();
  generator::build_search(state, site);
  site.commit_tree("search");
  generator::BuildStats stats = state.stats;
  state.keep_for_next_build(site.hashes());
  return stats;
}

void check_same(const generator::MemorySite& site, const std::map<std::string, std::string>& disk) {
  CHECK(site.size() == disk.size());
  for (const auto& [rel, bytes] : disk) {
    INFO(rel);
    auto file = site.find(rel);
    REQUIRE(file);
    CHECK(*file == bytes);
  }
}

}  // namespace

TEST_CASE("memory site: reused files are shared, a build is served only once committed", "[generator][memory]") {
  generator::MemorySite site;
  site.write("a.html", "A");
  site.write("dir/b.html", "B");
  CHECK_FALSE(site.find("a.html"));
  site.commit();
  auto a = site.find("a.html");
  REQUIRE(a);
  CHECK(*a == "A");
  // The next build: a.html rewritten, dir/ kept; the page a request holds does not change.
  site.write("a.html", "A2");
  CHECK(site.previous_file("a.html") == "A");
  CHECK(site.reuse_tree("dir"));
  CHECK_FALSE(site.reuse("missing.html"));
  CHECK(*site.find("a.html") == "A");
  site.commit();
  CHECK(*site.find("a.html") == "A2");
  CHECK(*a == "A");
  CHECK(*site.find("dir/b.html") == "B");
  CHECK(site.hashes().size() == 2);
  // A failed build is dropped; the committed site stays.
  site.write("c.html", "C");
  site.discard();
  CHECK_FALSE(site.find("c.html"));
  CHECK(site.size() == 2);
  // A build of one folder: the files elsewhere stay without being reused, the folder's files it
  // neither wrote nor reused go.
  site.write("dir/c.html", "C");
  site.commit_tree("dir");
  CHECK(*site.find("a.html") == "A2");
  CHECK_FALSE(site.find("dir/b.html"));
  CHECK(*site.find("dir/c.html") == "C");
  CHECK(site.changed() == std::vector<std::string>{"dir/b.html", "dir/c.html"});
}

TEST_CASE("memory site: a commit names the files written with other bytes, added or dropped, and keeps the rest", "[generator][memory]") {
  generator::MemorySite site;
  site.write("a.html", "A");
  site.write("b.html", "B");
  site.write("dir/c.html", "C");
  site.commit();
  CHECK(site.changed() == std::vector<std::string>{"a.html", "b.html", "dir/c.html"});
  generator::FileHashes files = site.hashes();
  // The same bytes again, other bytes, a file added; b.html neither written nor reused: dropped.
  site.write("a.html", "A");
  site.write("dir/c.html", "C2");
  site.write("d.html", "D");
  site.commit();
  CHECK(site.changed() == std::vector<std::string>{"b.html", "d.html", "dir/c.html"});
  site.update(files);
  CHECK(files == site.hashes());
  CHECK_FALSE(site.find("b.html"));
  CHECK(*site.find("dir/c.html") == "C2");
  // Reused after being written, or written after reuse_tree: the new bytes.
  site.write("a.html", "A3");
  CHECK(site.reuse("a.html"));
  site.write("dir/e.html", "E");
  CHECK(site.reuse_tree("dir"));
  CHECK(site.reuse("d.html"));
  CHECK(site.hashes().size() == 4);
  site.commit();
  CHECK(site.changed() == std::vector<std::string>{"a.html", "dir/e.html"});
  CHECK(*site.find("a.html") == "A3");
  CHECK(site.size() == 4);
  site.update(files);
  CHECK(files == site.hashes());
  // Nothing written or reused: an empty site.
  site.commit();
  CHECK(site.size() == 0);
  CHECK(site.changed().size() == 4);
}

TEST_CASE("the build stages make in memory the site a disk build makes, and rebuild only what changed", "[generator][memory]") {
  test::TempDir dir;
  fs::path content = dir.path() / "content";
  fs::create_directories(content);
  for (const auto& e : fs::directory_iterator(test::samples_dir())) fs::copy_file(e.path(), content / e.path().filename());
  test::write_file(content / "extra/notes.md", "---\ntags: [db]\n---\n# Notes\n\n- [ ] first\n");
  generator::BuildOptions options;
  options.jobs = 2;
  generator::BuildState state(model::Config{}, options);
  generator::MemorySite site;

  auto first = rebuild(state, site, content);
  CHECK(first.parsed == 4);
  check_same(site, disk_build(content, dir.path() / "full"));

  auto again = rebuild(state, site, content);
  CHECK(again.parsed == 0);
  CHECK(again.reused == 4);
  check_same(site, disk_build(content, dir.path() / "full"));

  test::write_file(content / "extra/notes.md", "---\ntags: [db, cache]\n---\n# Notes, changed\n\nRestart the frobnicator.\n\n- [x] first\n");
  auto edited = rebuild(state, site, content);
  CHECK(edited.parsed == 1);
  CHECK(edited.search_shards > 0);
  check_same(site, disk_build(content, dir.path() / "full"));
  REQUIRE(site.find("tags/cache.html"));

  // A page that sorts first renumbers every page of the index; removing it renumbers them back.
  test::write_file(content / "0-first.md", "# First\n\nRestart the frobnicator.\n");
  CHECK(rebuild(state, site, content).parsed == 1);
  check_same(site, disk_build(content, dir.path() / "full"));
  fs::remove(content / "0-first.md");
  CHECK(rebuild(state, site, content).parsed == 0);
  check_same(site, disk_build(content, dir.path() / "full"));
  CHECK_FALSE(site.find("runbooks/0-first.html"));
}
