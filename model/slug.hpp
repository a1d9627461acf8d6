// Stable, GitHub-like slugs for headings and runbook paths.
#pragma once

#include <string>
#include <string_view>
#include <unordered_map>

namespace opsbook::model {

// Lower-cases letters (Unicode's simple mapping), keeps letters, digits, '-' and '_' and non-ASCII letters, turns spaces into
// '-', drops punctuation, emoji and symbols, and trims '-' at both ends. Never empty ("section").
std::string slugify(std::string_view text);

// slugify(text) made a file name part: at most 120 bytes (file systems refuse names past 255
// bytes, and a page name gets ".html" and search shards more): a longer slug is cut at a UTF-8
// boundary and ends in a hash of the whole slug, so it stays distinct and stable, and two names
// with one slug still share one name (s9 review R6: a tag of 300 characters failed the build).
std::string name_slug(std::string_view text);

// Hands out unique slugs in document order: "setup", "setup-1", "setup-2" (GitHub's scheme).
class SlugSet {
 public:
  std::string unique(std::string_view text);

 private:
  std::unordered_map<std::string, int> m_seen;
};

}  // namespace opsbook::model
