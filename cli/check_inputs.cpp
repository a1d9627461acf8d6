// Source collection, shard selection, --changed-since and link-target loading for `opsbook check`.
#include "cli/check_inputs.hpp"

#include "cli/common.hpp"

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <map>
#include <sstream>

#include "model/git_guard.hpp"
#include "model/error.hpp"
#include "model/links.hpp"
#include "model/loader.hpp"
#include "model/process.hpp"

namespace opsbook::cli {

namespace {

namespace fs = std::filesystem;

std::string normal(const std::string& path) { return fs::path(path).lexically_normal().string(); }

// Runbook paths that differ from `ref` (committed, staged or not), canonical.
std::set<std::string> changed_files(const std::string& ref) {
  // git's guard settings: a bare repository committed in the working folder is refused, not
  // read (its filter drivers and fsmonitor would run outside any sandbox: s9a review B2).
  std::vector<std::string> argv = {"git"};
  for (std::string& o : model::git_guard_options()) argv.push_back(std::move(o));
  argv.insert(argv.end(), {"diff", "--name-only", "--relative", ref, "--"});
  model::ProcessResult git = model::run_process(argv, "", std::chrono::seconds(60));
  if (!git.started || git.exit_code != 0) {
    std::string first = git.err.substr(0, git.err.find('\n'));
    throw Error("--changed-since " + ref + ": git diff failed (" + (first.empty() ? "git did not run" : first) +
                "): run opsbook in a git work tree that has " + ref + " (a bare repository found in the working folder, such as one a pull request commits, is never used)");
  }
  std::set<std::string> changed;
  std::stringstream lines(git.out);
  for (std::string l; std::getline(lines, l);) changed.insert(fs::weakly_canonical(l).string());
  return changed;
}

// Files outside the shard that the shard's relative links point into.
std::vector<model::SourceFile> link_targets(const std::vector<model::Runbook>& owned, const std::vector<model::SourceFile>& others) {
  std::map<std::string, const model::SourceFile*> by_path;
  for (const auto& f : others) by_path.emplace(normal(f.path), &f);
  std::set<const model::SourceFile*> wanted;
  for (const auto& rb : owned) {
    for (const auto& l : rb.links) {
      auto link = model::local_link(rb.path, l.url);
      if (!link || link->resolved.empty() || link->anchor.empty()) continue;  // without an anchor, existence is all that is checked
      auto it = by_path.find(link->resolved);
      if (it != by_path.end()) wanted.insert(it->second);
    }
  }
  std::vector<model::SourceFile> out;
  for (const auto* f : wanted) out.push_back(*f);
  std::sort(out.begin(), out.end(), [](const model::SourceFile& a, const model::SourceFile& b) { return a.path < b.path; });
  return out;
}

}  // namespace

CheckInputs load_check_inputs(const std::vector<std::string>& paths, const model::Shard& shard, const std::string& changed_since, unsigned jobs,
                             const model::Limits& limits) {
  CheckInputs in;
  // Collect, in path order: reports of every shard then list files and findings the same way.
  std::vector<model::SourceFile> files = collect_runbooks(paths, in.top);
  std::stable_sort(files.begin(), files.end(), [](const model::SourceFile& a, const model::SourceFile& b) { return a.path < b.path; });
  std::vector<std::string> all;
  for (const auto& f : files) all.push_back(f.path);
  in.set_count = all.size();
  in.set_fingerprint = model::path_set_fingerprint(all);

  std::vector<model::SourceFile> mine, others;
  for (auto& f : files) (model::shard_of(f.path, shard.count) == shard.index ? mine : others).push_back(std::move(f));
  model::LoadOptions load;
  load.jobs = jobs;
  load.limits = limits;
  in.runbooks = model::load_runbooks(mine, load);
  in.owned = in.runbooks.size();
  if (!others.empty()) {
    std::vector<model::Runbook> linked = model::load_runbooks(link_targets(in.runbooks, others), load);
    for (auto& rb : linked) in.runbooks.push_back(std::move(rb));
  }

  in.all = shard.count == 1 && changed_since.empty();
  if (in.all) return in;
  std::set<std::string> changed;
  if (!changed_since.empty()) changed = changed_files(changed_since);
  for (size_t i = 0; i < in.owned; ++i) {
    const std::string& path = in.runbooks[i].path;
    if (changed_since.empty() || changed.count(fs::weakly_canonical(path).string())) in.checked.insert(path);
  }
  return in;
}

}  // namespace opsbook::cli
