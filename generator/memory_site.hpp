// A site in memory, for a server: the build stages (build_stages.hpp) write into the build in
// progress, reuse files of the last committed build without copying them, and commit() makes the
// new build the one served. Files are shared, immutable strings: serving one never copies it and
// a rebuild never changes a file a request holds.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>

#include "generator/output_dir.hpp"

namespace opsbook::generator {

class MemorySite final : public SiteWriter {
 public:
  using File = std::shared_ptr<const std::string>;

  void write(const std::string& rel, std::string_view data) override;
  void write_state(const std::string& rel, std::string_view data) override;
  bool reuse(const std::string& rel) override;
  bool reuse_tree(const std::string& rel_dir) override;
  [[nodiscard]] std::string previous_file(const std::string& rel) const override;
  // The build in progress becomes the site; the next write starts a new build.
  void commit() override;
  // The build in progress's files, or the committed site's when none is in progress.
  [[nodiscard]] FileHashes hashes() const override;

  // Drops the build in progress (after a failed build); the committed site stays.
  void discard();
  // File `rel` of the committed site; null when there is none. Thread-safe against a build.
  [[nodiscard]] File find(const std::string& rel) const;
  // Files of the committed site.
  [[nodiscard]] size_t size() const;

 private:
  void put(const std::string& rel, std::string_view data, uint64_t hash);

  struct Entry {
    File data;
    uint64_t hash = 0;
  };
  mutable std::mutex m_mutex;
  std::map<std::string, Entry> m_site;      // committed, served
  std::map<std::string, Entry> m_building;  // the build in progress
};

}  // namespace opsbook::generator
