// Control characters and bytes that are not UTF-8, shown as escapes for terminals and logs.
#include "terminal_text.hpp"

#include "text.hpp"

namespace opsbook::model {

namespace {

constexpr char k_hex[] = "0123456789abcdef";

bool shown_raw(unsigned char c, Lines lines) { return c >= 0x20 ? c != 0x7f : c == '\t' || (c == '\n' && lines == Lines::many); }

// The bidirectional embeddings, overrides, isolates and marks (U+202A-U+202E, U+2066-U+2069,
// U+200E, U+200F, U+061C): they
// reorder what follows on the line, so a file name or a command can read as something else.
// Its code point, or 0.
unsigned bidi_control(std::string_view text, size_t i) {
  if (i + 1 < text.size() && static_cast<unsigned char>(text[i]) == 0xd8 && static_cast<unsigned char>(text[i + 1]) == 0x9c) return 0x061c;  // ALM
  if (i + 2 >= text.size() || static_cast<unsigned char>(text[i]) != 0xe2) return 0;
  auto b1 = static_cast<unsigned char>(text[i + 1]), b2 = static_cast<unsigned char>(text[i + 2]);
  // LRM and RLM (U+200E, U+200F) too (s10c review B10).
  if ((b1 == 0x80 && ((b2 >= 0xaa && b2 <= 0xae) || b2 == 0x8e || b2 == 0x8f)) || (b1 == 0x81 && b2 >= 0xa6 && b2 <= 0xa9)) {
    return 0x2000u + ((b1 & 0x3fu) << 6) + (b2 & 0x3fu);
  }
  return 0;
}

}  // namespace

unsigned unicode_control(std::string_view text, size_t i) {
  if (static_cast<unsigned char>(text[i]) == 0xc2 && i + 1 < text.size() && static_cast<unsigned char>(text[i + 1]) >= 0x80 &&
      static_cast<unsigned char>(text[i + 1]) < 0xa0) {
    return static_cast<unsigned char>(text[i + 1]);
  }
  return bidi_control(text, i);
}

namespace {

// Valid UTF-8 text: C0 and DEL as \xNN, C1 (encoded 0xc2 0x80-0x9f) and bidi controls as \uNNNN.
void append_valid(std::string& out, std::string_view text, Lines lines) {
  for (size_t i = 0; i < text.size(); ++i) {
    auto c = static_cast<unsigned char>(text[i]);
    if (unsigned bidi = bidi_control(text, i); bidi != 0) {
      out += std::string("\\u") + k_hex[(bidi >> 12) & 15] + k_hex[(bidi >> 8) & 15] + k_hex[(bidi >> 4) & 15] + k_hex[bidi & 15];
      i += bidi == 0x061c ? 1 : 2;
    } else if (c == 0xc2 && i + 1 < text.size() && static_cast<unsigned char>(text[i + 1]) < 0xa0) {
      auto c1 = static_cast<unsigned char>(text[++i]);
      out += std::string("\\u00") + k_hex[c1 >> 4] + k_hex[c1 & 15];
    } else if (shown_raw(c, lines)) {
      out += text[i];
    } else {
      out += std::string("\\x") + k_hex[c >> 4] + k_hex[c & 15];
    }
  }
}

}  // namespace

bool needs_terminal_escape(std::string_view text, Lines lines) {
  for (size_t i = 0; i < text.size(); ++i) {
    auto c = static_cast<unsigned char>(text[i]);
    if (c < 0x80 ? !shown_raw(c, lines) : (c == 0xc2 && i + 1 < text.size() && static_cast<unsigned char>(text[i + 1]) < 0xa0) || bidi_control(text, i) != 0) return true;
  }
  return find_invalid_utf8(text) != std::string_view::npos;
}

std::string terminal_text(std::string_view text, Lines lines) {
  if (!needs_terminal_escape(text, lines)) return std::string(text);
  std::string out;
  out.reserve(text.size() + 16);
  while (!text.empty()) {
    size_t bad = find_invalid_utf8(text);
    append_valid(out, text.substr(0, bad), lines);
    if (bad == std::string_view::npos) break;
    auto c = static_cast<unsigned char>(text[bad]);
    out += std::string("\\x") + k_hex[c >> 4] + k_hex[c & 15];
    text.remove_prefix(bad + 1);
  }
  return out;
}

size_t find_control_character(std::string_view text, size_t from) {
  for (size_t i = from; i < text.size(); ++i) {
    auto c = static_cast<unsigned char>(text[i]);
    if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') continue;
    if ((c < 0x20 && c != '\t' && c != '\n') || c == 0x7f) return i;
    if (c == 0xc2 && i + 1 < text.size() && (static_cast<unsigned char>(text[i + 1]) & 0xe0) == 0x80) return i;
  }
  return std::string_view::npos;
}

void print_line(std::string_view text, std::FILE* out) {
  std::string shown = terminal_text(text, Lines::many);
  if (shown.empty() || shown.back() != '\n') shown += '\n';
  std::fputs(shown.c_str(), out);
}

}  // namespace opsbook::model
