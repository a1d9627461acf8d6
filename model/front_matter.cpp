// Front matter. yaml-cpp marks are 0-based and relative to the YAML text; yaml_mark_to_loc is
// the one place that converts them to file lines.
#include "front_matter.hpp"

#include <yaml-cpp/yaml.h>

#include <nlohmann/json.hpp>

#include "text.hpp"

namespace opsbook::model {

namespace {

SourceLoc yaml_mark_to_loc(const YAML::Mark& mark, int yaml_first_line) {
  if (mark.line < 0) return SourceLoc{yaml_first_line, 0};
  return SourceLoc{yaml_first_line + mark.line, mark.column + 1};
}

nlohmann::json to_json(const YAML::Node& node) {
  switch (node.Type()) {
    case YAML::NodeType::Sequence: {
      nlohmann::json arr = nlohmann::json::array();
      for (const auto& item : node) arr.push_back(to_json(item));
      return arr;
    }
    case YAML::NodeType::Map: {
      nlohmann::json obj = nlohmann::json::object();
      for (const auto& kv : node) obj[kv.first.as<std::string>()] = to_json(kv.second);
      return obj;
    }
    case YAML::NodeType::Scalar: return node.Scalar();
    default: return nullptr;
  }
}

// A scalar or a list of scalars; "a, b" in a scalar is split too (tags: "db, redis").
std::vector<std::string> string_list(const YAML::Node& node) {
  std::vector<std::string> out;
  if (node.IsSequence()) {
    for (const auto& item : node) {
      if (item.IsScalar()) out.push_back(item.Scalar());
    }
  } else if (node.IsScalar()) {
    std::string_view s = node.Scalar();
    size_t pos = 0;
    while (pos <= s.size()) {
      size_t comma = s.find(',', pos);
      if (comma == std::string_view::npos) comma = s.size();
      std::string_view item = trim(s.substr(pos, comma - pos));
      if (!item.empty()) out.emplace_back(item);
      pos = comma + 1;
    }
  }
  return out;
}

}  // namespace

FrontMatterSplit split_front_matter(std::string_view source, const std::string& path, Diagnostics& diagnostics) {
  FrontMatterSplit split;
  size_t start = source.starts_with("\xEF\xBB\xBF") ? 3 : 0;
  std::string_view rest = source.substr(start);
  if (!(rest.starts_with("---\n") || rest.starts_with("---\r\n"))) return split;
  size_t pos = rest.find('\n') + 1;
  int line = 2;
  while (pos < rest.size()) {
    size_t end = rest.find('\n', pos);
    std::string_view text = rest.substr(pos, end == std::string_view::npos ? rest.size() - pos : end - pos);
    if (!text.empty() && text.back() == '\r') text.remove_suffix(1);
    if (text == "---" || text == "...") {
      split.present = true;
      size_t yaml_start = rest.find('\n') + 1;
      split.yaml = rest.substr(yaml_start, pos - yaml_start);
      split.yaml_first_line = 2;
      split.body_offset = start + (end == std::string_view::npos ? rest.size() : end + 1);
      split.body_first_line = line + 1;
      return split;
    }
    if (end == std::string_view::npos) break;
    pos = end + 1;
    ++line;
  }
  diagnostics.add(path, SourceLoc{1, 1}, Severity::warning, "front-matter",
                  "the file starts with '---' but the front matter is never closed; reading it as markdown",
                  "close the front matter with a line containing only '---'");
  return split;
}

bool check_yaml(std::string_view text, int& line, int& column, std::string& message) {
  try {
    std::vector<YAML::Node> docs = YAML::LoadAll(std::string(text));
    (void)docs;
    return true;
  } catch (const YAML::Exception& e) {
    line = e.mark.line >= 0 ? e.mark.line + 1 : 1;
    column = e.mark.column >= 0 ? e.mark.column + 1 : 0;
    message = e.msg;
    return false;
  }
}

void parse_front_matter(const FrontMatterSplit& split, const std::string& path, FrontMatter& out,
                        Diagnostics& diagnostics) {
  if (!split.present) return;
  out.present = true;
  out.line = split.yaml_first_line - 1;
  YAML::Node root;
  try {
    root = YAML::Load(std::string(split.yaml));
  } catch (const YAML::Exception& e) {
    diagnostics.add(path, yaml_mark_to_loc(e.mark, split.yaml_first_line), Severity::error, "front-matter",
                    "invalid YAML front matter: " + e.msg,
                    "fix the YAML between the '---' lines (quote values that contain ':' or '#')");
    return;
  }
  if (root.IsNull()) return;
  if (!root.IsMap()) {
    diagnostics.add(path, SourceLoc{split.yaml_first_line, 1}, Severity::error, "front-matter",
                    "front matter must be a YAML mapping (key: value lines)", "write e.g. 'title: Restart the worker'");
    return;
  }
  for (const auto& kv : root) {
    std::string key;
    try {
      key = kv.first.as<std::string>();
      const YAML::Node& v = kv.second;
      auto scalar = [&](std::string& field) {
        if (v.IsScalar()) {
          field = v.Scalar();
        } else if (!v.IsNull()) {
          diagnostics.add(path, yaml_mark_to_loc(v.Mark(), split.yaml_first_line), Severity::warning, "front-matter",
                          "'" + key + "' should be a single value", "write '" + key + ": <value>'");
        }
      };
      if (key == "title") scalar(out.title);
      else if (key == "description") scalar(out.description);
      else if (key == "owner") scalar(out.owner);
      else if (key == "severity") scalar(out.severity);
      else if (key == "last_reviewed") scalar(out.last_reviewed);
      else if (key == "services") out.services = string_list(v);
      else if (key == "tags") out.tags = string_list(v);
      else if (key == "environments") out.environments = string_list(v);
      else out.extra.emplace_back(key, to_json(v).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
    } catch (const YAML::Exception& e) {
      diagnostics.add(path, yaml_mark_to_loc(e.mark, split.yaml_first_line), Severity::warning, "front-matter",
                      "could not read front matter key '" + key + "': " + e.msg, "");
    }
  }
}

}  // namespace opsbook::model
