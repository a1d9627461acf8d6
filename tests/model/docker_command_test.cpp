// Reading docker and docker compose command lines: targets, projects, daemons, doc-test verdicts.
#include <catch2/catch.hpp>

#include "model/docker_command.hpp"

using namespace opsbook::model;

namespace {

DockerCommand one(std::string_view line) {
  auto all = read_docker_commands(line);
  REQUIRE(all.size() == 1);
  return all[0];
}

std::vector<std::string> targets(std::string_view line) { return one(line).targets; }

}  // namespace

TEST_CASE("compose commands: services after options that take values, the command after exec/run", "[model]") {
  CHECK(targets("docker compose logs -f --tail 100 worker api") == std::vector<std::string>{"worker", "api"});
  CHECK(targets("docker compose logs --tail=100 --since 10m worker") == std::vector<std::string>{"worker"});
  CHECK(targets("docker-compose exec -T -u postgres db psql -U app -c 'select 1'") == std::vector<std::string>{"db"});
  CHECK(targets("docker compose -f docker-compose.prod.yml up -d --no-deps backend worker") == std::vector<std::string>{"backend", "worker"});
  CHECK(targets("docker compose up -d --scale worker=3") == std::vector<std::string>{});
  CHECK(targets("docker compose run --rm -e A=1 -v /x:/y migrate alembic upgrade head") == std::vector<std::string>{"migrate"});
  CHECK(targets("docker compose restart -t 5 worker") == std::vector<std::string>{"worker"});
  CHECK(targets("docker compose cp worker:/tmp/dump.sql ./dump.sql") == std::vector<std::string>{"worker"});
  CHECK(targets("docker compose cp ./seed.sql db:/tmp/seed.sql") == std::vector<std::string>{"db"});
  CHECK(targets("docker-compose scale worker=3 api=2") == std::vector<std::string>{"worker", "api"});
  CHECK(targets("docker compose ps") == std::vector<std::string>{});
  CHECK(targets("docker compose logs -f <service>") == std::vector<std::string>{"<service>"});
  CHECK(targets("docker compose logs \"$SERVICE\" > /tmp/out.log 2>&1") == std::vector<std::string>{"$SERVICE"});
  DockerCommand c = one("sudo docker compose -p shop --profile tools exec worker sh");
  CHECK(c.form == DockerCommand::Form::compose);
  CHECK(c.subcommand == "exec");
  CHECK(c.project == "shop");
  CHECK(c.profile);
  CHECK(c.needs_running);
  CHECK_FALSE(c.other_file);
  CHECK(one("docker compose -f prod.yml ps").other_file);
  CHECK(one("COMPOSE_PROJECT_NAME=blue docker compose ps").project == "blue");
  CHECK(one("docker compose run --rm migrate").one_off);
}

TEST_CASE("container commands: docker and docker container, containers named, other daemons", "[model]") {
  CHECK(targets("docker exec -it shop-db-1 psql -U app") == std::vector<std::string>{"shop-db-1"});
  CHECK(targets("docker exec -e A=1 --user root app env") == std::vector<std::string>{"app"});
  CHECK(targets("docker container logs --tail 50 app") == std::vector<std::string>{"app"});
  CHECK(targets("docker restart app worker") == std::vector<std::string>{"app", "worker"});
  CHECK(targets("docker stats --no-stream app db") == std::vector<std::string>{"app", "db"});
  CHECK(targets("docker stats") == std::vector<std::string>{});
  CHECK(targets("docker inspect -f '{{.State.Health.Status}}' app") == std::vector<std::string>{"app"});
  CHECK(targets("docker ps -a --filter name=app") == std::vector<std::string>{});
  CHECK(one("docker inspect app").any_object);
  CHECK_FALSE(one("docker inspect --type container app").any_object);
  CHECK(one("docker exec app true").needs_running);
  CHECK_FALSE(one("docker logs app").needs_running);
  CHECK(one("docker -H ssh://ops@db1 ps").other_daemon);
  CHECK(one("docker --context prod logs app").other_daemon);
  CHECK(one("DOCKER_HOST=tcp://10.0.0.5:2376 docker ps").other_daemon);
  CHECK_FALSE(one("docker ps").other_daemon);
  CHECK(one("docker image ls").subcommand == "image");
  CHECK(one("sudo -u deploy timeout 30 docker logs --tail 5 app").targets == std::vector<std::string>{"app"});
  // Pipelines and lists: every docker command, other tools ignored.
  auto all = read_docker_commands("docker ps -q | grep x && docker logs app | grep ERROR; kubectl get pods; docker compose ps");
  REQUIRE(all.size() == 3);
  CHECK(all[1].targets == std::vector<std::string>{"app"});
  CHECK(all[2].form == DockerCommand::Form::compose);
  CHECK(read_docker_commands("kubectl logs app").empty());
  // Through the shell lexer: loops, $(...) and heredoc bodies read as bash reads them.
  auto loop = read_docker_commands("for s in api worker; do\n  docker compose restart \"$s\"\ndone");
  REQUIRE(loop.size() == 1);
  CHECK(loop[0].targets == std::vector<std::string>{"$s"});
  auto nested = read_docker_commands("docker exec -it $(docker ps -q -f name=db) psql");
  REQUIRE(nested.size() == 2);
  CHECK(nested[0].subcommand == "exec");
  CHECK(docker_name_has_placeholder(nested[0].targets.at(0)));
  CHECK(nested[1].subcommand == "ps");
  CHECK(read_docker_commands("cat <<EOF\ndocker compose down -v\nEOF").empty());
  CHECK(read_docker_commands("echo docker ps").empty());
}

TEST_CASE("doc-tests: docker commands whose output ends, on the environment's daemon", "[model]") {
  auto refusal = [](std::string_view line) { return docker_doctest_refusal(one(line)); };
  for (const char* ok : {"docker compose ps", "docker ps -a", "docker inspect app", "docker compose logs --tail 20 worker", "docker logs -n 5 app",
                         "docker stats --no-stream", "docker compose top", "docker image ls", "docker compose port api 80",
                         "docker events --since 1h --until 0s", "docker compose restart worker"}) {
    INFO(ok);
    CHECK(refusal(ok).empty());  // whether it only reads is the classifier's call
  }
  CHECK(refusal("docker compose logs -f worker") == "docker compose logs follows the log until stopped: not run as a doc-test");
  CHECK(refusal("docker logs -tf app") == "docker logs follows the log until stopped: not run as a doc-test");
  CHECK(refusal("docker compose logs worker") == "docker compose logs prints the whole log: add --tail N: not run as a doc-test");
  CHECK(refusal("docker logs --tail all app") == "docker logs prints the whole log: add --tail N: not run as a doc-test");
  CHECK(refusal("docker stats") == "docker stats streams until stopped: add --no-stream: not run as a doc-test");
  CHECK(refusal("docker compose events") == "docker compose events streams events until stopped: not run as a doc-test");
  CHECK(refusal("docker wait app") == "docker wait waits until the container stops: not run as a doc-test");
  // docker wait sends POST .../wait (it changes nothing: rated read-only, never a doc-test).
  CHECK(refusal("docker container wait app") == "docker wait waits until the container stops: not run as a doc-test");
  // Global options as the safety table lists them (@globals): -v is a flag, --insecure-registry takes a value.
  CHECK(refusal("docker -v ps") == "");
  CHECK(refusal("docker compose --insecure-registry r.local ps") == "");
  CHECK(refusal("docker -H ssh://x ps") == "docker ps addresses another Docker daemon or configuration (-H, --context, --config or DOCKER_HOST=): not run as a doc-test");
  CHECK(refusal("env DOCKER_HOST=tcp://10.0.0.5:2375 docker ps") ==
        "docker ps addresses another Docker daemon or configuration (-H, --context, --config or DOCKER_HOST=): not run as a doc-test");
}

TEST_CASE("placeholders in docker names", "[model]") {
  for (const char* p : {"<service>", "$SVC", "${SVC}", "{{svc}}", "[name]", "app-*"}) CHECK(docker_name_has_placeholder(p));
  CHECK_FALSE(docker_name_has_placeholder("shop-db-1"));
  CHECK_FALSE(docker_name_has_placeholder("shop_db.1"));
}

TEST_CASE("doc-tests: docker commands that never end or reach another daemon however they are spelled (hostile review)", "[model]") {
  auto refusal = [](std::string_view line) { return docker_doctest_refusal(one(line)); };
  CHECK(refusal("docker -Hunix:///tmp/other.sock ps") == "docker ps addresses another Docker daemon or configuration (-H, --context, --config or DOCKER_HOST=): not run as a doc-test");
  CHECK(refusal("docker --config /tmp/d ps") == "docker ps addresses another Docker daemon or configuration (-H, --context, --config or DOCKER_HOST=): not run as a doc-test");
  CHECK(refusal("docker system events --filter type=container") == "docker system is not known to end on its own: not run as a doc-test");
  CHECK(refusal("docker events --until 2099-01-01T00:00:00") == "docker events streams events until stopped: not run as a doc-test");
  CHECK(refusal("docker stats --no-stream=false web") == "docker stats streams until stopped: add --no-stream: not run as a doc-test");
  CHECK(refusal("docker logs --tail 5 web --follow") == "docker logs follows the log until stopped: not run as a doc-test");
  CHECK(refusal("docker logs --tail -1 web") == "docker logs prints the whole log: add --tail N: not run as a doc-test");
  CHECK(refusal("docker logs --tail x web") == "docker logs prints the whole log: add --tail N: not run as a doc-test");
  CHECK(refusal("docker volume ls").empty());
}

TEST_CASE("doc-tests: repeated flags, shells and a dropped DOCKER_HOST do not get past the bounds (hostile review round 2)", "[model]") {
  auto refusal = [](std::string_view line) {
    std::string out;
    for (const auto& c : read_docker_commands(line)) {
      if (std::string r = docker_doctest_refusal(c); !r.empty()) out = r;
    }
    return out;
  };
  CHECK(refusal("docker stats --no-stream --no-stream=false web") == "docker stats streams until stopped: add --no-stream: not run as a doc-test");
  CHECK(refusal("docker events --until 5m --until 2099-01-01T00:00:00") == "docker events streams events until stopped: not run as a doc-test");
  CHECK(refusal("sh -c 'docker -H unix:///tmp/other.sock ps'") == "docker ps addresses another Docker daemon or configuration (-H, --context, --config or DOCKER_HOST=): not run as a doc-test");
  CHECK(refusal("bash -c 'docker stats web'") == "docker stats streams until stopped: add --no-stream: not run as a doc-test");
  CHECK(refusal("env -i docker ps") == "docker ps addresses another Docker daemon or configuration (-H, --context, --config or DOCKER_HOST=): not run as a doc-test");
  CHECK(refusal("unset DOCKER_HOST; docker ps") == "docker ps addresses another Docker daemon or configuration (-H, --context, --config or DOCKER_HOST=): not run as a doc-test");
  CHECK(refusal("docker exec web cat /etc/hostname") == "docker exec runs a process in a container (the Engine API's exec and start are writes): not run as a doc-test");
  CHECK(refusal("docker stats --no-stream web").empty());
  CHECK(refusal("sh -c 'docker ps'").empty());
}

TEST_CASE("doc-tests: clusters, prefixes, unknown options, shell expansion and wrappers do not get past the bounds (hostile review round 4)", "[model]") {
  auto refusal = [](std::string_view line) {
    std::string out;
    for (const auto& c : read_docker_commands(line)) {
      if (std::string r = docker_doctest_refusal(c); !r.empty() && out.empty()) out = r;
    }
    return out;
  };
  const std::string other = "addresses another Docker daemon or configuration (-H, --context, --config or DOCKER_HOST=): not run as a doc-test";
  // A cluster ending in an option that takes a value: -D, then -l info; -D, then -H unix://...
  CHECK(one("docker -Dl info stop web").subcommand == "stop");
  CHECK(refusal("docker -DHunix:///tmp/other.sock ps") == "docker ps " + other);
  // docker-compose v1 accepts prefixes of long options: opsbook reads only the exact ones.
  CHECK(refusal("docker-compose --hos=tcp://127.0.0.1:23750 ps") ==
        "docker compose ps has option --hos, which opsbook does not know (what it does to the command is not known): not run as a doc-test");
  CHECK(refusal("docker-compose logs --tail 5 --fol web") ==
        "docker compose logs has option --fol, which opsbook does not know (what it does to the command is not known): not run as a doc-test");
  CHECK(one("docker-compose --tlscacert ps stop web").subcommand == "stop");
  // The last --tail counts, in every spelling.
  for (const char* line : {"docker logs --tail 5 --tail all web", "docker logs -n 5 -n -1 web", "docker logs --tail 5 web -n=all", "docker logs -n5 -nall web"}) {
    INFO(line);
    CHECK(refusal(line) == "docker logs prints the whole log: add --tail N: not run as a doc-test");
  }
  CHECK(refusal("docker logs -n=5 web").empty());
  CHECK(refusal("docker logs -tn5 web").empty());
  CHECK(refusal("docker logs --tail 5 -f=false web").empty());
  CHECK(refusal("docker logs --tail 5 -tf web") == "docker logs follows the log until stopped: not run as a doc-test");
  // Words the shell rewrites before docker sees them.
  CHECK(refusal("docker logs --tail 5 {-f,web}") == "docker logs has a word the shell expands at run time ({-f,web}): not run as a doc-test");
  CHECK(refusal("docker logs --tail 5 web --follow{,}") == "docker logs has a word the shell expands at run time (--follow{,}): not run as a doc-test");
  CHECK(refusal("docker logs --tail 5 $(echo -f) web") == "docker logs has a word the shell expands at run time ($(echo -f)): not run as a doc-test");
  CHECK(refusal("docker stats --no-stream {--no-stream=false,web}").find("a word the shell expands") != std::string::npos);
  CHECK(refusal("docker logs --tail 5 'web'").empty());
  CHECK(refusal("docker ps --format '{{.Names}}'").empty());
  // Wrappers that append words, repeat the command or drop the environment's daemon.
  CHECK(refusal("echo -f web | xargs docker logs --tail 5") == "docker logs runs behind xargs, which may change what it does: not run as a doc-test");
  CHECK(refusal("watch -n 1 docker ps") == "docker ps runs behind watch, which may change what it does: not run as a doc-test");
  CHECK(refusal("env -vi docker ps") == "docker ps runs behind env, which may change what it does: not run as a doc-test");
  CHECK(refusal("env --unse=DOCKER_HOST docker ps") == "docker ps runs behind env, which may change what it does: not run as a doc-test");
  CHECK(refusal("unset DOCKER_{HOST,X}; docker ps") == "docker ps " + other);
  // Round 5: a command the table does not know in front, variables set in front, --env-file.
  CHECK(refusal("prlimit env docker -H unix:///tmp/other.sock logs --tail 5 web") == "docker logs " + other);
  CHECK(refusal("prlimit env docker logs --tail 5 web") == "docker logs runs behind prlimit, which may change what it does: not run as a doc-test");
  CHECK(refusal("PYTHONUSERBASE=pub docker-compose ps") == "docker compose ps runs with PYTHONUSERBASE set, which may change what it does: not run as a doc-test");
  CHECK(refusal("docker-compose --env-file sub/x.env ps") ==
        "docker compose ps reads variables from sub/x.env, which may choose another daemon: not run as a doc-test");
  CHECK(read_docker_commands("echo docker ps").empty());
  CHECK(refusal("docker compose config -o /tmp/merged.yml") == "docker compose config writes to /tmp/merged.yml: not run as a doc-test");
  CHECK(refusal("docker compose config --services").empty());
}
