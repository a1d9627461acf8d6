// JSON writer: escaping with a fast path for plain ASCII runs.
#include "json_writer.hpp"

#include <charconv>

#include "terminal_text.hpp"

namespace opsbook::model {

void append_json_string(std::string& out, std::string_view s) {
  static constexpr char k_hex[] = "0123456789abcdef";
  out.reserve(out.size() + s.size() + 2);
  out += '"';
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  size_t n = s.size();
  size_t run = 0;  // start of the pending run of bytes copied verbatim
  size_t i = 0;
  auto flush = [&](size_t end) {
    if (end > run) out.append(s.data() + run, end - run);
  };
  while (i < n) {
    unsigned char c = p[i];
    if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\') {
      ++i;
      continue;
    }
    if (c >= 0x80) {
      size_t len = (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3 : (c & 0xF8) == 0xF0 ? 4 : 0;
      bool ok = len > 0 && i + len <= n;
      uint32_t cp = len == 2 ? (c & 0x1Fu) : len == 3 ? (c & 0x0Fu) : (c & 0x07u);
      for (size_t k = 1; ok && k < len; ++k) {
        ok = (p[i + k] & 0xC0) == 0x80;
        cp = (cp << 6) | (p[i + k] & 0x3Fu);
      }
      if (ok) {
        uint32_t min = len == 2 ? 0x80 : len == 3 ? 0x800 : 0x10000;
        ok = cp >= min && cp <= 0x10FFFF && !(cp >= 0xD800 && cp <= 0xDFFF);
      }
      if (ok && unicode_control(s, i) != 0) {  // C1 and bidi controls: escaped, so the JSON is safe on a terminal too
        flush(i);
        out += "\\u";
        for (int shift = 12; shift >= 0; shift -= 4) out += k_hex[(cp >> shift) & 15];
        i += len;
        run = i;
        continue;
      }
      if (ok) {
        i += len;
        continue;
      }
      flush(i);
      out += "\xEF\xBF\xBD";
      ++i;
      run = i;
      continue;
    }
    flush(i);
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      case '\b': out += "\\b"; break;
      case '\f': out += "\\f"; break;
      default:
        out += "\\u00";
        out += k_hex[c >> 4];
        out += k_hex[c & 0xF];
    }
    ++i;
    run = i;
  }
  flush(n);
  out += '"';
}

std::string json_controls_escaped(std::string json) {
  static constexpr char k_hex[] = "0123456789abcdef";
  std::string out;
  size_t run = 0;
  for (size_t i = 0; i < json.size(); ++i) {
    unsigned control = json[i] == '\x7f' ? 0x7fu : static_cast<unsigned char>(json[i]) >= 0xc2 ? unicode_control(json, i) : 0;
    if (control == 0) continue;
    if (out.empty()) out.reserve(json.size() + 16);
    out.append(json, run, i - run);
    out += "\\u";
    for (int shift = 12; shift >= 0; shift -= 4) out += k_hex[(control >> shift) & 15];
    i += utf8_length(control) - 1;
    run = i + 1;
  }
  if (run == 0) return json;
  out.append(json, run, std::string::npos);
  return out;
}

void JsonWriter::separate() {
  if (m_after_key) {
    m_after_key = false;
    return;
  }
  if (!m_has_items.empty()) {
    if (m_has_items.back()) m_out += ',';
    m_has_items.back() = true;
  }
}

JsonWriter& JsonWriter::open(char c) {
  separate();
  m_out += c;
  m_has_items.push_back(false);
  return *this;
}

JsonWriter& JsonWriter::close(char c) {
  m_out += c;
  m_has_items.pop_back();
  return *this;
}

JsonWriter& JsonWriter::key(std::string_view name) {
  separate();
  append_json_string(m_out, name);
  m_out += ':';
  m_after_key = true;
  return *this;
}

JsonWriter& JsonWriter::value(std::string_view text) {
  separate();
  append_json_string(m_out, text);
  return *this;
}

void append_number(std::string& out, int64_t number) {
  char buf[24];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, number);
  out.append(buf, static_cast<size_t>(end - buf));
}

JsonWriter& JsonWriter::value(int64_t number) {
  separate();
  append_number(m_out, number);
  return *this;
}

JsonWriter& JsonWriter::value(bool flag) {
  separate();
  m_out += flag ? "true" : "false";
  return *this;
}

JsonWriter& JsonWriter::null() {
  separate();
  m_out += "null";
  return *this;
}

JsonWriter& JsonWriter::raw(std::string_view json) {
  separate();
  m_out.append(json);
  return *this;
}

JsonWriter& JsonWriter::string_array(std::string_view name, const std::vector<std::string>& items) {
  key(name);
  begin_array();
  for (const auto& s : items) value(s);
  return end_array();
}

}  // namespace opsbook::model
