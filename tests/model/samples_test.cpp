// What a reader sees in the shared sample runbooks, asserted on the model.
#include <algorithm>
#include <catch2/catch.hpp>

#include "model/loader.hpp"
#include "model/parser.hpp"
#include "support.hpp"

using namespace opsbook;
using model::Safety;

namespace {

model::Runbook load_sample(const std::string& name) {
  std::string path = test::samples_dir() + "/" + name;
  return model::parse_runbook(path, model::path_slug(name), test::read_file(path));
}

const model::Checklist* checklist(const model::Runbook& rb, const std::string& id) {
  for (const auto& c : rb.checklists) {
    if (c.id == id) return &c;
  }
  return nullptr;
}

std::vector<std::string> endpoint_urls(const model::Runbook& rb, const std::string& source) {
  std::vector<std::string> out;
  for (const auto& e : rb.endpoints) {
    if (e.source == source) out.push_back(e.url);
  }
  return out;
}

}  // namespace

TEST_CASE("cv-evaluator: rollback procedure, health endpoints, destructive snippets", "[model][samples]") {
  model::Runbook rb = load_sample("cv-evaluator-operations.md");
  REQUIRE_FALSE(rb.diagnostics.has_errors());
  CHECK(rb.title == "Operations Runbook");

  const model::Checklist* rollback = checklist(rb, "cv-evaluator-operations/rollback-procedure");
  REQUIRE(rollback != nullptr);
  CHECK(rollback->kind == model::ChecklistKind::procedure);
  REQUIRE(rollback->items.size() == 3);
  CHECK(rollback->items[0].text == "Identify previous working tag:");
  CHECK(rollback->items[0].id == "cv-evaluator-operations/rollback-procedure/1");
  CHECK(rollback->items[0].line == 87);
  CHECK(rollback->items[1].text == "Update docker-compose.prod.yml with previous tag:");
  CHECK(rollback->items[2].text == "Deploy rollback:");
  // The code blocks nested in the steps belong to them.
  REQUIRE(rollback->items[0].snippets.size() == 1);
  const model::Snippet* images = rb.find_snippet(rollback->items[0].snippets[0]);
  REQUIRE(images != nullptr);
  CHECK(images->code == "docker images | grep ai-cv-evaluator\n");
  CHECK(images->safety == Safety::read_only);
  CHECK(images->code_line == 89);

  // Health-check table: /healthz and /readyz expect 200, /metrics any 2xx.
  std::vector<model::Endpoint> table;
  for (const auto& e : rb.endpoints) {
    if (e.source == "table") table.push_back(e);
  }
  REQUIRE(table.size() == 3);
  CHECK(table[0].url == "/healthz");
  CHECK(table[0].expect_status == "200");
  CHECK(table[0].line == 213);
  CHECK(table[1].url == "/readyz");
  CHECK(table[1].expect_status == "200");
  CHECK(table[2].url == "/metrics");
  CHECK(table[2].expect_status.empty());

  // curl commands in snippets, with -k remembered.
  std::vector<std::string> cmds = endpoint_urls(rb, "command");
  CHECK(std::count(cmds.begin(), cmds.end(), "https://ai-cv-evaluator.web.id/healthz") == 2);
  CHECK(std::count(cmds.begin(), cmds.end(), "https://ai-cv-evaluator.web.id/readyz") == 1);
  auto local = std::find_if(rb.endpoints.begin(), rb.endpoints.end(), [](const auto& e) { return e.url == "https://localhost/healthz"; });
  REQUIRE(local != rb.endpoints.end());
  CHECK(local->insecure);
  CHECK(local->line == 64);

  // Destructive: the backup script's `find ... -delete`, and `rm` of the maintenance file.
  const model::Snippet* backup = rb.find_snippet("automated-backup-script-1");
  REQUIRE(backup != nullptr);
  CHECK(backup->safety == Safety::destructive);
  auto reason = std::find_if(backup->reasons.begin(), backup->reasons.end(), [](const auto& r) { return r.level == Safety::destructive; });
  REQUIRE(reason != backup->reasons.end());
  CHECK(reason->reason == "find -delete: deletes the files it finds");
  CHECK(reason->line == 262);

  // Severity of ordinary commands.
  CHECK(rb.find_snippet("verifying-health-1")->safety == Safety::read_only);
  CHECK(rb.find_snippet("memory-issues-1")->safety == Safety::mutating);
  // Contacts table kept as structured rows.
  auto contacts = std::find_if(rb.tables.begin(), rb.tables.end(), [](const auto& t) { return t.kind == model::TableKind::contacts; });
  REQUIRE(contacts != rb.tables.end());
  REQUIRE(contacts->rows.size() == 3);
  CHECK(contacts->rows[0].cells == std::vector<std::string>{"Platform Team", "(define contact method)"});
}

TEST_CASE("fastapi-celery: task list, health-check table, port mapping", "[model][samples]") {
  model::Runbook rb = load_sample("fastapi-celery-operations.md");
  REQUIRE_FALSE(rb.diagnostics.has_errors());

  const model::Checklist* pre = checklist(rb, "fastapi-celery-operations/pre-deployment-checklist");
  REQUIRE(pre != nullptr);
  CHECK(pre->kind == model::ChecklistKind::tasklist);
  CHECK(pre->title == "Checklist");
  REQUIRE(pre->items.size() == 9);
  CHECK(pre->items[0].text == "All tests pass (75%+ coverage)");
  CHECK(pre->items[8].text == "Swagger UI accessible");
  CHECK_FALSE(pre->items[0].checked);
  CHECK(pre->items[0].line == 226);

  // The ordered table of contents is not a procedure.
  CHECK(std::none_of(rb.checklists.begin(), rb.checklists.end(), [](const auto& c) { return c.title.find("Table of Contents") != std::string::npos; }));

  // Health-check table rows with endpoints; rows without one ("-") give none.
  std::vector<model::Endpoint> table;
  for (const auto& e : rb.endpoints) {
    if (e.source == "table") table.push_back(e);
  }
  REQUIRE(table.size() == 6);
  CHECK(table[0].url == "http://localhost:6333/healthz");
  CHECK(table[0].service == "Qdrant");
  CHECK(table[0].line == 152);
  CHECK(table[1].url == "http://localhost:8000/health");
  CHECK(table[1].service == "FastAPI");
  CHECK(table[5].url == "http://localhost/health");
  // Commands in the same table are inline snippets.
  auto pg = std::find_if(rb.snippets.begin(), rb.snippets.end(), [](const auto& s) { return s.code == "pg_isready -U postgres"; });
  REQUIRE(pg != rb.snippets.end());
  CHECK(pg->is_inline);
  CHECK(pg->line == 150);
  CHECK(pg->safety == Safety::read_only);

  // Port mapping: Internal/External columns; "80/443 | 8100/8443" pairs by position.
  auto port = [&](const std::string& service, int host) {
    return std::find_if(rb.ports.begin(), rb.ports.end(), [&](const auto& p) { return p.service == service && p.port == host; });
  };
  REQUIRE(port("PostgreSQL", 5433) != rb.ports.end());
  CHECK(port("PostgreSQL", 5433)->container_port == 5432);
  CHECK(port("PostgreSQL", 5433)->line == 166);
  REQUIRE(port("Nginx", 8100) != rb.ports.end());
  CHECK(port("Nginx", 8100)->container_port == 80);
  CHECK(port("Nginx", 8443)->container_port == 443);
  // Per-environment table.
  REQUIRE(port("FastAPI App", 8001) != rb.ports.end());
  CHECK(port("FastAPI App", 8001)->environment == "STAGE");

  // Severity table and environment variables from env blocks.
  CHECK(std::any_of(rb.tables.begin(), rb.tables.end(), [](const auto& t) { return t.kind == model::TableKind::severity && t.rows.size() == 4; }));
  CHECK(std::any_of(rb.env_vars.begin(), rb.env_vars.end(), [](const auto& e) { return e.name == "DATABASE_URL" && e.source == "env-block" && e.line == 329; }));
}

TEST_CASE("chessmate: inline commands in lists, placeholders, incident checklist", "[model][samples]") {
  model::Runbook rb = load_sample("chessmate-operations.md");
  REQUIRE(rb.diagnostics.empty());

  auto logs = std::find_if(rb.snippets.begin(), rb.snippets.end(), [](const auto& s) { return s.code == "docker-compose logs -f <service>"; });
  REQUIRE(logs != rb.snippets.end());
  CHECK(logs->is_inline);
  CHECK(logs->line == 18);
  CHECK(logs->safety == Safety::read_only);
  REQUIRE(logs->params.size() == 1);
  CHECK(logs->params[0].name == "service");
  CHECK(logs->params[0].kind == model::ParamKind::placeholder);

  auto up = std::find_if(rb.snippets.begin(), rb.snippets.end(), [](const auto& s) { return s.code == "docker-compose up -d"; });
  REQUIRE(up != rb.snippets.end());
  CHECK(up->safety == Safety::mutating);

  const model::Checklist* incident = checklist(rb, "chessmate-operations/incident-response-checklist");
  REQUIRE(incident != nullptr);
  REQUIRE(incident->items.size() == 5);
  CHECK(incident->items[0].text == "Acknowledge alert in paging tool.");
  CHECK(incident->items[4].text == "Document root cause, mitigation, and follow-up tasks in docs/INCIDENTS/<date>.md.");
  CHECK(incident->items[4].id == "chessmate-operations/incident-response-checklist/5");

  // Deployment steps carry their inline commands.
  const model::Checklist* deploy = checklist(rb, "chessmate-operations/deployment");
  REQUIRE(deploy != nullptr);
  REQUIRE(deploy->items.size() == 4);
  CHECK(deploy->items[1].snippets.size() == 2);

  // "Health checks: `/health` (API), ... Qdrant `/healthz`."
  std::vector<std::string> listed = endpoint_urls(rb, "list");
  CHECK(listed == std::vector<std::string>{"/health", "/metrics", "/healthz"});
  CHECK(rb.endpoints[0].service == "API");
  CHECK(rb.endpoints[2].service == "Qdrant");
  // Secrets named in prose are environment variables to set.
  CHECK(std::any_of(rb.env_vars.begin(), rb.env_vars.end(), [](const auto& e) { return e.name == "OPENAI_API_KEY"; }));
}
