// The portal build. Stages: load templates and report -> read the previous build's cache ->
// parse and render changed runbooks, reuse unchanged pages (in parallel) -> list pages, checklist
// view, sidebar script, search index -> write the cache -> swap the staging folder in.
#include "generator/site.hpp"

#include <sys/stat.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <future>
#include <map>
#include <memory>
#include <set>
#include <unordered_map>

#include "generator/cache_io.hpp"
#include "generator/output_dir.hpp"
#include "generator/report.hpp"
#include "generator/incident.hpp"
#include "generator/search_index.hpp"
#include "generator/templates.hpp"
#include "model/error.hpp"
#include "model/json_writer.hpp"
#include "model/parallel.hpp"
#include "model/slug.hpp"

namespace opsbook::generator {

namespace fs = std::filesystem;

namespace {

// OPSBOOK_TIMING=1 prints how long each stage took (for bench/ and profiling).
class StageTimer {
 public:
  StageTimer() : m_on(std::getenv("OPSBOOK_TIMING") != nullptr), m_last(std::chrono::steady_clock::now()) {}
  void mark(const char* stage) {
    if (!m_on) return;
    auto now = std::chrono::steady_clock::now();
    std::fprintf(stderr, "  %-28s %7.3f s\n", stage, std::chrono::duration<double>(now - m_last).count());
    m_last = now;
  }

 private:
  bool m_on;
  std::chrono::steady_clock::time_point m_last;
};

// Keeps `value` alive until the process exits; reachable from a global, so leak checkers stay quiet.
template <typename T>
void park(T&& value) {
  static auto* parked = new std::vector<std::shared_ptr<void>>();
  parked->push_back(std::make_shared<std::decay_t<T>>(std::move(value)));
}

constexpr const char* k_cache_file = ".opsbook-cache";
constexpr const char* k_cache_magic = "opsbook-cache-9";
constexpr const char* k_search_cache_file = ".opsbook-search-cache";
constexpr std::string_view k_body_marker = "\x01opsbook-body\x01";
constexpr std::string_view k_content_marker = "\x01opsbook-content\x01";

// Everything the site needs of one runbook besides its own page: kept in the cache so that an
// incremental build does not parse unchanged files.
struct Summary {
  std::string path, slug, title, description, owner;
  std::vector<std::string> services, tags;
  uint64_t size = 0, hash = 0;
  int64_t mtime = 0;
  int errors = 0;
  std::string diagnostics;  // rendered
  std::string checklists_html;  // this runbook's sections of the checklist view, rendered
  uint64_t checklist_count = 0;
  uint64_t checklists_hash = 0;  // of checklists_html
  SearchDoc search;          // terms and text live in the search cache, loaded only when needed
  uint64_t search_hash = 0;  // of `search`, to tell whether the index must be rebuilt
  bool search_loaded = true;
  int64_t search_old_id = -1;  // position in the previous index, when `search` came from the cache
  std::string fragment;        // search fragment, when rendered in this build
};

std::string read_whole(const std::string& path, bool& ok) {
  MappedFile file(path);
  ok = file.ok();
  return std::string(file.bytes());
}

// A summary is cached in two parts: the stamp (what tells whether the file changed, and what a
// build prints for it), read first and alone when nothing changed, then the rest.
void write_stamp(CacheWriter& w, const Summary& s) {
  w.str(s.path), w.str(s.slug);
  w.u64(s.size), w.u64(s.hash), w.u64(static_cast<uint64_t>(s.mtime)), w.u64(static_cast<uint64_t>(s.errors));
  w.str(s.diagnostics);
}

void write_rest(CacheWriter& w, const Summary& s) {
  w.str(s.title), w.str(s.description), w.str(s.owner);
  w.strs(s.services), w.strs(s.tags);
  w.str(s.checklists_html), w.u64(s.checklist_count), w.u64(s.checklists_hash);
  w.u64(s.search_hash);
}

struct Stamp {
  std::string_view path, slug, diagnostics;  // views into the mapped cache
  uint64_t size = 0, hash = 0, errors = 0;
  int64_t mtime = 0;
};

Stamp read_stamp(CacheReader& r) {
  Stamp st;
  st.path = r.view(), st.slug = r.view();
  st.size = r.u64(), st.hash = r.u64(), st.mtime = static_cast<int64_t>(r.u64()), st.errors = r.u64();
  st.diagnostics = r.view();
  return st;
}

Summary read_summary(const Stamp& st, CacheReader& r) {
  Summary s;
  s.path = st.path, s.slug = st.slug, s.diagnostics = st.diagnostics;
  s.size = st.size, s.hash = st.hash, s.mtime = st.mtime, s.errors = static_cast<int>(st.errors);
  s.title = r.str(), s.description = r.str(), s.owner = r.str();
  s.services = r.strs(), s.tags = r.strs();
  s.checklists_html = r.str(), s.checklist_count = r.u64(), s.checklists_hash = r.u64();
  s.search_hash = r.u64();
  s.search_loaded = false;
  return s;
}

// What a build learns of a source file before deciding whether to parse it.
struct FileState {
  bool statted = false, stat_ok = false;
  bool compared = false, unchanged = false;  // compared with the cached record of its path
  int64_t mtime = 0;
  uint64_t size = 0;
};

// The modification time of a file in ns, and its size; false when it cannot be read.
bool file_stamp(const std::string& path, int64_t& mtime, uint64_t& size) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return false;
  mtime = static_cast<int64_t>(st.st_mtim.tv_sec) * 1000000000 + st.st_mtim.tv_nsec;
  size = static_cast<uint64_t>(st.st_size);
  return true;
}

// Whether a file (now `state`) still has the recorded contents: same size, and same mtime or, when
// only the mtime moved, the same bytes.
bool same_contents(const std::string& path, const FileState& state, uint64_t size, int64_t mtime, uint64_t hash) {
  if (!state.stat_ok || state.size != size) return false;
  if (state.mtime == mtime) return true;
  MappedFile file(path);
  return file.ok() && content_hash(file.bytes()) == hash;
}

// The error for a previous build whose cache and files disagree.
Error stale_cache(const std::string& what) { return Error(what + ": the previous build is incomplete; run 'opsbook build --full'"); }

uint64_t search_doc_hash(const SearchDoc& d) {
  CacheWriter w;
  w.str(d.title), w.str(d.url), w.str(d.path), w.str(d.text), w.f32(d.length);
  for (const auto& [t, f] : d.terms) w.str(t), w.f32(f);
  return content_hash(w.data());
}


// ---- page helpers ----

std::string root_for(const std::string& rel_page) {
  std::string root;
  for (char c : rel_page) {
    if (c == '/') root += "../";
  }
  return root;
}

std::string anchor_for(std::string_view id) {
  std::string out = "checklist-";
  for (char c : id) out += (c == '/') ? '_' : c;
  return out;
}

Data string_list(const std::vector<std::string>& names) {
  Data list{Data::type::list};
  for (const auto& n : names) {
    Data item;
    item.set("name", n);
    item.set("slug", model::slugify(n));
    append(list, std::move(item));
  }
  return list;
}

struct Status {
  std::string css;   // verified | failing | never
  std::string text;
};

Status page_status(const Summary& s, const Report& report) {
  auto it = report.files.find(s.path);
  if (s.errors > 0 || (it != report.files.end() && (it->second.errors > 0 || it->second.failed > 0))) return {"failing", "failing"};
  if (report.live && it != report.files.end() && it->second.passed > 0) {
    return {"verified", "verified live on " + report.env + " at " + report.generated_at};
  }
  return {"never", "never verified"};
}

// Replaces <!--opsbook-status:ID--> markers with badges from the report.
std::string apply_snippet_status(const std::string& html, const std::string& path, const Report& report) {
  static constexpr std::string_view k_marker = "<!--opsbook-status:";
  std::string out;
  out.reserve(html.size());
  size_t pos = 0;
  for (;;) {
    size_t at = html.find(k_marker, pos);
    if (at == std::string::npos) break;
    size_t end = html.find("-->", at);
    if (end == std::string::npos) break;
    out.append(html, pos, at - pos);
    std::string id = html.substr(at + k_marker.size(), end - at - k_marker.size());
    // ids in the marker are HTML-escaped; the report holds them raw.
    std::string raw;
    for (size_t i = 0; i < id.size(); ++i) {
      if (id.compare(i, 5, "&amp;") == 0) raw += '&', i += 4;
      else if (id.compare(i, 4, "&lt;") == 0) raw += '<', i += 3;
      else if (id.compare(i, 4, "&gt;") == 0) raw += '>', i += 3;
      else if (id.compare(i, 6, "&quot;") == 0) raw += '"', i += 5;
      else if (id.compare(i, 5, "&#39;") == 0) raw += '\'', i += 4;
      else raw += id[i];
    }
    auto it = report.snippets.find(path + "#" + raw);
    if (it != report.snippets.end()) {
      out += it->second == "pass" ? "<span class=\"badge status-verified\">verified</span>"
                                  : "<span class=\"badge status-failing\">failing</span>";
    }
    pos = end + 3;
  }
  out.append(html, pos, std::string::npos);
  return out;
}

struct SiteContext {
  const model::Config& config;
  const Templates& templates;
  const Report& report;
};

Data layout_data(const SiteContext& ctx, const std::string& rel_page, const std::string& title, const std::string& body_class) {
  Data d;
  d.set("root", root_for(rel_page));
  d.set("title", title);
  d.set("site_title", ctx.config.site_title);
  d.set("version", std::string(OPSBOOK_VERSION));
  d.set("body_class", body_class);
  d.set("current", "");
  if (!ctx.config.repo_url.empty()) d.set("repo_url", ctx.config.repo_url);
  d.set("has_toc", false);
  return d;
}

std::string render_runbook_page(const SiteContext& ctx, const model::Runbook& rb, const Summary& s, const std::string& rel) {
  Data d = layout_data(ctx, rel, rb.title, "page-runbook");
  d.set("current", rb.slug);
  Data toc{Data::type::list};
  size_t toc_count = 0;
  bool has_h1 = false;
  for (const auto& sec : rb.sections) {
    if (sec.level == 1) has_h1 = true;
    if (sec.level < 2 || sec.level > 3) continue;
    Data e;
    e.set("slug", sec.slug);
    e.set("title", sec.title);
    e.set("level", std::to_string(sec.level));
    append(toc, std::move(e));
    ++toc_count;
  }
  if (toc_count >= 2) {
    d.set("has_toc", true);
    put(d, "toc", std::move(toc));
  }
  Status st = page_status(s, ctx.report);
  Data c;
  c.set("root", root_for(rel));
  c.set("title", rb.title);
  c.set("status_class", st.css);
  c.set("status_text", st.text);
  c.set("services", string_list(rb.meta.services));
  c.set("tags", string_list(rb.meta.tags));
  if (!rb.meta.owner.empty()) c.set("owner", rb.meta.owner);
  if (!rb.meta.severity.empty()) c.set("severity", rb.meta.severity);
  if (!rb.meta.last_reviewed.empty()) c.set("last_reviewed", rb.meta.last_reviewed);
  if (!rb.meta.description.empty()) c.set("description", rb.meta.description);
  c.set("path", rb.path);
  c.set("incident_json", incident_portal_json(ctx.templates, rb, ctx.config.severities));
  c.set("no_h1", !has_h1);
  Data diags{Data::type::list};
  for (const auto& diag : rb.diagnostics.items()) {
    if (diag.severity == model::Severity::info) continue;
    Data e;
    e.set("location", diag.file + (diag.loc.line > 0 ? ":" + std::to_string(diag.loc.line) : ""));
    e.set("severity", std::string(model::to_string(diag.severity)));
    e.set("rule", diag.rule);
    e.set("message", diag.message);
    if (!diag.hint.empty()) e.set("hint", diag.hint);
    append(diags, std::move(e));
  }
  c.set("has_diagnostics", !diags.is_empty_list());
  put(c, "diagnostics", std::move(diags));
  c.set("body", std::string(k_body_marker));
  Data cls{Data::type::list};
  for (const auto& cl : rb.checklists) {
    Data e;
    e.set("anchor", anchor_for(cl.id));
    e.set("title", cl.title);
    e.set("count", std::to_string(cl.items.size()));
    append(cls, std::move(e));
  }
  c.set("has_checklists", !rb.checklists.empty());
  put(c, "checklists", std::move(cls));
  d.set("content", std::string(k_content_marker));
  // Large bodies stay out of the mustache data: render the frames, then splice the body in.
  std::string page = ctx.templates.render("layout.mustache", d);
  std::string article = ctx.templates.render("runbook.mustache", c);
  std::string body = apply_snippet_status(rb.html, rb.path, ctx.report);
  splice(article, k_body_marker, body);
  splice(page, k_content_marker, article);
  return page;
}

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
  s.diagnostics = std::move(diagnostics_text);
  s.search = make_search_doc(rb, url);
  s.search_hash = search_doc_hash(s.search);
  return s;
}

Data list_item(const Summary& s, const std::string& root, const Report& report) {
  Data item;
  item.set("href", root + "runbooks/" + s.slug + ".html");
  item.set("title", s.title);
  if (!s.description.empty()) item.set("description", s.description);
  Status st = page_status(s, report);
  if (st.css != "never") {
    item.set("badge", st.css);
    item.set("badge_text", st.text);
  }
  return item;
}

// A list page: groups of runbooks.
std::string render_list_page(const SiteContext& ctx, const std::string& rel, const std::string& heading, const std::string& intro,
                             const std::vector<std::pair<std::string, std::vector<const Summary*>>>& groups) {
  std::string root = root_for(rel);
  Data c;
  c.set("heading", heading);
  if (!intro.empty()) c.set("intro", intro);
  Data gl{Data::type::list};
  for (const auto& [name, members] : groups) {
    Data g;
    g.set("name", name);
    g.set("anchor", model::slugify(name));
    g.set("count", std::to_string(members.size()));
    Data items{Data::type::list};
    for (const Summary* s : members) append(items, list_item(*s, root, ctx.report));
    put(g, "items", std::move(items));
    append(gl, std::move(g));
  }
  put(c, "groups", std::move(gl));
  Data d = layout_data(ctx, rel, heading, "page-list");
  d.set("content", ctx.templates.render("list.mustache", c));
  return ctx.templates.render("layout.mustache", d);
}

// Index of services or tags: one link per name, and one page per name.
void write_facet(const SiteContext& ctx, SiteWriter& out, const std::vector<Summary>& summaries, const std::string& folder,
                 const std::string& label, std::vector<std::string> Summary::*field, size_t& files) {
  std::map<std::string, std::vector<const Summary*>> by_name;
  for (const auto& s : summaries) {
    for (const auto& n : s.*field) by_name[n].push_back(&s);
  }
  // The facet index lists names, with counts, as links: one group without a heading of its own
  // (the page's title already says what they are).
  Data c;
  c.set("heading", label);
  Data gl{Data::type::list};
  Data g;
  Data items{Data::type::list};
  for (const auto& [name, members] : by_name) {
    Data item;
    item.set("href", model::slugify(name) + ".html");
    item.set("title", name);
    item.set("description", std::to_string(members.size()) + (members.size() == 1 ? " runbook" : " runbooks"));
    append(items, std::move(item));
  }
  put(g, "items", std::move(items));
  append(gl, std::move(g));
  put(c, "groups", std::move(gl));
  c.set("intro", by_name.empty() ? "No runbook names any " + folder + " in its front matter yet."
                                  : std::to_string(by_name.size()) + " " + (by_name.size() == 1 ? folder.substr(0, folder.size() - 1) : folder) + ".");
  Data d = layout_data(ctx, folder + "/index.html", label, "page-list");
  d.set("content", ctx.templates.render("list.mustache", c));
  out.write(folder + "/index.html", ctx.templates.render("layout.mustache", d));
  ++files;
  for (const auto& [name, members] : by_name) {
    std::string rel = folder + "/" + model::slugify(name) + ".html";
    out.write(rel, render_list_page(ctx, rel, label.substr(0, label.size() - 1) + ": " + name, "", {{name, members}}));
    ++files;
  }
}

// This runbook's sections of the checklist view (one checklist.mustache each): rendered with its
// page, kept in the cache, and concatenated into checklists.html.
std::string render_checklist_sections(const SiteContext& ctx, const model::Runbook& rb, const std::string& slug) {
  std::string out;
  for (const auto& c : rb.checklists) {
    Data e;
    e.set("anchor", anchor_for(c.id));
    e.set("id", c.id);
    e.set("title", c.title);
    e.set("href", "runbooks/" + slug + ".html");
    e.set("runbook", rb.title);
    e.set("line", std::to_string(c.line));
    e.set("kind", std::string(model::to_string(c.kind)));
    e.set("path", rb.path);
    Data items{Data::type::list};
    for (const auto& i : c.items) {
      Data it;
      it.set("line", std::to_string(i.line));
      it.set("id", i.id);
      it.set("text", i.text);
      it.set("checked", i.checked);
      it.set("depth", std::to_string(i.depth));
      append(items, std::move(it));
    }
    put(e, "items", std::move(items));
    out += ctx.templates.render("checklist.mustache", e);
  }
  return out;
}

std::string render_checklists_page(const SiteContext& ctx, const std::vector<Summary>& summaries) {
  size_t bytes = 0;
  uint64_t count = 0;
  for (const auto& s : summaries) bytes += s.checklists_html.size(), count += s.checklist_count;
  Data c;
  c.set("count", std::to_string(count));
  c.set("checklists", std::string(k_body_marker));
  Data d = layout_data(ctx, "checklists.html", "Checklists", "page-checklists");
  d.set("content", std::string(k_content_marker));
  std::string page = ctx.templates.render("layout.mustache", d);
  std::string article = ctx.templates.render("checklists.mustache", c);
  std::string sections;
  sections.reserve(bytes);
  for (const auto& s : summaries) sections += s.checklists_html;
  splice(article, k_body_marker, sections);
  splice(page, k_content_marker, article);
  return page;
}

// Hashes of what the shared pages are made of: equal hashes mean the previous files still hold.
struct SharedHashes {
  uint64_t lists = 0, checklists = 0, search = 0;
};

SharedHashes shared_hashes(const std::vector<Summary>& summaries, const Report& report) {
  SharedHashes h{k_fnv_offset, k_fnv_offset, k_fnv_offset};
  auto mix = [](uint64_t& acc, std::string_view v) { acc = fnv1a(v, fnv1a(std::string_view("\x1f", 1), acc)); };
  auto mix_number = [&](uint64_t& acc, uint64_t v) { mix(acc, std::string_view(reinterpret_cast<const char*>(&v), sizeof v)); };
  for (const auto& s : summaries) {
    mix(h.lists, s.slug), mix(h.lists, s.title), mix(h.lists, s.description), mix(h.lists, page_status(s, report).text);
    for (const auto& v : s.services) mix(h.lists, "s:" + v);
    for (const auto& v : s.tags) mix(h.lists, "t:" + v);
    mix_number(h.checklists, s.checklists_hash);
    mix(h.search, s.path), mix_number(h.search, s.search_hash);
  }
  return h;
}

std::string nav_script(const std::vector<Summary>& summaries) {
  std::string js = "window.OPSBOOK_NAV=";
  model::JsonWriter w(js);
  w.begin_array();
  for (const auto& s : summaries) w.begin_array().value(s.slug).value(s.title).end_array();
  w.end_array();
  js += ";\n";
  return js;
}

}  // namespace

BuildStats build_site(const model::Config& config, const std::vector<model::SourceFile>& files, const BuildOptions& options,
                      std::string& rendered) {
  BuildStats stats;
  StageTimer timer;
  // load templates and the report -> key of everything a page depends on besides its runbook
  Templates templates(config.templates.empty() ? std::string() : config.resolve(config.templates));
  Report report = options.report.empty() ? Report{} : load_report(options.report);
  uint64_t key = templates.hash();
  key = fnv1a(config.site_title, key);
  key = fnv1a(config.repo_url, key);
  if (report.loaded) key = fnv1a(std::to_string(report.hash), key);
  SiteContext ctx{config, templates, report};
  fs::path target = fs::absolute(options.output).lexically_normal();
  if (target.filename().empty()) target = target.parent_path();

  // the previous build's summaries and file hashes, when its key matches
  std::unordered_map<std::string, Summary> previous;
  std::vector<FileState> state(files.size());
  SharedHashes previous_hashes;
  FileHashes previous_files;
  if (options.incremental) {
    MappedFile cache((target / k_cache_file).string());
    CacheReader r(cache.bytes());
    if (cache.ok() && r.str() == k_cache_magic && r.u64() == key) {
      uint64_t n = r.u64();
      std::vector<Stamp> stamps;
      for (uint64_t i = 0; i < n && r.ok(); ++i) stamps.push_back(read_stamp(r));
      // Nothing changed (same files, same contents): the site is up to date, and the build stops
      // here, having read only the stamps.
      // What is learnt here (stat results, contents compared) is kept for the pages below.
      std::atomic<bool> same{r.ok() && stamps.size() == files.size()};
      if (same) {
        model::parallel_for(files.size(), options.jobs, [&](size_t i) {
          const auto& f = files[i];
          FileState& known = state[i];
          known.statted = true;
          known.stat_ok = file_stamp(f.path, known.mtime, known.size);
          if (stamps[i].path == f.path && stamps[i].slug == f.slug) {
            known.compared = true;
            known.unchanged = same_contents(f.path, known, stamps[i].size, stamps[i].mtime, stamps[i].hash);
          }
          if (!known.unchanged) same = false;
        });
      }
      std::string_view bytes = cache.bytes();
      if (same && bytes.size() >= sizeof(uint64_t)) {
        CacheReader trailer(bytes.substr(bytes.size() - sizeof(uint64_t)));
        stats.runbooks = stats.reused = files.size();
        stats.files = trailer.u64();
        for (const auto& st : stamps) {
          rendered += st.diagnostics;
          stats.errors += st.errors;
        }
        timer.mark("up to date");
        return stats;
      }
      previous_hashes.lists = r.u64(), previous_hashes.checklists = r.u64(), previous_hashes.search = r.u64();
      for (const auto& st : stamps) {
        Summary s = read_summary(st, r);
        if (r.ok()) previous.emplace(s.path, std::move(s));
      }
      uint64_t nf = r.u64();
      for (uint64_t i = 0; i < nf && r.ok(); ++i) {
        std::string rel = r.str();
        previous_files[rel] = r.u64();
      }
      if (!r.ok()) previous.clear(), previous_files.clear();
    }
  }
  // Incremental builds update the live site in place (changed files only, after rendering);
  // full builds stage a complete new site and swap it in.
  std::unique_ptr<SiteWriter> writer;
  if (!previous.empty()) writer = std::make_unique<InPlaceUpdate>(target.string(), previous_files);
  else writer = std::make_unique<StagingDir>(target.string(), previous_files);
  SiteWriter& out = *writer;
  timer.mark("templates, report, cache");

  // parse and render what changed; keep the rest (in parallel)
  std::vector<Summary> summaries(files.size());
  std::atomic<size_t> reused{0};
  model::LoadOptions load;
  load.html = true;
  // Each file's summary from the last build, claimed once (a file named twice is built twice).
  std::vector<Summary*> prior(files.size(), nullptr);
  {
    std::set<const Summary*> claimed;
    for (size_t i = 0; i < files.size(); ++i) {
      auto it = previous.find(files[i].path);
      if (it != previous.end() && claimed.insert(&it->second).second) prior[i] = &it->second;
    }
  }
  model::parallel_for(files.size(), options.jobs, [&](size_t i) {
    const auto& f = files[i];
    std::string rel = "runbooks/" + f.slug + ".html";
    FileState& known = state[i];
    if (!known.statted) known.stat_ok = file_stamp(f.path, known.mtime, known.size);
    Summary* prev = prior[i];
    if (prev && prev->slug == f.slug) {
      // (when compared above, it was against the record of the same path, which `prev` is)
      bool same = known.compared ? known.unchanged : same_contents(f.path, known, prev->size, prev->mtime, prev->hash);
      if (same && out.reuse(rel)) {
        summaries[i] = std::move(*prev);
        summaries[i].mtime = known.mtime;
        ++reused;
        return;
      }
    }
    model::Runbook rb = model::load_runbook(f, load);
    std::string diag_text;
    for (const auto& d : rb.diagnostics.items()) {
      if (d.severity != model::Severity::info) diag_text += model::render(d, rb.source);
    }
    Summary s = summarise(rb, rel, std::move(diag_text));
    s.size = rb.source.size();
    s.hash = content_hash(rb.source);
    s.mtime = known.mtime;
    s.checklists_html = render_checklist_sections(ctx, rb, f.slug);
    s.checklist_count = rb.checklists.size();
    s.checklists_hash = content_hash(s.checklists_html);
    out.write(rel, render_runbook_page(ctx, rb, s, rel));
    // The page's search fragment (its position in the index is its position in `files`), written
    // with its neighbours' below; the excerpt text is not needed after that.
    s.fragment = search_fragment(i, s.search);
    s.search.text = std::string();
    summaries[i] = std::move(s);
  }, model::Order::spread);
  stats.runbooks = files.size();
  stats.reused = reused;
  stats.parsed = files.size() - reused;
  for (const auto& s : summaries) {
    rendered += s.diagnostics;
    stats.errors += static_cast<size_t>(s.errors);
  }
  timer.mark("runbook pages");

  // index, facets, sidebar script, checklists: kept when what they show is unchanged. Rendered on
  // a thread of their own while the search index is built.
  SharedHashes hashes = shared_hashes(summaries, report);
  bool lists_same = !previous.empty() && hashes.lists == previous_hashes.lists && out.reuse("index.html") &&
                    out.reuse("assets/nav.js") && out.reuse_tree("services") && out.reuse_tree("tags");
  bool checklists_same = !previous.empty() && hashes.checklists == previous_hashes.checklists && out.reuse("checklists.html");
  // The summaries' part of the next build's cache, serialised meanwhile when pages were rendered.
  auto serialise_summaries = [&] {
    CacheWriter w;
    size_t bytes = 64;
    for (const auto& s : summaries) bytes += 256 + s.path.size() * 2 + s.title.size() + s.description.size() + s.diagnostics.size() + s.checklists_html.size();
    w.data().reserve(bytes);
    w.str(k_cache_magic);
    w.u64(key);
    w.u64(summaries.size());
    for (const auto& s : summaries) write_stamp(w, s);
    w.u64(hashes.lists), w.u64(hashes.checklists), w.u64(hashes.search);
    for (const auto& s : summaries) write_rest(w, s);
    return std::move(w.data());
  };
  std::future<std::string> summary_cache;
  if (stats.parsed > 0) summary_cache = std::async(std::launch::async, serialise_summaries);
  auto shared_pages = std::async(std::launch::async, [&] {
    size_t facet_files = 0;
    if (!lists_same) {
      std::map<std::string, std::vector<const Summary*>> folders;
      for (const auto& s : summaries) {
        size_t slash = s.slug.find('/');
        folders[slash == std::string::npos ? std::string("Runbooks") : s.slug.substr(0, slash)].push_back(&s);
      }
      std::vector<std::pair<std::string, std::vector<const Summary*>>> groups(folders.begin(), folders.end());
      out.write("index.html", render_list_page(ctx, "index.html", config.site_title,
                                               std::to_string(summaries.size()) + " runbooks. Press / to search.", groups));
      write_facet(ctx, out, summaries, "services", "Services", &Summary::services, facet_files);
      write_facet(ctx, out, summaries, "tags", "Tags", &Summary::tags, facet_files);
      out.write("assets/nav.js", nav_script(summaries));
    }
    if (!checklists_same) out.write("checklists.html", render_checklists_page(ctx, summaries));
    {
      Data d = layout_data(ctx, "search.html", "Search", "page-search");
      d.set("content", templates.render("search.mustache", Data{}));
      out.write("search.html", templates.render("layout.mustache", d));
    }
    for (const auto& name : templates.asset_names()) out.write(name, templates.text(name));
  });

  // search index: rebuilt from the summaries (no parsing) when any page's search data changed
  bool search_same = !previous.empty() && hashes.search == previous_hashes.search && out.reuse_tree("search") &&
                     out.reuse(k_search_cache_file);
  if (!search_same) {
    // Pages kept from the last build have their terms in the search cache, in term-id form.
    bool any_cached = std::any_of(summaries.begin(), summaries.end(), [](const Summary& s) { return !s.search_loaded; });
    SearchIndexData data;
    std::vector<std::string> old_paths;
    std::vector<uint64_t> old_hashes;
    if (any_cached) {
      MappedFile cache((target / k_search_cache_file).string());
      CacheReader r(cache.bytes());
      bool ok = cache.ok() && r.str() == k_cache_magic && r.u64() == key;
      uint64_t n = ok ? r.u64() : 0;
      for (uint64_t i = 0; i < n && r.ok(); ++i) {
        old_paths.push_back(r.str());
        old_hashes.push_back(r.u64());
      }
      ok = ok && r.ok() && read_index(r, data) && data.lengths.size() == old_paths.size();
      std::map<std::string_view, size_t> old_id;
      for (size_t i = 0; ok && i < old_paths.size(); ++i) old_id.emplace(old_paths[i], i);
      for (auto& s : summaries) {
        if (s.search_loaded) continue;
        auto it = old_id.find(s.path);
        if (!ok || it == old_id.end()) throw stale_cache(s.path);
        s.search_old_id = static_cast<int64_t>(it->second);
      }
    }
    // Same pages in the same order: update the terms of the changed pages and render only the
    // shards that hold them. Otherwise (first build, pages added or removed) index everything.
    bool same_pages = any_cached && old_paths.size() == summaries.size();
    for (size_t i = 0; same_pages && i < summaries.size(); ++i) same_pages = old_paths[i] == summaries[i].path;
    SearchOutput index;
    if (same_pages) {
      std::vector<std::pair<uint32_t, const SearchDoc*>> changed;
      for (size_t i = 0; i < summaries.size(); ++i) {
        if (summaries[i].search_loaded && summaries[i].search_hash != old_hashes[i]) changed.emplace_back(static_cast<uint32_t>(i), &summaries[i].search);
      }
      std::set<std::string, std::less<>> groups;
      for (const auto& term : update_index(data, changed)) groups.insert(search_group(term));
      index = render_index(data, [&](std::string_view group) { return groups.count(group) > 0; });
    } else {
      std::vector<SearchDoc> docs(summaries.size());
      for (size_t i = 0; i < summaries.size(); ++i) {
        Summary& s = summaries[i];
        if (s.search_loaded) {
          docs[i] = std::move(s.search);
          continue;
        }
        docs[i] = indexed_doc(data, static_cast<size_t>(s.search_old_id));  // a kept page
      }
      data = index_docs(docs, options.jobs);
      index = render_index(data, nullptr);
      if (!options.free_memory) park(std::move(docs));
    }
    timer.mark("search index");
    // Shards and manifest, then the fragment files: pages rendered now bring their fragment, pages
    // kept from the cache take theirs from the previous build's files (renumbered when pages were
    // added or removed). With the same pages in the same order, only the files holding a rendered
    // page are written.
    for (const auto& kept : index.kept) {
      if (!out.reuse(kept)) throw stale_cache(kept);
    }
    size_t shard_files = index.files.size();
    model::parallel_for(shard_files + fragment_files(summaries.size()), options.jobs, [&](size_t i) {
      if (i < shard_files) return out.write(index.files[i].first, index.files[i].second);
      size_t first = (i - shard_files) * k_fragments_per_file;
      size_t last = std::min(summaries.size(), first + k_fragments_per_file);
      std::string name = search_fragment_file(first);
      bool fresh = false;
      for (size_t id = first; id < last; ++id) fresh = fresh || summaries[id].search_old_id < 0;
      if (same_pages && !fresh) {
        if (!out.reuse(name)) throw stale_cache(name);
        return;
      }
      std::string js;
      std::map<size_t, std::string> old_files;  // previous fragment files, by number
      for (size_t id = first; id < last; ++id) {
        int64_t old = summaries[id].search_old_id;
        if (old < 0) {
          js += summaries[id].fragment;
          continue;
        }
        auto old_id = static_cast<size_t>(old);
        size_t number = old_id / k_fragments_per_file;
        if (!old_files.count(number)) {
          bool ok = false;
          old_files[number] = read_whole((target / search_fragment_file(old_id)).string(), ok);
        }
        std::string line = renumber_fragment(old_files[number], old_id, id);
        if (line.empty()) throw stale_cache(summaries[id].path);
        js += line;
      }
      out.write(name, js);
    }, model::Order::spread);
    stats.search_shards = index.shards;
    stats.search_terms = index.terms;
    CacheWriter sw;
    {
      size_t bytes = 1024 + summaries.size() * 256;
      for (const auto& e : data.entries) bytes += 2 * e.size() + 16;
      for (const auto& l : data.doc_terms) bytes += 8 + l.size() * sizeof(TermWeight);
      sw.data().reserve(bytes);
    }
    sw.str(k_cache_magic);
    sw.u64(key);
    sw.u64(summaries.size());
    for (const auto& s : summaries) sw.str(s.path), sw.u64(s.search_hash);
    write_index(sw, data);
    out.write_state(k_search_cache_file, sw.data());
    if (!options.free_memory) park(std::move(data)), park(std::move(index));
    timer.mark("search files written");
  }

  shared_pages.get();
  timer.mark("list pages (concurrent)");

  // the cache for the next build (summaries and the hash of every file), then make it visible.
  // When nothing was parsed or written the previous cache still holds; touched files' new mtimes
  // are then not recorded, and the next build compares their contents again.
  auto* in_place = dynamic_cast<InPlaceUpdate*>(&out);
  if (in_place && stats.parsed == 0 && in_place->unchanged()) {
    stats.files = out.hashes().size() + 1;
    stats.written = 0;
  } else {
    FileHashes site_files = out.hashes();
    CacheWriter w;
    w.data() = summary_cache.valid() ? summary_cache.get() : serialise_summaries();
    w.data().reserve(w.data().size() + site_files.size() * 64);
    w.u64(site_files.size());
    for (const auto& [rel, h] : site_files) w.str(rel), w.u64(h);
    w.u64(site_files.size() + 1);  // trailer: the site's file count, for a build that stops early
    out.write_state(k_cache_file, w.data());
    stats.files = site_files.size() + 1;
    stats.written = in_place ? in_place->files_written() : stats.files;
  }
  timer.mark("cache written");
  out.commit();
  timer.mark("site updated");
  if (!options.free_memory) {
    // The caller exits next: leave the pages' data to the OS instead of freeing a million
    // small objects one by one (most of a second on a large site).
    park(std::move(summaries));
    park(std::move(previous));
    park(std::move(writer));
  }
  return stats;
}

}  // namespace opsbook::generator
