// The shellcheck cache file: entries (key, last use, comments) in model/cache_io's encoding, sealed;
// written to a temporary file and renamed over the old one under an flock, so that concurrent
// shards merge their entries instead of losing each other's.
#include "validator/shellcheck_cache.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>
#include <ctime>
#include <filesystem>

#include "model/cache_io.hpp"
#include "model/file_io.hpp"
#include "model/checksum.hpp"
#include "validator/finding_sink.hpp"
#include "validator/shell_scripts.hpp"

namespace opsbook::validator {

namespace {

constexpr size_t k_key_size = sizeof(model::Sha256);
constexpr uint32_t k_max_comments = 100'000;  // per script: more means a hostile file
constexpr size_t k_max_message = 64 * 1024;

uint64_t now() { return static_cast<uint64_t>(std::time(nullptr)); }

}  // namespace

void add_shellcheck_finding(ShellJob& job, const ShellcheckComment& c) {
  const ShellScript& sc = job.script;
  int md_line = (c.line >= 1 && c.line <= sc.lines.size()) ? sc.lines[c.line - 1] : sc.snippet->line;
  std::string code = std::to_string(c.code);
  job.sink->add("shellcheck", md_line, 0, "SC" + code + ": " + c.message,
                "see https://www.shellcheck.net/wiki/SC" + code + ", or add # shellcheck disable=SC" + code + " in the snippet", sc.snippet->id);
  if (c.error) job.sink->last().severity = model::Severity::error;
}

ShellcheckCache::ShellcheckCache(std::string path) : m_path(std::move(path)) {
  std::error_code ec;
  if (m_path.empty() || !std::filesystem::exists(std::filesystem::symlink_status(m_path, ec))) return;
  model::MappedFile file(m_path);
  std::string why = "not a regular file, or unreadable";
  if (!file.ok() || !load(file.bytes(), m_entries, why)) {
    m_entries.clear();
    m_note = m_path + " is " + why + ": it is ignored and replaced, every script is checked again";
  }
}

std::string ShellcheckCache::key(std::string_view script) const {
  std::string text = m_tool;
  text += '\0';
  text += script;
  model::Sha256 digest = model::sha256(text);
  return std::string(reinterpret_cast<const char*>(digest.data()), digest.size());
}

bool ShellcheckCache::find(std::string_view script, std::vector<ShellcheckComment>& out) {
  std::string k = key(script);
  std::lock_guard lock(m_mutex);
  auto it = m_entries.find(k);
  if (it == m_entries.end()) return ++m_misses, false;
  ++m_hits;
  it->second.used = now();
  m_dirty = true;
  out = it->second.comments;
  return true;
}

void ShellcheckCache::put(std::string_view script, std::vector<ShellcheckComment> comments) {
  std::string k = key(script);
  std::lock_guard lock(m_mutex);
  m_entries[k] = Entry{now(), std::move(comments)};
  m_dirty = true;
}

bool ShellcheckCache::load(std::string_view file, Entries& out, std::string& why) {
  if (file.size() > 2 * k_max_bytes) {  // never written by opsbook: not worth hashing
    why = "larger than a shellcheck cache can be";
    return false;
  }
  std::optional<std::string_view> payload = model::unseal_cache(file, k_kind, k_format, why);
  if (!payload) return false;
  model::CacheReader r(*payload);
  uint64_t n = r.u64();
  bool good = r.ok();
  for (uint64_t i = 0; i < n && good; ++i) {
    std::string k = r.str();
    Entry e;
    e.used = r.u64();
    uint64_t count = r.u64();
    good = r.ok() && k.size() == k_key_size && count <= k_max_comments;
    for (uint64_t c = 0; c < count && good; ++c) {
      ShellcheckComment& sc = e.comments.emplace_back();
      sc.code = r.u32();
      sc.line = r.u32();
      uint32_t error = r.u32();
      sc.message = r.str();
      sc.error = error == 1;
      good = r.ok() && error <= 1 && sc.message.size() <= k_max_message;
    }
    if (good) out[std::move(k)] = std::move(e);
  }
  if (!good) why = "not a shellcheck cache (its entries do not read back)";
  return good;
}

std::string ShellcheckCache::encode(const Entries& entries) {
  // The most recently used first, up to the size bound.
  std::vector<const Entries::value_type*> order;
  for (const auto& e : entries) order.push_back(&e);
  std::stable_sort(order.begin(), order.end(), [](auto* a, auto* b) { return a->second.used > b->second.used; });
  model::CacheWriter w;
  w.u64(0);  // the count, filled in below
  uint64_t kept = 0;
  for (const auto* e : order) {
    size_t size = w.data().size();
    w.str(e->first);
    w.u64(e->second.used);
    w.u64(e->second.comments.size());
    for (const auto& c : e->second.comments) {
      w.u32(c.code);
      w.u32(c.line);
      w.u32(c.error ? 1 : 0);
      w.str(c.message);
    }
    if (w.data().size() > k_max_bytes) {
      w.data().resize(size);
      break;
    }
    ++kept;
  }
  std::memcpy(w.data().data(), &kept, sizeof kept);
  model::seal_cache(w.data(), k_kind, k_format);
  return std::move(w.data());
}

void ShellcheckCache::save() {
  if (m_path.empty() || !m_dirty) return;
  if (std::string why = model::make_state_folder(m_path); !why.empty()) {
    m_note = m_path + ": " + (why.ends_with(" is a symlink") ? std::string("its folder is a symlink") : why) + "; the shellcheck results of this run are not kept";
    return;
  }
  // The lock: another shard writing now finishes first, and its entries are merged into ours.
  int lock = ::open((m_path + ".lock").c_str(), O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK, 0644);
  struct stat st {};
  if (lock < 0 || ::fstat(lock, &st) != 0 || !S_ISREG(st.st_mode) || ::flock(lock, LOCK_EX) != 0) {
    if (lock >= 0) ::close(lock);
    m_note = m_path + ": cannot take its lock file; the shellcheck results of this run are not kept";
    return;
  }
  Entries merged;
  std::string why;
  if (model::MappedFile file(m_path); file.ok() && !load(file.bytes(), merged, why)) merged.clear();
  for (auto& [k, e] : m_entries) {
    auto it = merged.find(k);
    if (it == merged.end() || it->second.used <= e.used) merged[k] = std::move(e);
  }
  m_entries.clear();
  if (!model::replace_file(m_path, encode(merged)).empty()) m_note = m_path + ": cannot be written; the shellcheck results of this run are not kept";
  ::close(lock);
}

}  // namespace opsbook::validator
