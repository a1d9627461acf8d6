// inotify watches: one per folder, recursive trees extended as folders appear.
#include "server/watcher.hpp"

#include <fcntl.h>
#include <poll.h>
#include <sys/inotify.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

#include "model/error.hpp"
#include "model/terminal_text.hpp"

namespace opsbook::server {

namespace fs = std::filesystem;

namespace {

constexpr uint32_t k_mask = IN_CLOSE_WRITE | IN_CREATE | IN_DELETE | IN_MOVED_FROM | IN_MOVED_TO | IN_DELETE_SELF | IN_MOVE_SELF |
                            IN_ATTRIB | IN_ONLYDIR;

bool skipped(const std::string& name) { return name.starts_with('.') || name == "node_modules"; }

}  // namespace

Watcher::Watcher() {
  m_fd = ::inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
  if (m_fd < 0) throw Error(std::string("cannot watch files (inotify): ") + std::strerror(errno));
  if (::pipe2(m_stop, O_NONBLOCK | O_CLOEXEC) != 0) {
    ::close(m_fd);
    throw Error(std::string("cannot create a pipe: ") + std::strerror(errno));
  }
}

Watcher::~Watcher() {
  ::close(m_fd);
  ::close(m_stop[0]);
  ::close(m_stop[1]);
}

int Watcher::add_folder(const std::string& folder, bool recursive, int depth) {
  constexpr int k_max_depth = 64;
  if (depth > k_max_depth) return -1;
  int wd = ::inotify_add_watch(m_fd, folder.c_str(), k_mask);
  if (wd < 0 && (errno == ENOSPC || errno == ENOMEM) && !m_warned_limit) {
    // Silently unwatched folders would serve stale pages (s11b review B8).
    m_warned_limit = true;
    model::print_line("opsbook serve: warning: cannot watch " + folder + " and the folders after it: " + std::strerror(errno) +
                      " (the limit fs.inotify.max_user_watches is reached); edits there are not seen: raise the limit "
                      "(sysctl fs.inotify.max_user_watches=524288) and restart serve");
  }
  if (wd < 0) return -1;  // gone, or not a folder: nothing to watch
  Watch& w = m_watches[wd];
  w.folder = folder;
  w.recursive = w.recursive || recursive;
  if (!recursive) return wd;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(folder, ec)) {
    std::string name = entry.path().filename().string();
    if (skipped(name) || !entry.is_directory(ec) || entry.is_symlink(ec)) continue;
    add_folder(entry.path().string(), true, depth + 1);
  }
  return wd;
}

void Watcher::add_tree(const std::string& folder) {
  // Folders created below a watched tree get their watch as their events come (read_events).
  auto known = m_trees.find(folder);
  if (known != m_trees.end() && known->second.overflows == m_overflows) {
    auto top = m_watches.find(known->second.wd);
    if (top != m_watches.end() && top->second.folder == folder && top->second.recursive) return;
  }
  std::error_code ec;
  if (!fs::is_directory(folder, ec)) return;
  int wd = add_folder(folder, true);
  if (wd >= 0) m_trees[folder] = Tree{wd, m_overflows};
}

void Watcher::add_file(const std::string& file) {
  fs::path p(file);
  std::string folder = p.parent_path().empty() ? std::string(".") : p.parent_path().string();
  int wd = ::inotify_add_watch(m_fd, folder.c_str(), k_mask);
  if (wd < 0) return;
  Watch& w = m_watches[wd];
  if (w.folder.empty()) w.folder = folder;
  if (!w.recursive) w.only.insert(p.filename().string());
}

bool Watcher::poll_for(int timeout_ms) {
  pollfd fds[2] = {{m_fd, POLLIN, 0}, {m_stop[0], POLLIN, 0}};
  for (;;) {
    int n = ::poll(fds, 2, timeout_ms);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    if (fds[1].revents != 0) return false;
    return (fds[0].revents & POLLIN) != 0;
  }
}

bool Watcher::read_events(Changes& changes) {
  alignas(inotify_event) char buffer[64 * 1024];
  bool any = false;
  for (;;) {
    ssize_t n = ::read(m_fd, buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return any;
    any = true;
    for (char* at = buffer; at < buffer + n;) {
      auto* e = reinterpret_cast<inotify_event*>(at);
      at += sizeof(inotify_event) + e->len;
      if (e->mask & IN_Q_OVERFLOW) {
        changes.overflow = true;
        ++m_overflows;  // the next add_tree walks its tree again
        continue;
      }
      auto it = m_watches.find(e->wd);
      if (it == m_watches.end()) continue;
      if (e->mask & IN_IGNORED) {
        m_watches.erase(it);
        continue;
      }
      Watch w = it->second;  // copied: add_folder below may rehash the map
      if (e->mask & (IN_DELETE_SELF | IN_MOVE_SELF)) {
        changes.listing = true;
        continue;
      }
      std::string name = e->len > 0 ? std::string(e->name) : std::string();
      if (name.empty() || (!w.only.empty() && !w.only.count(name))) continue;
      if (w.recursive && skipped(name)) continue;
      std::string path = (fs::path(w.folder) / name).string();
      if (e->mask & IN_ISDIR) {
        if (!w.recursive) {
          changes.paths.insert(std::move(path));  // a folder watched by name (e.g. .opsbook appearing)
          continue;
        }
        changes.listing = true;
        if (e->mask & (IN_CREATE | IN_MOVED_TO)) add_folder(path, true);  // and what it already holds
        continue;
      }
      changes.paths.insert(std::move(path));
    }
  }
}

Changes Watcher::wait(std::chrono::milliseconds quiet) {
  Changes changes;
  while (changes.empty()) {
    if (!poll_for(-1)) return {};
    read_events(changes);
  }
  // Until the writes settle: an editor's save is several events (a temporary file, a rename).
  while (poll_for(static_cast<int>(quiet.count()))) read_events(changes);
  return changes;
}

void Watcher::stop() {
  char c = 1;
  (void)!::write(m_stop[1], &c, 1);
}

}  // namespace opsbook::server
