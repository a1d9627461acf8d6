// Docker verdicts over a snapshot: name and service lookups, states, health and published ports.
#include <catch2/catch.hpp>

#include "validator/docker_check.hpp"

using namespace opsbook::validator;

namespace {

DockerContainer make(const std::string& service, const std::string& state, const std::string& health = "", std::vector<int> ports = {}) {
  DockerContainer c;
  c.id = "9f3a" + std::string(60, 'b');
  c.names = {"shop-" + service + "-1"};
  c.project = "shop";
  c.service = service;
  c.state = state;
  c.status = state == "running" ? "Up 3 hours" : "Exited (1) 4 seconds ago";
  c.health = health;
  c.published = std::move(ports);
  return c;
}

}  // namespace

TEST_CASE("docker: documented names match services by name, case, slug or container name", "[validator][docker]") {
  DockerSnapshot snap;
  snap.containers = {make("celery-worker", "running"), make("api", "running")};
  snap.containers[1].names = {"shop-api"};
  DockerStack stack(snap);
  CHECK(stack.match_service("shop", "celery-worker") == "celery-worker");
  CHECK(stack.match_service("shop", "Celery Worker") == "celery-worker");
  CHECK(stack.match_service("shop", "API") == "api");
  CHECK(stack.match_service("shop", "shop-api") == "api");
  CHECK(stack.match_service("shop", "Grafana").empty());
  CHECK(stack.match_service("other", "api").empty());
  CHECK(stack.has_project("shop"));
  CHECK_FALSE(stack.has_project("other"));
}

TEST_CASE("docker: containers by name or id prefix: inspect also finds images, networks and volumes", "[validator][docker]") {
  DockerSnapshot snap;
  snap.containers = {make("db", "exited")};
  snap.objects = {"postgres:15", "shop_default"};
  DockerStack stack(snap);
  CHECK(stack.container_named("shop-db-1", false, false).pass);
  CHECK(stack.container_named("9f3abbbb", false, false).pass);
  CHECK_FALSE(stack.container_named("9f3", false, false).pass);  // too short to be an id
  DockerVerdict stopped = stack.container_named("shop-db-1", true, false);
  CHECK_FALSE(stopped.pass);
  CHECK(stopped.problem == "container 'shop-db-1' is not running (exited (1) 4 seconds ago)");
  CHECK(stack.container_named("postgres:15", false, true).pass);
  DockerVerdict missing = stack.container_named("postgres:15", false, false);
  CHECK_FALSE(missing.pass);
  CHECK(missing.problem == "no container named 'postgres:15' on the Docker daemon (containers: shop-db-1)");
}

TEST_CASE("docker: a service's state over all its containers, one-off ones aside", "[validator][docker]") {
  DockerSnapshot snap;
  snap.containers = {make("worker", "running", "healthy"), make("worker", "running", "healthy"), make("api", "running", "starting"),
                     make("job", "exited"), make("web", "running")};
  snap.containers[3].one_off = true;
  DockerStack stack(snap);
  CHECK(stack.service_state("shop", "worker").detail == "running, healthy (2 containers)");
  CHECK(stack.service_state("shop", "web").detail == "running");
  DockerVerdict starting = stack.service_state("shop", "api");
  CHECK_FALSE(starting.pass);
  CHECK(starting.problem == "service 'api' of project 'shop' is still starting: its healthcheck has not passed yet");
  DockerVerdict one_off = stack.service_state("shop", "job");
  CHECK_FALSE(one_off.pass);
  CHECK(one_off.problem == "service 'job' of project 'shop' has no container of its own: it is not running");
  snap.containers[1].state = "restarting";
  snap.containers[1].status = "Restarting (1) 2 seconds ago";
  DockerVerdict restarting = DockerStack(snap).service_state("shop", "worker");
  CHECK(restarting.problem == "service 'worker' of project 'shop' is not running: restarting (1) 2 seconds ago (2 containers)");
}

TEST_CASE("docker: published ports: nothing to compare for a service that publishes none", "[validator][docker]") {
  DockerSnapshot snap;
  snap.containers = {make("api", "running", "", {8443, 8080}), make("db", "running"), make("web", "exited", "", {80})};
  DockerStack stack(snap);
  CHECK(stack.published_port("shop", "api", "api is on 8080", 8080)->pass);
  DockerVerdict wrong = *stack.published_port("shop", "api", "API is on 9090", 9090);
  CHECK_FALSE(wrong.pass);
  CHECK(wrong.problem == "port table says API is on 9090; in project 'shop' service 'api' publishes 8080, 8443");
  CHECK_FALSE(stack.published_port("shop", "db", "db is on 5432", 5432));
  CHECK_FALSE(stack.published_port("shop", "web", "web is on 81", 81));  // stopped: its state is the finding
  snap.containers[2].host_network = true;  // exposed ports on the host network are configuration
  CHECK_FALSE(DockerStack(snap).published_port("shop", "web", "web is on 81", 81)->pass);
}

TEST_CASE("docker: a missing service lists the project's services", "[validator][docker]") {
  DockerSnapshot snap;
  snap.containers = {make("api", "running"), make("celery-worker", "exited")};
  DockerStack stack(snap);
  DockerVerdict v = stack.service_named("shop", "worker", false);
  CHECK_FALSE(v.pass);
  CHECK(v.problem == "service 'worker' is not in the running Compose project 'shop' (its services: api, celery-worker)");
  CHECK(stack.service_named("shop", "celery-worker", false).pass);
  CHECK_FALSE(stack.service_named("shop", "celery-worker", true).pass);
}
