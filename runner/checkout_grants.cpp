// git ls-files (tracked) and git ls-files --others --directory (untracked and ignored, a folder
// of them as one entry) decide; a folder that holds an untracked entry is granted entry by entry.
#include "runner/checkout_grants.hpp"

#include <cstdio>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <string_view>

#include "model/git_guard.hpp"
#include "model/process.hpp"
#include "model/terminal_text.hpp"

namespace opsbook::runner {

namespace fs = std::filesystem;

namespace {

// NUL-separated paths git printed, or nullopt when git failed.
std::optional<std::vector<std::string>> git_paths(const fs::path& root, std::vector<std::string> args) {
  // safe.directory: a checkout owned by another user (root in a container, the workspace of uid
  // 1001) is still listed (s8b B2); ls-files with fsmonitor off runs nothing its config names.
  std::vector<std::string> argv = {"git", "-c", "safe.directory=*", "-c", "core.untrackedCache=false"};
  for (std::string& o : model::git_guard_options()) argv.push_back(std::move(o));  // a committed bare repository: refused (s9a B2)
  argv.insert(argv.end(), {"-C", root.string(), "ls-files", "-z"});
  argv.insert(argv.end(), args.begin(), args.end());
  model::ProcessResult r = model::run_process(argv, "", std::chrono::seconds(60));
  if (!r.started || r.exit_code != 0 || r.timed_out) return std::nullopt;
  std::vector<std::string> out;
  for (size_t start = 0; start < r.out.size();) {
    size_t end = r.out.find('\0', start);
    if (end == std::string::npos) end = r.out.size();
    if (end > start) out.push_back(r.out.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

// The tracked entries as a tree of relative folder -> its tracked children's names.
using Tree = std::map<std::string, std::set<std::string>>;

Tree tree_of(const std::vector<std::string>& tracked) {
  Tree tree;
  for (const auto& path : tracked) {
    std::string parent;
    for (size_t start = 0; start < path.size();) {
      size_t slash = path.find('/', start);
      std::string name = path.substr(start, slash == std::string::npos ? std::string::npos : slash - start);
      tree[parent].insert(name);
      if (slash == std::string::npos) break;
      parent += (parent.empty() ? "" : "/") + name;
      start = slash + 1;
    }
  }
  return tree;
}

// Every folder (relative, "" for the root) that holds an untracked or ignored entry.
std::set<std::string> dirty_folders(const std::vector<std::string>& untracked) {
  std::set<std::string> dirty;
  for (std::string path : untracked) {
    // A folder git lists whole ("dir/") is dirty itself: a tracked path can name it too (a file
    // in the index that is a folder of untracked files in the working tree).
    if (path.ends_with('/')) dirty.insert(path.substr(0, path.find_last_not_of('/') + 1));
    while (!path.empty() && path.back() == '/') path.pop_back();
    for (size_t slash = path.rfind('/'); ; slash = path.rfind('/', slash - 1)) {
      dirty.insert(slash == std::string::npos ? std::string() : path.substr(0, slash));
      if (slash == std::string::npos || slash == 0) break;
    }
  }
  return dirty;
}

// `git ls-files -s` lines ("MODE OBJECT STAGE\tPATH"): the paths, and those of submodules.
std::vector<std::string> tracked_paths(const std::vector<std::string>& lines, std::set<std::string>& submodules) {
  std::vector<std::string> out;
  for (const auto& line : lines) {
    size_t tab = line.find('\t');
    if (tab == std::string::npos) continue;
    out.push_back(line.substr(tab + 1));
    if (line.starts_with("160000 ")) submodules.insert(out.back());
  }
  return out;
}

void grant(const fs::path& root, const std::string& rel, const Tree& tree, const std::set<std::string>& dirty, const std::set<std::string>& submodules,
           const std::set<std::string>& modified, std::vector<std::string>& out) {
  auto children = tree.find(rel);
  if (children == tree.end()) return;
  for (const auto& name : children->second) {
    std::string child = rel.empty() ? name : rel + "/" + name;
    if (rel.empty() && (name == ".opsbook" || name == ".git")) continue;
    fs::path path = root / child;
    std::error_code ec;
    fs::file_status st = fs::symlink_status(path, ec);
    // A link is never granted: a grant follows it to its target (the kernel checks where a link
    // inside a granted folder leads).
    if (ec || fs::is_symlink(st) || !fs::exists(st)) continue;
    // A submodule (gitlink) is another repository: git lists nothing in it, and a pull request can
    // commit one where the CI job checks out a second repository with its token (s8b B1). A
    // tracked file changed since the checkout holds what the job wrote into it (.npmrc).
    if (submodules.count(child) || modified.count(child)) continue;
    if (fs::is_directory(st) && !tree.count(child)) continue;  // a tracked file that is now a folder: git lists nothing in it
    if (fs::is_directory(st) && dirty.count(child)) {
      grant(root, child, tree, dirty, submodules, modified, out);
    } else {
      out.push_back(path.string());
    }
  }
}

std::vector<std::string> visible_top_level(const fs::path& root) {
  std::vector<std::string> out;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(root, ec)) {
    std::string name = entry.path().filename().string();
    if (!name.empty() && name[0] != '.' && !entry.is_symlink(ec)) out.push_back(entry.path().string());
  }
  return out;
}

// Whether `root` or a folder above it holds a .git (a work tree or a gitfile).
bool inside_work_tree(fs::path root) {
  std::error_code ec;
  for (;; root = root.parent_path()) {
    if (fs::exists(fs::symlink_status(root / ".git", ec))) return true;
    if (root == root.parent_path()) return false;
  }
}

}  // namespace

std::vector<std::string> checkout_grants(const fs::path& root) {
  // Once per folder and run: two git runs per doc-test would double a small doc-test's time.
  static std::mutex mutex;
  static std::map<fs::path, std::vector<std::string>> cache;
  std::lock_guard lock(mutex);
  if (auto it = cache.find(root); it != cache.end()) return it->second;
  std::vector<std::string> out;
  auto staged = git_paths(root, {"-s"});
  auto untracked = staged ? git_paths(root, {"--others", "--directory"}) : std::nullopt;
  auto changed = untracked ? git_paths(root, {"-m", "-t"}) : std::nullopt;  // modified or deleted since the index
  if (staged && untracked && changed) {
    std::set<std::string> submodules;
    std::vector<std::string> tracked = tracked_paths(*staged, submodules);
    std::set<std::string> modified;
    for (auto& line : *changed) modified.insert(line.size() > 2 && line[1] == ' ' ? line.substr(2) : line);  // "C path" with -t
    std::vector<std::string> unclean = *untracked;
    unclean.insert(unclean.end(), modified.begin(), modified.end());
    unclean.insert(unclean.end(), submodules.begin(), submodules.end());
    grant(root, "", tree_of(tracked), dirty_folders(unclean), submodules, modified, out);
  } else if (inside_work_tree(root)) {
    // Never the whole folder of a repository whose files git cannot list: fail closed.
    model::print_line("opsbook: note: git cannot list the files of " + root.string() + ": doc-tests read none of them (install git, or check the repository)");
  } else {
    out = visible_top_level(root);
  }
  cache[root] = out;
  return out;
}

}  // namespace opsbook::runner
