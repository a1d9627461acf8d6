// opsbook.yaml (SPEC §3): site, content and output folders, environments with services,
// host rewrites and allowed hosts. Missing file = defaults.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <utility>

#include "limits.hpp"
#include <vector>

namespace opsbook::model {

struct ServiceConfig {
  std::string name;
  std::string kind;     // http, postgres, redis, tcp (from `kind:` or the URL/DSN scheme)
  std::string url;      // http(s)://, redis://, tcp://host:port
  std::string dsn_env;  // name of the environment variable holding a PostgreSQL DSN
  std::string dsn;      // a DSN written in the file (discouraged: secrets belong in the environment)
};

// The Docker Compose stack of an environment, for the Docker probe and docker doc-tests.
struct ComposeConfig {
  std::string project;      // com.docker.compose.project of the running stack ("" = containers only)
  std::string docker_host;  // unix:///path; "" = $DOCKER_HOST, else unix:///var/run/docker.sock
  bool probe = true;        // false: live checks never contact the Docker Engine
  int line = 0;             // of `compose:` in the configuration file
};

struct EnvironmentConfig {
  std::string name;
  std::vector<std::pair<std::string, std::string>> hosts;  // documented host -> host:port to use
  std::vector<ServiceConfig> services;
  std::vector<std::string> allow_hosts;
  std::vector<std::pair<std::string, std::string>> params;  // default values for snippet params
  bool insecure_tls = false;
  // Lets read-only SQL run with a superuser or server-file role (otherwise only EXPLAINed).
  bool allow_privileged_role = false;
  std::optional<ComposeConfig> compose;

  [[nodiscard]] const ServiceConfig* service(std::string_view name) const;
  // The service of `kind` a snippet or table row targets: the one `named` (a `service`
  // attribute: `strict`, so a wrong name is an error; a table's Service column: not strict),
  // else the first of `runbook_services` (front matter) of that kind, else the only service of
  // that kind. nullptr with `why` set when there is none or the choice is ambiguous.
  [[nodiscard]] const ServiceConfig* service_for(std::string_view kind, std::string_view named, bool strict,
                                                 const std::vector<std::string>& runbook_services, std::string& why) const;
};

// Where check history is kept: an SQLite file (default), or a shared PostgreSQL whose DSN is in
// the environment variable `dsn_env`; the portal calls a check stale when it was not verified
// within `stale_after`.
struct HistoryConfig {
  std::string path = ".opsbook/history.sqlite";
  std::string dsn_env;
  int dsn_env_line = 0;  // where opsbook.yaml names dsn_env (0: nowhere)
  std::chrono::seconds stale_after = std::chrono::hours(7 * 24);
};

struct Config {
  std::string path;  // "" when no file was found
  std::string dir;   // folder the relative paths below are resolved against
  std::string site_title = "Ops Portal";
  std::string base_url = "/";
  std::string repo_url;
  std::string content = "content";
  std::string output = "site";
  std::string compose_file;
  std::string env_example;
  std::string templates;
  std::string transcripts = ".opsbook/transcripts";  // opsbook run writes its transcripts here
  std::string incidents = "docs/INCIDENTS";          // opsbook incident new writes here
  std::string default_env;
  std::vector<std::string> severities;
  std::vector<EnvironmentConfig> environments;
  Limits limits;  // `limits:` (model/limits.hpp), each a positive integer
  HistoryConfig history;

  [[nodiscard]] const EnvironmentConfig* environment(std::string_view name) const;
  // Resolves a configured path against the config file's folder.
  [[nodiscard]] std::string resolve(const std::string& relative) const;
};

// Kind of a service from its scheme: "http", "postgres", "redis", "tcp", or "".
std::string service_kind_from_url(std::string_view url);

// The largest opsbook.yaml load_config reads (docs/limits.md).
constexpr size_t k_config_bytes = size_t{1} << 20;
// What reading it may copy, YAML aliases expanded (16 bytes per node besides the scalars): 8 times
// the largest file, so that no file without aliases comes near it.
constexpr size_t k_config_expanded_bytes = 8 * k_config_bytes;

// Loads `path`; when `required` is false a missing file gives the defaults.
// Throws opsbook::Error naming file:line on invalid YAML or wrong shapes, and a file that is not
// a regular file or is larger than k_config_bytes.
Config load_config(const std::string& path, bool required);

}  // namespace opsbook::model
