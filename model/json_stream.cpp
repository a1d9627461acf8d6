// The report-shaped JSON reader on nlohmann::json's SAX parser: a stack of what each open
// container is for (the root, a captured object, an element of a top-level array); everything
// nested deeper is only counted, so deep nesting costs no memory of ours.
#include "model/json_stream.hpp"

#include <nlohmann/json.hpp>

namespace opsbook::model {

const JsonValue* JsonObject::find(std::string_view name) const {
  for (auto it = members.rbegin(); it != members.rend(); ++it) {
    if (it->first == name) return &it->second;
  }
  return nullptr;
}

JsonValue* JsonObject::find(std::string_view name) { return const_cast<JsonValue*>(std::as_const(*this).find(name)); }

JsonValue& JsonObject::set(std::string&& name) {
  JsonValue* v = find(name);
  if (!v) v = &members.emplace_back(std::move(name), JsonValue{}).second;
  *v = JsonValue{};
  return *v;
}

namespace {

using nlohmann::json;

class Handler : public nlohmann::json_sax<json> {
 public:
  Handler(JsonDocument& doc, JsonArrayVisitor& visitor) : m_doc(doc), m_visitor(visitor) {}

  bool null() override { return scalar(JsonValue{}); }
  bool boolean(bool v) override {
    JsonValue j;
    j.type = JsonValue::Type::boolean, j.flag = v;
    return scalar(std::move(j));
  }
  bool number_integer(number_integer_t v) override {
    JsonValue j;
    j.type = JsonValue::Type::negative, j.negative = v, j.real = static_cast<double>(v);
    return scalar(std::move(j));
  }
  bool number_unsigned(number_unsigned_t v) override {
    JsonValue j;
    j.type = JsonValue::Type::count, j.count = v, j.real = static_cast<double>(v);
    return scalar(std::move(j));
  }
  bool number_float(number_float_t v, const string_t&) override {
    JsonValue j;
    j.type = JsonValue::Type::real, j.real = v;
    return scalar(std::move(j));
  }
  // The lexer clears its buffer before each token: moving from it saves a copy per string.
  bool string(string_t& v) override {
    JsonValue j;
    j.type = JsonValue::Type::string, j.text = std::move(v);
    return scalar(std::move(j));
  }
  bool binary(binary_t&) override { return true; }  // not produced by the JSON format
  bool key(string_t& v) override {
    m_key = std::move(v);
    return true;
  }
  bool start_object(size_t) override { return open(JsonValue::Type::object); }
  bool start_array(size_t) override { return open(JsonValue::Type::array); }
  bool end_object() override { return close(); }
  bool end_array() override { return close(); }
  bool parse_error(size_t, const std::string&, const nlohmann::detail::exception&) override { return false; }

 private:
  enum class Role : uint8_t { root, object, array, element };
  struct Frame {
    Role role;
    JsonObject* target = nullptr;  // root, object, element: where members go
    std::string path;              // object: dotted path; array: its name
    size_t index = 0;              // array: the next element's index
  };

  bool scalar(JsonValue&& v) {
    if (m_skip > 0) return true;
    if (m_stack.empty()) return true;  // the document is a lone scalar
    Frame& top = m_stack.back();
    if (top.role == Role::array) {
      m_element.members.clear();
      m_visitor.element(top.path, top.index++, v, m_element);
    } else {
      top.target->set(std::move(m_key)) = std::move(v);
    }
    return true;
  }

  bool open(JsonValue::Type type) {
    if (m_skip > 0) return ++m_skip, true;
    if (m_stack.empty()) {
      if (type == JsonValue::Type::object) {
        m_doc.is_object = true;
        m_stack.push_back({Role::root, &m_doc.root, {}, 0});
      } else {
        m_skip = 1;
      }
      return true;
    }
    Frame& top = m_stack.back();
    if (top.role == Role::array) {
      if (type == JsonValue::Type::object) {
        m_element.members.clear();
        m_stack.push_back({Role::element, &m_element, {}, 0});
      } else {
        JsonValue v;
        v.type = type;
        m_element.members.clear();
        m_visitor.element(top.path, top.index++, v, m_element);
        m_skip = 1;
      }
      return true;
    }
    top.target->set(std::string(m_key)).type = type;
    if (top.role == Role::root && type == JsonValue::Type::array) {
      m_visitor.begin_array(m_key);
      m_stack.push_back({Role::array, nullptr, std::move(m_key), 0});
    } else if (type == JsonValue::Type::object && (top.role == Role::root || (top.role == Role::object && m_stack.size() < 3))) {
      std::string path = top.role == Role::root ? std::move(m_key) : top.path + "." + m_key;
      JsonObject& target = m_doc.objects[path];
      target.members.clear();
      m_stack.push_back({Role::object, &target, std::move(path), 0});
    } else {
      m_skip = 1;
    }
    return true;
  }

  bool close() {
    if (m_skip > 0) return --m_skip, true;
    Frame done = std::move(m_stack.back());
    m_stack.pop_back();
    if (done.role == Role::element) {
      Frame& array = m_stack.back();
      JsonValue v;
      v.type = JsonValue::Type::object;
      m_visitor.element(array.path, array.index++, v, m_element);
    }
    return true;
  }

  JsonDocument& m_doc;
  JsonArrayVisitor& m_visitor;
  std::vector<Frame> m_stack;
  size_t m_skip = 0;  // how deep inside containers nobody reads
  std::string m_key;
  JsonObject m_element;
};

}  // namespace

JsonDocument read_json_document(std::string_view text, JsonArrayVisitor& visitor) {
  JsonDocument doc;
  Handler handler(doc, visitor);
  doc.valid = json::sax_parse(text.begin(), text.end(), &handler, json::input_format_t::json, true);
  return doc;
}

}  // namespace opsbook::model
