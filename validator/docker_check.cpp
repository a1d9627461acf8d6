// Docker verdicts: lookups in the snapshot and the words of each result and finding.
#include "validator/docker_check.hpp"

#include <algorithm>
#include <set>

#include "model/slug.hpp"
#include "model/text.hpp"

namespace opsbook::validator {

namespace {

constexpr size_t k_listed = 12;  // names quoted in a message

std::string join_some(const std::set<std::string>& names) {
  std::string out;
  size_t n = 0;
  for (const auto& name : names) {
    if (n++ == k_listed) return out + ", ... (" + std::to_string(names.size()) + " in all)";
    out += (out.empty() ? "" : ", ") + name;
  }
  return out.empty() ? "none" : out;
}

// "exited (137) 5 seconds ago" from the daemon's "Exited (137) 5 seconds ago".
std::string state_words(const DockerContainer& c) {
  std::string words = c.status.empty() ? c.state : c.status;
  if (!words.empty()) words[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(words[0])));
  return words;
}

bool is_id_prefix(const std::string& id, const std::string& name) {
  return name.size() >= 4 && name.size() <= id.size() && id.compare(0, name.size(), name) == 0 &&
         std::all_of(name.begin(), name.end(), [](char ch) { return (ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'f'); });
}

}  // namespace

bool DockerStack::has_project(const std::string& project) const {
  return std::any_of(m_snapshot.containers.begin(), m_snapshot.containers.end(), [&](const DockerContainer& c) { return c.project == project; });
}

std::string DockerStack::projects() const {
  std::set<std::string> names;
  for (const auto& c : m_snapshot.containers) {
    if (!c.project.empty()) names.insert(c.project);
  }
  return join_some(names);
}

std::vector<const DockerContainer*> DockerStack::containers_of(const std::string& project, const std::string& service) const {
  std::vector<const DockerContainer*> out;
  for (const auto& c : m_snapshot.containers) {
    if (c.project == project && c.service == service) out.push_back(&c);
  }
  return out;
}

std::string DockerStack::services_of(const std::string& project) const {
  std::set<std::string> names;
  for (const auto& c : m_snapshot.containers) {
    if (c.project == project && !c.service.empty()) names.insert(c.service);
  }
  return join_some(names);
}

DockerVerdict DockerStack::service_named(const std::string& project, const std::string& service, bool running) const {
  DockerVerdict v;
  auto containers = containers_of(project, service);
  if (containers.empty()) {
    v.detail = "no container of service " + service + " in project " + project;
    v.problem = "service '" + service + "' is not in the running Compose project '" + project + "' (its services: " + services_of(project) + ")";
    v.hint = "the service was renamed or removed: fix the command, or start the service";
    return v;
  }
  auto up = std::find_if(containers.begin(), containers.end(), [](const DockerContainer* c) { return c->state == "running"; });
  v.pass = !running || up != containers.end();
  v.detail = up != containers.end() ? "running" : state_words(*containers.front());
  if (!v.pass) {
    v.problem = "service '" + service + "' of project '" + project + "' is not running (" + v.detail + ")";
    v.hint = "this command needs a running container: start the service, or fix the runbook";
  }
  return v;
}

DockerVerdict DockerStack::container_named(const std::string& name, bool running, bool any_object) const {
  DockerVerdict v;
  const DockerContainer* found = nullptr;
  for (const auto& c : m_snapshot.containers) {
    bool named = std::find(c.names.begin(), c.names.end(), name) != c.names.end();
    if (named || (!found && is_id_prefix(c.id, name))) found = &c;
    if (named) break;
  }
  if (!found) {
    if (any_object && std::find(m_snapshot.objects.begin(), m_snapshot.objects.end(), name) != m_snapshot.objects.end()) {
      v.pass = true;
      v.detail = "an image, network or volume";
      return v;
    }
    std::set<std::string> names;
    for (const auto& c : m_snapshot.containers) {
      if (!c.names.empty()) names.insert(c.names.front());
    }
    v.detail = "no container named " + name;
    v.problem = "no container named '" + name + "' on the Docker daemon" + std::string(any_object ? " (nor image, network or volume)" : "") +
                " (containers: " + join_some(names) + ")";
    v.hint = "the container was renamed or removed (Compose names them <project>-<service>-<n>, docker-compose 1 <project>_<service>_<n>): fix the runbook";
    return v;
  }
  v.pass = !running || found->state == "running";
  v.detail = found->state == "running" ? "running" : state_words(*found);
  if (!v.pass) {
    v.problem = "container '" + name + "' is not running (" + v.detail + ")";
    v.hint = "this command needs a running container: start it, or fix the runbook";
  }
  return v;
}

std::string DockerStack::match_service(const std::string& project, std::string_view documented) const {
  std::string wanted(model::trim(documented));
  if (wanted.empty()) return {};
  std::string slug = model::slugify(wanted);
  for (int pass = 0; pass < 3; ++pass) {
    for (const auto& c : m_snapshot.containers) {
      if (c.project != project || c.service.empty()) continue;
      bool match = pass == 0   ? c.service == wanted
                   : pass == 1 ? model::iequals(c.service, wanted) || model::slugify(c.service) == slug
                               : std::find(c.names.begin(), c.names.end(), wanted) != c.names.end();
      if (match) return c.service;
    }
  }
  return {};
}

DockerVerdict DockerStack::service_state(const std::string& project, const std::string& service) const {
  DockerVerdict v;
  std::vector<const DockerContainer*> containers;
  for (const auto* c : containers_of(project, service)) {
    if (!c->one_off) containers.push_back(c);
  }
  std::string label = "service '" + service + "' of project '" + project + "'";
  const DockerContainer* worst = nullptr;
  for (const auto* c : containers) {
    if (c->state != "running") {
      worst = c;
      break;
    }
    if (c->health == "unhealthy" || (c->health == "starting" && !worst)) worst = c;
  }
  std::string of = containers.size() > 1 ? " (" + std::to_string(containers.size()) + " containers)" : "";
  if (containers.empty()) {
    v.detail = "only one-off containers";
    v.problem = label + " has no container of its own: it is not running";
    v.hint = "start the service (docker compose up -d " + service + "), or fix the runbook";
  } else if (!worst) {
    v.pass = true;
    bool healthy = std::all_of(containers.begin(), containers.end(), [](const DockerContainer* c) { return c->health == "healthy"; });
    v.detail = std::string("running") + (healthy ? ", healthy" : "") + of;
  } else if (worst->state != "running") {
    v.detail = state_words(*worst);
    v.problem = label + " is not running: " + v.detail + of;
    v.hint = "the runbook documents it as part of the stack: start it (docker compose up -d " + service + "), or fix the runbook";
  } else if (worst->health == "unhealthy") {
    v.detail = "running, unhealthy";
    v.problem = label + " is unhealthy" + (worst->health_output.empty() ? "" : ": its healthcheck says \"" + worst->health_output + "\"") + of;
    v.hint = "see docker inspect --format '{{json .State.Health}}' " + (worst->names.empty() ? worst->id.substr(0, 12) : worst->names.front());
  } else {
    v.detail = "running, health: starting";
    v.problem = label + " is still starting: its healthcheck has not passed yet" + of;
    v.hint = "check again once the stack has settled, or look at the healthcheck's interval and start_period";
  }
  return v;
}

std::optional<DockerVerdict> DockerStack::published_port(const std::string& project, const std::string& service, const std::string& documented,
                                                         int port) const {
  std::vector<int> published;
  for (const auto* c : containers_of(project, service)) {
    if (c->one_off || (c->state != "running" && !c->host_network)) continue;
    for (int p : c->published) {
      if (std::find(published.begin(), published.end(), p) == published.end()) published.push_back(p);
    }
  }
  if (published.empty()) return std::nullopt;
  std::sort(published.begin(), published.end());
  DockerVerdict v;
  std::string list;
  for (int p : published) list += (list.empty() ? "" : ", ") + std::to_string(p);
  v.pass = std::find(published.begin(), published.end(), port) != published.end();
  v.detail = "publishes " + list;
  if (!v.pass) {
    v.problem = "port table says " + documented + "; in project '" + project + "' service '" + service + "' publishes " + list;
    v.hint = "fix the table, or the service's published ports (or the environment's hosts: mapping for this port)";
  }
  return v;
}

}  // namespace opsbook::validator
