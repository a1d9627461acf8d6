// Reading an HTTP snippet's request, and the header lines opsbook never sends as written.
#include <catch2/catch.hpp>

#include "model/http_request.hpp"

using opsbook::model::http_header_refusal;
using opsbook::model::parse_http_request;

namespace {
std::string refusal(const char* text, int* line = nullptr) {
  int at = -1;
  std::string why = http_header_refusal(parse_http_request(text), at);
  if (line != nullptr) *line = at;
  return why;
}
}  // namespace

TEST_CASE("http request: the request line, headers and body", "[model]") {
  auto r = parse_http_request("\n  get http://127.0.0.1:9/x HTTP/1.1\nAccept: a\nX-A: b\n\n{\"q\": 1}\n");
  CHECK(r.method == "GET");
  CHECK(r.target == "http://127.0.0.1:9/x");
  CHECK(r.headers == "Accept: a\nX-A: b");
  CHECK(r.headers_line == 2);
  CHECK(r.body == "{\"q\": 1}\n");
  CHECK(parse_http_request("GET /x\n\n \n\n").body.empty());
  CHECK(parse_http_request("HEAD /x").target == "/x");
  auto bare = parse_http_request("GET /x\n\nDELETE /v HTTP/1.1\n");  // no headers: the blank line comes first
  CHECK(bare.headers.empty());
  CHECK(bare.body == "DELETE /v HTTP/1.1\n");
  auto crlf = parse_http_request("GET /x\r\nA: b\r\n\r\nbody\r\n");
  CHECK(crlf.headers == "A: b\r");
  CHECK(crlf.body == "body\r\n");
}

TEST_CASE("http request: headers that frame the body or manage the connection are curl's (a written Content-Length smuggled a DELETE)", "[model]") {
  int line = 0;
  CHECK(refusal("GET http://127.0.0.1:23760/_ping\nAccept: */*\nContent-Length: 0\n\nDELETE /volumes/v1 HTTP/1.1\n", &line) ==
        "header `Content-Length: 0` sets Content-Length, which frames the body: curl computes it (a written one makes the server read the rest of "
        "the body as another request): remove it");
  CHECK(line == 2);
  CHECK(refusal("POST /x\ntransfer-encoding: chunked\n\n0\n\n") ==
        "header `transfer-encoding: chunked` sets transfer-encoding, which frames the body: curl computes it (a written one makes the server "
        "read the rest of the body as another request): remove it");
  for (const char* h : {"Connection: Upgrade", "Upgrade: h2c", "Expect: 100-continue", "Keep-Alive: timeout=5", "TE: trailers", "Trailer: X",
                        "Proxy-Connection: keep-alive"}) {
    INFO(h);
    std::string text = std::string("GET /x\n") + h + "\n";
    CHECK(http_header_refusal(parse_http_request(text), line).find("which manages the connection (upgrades it, keeps it or waits on it): curl decides it: remove it") !=
          std::string::npos);
  }
  CHECK(refusal("GET /x\nX-A: a\rDELETE /v HTTP/1.1\n", &line) ==
        "header `X-A: a?DELETE /v HTTP/1.1` holds a control character, which a server may read as the end of a line (and what follows as "
        "another request): remove it");
  CHECK(line == 1);
  CHECK(refusal("GET /x\nDELETE /volumes/v1 HTTP/1.1\n") ==
        "header `DELETE /volumes/v1 HTTP/1.1` is not a header (Name: value): a server may read it as part of another request: remove it");
  CHECK(refusal("GET /x\r\nHost: api.internal\r\nAccept: application/json\r\nAuthorization: Bearer t\r\n\r\n").empty());
  CHECK(refusal("GET /x\nX-Content-Length: 3\n").empty());
}
