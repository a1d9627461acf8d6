// Estimates what link reference definitions expand to, over-counting: each use costs the size of
// the largest definition that could match it, from its label to the next definition or the
// paragraph's end.
#include "reference_guard.hpp"

#include <algorithm>
#include <optional>
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

// True when `rest`, the text after a definition's `]:` up to the next label, holds its whole
// destination and title: a destination ended by white space (or `<...>`), then either no title
// or one closed. Anything else may reach further: the caller charges it to the paragraph's end.
bool ends_before(std::string_view rest) {
  size_t i = rest.find_first_not_of(" \t\r\n");
  if (i == std::string_view::npos) return false;  // no destination yet: it may be the next line
  if (rest[i] == '<') {
    size_t close = rest.find('>', i);
    if (close == std::string_view::npos) return false;
    i = close + 1;
  } else {
    i = rest.find_first_of(" \t\r\n", i);
    if (i == std::string_view::npos) return false;  // the destination may run on into the label
  }
  i = rest.find_first_not_of(" \t\r\n", i);
  if (i == std::string_view::npos) return true;  // no title
  char closer = rest[i] == '"' ? '"' : rest[i] == '\'' ? '\'' : rest[i] == '(' ? ')' : 0;
  if (closer == 0) return true;  // text that is no title: the definition ended before it
  for (size_t k = i + 1; k < rest.size(); ++k) {
    if (rest[k] == '\\') ++k;
    else if (rest[k] == closer) return true;
  }
  return false;
}

}  // namespace

uint64_t reference_expansion_bound(size_t file_bytes) { return uint64_t{8} * file_bytes + (uint64_t{1} << 20); }

std::optional<ReferenceBlowup> find_reference_blowup(std::string_view body, uint64_t bound) {
  // Pass 1: the largest definition per key. A definition reaches from its label to the next
  // label followed by `:` when its destination and title end before it (the next definition of
  // a block, as cmark reads them), else to the end of its paragraph (a title may take lines).
  // Charging each one to the paragraph's end made 200 definitions in 12 KB cost 2.3 MiB.
  std::unordered_map<std::string, uint64_t> definition;
  struct Pending {
    std::string key;
    size_t start = 0, after = 0;  // its `[` and the byte after its `]:`
  };
  std::vector<Pending> to_end;     // definitions of the current paragraph reaching its end
  std::optional<Pending> last;     // the latest one, until the next label with `:` settles it
  auto charge = [&](const Pending& d, size_t end) {
    uint64_t& size = definition[d.key];
    size = std::max<uint64_t>(size, end - d.start);
  };
  scan_labels(
      body,
      [&](size_t open, size_t close) {
        if (close + 1 >= body.size() || body[close + 1] != ':') return;
        if (last) {
          if (ends_before(body.substr(last->after, open - last->after))) charge(*last, open);
          else to_end.push_back(std::move(*last));
        }
        last = Pending{label_key(body.substr(open + 1, close - open - 1)), open, close + 2};
      },
      [&](size_t end) {
        if (last) to_end.push_back(std::move(*last));
        last.reset();
        for (const auto& d : to_end) charge(d, end);
        to_end.clear();
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
