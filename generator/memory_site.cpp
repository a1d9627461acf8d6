// The in-memory site.
#include "generator/memory_site.hpp"

#include <algorithm>

namespace opsbook::generator {

void MemorySite::write(const std::string& rel, std::string_view data) { put(rel, data, false); }

void MemorySite::write_state(const std::string& rel, std::string_view data) { put(rel, data, true); }

void MemorySite::put(const std::string& rel, std::string_view data, bool state) {
  auto file = std::make_shared<const std::string>(data);
  std::lock_guard lock(m_mutex);
  m_written[rel] = Entry{std::move(file), 0, 0, state};
}

bool MemorySite::reuse(const std::string& rel) {
  std::lock_guard lock(m_mutex);
  auto it = m_site.find(rel);
  if (it == m_site.end()) return false;
  if (it->second.kept != m_build) it->second.kept = m_build, ++m_kept;
  return true;
}

bool MemorySite::reuse_tree(const std::string& rel_dir) {
  std::string prefix = rel_dir + "/";
  std::lock_guard lock(m_mutex);
  bool any = false;
  for (auto it = m_site.lower_bound(prefix); it != m_site.end() && it->first.starts_with(prefix); ++it) {
    any = true;
    // files written in this build keep their new bytes
    if (it->second.kept != m_build && !m_written.count(it->first)) it->second.kept = m_build, ++m_kept;
  }
  return any;
}

std::string MemorySite::previous_file(const std::string& rel) const {
  std::lock_guard lock(m_mutex);
  auto it = m_site.find(rel);
  return it == m_site.end() ? std::string() : *it->second.data;
}

void MemorySite::commit() { commit_below(""); }

void MemorySite::commit_tree(const std::string& rel_dir) { commit_below(rel_dir + "/"); }

void MemorySite::commit_below(const std::string& prefix) {
  std::lock_guard lock(m_mutex);
  m_changes.clear();
  // The committed files this build kept or wrote again; when that is not all of them, the others
  // (below `prefix`) go.
  size_t retained = m_kept;
  for (const auto& [rel, e] : m_written) {
    auto it = m_site.find(rel);
    if (it != m_site.end() && it->second.kept != m_build) ++retained;
  }
  if (retained != m_site.size()) {
    for (auto it = m_site.lower_bound(prefix); it != m_site.end() && it->first.starts_with(prefix);) {
      if (it->second.kept == m_build || m_written.count(it->first)) {
        ++it;
        continue;
      }
      m_changes.push_back({it->first, true, 0});
      it = m_site.erase(it);
    }
  }
  for (auto& [rel, e] : m_written) {
    auto [it, added] = m_site.try_emplace(rel);
    bool changed = added || *it->second.data != *e.data;
    // A file's record is a version number, new whenever its bytes change (a state file's is 0).
    e.hash = e.state ? 0 : changed ? ++m_version : it->second.hash;
    if (changed) m_changes.push_back({rel, false, e.hash});
    it->second = std::move(e);
  }
  m_written.clear();
  m_kept = 0;
  ++m_build;
}

void MemorySite::discard() {
  std::lock_guard lock(m_mutex);
  m_written.clear();
  m_kept = 0;
  ++m_build;
}

FileHashes MemorySite::hashes() const {
  std::lock_guard lock(m_mutex);
  FileHashes out;
  bool building = in_progress();
  for (const auto& [rel, e] : m_site) {
    if (!building || e.kept == m_build) out.emplace_hint(out.end(), rel, SiteFile{e.hash, {}});
  }
  for (const auto& [rel, e] : m_written) out.insert_or_assign(rel, SiteFile{e.hash, {}});
  return out;
}

std::vector<std::string> MemorySite::changed() const {
  std::lock_guard lock(m_mutex);
  std::vector<std::string> out;
  out.reserve(m_changes.size());
  for (const auto& c : m_changes) out.push_back(c.rel);
  std::sort(out.begin(), out.end());
  return out;
}

void MemorySite::update(FileHashes& files) const {
  std::lock_guard lock(m_mutex);
  for (const auto& c : m_changes) {
    if (c.dropped) files.erase(c.rel);
    else files.insert_or_assign(c.rel, SiteFile{c.hash, {}});
  }
}

MemorySite::File MemorySite::find(const std::string& rel) const {
  std::lock_guard lock(m_mutex);
  auto it = m_site.find(rel);
  return it == m_site.end() ? nullptr : it->second.data;
}

size_t MemorySite::size() const {
  std::lock_guard lock(m_mutex);
  return m_site.size();
}

}  // namespace opsbook::generator
