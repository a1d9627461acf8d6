// Extraction helpers: params, attributes, endpoints, tables, slugs.
#include <catch2/catch.hpp>
#include <ctime>

#include "model/attributes.hpp"
#include "model/endpoints.hpp"
#include "model/params.hpp"
#include "model/slug.hpp"
#include "model/tables.hpp"
#include "support.hpp"

using namespace opsbook::model;

TEST_CASE("slugify", "[model][slug]") {
  CHECK(slugify("Backups & Restore") == "backups--restore");
  CHECK(slugify("🚨 Incident Response") == "incident-response");
  CHECK(slugify("What's up?") == "whats-up");
  CHECK(slugify("Café Ops") == "café-ops");
  CHECK(slugify("CAFÉ Über ΣΟΦΙΑ Дом") == "café-über-σοφια-дом");  // letters lower-cased beyond ASCII, as GitHub does (s10b B6)
  CHECK(slugify("!!!") == "section");
  SlugSet set;
  CHECK(set.unique("A") == "a");
  CHECK(set.unique("A") == "a-1");
  CHECK(set.unique("a-1") == "a-1-1");
}

TEST_CASE("params: placeholders and environment variables, local variables excluded", "[model][params]") {
  std::vector<Param> p;
  extract_params("BACKUP_DIR=/opt\nexport TOKEN=x\nkubectl logs <pod-name> -n {{ namespace }} > $BACKUP_DIR/$HOME/${DATABASE_URL} ${REGION:-eu} '$NOT_ME'\n",
                 10, SnippetKind::shell, BracketPlaceholders::no, p);
  REQUIRE(p.size() == 4);
  CHECK(p[0].syntax == "<pod-name>");
  CHECK(p[0].kind == ParamKind::placeholder);
  CHECK(p[0].line == 12);
  CHECK(p[1].name == "namespace");
  CHECK(p[2].name == "DATABASE_URL");
  CHECK(p[2].kind == ParamKind::env);
  CHECK(p[3].name == "REGION");
  CHECK(p[3].has_default);
}

TEST_CASE("params: square-bracket names only in inline commands, heredocs and double-bracket tests are not placeholders", "[model][params]") {
  std::vector<Param> inline_p;
  extract_params("docker compose logs [service]", 1, SnippetKind::shell, BracketPlaceholders::yes, inline_p);
  REQUIRE(inline_p.size() == 1);
  CHECK(inline_p[0].name == "service");
  std::vector<Param> none;
  extract_params("cat <<EOF\n[[ -f x ]] && grep '[a-z]' f\nEOF\n", 1, SnippetKind::shell, BracketPlaceholders::yes, none);
  CHECK(none.empty());
}

TEST_CASE("info strings", "[model][attributes]") {
  auto a = parse_info_string("bash {\"name\":\"x\",\"env\":[\"staging\",\"local\"],\"timeout\":30}");
  CHECK(a.lang == "bash");
  REQUIRE(a.attrs.size() == 3);
  CHECK(a.attrs[1].second == "staging,local");
  CHECK(a.attrs[2].second == "30");
  auto b = parse_info_string("sql {name=q1 expect-stdout=\"^ok$\" run=never}");
  REQUIRE(b.attrs.size() == 3);
  CHECK(b.attrs[1].second == "^ok$");
  auto c = parse_info_string("console # Drain, but wait 1 minute");
  CHECK(c.lang == "console");
  CHECK(c.attrs.empty());
  auto d = parse_info_string("bash {name=\"oops}");
  CHECK_FALSE(d.errors.empty());
}

TEST_CASE("endpoints from curl, wget and httpie commands", "[model][endpoints]") {
  std::vector<Endpoint> e;
  endpoints_from_command("curl -sk -X HEAD -H 'Accept: a' https://h/healthz", 3, "s1", e);
  endpoints_from_command("wget --spider -q localhost:8080/ready", 4, "s1", e);
  endpoints_from_command("curl -d x=1 http://h/api | jq .", 5, "s1", e);
  endpoints_from_command("http GET :9000/status", 6, "s1", e);
  REQUIRE(e.size() == 4);
  CHECK(e[0].url == "https://h/healthz");
  CHECK(e[0].method == "HEAD");
  CHECK(e[0].insecure);
  CHECK(e[1].url == "http://localhost:8080/ready");
  CHECK(e[1].method == "HEAD");
  CHECK(e[2].method == "POST");
  CHECK(e[3].url == "http://localhost:9000/status");
}

TEST_CASE("expected status parsing", "[model][endpoints]") {
  CHECK(parse_expected_status("`200 OK`") == "200");
  CHECK(parse_expected_status("200-204, 429") == "200-204, 429");
  CHECK(parse_expected_status("2xx") == "2xx");
  CHECK(parse_expected_status("Prometheus format") == "");
  CHECK(parse_expected_status("301 or 302") == "301, 302");
}

TEST_CASE("port cells", "[model][tables]") {
  CHECK(parse_ports("80, 443") == std::vector<int>{80, 443});
  CHECK(parse_ports("80/443") == std::vector<int>{80, 443});
  CHECK(parse_ports("8080:80") == std::vector<int>{8080, 80});
  CHECK(parse_ports("v1.2 or 99999") == std::vector<int>{});
}

TEST_CASE("tables are classified from headers and labels", "[model][tables]") {
  auto rb = opsbook::test::parse(
      "# T\n\n| Service | Port |\n|---|---|\n| api | 80, 443 |\n\n| Level | Response |\n|---|---|\n| SEV1 | 15 min |\n\n"
      "## Escalation\n\n| Tier | Who |\n|---|---|\n| 1 | on-call |\n\n| Name | Slack |\n|---|---|\n| Ann | @ann |\n");
  REQUIRE(rb.tables.size() == 4);
  CHECK(rb.tables[0].kind == TableKind::ports);
  CHECK(rb.tables[1].kind == TableKind::severity);
  CHECK(rb.tables[2].kind == TableKind::escalation);
  CHECK(rb.tables[3].kind == TableKind::escalation);  // under the Escalation heading
  REQUIRE(rb.ports.size() == 2);
  CHECK(rb.ports[1].port == 443);
  CHECK(rb.ports[1].line == 5);
}

TEST_CASE("placeholder openers without closers are read in linear time (hostile review: 200k {{ took 9.6 s)", "[model][params]") {
  std::string code = "echo " + std::string(400000, '{') + std::string(200000, '<') + std::string(200000, '[');
  std::clock_t start = std::clock();
  std::vector<Param> params;
  extract_params(code, 1, SnippetKind::shell, BracketPlaceholders::yes, params);
  double seconds = static_cast<double>(std::clock() - start) / CLOCKS_PER_SEC;
  CHECK(params.empty());
  CHECK(seconds < 5.0);  // generous for sanitizers and a busy machine; quadratic took minutes
  std::vector<Param> two;
  extract_params("kubectl logs {{ pod }} [service-name]", 1, SnippetKind::shell, BracketPlaceholders::yes, two);
  CHECK(two.size() == 2);
}
