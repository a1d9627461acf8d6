// A streaming reader for JSON documents shaped like opsbook's check reports: one object whose
// object members are read flat and whose array members are handed over one element at a time, so
// a report of 100,000 results never exists as a DOM (read_report, build --report).
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace opsbook::model {

// One JSON value; a nested object or array is known by its type only.
struct JsonValue {
  enum class Type : uint8_t { null, boolean, negative, count, real, string, object, array };
  Type type = Type::null;
  bool flag = false;
  int64_t negative = 0;  // Type::negative
  uint64_t count = 0;    // Type::count: an integer >= 0
  double real = 0;       // every number, as a double
  std::string text;      // Type::string

  [[nodiscard]] bool is_number() const { return type == Type::negative || type == Type::count || type == Type::real; }
};

// An object read flat: its members in document order, a repeated name keeping its last value (as
// a DOM would).
struct JsonObject {
  std::vector<std::pair<std::string, JsonValue>> members;

  [[nodiscard]] const JsonValue* find(std::string_view name) const;
  JsonValue* find(std::string_view name);
  JsonValue& set(std::string&& name);  // the member's value, reset to null
};

// What the document's top-level arrays hold, element by element.
class JsonArrayVisitor {
 public:
  virtual ~JsonArrayVisitor() = default;
  // A top-level array member starts (again, if its name repeats: a DOM keeps only the last).
  virtual void begin_array(std::string_view name) = 0;
  // Its element `index`: `value` (an object's members are in `object`, which the visitor may
  // move from).
  virtual void element(std::string_view name, size_t index, const JsonValue& value, JsonObject& object) = 0;
};

struct JsonDocument {
  bool valid = false;      // the text is exactly one JSON value
  bool is_object = false;  // and that value is an object
  JsonObject root;         // its members (arrays went to the visitor)
  // Object members and the objects inside them, flat, by dotted path ("summary", "summary.live").
  std::map<std::string, JsonObject, std::less<>> objects;
};

JsonDocument read_json_document(std::string_view text, JsonArrayVisitor& visitor);

}  // namespace opsbook::model
