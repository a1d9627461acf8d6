// Drift between runbooks and the stack they describe: services named in docker compose commands
// that the compose file lacks, port tables that disagree with its published ports, and
// environment variables that runbooks tell people to set but .env.example lacks (and the reverse).
#pragma once

#include <span>
#include <string>
#include <vector>

#include "model/runbook.hpp"
#include "validator/finding.hpp"

namespace opsbook::validator {

struct DriftSources {
  std::string compose_file;  // "" = no compose drift checks
  std::string env_example;   // "" = no .env drift checks
  std::string checkout;      // the folder both must lie in (model::read_checkout_file)
};

// The configured files, else docker-compose.yml / compose.yml / .env.example found in the
// content folder or its parent. `base`: the folder of opsbook.yaml (or the working folder); the
// checkout is the git work tree around it, or itself ("" = the content folder's parent).
DriftSources find_drift_sources(const std::string& configured_compose, const std::string& configured_env,
                                const std::string& content_dir, const std::string& base = "");

std::vector<Finding> check_drift(std::span<const model::Runbook> runbooks, const DriftSources& sources);

// Services a `docker compose ...` / `docker-compose ...` command names ("" entries never);
// empty when the command uses another compose file (-f) or is no compose command.
std::vector<std::string> compose_services_named(std::string_view command);

}  // namespace opsbook::validator
