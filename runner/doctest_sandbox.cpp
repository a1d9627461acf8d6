// The doc-test sandbox's grants. Allow lists throughout: what is not named here is refused, so a
// path a reviewer did not think of (a committed symlink, a `cd` into /proc, a glob) leads nowhere.
#include "runner/doctest_sandbox.hpp"

#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <map>
#include <mutex>
#include <optional>
#include <cstdlib>
#include <filesystem>
#include <set>

#include "model/error.hpp"
#include "model/network_target.hpp"
#include "model/numbers.hpp"
#include "model/private_folders.hpp"
#include "model/temp_dir.hpp"
#include "model/work_tree.hpp"
#include "runner/checkout_grants.hpp"

namespace opsbook::runner {

namespace fs = std::filesystem;

namespace {

// Programs and their libraries and data (read and run).
constexpr const char* k_system[] = {"/usr", "/bin", "/sbin", "/lib", "/lib64", "/lib32", "/libx32"};

// Files of /etc that the allow-listed tools read to start, find users and names, and check TLS;
// not /etc/shadow, ssh host keys, /etc/environment or service configurations with passwords.
constexpr const char* k_etc[] = {
    "/etc/ld.so.cache", "/etc/ld.so.preload", "/etc/passwd", "/etc/group", "/etc/nsswitch.conf", "/etc/hosts", "/etc/host.conf",
    "/etc/resolv.conf", "/etc/gai.conf", "/etc/services", "/etc/protocols", "/etc/localtime", "/etc/timezone", "/etc/os-release",
    "/etc/debian_version", "/etc/machine-id", "/etc/mime.types", "/etc/ssl/certs", "/etc/ssl/openssl.cnf", "/etc/ca-certificates",
    "/etc/ca-certificates.conf", "/etc/alternatives", "/etc/postgresql-common", "/etc/perl", "/etc/wgetrc", "/etc/inputrc",
    "/etc/terminfo", "/etc/magic", "/etc/login.defs"};

// Figures of the whole system (free, uptime, nproc, journalctl); no per-process /proc entry.
constexpr const char* k_system_figures[] = {
    "/proc/uptime", "/proc/loadavg", "/proc/meminfo", "/proc/stat", "/proc/cpuinfo", "/proc/version", "/proc/filesystems",
    "/proc/sys/kernel", "/sys/devices/system/cpu", "/sys/kernel/mm/transparent_hugepage", "/run/utmp", "/var/log/journal",
    "/run/log/journal", "/run/systemd/journal"};

// Folders of configuration, kernel files and services' data: a PATH entry in or above one is
// never granted. Shared temporary folders: an entry that is one (or above one) is never granted,
// a folder of programs inside one is (a CI job's tool cache under /tmp).
constexpr const char* k_not_programs[] = {"/etc", "/proc", "/sys", "/dev", "/run", "/var/run", "/var/lib", "/var/log"};
constexpr const char* k_shared_temp[] = {"/tmp", "/var/tmp"};

// True when `a` is `b` or a folder above it.
bool contains(const fs::path& a, const fs::path& b) {
  auto [x, y] = std::mismatch(a.begin(), a.end(), b.begin(), b.end());
  return x == a.end();
}

fs::path absolute_real(const std::string& path) {
  std::error_code ec;
  fs::path p = fs::weakly_canonical(path.empty() ? fs::path(".") : fs::path(path), ec);
  return ec ? fs::path() : p;
}

// Folders that hold the user's secrets (the seal key under the state folder, credentials).
std::vector<fs::path> private_folders() {
  std::vector<fs::path> out;
  for (const std::string& folder : model::private_folders()) out.push_back(absolute_real(folder));
  return out;
}

bool holds_private(const fs::path& real) {
  auto folders = private_folders();
  return std::any_of(folders.begin(), folders.end(), [&](const fs::path& p) { return !p.empty() && contains(real, p); });
}

// A folder that holds opsbook's checkout or runbooks: what git tracks there, unless it is the
// machine's root or holds the home or state folder (a checkout run from $HOME).
void add_tracked(const fs::path& root, std::vector<std::string>& out) {
  if (root.empty() || root == root.root_path() || holds_private(root)) return;
  for (auto& path : checkout_grants(root)) {
    if (!holds_private(path)) out.push_back(std::move(path));
  }
}

// Adds `folder` (a real path) to `out` without the checkout and the runbook's folder (`roots`): a
// folder that holds one of them would grant it whole, untracked files and .git included, and
// Landlock cannot take part of a grant back. Such a folder is granted as its other entries, down
// to the root's parent (a checkout /usr/local/src/repo: /usr's entries but local, /usr/local's but
// src, /usr/local/src's but repo). Links among them are left out: Landlock checks where a link
// leads, which is granted or not on its own, and a grant on the link would grant its target.
void grant_around(const fs::path& folder, const std::vector<fs::path>& roots, std::vector<std::string>& out) {
  if (std::any_of(roots.begin(), roots.end(), [&](const fs::path& r) { return contains(r, folder); })) return;  // in the checkout
  if (std::none_of(roots.begin(), roots.end(), [&](const fs::path& r) { return contains(folder, r); })) {
    out.push_back(folder.string());
    return;
  }
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(folder, ec)) {
    if (!entry.is_symlink(ec)) grant_around(entry.path(), roots, out);
  }
}

// `grants` (system folders and files) with grant_around applied to each; a path that does not
// exist stays as it is (make_ruleset leaves it out).
std::vector<std::string> around(const std::vector<std::string>& grants, const std::vector<fs::path>& roots) {
  std::vector<std::string> out;
  for (const auto& g : grants) {
    fs::path real = absolute_real(g);
    std::error_code ec;
    if (real.empty() || !fs::exists(real, ec)) out.push_back(g);
    else grant_around(real, roots, out);
  }
  return out;
}

}  // namespace

std::vector<std::string> doctest_path_folders(const std::string& checkout, const std::string& runbook_dir) {
  std::vector<std::string> out;
  // The checkout, the runbook's folder and the git work trees around them (s9a review B3: a
  // checkout started below the repository's top let the repository's own bin/ through).
  const fs::path roots[] = {absolute_real(checkout), absolute_real(runbook_dir), model::work_tree_around(absolute_real(checkout)),
                            model::work_tree_around(absolute_real(runbook_dir))};
  const char* path = std::getenv("PATH");
  std::string list = path ? path : "";
  for (size_t start = 0; start <= list.size();) {
    size_t end = std::min(list.find(':', start), list.size());
    std::string dir = list.substr(start, end - start);
    start = end + 1;
    if (dir.empty() || dir[0] != '/') continue;
    fs::path real = absolute_real(dir);
    std::error_code ec;
    if (real.empty() || real == real.root_path() || !fs::is_directory(real, ec) || holds_private(real)) continue;
    // Not a folder of configuration, kernel files or other users' files.
    bool shared = std::any_of(std::begin(k_not_programs), std::end(k_not_programs), [&](const char* p) { return contains(p, real) || contains(real, p); }) ||
                  std::any_of(std::begin(k_shared_temp), std::end(k_shared_temp), [&](const char* p) { return contains(real, p); });
    // Not one of the pull request's own (.venv/bin, node_modules/.bin): its `jq` would run.
    bool committed = std::any_of(std::begin(roots), std::end(roots), [&](const fs::path& r) { return !r.empty() && r != r.root_path() && contains(r, real); });
    if (!shared && !committed && std::find(out.begin(), out.end(), real.string()) == out.end()) out.push_back(real.string());
  }
  return out;
}

model::Confinement doctest_confinement(const std::string& checkout, const std::string& runbook_dir, const std::string& temp,
                                       const model::EnvironmentConfig* env) {
  model::Confinement c;
  fs::path root = absolute_real(checkout);
  std::error_code ec;
  fs::path written = fs::absolute(runbook_dir.empty() ? fs::path(".") : fs::path(runbook_dir), ec).lexically_normal();
  fs::path elsewhere = absolute_real(runbook_dir);
  bool outside = !ec && !elsewhere.empty() && written == elsewhere && !contains(root, elsewhere);
  // The system's folders, without the checkout and the runbook's folder when they lie in one
  // (/usr/local/src/repo, a PATH folder above the checkout): only their tracked files are granted.
  std::vector<fs::path> roots;
  for (const fs::path& r : {root, outside ? elsewhere : fs::path()}) {
    if (!r.empty() && r != r.root_path()) roots.push_back(r);
  }
  std::vector<std::string> run(std::begin(k_system), std::end(k_system)), read(std::begin(k_etc), std::end(k_etc));
  for (auto& folder : doctest_path_folders(checkout, runbook_dir)) run.push_back(std::move(folder));
  read.insert(read.end(), std::begin(k_system_figures), std::end(k_system_figures));
  c.run = around(run, roots);
  c.read = around(read, roots);
  add_tracked(root, c.read);
  c.list.push_back(root.string());  // its folders can be listed (grep -r .), their files read as above
  // A runbook folder outside the checkout (opsbook check /elsewhere/content), when no link leads
  // there.
  if (outside) add_tracked(elsewhere, c.read);
  // Files the operator grants (a kubeconfig of a read-only service account): the job's
  // environment, never opsbook.yaml, which a pull request changes. One in the checkout is granted
  // as listed; one that holds the checkout, around it.
  if (const char* extra = std::getenv("OPSBOOK_DOCTEST_READ")) {
    std::string list = extra;
    for (size_t start = 0; start <= list.size();) {
      size_t end = std::min(list.find(':', start), list.size());
      std::string path = list.substr(start, end - start);
      start = end + 1;
      if (path.empty() || path[0] != '/') continue;
      fs::path real = absolute_real(path);
      bool in_root = std::any_of(roots.begin(), roots.end(), [&](const fs::path& r) { return !real.empty() && contains(r, real); });
      if (in_root) c.read.push_back(path);
      else for (auto& g : around({path}, roots)) c.read.push_back(std::move(g));
    }
  }
  c.write.push_back(temp);
  c.device.emplace_back("/dev/null");
  // allow_hosts lets a doc-test reach listed hosts on any port: no port list then.
  if (!env || env->allow_hosts.empty()) {
    std::set<int> ports;
    if (env) {
      for (const auto& [host, port] : model::declared_targets(*env)) {
        if (port > 0) ports.insert(port);
      }
    }
    c.connect_ports = std::vector<int>(ports.begin(), ports.end());
  }
  return c;
}

namespace {

// Doc-test folders of an opsbook that was killed (SIGKILL leaves them): ours, named after a process
// that is gone.
void remove_stale_doctest_folders() {
  const char* tmp = std::getenv("TMPDIR");
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(tmp && *tmp ? tmp : "/tmp", ec)) {
    std::string name = entry.path().filename().string();
    if (!name.starts_with("opsbook-doctest-")) continue;
    std::optional<long long> pid = model::parse_integer(name.substr(16, name.find('-', 16) - 16), 1, 1 << 22);
    struct stat st {};
    if (!pid || ::lstat(entry.path().c_str(), &st) != 0 || !S_ISDIR(st.st_mode) || st.st_uid != ::getuid()) continue;
    if (::kill(static_cast<pid_t>(*pid), 0) != 0 && errno == ESRCH) fs::remove_all(entry.path(), ec);
  }
}

// The run's sandboxes: one temporary folder for all doc-tests (each gets a folder of its own in
// it) and one ruleset per checkout, runbook folder and environment.
struct Sandboxes {
  std::mutex mutex;
  std::optional<model::TempDir> root;
  std::map<std::string, model::Ruleset> rulesets;
};

Sandboxes& sandboxes() {
  static Sandboxes s;
  return s;
}

}  // namespace

DoctestJail::DoctestJail(const std::string& checkout, const std::string& runbook_dir, const model::EnvironmentConfig* env) {
  Sandboxes& s = sandboxes();
  std::lock_guard lock(s.mutex);
  if (!s.root) {
    remove_stale_doctest_folders();
    s.root.emplace("opsbook-doctest-" + std::to_string(::getpid()));
  }
  std::string key = checkout + '\0' + runbook_dir + '\0' + (env ? env->name : std::string());
  auto it = s.rulesets.find(key);
  if (it == s.rulesets.end()) {
    std::string why;
    auto ruleset = model::make_ruleset(doctest_confinement(checkout, runbook_dir, s.root->path(), env), why);
    if (!ruleset) throw Error("cannot set up the doc-test sandbox: " + why);
    it = s.rulesets.emplace(key, std::move(*ruleset)).first;
  }
  m_fd = it->second.fd();
  std::string pattern = s.root->path() + "/t-XXXXXX";
  if (::mkdtemp(pattern.data()) == nullptr) throw Error("cannot create a temporary folder for a doc-test in " + s.root->path() + ": " + std::strerror(errno));
  m_temp = pattern;
  for (const auto& folder : doctest_path_folders(checkout, runbook_dir)) m_path += (m_path.empty() ? "" : ":") + folder;
}

DoctestJail::~DoctestJail() {  // what the doc-test made too; links are not followed
  std::error_code ec;
  fs::remove_all(m_temp, ec);
}

const std::string& doctest_sandbox_problem() {
  static const std::string problem = [] {
    std::string why;
    return model::make_ruleset(model::Confinement{}, why) ? std::string() : why;
  }();
  return problem;
}

}  // namespace opsbook::runner
