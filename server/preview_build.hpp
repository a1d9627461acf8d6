// The in-memory portal of `opsbook serve`: a full build at start, then rebuilds of what changed
// (the build stages of generator/build_stages.hpp over one BuildState kept between builds), and
// what each build changed, for the browser.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "generator/build_state.hpp"
#include "generator/memory_site.hpp"
#include "server/watcher.hpp"

namespace opsbook::server {

// What the server builds from, read again when the configuration changes.
struct PreviewInputs {
  model::Config config;
  std::vector<std::string> paths;  // runbook files and folders
  std::string report;              // check report for the badges ("" = none)
  std::string report_note;         // what to tell about it ("badges from ...")
  std::string report_folder;       // where kept reports appear (watched)
};

struct BuildEvent {
  uint64_t id = 0;                   // 1 for the first build, then one more per build
  std::vector<std::string> changed;  // site files whose bytes changed
  bool all = false;                  // every page may have changed (templates, configuration, report)
  std::string problems;              // the edited runbooks' diagnostics when they have errors, compiler style
  std::string fatal;                 // why the build failed (the previous site is still served)
  std::string warning;               // a configured check history that cannot be read, told once
  std::string summary;               // one line for the terminal
};

class PreviewBuild {
 public:
  // `load` reads the configuration and what follows from it; it throws opsbook::Error when it
  // cannot (the server then shows the error and keeps the last good site).
  PreviewBuild(std::function<PreviewInputs()> load, unsigned jobs);

  // Told what a build changed that open pages show: its pages, served from then on, before the
  // search index is brought up to date (search answers from the previous index meanwhile, whose
  // files are served as a whole until the new ones replace them); or why the build failed.
  using Publish = std::function<void(const BuildEvent&)>;

  // The first build (everything), or a rebuild of `changes`; returns the whole build's event, for
  // the terminal (`changed`: every site file it changed, the search index's too).
  BuildEvent build(const Changes& changes, const Publish& publish = {});
  // Tells `watcher` about every input of the current inputs (idempotent).
  void watch(Watcher& watcher) const;

  [[nodiscard]] const generator::MemorySite& site() const { return m_site; }
  [[nodiscard]] std::string config_path() const;

 private:
  enum class Scope { files, report, everything };
  Scope scope_of(const Changes& changes) const;
  void reload_inputs();
  void list_sources();
  void mark_unchanged(const Changes& changes);
  std::string problems_of(const Changes& changes) const;
  void build_pages(const Changes& changes, BuildEvent& event);
  void build_search(BuildEvent& event);

  std::function<PreviewInputs()> m_load;
  unsigned m_jobs;
  PreviewInputs m_inputs;
  std::unique_ptr<generator::BuildState> m_state;
  std::unordered_map<std::string, size_t> m_index;  // normalised source path -> index in the state's files
  // A linked runbook's target (normalised) -> the links' indexes: an edit of the target is an edit of
  // each link's page too (s11b review B5: alias.md kept its old text).
  std::unordered_map<std::string, std::vector<size_t>> m_links;
  generator::MemorySite m_site;
  uint64_t m_builds = 0;
  std::string m_history_warning;  // the last one told
};

}  // namespace opsbook::server
