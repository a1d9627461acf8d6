// Private temporary folders for helper input (shellcheck's script files): mkdtemp under $TMPDIR
// (mode 0700, unpredictable name, so no other user can plant a file or symlink in it), files
// created with O_EXCL|O_NOFOLLOW, removed when the object goes, and also when opsbook is stopped
// by SIGINT, SIGTERM or SIGHUP once main has called install_temp_cleanup().
#pragma once

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

// The process group of a child that must not outlive opsbook (run_process tracks each one while
// it runs). Untracked groups are left alone.
void track_process_group(int pgid);
void untrack_process_group(int pgid);

}  // namespace opsbook::model
