// Slugs: what GitHub does for heading anchors, minus emoji and symbol code points.
#include "slug.hpp"

#include <locale.h>
#include <wctype.h>

#include "hash.hpp"

namespace opsbook::model {

namespace {

// Decodes one UTF-8 code point at s[i] (input is already validated or replaced).
unsigned decode(std::string_view s, size_t& i) {
  auto c = static_cast<unsigned char>(s[i]);
  unsigned cp = c;
  size_t len = 1;
  if (c >= 0xF0) {
    cp = c & 0x07u, len = 4;
  } else if (c >= 0xE0) {
    cp = c & 0x0Fu, len = 3;
  } else if (c >= 0xC0) {
    cp = c & 0x1Fu, len = 2;
  }
  for (size_t k = 1; k < len && i + k < s.size(); ++k) {
    cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3Fu);
  }
  i += len;
  return cp;
}

// Symbols, punctuation, emoji, variation selectors and joiners: dropped from slugs.
bool is_symbol(unsigned cp) {
  return (cp >= 0x80 && cp <= 0xBF) || cp == 0xD7 || cp == 0xF7 || (cp >= 0x2000 && cp <= 0x2BFF) ||
         (cp >= 0x3000 && cp <= 0x303F) || (cp >= 0xFE00 && cp <= 0xFE0F) || cp == 0xFEFF ||
         (cp >= 0xFFF0 && cp <= 0xFFFF) || cp >= 0x1F000;
}

// The lower-case form of a letter, from the C library's Unicode tables (C.UTF-8 is built into
// glibc): `Über` and `über` name one page, as `Deploy` and `deploy` do (s10b review B6).
unsigned lower(unsigned cp) {
  static const locale_t k_utf8 = newlocale(LC_CTYPE_MASK, "C.UTF-8", locale_t{});
  if (k_utf8 == locale_t{}) return cp;
  return static_cast<unsigned>(towlower_l(static_cast<wint_t>(cp), k_utf8));
}

void append_utf8(std::string& out, unsigned cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

}  // namespace

std::string slugify(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  size_t i = 0;
  while (i < text.size()) {
    char c = text[i];
    if (static_cast<unsigned char>(c) < 0x80) {
      ++i;
      if (c >= 'A' && c <= 'Z') {
        out += static_cast<char>(c - 'A' + 'a');
      } else if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-') {
        out += c;
      } else if (c == ' ' || c == '\t') {
        out += '-';
      }
      continue;
    }
    size_t start = i;
    unsigned cp = decode(text, i);
    if (is_symbol(cp)) continue;
    unsigned lowered = lower(cp);
    if (lowered == cp) out.append(text.substr(start, i - start));
    else append_utf8(out, lowered);
  }
  size_t b = out.find_first_not_of('-');
  if (b == std::string::npos) return "section";
  size_t e = out.find_last_not_of('-');
  return out.substr(b, e - b + 1);
}

std::string SlugSet::unique(std::string_view text) {
  std::string base = slugify(text);
  auto [it, inserted] = m_seen.try_emplace(base, 0);
  if (inserted) return base;
  // Keep counting until the candidate is free: "a-1" may itself be a heading.
  for (;;) {
    std::string candidate = base + '-' + std::to_string(++it->second);
    if (m_seen.try_emplace(candidate, 0).second) return candidate;
  }
}

std::string name_slug(std::string_view text) {
  constexpr size_t k_max = 120;
  std::string slug = slugify(text);
  if (slug.size() <= k_max) return slug;
  size_t cut = k_max - 17;  // '-' and 16 hex digits follow
  while (cut > 0 && (static_cast<unsigned char>(slug[cut]) & 0xC0) == 0x80) --cut;
  return slug.substr(0, cut) + "-" + hex64(fnv1a(slug));
}

}  // namespace opsbook::model
