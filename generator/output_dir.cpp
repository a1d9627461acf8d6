// Output writers: staging + swap for full builds, hash-compared in-place updates for incremental ones.
#include "generator/output_dir.hpp"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <functional>
#include <unordered_set>

#include "generator/cache_io.hpp"
#include "generator/site_cache.hpp"
#include "model/error.hpp"

namespace opsbook::generator {

namespace fs = std::filesystem;

namespace {

DiskStamp stamp_of(const struct stat& st) {
  return {static_cast<uint64_t>(st.st_size), static_cast<uint64_t>(st.st_ino),
          static_cast<int64_t>(st.st_mtim.tv_sec) * 1000000000 + st.st_mtim.tv_nsec, static_cast<uint32_t>(st.st_mode)};
}

}  // namespace

bool is_site_path(std::string_view rel) {
  if (rel.empty() || rel.find('\0') != std::string_view::npos) return false;
  for (size_t start = 0; start <= rel.size();) {
    size_t end = std::min(rel.find('/', start), rel.size());
    std::string_view part = rel.substr(start, end - start);
    if (part.empty() || part == "." || part == "..") return false;
    start = end + 1;
  }
  return true;
}

DiskStamp disk_stamp(const fs::path& path) {
  struct stat st {};
  if (::lstat(path.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) return {};
  return stamp_of(st);
}

SiteEntry::SiteEntry(const fs::path& root, std::string_view rel) {
  size_t slash = rel.rfind('/');
  m_name = std::string(slash == std::string_view::npos ? rel : rel.substr(slash + 1));
  m_dir = ::open(root.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC);
  for (size_t start = 0; m_dir >= 0 && slash != std::string_view::npos && start < slash;) {
    size_t end = rel.find('/', start);
    std::string part(rel.substr(start, end - start));
    int next = ::openat(m_dir, part.c_str(), O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    ::close(m_dir);
    m_dir = next;
    start = end + 1;
  }
}

SiteEntry::~SiteEntry() {
  if (m_dir >= 0) ::close(m_dir);
}

DiskStamp SiteEntry::stamp() const {
  struct stat st {};
  if (m_dir < 0 || ::fstatat(m_dir, m_name.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0 || !S_ISREG(st.st_mode)) return {};
  return stamp_of(st);
}

bool SiteEntry::link_to(const fs::path& to) const { return m_dir >= 0 && ::linkat(m_dir, m_name.c_str(), AT_FDCWD, to.c_str(), 0) == 0; }

bool is_intact(const DiskStamp& now, const SiteFile& recorded) { return now.mode != 0 && now == recorded.disk; }

bool holds_only(const fs::path& root, const std::vector<std::string_view>& files) {
  std::unordered_set<std::string_view> listed(files.begin(), files.end());
  std::unordered_set<std::string> folders;
  for (std::string_view f : files) {
    for (size_t slash = f.find('/'); slash != std::string_view::npos; slash = f.find('/', slash + 1)) folders.emplace(f.substr(0, slash));
  }
  size_t prefix = root.native().size() + (root.native().ends_with('/') ? 0 : 1);
  std::error_code ec;
  for (auto it = fs::recursive_directory_iterator(root, ec); !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
    std::string_view rel = std::string_view(it->path().native()).substr(prefix);
    if (rel == k_cache_file) continue;
    bool folder = it->symlink_status(ec).type() == fs::file_type::directory;
    if (folder ? !folders.count(std::string(rel)) : !listed.count(rel)) return false;
  }
  return !ec;
}

namespace {

fs::path normal_target(const std::string& target) {
  fs::path p = fs::absolute(target).lexically_normal();
  if (p.filename().empty()) p = p.parent_path();
  return p;
}

fs::path staging_path(const fs::path& target) {
  return target.parent_path() / ("." + target.filename().string() + ".tmp-" + std::to_string(::getpid()));
}

// Writes `file` and returns its stamp (taken before close: what the next build will find).
DiskStamp write_file(const fs::path& file, std::string_view data) {
  int fd = ::open(file.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) throw Error(file.string() + ": cannot write: " + std::strerror(errno));
  size_t done = 0;
  while (done < data.size()) {
    ssize_t n = ::write(fd, data.data() + done, data.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      int err = errno;
      ::close(fd);
      throw Error(file.string() + ": write failed: " + std::strerror(err));
    }
    done += static_cast<size_t>(n);
  }
  struct stat st {};
  bool statted = ::fstat(fd, &st) == 0;
  if (::close(fd) != 0) throw Error(file.string() + ": write failed: " + std::strerror(errno));
  return statted ? stamp_of(st) : DiskStamp{};
}

void make_dirs(const fs::path& dir, std::set<std::string>& made, std::mutex& mutex) {
  std::lock_guard lock(mutex);
  if (made.count(dir.string())) return;
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) throw Error(dir.string() + ": cannot create folder: " + ec.message());
  made.insert(dir.string());
}

std::string read_previous(const fs::path& target, const std::string& rel) {
  MappedFile file((target / rel).string());
  return std::string(file.bytes());
}

// The previous build's record of `rel` when the live file still has the stamp it recorded.
const SiteFile* intact_record(const fs::path& target, const FileHashes& previous, const std::string& rel) {
  auto it = previous.find(rel);
  return it != previous.end() && is_intact(SiteEntry(target, rel).stamp(), it->second) ? &it->second : nullptr;
}

// Removes the tree at `dir`, also when another process removes parts of it at the same time (the
// detached remover of a killed build): remove_all stops at the first entry taken away under it, so
// it is repeated until the tree is gone, or a bounded number of times when it cannot be removed.
void remove_tree(const fs::path& dir) {
  std::error_code ec;
  for (int attempt = 0; attempt < 20; ++attempt) {
    fs::remove_all(dir, ec);
    if (!fs::exists(fs::symlink_status(dir, ec))) return;
    if (ec && ec != std::errc::no_such_file_or_directory && ec != std::errc::directory_not_empty) return;
    ::usleep(5000);
  }
}

// Removes `dir` in the background: `rm -rf` started with posix_spawn in a session of its own, so
// that it outlives us. Not fork(): threads of the build (or their exit) may hold the allocator's
// locks, and a forked child that allocates then waits for them forever, leaving the old site on
// disk. Finished removers are reaped on the next call (a --watch process builds many times).
void remove_detached(const fs::path& dir) {
  static std::vector<pid_t> running;
  std::erase_if(running, [](pid_t pid) { return ::waitpid(pid, nullptr, WNOHANG) != 0; });
  std::string path = dir.string();
  std::string rm = "rm", rf = "-rf", dashes = "--";
  char* argv[] = {rm.data(), rf.data(), dashes.data(), path.data(), nullptr};
  posix_spawnattr_t attr;
  posix_spawn_file_actions_t actions;
  ::posix_spawnattr_init(&attr);
  ::posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSID);
  ::posix_spawn_file_actions_init(&actions);
  ::posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  ::posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
  ::posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0);
  pid_t pid = 0;
  int rc = ::posix_spawn(&pid, "/bin/rm", &actions, &attr, argv, environ);
  ::posix_spawn_file_actions_destroy(&actions);
  ::posix_spawnattr_destroy(&attr);
  if (rc == 0) running.push_back(pid);
  else remove_tree(dir);
}

// Makes `staging` the site at `target` in one step: renameat2(RENAME_EXCHANGE) when there is a site
// (the old one then goes, in the background), a plain rename when there is none.
void swap_in(const fs::path& staging, const fs::path& target) {
  std::error_code ec;
  if (fs::exists(target, ec)) {
    if (::renameat2(AT_FDCWD, staging.c_str(), AT_FDCWD, target.c_str(), RENAME_EXCHANGE) != 0) {
      throw Error(target.string() + ": cannot swap in the new site: " + std::strerror(errno));
    }
    // The staging path now holds the previous site: rename it out of the way, delete it later.
    fs::path old = staging;
    old += ".old";
    fs::rename(staging, old, ec);
    remove_detached(ec ? staging : old);
    return;
  }
  if (::rename(staging.c_str(), target.c_str()) != 0) {
    throw Error(target.string() + ": cannot move the new site into place: " + std::strerror(errno));
  }
}

}  // namespace

// Removes the staging folders of builds that died (killed, crashed). Each is first renamed to a name
// of ours, so that one remover works on it: the detached remover of a killed build may still be
// deleting it, and a second build may be cleaning up at the same time.
void remove_stale_staging(const fs::path& target) {
  std::error_code ec;
  std::string prefix = "." + target.filename().string() + ".tmp-";
  std::vector<fs::path> stale;
  for (const auto& e : fs::directory_iterator(target.parent_path(), ec)) {
    std::string name = e.path().filename().string();
    if (!name.starts_with(prefix)) continue;
    std::string pid_text = name.substr(prefix.size());
    size_t end = pid_text.find_first_not_of("0123456789");
    pid_t pid = static_cast<pid_t>(std::atol(pid_text.substr(0, end).c_str()));
    if (pid > 0 && pid != ::getpid() && ::kill(pid, 0) != 0 && errno == ESRCH) stale.push_back(e.path());
  }
  for (size_t i = 0; i < stale.size(); ++i) {
    fs::path claimed = staging_path(target);
    claimed += ".stale-" + std::to_string(i);
    remove_tree(claimed);
    if (::rename(stale[i].c_str(), claimed.c_str()) == 0) remove_tree(claimed);
  }
}

namespace {

// A build replaces its output folder as a whole (a full one, and an incremental one when it swaps
// in the new tree): only a site opsbook built (it holds the build cache) or an empty folder, never
// a symlink (the swap would replace the link, not the folder it points to: s6 review M1), and
// never a folder that holds the current one (-o ., output: ..).
void check_replaceable(const fs::path& target) {
  std::error_code ec;
  fs::path here = fs::weakly_canonical(fs::current_path(ec), ec);
  fs::path real = fs::weakly_canonical(target, ec);
  auto [t, h] = std::mismatch(real.begin(), real.end(), here.begin(), here.end());
  if (t == real.end()) {
    throw Error(target.string() + ": is the current folder or holds it; opsbook replaces its output folder as a whole: choose a folder of its own (-o site)");
  }
  if (!fs::exists(fs::symlink_status(target, ec))) return;
  if (fs::is_symlink(fs::symlink_status(target, ec))) {
    throw Error(target.string() + ": is a symlink; opsbook replaces its output folder as a whole, and would replace the link with a folder: give the folder it points to (-o " +
                fs::weakly_canonical(target, ec).string() + ")");
  }
  if (!fs::is_directory(fs::symlink_status(target, ec))) throw Error(target.string() + ": exists and is not a folder: choose another output folder (-o)");
  if (fs::is_empty(target, ec) || fs::exists(target / k_cache_file, ec)) return;
  throw Error(target.string() + ": exists and is not a site opsbook built (it has no " + std::string(k_cache_file) +
              "); opsbook replaces its output folder as a whole: choose a new or empty folder, or remove this one yourself");
}

}  // namespace

// ---- StagingDir ----

StagingDir::StagingDir(const std::string& target, FileHashes previous)
    : m_target(normal_target(target)), m_staging(staging_path(m_target)), m_previous(std::move(previous)) {
  check_replaceable(m_target);
  remove_stale_staging(m_target);
  remove_tree(m_staging);
  std::error_code ec;
  fs::create_directories(m_staging, ec);
  if (ec) throw Error(m_staging.string() + ": cannot create the staging folder: " + ec.message());
}

StagingDir::~StagingDir() {
  if (!m_committed) remove_tree(m_staging);
}

void StagingDir::ensure_parent(const fs::path& file) { make_dirs(file.parent_path(), m_dirs, m_mutex); }

void StagingDir::write(const std::string& rel, std::string_view data) { put(rel, data, content_hash(data)); }

void StagingDir::write_state(const std::string& rel, std::string_view data) { put(rel, data, 0); }

void StagingDir::put(const std::string& rel, std::string_view data, uint64_t hash) {
  fs::path file = m_staging / rel;
  ensure_parent(file);
  DiskStamp disk = write_file(file, data);
  std::lock_guard lock(m_mutex);
  m_hashes[rel] = {hash, disk};
}

bool StagingDir::reuse(const std::string& rel) {
  SiteEntry from(m_target, rel);
  fs::path to = m_staging / rel;
  ensure_parent(to);
  if (from.stamp().mode == 0 || !from.link_to(to)) return false;
  DiskStamp disk = disk_stamp(to);
  std::lock_guard lock(m_mutex);
  auto it = m_previous.find(rel);
  m_hashes[rel] = {it != m_previous.end() ? it->second.hash : 0, disk};
  return true;
}

bool StagingDir::reuse_tree(const std::string& rel_dir) {
  std::error_code ec;
  fs::path from = m_target / rel_dir;
  if (!fs::is_directory(from, ec)) return false;
  for (auto it = fs::recursive_directory_iterator(from, ec); !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
    if (!it->is_regular_file()) continue;
    std::string rel = fs::relative(it->path(), m_target).generic_string();
    {
      std::lock_guard lock(m_mutex);
      if (m_hashes.count(rel)) continue;  // written in this build
    }
    if (!reuse(rel)) return false;
  }
  return !ec;
}

std::string StagingDir::previous_file(const std::string& rel) const { return read_previous(m_target, rel); }

void StagingDir::commit() {
  swap_in(m_staging, m_target);
  m_committed = true;
}

FileHashes StagingDir::hashes() const {
  std::lock_guard lock(m_mutex);
  return m_hashes;
}

// ---- InPlaceUpdate ----

InPlaceUpdate::InPlaceUpdate(const std::string& target, FileHashes previous)
    : m_target(normal_target(target)), m_staging(staging_path(m_target)), m_previous(std::move(previous)) {
  check_replaceable(m_target);
  remove_stale_staging(m_target);
  std::vector<std::string_view> files;
  files.reserve(m_previous.size());
  for (const auto& entry : m_previous) files.push_back(entry.first);
  m_strays = !holds_only(m_target, files);
}

InPlaceUpdate::~InPlaceUpdate() {
  if (!m_committed) remove_tree(m_staging);
}

const SiteFile* InPlaceUpdate::kept(const std::string& rel) const { return intact_record(m_target, m_previous, rel); }

void InPlaceUpdate::write(const std::string& rel, std::string_view data) {
  uint64_t h = content_hash(data);
  const SiteFile* live = kept(rel);
  if (live && live->hash == h) {  // same bytes as the live file, which is as the previous build left it
    std::lock_guard lock(m_mutex);
    m_hashes[rel] = *live;
    return;
  }
  stage(rel, data, h);
}

void InPlaceUpdate::write_state(const std::string& rel, std::string_view data) { stage(rel, data, 0); }

void InPlaceUpdate::stage(const std::string& rel, std::string_view data, uint64_t hash) {
  fs::path file = m_staging / rel;
  make_dirs(file.parent_path(), m_dirs, m_mutex);
  DiskStamp disk = write_file(file, data);
  std::lock_guard lock(m_mutex);
  m_hashes[rel] = {hash, disk};
  m_pending.push_back(rel);
}

bool InPlaceUpdate::reuse(const std::string& rel) {
  const SiteFile* live = kept(rel);
  if (!live) return false;  // not in the previous site, or damaged since: the caller renders it
  std::lock_guard lock(m_mutex);
  m_hashes[rel] = *live;
  return true;
}

bool InPlaceUpdate::reuse_tree(const std::string& rel_dir) {
  std::string prefix = rel_dir + "/";
  auto first = m_previous.lower_bound(prefix);
  auto end = first;
  while (end != m_previous.end() && end->first.starts_with(prefix)) ++end;
  // All or nothing: one damaged file and the caller makes the whole tree again.
  for (auto it = first; it != end; ++it) {
    if (!kept(it->first)) return false;
  }
  std::lock_guard lock(m_mutex);
  for (auto it = first; it != end; ++it) m_hashes.emplace(it->first, it->second);  // files written in this build keep their new record
  return first != end;
}

std::string InPlaceUpdate::previous_file(const std::string& rel) const {
  return kept(rel) ? read_previous(m_target, rel) : std::string();
}

void InPlaceUpdate::commit() {
  if (unchanged()) return;
  // Everything rendered: link every kept file beside the changed ones, then swap the whole tree in.
  std::set<std::string> staged(m_pending.begin(), m_pending.end());
  for (const auto& [rel, record] : m_hashes) {
    if (staged.count(rel)) continue;
    fs::path to = m_staging / rel;
    make_dirs(to.parent_path(), m_dirs, m_mutex);
    // The link must be the very file that was checked when it was kept (not one put there since):
    // otherwise the caller rebuilds everything.
    if (!SiteEntry(m_target, rel).link_to(to) || disk_stamp(to) != record.disk) {
      throw UnusableCache("the previous site's " + rel + " changed during the build");
    }
  }
  make_dirs(m_staging, m_dirs, m_mutex);
  swap_in(m_staging, m_target);
  m_committed = true;
}

bool InPlaceUpdate::unchanged() const {
  std::lock_guard lock(m_mutex);
  if (m_strays || !m_pending.empty()) return false;
  for (const auto& [rel, h] : m_previous) {
    if (!m_hashes.count(rel)) return false;
  }
  return true;
}

FileHashes InPlaceUpdate::hashes() const {
  std::lock_guard lock(m_mutex);
  return m_hashes;
}

}  // namespace opsbook::generator
