// The watcher: folders created under a watched tree are watched as they appear, without walking
// the tree again; after the kernel dropped events, add_tree walks it again, so a folder created
// among the dropped events is watched too.
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <string>

#include "server/watcher.hpp"
#include "support.hpp"

using namespace opsbook;
namespace fs = std::filesystem;

namespace {

constexpr auto k_quiet = std::chrono::milliseconds(50);

size_t max_queued_events() {
  std::ifstream in("/proc/sys/fs/inotify/max_queued_events");
  size_t n = 0;
  in >> n;
  return n;
}

}  // namespace

TEST_CASE("watcher: a folder created under a watched tree is watched as it appears", "[server][watcher]") {
  test::TempDir dir;
  fs::path root = dir.path() / "content";
  fs::create_directories(root / "a");
  server::Watcher watcher;
  watcher.add_tree(root.string());
  fs::create_directories(root / "new/deeper");
  server::Changes made = watcher.wait(k_quiet);
  CHECK(made.listing);
  watcher.add_tree(root.string());  // (already watched: nothing to do)
  test::write_file(root / "new/deeper/page.md", "# Page\n");
  test::write_file(root / "a/other.md", "# Other\n");
  server::Changes written = watcher.wait(k_quiet);
  CHECK(written.paths.count((root / "new/deeper/page.md").string()));
  CHECK(written.paths.count((root / "a/other.md").string()));
}

TEST_CASE("watcher: after the kernel dropped events, add_tree watches the folders created meanwhile", "[server][watcher]") {
  size_t queue = max_queued_events();
  if (queue == 0 || queue > 100000) {
    WARN("inotify queue of " << queue << " events: too large to overflow here");
    return;
  }
  test::TempDir dir;
  fs::path root = dir.path() / "content";
  fs::create_directories(root);
  server::Watcher watcher;
  watcher.add_tree(root.string());
  // Each file is two events (created, written): the queue overflows, and the folder's creation,
  // after it, is lost.
  for (size_t i = 0; i < queue / 2 + 1000; ++i) test::write_file(root / ("flood-" + std::to_string(i) + ".md"), "x");
  fs::create_directories(root / "late");
  server::Changes flooded = watcher.wait(k_quiet);
  REQUIRE(flooded.overflow);
  watcher.add_tree(root.string());
  test::write_file(root / "late/page.md", "# Page\n");
  test::write_file(root / "marker.md", "# Marker\n");
  server::Changes written = watcher.wait(k_quiet);
  CHECK(written.paths.count((root / "marker.md").string()));
  CHECK(written.paths.count((root / "late/page.md").string()));
}
