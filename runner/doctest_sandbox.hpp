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

#include "model/config.hpp"
#include "model/landlock.hpp"

namespace opsbook::runner {

// `checkout`: the folder opsbook runs in; `runbook_dir`: the runbook's folder; `temp`: the
// doc-test's private temporary folder.
model::Confinement doctest_confinement(const std::string& checkout, const std::string& runbook_dir, const std::string& temp,
                                       const model::EnvironmentConfig* env);

// "" when doc-tests run confined on this machine, else why not (for one note per run).
const std::string& doctest_sandbox_problem();

}  // namespace opsbook::runner
