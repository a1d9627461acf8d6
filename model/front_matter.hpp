// YAML front matter: split it off the markdown, parse it with yaml-cpp, map errors to file lines.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "limits.hpp"
#include "runbook.hpp"

namespace opsbook::model {

struct FrontMatterSplit {
  bool present = false;
  std::string_view yaml;
  int yaml_first_line = 0;  // file line of the first YAML line
  size_t body_offset = 0;   // byte offset of the markdown body
  int body_first_line = 1;  // file line of the first body line
};

FrontMatterSplit split_front_matter(std::string_view source, const std::string& path, Diagnostics& diagnostics);

// YAML flow collections ([ and {) outside quotes and comments, up to byte `end`: the deepest
// nesting and where it is first reached, and the offsets of those still open there (innermost last).
struct YamlFlows {
  size_t deepest = 0;
  size_t deepest_at = 0;  // the offset of the first opener that reached `deepest`
  std::vector<size_t> open;
};
YamlFlows yaml_flows(std::string_view yaml, size_t end = std::string_view::npos);

// Deepest nesting of YAML flow collections. Checked before yaml-cpp reads a text: its parser
// recurses once per level (up to 2,000 levels, more stack than a worker thread under a sanitizer
// has).
inline size_t yaml_flow_depth(std::string_view yaml) { return yaml_flows(yaml).deepest; }

// Checks that `text` parses as YAML; returns false and fills the 1-based line/column (within
// `text`) and message of the first error.
bool check_yaml(std::string_view text, int& line, int& column, std::string& message);

// Bounded by `limits`: the front matter's size, and each value's nesting and size once YAML
// aliases are expanded (a "billion laughs" stops at limits.yaml_value_bytes, not at memory).
void parse_front_matter(const FrontMatterSplit& split, const std::string& path, FrontMatter& out,
                        Diagnostics& diagnostics, const Limits& limits);

}  // namespace opsbook::model
