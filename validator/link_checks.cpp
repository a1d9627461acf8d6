// Link checks: relative paths and anchors against the runbooks of the run, URL well-formedness.
#include "validator/link_checks.hpp"

#include <cctype>
#include <filesystem>
#include <map>
#include <unordered_set>

#include "model/links.hpp"
#include "model/slug.hpp"
#include "model/text.hpp"
#include "validator/finding_sink.hpp"

namespace opsbook::validator {

namespace fs = std::filesystem;

namespace {

// Slug of only the ASCII words of a heading: "🏗️ Environment" -> "environment".
std::string ascii_slug(std::string_view title) {
  std::string ascii;
  for (char c : title) {
    if (static_cast<unsigned char>(c) < 0x80) ascii += c;
  }
  return model::slugify(ascii);
}

// Every anchor a link into `rb` may name, as a lower-cased link anchor is compared: its sections'
// slugs (also in their ASCII form) and its snippets. Built once per linked runbook: 30,000 links to
// 30,000 headings took minutes when each link scanned every section.
std::unordered_set<std::string> anchors_of(const model::Runbook& rb) {
  std::unordered_set<std::string> out;
  for (const auto& s : rb.sections) {
    out.insert(model::to_lower(s.slug));
    out.insert(ascii_slug(s.title));
  }
  for (const auto& s : rb.snippets) out.insert("snippet-" + s.id);
  return out;
}

}  // namespace

void check_links(FindingSink& sink, const model::Runbook& rb, const std::map<std::string, const model::Runbook*>& by_path) {
  std::map<const model::Runbook*, std::unordered_set<std::string>> anchors;
  auto has_anchor = [&](const model::Runbook& target, const std::string& anchor) {
    auto it = anchors.find(&target);
    if (it == anchors.end()) it = anchors.emplace(&target, anchors_of(target)).first;
    return it->second.count(model::to_lower(anchor)) > 0;
  };
  for (const auto& l : rb.links) {
    std::string_view url = model::trim(l.url);
    if (url.empty()) continue;
    if (model::has_scheme(url)) {
      size_t colon = url.find(':');
      std::string scheme = model::to_lower(url.substr(0, colon));
      if (scheme == "http" || scheme == "https") {
        std::string_view rest = url.substr(colon + 1);
        bool ok = rest.starts_with("//") && rest.size() > 2 && rest.find_first_of(" \t<>\"") == std::string_view::npos;
        std::string_view host = ok ? rest.substr(2, rest.find_first_of("/?#", 2) == std::string_view::npos ? std::string_view::npos : rest.find_first_of("/?#", 2) - 2) : std::string_view{};
        if (!ok || host.empty() || host.front() == '.' || host.find("..") != std::string_view::npos) {
          sink.add("malformed-url", l.line, l.col, "malformed URL '" + std::string(url) + "'", "write a full URL like https://host/path");
        }
      }
      continue;
    }
    auto link = model::local_link(rb.path, url);
    if (!link) continue;  // site-absolute: depends on where the docs are served
    const model::Runbook* target = &rb;
    if (!link->path.empty()) {
      std::error_code ec;
      if (!fs::exists(link->resolved, ec)) {
        sink.add("broken-link", l.line, l.col, "link to '" + link->path + "': no such file", "fix the path (relative to " + fs::path(rb.path).parent_path().string() + "/)");
        continue;
      }
      auto it = by_path.find(link->resolved);
      target = it == by_path.end() ? nullptr : it->second;
    }
    if (!link->anchor.empty() && target != nullptr && !has_anchor(*target, link->anchor)) {
      sink.add("broken-link", l.line, l.col, "link to '#" + link->anchor + "'" + (link->path.empty() ? "" : " in " + link->path) + ": no such heading",
               "link to a heading's slug (lower case, spaces as '-')");
    }
  }
}

}  // namespace opsbook::validator
