// Promise: "reports never print secrets" (README "Safety", docs/SECURITY.md), for values of
// secret-named parameters that opsbook quotes or escapes before showing them: --dry-run, the
// transcript and refusals show '***', never the value in any spelling.
#include <catch2/catch.hpp>
#include <filesystem>

#include "runner/run.hpp"
#include "red_team.hpp"
#include "support.hpp"

using namespace opsbook;

TEST_CASE("promise: reports never print secrets -- quoted and escaped secret values stay hidden", "[security][secrets]") {
  const std::string secret = "it's \"s3cr3t\"\nline2";
  auto rb = test::parse("# T\n\n```bash {name=shell}\nprintf '%s' <db_password> >/dev/null\n```\n\n"
                        "```sql {name=sql}\nSELECT md5('<api_token>');\n```\n\n"
                        "```bash {name=bad}\nbash -c \"echo <db_password>\"\n```\n");
  test::TempDir dir;
  for (const char* id : {"shell", "sql", "bad"}) {
    INFO(id);
    runner::RunOptions o;
    o.params = {{"db_password", secret}, {"api_token", secret}};
    o.dry_run = true;
    o.transcript_dir = dir.path().string();
    auto r = runner::run_snippet(rb, *rb.find_snippet(id), o);
    for (std::string piece : {"s3cr3t", "line2"}) {
      CHECK(r.command.find(piece) == std::string::npos);
      CHECK(r.refusal.find(piece) == std::string::npos);
    }
  }
  runner::RunOptions o;
  o.params = {{"db_password", secret}};
  o.transcript_dir = dir.path().string();
  auto r = runner::run_snippet(rb, *rb.find_snippet("shell"), o);
  REQUIRE(r.ran);
  std::string transcript = test::read_file(r.transcript);
  CHECK(transcript.find("s3cr3t") == std::string::npos);
  CHECK(transcript.find("OPSBOOK_P_db_password='***'") != std::string::npos);
}

TEST_CASE("promise: reports never print secrets -- a service URL's password, also one holding '/' (s6a review)", "[security][secrets]") {
  // A listener the requests reach (they fail or pass, the password must not show either way).
  test::RecordingServer server;
  std::string port = std::to_string(server.port());
  model::EnvironmentConfig env;
  env.name = "local";
  env.services = {model::ServiceConfig{"web", "http", "http://admin:Pw5SECRET@127.0.0.1:" + port, "", ""},
                  model::ServiceConfig{"web3", "http", "http://x-token:Pw3SECRET/cc@127.0.0.1:" + port, "", ""}};
  auto rb = test::parse("# T\n\n```http {name=h1 service=web}\nGET /health\n```\n\n```http {name=h3 service=web3 run=auto expect-exit=0}\nGET /health\n```\n");
  test::TempDir dir;
  runner::RunOptions o;
  o.env = &env;
  o.transcript_dir = dir.path().string();
  auto r = runner::run_snippet(rb, *rb.find_snippet("h1"), o);
  REQUIRE(r.ran);
  CHECK(r.command.find("Pw5SECRET") == std::string::npos);
  CHECK(test::read_file(r.transcript).find("Pw5SECRET") == std::string::npos);
  auto d = runner::run_doctest(rb, *rb.find_snippet("h3"), &env, std::chrono::seconds(5));
  INFO(d.detail);
  CHECK(d.detail.find("Pw3SECRET") == std::string::npos);
  CHECK(d.detail.find("cc@") == std::string::npos);
}

// s9a review B7: the values of the environment's secret-named params reached the live report as
// the target of a check (`tokSECRET123 is not in allow_hosts`, `not a port: pwSECRET456`).
TEST_CASE("promise: reports never print secrets -- a secret-named param's value used as a live target (s9a review B7)", "[security][secrets]") {
  test::TempDir dir;
  test::write_file(dir.path() / "opsbook.yaml", "default_env: local\nenvironments:\n  local:\n    allow_hosts: [127.0.0.1]\n"
                                                "    params: {API_TOKEN: tokSECRET123, DB_PASSWORD: pwSECRET456}\n");
  test::write_file(dir.path() / "content" / "rb.md", "# T\n\n```bash\nnc -z <API_TOKEN> 5432\n```\n\n```bash\ncurl -s http://<API_TOKEN>/health\n```\n\n"
                                                     "```bash\npg_isready -h 127.0.0.1 -p <DB_PASSWORD>\n```\n");
  for (const char* format : {"text", "json", "sarif"}) {
    auto run = test::run_opsbook({"check", "--live", "--no-shell", "--format", format, "content"}, dir.path().string());
    INFO(format << "\n" << run.out << run.err);
    CHECK(run.out.find("***") != std::string::npos);  // the checks are reported, their secret parts hidden
    CHECK((run.out + run.err).find("tokSECRET123") == std::string::npos);
    CHECK((run.out + run.err).find("pwSECRET456") == std::string::npos);
  }
}
