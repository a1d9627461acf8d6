// A streaming JSON writer into a std::string: no DOM, no per-value allocation. Used where
// output size matters (inspect --json of 10,000 pages, reports). Invalid UTF-8 is written as
// U+FFFD so the output is always valid JSON.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace opsbook::model {

class JsonWriter {
 public:
  explicit JsonWriter(std::string& out) : m_out(out) {}

  JsonWriter& begin_object() { return open('{'); }
  JsonWriter& end_object() { return close('}'); }
  JsonWriter& begin_array() { return open('['); }
  JsonWriter& end_array() { return close(']'); }

  JsonWriter& key(std::string_view name);
  JsonWriter& value(std::string_view text);
  JsonWriter& value(const char* text) { return value(std::string_view(text)); }
  JsonWriter& value(const std::string& text) { return value(std::string_view(text)); }
  JsonWriter& value(int64_t number);
  JsonWriter& value(int number) { return value(static_cast<int64_t>(number)); }
  JsonWriter& value(size_t number) { return value(static_cast<int64_t>(number)); }
  JsonWriter& value(bool flag);
  JsonWriter& null();
  // Inserts already-serialised JSON (e.g. a front-matter value).
  JsonWriter& raw(std::string_view json);

  template <typename T>
  JsonWriter& field(std::string_view name, const T& v) {
    key(name);
    return value(v);
  }
  JsonWriter& string_array(std::string_view name, const std::vector<std::string>& items);

 private:
  JsonWriter& open(char c);
  JsonWriter& close(char c);
  void separate();

  std::string& m_out;
  std::vector<bool> m_has_items;
  bool m_after_key = false;
};

// Appends `text` as a quoted JSON string.
void append_json_string(std::string& out, std::string_view text);
// JSON text (from another writer: nlohmann's dump) with each DEL, C1 and bidi control written as
// \uNNNN: the same JSON, and safe on a terminal (they can only stand inside strings).
std::string json_controls_escaped(std::string json);
// Appends `number` in decimal (a JSON number).
void append_number(std::string& out, int64_t number);

}  // namespace opsbook::model
