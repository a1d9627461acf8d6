// Fence info strings: the language word, then attributes in Runme's JSON form
// ({"name":"x","run":"confirm"}) or as key=value pairs ({name=x run=confirm}).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "runbook.hpp"

namespace opsbook::model {

struct InfoString {
  std::string lang;  // lower-cased first word
  Attributes attrs;
  std::vector<std::string> errors;    // malformed attribute syntax
  std::vector<std::string> unknown;   // keys opsbook does not know
  bool too_deep = false;              // JSON attributes nested deeper than the limit: not read
};

// A fence's attributes past this many are not read (an error says so).
inline constexpr size_t k_max_attributes = 256;
// Nor any attributes written in more than this many bytes.
inline constexpr size_t k_max_attributes_bytes = 16 << 10;

// `max_nesting`: deepest JSON nesting read (limits.nesting); deeper attributes are not parsed.
InfoString parse_info_string(std::string_view info, size_t max_nesting = 64);

// The attribute keys opsbook understands (SPEC §2, plus `safety`).
bool is_known_attribute(std::string_view key);

}  // namespace opsbook::model
