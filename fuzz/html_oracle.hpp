// The HTML oracle of the fuzz targets: aborts (a crash libFuzzer keeps) when rendered HTML holds
// a <script element, an on* event attribute, or a URL attribute with a script scheme. Entities
// are decoded and control characters and spaces dropped before a URL is judged, as browsers do.
#pragma once

#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

namespace opsbook::fuzz {

[[noreturn]] inline void violation(const char* what, std::string_view html, size_t at) {
  std::fprintf(stderr, "HTML oracle: %s at byte %zu: %.*s\n", what, at, static_cast<int>(std::min<size_t>(120, html.size() - at)), html.data() + at);
  std::abort();
}

// A URL attribute's value as a browser reads its scheme: entities decoded, whitespace and
// control characters removed, lower case.
inline std::string url_scheme_view(std::string_view value) {
  std::string out;
  for (size_t i = 0; i < value.size() && out.size() < 32; ++i) {
    unsigned char c = static_cast<unsigned char>(value[i]);
    if (c == '&') {
      size_t semi = value.find(';', i);
      std::string_view ent = semi == std::string_view::npos ? std::string_view() : value.substr(i + 1, semi - i - 1);
      long code = -1;
      if (ent.starts_with("#x") || ent.starts_with("#X")) code = std::strtol(std::string(ent.substr(2)).c_str(), nullptr, 16);
      else if (ent.starts_with("#")) code = std::strtol(std::string(ent.substr(1)).c_str(), nullptr, 10);
      else if (ent == "colon") code = ':';
      else if (ent == "Tab" || ent == "NewLine") code = ' ';
      if (code >= 0) {
        c = static_cast<unsigned char>(code < 256 ? code : '?');
        i = semi;
      }
    }
    if (c <= 0x20) continue;
    out += static_cast<char>(std::tolower(c));
  }
  return out;
}

inline void check_html(std::string_view html) {
  for (size_t i = html.find('<'); i != std::string_view::npos; i = html.find('<', i + 1)) {
    size_t j = i + 1;
    if (j < html.size() && html[j] == '/') ++j;
    std::string name;
    while (j < html.size() && (std::isalnum(static_cast<unsigned char>(html[j])) || html[j] == '-')) name += static_cast<char>(std::tolower(static_cast<unsigned char>(html[j++])));
    if (name == "script") violation("<script element", html, i);
    if (name.empty()) continue;
    // Attributes up to the end of the tag.
    while (j < html.size() && html[j] != '>') {
      while (j < html.size() && (std::isspace(static_cast<unsigned char>(html[j])) || html[j] == '/')) ++j;
      std::string attr;
      while (j < html.size() && !std::isspace(static_cast<unsigned char>(html[j])) && html[j] != '=' && html[j] != '>' && html[j] != '/') {
        attr += static_cast<char>(std::tolower(static_cast<unsigned char>(html[j++])));
      }
      if (attr.starts_with("on")) violation("event handler attribute", html, i);
      std::string_view value;
      if (j < html.size() && html[j] == '=') {
        ++j;
        char q = j < html.size() ? html[j] : 0;
        size_t start = (q == '"' || q == '\'') ? j + 1 : j;
        size_t end = (q == '"' || q == '\'') ? html.find(q, start) : html.find_first_of(" \t\n>", start);
        if (end == std::string_view::npos) end = html.size();
        value = html.substr(start, end - start);
        j = (q == '"' || q == '\'') ? std::min(html.size(), end + 1) : end;
      }
      if (attr == "href" || attr == "src" || attr == "action" || attr == "formaction" || attr == "xlink:href" || attr == "poster" || attr == "srcset") {
        std::string scheme = url_scheme_view(value);
        if (scheme.starts_with("javascript:") || scheme.starts_with("vbscript:") || scheme.starts_with("data:text/html")) violation("script URL", html, i);
      }
      if (attr.empty() && j < html.size() && html[j] != '>') ++j;  // stray character: go on
    }
  }
}

}  // namespace opsbook::fuzz
