// Atomic site output: everything is written into a staging folder beside the target and swapped
// into place at the end (renameat2 RENAME_EXCHANGE), so a failed or killed build leaves the
// previous site untouched.
#pragma once

#include <filesystem>
#include <mutex>
#include <set>
#include <string>
#include <string_view>

namespace opsbook::generator {

class StagingDir {
 public:
  // Throws opsbook::Error when the staging folder cannot be created.
  explicit StagingDir(const std::string& target);
  ~StagingDir();
  StagingDir(const StagingDir&) = delete;
  StagingDir& operator=(const StagingDir&) = delete;

  [[nodiscard]] const std::filesystem::path& path() const { return m_staging; }
  [[nodiscard]] const std::filesystem::path& target() const { return m_target; }

  // Writes `rel` (creating folders); thread-safe. Throws opsbook::Error on failure.
  void write(const std::string& rel, std::string_view data);
  // Hard-links (or copies) `rel` from the current target site; false when it is not there.
  bool reuse(const std::string& rel);
  // Hard-links every file below `rel_dir` of the current target; false when it is not there.
  bool reuse_tree(const std::string& rel_dir);
  // Swaps the staging folder into place; the old site is removed by a detached child process
  // so that the build does not wait for thousands of unlinks.
  void commit();

 private:
  void ensure_parent(const std::filesystem::path& file);

  std::filesystem::path m_target;
  std::filesystem::path m_staging;
  bool m_committed = false;
  std::mutex m_mutex;
  std::set<std::string> m_dirs;
};

}  // namespace opsbook::generator
