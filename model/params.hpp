// Placeholders (<name>, {{name}}, [name]) and environment variables ($NAME, ${NAME}) in code.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "runbook.hpp"

namespace opsbook::model {

enum class BracketPlaceholders { no, yes };  // `[name]` only counts inside inline commands

// Appends the params found in `code` (first line at `first_line`), skipping duplicates and
// variables the code assigns itself.
void extract_params(std::string_view code, int first_line, SnippetKind kind, BracketPlaceholders brackets,
                    std::vector<Param>& out);

// The default of `${NAME:-default}` (or `${NAME-default}`, `${NAME:=default}`) as written.
std::string param_default(std::string_view syntax);

// True for parameter names whose values must never be shown (password, token, secret, key...).
bool is_secret_name(std::string_view name);

struct SpellingAt {
  size_t begin = 0, end = 0;
  size_t spelling = 0;  // index into the spellings searched for
};
// Every occurrence of the spellings ("<name>", "{{name}}"...) in `code`, left to right, the
// longest one winning where several start at the same byte; occurrences never overlap.
std::vector<SpellingAt> find_spellings(std::string_view code, const std::vector<std::string>& spellings);

// The same search, its spellings sorted once for many texts (the commands of one snippet).
// Linear in the text: each start walks only as far as some spelling still matches.
class Spellings {
 public:
  explicit Spellings(const std::vector<std::string>& spellings);  // kept by reference
  std::vector<SpellingAt> find(std::string_view code) const;

 private:
  std::optional<SpellingAt> longest_at(std::string_view code, size_t i) const;
  const std::vector<std::string>& m_spellings;
  std::vector<size_t> m_order;
};

}  // namespace opsbook::model
