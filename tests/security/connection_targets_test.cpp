// Promise: "no value can inject a command" (README "Safety", docs/SECURITY.md §2), for the
// servers a command connects to: a value never picks the host, port or credentials of a URL or
// of a libpq connection. Each attack of hostile review s10a (B6, B7) runs for real: by bash with
// the value written in, it reaches the other server; by opsbook run it is refused and reaches
// nothing.
#include <catch2/catch.hpp>

#include "model/process.hpp"
#include "model/text.hpp"
#include "red_team.hpp"
#include "runner/run.hpp"

using namespace opsbook;

namespace {

runner::RunResult run(const std::string& code, const std::string& param, const std::string& value) {
  auto rb = test::parse("# T\n\n```bash {name=s}\n" + code + "\n```\n");
  const model::Snippet* s = rb.find_snippet("s");
  REQUIRE(s);
  runner::RunOptions o;
  o.params = {{param, value}};
  o.yes = true;  // the gate is not what is tested: the filling is
  return runner::run_snippet(rb, *s, o);
}

// The snippet as bash runs it with the value written in, as a filler that did not look would.
model::ProcessResult run_spliced(std::string code, const std::string& placeholder, const std::string& value) {
  for (size_t at = code.find(placeholder); at != std::string::npos; at = code.find(placeholder, at + value.size())) code.replace(at, placeholder.size(), value);
  return model::run_process({"bash", "-c", code}, "", std::chrono::seconds(30));
}

}  // namespace

TEST_CASE("promise: no value can inject a command -- a value cannot choose the server libpq connects to, behind flags and wrappers (s10a review B6)", "[security][shell]") {
  // The stack's PostgreSQL, named by the value only: the snippet names a server that does not exist.
  std::string value = test::stack().at("OPSBOOK_PG_DSN") + "?application_name=pwned";
  const std::string sql = " -At -c \"select current_setting('application_name')\"";
  for (const std::string& code : {"psql -h 127.0.0.9 -p 1 -U nobody -X <db>" + sql, "psql -h 127.0.0.9 -p 1 --no-psqlrc <db>" + sql, "timeout 20 psql -h 127.0.0.9 -p 1 -X <db>" + sql,
                                  "env psql -h 127.0.0.9 -p 1 <db>" + sql, "nice -n 1 psql -p 1 -qXd <db>" + sql, "psql -p 1 --dbn <db>" + sql,
                                  "psql -h 127.0.0.9" + sql + " -X <db>"}) {
    INFO(code);
    auto spliced = run_spliced(code, "<db>", value);
    REQUIRE(model::trim(spliced.out) == "pwned");  // the attack works
    auto r = run(code, "db", value);
    CHECK_FALSE(r.ran);
    CHECK(r.refusal == "test.md:4: <db> stands where psql reads a database name, which libpq takes as a connection string when it holds = or ://, so a value could choose the server: "
                       "pass a database name without = or ://, or write the connection in the snippet (nothing ran)");
    CHECK(r.out.find("pwned") == std::string::npos);
  }
}

TEST_CASE("promise: no value can inject a command -- a value cannot choose the server a URL names, in any spelling of the URL (s10a review B7)", "[security][shell]") {
  test::RecordingServer web, other;
  const std::string a = std::to_string(web.port());
  const std::string attack = "@127.0.0.1:" + std::to_string(other.port()) + "/x";
  const std::string curl = "curl -s -m 5 -o /dev/null ";
  for (const std::string& code : {curl + "127.0.0.1:" + a + "<path>", "WEB_BASE=http://127.0.0.1:" + a + "; " + curl + "\"$WEB_BASE<path>\"",
                                  curl + "\"http:\"//127.0.0.1:" + a + "<path>", curl + "http:'//'127.0.0.1:" + a + "<path>", curl + "http://127.0.0.1:\\\n" + a + "<path>",
                                  "timeout 20 " + curl + "127.0.0.1:" + a + "<path>", "B=http://127.0.0.1:" + a + "; wget -q -t 1 -T 5 -O /dev/null \"$B\"<path>"}) {
    INFO(code);
    size_t before = other.requests().size();
    run_spliced(code, "<path>", attack);
    REQUIRE(other.requests().size() == before + 1);  // the attack works: the other server is reached
    auto r = run(code, "path", attack);
    CHECK_FALSE(r.ran);
    CHECK(r.refusal.ends_with(": <path> stands in a URL's host and port, where a value picks the server the request (and any credentials) goes to: pass a host name, an address "
                              "or a port (letters, digits, . - _ :), or write the server in the snippet (nothing ran)"));
    CHECK(other.requests().size() == before + 1);
    // A path stays a value: the request goes where the snippet says.
    size_t seen = web.requests().size();
    auto ok = run(code, "path", "/orders/7");
    CHECK(ok.ran);
    REQUIRE(web.requests().size() == seen + 1);
    CHECK(web.requests().back() == "GET /orders/7");
  }
}

// s11a review B7: a value followed by more of the authority (`<host>.internal:8080`, `<user>@db`)
// ended it with a '/': `127.0.0.1:PORT/` made the rest path, and the request went to PORT.
TEST_CASE("promise: no value can inject a command -- a value cannot end a URL's authority early (s11a review B7)", "[security][shell]") {
  test::RecordingServer other;
  const std::string attack = "127.0.0.1:" + std::to_string(other.port()) + "/";
  const std::string curl = "curl -s -m 5 -o /dev/null ";
  for (const std::string& code : {curl + "http://<v>.internal:1/health", curl + "http://<v>@db.internal:1/health", curl + "http://<v>:1/health"}) {
    INFO(code);
    size_t before = other.requests().size();
    run_spliced(code, "<v>", attack);
    REQUIRE(other.requests().size() == before + 1);  // the attack works when written in
    auto r = run(code, "v", attack);
    CHECK_FALSE(r.ran);
    CHECK(r.refusal.ends_with(": <v> stands in a URL's host and port, where a value picks the server the request (and any credentials) goes to: pass a host name, an address "
                              "or a port (letters, digits, . - _ :), or write the server in the snippet (nothing ran)"));
    CHECK(other.requests().size() == before + 1);
    CHECK(run(code, "v", "localhost").refusal.empty());  // a plain name still fills
  }
}
