// Estimates what link reference definitions expand to, over-counting: each use costs the size of
// the largest definition that could match it, from its label to the paragraph's end.
#include "reference_guard.hpp"

#include <algorithm>
#include <string>
#include <unordered_map>
#include <vector>

namespace opsbook::model {

namespace {

bool is_ascii_letter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

// What of a label survives case folding and whitespace collapsing for sure: its ASCII digits
// and punctuation (letters fold, non-ASCII bytes may be letters, whitespace collapses).
std::string label_key(std::string_view label) {
  std::string key;
  for (char c : label) {
    if (static_cast<unsigned char>(c) > 0x20 && static_cast<unsigned char>(c) < 0x7f && !is_ascii_letter(c)) key += c;
  }
  return key;
}

// Calls on_pair(open, close) for each innermost unescaped `[...]` and on_paragraph_end(at) at
// each blank line and at the end: a label never spans a blank line, a definition never does.
template <class OnPair, class OnParagraphEnd>
void scan_labels(std::string_view text, OnPair on_pair, OnParagraphEnd on_paragraph_end) {
  size_t open = std::string_view::npos;
  bool line_blank = true;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '\n') {
      if (line_blank) on_paragraph_end(i), open = std::string_view::npos;
      line_blank = true;
      continue;
    }
    if (c != ' ' && c != '\t' && c != '\r') line_blank = false;
    if (c == '\\' && i + 1 < text.size() && text[i + 1] != '\n') ++i;
    else if (c == '[') open = i;
    else if (c == ']' && open != std::string_view::npos) on_pair(open, i), open = std::string_view::npos;
  }
  on_paragraph_end(text.size());
}

}  // namespace

uint64_t reference_expansion_bound(size_t file_bytes) { return uint64_t{8} * file_bytes + (uint64_t{1} << 20); }

std::optional<ReferenceBlowup> find_reference_blowup(std::string_view body, uint64_t bound) {
  // Pass 1: the largest definition per key. A definition reaches from its label to the end of
  // its paragraph (its destination and title may take lines; more is an over-count).
  std::unordered_map<std::string, uint64_t> definition;
  std::vector<std::pair<std::string, size_t>> pending;  // definitions of the current paragraph
  scan_labels(
      body,
      [&](size_t open, size_t close) {
        if (close + 1 < body.size() && body[close + 1] == ':') pending.emplace_back(label_key(body.substr(open + 1, close - open - 1)), open);
      },
      [&](size_t end) {
        for (auto& [key, start] : pending) {
          uint64_t& size = definition[key];
          size = std::max<uint64_t>(size, end - start);
        }
        pending.clear();
      });
  if (definition.empty()) return std::nullopt;
  // Pass 2: every innermost bracket pair is a use of the definition its key could match.
  std::optional<ReferenceBlowup> blowup;
  uint64_t expanded = 0;
  scan_labels(
      body,
      [&](size_t open, size_t close) {
        auto it = definition.find(label_key(body.substr(open + 1, close - open - 1)));
        if (it == definition.end()) return;
        expanded += it->second;
        if (expanded > bound && !blowup) blowup = ReferenceBlowup{open, 0};
      },
      [](size_t) {});
  if (blowup) blowup->expanded = expanded;
  return blowup;
}

}  // namespace opsbook::model
