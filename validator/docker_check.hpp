// What a Docker snapshot says about the names and services a runbook documents: services and
// containers that commands name, documented services that must run (healthy, where they have a
// healthcheck), and the ports they publish. Pure functions over the snapshot: no daemon here.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "validator/live_probe.hpp"

namespace opsbook::validator {

struct DockerVerdict {
  bool pass = false;
  std::string detail;   // for the result: "running, healthy", "exited (137) 5 seconds ago"
  std::string problem;  // for the finding, when it fails
  std::string hint;
};

class DockerStack {
 public:
  explicit DockerStack(const DockerSnapshot& snapshot) : m_snapshot(snapshot) {}

  // Whether `project` has any container; the other projects on the daemon for the message.
  [[nodiscard]] bool has_project(const std::string& project) const;
  [[nodiscard]] std::string projects() const;
  // A service that a docker compose command names: some container of it exists in `project`
  // (and runs, when `running`).
  [[nodiscard]] DockerVerdict service_named(const std::string& project, const std::string& service, bool running) const;
  // A container that a docker command names, by name or id prefix; with `any_object` (docker
  // inspect) an image, network or volume of that name passes too.
  [[nodiscard]] DockerVerdict container_named(const std::string& name, bool running, bool any_object) const;
  // The service of `project` a documented name stands for: equal, ignoring case, or as a slug
  // ("Celery Worker" -> celery-worker), or a container name; "" when none.
  [[nodiscard]] std::string match_service(const std::string& project, std::string_view documented) const;
  // A service documented as part of the stack: every container runs, healthy where it has a
  // healthcheck.
  [[nodiscard]] DockerVerdict service_state(const std::string& project, const std::string& service) const;
  // A port table row: the service publishes `port`; nullopt when it publishes none (nothing to
  // compare) or does not run. `documented` is what the table says ("web is on 8080").
  [[nodiscard]] std::optional<DockerVerdict> published_port(const std::string& project, const std::string& service, const std::string& documented,
                                                            int port) const;

 private:
  [[nodiscard]] std::vector<const DockerContainer*> containers_of(const std::string& project, const std::string& service) const;
  [[nodiscard]] std::string services_of(const std::string& project) const;

  const DockerSnapshot& m_snapshot;
};

}  // namespace opsbook::validator
