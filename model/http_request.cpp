// Reading an HTTP snippet's request and the header lines opsbook refuses to send.
#include "http_request.hpp"

#include <algorithm>

#include "text.hpp"

namespace opsbook::model {

HttpRequest parse_http_request(std::string_view text) {
  HttpRequest r;
  size_t start = text.find_first_not_of(" \t\r\n");
  if (start == std::string_view::npos) return r;
  size_t eol = text.find('\n', start);
  std::string_view first = text.substr(start, eol == std::string_view::npos ? std::string_view::npos : eol - start);
  size_t sp = first.find(' ');
  r.method = to_upper(trim(first.substr(0, sp)));
  std::string_view target = sp == std::string_view::npos ? "" : trim(first.substr(sp + 1));
  if (size_t v = target.rfind(" HTTP/"); v != std::string_view::npos) target = trim(target.substr(0, v));
  r.target = std::string(target);
  if (eol == std::string_view::npos) return r;
  r.headers_line = static_cast<int>(std::count(text.begin(), text.begin() + static_cast<long>(eol), '\n')) + 1;
  std::string_view rest = text.substr(eol + 1);
  size_t at = 0;  // the first blank line (also right after the request line, also "\r\n") ends the headers
  while (at < rest.size()) {
    size_t end = rest.find('\n', at);
    std::string_view line = rest.substr(at, end == std::string_view::npos ? std::string_view::npos : end - at);
    if (trim(line).empty()) {
      r.headers = std::string(rest.substr(0, at == 0 ? 0 : at - 1));
      if (end != std::string_view::npos && !trim(rest.substr(end + 1)).empty()) r.body = std::string(rest.substr(end + 1));
      return r;
    }
    if (end == std::string_view::npos) break;
    at = end + 1;
  }
  r.headers = std::string(rest);
  return r;
}

namespace {

// Why opsbook does not send this header as written, or "".
std::string refused_header(std::string_view line) {
  if (std::any_of(line.begin(), line.end(), [](char c) { return (static_cast<unsigned char>(c) < 0x20 && c != '\t') || c == 0x7f; })) {
    return "holds a control character, which a server may read as the end of a line (and what follows as another request)";
  }
  size_t colon = line.find(':');
  std::string_view name = colon == std::string_view::npos ? std::string_view{} : line.substr(0, colon);
  bool token = !name.empty() && std::all_of(name.begin(), name.end(), [](char c) {
    return is_ident_char(c) || std::string_view("!#$%&'*+-.^`|~").find(c) != std::string_view::npos;
  });
  if (!token) return "is not a header (Name: value): a server may read it as part of another request";
  static constexpr std::string_view k_framing[] = {"content-length", "transfer-encoding"};
  static constexpr std::string_view k_connection[] = {"connection", "keep-alive", "proxy-connection", "upgrade", "te", "trailer", "expect"};
  std::string lower = to_lower(name);
  if (std::find(std::begin(k_framing), std::end(k_framing), lower) != std::end(k_framing)) {
    return "sets " + std::string(name) + ", which frames the body: curl computes it (a written one makes the server read the rest of the body as another request)";
  }
  if (std::find(std::begin(k_connection), std::end(k_connection), lower) != std::end(k_connection)) {
    return "sets " + std::string(name) + ", which manages the connection (upgrades it, keeps it or waits on it): curl decides it";
  }
  return "";
}

}  // namespace

std::string http_header_refusal(const HttpRequest& request, int& line) {
  int at = request.headers_line;
  for (std::string_view h : split_lines(request.headers)) {
    if (!trim(h).empty()) {
      if (std::string why = refused_header(h); !why.empty()) {
        line = at;
        std::string shown(trim(h).substr(0, 60));
        std::replace_if(shown.begin(), shown.end(), [](char c) { return static_cast<unsigned char>(c) < 0x20 || c == 0x7f; }, '?');
        return "header `" + shown + "` " + why + ": remove it";
      }
    }
    ++at;
  }
  return "";
}

}  // namespace opsbook::model
