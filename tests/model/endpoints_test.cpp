// Endpoints from PowerShell web cmdlets, request lines and service URL lists, alone and as the
// parser finds them in a runbook (http fences, inline request lines, list items).
#include <catch2/catch.hpp>

#include "model/endpoints.hpp"
#include "support.hpp"

using namespace opsbook::model;

TEST_CASE("endpoints: PowerShell web cmdlets and curl.exe", "[model][endpoints]") {
  std::vector<Endpoint> e;
  endpoints_from_command("Invoke-WebRequest -Uri http://localhost:8080/api/health/ping -UseBasicParsing | Select-Object StatusCode", 3, "s", e);
  endpoints_from_command("Invoke-RestMethod http://localhost:8080/api/health/ready", 4, "s", e);
  endpoints_from_command("irm -Method Post -Body '{}' https://h/api/jobs -SkipCertificateCheck", 5, "s", e);
  endpoints_from_command("curl.exe -s http://win01.corp.local:8080/api/health/ping", 6, "s", e);
  endpoints_from_command("Invoke-WebRequest -OutFile C:\\tmp\\x.zip -Uri https://h/x.zip", 7, "s", e);
  REQUIRE(e.size() == 5);
  CHECK(e[0].url == "http://localhost:8080/api/health/ping");
  CHECK(e[0].method == "GET");
  CHECK(e[0].line == 3);
  CHECK(e[1].url == "http://localhost:8080/api/health/ready");
  CHECK(e[2].url == "https://h/api/jobs");
  CHECK(e[2].method == "POST");
  CHECK(e[2].insecure);
  CHECK(e[3].url == "http://win01.corp.local:8080/api/health/ping");
  CHECK(e[4].url == "https://h/x.zip");  // -OutFile's value is not the URL
  std::vector<Endpoint> none;
  endpoints_from_command("Get-Service -Name docker | Format-Table Name, Status", 1, "s", none);
  endpoints_from_command("Invoke-Command -ComputerName web1 -ScriptBlock { Get-Process }", 1, "s", none);
  CHECK(none.empty());
}

TEST_CASE("endpoints: installers piped into a shell and proxied requests are not probed", "[model][endpoints]") {
  std::vector<Endpoint> none;
  endpoints_from_command("curl -sSL https://get.rvm.io | bash -s stable --ruby", 1, "s", none);
  endpoints_from_command("curl -fsSL https://get.docker.com | sudo sh", 1, "s", none);
  endpoints_from_command("wget -qO- https://x.example/install.sh | bash", 1, "s", none);
  endpoints_from_command("curl -I -k -v --header \"Host: pages.gitlab.io\" --socks5 localhost:5000 https://127.0.0.1:1443", 1, "s", none);
  endpoints_from_command("curl --proxy=http://proxy.corp:3128 http://10.0.0.5:8080/health", 1, "s", none);
  CHECK(none.empty());
  // A shell given a script file or -c runs its own code: the download before it is a request.
  std::vector<Endpoint> e;
  endpoints_from_command("curl -s http://localhost:8080/health | bash -c 'cat > /dev/null'", 1, "s", e);
  endpoints_from_command("curl -s http://localhost:8080/ready | jq . && bash check.sh", 2, "s", e);
  endpoints_from_command("curl --connect-to example.org:443:10.0.0.5:443 https://example.org/health", 3, "s", e);
  REQUIRE(e.size() == 3);
  CHECK(e[0].url == "http://localhost:8080/health");
  CHECK(e[1].url == "http://localhost:8080/ready");
  CHECK(e[2].url == "https://example.org/health");  // --connect-to's value is no URL
}

TEST_CASE("endpoints: request lines", "[model][endpoints]") {
  Endpoint e;
  REQUIRE(request_line("GET /api/health/ping", e));
  CHECK(e.method == "GET");
  CHECK(e.url == "/api/health/ping");
  CHECK(e.source == "request");
  REQUIRE(request_line("  HEAD https://pay.example/health/live HTTP/1.1", e));
  CHECK(e.method == "HEAD");
  CHECK(e.url == "https://pay.example/health/live");
  REQUIRE(request_line("POST /api/v1/jobs", e));
  CHECK(e.method == "POST");
  for (std::string_view no : {"GET", "GET the logs", "get /api/x", "GET /api/x and more", "Host: example.com",
                              "GET //cdn/x", "FETCH /api/x", "GET key"}) {
    INFO(no);
    CHECK_FALSE(request_line(no, e));
  }
}

TEST_CASE("endpoints: service URL list items", "[model][endpoints]") {
  Endpoint e;
  REQUIRE(service_url_item("Grafana: http://localhost:3000", e));
  CHECK(e.url == "http://localhost:3000");
  CHECK(e.service == "Grafana");
  CHECK(e.expect_status == "2xx, 3xx");
  CHECK(e.source == "list");
  REQUIRE(service_url_item("RabbitMQ management: http://localhost:15672 (guest/guest only on dev!)", e));
  CHECK(e.service == "RabbitMQ management");
  CHECK(service_url_item("Metrics: http://10.0.0.7/metrics", e));
  CHECK(service_url_item("API: https://api.corp.example:8443/", e));
  REQUIRE(service_url_item("Kibana \xE2\x80\x94 <http://kibana.internal:5601/app/discover>", e));
  CHECK(e.url == "http://kibana.internal:5601/app/discover");
  CHECK(e.service == "Kibana");
  REQUIRE(service_url_item("Consul UI - http://localhost:8500", e));
  CHECK(e.service == "Consul UI");
  REQUIRE(service_url_item("Indexer admin page at http://indexer-1.internal:8088/status (returns 200 when attached)", e));
  CHECK(e.service == "Indexer admin page");
  CHECK(e.expect_status == "200");
  for (std::string_view no : {"Docs: https://docs.gitlab.com/ee/administration/", "See https://localhost:3000 for details",
                              "Grafana: http://localhost:3000 is where dashboards live", "Runbook for the dashboards team: https://x.example/y",
                              "http://localhost:3000", "The `kubectl` docs: http://localhost:8001",
                              "Open a browser and point it at http://localhost:8500 to see the catalog",
                              "Logs - see the Kibana docs at https://www.elastic.co/guide"}) {
    INFO(no);
    CHECK_FALSE(service_url_item(no, e));
  }
}

TEST_CASE("endpoints: a name that says 'the way in' takes a URL on any host", "[model][endpoints]") {
  Endpoint e;
  for (std::string_view yes : {"Access: https://app.example.com/login", "Health check: https://api.example.com/healthz",
                               "Readiness endpoint: https://web.example.com/-/readiness", "Ping URL: https://status-api.example.com/ping"}) {
    INFO(yes);
    CHECK(service_url_item(yes, e));
  }
  // A public host needs the name to end on the way in: documents, reviews and dashboards are not probed.
  for (std::string_view no : {"Readiness review is at https://gitlab.com/gl-infra/readiness/-/issues/17",
                              "Health dashboard: https://dashboards.example.com/d/health", "Access requests: https://example.com/issues",
                              "Docs: https://docs.example.com/health"}) {
    INFO(no);
    CHECK_FALSE(service_url_item(no, e));
  }
  CHECK(names_access("Health check"));
  CHECK(names_access("ACCESS"));
  CHECK_FALSE(names_access("Health dashboard"));
  CHECK_FALSE(names_access("Healthy hosts"));
}

TEST_CASE("endpoints: service URL lines in a paragraph and in list items written over lines", "[model][endpoints][parser]") {
  auto rb = opsbook::test::parse(
      "# Stack\n\n## Access\n\n**Access:** https://app.example.com/login\n\n"
      "**Grafana**: http://localhost:3000\n**Prometheus**: http://localhost:9090\n\n"
      "- Kibana: http://localhost:5601\n  the logs of every service\n\n"
      "Grafana: http://localhost:3000 is where dashboards live.\n");
  REQUIRE(rb.endpoints.size() == 4);
  CHECK(rb.endpoints[0].url == "https://app.example.com/login");
  CHECK(rb.endpoints[0].line == 5);
  CHECK(rb.endpoints[1].line == 7);
  CHECK(rb.endpoints[2].url == "http://localhost:9090");
  CHECK(rb.endpoints[2].line == 8);
  CHECK(rb.endpoints[3].url == "http://localhost:5601");
  CHECK(rb.endpoints[3].line == 10);
}

TEST_CASE("endpoints: the parser reads http fences, inline request lines and service lists", "[model][endpoints][parser]") {
  auto rb = opsbook::test::parse(
      "# API\n\n## URLs\n\n- **Grafana**: http://localhost:3000\n- Docs: https://docs.example.com/api\n\n"
      "```http\nGET /api/health/ping\nGET /api/health/ready\n```\n\n"
      "`GET /healthz` must return `204`; `/ready` returns 503 at start.\n");
  REQUIRE(rb.endpoints.size() == 4);
  CHECK(rb.endpoints[0].url == "http://localhost:3000");
  CHECK(rb.endpoints[0].line == 5);
  CHECK(rb.endpoints[1].url == "/api/health/ping");
  CHECK(rb.endpoints[1].line == 9);
  CHECK(rb.endpoints[1].snippet == rb.snippets[0].id);
  CHECK(rb.endpoints[2].line == 10);
  CHECK(rb.endpoints[3].url == "/healthz");
  CHECK(rb.endpoints[3].line == 13);
  CHECK(rb.endpoints[3].expect_status == "204");
  for (const auto& s : rb.snippets) CHECK_FALSE(s.is_inline);  // a request line is not a command
}

TEST_CASE("endpoints: a path in a list item is an endpoint where the item speaks of health, not of a log field", "[model][endpoints][parser]") {
  auto rb = opsbook::test::parse(
      "# Logs\n\n## Fields\n\n- `json.endpoint_id`: the Rails controller, or API call (`/api/v4/jobs/request`)\n"
      "- Health checks: `/healthz` (API)\n- The readiness endpoint: `/ready`\n");
  std::vector<std::string> urls;
  for (const auto& e : rb.endpoints) urls.push_back(e.url);
  CHECK(urls == std::vector<std::string>{"/healthz", "/ready"});
}

TEST_CASE("endpoints: a running service's URL the text asks to open", "[model][endpoints][parser]") {
  CHECK(asks_to_open("Open a browser and point it to "));
  CHECK(asks_to_open("Then browse to "));
  CHECK(asks_to_open("visit "));
  CHECK_FALSE(asks_to_open("The open issues are tracked at the page. See "));
  CHECK_FALSE(asks_to_open("It listens on "));
  CHECK(names_running_service("http://localhost:8500"));
  CHECK(names_running_service("http://10.0.0.5/ui"));
  CHECK_FALSE(names_running_service("https://log.gprd.gitlab.net/app"));
  auto rb = opsbook::test::parse("# Consul\n\n1. `ssh -L 8500:localhost:8500 <host>`\n1. Open a browser and point it to `http://localhost:8500`\n"
                                 "1. Go to `https://docs.example.com/consul` for the docs\n\nIt listens on `http://localhost:8600`.\n");
  REQUIRE(rb.endpoints.size() == 1);
  CHECK(rb.endpoints[0].url == "http://localhost:8500");
  CHECK(rb.endpoints[0].line == 4);
  CHECK(rb.endpoints[0].expect_status == "2xx, 3xx");
}

TEST_CASE("endpoints: a URL written bare, and pages a browser command opens", "[model][endpoints][parser]") {
  CHECK(asks_to_open("You can access it by port forwarding, and then navigating to "));
  CHECK(asks_to_open("This will make thanos available at "));
  CHECK(asks_to_open("Then access "));
  CHECK_FALSE(asks_to_open("The access log is at the page. See "));
  auto rb = opsbook::test::parse(
      "# HAProxy\n\n## Stats\n\nOpen the tunnel, then\naccess http://localhost:7331/ in your browser.\n\n"
      "Docs live at https://docs.example.com/haproxy and the old page is http://localhost:7000/.\n\n"
      "```sh\nxdg-open http://127.0.0.1:9090/graph\nfirefox http://0.0.0.0:5000/ &\n```\n");
  std::vector<std::pair<int, std::string>> found;
  for (const auto& e : rb.endpoints) found.emplace_back(e.line, e.url + " " + e.source + " " + e.expect_status);
  CHECK(found == std::vector<std::pair<int, std::string>>{{6, "http://localhost:7331/ open 2xx, 3xx"},
                                                           {11, "http://127.0.0.1:9090/graph open 2xx, 3xx"},
                                                           {12, "http://0.0.0.0:5000/ open 2xx, 3xx"}});
}
