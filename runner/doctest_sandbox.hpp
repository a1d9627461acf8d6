// What a doc-test may touch once the kernel confines it (model/landlock): the programs of the
// system, a few files of /etc that programs need to start and resolve names, system-wide /proc
// figures, the checkout without its hidden top-level entries (.git, .opsbook, .env...), /dev/null,
// a private temporary folder, the files OPSBOOK_DOCTEST_READ lists, and TCP connections only to
// the ports the environment names (any port when it has allow_hosts).
// Never the home folder (the seal key, credentials), another process's /proc files (opsbook's
// environment, command lines that hold a DSN), devices that never end, or a signal to a process
// outside the sandbox. See docs/safety.md#the-doc-test-sandbox.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "model/config.hpp"
#include "model/landlock.hpp"

namespace opsbook::runner {

// `checkout`: the folder opsbook runs in; `runbook_dir`: the runbook's folder; `temp`: the
// doc-test's private temporary folder.
model::Confinement doctest_confinement(const std::string& checkout, const std::string& runbook_dir, const std::string& temp,
                                       const model::EnvironmentConfig* env);

// The doc-test's PATH: the folders of ours that are absolute and real, not the machine's root,
// not /etc, /tmp, /run, /var/lib..., not one holding the home folder, and not inside the checkout or
// the runbook's folder (a committed `jq` in .venv/bin or node_modules/.bin would run instead of
// the real one). The sandbox grants exactly these.
std::vector<std::string> doctest_path_folders(const std::string& checkout, const std::string& runbook_dir);

// "" when doc-tests run confined on this machine, else why not (for one note per run).
const std::string& doctest_sandbox_problem();

// One doc-test's place in the sandbox: the ruleset (built once per checkout, runbook folder and
// environment and run: a checkout of 20,000 files costs its grants once, s8b B7) and a temporary
// folder of its own, removed with the object together with what the doc-test made in it. Throws
// opsbook::Error when the sandbox cannot be set up.
class DoctestJail {
 public:
  DoctestJail(const std::string& checkout, const std::string& runbook_dir, const model::EnvironmentConfig* env);
  ~DoctestJail();
  DoctestJail(const DoctestJail&) = delete;
  DoctestJail& operator=(const DoctestJail&) = delete;
  [[nodiscard]] int ruleset_fd() const { return m_fd; }
  [[nodiscard]] const std::string& temp() const { return m_temp; }  // its TMPDIR
  [[nodiscard]] const std::string& path() const { return m_path; }  // its PATH

 private:
  int m_fd = -1;
  std::string m_temp, m_path;
};

}  // namespace opsbook::runner
