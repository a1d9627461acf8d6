// Incident documents from the samples: every section filled from the runbook or a clear
// placeholder; unknown severities; the portal's marked-up document is the CLI's.
#include <catch2/catch.hpp>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "generator/incident.hpp"
#include "support.hpp"

using namespace opsbook;

namespace {

std::string incident(const std::string& sample, const std::string& severity = "SEV1", const std::string& title = "Checkout down") {
  generator::Templates templates("");
  auto rb = test::parse(test::read_file(test::samples_dir() + "/" + sample), sample);
  return generator::render_incident(templates, rb, {title, severity, "", "2026-11-24T03:04:05Z", ""}, {});
}

bool has(const std::string& doc, const std::string& text) { return doc.find(text) != std::string::npos; }

}  // namespace

TEST_CASE("incident: front matter, timeline and the post-mortem sections for every sample", "[generator][incident]") {
  for (const char* sample : {"chessmate-operations.md", "cv-evaluator-operations.md", "fastapi-celery-operations.md"}) {
    INFO(sample);
    std::string doc = incident(sample);
    CHECK(doc.rfind("---\ntitle: \"Checkout down\"\nseverity: SEV1\nstatus: investigating\nstarted: 2026-11-24T03:04:05Z\n", 0) == 0);
    CHECK(has(doc, std::string("runbook: \"") + sample + "\"\n"));
    CHECK(has(doc, "\n# Checkout down\n"));
    CHECK(has(doc, "| 2026-11-24 03:04 | Incident opened |"));
    for (const char* section : {"## Severity", "## Timeline (UTC)", "## Response checklist", "## Health checks", "## Escalation and contacts", "## Impact",
                                "## Root cause", "## Mitigation", "## Action items", "## Lessons learned"}) {
      CHECK(has(doc, std::string("\n") + section + "\n"));
    }
    CHECK_FALSE(has(doc, "\n\n\n"));
  }
}

TEST_CASE("incident: filled from the runbook where it has the data", "[generator][incident]") {
  std::string fastapi = incident("fastapi-celery-operations.md", "sev-2");
  CHECK(has(fastapi, "**SEV2 - High** (from the runbook's severity table)\n\n- Response Time: 1 hour\n- Example: Feature broken, slow performance\n"));
  CHECK(has(fastapi, "- `http://localhost:8000/health`: expect 2xx"));
  CHECK(has(fastapi, "- [ ] ") );  // disaster recovery procedure
  std::string chess = incident("chessmate-operations.md");
  CHECK(has(chess, "### Incident Response Checklist\n\n- [ ] Acknowledge alert in paging tool. <!-- step: chessmate-operations/incident-response-checklist/1 -->\n"));
  std::string cv = incident("cv-evaluator-operations.md");
  CHECK(has(cv, "| Role | Contact |\n|---|---|\n| Platform Team | (define contact method) |"));
}

TEST_CASE("incident: without severity table or contacts the document says what to fill in", "[generator][incident]") {
  std::string chess = incident("chessmate-operations.md", "SEV3");
  CHECK(has(chess, "**SEV3**. The runbook has no severity table"));
  CHECK(has(chess, "_The runbook lists no escalation contacts. Add the on-call rota"));
  generator::Templates templates("");
  auto bare = test::parse("# Empty\n\nNothing here.\n", "empty.md");
  std::string doc = generator::render_incident(templates, bare, {"x", "sev4", "", "2026-11-24T03:04:05Z", ""}, {});
  CHECK(has(doc, "_The runbook has no incident-response checklist."));
  CHECK(has(doc, "_The runbook documents no health checks for the affected services."));
  CHECK(has(doc, "severity: SEV4\n"));
}

TEST_CASE("incident: an unknown severity lists the known ones", "[generator][incident]") {
  CHECK_THROWS_WITH(incident("fastapi-celery-operations.md", "SEV9"), "unknown severity 'SEV9'; known: SEV1, SEV2, SEV3, SEV4 (from the runbook's severity table)");
  generator::Templates templates("");
  auto bare = test::parse("# Empty\n", "empty.md");
  CHECK_THROWS_WITH(generator::render_incident(templates, bare, {"x", "SEV4", "", "2026-11-24T03:04:05Z", ""}, {"P1", "P2"}), "unknown severity 'SEV4'; known: P1, P2");
}

TEST_CASE("incident: the portal's document with its markers filled is the CLI's", "[generator][incident]") {
  generator::Templates templates("");
  auto rb = test::parse(test::read_file(test::samples_dir() + "/fastapi-celery-operations.md"), "fastapi-celery-operations.md");
  auto data = nlohmann::json::parse(generator::incident_portal_json(templates, rb, {}, ""));
  std::string doc = data["template"];
  const auto& level = data["severities"][1];
  CHECK(level["key"] == "SEV2");
  std::string title = "DB \"primary\" | down";
  std::map<std::string, std::string> values = {{"title", title}, {"title_yaml", nlohmann::json(title).dump()}, {"severity", level["key"]},
                                               {"severity_block", level["block"]}, {"started", "2026-11-24T03:04:05Z"}, {"date", "2026-11-24"}, {"time", "03:04"}};
  for (const auto& [k, v] : values) {
    std::string marker = "@@OPSBOOK:" + k + "@@";
    for (size_t p = doc.find(marker); p != std::string::npos; p = doc.find(marker, p + v.size())) doc.replace(p, marker.size(), v);
  }
  CHECK(doc == generator::render_incident(templates, rb, {title, "SEV2", "", "2026-11-24T03:04:05Z", ""}, {}));
  CHECK(generator::incident_slug(title) == "db-primary-down");
  CHECK(generator::incident_slug("  ") == "incident");
}

TEST_CASE("incident: the portal's severity starts at the runbook's own", "[generator][incident]") {
  generator::Templates templates("");
  auto with_table = [&](const std::string& severity) {
    std::string fm = severity.empty() ? "" : "---\nseverity: " + severity + "\n---\n";
    auto rb = test::parse(fm + "# R\n\n| Severity | Meaning |\n|---|---|\n| SEV1 - Critical | down |\n| SEV2 - High | slow |\n| SEV3 - Low | odd |\n");
    return nlohmann::json::parse(generator::incident_portal_json(templates, rb, {}, ""))["default"].get<std::string>();
  };
  CHECK(with_table("SEV3") == "SEV3");
  CHECK(with_table("sev 2") == "SEV2");
  CHECK(with_table("SEV2 - High") == "SEV2");
  CHECK(with_table("") == "SEV1");
  CHECK(with_table("P0") == "SEV1");  // not a level of this runbook: the first
  auto configured = test::parse("---\nseverity: minor\n---\n# R\n");
  CHECK(nlohmann::json::parse(generator::incident_portal_json(templates, configured, {"major", "minor"}, ""))["default"] == "minor");
}

TEST_CASE("incident: control characters of a runbook or a title never reach the document (s6 review)", "[generator][incident][hostile]") {
  // \x01, \x1b (a terminal escape), \r and \n, DEL, C1 (U+0085) and U+2028: each would end a line
  // of the document early (a heading of its own) or reach the terminal of whoever prints it.
  std::string md = "---\ntitle: \"Deploy\\x01\\e[31mred\\r# injected\\x7f\\u0085\\u2028x]\"\n---\n# Ignored\n\n## Incident response\n\n- [ ] Page\x1b[2J the on-call\n";
  auto rb = test::parse(md, "deploy.md");
  REQUIRE(rb.title.find('\x1b') != std::string::npos);
  generator::Templates templates("");
  std::string doc = generator::render_incident(templates, rb, {"Checkout\x1b[31m down\r\n# not a heading", "SEV1", "", "2026-11-24T03:04:05Z", ""}, {});
  for (char c : doc) {
    INFO(static_cast<int>(static_cast<unsigned char>(c)));
    CHECK((static_cast<unsigned char>(c) >= 0x20 || c == '\n'));
  }
  CHECK_FALSE(has(doc, "\u0085"));
  CHECK_FALSE(has(doc, "\u2028"));
  CHECK(has(doc, "---\ntitle: \"Checkout [31m down  # not a heading\"\n"));
  CHECK(has(doc, "\n# Checkout [31m down  # not a heading\n"));
  CHECK(has(doc, "from the runbook [Deploy  \\[31mred # injected   x\\]](deploy.md)."));
  CHECK(has(doc, "- [ ] Page [2J the on-call"));
  // The portal's form: the same document, its template as clean.
  auto portal = nlohmann::json::parse(generator::incident_portal_json(templates, rb, {}, ""));
  std::string tpl = portal["template"].get<std::string>();
  CHECK(has(tpl, "from the runbook [Deploy  \\[31mred # injected   x\\]](deploy.md)."));
  for (char c : tpl) CHECK((static_cast<unsigned char>(c) >= 0x20 || c == '\n'));
}
