// HTTP filling: where in the request a placeholder stands (request line, header, body) and the
// body's content type decide the encoding.
#include "runner/http_fill.hpp"

#include <algorithm>
#include <cctype>

#include "model/params.hpp"
#include "model/target.hpp"
#include "model/text.hpp"

namespace opsbook::runner {

namespace {

enum class Part { request_line, header, body };

struct Layout {
  size_t line_end = 0;     // end of the request line
  size_t headers_end = 0;  // start of the blank line ending the headers (or the end)
  size_t body = 0;         // first byte of the body
  std::string content_type;
};

Layout layout(std::string_view text) {
  Layout l;
  size_t start = text.find_first_not_of(" \t\r\n");
  l.line_end = text.find('\n', start == std::string_view::npos ? 0 : start);
  if (l.line_end == std::string_view::npos) l.line_end = l.headers_end = l.body = text.size();
  else {
    size_t blank = text.find("\n\n", l.line_end);
    size_t crlf = text.find("\n\r\n", l.line_end);
    if (crlf < blank) blank = crlf;
    l.headers_end = blank == std::string_view::npos ? text.size() : blank + 1;
    l.body = blank == std::string_view::npos ? text.size() : text.find('\n', blank + 1) + 1;
  }
  for (std::string_view line : model::split_lines(text.substr(std::min(l.line_end, text.size()), l.headers_end - std::min(l.line_end, l.headers_end)))) {
    if (model::to_lower(line).starts_with("content-type:")) l.content_type = model::to_lower(model::trim(line.substr(13)));
  }
  return l;
}

// Inside a JSON string at `offset` of `body`?
bool in_json_string(std::string_view body, size_t offset) {
  bool in = false;
  for (size_t i = 0; i < offset && i < body.size(); ++i) {
    if (in && body[i] == '\\') ++i;
    else if (body[i] == '"') in = !in;
  }
  return in;
}

std::string json_escape(std::string_view v) {
  std::string out;
  for (char c : v) {
    auto u = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') out += '\\', out += c;
    else if (u < 0x20) {
      static const char* hex = "0123456789abcdef";
      out += "\\u00";
      out += hex[u >> 4];
      out += hex[u & 15];
    } else out += c;
  }
  return out;
}

bool json_scalar(std::string_view v) {
  if (v == "true" || v == "false" || v == "null") return true;
  if (!v.empty() && v[0] == '-') v.remove_prefix(1);
  return !v.empty() && std::isdigit(static_cast<unsigned char>(v[0])) &&
         std::all_of(v.begin(), v.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)) || c == '.' || c == 'e' || c == 'E' || c == '+' || c == '-'; });
}

}  // namespace

HttpFill fill_http(std::string_view text, const std::vector<model::Param>& params, const std::map<std::string, std::string>& values, const LineOf& line_of) {
  HttpFill out;
  // Placeholders and ${NAME} variables alike: nothing expands an HTTP request but opsbook.
  std::vector<const model::Param*> used;
  std::vector<std::string> spellings, filled;
  for (const auto& p : params) {
    if (p.syntax.empty() || (!values.count(p.name) && !p.has_default)) continue;
    used.push_back(&p);
    spellings.push_back(p.syntax);
    filled.push_back(values.count(p.name) ? values.at(p.name) : model::param_default(p.syntax));
  }
  Layout l = layout(text);
  auto refuse = [&](size_t at, const std::string& syntax, const std::string& why) {
    out.refused_line = line_of ? line_of(at) : 0;
    out.refusal = syntax + " " + why;
    return out;
  };
  size_t pos = 0;
  for (const auto& at : model::find_spellings(text, spellings)) {
    const std::string& syntax = used[at.spelling]->syntax;
    const std::string& v = filled[at.spelling];
    std::string put;
    if (at.begin < l.line_end) {  // the request line: only inside the URL, percent-encoded
      size_t space = text.find_first_of(" \t", text.find_first_not_of(" \t\r\n"));
      if (space == std::string_view::npos || at.begin < space) return refuse(at.begin, syntax, "stands in the HTTP method: a value cannot choose the method");
      std::string why;
      put = model::url_value(v, why);
      if (!why.empty()) return refuse(at.begin, syntax, why);
    } else if (at.begin < l.headers_end) {
      size_t line_start = text.rfind('\n', at.begin) + 1;
      size_t colon = text.find(':', line_start);
      if (colon == std::string_view::npos || colon > at.begin) return refuse(at.begin, syntax, "stands in a header name: a value cannot choose the header");
      if (v.find_first_of(std::string("\r\n\0", 3)) != std::string::npos) return refuse(at.begin, syntax, "goes into a header, so its value must not hold a line break or NUL");
      put = v;
    } else if (l.content_type.find("json") != std::string::npos) {
      if (in_json_string(text.substr(l.body), at.begin - l.body)) put = json_escape(v);
      else if (json_scalar(v)) put = v;
      else return refuse(at.begin, syntax, "stands outside a string in a JSON body, so its value must be a number, true, false or null; put the placeholder inside quotes");
    } else if (l.content_type.find("x-www-form-urlencoded") != std::string::npos) {
      put = model::percent_encode(v);
    } else {
      if (!plain_value(v)) return refuse(at.begin, syntax, "goes into a body of type '" + l.content_type + "', which opsbook cannot encode for: its value may only hold " + std::string(k_plain_chars));
      put = v;
    }
    out.text.append(text.substr(pos, at.begin - pos)).append(put);
    pos = at.end;
  }
  out.text.append(text.substr(pos));
  return out;
}

}  // namespace opsbook::runner
