// Info-string parsing. JSON goes through nlohmann::json; key=value is a small tokenizer with
// quoted values. Values are kept as strings (arrays joined with ",").
#include "model/attributes.hpp"

#include <algorithm>
#include <array>
#include <nlohmann/json.hpp>

#include "front_matter.hpp"
#include "text.hpp"

namespace opsbook::model {

bool is_known_attribute(std::string_view key) {
  static constexpr std::array<std::string_view, 14> k_known = {
      "name", "run", "check", "env", "timeout", "expect-exit", "expect-stdout", "expect-status",
      "service", "cwd", "safety", "interactive", "id", "excludeFromRunAll"};
  return std::find(k_known.begin(), k_known.end(), key) != k_known.end();
}

namespace {

std::string json_value_to_string(const nlohmann::ordered_json& v) {
  if (v.is_string()) return v.get<std::string>();
  if (v.is_array()) {
    std::string out;
    for (const auto& e : v) {
      if (!out.empty()) out += ',';
      out += json_value_to_string(e);
    }
    return out;
  }
  return v.dump();
}

void parse_key_values(std::string_view body, InfoString& out) {
  size_t i = 0;
  while (i < body.size()) {
    if (out.attrs.size() == k_max_attributes) {
      out.errors.push_back("more than " + std::to_string(k_max_attributes) + " attributes: the rest are not read");
      return;
    }
    while (i < body.size() && (body[i] == ' ' || body[i] == ',' || body[i] == '\t')) ++i;
    if (i >= body.size()) break;
    size_t key_start = i;
    while (i < body.size() && body[i] != '=' && body[i] != ' ' && body[i] != ',') ++i;
    std::string key(body.substr(key_start, i - key_start));
    if (i >= body.size() || body[i] != '=') {
      // A bare word is a boolean flag: {interactive}.
      if (!key.empty()) out.attrs.emplace_back(key, "true");
      continue;
    }
    ++i;  // '='
    std::string value;
    if (i < body.size() && (body[i] == '"' || body[i] == '\'')) {
      char q = body[i++];
      size_t end = body.find(q, i);
      if (end == std::string_view::npos) {
        out.errors.push_back("unterminated quote in the value of '" + key + "'");
        end = body.size();
      }
      value = std::string(body.substr(i, end - i));
      i = std::min(body.size(), end + 1);
    } else {
      size_t start = i;
      // A value runs to the next space that starts another key=..., so "200-204, 429" survives.
      while (i < body.size()) {
        if (body[i] == ' ') {  // each word after a space is read once: linear in the value
          size_t next = body.find_first_not_of(' ', i);
          if (next == std::string_view::npos) break;
          size_t end = next;
          while (end < body.size() && body[end] != ' ' && body[end] != '=') ++end;
          if (end < body.size() && body[end] == '=') break;
          i = end;
          continue;
        }
        ++i;
      }
      value = std::string(trim(body.substr(start, i - start)));
      if (!value.empty() && value.back() == ',') value.pop_back();
    }
    if (key.empty()) {
      out.errors.push_back("attribute without a name");
      continue;
    }
    out.attrs.emplace_back(key, value);
  }
}

}  // namespace

InfoString parse_info_string(std::string_view info, size_t max_nesting) {
  InfoString out;
  info = trim(info);
  size_t brace = info.find('{');
  std::string_view head = trim(info.substr(0, brace));
  size_t sp = head.find_first_of(" \t");
  out.lang = to_lower(head.substr(0, sp));
  if (brace == std::string_view::npos) return out;
  std::string_view attrs = trim(info.substr(brace));
  if (attrs.back() != '}') {
    out.errors.push_back("attributes must end with '}'");
    return out;
  }
  bool parsed = false;
  bool json = attrs.find('"') != std::string_view::npos && attrs.find(':') != std::string_view::npos;
  if (json) {
    // Checked before parsing, as reading a value (json_value_to_string, dump) recurses once per
    // level. JSON is YAML flow syntax, so the one bracket counter serves both.
    if (yaml_flow_depth(attrs) > max_nesting) {
      out.too_deep = true;
      return out;
    }
  }
  if (attrs.size() > k_max_attributes_bytes) {  // nlohmann's ordered objects insert in linear time: 2 MB of keys took minutes
    out.errors.push_back("attributes longer than " + std::to_string(k_max_attributes_bytes >> 10) + " KiB: not read");
    return out;
  }
  if (json) {
    nlohmann::ordered_json j = nlohmann::ordered_json::parse(attrs, nullptr, /*allow_exceptions=*/false);
    if (j.is_object()) {
      for (const auto& [k, v] : j.items()) {
        if (out.attrs.size() == k_max_attributes) {
          out.errors.push_back("more than " + std::to_string(k_max_attributes) + " attributes: the rest are not read");
          break;
        }
        out.attrs.emplace_back(k, json_value_to_string(v));
      }
      parsed = true;
    } else if (!j.is_discarded()) {
      out.errors.push_back("JSON attributes must be an object");
      parsed = true;
    }
  }
  if (!parsed) parse_key_values(attrs.substr(1, attrs.size() - 2), out);
  for (const auto& [k, v] : out.attrs) {
    if (!is_known_attribute(k)) out.unknown.push_back(k);
  }
  return out;
}

}  // namespace opsbook::model
