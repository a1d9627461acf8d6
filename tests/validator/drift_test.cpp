// Drift between runbooks and docker-compose.yml / .env.example.
#include <catch2/catch.hpp>

#include "model/loader.hpp"
#include "support.hpp"
#include "validator/drift.hpp"

using namespace opsbook;

TEST_CASE("services named by compose commands", "[validator][drift]") {
  using validator::compose_services_named;
  CHECK(compose_services_named("docker compose logs -f --tail 100 worker api") == std::vector<std::string>{"worker", "api"});
  CHECK(compose_services_named("docker-compose exec -T db psql -U app") == std::vector<std::string>{"db"});
  CHECK(compose_services_named("docker compose up -d --scale worker=3") == std::vector<std::string>{});
  CHECK(compose_services_named("docker compose -f prod.yml restart worker").empty());  // another file: unknown services
  CHECK(compose_services_named("docker compose logs <service>").empty());
  CHECK(compose_services_named("sudo docker compose restart nginx && docker ps") == std::vector<std::string>{"nginx"});
}

TEST_CASE("drift: services, ports and environment variables", "[validator][drift]") {
  test::TempDir dir;
  test::write_file(dir.path() / "docker-compose.yml",
                   "services:\n  api:\n    image: app\n    ports:\n      - \"8080:80\"\n    environment:\n      - DATABASE_URL\n"
                   "  db:\n    image: postgres\n    ports:\n      - target: 5432\n        published: 5433\n  worker:\n    image: app\n");
  test::write_file(dir.path() / ".env.example", "# comment\nDATABASE_URL=postgres://x\nREDIS_URL=redis://x\nUNUSED_FLAG=1\n");
  test::write_file(dir.path() / "content/ops.md",
                   "# Ops\n\n- `docker compose restart worker`\n- `docker compose logs -f celery`\n\n| Service | Port |\n|---|---|\n| api | 8080 |\n| db | 5432 |\n\n"
                   "```env\nDATABASE_URL=postgres://app@db/app\nSENTRY_DSN=https://sentry.invalid/1\n```\n\nSet `REDIS_URL` too.\n");
  model::Diagnostics top;
  auto runbooks = model::load_runbooks(model::collect_sources({(dir.path() / "content").string()}, top), {});
  auto sources = validator::find_drift_sources("", "", (dir.path() / "content").string());
  REQUIRE(sources.compose_file == (dir.path() / "docker-compose.yml").string());
  REQUIRE(sources.env_example == (dir.path() / ".env.example").string());
  auto fs = validator::check_drift(runbooks, sources);
  std::vector<std::string> got;
  for (const auto& f : fs) got.push_back(f.rule + "@" + std::to_string(f.line) + ":" + f.message);
  CHECK(got == std::vector<std::string>{
                   "drift-service@4:service 'celery' is not in " + sources.compose_file,
                   "drift-port@9:port table says db is on 5432; " + sources.compose_file + " maps 5433:5432",
                   "drift-env@13:the runbook sets SENTRY_DSN, which " + sources.env_example + " does not list",
                   "drift-env-unused@4:UNUSED_FLAG is in " + sources.env_example + " but no runbook mentions it",
               });
  CHECK(fs[0].hint == "the compose file has: api, db, worker");
  CHECK(fs[0].source_line == "- `docker compose logs -f celery`");
}

TEST_CASE("drift: an invalid compose file is reported, nothing else breaks", "[validator][drift]") {
  test::TempDir dir;
  test::write_file(dir.path() / "compose.yml", "services: [unclosed\n");
  test::write_file(dir.path() / "content/a.md", "# A\n\n- `docker compose restart x`\n");
  model::Diagnostics top;
  auto runbooks = model::load_runbooks(model::collect_sources({(dir.path() / "content").string()}, top), {});
  auto fs = validator::check_drift(runbooks, validator::find_drift_sources("", "", (dir.path() / "content").string()));
  REQUIRE(fs.size() == 1);
  CHECK(fs[0].rule == "compose");
  CHECK(fs[0].severity == model::Severity::error);
}
