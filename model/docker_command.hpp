// Reads docker and docker compose command lines: which daemon and project they address, the
// subcommand, the services or containers they name, and whether their output ends (what a
// doc-test may run; whether they only read is the safety classifier's to say). Data tables.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace opsbook::model {

struct DockerCommand {
  enum class Form { compose, container };
  Form form = Form::container;  // `docker compose` / `docker-compose`, else plain `docker`
  std::string subcommand;       // "logs", "exec"... (`docker container logs` reads as "logs")
  std::vector<std::string> targets;  // services (compose) or containers named, as written
  std::string project;          // -p / --project-name / COMPOSE_PROJECT_NAME=; "" = the environment's
  bool other_daemon = false;    // -H, --host, --context or DOCKER_HOST= / DOCKER_CONTEXT=: another daemon
  bool other_file = false;      // -f / --file: another compose file than the project's default
  bool profile = false;         // --profile: services of a profile that may not be started
  bool needs_running = false;   // exec, attach, top, kill, pause: the container must be running
  bool one_off = false;         // compose run: starts a new container, the service need not run
  bool any_object = false;      // docker inspect without --type container: images, networks, volumes too
  std::string unbounded;        // why it does not end or its output is unbounded ("" = bounded)
  std::string doubtful;         // why this reading may not be what docker runs: an option opsbook does
                                // not know, a word the shell expands, a wrapper in front ("" = none)
};

// Every docker command in one command line (pipelines and lists split), in order; commands
// of other tools are ignored.
std::vector<DockerCommand> read_docker_commands(std::string_view command_line, int depth = 0);  // depth: of sh -c nesting

// "" when a doc-test may run it as far as docker goes (its output ends, it addresses the
// environment's daemon), else why not. Read-only or not is the classifier's verdict.
std::string docker_doctest_refusal(const DockerCommand& command);

// True when `name` holds a placeholder (`<svc>`, `$SVC`, `{{svc}}`, `[svc]`, `*`) to fill first.
bool docker_name_has_placeholder(std::string_view name);

}  // namespace opsbook::model
