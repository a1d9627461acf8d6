// The start of every line of a text, found in one pass: the text of line N, and the line of a
// byte offset, without rescanning from the top (a report with many findings stays linear).
#pragma once

#include <string_view>
#include <vector>

namespace opsbook::model {

class LineIndex {
 public:
  LineIndex() = default;
  // `text` must outlive the index.
  explicit LineIndex(std::string_view text);
  // 1-based line without its '\n' (and a trailing '\r'); empty when absent.
  [[nodiscard]] std::string_view line(int number) const;
  // 1-based line holding byte `offset` (the last line for offsets past the end).
  [[nodiscard]] int line_of(size_t offset) const;
  [[nodiscard]] int lines() const { return static_cast<int>(m_starts.size()); }

 private:
  std::string_view m_text;
  std::vector<size_t> m_starts;
};

}  // namespace opsbook::model
