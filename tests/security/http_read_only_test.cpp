// Promise: "read-only checks never change anything" (README "Safety", docs/SECURITY.md), for
// HTTP: whatever method a runbook documents (curl -X, -d, -F, -T, wget --method, httpie,
// PowerShell, an http snippet), check --live sends only GET and HEAD. A loopback server run by
// the test records every request line it receives.
#include <catch2/catch.hpp>

#include "red_team.hpp"

using namespace opsbook;


TEST_CASE("promise: read-only checks never change anything -- only GET and HEAD reach an HTTP server", "[security][http]") {
  test::RecordingServer server;
  std::string u = "http://127.0.0.1:" + std::to_string(server.port());
  std::string rb = "# API\n\n```bash\n"
                   "curl -X POST " + u + "/a\n"
                   "curl -X DELETE " + u + "/b\n"
                   "curl -XPUT " + u + "/c\n"
                   "curl --request PATCH " + u + "/d\n"
                   "curl -d x=1 " + u + "/e\n"
                   "curl --data-binary @f " + u + "/f\n"
                   "curl -F a=b " + u + "/g\n"
                   "curl -T file " + u + "/h\n"
                   "wget --method=DELETE " + u + "/i\n"
                   "wget --post-data=x " + u + "/j\n"
                   "http DELETE " + u + "/k\n"
                   "curl " + u + "/ok\n"
                   "```\n\n```powershell\nInvoke-WebRequest -Method Delete -Uri " + u + "/l\n```\n\n"
                   "```http {service=api}\nDELETE /m\n```\n\n```http {service=api}\nPOST /n\nContent-Type: application/json\n\n{}\n```\n";
  std::string config = "default_env: local\nenvironments:\n  local:\n    allow_hosts: [\"127.0.0.1\"]\n    services:\n      api: {url: \"" + u + "\"}\n";
  test::TempDir dir;
  auto c = test::check_live(dir, config, rb);
  INFO(c.run.out);
  auto seen = server.requests();
  CHECK(std::find(seen.begin(), seen.end(), "GET /ok") != seen.end());
  for (const auto& r : seen) {
    INFO(r);
    CHECK((r.starts_with("GET ") || r.starts_with("HEAD ")));
  }
}

TEST_CASE("promise: read-only checks never change anything -- an http doc-test carries no second request in its body (round 7: a written Content-Length smuggled DELETE /volumes/v1)", "[security][http]") {
  test::RecordingServer server;
  std::string u = "http://127.0.0.1:" + std::to_string(server.port());
  std::string rb = "# API\n\n```http {name=smuggle run=auto expect-exit=0}\nGET " + u + "/smuggle\nContent-Length: 0\n\nDELETE /volumes/v1 HTTP/1.1\nHost: x\nContent-Length: 0\n\n```\n\n"
                   "```http {name=chunked run=auto expect-exit=0}\nGET " + u + "/chunked\nTransfer-Encoding: chunked\n\n0\n\nDELETE /volumes/v2 HTTP/1.1\n\n```\n\n"
                   "```http {name=body run=auto expect-exit=0}\nGET " + u + "/body\n\nDELETE /volumes/v3 HTTP/1.1\n```\n\n"
                   "```http {name=ok run=auto expect-exit=0}\nGET " + u + "/ok\n```\n";
  std::string config = "default_env: local\nenvironments:\n  local:\n    allow_hosts: [\"127.0.0.1\"]\n    services:\n      api: {url: \"" + u + "\"}\n";
  test::TempDir dir;
  auto c = test::check_live(dir, config, rb);
  INFO(c.run.out);
  CHECK(server.requests() == std::vector<std::string>{"GET /ok"});  // the others were refused before a byte was sent
  CHECK(c.run.out.find("header `Content-Length: 0` sets Content-Length, which frames the body") != std::string::npos);
  CHECK(c.run.out.find("header `Transfer-Encoding: chunked` sets Transfer-Encoding, which frames the body") != std::string::npos);
  CHECK(c.run.out.find("mutating: a live check runs only read-only doc-tests") != std::string::npos);  // a GET with a body
}
