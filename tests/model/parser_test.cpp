// Parser: sections and slugs, fenced and console snippets, attributes, exact lines after front
// matter, and every kind of bad input.
#include <catch2/catch.hpp>
#include <chrono>

#include "model/parser.hpp"
#include "support.hpp"

using namespace opsbook;
using opsbook::test::parse;

TEST_CASE("sections get GitHub-like unique slugs and a tree", "[model][parser]") {
  auto rb = parse("# Title\n\n## Setup & Run\n\n### Setup & Run\n\n## 🚀 Deploy\n\n## Setup & Run\n");
  REQUIRE(rb.sections.size() == 5);
  CHECK(rb.title == "Title");
  CHECK(rb.sections[1].slug == "setup--run");
  CHECK(rb.sections[2].slug == "setup--run-1");
  CHECK(rb.sections[2].parent == 1);
  CHECK(rb.sections[3].slug == "deploy");
  CHECK(rb.sections[4].slug == "setup--run-2");
  CHECK(rb.sections[4].parent == 0);
}

TEST_CASE("front matter: fields, unknown keys kept, lines after it exact", "[model][parser]") {
  auto rb = parse(
      "---\ntitle: Restart the worker\nservices: [worker, redis]\ntags: queue, redis\nowner: platform\nteam_channel: '#ops'\n---\n"
      "# Heading\n\n```bash\nsystemctl restart worker\n```\n");
  REQUIRE(rb.diagnostics.empty());
  CHECK(rb.title == "Restart the worker");
  CHECK(rb.meta.services == std::vector<std::string>{"worker", "redis"});
  CHECK(rb.meta.tags == std::vector<std::string>{"queue", "redis"});
  REQUIRE(rb.meta.extra.size() == 1);
  CHECK(rb.meta.extra[0].first == "team_channel");
  CHECK(rb.meta.extra[0].second == "\"#ops\"");
  CHECK(rb.sections[0].line == 8);
  REQUIRE(rb.snippets.size() == 1);
  CHECK(rb.snippets[0].line == 10);
  CHECK(rb.snippets[0].commands[0].line == 11);
}

TEST_CASE("broken YAML front matter: error at the YAML line, the body still parses", "[model][parser][errors]") {
  auto rb = parse("---\ntitle: ok\nservices: [a, b\n---\n# Body\n", "broken.md");
  REQUIRE(rb.diagnostics.items().size() == 1);
  const auto& d = rb.diagnostics.items()[0];
  CHECK(d.rule == "front-matter");
  CHECK(d.severity == model::Severity::error);
  CHECK(d.loc.line == 4);
  CHECK(model::render(d, rb.source) ==
        "broken.md:4:1: error[front-matter]: invalid YAML front matter: end of sequence flow not found\n"
        " 4 | ---\n"
        "   | ^\n"
        "  hint: fix the YAML between the '---' lines (quote values that contain ':' or '#')\n");
  CHECK(rb.title == "Body");
}

TEST_CASE("unclosed fence: error with file, line and caret", "[model][parser][errors]") {
  auto rb = parse("# T\n\ntext\n\n```bash\necho hi\n", "runbook.md");
  REQUIRE(rb.diagnostics.items().size() == 1);
  CHECK(model::render(rb.diagnostics.items()[0], rb.source) ==
        "runbook.md:5:1: error[unclosed-fence]: code fence opened here is never closed; the rest of the file is read as code\n"
        " 5 | ```bash\n"
        "   | ^\n"
        "  hint: add a closing ``` line\n");
}

TEST_CASE("invalid UTF-8 is an error with line and column: parsing goes on", "[model][parser][errors]") {
  auto rb = parse("# T\n\nbad \xC3\x28 byte\n\n## Next\n");
  REQUIRE(rb.diagnostics.items().size() == 1);
  CHECK(rb.diagnostics.items()[0].rule == "encoding");
  CHECK(rb.diagnostics.items()[0].loc.line == 3);
  CHECK(rb.diagnostics.items()[0].loc.col == 5);
  CHECK(rb.sections.size() == 2);
}

TEST_CASE("double-encoded UTF-8 (mojibake) is valid text and parses", "[model][parser]") {
  auto rb = parse("# \xC3\xB0\xC5\xB8\xC5\xA1\xC2\xA8 Incident\n\n- [ ] page \xC3\xB0\xC5\xB8\xC5\xA1\xC2\xA8\n");
  CHECK(rb.diagnostics.empty());
  REQUIRE(rb.checklists.size() == 1);
  CHECK(rb.sections[0].slug == "ðÿš-incident");  // non-ASCII letters kept, lower-cased (Ÿ -> ÿ) as GitHub does
}

TEST_CASE("empty and binary files", "[model][parser][errors]") {
  auto empty = parse("", "docs/empty-runbook.md");
  REQUIRE(empty.diagnostics.items().size() == 1);
  CHECK(empty.diagnostics.items()[0].severity == model::Severity::warning);
  CHECK(empty.title == "empty runbook");
  auto binary = parse(std::string("\x89PNG\r\n\x1a\n\0\0\0\rIHDR", 16), "logo.md");
  REQUIRE(binary.diagnostics.items().size() == 1);
  CHECK(binary.diagnostics.items()[0].rule == "binary");
  CHECK(binary.diagnostics.has_errors());
}

TEST_CASE("fence attributes in JSON and key=value form: unknown keys warn", "[model][parser]") {
  auto rb = parse(
      "# Ops\n\n```bash {\"name\":\"restart-worker\",\"run\":\"confirm\"}\nsystemctl restart worker\n```\n\n"
      "```sql {name=count-jobs service=orders-db expect-status=200-204, 429 colour=red}\nSELECT count(*) FROM jobs;\n```\n");
  REQUIRE(rb.snippets.size() == 2);
  CHECK(rb.snippets[0].id == "restart-worker");
  CHECK(*rb.snippets[0].attr("run") == "confirm");
  CHECK(rb.snippets[1].id == "count-jobs");
  CHECK(*rb.snippets[1].attr("service") == "orders-db");
  CHECK(*rb.snippets[1].attr("expect-status") == "200-204, 429");
  CHECK(rb.snippets[1].kind == model::SnippetKind::sql);
  REQUIRE(rb.diagnostics.items().size() == 1);
  CHECK(rb.diagnostics.items()[0].message == "unknown attribute 'colour'");
  CHECK(rb.diagnostics.items()[0].loc.line == 7);
}

TEST_CASE("console blocks: prompts are commands, the rest expected output", "[model][parser]") {
  auto rb = parse("# T\n\n```console\n$ curl -s http://localhost:8080/healthz\nok\n$ redis-cli \\\n  ping\nPONG\n```\n");
  REQUIRE(rb.snippets.size() == 1);
  const auto& s = rb.snippets[0];
  CHECK(s.kind == model::SnippetKind::shell);
  REQUIRE(s.commands.size() == 2);
  CHECK(s.commands[0].text == "curl -s http://localhost:8080/healthz");
  CHECK(s.commands[0].line == 4);
  CHECK(s.commands[1].text == "redis-cli ping");
  CHECK(s.commands[1].line == 6);
  CHECK(s.expected_output == "ok\nPONG\n");
  REQUIRE(rb.endpoints.size() == 1);
  CHECK(rb.endpoints[0].line == 4);
}

TEST_CASE("a shell block written as a transcript is read like a console block", "[model][parser]") {
  auto rb = parse("# T\n\n```shell\n$ sudo rm perf.data\n$ ls\nperf.old\n```\n");
  REQUIRE(rb.snippets.size() == 1);
  REQUIRE(rb.snippets[0].commands.size() == 2);
  CHECK(rb.snippets[0].commands[0].text == "sudo rm perf.data");
  CHECK(rb.snippets[0].reasons.at(0).reason == "rm: deletes data irrecoverably");
  CHECK(rb.snippets[0].expected_output == "perf.old\n");
}

TEST_CASE("snippets without a language: commands are shell, diagrams are text", "[model][parser]") {
  auto rb = parse("# T\n\n```\nsudo systemctl restart nginx\n```\n\n```\n+---+\n| a |\n+---+\n```\n");
  REQUIRE(rb.snippets.size() == 2);
  CHECK(rb.snippets[0].kind == model::SnippetKind::shell);
  CHECK(rb.snippets[0].safety == model::Safety::mutating);
  CHECK(rb.snippets[1].kind == model::SnippetKind::text);
}

TEST_CASE("derived snippet ids follow the heading and index", "[model][parser]") {
  auto rb = parse("# Ops\n\n## Restart Worker\n\n```bash\nsystemctl restart w\n```\n\n1. Check `systemctl status w`\n2. Done\n");
  REQUIRE(rb.snippets.size() == 2);
  CHECK(rb.snippets[0].id == "restart-worker-1");
  CHECK(rb.snippets[1].id == "restart-worker-2");
  CHECK(rb.snippets[1].is_inline);
  REQUIRE(rb.checklists.size() == 1);
  CHECK(rb.checklists[0].id == "test/restart-worker");
  CHECK(rb.checklists[0].items[0].snippets == std::vector<std::string>{"restart-worker-2"});
}

TEST_CASE("procedures under bold labels: nested ordered lists are not procedures", "[model][parser]") {
  auto rb = parse("# Ops\n\n## Outage\n\n**Immediate Actions**:\n\n1. Page\n2. Triage\n   1. sub a\n   2. sub b\n\n- [x] done\n  - [ ] nested\n");
  REQUIRE(rb.checklists.size() == 2);
  CHECK(rb.checklists[0].title == "Immediate Actions");
  CHECK(rb.checklists[0].items.size() == 2);
  CHECK(rb.checklists[1].id == "test/outage-2");
  REQUIRE(rb.checklists[1].items.size() == 2);
  CHECK(rb.checklists[1].items[0].checked);
  CHECK(rb.checklists[1].items[1].depth == 1);
  CHECK(rb.checklists[1].items[1].id == "test/outage-2/2");
}

TEST_CASE("checklist ids do not change when unrelated parts of the file change", "[model][parser]") {
  std::string base = "# Ops\n\n## Deploy\n\n1. a\n2. b\n\n## Rollback\n\n- [ ] x\n";
  auto before = parse(base);
  auto after = parse("# Ops\n\nIntro paragraph.\n\n## Notes\n\n```bash\necho\n```\n\n" + base.substr(6) + "\nMore text.\n");
  REQUIRE(before.checklists.size() == 2);
  REQUIRE(after.checklists.size() == 2);
  for (size_t i = 0; i < 2; ++i) {
    CHECK(before.checklists[i].id == after.checklists[i].id);
    CHECK(before.checklists[i].items[0].id == after.checklists[i].items[0].id);
  }
}

#ifndef OPSBOOK_TIME_SLACK
#define OPSBOOK_TIME_SLACK 1.0
#endif

TEST_CASE("pathological inputs finish quickly", "[model][parser][slow]") {
  using clock = std::chrono::steady_clock;
  const double slack = OPSBOOK_TIME_SLACK;
  auto bounded = [](const std::string& doc) {
    auto start = clock::now();
    auto rb = parse(doc);
    return std::chrono::duration<double>(clock::now() - start).count();
  };
  std::string nested;
  for (int i = 0; i < 5000; ++i) nested += std::string(static_cast<size_t>(i % 200), ' ') + "- item\n";
  CHECK(bounded(nested) < 5.0 * slack);
  std::string quotes(100000, '>');
  CHECK(bounded(quotes + " deep\n") < 5.0 * slack);
  std::string table = "| a | b |\n|---|---|\n";
  for (int i = 0; i < 50000; ++i) table += "| `curl http://h/" + std::to_string(i) + "` | 200 |\n";
  CHECK(bounded(table) < 10.0 * slack);
  // An 8 MB file of ordinary runbook text (~70,000 snippets): about 2 s when parsing is linear,
  // far beyond the bound if any step rescanned the document per snippet. bench/parse.sh measures
  // speed; this only guards the shape.
  std::string chunk = "## Step\n\n```bash\ndocker compose restart worker <svc>\ncurl -k https://h/healthz\n```\n\n- [ ] check `redis-cli ping`\n\n";
  std::string big;
  big.reserve(8u << 20);
  while (big.size() < (8u << 20)) big += chunk;
  model::ParseOptions unlimited;  // above the default limits (runbook_bytes, snippets) on purpose
  unlimited.limits.runbook_bytes = size_t{64} << 20;
  unlimited.limits.snippets = 1000000;
  auto start = clock::now();
  auto rb = model::parse_runbook("big.md", "big", std::move(big), unlimited);
  double seconds = std::chrono::duration<double>(clock::now() - start).count();
  CHECK(rb.snippets.size() > 70000);
  CHECK(seconds < 30.0 * slack);
}

TEST_CASE("parser: a shell block whose line is a brace group or a quoted program keeps it as a command (s5d review)", "[model][parser]") {
  auto rb = parse("# T\n\n```bash\n{ rm -rf /srv/x; }\n```\n\n```bash\ndocker ps\n{ docker rm -f web; }\n```\n\n```sh\n\"$HOME/bin/cleanup\" --all\n```\n");
  REQUIRE(rb.snippets.size() == 3);
  CHECK(rb.snippets[0].safety == model::Safety::destructive);
  REQUIRE(rb.snippets[1].commands.size() == 2);
  CHECK(rb.snippets[1].commands[1].text == "{ docker rm -f web; }");
  CHECK(rb.snippets[1].safety == model::Safety::destructive);
  REQUIRE(rb.snippets[2].commands.size() == 1);
  CHECK(rb.snippets[2].commands[0].text == "\"$HOME/bin/cleanup\" --all");
}

TEST_CASE("control characters: one control-character error a line, at its column, escaped in the message", "[model][parser][hostile]") {
  auto rb = parse("# H\n\n```bash\nrm -rf / \x1b[8m--hidden\x1b[0m\n```\n\nSee `a\x07" "b`, and text \r over\r\nCR-LF is fine\r\n");
  std::vector<std::string> shown;
  for (const auto& d : rb.diagnostics.items()) {
    if (d.rule == "control-character") shown.push_back(std::to_string(d.loc.line) + ":" + std::to_string(d.loc.col) + " " + d.message.substr(0, 22));
  }
  CHECK(shown == std::vector<std::string>{"4:10 control character \\x1b", "7:7 control character \\x07"});
}

TEST_CASE("a file whose lines end in CR alone is one encoding error and is not read", "[model][parser][hostile]") {
  auto rb = parse("---\rtitle: CR\r---\r# CR\r\r```bash\recho hi\r```\r");
  REQUIRE(rb.diagnostics.items().size() == 1);
  CHECK(model::render(rb.diagnostics.items()[0], rb.source) ==
        "test.md: error[encoding]: the lines end in CR alone (classic Mac OS line endings); not read as a runbook\n"
        "  hint: convert the line endings to LF (e.g. mac2unix FILE, or tr '\\r' '\\n' < FILE)\n");
  CHECK_FALSE(rb.readable);
  CHECK(rb.snippets.empty());
}

TEST_CASE("a request line's status is read from the sentence after that span, not after an earlier equal one", "[model][parser]") {
  auto rb = parse("# H\n\n`GET /ping` must return `204`; later `GET /ping` must return `503`.\n");
  REQUIRE(rb.endpoints.size() == 2);
  CHECK(rb.endpoints[0].expect_status == "204");
  CHECK(rb.endpoints[1].expect_status == "503");
}
