// The shellcheck results of scripts checked before, by content: a script whose text, shellcheck
// version, options and dialect are unchanged is not given to shellcheck again. One sealed file
// under .opsbook/ (model/cache_io, like the build caches), shared by the shard jobs of one machine
// (each write merges with the file under a lock) and restorable by CI (docs/ci.md).
#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace opsbook::validator {

struct ShellJob;

// One shellcheck comment that became a finding (parse errors, SC1xxx, are bash -n's).
struct ShellcheckComment {
  uint32_t code = 0;
  uint32_t line = 0;   // in the script
  bool error = false;  // shellcheck's own level
  std::string message;
};

// The finding of a comment on `job`'s script, at its markdown line: the one place shellcheck's
// output becomes a finding, for fresh and cached results alike.
void add_shellcheck_finding(ShellJob& job, const ShellcheckComment& c);

class ShellcheckCache {
 public:
  // The cache file holds at most this many bytes; the least recently used scripts go first.
  static constexpr size_t k_max_bytes = 16 << 20;
  static constexpr uint64_t k_format = 2;  // the layout version of the file (2: seals name the kind)
  static constexpr std::string_view k_kind = "shellcheck";  // the seal's kind (model/cache_io)

  // Reads `path`. A file that is damaged, of another version, not a regular file or not readable
  // is ignored (note() says so in one line) and replaced when saved: never trusted.
  explicit ShellcheckCache(std::string path);

  // The shellcheck in use (its --version output) and its options: part of every key.
  void set_tool(std::string_view tool) { m_tool = tool; }

  // The comments shellcheck gave for `script`, if it was checked before with the same tool.
  bool find(std::string_view script, std::vector<ShellcheckComment>& out);
  void put(std::string_view script, std::vector<ShellcheckComment> comments);

  // Writes the entries back when anything changed, merged with what other processes wrote since
  // this one read the file. A failure is a note, not an error: the cache only saves time.
  void save();

  // What went wrong with the file, once ("" when nothing did).
  std::string take_note() { return std::exchange(m_note, {}); }
  [[nodiscard]] size_t hits() const { return m_hits; }
  [[nodiscard]] size_t misses() const { return m_misses; }

 private:
  struct Entry {
    uint64_t used = 0;  // when it was last found or put (seconds since the epoch)
    std::vector<ShellcheckComment> comments;
  };
  using Entries = std::map<std::string, Entry, std::less<>>;  // by SHA-256 of tool and script

  std::string key(std::string_view script) const;
  static bool load(std::string_view file, Entries& out, std::string& why);
  static std::string encode(const Entries& entries);

  std::string m_path;
  std::string m_tool;
  Entries m_entries;
  bool m_dirty = false;  // found or put anything since it was read
  std::mutex m_mutex;
  std::string m_note;
  size_t m_hits = 0, m_misses = 0;
};

}  // namespace opsbook::validator
