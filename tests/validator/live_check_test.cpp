// The live planner with fake probes: what is probed, what is refused before any connection,
// what is skipped and why, and how outcomes become findings at markdown lines.
#include <catch2/catch.hpp>

#include "support.hpp"
#include "validator/live_check.hpp"

using namespace opsbook;
using validator::LiveResult;

namespace {

struct Fakes {
  std::vector<validator::HttpRequest> http;
  std::vector<validator::TcpTarget> tcp;
  std::vector<validator::SqlTask> sql;
  std::vector<std::string> dsns;
  std::vector<validator::RedisTask> redis;
  std::vector<validator::DockerQuery> docker;
  validator::DockerSnapshot snapshot;
  std::vector<int> tcp_down;  // ports that refuse connections
  int http_status = 200;
  bool pg_fails = false;
  bool sql_fails = false;  // the last statement of each task fails on the server

  validator::LiveProbes probes() {
    validator::LiveProbes p;
    p.http = [this](const std::vector<validator::HttpRequest>& reqs, const validator::TargetPolicy&, const validator::ProbeLimits&) {
      http = reqs;
      std::vector<validator::HttpResult> out(reqs.size());
      for (auto& r : out) r.status = http_status, r.attempts = 1;
      return out;
    };
    p.tcp = [this](const std::vector<validator::TcpTarget>& t, const validator::ProbeLimits&) {
      tcp = t;
      std::vector<validator::TcpResult> out(t.size());
      for (size_t i = 0; i < t.size(); ++i) {
        out[i].connected = std::find(tcp_down.begin(), tcp_down.end(), t[i].port) == tcp_down.end();
        if (!out[i].connected) out[i].error = "connection refused";
      }
      return out;
    };
    p.postgres = [this](const std::vector<std::string>& d, const std::vector<validator::SqlTask>& tasks, const validator::ProbeLimits&) {
      dsns = d;
      sql = tasks;
      std::vector<validator::SqlResult> out(tasks.size());
      for (auto& r : out) {
        r.ok = !pg_fails;
        if (pg_fails) r.error = "password authentication failed for user \"ro\"", r.connection_error = true;
      }
      for (size_t k = 0; k < tasks.size() && sql_fails; ++k) {
        out[k].ok = false;
        out[k].error = "relation \"nope\" does not exist";
        out[k].error_line = tasks[k].statements.back().line + 1;  // the statement's second line
      }
      return out;
    };
    p.redis = [this](const std::vector<validator::Url>&, const std::vector<validator::RedisTask>& tasks, const validator::ProbeLimits&) {
      redis = tasks;
      std::vector<validator::RedisResult> out(tasks.size());
      for (auto& r : out) r.ok = true, r.reply = "PONG";
      return out;
    };
    p.docker = [this](const validator::DockerQuery& q, const validator::ProbeLimits&) {
      docker.push_back(q);
      return snapshot;
    };
    p.getenv = [](const char* name) -> const char* { return std::string(name) == "PG_DSN" ? "postgresql://ro:hunter22@127.0.0.1:5432/shop" : nullptr; };
    return p;
  }
};

model::EnvironmentConfig local_env() {
  model::EnvironmentConfig env;
  env.name = "local";
  env.hosts = {{"shop.example.com", "127.0.0.1:8080"}, {"cache:6379", "127.0.0.1:16379"}};
  env.allow_hosts = {"127.0.0.1"};
  env.services = {{"web", "http", "http://127.0.0.1:8080", "", ""},
                  {"db", "postgres", "", "PG_DSN", ""},
                  {"cache", "redis", "redis://127.0.0.1:16379", "", ""}};
  return env;
}

validator::LiveReport run(const std::vector<std::string>& markdowns, Fakes& fakes, const model::EnvironmentConfig* env) {
  std::vector<model::Runbook> rbs;
  for (size_t i = 0; i < markdowns.size(); ++i) rbs.push_back(test::parse(markdowns[i], i ? "rb" + std::to_string(i) + ".md" : "rb.md"));
  validator::LiveOptions options;
  options.env = env;
  return validator::check_live(rbs, options, fakes.probes());
}

validator::LiveReport run(const std::string& markdown, Fakes& fakes, const model::EnvironmentConfig* env) {
  return run(std::vector<std::string>{markdown}, fakes, env);
}

std::vector<std::string> outcomes(const validator::LiveReport& r) {
  std::vector<std::string> out;
  for (const auto& x : r.results) out.push_back(x.kind + "@" + std::to_string(x.line) + ":" + std::string(validator::to_string(x.outcome)));
  return out;
}

}  // namespace

TEST_CASE("live: documented hosts are rewritten, paths join the service URL, others are refused", "[validator][live]") {
  auto env = local_env();
  Fakes fakes;
  auto report = run("# Web\n\n| Endpoint | Expected |\n|---|---|\n| `/healthz` | `204` |\n\n```bash\ncurl https://shop.example.com/readyz\ncurl https://prod.example.com/readyz\n```\n",
                    fakes, &env);
  REQUIRE(fakes.http.size() == 2);
  CHECK(fakes.http[0].url == "http://127.0.0.1:8080/healthz");
  CHECK(fakes.http[0].expect.matches(204));
  CHECK_FALSE(fakes.http[0].expect.matches(200));
  CHECK(fakes.http[1].url == "https://127.0.0.1:8080/readyz");
  CHECK(outcomes(report) == std::vector<std::string>{"http@5:fail", "http@8:pass", "http@9:refused"});
  REQUIRE(report.findings.size() == 2);
  CHECK(report.findings[0].rule == "live-http");
  CHECK(report.findings[0].line == 5);
  CHECK(report.findings[0].message == "GET http://127.0.0.1:8080/healthz: answered 200, expected 204");
  CHECK(report.findings[1].rule == "live-not-allowed");
  CHECK(report.findings[1].line == 9);
  CHECK(report.findings[1].source_line == "curl https://prod.example.com/readyz");
}

TEST_CASE("live: without an environment only loopback is contacted and nothing has a service", "[validator][live]") {
  Fakes fakes;
  auto report = run("# T\n\n- `curl http://localhost:8080/healthz`\n- `curl http://10.0.0.5/healthz`\n\n| Endpoint |\n|---|\n| `/x` |\n", fakes, nullptr);
  REQUIRE(fakes.http.size() == 1);
  CHECK(fakes.http[0].url == "http://localhost:8080/healthz");
  auto o = outcomes(report);
  CHECK(std::find(o.begin(), o.end(), "http@4:refused") != o.end());
  CHECK(std::find(o.begin(), o.end(), "http@8:skipped") != o.end());
}

TEST_CASE("live: SQL reads run, writes are only explained, DDL and params are skipped", "[validator][live]") {
  auto env = local_env();
  Fakes fakes;
  auto report = run(
      "# DB\n\n```sql\nSELECT 1;\nSELECT count(*)\nFROM orders;\n```\n\n```sql {run=confirm}\nUPDATE orders SET status = 'x' WHERE id = 1;\nDROP TABLE orders;\n```\n\n"
      "```sql\nDROP TABLE orders;\n```\n\n```sql\nSELECT pg_cancel_backend(<pid>);\n```\n\n```sql {check=skip}\nSELECT 2;\n```\n",
      fakes, &env);
  REQUIRE(fakes.sql.size() == 2);
  CHECK(fakes.dsns == std::vector<std::string>{"postgresql://ro:hunter22@127.0.0.1:5432/shop"});
  CHECK(fakes.sql[0].mode == validator::SqlMode::query);
  REQUIRE(fakes.sql[0].statements.size() == 2);
  CHECK(fakes.sql[0].statements[1].line == 5);
  CHECK(fakes.sql[1].mode == validator::SqlMode::explain);
  REQUIRE(fakes.sql[1].statements.size() == 1);  // the DROP is neither run nor explained
  CHECK(fakes.sql[1].statements[0].text.rfind("UPDATE", 0) == 0);
  CHECK(outcomes(report) == std::vector<std::string>{"sql@4:pass", "sql@10:pass", "sql@15:skipped", "sql@19:skipped", "sql@23:skipped"});
  CHECK(report.results[0].target == "db (postgresql://ro@127.0.0.1:5432/shop)");
}

TEST_CASE("live: one connection finding per runbook and service: the password never shows", "[validator][live]") {
  auto env = local_env();
  Fakes fakes;
  fakes.pg_fails = true;
  auto report = run("# DB\n\n```sql\nSELECT 1;\n```\n\n```sql\nSELECT 2;\n```\n", fakes, &env);
  CHECK(outcomes(report) == std::vector<std::string>{"sql@4:fail", "sql@8:fail"});
  REQUIRE(report.findings.size() == 1);
  CHECK(report.findings[0].rule == "live-postgres");
  for (const auto& r : report.results) CHECK(r.target.find("hunter22") == std::string::npos);
}

TEST_CASE("live: a missing DSN variable is one config finding", "[validator][live]") {
  auto env = local_env();
  env.services[1].dsn_env = "NOT_SET_ANYWHERE";
  Fakes fakes;
  auto report = run("# DB\n\n```sql\nSELECT 1;\n```\n\n```sql\nSELECT 2;\n```\n", fakes, &env);
  CHECK(fakes.sql.empty());
  REQUIRE(report.findings.size() == 1);
  CHECK(report.findings[0].rule == "live-config");
  CHECK(report.findings[0].message == "service 'db': environment variable NOT_SET_ANYWHERE is not set");
}

TEST_CASE("live: redis-cli read-only commands run, writes never: ports map through hosts", "[validator][live]") {
  auto env = local_env();
  Fakes fakes;
  auto report = run("# Cache\n\n```bash\nredis-cli -h cache -p 6379 INFO memory\nredis-cli -h cache -p 6379 FLUSHALL\nredis-cli --scan --pattern 'x*'\n```\n\n"
                    "| Service | Port |\n|---|---|\n| cache | 6379 |\n| web | 8080 |\n| mystery | 9 |\n",
                    fakes, &env);
  REQUIRE(fakes.redis.size() == 1);
  CHECK(fakes.redis[0].argv == std::vector<std::string>{"INFO", "memory"});
  REQUIRE(fakes.tcp.size() == 2);
  CHECK(fakes.tcp[0].host == "127.0.0.1");
  CHECK(fakes.tcp[0].port == 16379);  // cache:6379 -> 127.0.0.1:16379, from the command
  CHECK(fakes.tcp[1].port == 8080);   // web: the service's host, the documented port
  auto o = outcomes(report);
  CHECK(std::count(o.begin(), o.end(), "redis@5:skipped") == 1);
  CHECK(std::count(o.begin(), o.end(), "redis@6:skipped") == 1);
  CHECK(std::count(o.begin(), o.end(), "tcp@13:refused") == 1);  // "mystery" is not allowed
}

TEST_CASE("live: snippets for other environments and runbooks for other environments are left out", "[validator][live]") {
  auto env = local_env();
  Fakes fakes;
  auto report = run("---\nenvironments: [staging]\n---\n# T\n\n- `curl http://127.0.0.1/x`\n", fakes, &env);
  CHECK(report.results.empty());
  auto r2 = run("# T\n\n```bash {env=staging}\ncurl http://127.0.0.1/x\n```\n", fakes, &env);
  CHECK(outcomes(r2) == std::vector<std::string>{"http@4:skipped"});
}

TEST_CASE("live: connection URIs in psql and redis-cli commands are TCP checks", "[validator][live]") {
  auto env = local_env();
  env.hosts.push_back({"db.internal:6543", "127.0.0.1:15432"});
  Fakes fakes;
  auto report = run("# T\n\n```bash\npsql \"postgresql://ro@db.internal:6543/shop\" -c 'SELECT 1'\nredis-cli -u redis://cache:6379/0 PING\n```\n", fakes, &env);
  REQUIRE(fakes.tcp.size() == 2);
  CHECK(fakes.tcp[0].port == 15432);
  CHECK(fakes.tcp[1].port == 16379);
}

namespace {

validator::DockerContainer container(const std::string& service, const std::string& state, const std::string& health = "", std::vector<int> ports = {}) {
  validator::DockerContainer c;
  c.id = "0123456789abcdef" + std::to_string(service.size());
  c.names = {"shop-" + service + "-1"};
  c.project = "shop";
  c.service = service;
  c.state = state;
  c.status = state == "running" ? "Up 5 minutes" : "Exited (137) 2 minutes ago";
  c.health = health;
  c.inspected = true;
  c.published = std::move(ports);
  return c;
}

model::EnvironmentConfig compose_env() {
  auto env = local_env();
  env.compose = model::ComposeConfig{"shop", "unix:///run/test/docker.sock", true, 0};
  env.hosts.push_back({"api", "127.0.0.1"});
  return env;
}

std::vector<std::string> finding_lines(const validator::LiveReport& r) {
  std::vector<std::string> out;
  for (const auto& f : r.findings) out.push_back(f.rule + "@" + std::to_string(f.line) + ": " + f.message);
  return out;
}

}  // namespace

TEST_CASE("live docker: commands, documented services and ports that match the stack pass", "[validator][live][docker]") {
  auto env = compose_env();
  Fakes fakes;
  fakes.snapshot.containers = {container("api", "running", "healthy", {18091}), container("worker", "running")};
  auto report = run("---\nservices: [worker]\n---\n# Shop\n\n"                                              // 1-5
                    "| Service | Port |\n|---|---|\n| api | 18091 |\n\n"                                     // 6-9
                    "```bash\ndocker compose ps\ndocker compose logs --tail 20 worker api\n"                  // 11-12
                    "docker compose restart worker\ndocker exec -it shop-api-1 sh\ndocker inspect shop-worker-1\n```\n",  // 13-15
                    fakes, &env);
  REQUIRE(fakes.docker.size() == 1);
  CHECK(fakes.docker[0].socket == "/run/test/docker.sock");
  CHECK(fakes.docker[0].projects == std::vector<std::string>{"shop"});
  CHECK(fakes.docker[0].objects);
  CHECK(finding_lines(report).empty());
  std::vector<std::string> docker;
  for (const auto& r : report.results) {
    if (r.kind == "docker") docker.push_back(std::to_string(r.line) + " " + r.target + ": " + r.expectation + " -> " + std::string(validator::to_string(r.outcome)) + " " + r.detail);
  }
  CHECK(docker == std::vector<std::string>{
                      "2 service worker (project shop): running, healthy if it has a healthcheck -> pass running",
                      "8 service api (project shop): running, healthy if it has a healthcheck -> pass running, healthy",
                      "8 service api (project shop): publishes 18091 -> pass publishes 18091",
                      "11 project shop: has containers -> pass found",
                      "12 service worker (project shop): exists -> pass running",
                      "12 service api (project shop): exists -> pass running",
                      "13 service worker (project shop): exists -> pass running",
                      "14 container shop-api-1: exists and runs -> pass running",
                      "15 container shop-worker-1: exists (container, image, network or volume) -> pass running",
                  });
}

TEST_CASE("live docker: a renamed service, a stopped and an unhealthy one, a wrong port: one finding each, at its line", "[validator][live][docker]") {
  auto env = compose_env();
  Fakes fakes;
  fakes.snapshot.containers = {container("api", "running", "healthy", {18091}), container("celery-worker", "running"), container("oneshot", "exited"),
                               container("broken", "running", "unhealthy")};
  fakes.snapshot.containers[3].health_output = "wget: server returned error: HTTP/1.1 404 Not Found";
  fakes.tcp_down = {18099, 18093};
  env.hosts.push_back({"oneshot", "127.0.0.1"});
  auto report = run("# Shop\n\n| Service | Port |\n|---|---|\n| api | 18099 |\n| oneshot | 18093 |\n\n"   // 5, 6
                    "| Service | Health |\n|---|---|\n| broken | `/healthz` |\n\n"                              // 10
                    "```bash\ndocker compose logs --tail 5 worker\ndocker compose exec oneshot sh\n```\n",        // 13, 14
                    fakes, &env);
  CHECK(finding_lines(report) == std::vector<std::string>{
      "live-docker-port@5: port table says api is on 18099; in project 'shop' service 'api' publishes 18091; the TCP check of this row fails too: "
      "127.0.0.1:18099 (documented as api:18099): connection refused",
      "live-docker-state@6: service 'oneshot' of project 'shop' is not running: exited (137) 2 minutes ago; the TCP check of this row fails too: "
      "127.0.0.1:18093 (documented as oneshot:18093): connection refused",
      "live-docker-state@10: service 'broken' of project 'shop' is unhealthy: its healthcheck says \"wget: server returned error: HTTP/1.1 404 Not Found\"",
      "live-docker@13: service 'worker' is not in the running Compose project 'shop' (its services: api, broken, celery-worker, oneshot)",
      "live-docker@14: service 'oneshot' of project 'shop' is not running (exited (137) 2 minutes ago)",
  });
}

TEST_CASE("live docker: an unreachable daemon is one finding: the checks that needed it are skipped", "[validator][live][docker]") {
  auto env = compose_env();
  Fakes fakes;
  fakes.snapshot.error = "no answer to GET /version within 1 s (the daemon hangs)";
  auto report = run("# Shop\n\n| Service | Port |\n|---|---|\n| api | 18091 |\n\n```bash\ndocker compose ps\ndocker logs --tail 5 shop-api-1\n```\n",
                    fakes, &env);
  CHECK(finding_lines(report) == std::vector<std::string>{
      "live-unreachable@5: the Docker Engine at unix:///run/test/docker.sock is unreachable: no answer to GET /version within 1 s (the daemon hangs)"});
  std::vector<std::string> docker;
  for (const auto& r : report.results) {
    if (r.kind == "docker") docker.push_back(std::to_string(r.line) + ":" + std::string(validator::to_string(r.outcome)) + " " + r.detail);
  }
  CHECK(docker == std::vector<std::string>{"5:fail no answer to GET /version within 1 s (the daemon hangs)",
                                           "8:skipped not checked: no answer to GET /version within 1 s (the daemon hangs) (see rb.md:5)",
                                           "9:skipped not checked: no answer to GET /version within 1 s (the daemon hangs) (see rb.md:5)"});
}

TEST_CASE("live docker: a project with no containers is one finding: containers are still checked", "[validator][live][docker]") {
  auto env = compose_env();
  Fakes fakes;
  fakes.snapshot.containers = {container("api", "running")};
  fakes.snapshot.containers[0].project = "other";
  auto report = run("# Shop\n\n```bash\ndocker compose ps\ndocker compose logs --tail 5 api\ndocker logs --tail 5 shop-api-1\ndocker logs gone\n```\n",
                    fakes, &env);
  CHECK(finding_lines(report) == std::vector<std::string>{
      "live-docker@4: Compose project 'shop' has no containers on unix:///run/test/docker.sock (projects there: other)",
      "live-docker@7: no container named 'gone' on the Docker daemon (containers: shop-api-1)"});
}

TEST_CASE("live docker: what is not checked, and why", "[validator][live][docker]") {
  Fakes fakes;
  std::string rb = "# Shop\n\n```bash\ndocker compose logs --tail 5 api\n```\n";
  auto plain = local_env();
  auto r1 = run(rb, fakes, &plain);
  REQUIRE(r1.results.size() == 1);
  CHECK(r1.results[0].detail == "no compose: settings in the environment 'local' (project, docker_host): docker commands are not checked");
  auto off = compose_env();
  off.compose->probe = false;
  CHECK(run(rb, fakes, &off).results[0].detail == "compose.probe is false in environment 'local': the Docker Engine is not contacted");
  CHECK(fakes.docker.empty());

  auto env = compose_env();
  fakes.snapshot.containers = {container("api", "running")};
  auto r2 = run("# Shop\n\n```bash\n"
                "docker compose run --rm migrate alembic upgrade head\n"   // 4
                "docker -H ssh://ops@db1 logs app\n"                       // 5
                "docker compose --profile tools up -d debug\n"             // 6
                "docker compose logs --tail 5 <service>\n"                 // 7
                "docker logs app-*\n"                                       // 8
                "```\n\n```bash {check=skip}\ndocker logs --tail 5 app\n```\n",  // 12
                fakes, &env);
  std::vector<std::string> skipped;
  for (const auto& r : r2.results) skipped.push_back(std::to_string(r.line) + " " + r.detail);
  CHECK(skipped == std::vector<std::string>{
                       "4 docker compose run starts a one-off container: the service need not be running",
                       "5 addresses another Docker daemon (-H, --context or DOCKER_HOST=): not checked",
                       "6 --profile: the services of a profile need not be running",
                       "7 needs parameter service (give it under params: of the environment 'local')",
                       "8 'app-*' is a pattern, not a name",
                       "12 check=skip",
                   });
  CHECK(r2.findings.empty());

  auto tcp = compose_env();
  tcp.compose->docker_host = "";
  validator::LiveProbes probes = fakes.probes();
  probes.getenv = [](const char* name) -> const char* { return std::string(name) == "DOCKER_HOST" ? "tcp://10.0.0.5:2375" : nullptr; };
  std::vector<model::Runbook> rbs{test::parse(rb, "rb.md")};
  validator::LiveOptions options;
  options.env = &tcp;
  auto r3 = validator::check_live(rbs, options, probes);
  REQUIRE(r3.findings.size() == 1);
  CHECK(r3.findings[0].rule == "live-config");
  CHECK(r3.findings[0].message == "DOCKER_HOST=tcp://10.0.0.5:2375 is not a unix socket: the Docker probe reads the Engine API on its unix socket only");
}

TEST_CASE("live docker: where the environment maps a documented port, the mapped one must be published", "[validator][live][docker]") {
  auto env = compose_env();
  env.hosts.push_back({"web:8080", "127.0.0.1:41234"});
  Fakes fakes;
  fakes.snapshot.containers = {container("web", "running", "", {41234})};
  auto mapped = run("# Web\n\n| Service | Port |\n|---|---|\n| web | 8080 |\n", fakes, &env);
  CHECK(finding_lines(mapped).empty());
  fakes.snapshot.containers[0].published = {8080};
  auto unmapped = run("# Web\n\n| Service | Port |\n|---|---|\n| web | 8080 |\n", fakes, &env);
  CHECK(finding_lines(unmapped) == std::vector<std::string>{
                                        "live-docker-port@5: port table says web is on 8080 (41234 in environment 'local'); in project 'shop' service 'web' publishes 8080"});
}

TEST_CASE("live: identical targets are probed once, each place gets the outcome and its own finding", "[validator][live]") {
  auto env = local_env();
  Fakes fakes;
  fakes.http_status = 503;
  std::string a = "# A\n\n- `curl https://shop.example.com/healthz`\n- `curl http://127.0.0.1:8080/healthz`\n\n| Service | Port |\n|---|---|\n| web | 8080 |\n";
  std::string b = "# B\n\ntext\n\n```bash\ncurl https://shop.example.com/healthz\nredis-cli -h cache -p 6379 PING\n```\n\n"
                  "| Endpoint | Expected |\n|---|---|\n| `/healthz` | `503` |\n";
  std::string c = "# C\n\n```bash\nredis-cli -h cache -p 6379 PING\nnc -z 127.0.0.1 8080\n```\n";
  auto report = run({a, b, c}, fakes, &env);
  // https://.../healthz twice, http://.../healthz once with 2xx and once with 503: three probes.
  REQUIRE(fakes.http.size() == 3);
  CHECK(fakes.http[0].url == "https://127.0.0.1:8080/healthz");
  CHECK(fakes.http[1].url == "http://127.0.0.1:8080/healthz");
  CHECK(fakes.http[2].url == "http://127.0.0.1:8080/healthz");
  CHECK(fakes.tcp.size() == 2);    // 127.0.0.1:8080 from the port tables and nc; 127.0.0.1:16379 from redis-cli
  CHECK(fakes.redis.size() == 1);  // PING on the same service, from two runbooks
  CHECK(report.stats.probes == 6);
  CHECK(outcomes(report) == std::vector<std::string>{"http@3:fail", "http@4:fail", "tcp@8:pass", "http@6:fail", "tcp@7:pass", "redis@7:pass",
                                                      "http@12:pass", "tcp@4:pass", "redis@4:pass", "tcp@5:pass"});
  std::vector<std::string> where;
  for (const auto& f : report.findings) where.push_back(f.file + ":" + std::to_string(f.line) + ":" + f.rule);
  CHECK(where == std::vector<std::string>{"rb.md:3:live-http", "rb.md:4:live-http", "rb1.md:6:live-http"});
  CHECK(report.findings[0].message == "GET https://127.0.0.1:8080/healthz (documented as https://shop.example.com/healthz): answered 503, expected 2xx");
  CHECK(report.findings[2].message == report.findings[0].message);
}

TEST_CASE("live: one SQL probe for identical snippets, errors at each snippet's own line", "[validator][live]") {
  auto env = local_env();
  Fakes fakes;
  fakes.sql_fails = true;
  std::string a = "# A\n\n```sql\nSELECT 1;\nSELECT *\nFROM nope;\n```\n";
  std::string b = "# B\n\nSome words.\n\nMore words.\n\n```sql\nSELECT 1;\n\nSELECT *\nFROM nope;\n```\n";
  auto report = run({a, b}, fakes, &env);
  CHECK(fakes.sql.size() == 1);
  std::vector<std::string> where;
  for (const auto& f : report.findings) where.push_back(f.file + ":" + std::to_string(f.line) + ":" + f.rule);
  CHECK(where == std::vector<std::string>{"rb.md:6:live-sql", "rb1.md:11:live-sql"});
}
