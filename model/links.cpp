// Relative link resolution.
#include "model/links.hpp"

#include <algorithm>
#include <cctype>
#include <filesystem>

#include "model/text.hpp"

namespace opsbook::model {

namespace {

std::string percent_decode(std::string_view s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size() && std::isxdigit(static_cast<unsigned char>(s[i + 1])) && std::isxdigit(static_cast<unsigned char>(s[i + 2]))) {
      out += static_cast<char>(std::stoi(std::string(s.substr(i + 1, 2)), nullptr, 16));
      i += 2;
    } else {
      out += s[i];
    }
  }
  return out;
}

}  // namespace

bool has_scheme(std::string_view url) {
  size_t colon = url.find(':');
  size_t slash = url.find_first_of("/?#");
  return colon != std::string_view::npos && (slash == std::string_view::npos || colon < slash);
}

std::optional<LocalLink> local_link(std::string_view runbook_path, std::string_view url) {
  url = trim(url);
  if (url.empty() || has_scheme(url) || url.front() == '/') return std::nullopt;
  size_t hash = url.find('#');
  LocalLink link;
  link.path = percent_decode(url.substr(0, std::min(hash, url.find('?'))));
  link.anchor = hash == std::string_view::npos ? "" : percent_decode(url.substr(hash + 1));
  if (!link.path.empty()) link.resolved = (std::filesystem::path(runbook_path).parent_path() / link.path).lexically_normal().string();
  return link;
}

}  // namespace opsbook::model
