// Runbook summaries: made from a parsed runbook, cached between builds, compared with the files.
#include "generator/runbook_summary.hpp"

#include <sys/stat.h>
#include <time.h>

#include "generator/cache_io.hpp"
#include "generator/output_dir.hpp"

namespace opsbook::generator {

namespace {

uint64_t search_doc_hash(const SearchDoc& d) {
  CacheWriter w;
  w.str(d.title), w.str(d.url), w.str(d.path), w.str(d.description), w.strs(d.services), w.strs(d.tags);
  for (const auto& [anchor, title] : d.sections) w.str(anchor), w.str(title);
  w.str(d.text), w.f32(d.length);
  for (const auto& t : d.terms) w.str(t.term), w.f32(t.weight), w.u32(t.section);
  return content_hash(w.data());
}

}  // namespace

Summary summarise(const model::Runbook& rb, const std::string& url, std::string diagnostics_text) {
  Summary s;
  s.path = rb.path;
  s.slug = rb.slug;
  s.title = rb.title;
  s.description = rb.meta.description;
  s.owner = rb.meta.owner;
  s.services = rb.meta.services;
  s.tags = rb.meta.tags;
  s.errors = static_cast<int>(rb.diagnostics.count(model::Severity::error));
  s.listed = rb.readable;
  s.diagnostics = std::move(diagnostics_text);
  // A file that is not a runbook is in the index without words: it never matches.
  s.search = rb.readable ? make_search_doc(rb, url) : SearchDoc{};
  s.search_hash = search_doc_hash(s.search);
  s.checks = model::check_sources(rb);
  return s;
}

void write_stamp(CacheWriter& w, const Summary& s) {
  w.str(s.path), w.str(s.slug);
  w.u64(s.size), w.u64(s.hash), w.u64(static_cast<uint64_t>(s.mtime)), w.u64(static_cast<uint64_t>(s.errors));
  w.u64(s.listed ? 1 : 0);
  w.str(s.diagnostics);
}

void write_rest(CacheWriter& w, const Summary& s) {
  w.str(s.title), w.str(s.description), w.str(s.owner);
  w.strs(s.services), w.strs(s.tags);
  w.str(s.checklists_html), w.u64(s.checklist_count), w.u64(s.checklists_hash);
  w.u64(s.search_hash);
  w.u64(s.checks.size());
  for (const auto& c : s.checks) w.str(c.digest), w.str(c.env), w.u64(c.required ? 1 : 0);
}

Stamp read_stamp(CacheReader& r) {
  Stamp st;
  st.path = r.view(), st.slug = r.view();
  st.size = r.u64(), st.hash = r.u64(), st.mtime = static_cast<int64_t>(r.u64()), st.errors = r.u64();
  st.listed = r.u64() != 0;
  st.diagnostics = r.view();
  return st;
}

Summary read_summary(const Stamp& st, CacheReader& r) {
  Summary s;
  s.path = st.path, s.slug = st.slug, s.diagnostics = st.diagnostics;
  s.size = st.size, s.hash = st.hash, s.mtime = st.mtime, s.errors = static_cast<int>(st.errors), s.listed = st.listed;
  s.title = r.str(), s.description = r.str(), s.owner = r.str();
  s.services = r.strs(), s.tags = r.strs();
  s.checklists_html = r.str(), s.checklist_count = r.u64(), s.checklists_hash = r.u64();
  s.search_hash = r.u64();
  uint64_t checks = r.u64();
  for (uint64_t i = 0; i < checks && r.ok(); ++i) {
    model::CheckSource c;
    c.digest = r.str(), c.env = r.str(), c.required = r.u64() != 0;
    s.checks.push_back(std::move(c));
  }
  s.search_loaded = false;
  return s;
}

void stat_file(const std::string& path, FileState& state) {
  struct stat st {};
  state.statted = true;
  state.stat_ok = ::stat(path.c_str(), &st) == 0;
  if (!state.stat_ok) return;
  state.mtime = static_cast<int64_t>(st.st_mtim.tv_sec) * 1000000000 + st.st_mtim.tv_nsec;
  state.size = static_cast<uint64_t>(st.st_size);
  // Modified this close to now, it may be modified again within the same tick of the file
  // system's clock (a jiffy, 2 s on FAT) keeping its size and mtime: its mtime is not recorded.
  struct timespec now {};
  ::clock_gettime(CLOCK_REALTIME, &now);
  int64_t now_ns = static_cast<int64_t>(now.tv_sec) * 1000000000 + now.tv_nsec;
  if (state.mtime > now_ns - k_racy_window_ns) state.mtime = k_racy_mtime;
}

bool same_contents(const std::string& path, const FileState& state, uint64_t size, int64_t mtime, uint64_t hash) {
  if (!state.stat_ok || state.size != size) return false;
  if (state.mtime == mtime && mtime != k_racy_mtime) return true;
  MappedFile file(path);
  return file.ok() && content_hash(file.bytes()) == hash;
}

}  // namespace opsbook::generator
