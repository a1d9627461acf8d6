// Checklist export: the samples' checklists with their step counts and texts, ids that stay put
// when unrelated parts of a file change, and YAML that is the same tree.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "generator/checklist_export.hpp"
#include "model/front_matter.hpp"
#include "support.hpp"

using namespace opsbook;
using nlohmann::json;

namespace {

json export_of(const std::vector<model::Runbook>& rbs) { return json::parse(generator::checklists_json(rbs)); }

json export_sample(const std::string& name) {
  std::vector<model::Runbook> rbs;
  rbs.push_back(test::parse(test::read_file(test::samples_dir() + "/" + name), name));
  return export_of(rbs);
}

std::vector<std::string> summary(const json& j) {
  std::vector<std::string> out;
  for (const auto& c : j["checklists"]) out.push_back(c["id"].get<std::string>() + ":" + c["kind"].get<std::string>() + ":" + std::to_string(c["steps"].size()));
  return out;
}

}  // namespace

TEST_CASE("checklist export: every sample's checklists and procedures with step counts", "[generator][checklist]") {
  CHECK(summary(export_sample("chessmate-operations.md")) ==
        std::vector<std::string>{"chessmate-operations/deployment:procedure:4", "chessmate-operations/incident-response-checklist:procedure:5"});
  CHECK(summary(export_sample("cv-evaluator-operations.md")) ==
        std::vector<std::string>{"cv-evaluator-operations/rollback-procedure:procedure:3", "cv-evaluator-operations/rotating-secrets:procedure:4",
                                 "cv-evaluator-operations/planned-maintenance:procedure:5"});
  CHECK(summary(export_sample("fastapi-celery-operations.md")) ==
        std::vector<std::string>{"fastapi-celery-operations/pre-deployment-checklist:tasklist:9", "fastapi-celery-operations/disaster-recovery:procedure:5"});
}

TEST_CASE("checklist export: step texts, lines, checked state and the commands in a step", "[generator][checklist]") {
  json j = export_sample("chessmate-operations.md");
  const json& steps = j["checklists"][1]["steps"];
  CHECK(steps[0]["id"] == "chessmate-operations/incident-response-checklist/1");
  CHECK(steps[0]["n"] == 1);
  CHECK(steps[0]["text"] == "Acknowledge alert in paging tool.");
  CHECK(steps[0]["checked"] == false);
  CHECK(steps[0]["line"].get<int>() > 1);
  CHECK(j["checklists"][1]["runbook"] == "chessmate-operations.md");

  std::vector<model::Runbook> rbs;
  rbs.push_back(test::parse("# Ops\n\n## Deploy\n\n- [x] Back up: `pg_dump -Fc shop > <file>`\n- [ ] Restart: `docker compose restart worker`\n", "ops.md"));
  json k = export_of(rbs);
  const json& cl = k["checklists"][0];
  CHECK(cl["id"] == "ops/deploy");
  CHECK(cl["kind"] == "tasklist");
  CHECK(cl["steps"][0]["checked"] == true);
  CHECK(cl["steps"][0]["line"] == 5);
  REQUIRE(cl["steps"][0]["commands"].size() == 1);
  CHECK(cl["steps"][0]["commands"][0]["safety"] == "mutating");
  CHECK(cl["steps"][0]["commands"][0]["params"][0]["name"] == "file");
  CHECK(cl["steps"][1]["commands"][0]["code"] == "docker compose restart worker");
}

TEST_CASE("checklist export: ids do not change when unrelated parts of the file change", "[generator][checklist]") {
  std::string base = test::read_file(test::samples_dir() + "/fastapi-celery-operations.md");
  auto ids = [](const std::string& text) {
    std::vector<model::Runbook> rbs;
    rbs.push_back(test::parse(text, "fastapi-celery-operations.md"));
    std::vector<std::string> out;
    json j = export_of(rbs);
    for (const auto& c : j["checklists"]) {
      for (const auto& s : c["steps"]) out.push_back(s["id"].get<std::string>() + "=" + s["text"].get<std::string>());
    }
    return out;
  };
  auto before = ids(base);
  REQUIRE(before.size() == 14);
  // A new section, paragraphs, a snippet and a table before and between the checklists.
  std::string edited = base;
  size_t first_h2 = edited.find("\n## ");
  REQUIRE(first_h2 != std::string::npos);
  edited.insert(first_h2 + 1, "## Added later\n\nSome words.\n\n```bash\necho hi\n```\n\n| A | B |\n|---|---|\n| 1 | 2 |\n\n");
  edited += "\n## Appendix\n\n1. an ordered list in a new section\n2. more\n";
  auto after = ids(edited);
  after.resize(std::min(after.size(), before.size()));
  CHECK(after == before);
}

TEST_CASE("checklist export: YAML holds the same tree and parses", "[generator][checklist]") {
  std::vector<model::Runbook> rbs;
  rbs.push_back(test::parse("# Ops\n\n## Steps: \"quoted\"\n\n1. Say `echo 'a: b' # c`\n2. Then: - [x] not a task\n", "ops.md"));
  std::string yaml = generator::checklists_yaml(rbs);
  int line = 0, col = 0;
  std::string message;
  CHECK(model::check_yaml(yaml, line, col, message));
  CHECK(yaml.find("  - id: \"ops/steps-quoted\"\n") != std::string::npos);
  CHECK(yaml.find("        text: \"Say echo 'a: b' # c\"\n") != std::string::npos);
}
