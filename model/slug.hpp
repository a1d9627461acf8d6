// Stable, GitHub-like slugs for headings and runbook paths.
#pragma once

#include <string>
#include <string_view>
#include <unordered_map>

namespace opsbook::model {

// Lower-cases ASCII, keeps letters, digits, '-' and '_' and non-ASCII letters, turns spaces into
// '-', drops punctuation, emoji and symbols, and trims '-' at both ends. Never empty ("section").
std::string slugify(std::string_view text);

// Hands out unique slugs in document order: "setup", "setup-1", "setup-2" (GitHub's scheme).
class SlugSet {
 public:
  std::string unique(std::string_view text);

 private:
  std::unordered_map<std::string, int> m_seen;
};

}  // namespace opsbook::model
