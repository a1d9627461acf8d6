// TempDir and its signal-time cleanup (temporary folders, and the process groups of children).
// The handler may only use async-signal-safe calls, so the live folders sit in a fixed table of
// paths and are emptied with open/getdents64/unlinkat/rmdir (they are flat: TempDir::write takes
// plain file names), and the groups in a fixed table of ids.
#include "model/temp_dir.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <climits>
#include <cstdlib>
#include <cstring>
#include <ctime>

#include "model/error.hpp"

namespace opsbook::model {

namespace {

constexpr int k_slots = 64;
char g_paths[k_slots][PATH_MAX];
std::atomic<bool> g_claimed[k_slots];  // taken by a TempDir
std::atomic<bool> g_ready[k_slots];    // its path is in place: the handler may remove it

// Removes the files of a flat folder, then the folder; async-signal-safe.
void remove_flat(const char* path) {
  int fd = ::open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  if (fd >= 0) {
    alignas(8) char buf[4096];
    for (;;) {
      long n = ::syscall(SYS_getdents64, fd, buf, sizeof buf);
      if (n <= 0) break;
      for (long off = 0; off < n;) {
        auto* d = reinterpret_cast<struct dirent64*>(buf + off);
        if (std::strcmp(d->d_name, ".") != 0 && std::strcmp(d->d_name, "..") != 0) ::unlinkat(fd, d->d_name, 0);
        off += d->d_reclen;
      }
    }
    ::close(fd);
  }
  ::rmdir(path);
}

constexpr int k_groups = 256;
constexpr int k_starting = -1;        // a slot held for a child being spawned
std::atomic<int> g_groups[k_groups];  // process groups of running children, 0 for a free slot

// The stop signals the handler takes; each is blocked while the handler runs, so a second stop
// does not interrupt the first one's cleanup.
sigset_t stop_signals() {
  sigset_t set;
  sigemptyset(&set);
  for (int sig : {SIGINT, SIGTERM, SIGHUP}) sigaddset(&set, sig);
  return set;
}

// Kills every tracked group; a slot still starting is waited for (its thread has the stop signals
// blocked, so it goes on while we wait here), up to 5 s in all (a spawn takes milliseconds).
void kill_groups() {
  const timespec k_tick{0, 1000000};
  int ticks = 0;
  for (auto& g : g_groups) {
    int pgid = g.load();
    while (pgid == k_starting && ticks++ < 5000) {
      ::nanosleep(&k_tick, nullptr);
      pgid = g.load();
    }
    if (pgid > 0) ::kill(-pgid, SIGKILL);
  }
}

// Set when a stop signal is being handled: a thread whose child the handler killed must not go
// on to finish the run (and exit 0 or 1) before the handler ends the process with the signal.
std::atomic<bool> g_stopping{false};

void on_signal(int sig) {
  g_stopping.store(true);
  kill_groups();
  for (int i = 0; i < k_slots; ++i) {
    if (g_ready[i].load()) remove_flat(g_paths[i]);
  }
  ::signal(sig, SIG_DFL);
  ::raise(sig);
}

}  // namespace

TempDir::TempDir(std::string_view prefix) {
  const char* tmp = std::getenv("TMPDIR");
  std::string pattern = std::string(tmp != nullptr && *tmp != '\0' ? tmp : "/tmp") + "/" + std::string(prefix) + "-XXXXXX";
  if (::mkdtemp(pattern.data()) == nullptr) throw Error("cannot create a temporary folder " + pattern + ": " + std::strerror(errno));
  m_path = pattern;
  for (int i = 0; i < k_slots && m_path.size() < PATH_MAX; ++i) {
    bool expected = false;
    if (g_claimed[i].compare_exchange_strong(expected, true)) {
      std::memcpy(g_paths[i], m_path.c_str(), m_path.size() + 1);
      g_ready[i].store(true);
      m_slot = i;
      break;
    }
  }
}

TempDir::~TempDir() {
  if (m_slot >= 0) {
    g_ready[m_slot].store(false);
    g_claimed[m_slot].store(false);
  }
  remove_flat(m_path.c_str());
}

bool TempDir::write(std::string_view name, std::string_view data) const {
  if (name.empty() || name.find('/') != std::string_view::npos || name == "." || name == "..") return false;
  std::string file = m_path + "/" + std::string(name);
  int fd = ::open(file.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
  if (fd < 0) return false;
  bool ok = true;
  while (ok && !data.empty()) {
    ssize_t put = ::write(fd, data.data(), data.size());
    if (put < 0 && errno == EINTR) continue;
    ok = put > 0;
    if (ok) data.remove_prefix(static_cast<size_t>(put));
  }
  return ::close(fd) == 0 && ok;
}

StopSignalsBlocked::StopSignalsBlocked() {
  sigset_t set = stop_signals();
  ::pthread_sigmask(SIG_BLOCK, &set, &m_old);
}

StopSignalsBlocked::~StopSignalsBlocked() { ::pthread_sigmask(SIG_SETMASK, &m_old, nullptr); }

void TrackedGroup::hold() {
  release();
  for (int i = 0; i < k_groups; ++i) {
    int expected = 0;
    if (g_groups[i].compare_exchange_strong(expected, k_starting)) {
      m_slot = i;
      return;
    }
  }
}

void TrackedGroup::track(int pgid) {
  if (m_slot < 0) return;
  g_groups[m_slot].store(pgid > 0 ? pgid : 0);
  if (pgid <= 0) m_slot = -1;
}

void TrackedGroup::release() {
  if (m_slot < 0) return;
  g_groups[m_slot].store(0);
  m_slot = -1;
  if (g_stopping.load()) {  // the child was killed by the handler: wait here for the end
    sigset_t none;
    sigemptyset(&none);
    for (;;) ::sigsuspend(&none);
  }
}

void install_temp_cleanup() {
  struct sigaction sa {};
  sa.sa_handler = on_signal;
  sa.sa_mask = stop_signals();
  for (int sig : {SIGINT, SIGTERM, SIGHUP}) ::sigaction(sig, &sa, nullptr);
}

}  // namespace opsbook::model
