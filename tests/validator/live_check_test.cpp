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
  int http_status = 200;
  bool pg_fails = false;

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
      for (auto& r : out) r.connected = true;
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
      return out;
    };
    p.redis = [this](const std::vector<validator::Url>&, const std::vector<validator::RedisTask>& tasks, const validator::ProbeLimits&) {
      redis = tasks;
      std::vector<validator::RedisResult> out(tasks.size());
      for (auto& r : out) r.ok = true, r.reply = "PONG";
      return out;
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

validator::LiveReport run(const std::string& markdown, Fakes& fakes, const model::EnvironmentConfig* env) {
  std::vector<model::Runbook> rbs;
  rbs.push_back(test::parse(markdown, "rb.md"));
  validator::LiveOptions options;
  options.env = env;
  return validator::check_live(rbs, options, fakes.probes());
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

TEST_CASE("live: one connection finding per runbook and service; the password never shows", "[validator][live]") {
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

TEST_CASE("live: redis-cli read-only commands run, writes never; ports map through hosts", "[validator][live]") {
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

