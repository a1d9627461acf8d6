// A site in memory, for a server: the build stages (build_stages.hpp) write into the build in
// progress, reuse files of the last committed build without copying them, and commit() makes the
// new build the one served. Files are shared, immutable strings: serving one never copies it and
// a rebuild never changes a file a request holds. A build costs what it writes: reusing a file
// only marks it, and a commit touches the written files alone unless a file was dropped. A file's
// record (FileHashes) holds a version number instead of a content hash: new whenever a commit
// changes its bytes (found by comparing them), never the same for two contents of one file.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "generator/output_dir.hpp"

namespace opsbook::generator {

class MemorySite final : public SiteWriter {
 public:
  using File = std::shared_ptr<const std::string>;

  void write(const std::string& rel, std::string_view data) override;
  void write_state(const std::string& rel, std::string_view data) override;
  // (a file this build wrote keeps its new bytes, as with reuse_tree)
  bool reuse(const std::string& rel) override;
  bool reuse_tree(const std::string& rel_dir) override;
  [[nodiscard]] std::string previous_file(const std::string& rel) const override;
  // The build in progress becomes the site (the committed files it neither wrote nor reused go);
  // the next write starts a new build.
  void commit() override;
  // As commit(), but of the committed files the build neither wrote nor reused, only those below
  // `rel_dir` go: a build of one part of the site (a server's search index after its pages).
  void commit_tree(const std::string& rel_dir);
  // The build in progress's files, or the committed site's when none is in progress (files written
  // by the build in progress get their version when it is committed).
  [[nodiscard]] FileHashes hashes() const override;

  // Drops the build in progress (after a failed build); the committed site stays.
  void discard();
  // File `rel` of the committed site; null when there is none. Thread-safe against a build.
  [[nodiscard]] File find(const std::string& rel) const;
  // Files of the committed site.
  [[nodiscard]] size_t size() const;

  // The files the last commit changed (written with other bytes, added or dropped), sorted.
  [[nodiscard]] std::vector<std::string> changed() const;
  // Brings `files`, the records of the site before the last commit, up to date with it.
  void update(FileHashes& files) const;

 private:
  void put(const std::string& rel, std::string_view data, bool state);
  void commit_below(const std::string& prefix);  // "" for the whole site
  [[nodiscard]] bool in_progress() const { return m_kept > 0 || !m_written.empty(); }

  struct Entry {
    File data;
    uint64_t hash = 0;  // its version (0: a state file)
    uint64_t kept = 0;  // the last build that reused it
    bool state = false;
  };
  struct Change {
    std::string rel;
    bool dropped = false;
    uint64_t hash = 0;
  };
  mutable std::mutex m_mutex;
  std::map<std::string, Entry> m_site;     // committed, served
  std::map<std::string, Entry> m_written;  // written by the build in progress
  uint64_t m_build = 1;                    // the build in progress
  size_t m_kept = 0;                       // committed files it reused and did not write
  uint64_t m_version = 0;                  // the last version given to a file
  std::vector<Change> m_changes;           // of the last commit
};

}  // namespace opsbook::generator
