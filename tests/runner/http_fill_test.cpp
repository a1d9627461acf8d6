// HTTP filling: values encoded for where they stand in the request.
#include <catch2/catch.hpp>

#include "runner/http_fill.hpp"

using namespace opsbook;

namespace {
runner::HttpFill fill(const std::string& request, const std::string& value) {
  std::vector<model::Param> params = {{"v", model::ParamKind::placeholder, "<v>", 1, false}, {"TOKEN", model::ParamKind::env, "${TOKEN}", 1, false}};
  return runner::fill_http(request, params, {{"v", value}, {"TOKEN", "t0k"}}, [](size_t) { return 7; });
}
}  // namespace

TEST_CASE("http fill: URL values are percent-encoded: the method and header names are not the value's to choose", "[runner]") {
  CHECK(fill("GET /users/<v>?q=<v>#<v>\n", "a b/../c?d=e&f#g").text == "GET /users/a%20b%2F..%2Fc%3Fd%3De%26f%23g?q=a%20b%2F..%2Fc%3Fd%3De%26f%23g#a%20b%2F..%2Fc%3Fd%3De%26f%23g\n");
  CHECK(fill("GET /users/<v>\n", "..").refusal == "<v> has the value .., which would change the URL's path");
  CHECK(fill("<v> /x\n", "DELETE").refusal == "<v> stands in the HTTP method: a value cannot choose the method");
  CHECK(fill("GET /x\n<v>: 1\n", "X-A").refusal == "<v> stands in a header name: a value cannot choose the header");
}

TEST_CASE("http fill: header values hold no line break: ${VARS} are filled like placeholders", "[runner]") {
  auto f = fill("GET /x\nX-Name: <v>\nAuthorization: Bearer ${TOKEN}\n", "a\r\nX-Evil: 1");
  CHECK(f.refusal == "<v> goes into a header, so its value must not hold a line break or NUL");
  CHECK(f.refused_line == 7);
  CHECK(fill("GET /x\nX-Name: <v>\nAuthorization: Bearer ${TOKEN}\n", "a b").text == "GET /x\nX-Name: a b\nAuthorization: Bearer t0k\n");
}

TEST_CASE("http fill: bodies by content type", "[runner]") {
  std::string json = "POST /x\nContent-Type: application/json\n\n{\"name\": \"<v>\", \"n\": <v>}\n";
  CHECK(fill(json, "12").text == "POST /x\nContent-Type: application/json\n\n{\"name\": \"12\", \"n\": 12}\n");
  CHECK(fill(json, "a\"}, \"admin\": true, \"x\": {\"").refusal ==
        "<v> stands outside a string in a JSON body, so its value must be a number, true, false or null; put the placeholder inside quotes");
  CHECK(fill("POST /x\nContent-Type: application/json\n\n{\"name\": \"<v>\"}\n", "a\"\\\n").text ==
        "POST /x\nContent-Type: application/json\n\n{\"name\": \"a\\\"\\\\\\u000a\"}\n");
  CHECK(fill("POST /x\nContent-Type: application/x-www-form-urlencoded\n\nname=<v>&x=1\n", "a&admin=1").text ==
        "POST /x\nContent-Type: application/x-www-form-urlencoded\n\nname=a%26admin%3D1&x=1\n");
  CHECK(fill("POST /x\nContent-Type: text/plain\n\nhello <v>\n", "a b").refusal ==
        "<v> goes into a body of type 'text/plain', which opsbook cannot encode for: its value may only hold letters, digits and . _ : / @ % + = , -");
}
