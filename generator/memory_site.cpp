// The in-memory site.
#include "generator/memory_site.hpp"

namespace opsbook::generator {

void MemorySite::write(const std::string& rel, std::string_view data) { put(rel, data, content_hash(data)); }

void MemorySite::write_state(const std::string& rel, std::string_view data) { put(rel, data, 0); }

void MemorySite::put(const std::string& rel, std::string_view data, uint64_t hash) {
  auto file = std::make_shared<const std::string>(data);
  std::lock_guard lock(m_mutex);
  m_building[rel] = Entry{std::move(file), hash};
}

bool MemorySite::reuse(const std::string& rel) {
  std::lock_guard lock(m_mutex);
  auto it = m_site.find(rel);
  if (it == m_site.end()) return false;
  m_building[rel] = it->second;
  return true;
}

bool MemorySite::reuse_tree(const std::string& rel_dir) {
  std::string prefix = rel_dir + "/";
  std::lock_guard lock(m_mutex);
  bool any = false;
  for (auto it = m_site.lower_bound(prefix); it != m_site.end() && it->first.starts_with(prefix); ++it) {
    m_building.emplace(it->first, it->second);  // files written in this build keep their new bytes
    any = true;
  }
  return any;
}

std::string MemorySite::previous_file(const std::string& rel) const {
  std::lock_guard lock(m_mutex);
  auto it = m_site.find(rel);
  return it == m_site.end() ? std::string() : *it->second.data;
}

void MemorySite::commit() {
  std::lock_guard lock(m_mutex);
  m_site = std::move(m_building);
  m_building.clear();
}

void MemorySite::discard() {
  std::lock_guard lock(m_mutex);
  m_building.clear();
}

FileHashes MemorySite::hashes() const {
  std::lock_guard lock(m_mutex);
  FileHashes out;
  for (const auto& [rel, e] : m_building.empty() ? m_site : m_building) out.emplace_hint(out.end(), rel, SiteFile{e.hash, {}});
  return out;
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
