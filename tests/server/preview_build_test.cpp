// The server's rebuilds: after every kind of edit, the in-memory site a rebuild makes is byte for
// byte the site a fresh full build of the same files makes, and the build names exactly the files
// that changed (what open pages reload by).
#include <catch2/catch.hpp>
#include <algorithm>
#include <filesystem>
#include <map>
#include <set>

#include "server/preview_build.hpp"
#include "support.hpp"

using namespace opsbook;
namespace fs = std::filesystem;

namespace {

using Files = std::map<std::string, std::string>;

server::PreviewBuild preview(const fs::path& content) {
  return server::PreviewBuild([content] {
    server::PreviewInputs in;
    in.paths = {content.string()};
    return in;
  }, 2);
}

Files files_of(const generator::MemorySite& site) {
  Files out;
  for (const auto& [rel, record] : site.hashes()) {
    auto file = site.find(rel);
    REQUIRE(file);
    out[rel] = *file;
  }
  CHECK(out.size() == site.size());
  return out;
}

// A fresh server's first build of the same files.
Files full_build(const fs::path& content) {
  server::PreviewBuild fresh = preview(content);
  server::BuildEvent event = fresh.build({});
  REQUIRE(event.fatal.empty());
  return files_of(fresh.site());
}

// The files whose bytes differ between two sites, or that only one has.
std::vector<std::string> differences(const Files& a, const Files& b) {
  std::set<std::string> out;
  for (const auto& [rel, bytes] : a) {
    auto it = b.find(rel);
    if (it == b.end() || it->second != bytes) out.insert(rel);
  }
  for (const auto& [rel, bytes] : b) {
    if (!a.count(rel)) out.insert(rel);
  }
  return {out.begin(), out.end()};
}

// Rebuilds after `changed` was edited; checks the site against a full build and the changed
// files against the difference between the sites. Returns the changed files.
std::vector<std::string> rebuild(server::PreviewBuild& server, const fs::path& content, const fs::path& changed, Files& site) {
  server::Changes changes;
  changes.paths.insert(changed.string());
  server::BuildEvent event = server.build(changes);
  REQUIRE(event.fatal.empty());
  CHECK_FALSE(event.all);
  Files now = files_of(server.site());
  Files full = full_build(content);
  CHECK(differences(now, full).empty());
  for (const auto& [rel, bytes] : full) {
    INFO(rel);
    REQUIRE(now.count(rel));
    CHECK(now[rel] == bytes);
  }
  CHECK(event.changed == differences(site, now));
  site = std::move(now);
  return event.changed;
}

bool has(const std::vector<std::string>& list, const std::string& item) { return std::find(list.begin(), list.end(), item) != list.end(); }

}  // namespace

TEST_CASE("a rebuild after an edit makes the site a full build makes, and names what changed", "[server][preview]") {
  test::TempDir dir;
  fs::path content = dir.path() / "content";
  fs::create_directories(content);
  for (const auto& e : fs::directory_iterator(test::samples_dir())) fs::copy_file(e.path(), content / e.path().filename());
  fs::path notes = content / "extra/notes.md";
  test::write_file(notes, "---\ntags: [frobdb]\ndescription: Notes on the database.\n---\n# Notes\n\nRestart the frobnicator.\n\n- [ ] first\n");
  server::PreviewBuild server = preview(content);
  server::BuildEvent first = server.build({});
  REQUIRE(first.fatal.empty());
  Files site = files_of(server.site());
  CHECK(differences(site, full_build(content)).empty());

  SECTION("body") {
    test::write_file(notes, "---\ntags: [frobdb]\ndescription: Notes on the database.\n---\n# Notes\n\nRestart the quuxinator twice.\n\n- [ ] first\n");
    auto changed = rebuild(server, content, notes, site);
    CHECK(has(changed, "runbooks/extra/notes.html"));
    CHECK_FALSE(has(changed, "index.html"));  // the lists show the title, which stayed
    // and once more: the records kept by the first rebuild hold for the next
    test::write_file(notes, "---\ntags: [frobdb]\ndescription: Notes on the database.\n---\n# Notes\n\nRestart nothing.\n\n- [ ] second\n");
    changed = rebuild(server, content, notes, site);
    CHECK(has(changed, "runbooks/extra/notes.html"));
    CHECK(has(changed, "checklists.html"));
  }
  SECTION("title and description") {
    test::write_file(notes, "---\ntags: [frobdb]\ndescription: Notes on the cache.\n---\n# Notes, renamed\n\nRestart the frobnicator.\n\n- [ ] first\n");
    auto changed = rebuild(server, content, notes, site);
    CHECK(has(changed, "index.html"));
    CHECK(has(changed, "tags/frobdb.html"));
  }
  SECTION("tags") {
    test::write_file(notes, "---\ntags: [cache]\ndescription: Notes on the database.\n---\n# Notes\n\nRestart the frobnicator.\n\n- [ ] first\n");
    auto changed = rebuild(server, content, notes, site);
    CHECK(has(changed, "tags/cache.html"));
    CHECK(has(changed, "tags/frobdb.html"));  // gone: no page has the tag any more
    CHECK_FALSE(site.count("tags/frobdb.html"));
  }
  SECTION("a page added, then removed") {
    // It sorts first: every page of the search index moves one place, and back.
    fs::path added = content / "0-first.md";
    test::write_file(added, "# First\n\nRestart the frobnicator.\n");
    auto changed = rebuild(server, content, added, site);
    CHECK(has(changed, "runbooks/0-first.html"));
    fs::remove(added);
    changed = rebuild(server, content, added, site);
    CHECK(has(changed, "runbooks/0-first.html"));
    CHECK_FALSE(site.count("runbooks/0-first.html"));
  }
  SECTION("open pages are told once the pages are built, before the search index") {
    test::write_file(notes, "---\ntags: [frobdb]\ndescription: Notes on the database.\n---\n# Notes\n\nRestart the zorblinator.\n\n- [ ] first\n");
    server::Changes changes;
    changes.paths.insert(notes.string());
    std::vector<server::BuildEvent> told;
    Files served;  // what the server served when it told them
    server::BuildEvent event = server.build(changes, [&](const server::BuildEvent& pages) {
      told.push_back(pages);
      served = files_of(server.site());
    });
    REQUIRE(told.size() == 1);
    CHECK(told[0].id == event.id);
    CHECK(has(told[0].changed, "runbooks/extra/notes.html"));
    CHECK(served["runbooks/extra/notes.html"].find("zorblinator") != std::string::npos);
    // the search index was the previous one, whole; it changes after
    std::vector<std::string> search;
    for (const auto& rel : event.changed) {
      if (rel.starts_with("search/")) search.push_back(rel);
    }
    CHECK_FALSE(search.empty());
    for (const auto& rel : search) {
      INFO(rel);
      CHECK_FALSE(has(told[0].changed, rel));
      CHECK(served[rel] == site[rel]);
    }
    Files now = files_of(server.site());
    CHECK(differences(now, full_build(content)).empty());
    CHECK(event.changed == differences(site, now));
  }
  SECTION("a linked runbook's page follows an edit of its target (s11b B5)") {
    fs::create_symlink("extra/notes.md", content / "alias.md");
    fs::path added = content / "alias.md";
    rebuild(server, content, added, site);
    CHECK(site["runbooks/alias.html"].find("frobnicator") != std::string::npos);
    test::write_file(notes, "---\ntags: [frobdb]\ndescription: Notes on the database.\n---\n# Notes\n\nRestart the blorbinator.\n\n- [ ] first\n");
    auto changed = rebuild(server, content, notes, site);  // the watcher names the target only
    CHECK(has(changed, "runbooks/alias.html"));
    CHECK(site["runbooks/alias.html"].find("blorbinator") != std::string::npos);
  }
  SECTION("a page removed") {
    fs::remove(notes);
    auto changed = rebuild(server, content, notes, site);
    CHECK(has(changed, "runbooks/extra/notes.html"));
    CHECK_FALSE(site.count("runbooks/extra/notes.html"));
    CHECK_FALSE(site.count("tags/frobdb.html"));
  }
}
