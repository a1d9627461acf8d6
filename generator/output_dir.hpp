// Site output. Writers behind one interface (an in-memory one for a server is in memory_site.hpp):
// - StagingDir (full builds): everything goes into a staging folder beside the target, swapped in
//   at the end with renameat2(RENAME_EXCHANGE); a failed or killed build leaves the old site.
// - InPlaceUpdate (incremental builds): outputs whose hash equals the previous build's are not
//   written at all; changed ones are staged, and after the whole build has rendered the staging
//   folder gets a hard link of every kept file and is swapped in the same way. Either way a
//   failed, killed (kill -9) or full-disk build leaves the old site, complete.
// Both record the hash and disk stamp of every output file for the next build's cache; an
// incremental build keeps a live file only while its stamp still holds (see DiskStamp).
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "generator/checksum.hpp"

namespace opsbook::generator {

// A site file as the build left it on disk: a regular file of this size, mode, inode and mtime (in
// ns). Read with one stat, never by reading the file: a page edited, truncated, replaced, deleted
// or turned into a symlink after the build no longer has its stamp, and is not kept.
struct DiskStamp {
  uint64_t size = 0, inode = 0;
  int64_t mtime_ns = 0;
  uint32_t mode = 0;
  bool operator==(const DiskStamp&) const = default;
};

// A file of the site: its content hash and, for a site on disk, its stamp (zero in memory).
struct SiteFile {
  uint64_t hash = 0;
  DiskStamp disk;
  bool operator==(const SiteFile&) const = default;
};

using FileHashes = std::map<std::string, SiteFile>;  // path below the site -> its record

// Whether `rel` names a file below the site: parts separated by '/', none of them empty, "." or
// "..", no NUL. What a cache lists is checked with this before the build goes near the disk.
bool is_site_path(std::string_view rel);

// The stamp of the regular file at `path`; a zero stamp when it is missing or not a regular file.
DiskStamp disk_stamp(const std::filesystem::path& path);

// A file `rel` below the site folder `root`, reached without following a symlink in any part of
// `rel` (each folder opened with O_NOFOLLOW): a folder of the site replaced by a symlink can never
// lead a build to a file outside the site, whatever stamp the cache records.
class SiteEntry {
 public:
  SiteEntry(const std::filesystem::path& root, std::string_view rel);
  ~SiteEntry();
  SiteEntry(const SiteEntry&) = delete;
  SiteEntry& operator=(const SiteEntry&) = delete;
  // The stamp of the file when it is a regular file; a zero stamp otherwise.
  [[nodiscard]] DiskStamp stamp() const;
  // Hard-links this very file (not a symlink, not through one) to `to`.
  [[nodiscard]] bool link_to(const std::filesystem::path& to) const;

 private:
  int m_dir = -1;  // the folder that holds it (O_PATH), or -1 when a part is missing or a symlink
  std::string m_name;
};

// Whether a file with the stamp `now` is still the file `recorded` describes (a regular file with
// its stamp).
bool is_intact(const DiskStamp& now, const SiteFile& recorded);

// Whether every entry below the site folder `root` is one of `files` or a folder on the way to
// one, the build cache aside: a file someone put into the site is found with one walk.
bool holds_only(const std::filesystem::path& root, const std::vector<std::string_view>& files);

class SiteWriter {
 public:
  virtual ~SiteWriter() = default;
  // Writes `rel` (creating folders); thread-safe. Throws opsbook::Error on failure.
  virtual void write(const std::string& rel, std::string_view data) = 0;
  // Writes a file of the build's own state (a cache): always written, recorded with hash 0.
  virtual void write_state(const std::string& rel, std::string_view data) = 0;
  // Keeps `rel` from the previous site; false when it is not there.
  virtual bool reuse(const std::string& rel) = 0;
  // Keeps every file below `rel_dir` of the previous site that this build has not written;
  // false when there are none.
  virtual bool reuse_tree(const std::string& rel_dir) = 0;
  // The bytes of `rel` in the previous site; empty when it is not there.
  [[nodiscard]] virtual std::string previous_file(const std::string& rel) const = 0;
  // Makes the new site visible.
  virtual void commit() = 0;
  // Every file of the new site with its record (complete after commit()).
  [[nodiscard]] virtual FileHashes hashes() const = 0;
};

class StagingDir final : public SiteWriter {
 public:
  // `previous` are the hashes of the current site's files (may be empty).
  StagingDir(const std::string& target, FileHashes previous = {});
  ~StagingDir() override;
  StagingDir(const StagingDir&) = delete;
  StagingDir& operator=(const StagingDir&) = delete;

  [[nodiscard]] const std::filesystem::path& path() const { return m_staging; }
  [[nodiscard]] const std::filesystem::path& target() const { return m_target; }

  void write(const std::string& rel, std::string_view data) override;
  void write_state(const std::string& rel, std::string_view data) override;
  bool reuse(const std::string& rel) override;
  bool reuse_tree(const std::string& rel_dir) override;
  [[nodiscard]] std::string previous_file(const std::string& rel) const override;
  void commit() override;
  [[nodiscard]] FileHashes hashes() const override;

 private:
  void ensure_parent(const std::filesystem::path& file);
  void put(const std::string& rel, std::string_view data, uint64_t hash);

  std::filesystem::path m_target;
  std::filesystem::path m_staging;
  FileHashes m_previous;
  bool m_committed = false;
  mutable std::mutex m_mutex;
  std::set<std::string> m_dirs;
  FileHashes m_hashes;
};

class InPlaceUpdate final : public SiteWriter {
 public:
  InPlaceUpdate(const std::string& target, FileHashes previous);
  ~InPlaceUpdate() override;
  InPlaceUpdate(const InPlaceUpdate&) = delete;
  InPlaceUpdate& operator=(const InPlaceUpdate&) = delete;

  void write(const std::string& rel, std::string_view data) override;
  void write_state(const std::string& rel, std::string_view data) override;
  bool reuse(const std::string& rel) override;
  bool reuse_tree(const std::string& rel_dir) override;
  [[nodiscard]] std::string previous_file(const std::string& rel) const override;
  void commit() override;
  [[nodiscard]] FileHashes hashes() const override;
  [[nodiscard]] size_t files_written() const { return m_pending.size(); }
  // True when no file was written, every file of the previous site is kept and it holds no other.
  [[nodiscard]] bool unchanged() const;

 private:
  void stage(const std::string& rel, std::string_view data, uint64_t hash);  // into staging, moved in by commit()
  // The previous build's record of `rel` when the live file still has its stamp; nullptr otherwise.
  [[nodiscard]] const SiteFile* kept(const std::string& rel) const;

  std::filesystem::path m_target;
  std::filesystem::path m_staging;
  FileHashes m_previous;
  mutable std::mutex m_mutex;
  FileHashes m_hashes;
  std::vector<std::string> m_pending;  // staged files to move into place
  std::set<std::string> m_dirs;
  bool m_committed = false;
  bool m_strays = false;  // the live site holds files the previous build did not write: swap in a new one
};

// Removes the target's staging leftovers of killed builds (".<name>.tmp-<pid>" of dead processes).
void remove_stale_staging(const std::filesystem::path& target);

}  // namespace opsbook::generator
