// URL parsing, host rewrites, the allow list, params, expected statuses and DSN redaction.
#include <catch2/catch.hpp>

#include "model/target.hpp"

using namespace opsbook;
using model::parse_url;
using model::StatusSpec;
using model::TargetPolicy;

namespace {

model::EnvironmentConfig staging() {
  model::EnvironmentConfig env;
  env.name = "staging";
  env.hosts = {{"api.example.com", "127.0.0.1:8080"}, {"db.internal:5432", "127.0.0.1:55432"}, {"tls.example.com", "http://127.0.0.1:9000"}};
  env.allow_hosts = {"127.0.0.1", "*.staging.example.com"};
  env.params = {{"service", "worker"}, {"API_URL", "http://127.0.0.1:8080"}};
  return env;
}

}  // namespace

TEST_CASE("parse_url: scheme, credentials, host, port, path", "[model][target]") {
  auto u = parse_url("postgresql://ro:s3cret@db.internal:6543/shop?sslmode=disable");
  REQUIRE(u);
  CHECK(u->scheme == "postgresql");
  CHECK(u->user == "ro");
  CHECK(u->password == "s3cret");
  CHECK(u->host == "db.internal");
  CHECK(u->port == 6543);
  CHECK(u->path == "/shop?sslmode=disable");
  CHECK(u->str() == "postgresql://ro@db.internal:6543/shop?sslmode=disable");
  auto v6 = parse_url("http://[::1]:8080");
  REQUIRE(v6);
  CHECK(v6->host == "::1");
  CHECK(v6->authority() == "[::1]:8080");
  CHECK(v6->path == "/");
  CHECK_FALSE(parse_url("/healthz"));
  CHECK_FALSE(parse_url("http://<host>/x"));
  CHECK_FALSE(parse_url("http://host:99999/"));
  CHECK(parse_url("HTTPS://Example.com")->effective_port() == 443);
}

TEST_CASE("TargetPolicy: rewrites by host:port, then host: scheme from a URL value", "[model][target]") {
  auto env = staging();
  TargetPolicy policy(&env);
  CHECK(policy.rewrite(*parse_url("https://api.example.com/healthz")).str() == "https://127.0.0.1:8080/healthz");
  CHECK(policy.rewrite(*parse_url("https://tls.example.com/x")).str() == "http://127.0.0.1:9000/x");
  auto db = policy.rewrite("db.internal", 5432);
  CHECK(db.rewritten);
  CHECK(db.host == "127.0.0.1");
  CHECK(db.port == 55432);
  CHECK_FALSE(policy.rewrite("db.internal", 6432).rewritten);  // only that port was mapped
  CHECK(policy.rewrite(*parse_url("http://other.example.com/")).str() == "http://other.example.com/");
}

TEST_CASE("TargetPolicy: allow list with wildcards: loopback only without one", "[model][target]") {
  auto env = staging();
  TargetPolicy policy(&env);
  CHECK(policy.allowed("127.0.0.1"));
  CHECK(policy.allowed("api.staging.example.com"));
  CHECK_FALSE(policy.allowed("staging.example.com.evil.org"));
  CHECK_FALSE(policy.allowed("localhost"));  // not listed
  CHECK_FALSE(policy.allowed("api.example.com"));
  TargetPolicy none(nullptr);
  CHECK(none.allowed("localhost"));
  CHECK(none.allowed("127.0.0.2"));
  CHECK(none.allowed("::1"));
  CHECK_FALSE(none.allowed("10.0.0.1"));
  CHECK_FALSE(none.allowed("example.com"));
}

TEST_CASE("fill_params: every placeholder syntax, defaults, and what is missing", "[model][target]") {
  auto env = staging();
  std::vector<std::string> missing;
  CHECK(model::fill_params("docker logs <service> ${API_URL}/x $API_URL {{ service }}", &env, missing) ==
        "docker logs worker http://127.0.0.1:8080/x http://127.0.0.1:8080 worker");
  CHECK(missing.empty());
  CHECK(model::fill_params("kill <pid> ${MODE:-fast}", &env, missing) == "kill <pid> fast");
  CHECK(missing == std::vector<std::string>{"pid"});
  missing.clear();
  CHECK(model::fill_params("a < b and x<y", &env, missing) == "a < b and x<y");
  CHECK(missing.empty());  // "<y" never closes: not a placeholder
}

// s10a review B8: an HTTP probe's values went in raw (`../../admin/flush?all=1#` made it GET
// /admin/flush?all=1); opsbook run percent-encodes them. One function now for both.
TEST_CASE("fill_url: values are one path segment or query value, a base URL that begins the URL stays", "[model][target]") {
  auto env = staging();
  env.params.emplace_back("ORDER_ID", "../../admin/flush?all=1#");
  env.params.emplace_back("DOTS", "..");
  std::vector<std::string> missing;
  std::string why;
  CHECK(model::fill_url("/orders/<ORDER_ID>/status?svc={{ service }}", &env, missing, why) == "/orders/..%2F..%2Fadmin%2Fflush%3Fall%3D1%23/status?svc=worker");
  CHECK(model::fill_url("${API_URL}/orders/$ORDER_ID", &env, missing, why) == "http://127.0.0.1:8080/orders/..%2F..%2Fadmin%2Fflush%3Fall%3D1%23");
  CHECK((missing.empty() && why.empty()));
  model::fill_url("/orders/<DOTS>/status", &env, missing, why);
  CHECK(why == "<DOTS> has the value .., which would change the URL's path");
  std::string put_why;
  CHECK(model::url_value("a b/c", put_why) == "a%20b%2Fc");
  CHECK(put_why.empty());
}

TEST_CASE("StatusSpec: single, classes, ranges, lists, words ignored", "[model][target]") {
  CHECK(StatusSpec("").matches(204));
  CHECK_FALSE(StatusSpec("").matches(301));
  CHECK(StatusSpec("200").matches(200));
  CHECK_FALSE(StatusSpec("200").matches(201));
  StatusSpec list("200-204, 429");
  CHECK(list.matches(203));
  CHECK(list.matches(429));
  CHECK_FALSE(list.matches(205));
  CHECK(StatusSpec("3xx").matches(302));
  CHECK(StatusSpec("301 or 302").matches(302));
  CHECK(StatusSpec("200 OK").matches(200));
  CHECK_FALSE(StatusSpec("healthy").valid());
}

TEST_CASE("DSNs: the password never shows, the host is found", "[model][target]") {
  CHECK(model::redact_dsn("postgresql://ro:s3cret@db:5432/shop") == "postgresql://ro@db:5432/shop");
  CHECK(model::redact_dsn("postgres://db/shop?user=ro&password=s3cret&sslmode=require") == "postgres://db/shop?user=ro&password=***&sslmode=require");
  CHECK(model::redact_dsn("host=db user=ro password=s3cret dbname=shop") == "host=db user=ro password=*** dbname=shop");
  CHECK(model::redact_dsn("host=db password='a b\\'c' dbname=shop") == "host=db password=*** dbname=shop");
  CHECK(model::dsn_host("postgresql://ro:x@10.1.2.3:5432/shop") == "10.1.2.3");
  CHECK(model::dsn_host("host=db.internal port=5432") == "db.internal");
  CHECK(model::dsn_host("host=/var/run/postgresql") == "");
  CHECK(model::dsn_host("dbname=shop") == "");
}

TEST_CASE("rewrite_hosts_in_text: documented hosts in commands become the environment's", "[model][target]") {
  model::EnvironmentConfig env;
  env.hosts = {{"shop.example.com", "127.0.0.1:8080"}, {"db.internal:5432", "127.0.0.1:55432"}, {"tls.example.com", "http://127.0.0.1:9000"}};
  CHECK(model::rewrite_hosts_in_text("curl -fsS https://shop.example.com/healthz", &env) == "curl -fsS https://127.0.0.1:8080/healthz");
  CHECK(model::rewrite_hosts_in_text("psql -h db.internal -p 5432 && nc -z db.internal:5432", &env) == "psql -h db.internal -p 5432 && nc -z 127.0.0.1:55432");
  CHECK(model::rewrite_hosts_in_text("curl https://tls.example.com/x", &env) == "curl http://127.0.0.1:9000/x");
  CHECK(model::rewrite_hosts_in_text("curl https://api.shop.example.com/ x.shop.example.com.au", &env) == "curl https://api.shop.example.com/ x.shop.example.com.au");
  CHECK(model::rewrite_hosts_in_text("ssh shop.example.com:22", &env) == "ssh 127.0.0.1:22");
  CHECK(model::rewrite_hosts_in_text("unchanged", nullptr) == "unchanged");
}

TEST_CASE("dsn_password and scrub: the password is found in both DSN forms and never left in a text", "[model][target]") {
  CHECK(model::dsn_password("postgresql://ro:s3cret@db:5432/shop") == "s3cret");
  CHECK(model::dsn_password("host=db password=s3cret dbname=shop") == "s3cret");
  CHECK(model::dsn_password("postgres://db/shop?user=ro&password=s3cret&sslmode=require") == "s3cret");
  CHECK(model::dsn_password("host=db dbname=shop") == "");
  CHECK(model::scrub("auth s3cret failed; s3cret", "s3cret") == "auth *** failed; ***");
  CHECK(model::scrub("short pw", "pw") == "short pw");
}
