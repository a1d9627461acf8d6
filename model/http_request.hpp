// An HTTP snippet's request as written ("METHOD URL [HTTP/x]", header lines, a blank line, the
// body): one reading for the safety rating, `opsbook run` and doc-tests, and the headers opsbook
// never sends as written (those that frame the body or manage the connection are curl's).
#pragma once

#include <string>
#include <string_view>

namespace opsbook::model {

struct HttpRequest {
  std::string method;    // upper case
  std::string target;    // the URL or /path, without " HTTP/1.1"
  std::string headers;   // the lines after the request line, up to the blank line
  std::string body;      // after the blank line; "" when it is only white space
  int headers_line = 0;  // 0-based line of the text where the header lines start
};

HttpRequest parse_http_request(std::string_view text);

// Why the header lines cannot be sent as written, or "": `line` is then the 0-based line of the
// text that holds the first such header (Content-Length, Transfer-Encoding, Connection, Upgrade,
// Expect..., a control character, a line that is no "Name: value").
std::string http_header_refusal(const HttpRequest& request, int& line);

}  // namespace opsbook::model
