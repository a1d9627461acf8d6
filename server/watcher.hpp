// Watches folders (recursively) and single files with inotify for `opsbook serve`: what changed
// since the last call, after the writes settle.
#pragma once

#include <chrono>
#include <cstdint>
#include <set>
#include <string>
#include <unordered_map>

namespace opsbook::server {

struct Changes {
  std::set<std::string> paths;  // files written, created, moved or removed (watched folder + name)
  bool listing = false;         // folders appeared or went away: list the sources again
  bool overflow = false;        // the kernel dropped events: assume everything changed
  [[nodiscard]] bool empty() const { return paths.empty() && !listing && !overflow; }
};

class Watcher {
 public:
  Watcher();  // throws opsbook::Error when inotify is unavailable
  ~Watcher();
  Watcher(const Watcher&) = delete;
  Watcher& operator=(const Watcher&) = delete;

  // Watches `folder` and every folder below it (hidden ones and node_modules skipped), also those
  // created later. A missing folder is ignored. Called again for the same folder, it walks the
  // tree again only when that is needed: the kernel dropped events since (a folder created then
  // would go unwatched) or the folder itself went away; otherwise it costs nothing (a walk of a
  // 10,000-page tree after every rebuild took a fifth of the rebuild).
  void add_tree(const std::string& folder);
  // Watches one file through its folder (editors replace files by renaming a new one over them).
  void add_file(const std::string& file);

  // Blocks until something changed, then until nothing more changed for `quiet`; returns the
  // changes. Returns empty changes when stop() was called.
  Changes wait(std::chrono::milliseconds quiet);
  // Makes a blocked or later wait() return at once (any thread).
  void stop();

 private:
  // Its watch descriptor, or -1. Below `depth` 64 nothing more is watched (the loader reads 32).
  int add_folder(const std::string& folder, bool recursive, int depth = 0);
  bool read_events(Changes& changes);  // false when nothing was read
  bool poll_for(int timeout_ms);       // true when inotify has events; false on timeout or stop

  int m_fd = -1;
  int m_stop[2] = {-1, -1};
  struct Watch {
    std::string folder;
    bool recursive = false;
    std::set<std::string> only;  // file names to report; empty = all
  };
  std::unordered_map<int, Watch> m_watches;  // by watch descriptor
  struct Tree {
    int wd = -1;              // of its top folder
    uint64_t overflows = 0;   // m_overflows when it was last walked
  };
  std::unordered_map<std::string, Tree> m_trees;  // by the folder given to add_tree
  uint64_t m_overflows = 0;                       // times the kernel dropped events
  bool m_warned_limit = false;                    // the inotify watch limit was reported
};

}  // namespace opsbook::server
