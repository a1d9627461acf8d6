// The server's builds: what a change touches decides how much is built again.
#include "server/preview_build.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <set>

#include "generator/build_stages.hpp"
#include "generator/site_search.hpp"
#include "model/error.hpp"
#include "model/text.hpp"

namespace opsbook::server {

namespace fs = std::filesystem;

namespace {

std::string normal(const std::string& path) { return fs::path(path).lexically_normal().string(); }

bool under(const std::string& path, const std::string& folder) {
  if (folder.empty()) return false;
  std::string p = normal(path), f = normal(folder);
  if (!f.empty() && f.back() != '/') f += '/';
  return p.starts_with(f);
}

bool is_markdown(const std::string& path) { return path.ends_with(".md") || path.ends_with(".markdown"); }

}  // namespace

PreviewBuild::PreviewBuild(std::function<PreviewInputs()> load, unsigned jobs) : m_load(std::move(load)), m_jobs(jobs) {}

std::string PreviewBuild::config_path() const { return m_inputs.config.path; }

PreviewBuild::Scope PreviewBuild::scope_of(const Changes& changes) const {
  if (!m_state) return Scope::everything;
  const model::Config& config = m_inputs.config;
  std::string templates = config.templates.empty() ? std::string() : config.resolve(config.templates);
  Scope scope = Scope::files;
  for (const auto& p : changes.paths) {
    if (!config.path.empty() && normal(p) == normal(config.path)) return Scope::everything;
    if (under(p, templates)) return Scope::everything;
    std::string name = fs::path(p).filename().string();
    bool kept = under(p, m_inputs.report_folder) && name.starts_with("last-check") && name.ends_with(".json");
    if (kept || normal(p) == normal(m_inputs.report_folder) || (!m_inputs.report.empty() && normal(p) == normal(m_inputs.report))) {
      scope = Scope::report;
    }
  }
  // A run recorded meanwhile (check --record, history record): the history is read again.
  if (scope == Scope::files && generator::history_stamp(config) != m_state->report.history.stamp) scope = Scope::report;
  return scope;
}

void PreviewBuild::reload_inputs() {
  m_inputs = m_load();
  generator::BuildOptions options;
  options.report = m_inputs.report;
  options.jobs = m_jobs;
  options.incremental = true;
  options.free_memory = true;
  m_state = std::make_unique<generator::BuildState>(m_inputs.config, options);
}

void PreviewBuild::list_sources() {
  model::Diagnostics ignored;  // a missing path is reported by the command at start
  m_state->files = model::collect_sources(m_inputs.paths, ignored);
  m_state->file_state.clear();
  m_index.clear();
  m_links.clear();
  for (size_t i = 0; i < m_state->files.size(); ++i) {
    const std::string& path = m_state->files[i].path;
    m_index.emplace(normal(path), i);
    std::error_code ec;
    if (fs::is_symlink(path, ec)) {
      fs::path target = fs::canonical(path, ec);
      if (!ec) m_links[normal(target.string())].push_back(i);
    }
  }
}

// Files the watcher did not report keep their page without being looked at again.
void PreviewBuild::mark_unchanged(const Changes& changes) {
  auto& state = *m_state;
  std::vector<bool> changed(state.files.size(), false);
  for (const auto& p : changes.paths) {
    std::string key = normal(p);
    if (auto it = m_index.find(key); it != m_index.end()) changed[it->second] = true;
    std::error_code ec;
    fs::path real = fs::weakly_canonical(p, ec);
    if (auto links = m_links.find(ec ? key : normal(real.string())); links != m_links.end()) {
      for (size_t i : links->second) changed[i] = true;
    }
  }
  state.file_state.assign(state.files.size(), generator::FileState{});
  for (size_t i = 0; i < state.files.size(); ++i) {
    if (changed[i]) continue;
    auto it = state.previous.summaries.find(state.files[i].path);
    if (it == state.previous.summaries.end()) continue;
    generator::FileState& known = state.file_state[i];
    known.statted = known.stat_ok = known.compared = known.unchanged = true;
    known.mtime = it->second.mtime;
    known.size = it->second.size;
  }
}

// The diagnostics of the runbooks this change touched, when one of them has an error.
std::string PreviewBuild::problems_of(const Changes& changes) const {
  std::string out;
  for (const auto& p : changes.paths) {
    auto at = m_index.find(normal(p));
    if (at == m_index.end()) continue;
    const generator::Summary& s = m_state->summaries[at->second];
    if (s.errors > 0) out += s.diagnostics;
  }
  return out;
}

// What the change touches is built again and the pages committed, the previous search files
// with them; `event` gets the files that changed and the edited runbooks' problems.
void PreviewBuild::build_pages(const Changes& changes, BuildEvent& event) {
  Scope scope = scope_of(changes);
  if (scope != Scope::files) {
    reload_inputs();
    list_sources();
    event.all = true;
  } else {
    // Files appeared or went away (or the kernel lost count): list the sources again; else
    // only the files reported changed are looked at.
    bool relist = changes.listing || changes.overflow;
    for (const auto& p : changes.paths) {
      std::error_code ec;
      if (is_markdown(p) && m_index.count(normal(p)) != static_cast<size_t>(fs::exists(p, ec))) relist = true;
    }
    if (relist) list_sources();
    else if (!changes.overflow) mark_unchanged(changes);
  }
  if (m_state->report.history.warning != m_history_warning) event.warning = m_history_warning = m_state->report.history.warning;
  generator::render_pages(*m_state, m_site);
  m_site.reuse_tree("search");
  m_site.commit();
  event.changed = m_site.changed();
  // The site's records: the previous build's brought up to date with what this commit changed.
  if (!m_state->previous.empty()) m_site.update(m_state->previous.files);
  event.problems = problems_of(changes);
}

// The search index of the pages just built, committed; the build becomes the previous one.
void PreviewBuild::build_search(BuildEvent& event) {
  generator::build_search(*m_state, m_site);
  m_site.commit_tree("search");
  std::vector<std::string> search = m_site.changed();
  event.changed.insert(event.changed.end(), search.begin(), search.end());
  generator::PreviousBuild& previous = m_state->previous;
  generator::FileHashes files = previous.empty() ? m_site.hashes() : std::move(previous.files);
  if (!previous.empty()) m_site.update(files);
  m_state->keep_for_next_build(std::move(files));
}

BuildEvent PreviewBuild::build(const Changes& changes, const Publish& publish) {
  auto start = std::chrono::steady_clock::now();
  BuildEvent event;
  event.id = ++m_builds;
  bool first = !m_state;
  try {
    build_pages(changes, event);
    if (publish) publish(event);  // open pages reload now, not after the search index
    build_search(event);
  } catch (const Error& e) {
    // The last good site stays served (pages built before the error included); the next change
    // starts over from the configuration.
    m_site.discard();
    m_state.reset();
    event.changed.clear();
    event.problems.clear();
    event.fatal = e.what();
    event.summary = std::string("opsbook: error: ") + e.what() + " (still serving the last good build)";
    if (publish) publish(event);
    return event;
  }
  std::sort(event.changed.begin(), event.changed.end());
  size_t runbooks = m_state->files.size();
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  char took[32];
  std::snprintf(took, sizeof took, "%.3f s", seconds);
  event.summary = first ? "opsbook: built " + model::counted(runbooks, "runbook") + " in " + took
                        : "opsbook: rebuilt in " + std::string(took) + ": " + model::counted(event.changed.size(), "file") + " changed" +
                              (event.problems.empty() ? "" : "; the edited runbook has errors (shown in the browser)");
  return event;
}

void PreviewBuild::watch(Watcher& watcher) const {
  for (const auto& p : m_inputs.paths) {
    std::error_code ec;
    if (fs::is_directory(p, ec)) watcher.add_tree(p);
    else watcher.add_file(p);
  }
  const model::Config& config = m_inputs.config;
  if (!config.templates.empty()) watcher.add_tree(config.resolve(config.templates));
  if (!config.path.empty()) watcher.add_file(config.path);
  if (!m_inputs.report.empty()) watcher.add_file(m_inputs.report);
  if (config.history.dsn_env.empty()) {
    std::string db = config.resolve(config.history.path);
    watcher.add_file(fs::path(db).parent_path().string());  // its folder's creation, by the first record
    watcher.add_file(db);
    watcher.add_file(db + "-wal");
  }
  if (!m_inputs.report_folder.empty()) {
    watcher.add_file(m_inputs.report_folder);  // its creation, by the first check
    watcher.add_tree(m_inputs.report_folder);
  }
}

}  // namespace opsbook::server
