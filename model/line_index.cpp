// Line starts by memchr over the text once.
#include "model/line_index.hpp"

#include <algorithm>
#include <cstring>

namespace opsbook::model {

LineIndex::LineIndex(std::string_view text) : m_text(text) {
  m_starts.push_back(0);
  const char* begin = text.data();
  const char* end = begin + text.size();
  for (const char* p = begin; p < end;) {
    const void* nl = std::memchr(p, '\n', static_cast<size_t>(end - p));
    if (nl == nullptr) break;
    p = static_cast<const char*>(nl) + 1;
    if (p < end) m_starts.push_back(static_cast<size_t>(p - begin));
  }
}

std::string_view LineIndex::line(int number) const {
  if (number <= 0 || static_cast<size_t>(number) > m_starts.size() || m_text.empty()) return {};
  size_t start = m_starts[static_cast<size_t>(number) - 1];
  bool last = static_cast<size_t>(number) == m_starts.size();
  size_t end = last ? m_text.size() : m_starts[static_cast<size_t>(number)] - 1;  // at its '\n'
  if (last && end > start && m_text[end - 1] == '\n') --end;
  std::string_view text = m_text.substr(start, end - start);
  if (!text.empty() && text.back() == '\r') text.remove_suffix(1);
  return text;
}

int LineIndex::line_of(size_t offset) const {
  auto it = std::upper_bound(m_starts.begin(), m_starts.end(), offset);
  return static_cast<int>(it - m_starts.begin());
}

}  // namespace opsbook::model
