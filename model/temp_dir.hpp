// Private temporary folders for helper input (shellcheck's script files): mkdtemp under $TMPDIR
// (mode 0700, unpredictable name, so no other user can plant a file or symlink in it), files
// created with O_EXCL|O_NOFOLLOW, removed when the object goes, and also when opsbook is stopped
// by SIGINT, SIGTERM or SIGHUP once main has called install_temp_cleanup().
#pragma once

#include <signal.h>

#include <string>
#include <string_view>

namespace opsbook::model {

class TempDir {
 public:
  // Throws opsbook::Error when the folder cannot be made.
  explicit TempDir(std::string_view prefix);
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  [[nodiscard]] const std::string& path() const { return m_path; }
  // Creates `name` (a plain file name) in the folder with `data`; false when that fails.
  bool write(std::string_view name, std::string_view data) const;

 private:
  std::string m_path;
  int m_slot = -1;  // in the table the signal handler empties
};

// SIGINT, SIGTERM and SIGHUP kill every tracked process group (the snippets and helpers opsbook
// runs), remove every live TempDir, then end the process as the signal would.
void install_temp_cleanup();

// Blocks SIGINT, SIGTERM and SIGHUP in this thread while it lives (restores the mask after): one of
// them arriving meanwhile is handled by another thread, or here once the mask is restored.
class StopSignalsBlocked {
 public:
  StopSignalsBlocked();
  ~StopSignalsBlocked();
  StopSignalsBlocked(const StopSignalsBlocked&) = delete;
  StopSignalsBlocked& operator=(const StopSignalsBlocked&) = delete;

 private:
  sigset_t m_old;
};

// The process group of a child that must not outlive opsbook (run_process holds one per child).
// hold() takes a slot before the child exists, with the stop signals blocked in this thread
// (StopSignalsBlocked); a signal handled meanwhile on another thread waits until track() fills the
// slot (or frees it with 0), so no stop can fall between a child's start and its tracking.
// release() comes before the leader is reaped: a reaped group's id may belong to a stranger.
// Once a stop signal is being handled, release() never returns: the caller's child was killed and
// the handler is about to end the process with the signal, which the caller must not outrun.
class TrackedGroup {
 public:
  TrackedGroup() = default;
  ~TrackedGroup() { release(); }
  TrackedGroup(const TrackedGroup&) = delete;
  TrackedGroup& operator=(const TrackedGroup&) = delete;

  void hold();
  void track(int pgid);
  void release();

 private:
  int m_slot = -1;  // -1: no slot (none held, or the table was full)
};

}  // namespace opsbook::model
