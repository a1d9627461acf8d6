// Front matter. yaml-cpp marks are 0-based and relative to the YAML text; yaml_mark_to_loc is
// the one place that converts them to file lines.
#include "front_matter.hpp"

#include <yaml-cpp/yaml.h>

#include <algorithm>

#include <nlohmann/json.hpp>

#include "slug.hpp"
#include "text.hpp"

namespace opsbook::model {

namespace {

SourceLoc yaml_mark_to_loc(const YAML::Mark& mark, int yaml_first_line) {
  if (mark.line < 0) return SourceLoc{yaml_first_line, 0};
  return SourceLoc{yaml_first_line + mark.line, mark.column + 1};
}

// Thrown by ValueToJson when the front matter goes past a limit; names the limit.
struct OverLimit {
  std::string message, hint;
};

// Front matter values as JSON. yaml-cpp shares aliased nodes, so a small file can describe
// values of exponential size: one converter per front matter counts what it has produced, over
// all its values, and stops at the limits.
class ValueToJson {
 public:
  explicit ValueToJson(const Limits& limits) : m_limits(limits) {}

  nlohmann::json convert(const YAML::Node& node, size_t depth = 1) {
    if (depth > m_limits.nesting) {
      throw OverLimit{"value nested deeper than " + std::to_string(m_limits.nesting) + " levels", "flatten it, or raise limits.nesting in opsbook.yaml"};
    }
    spend(16);  // per node, so that empty values are counted too
    switch (node.Type()) {
      case YAML::NodeType::Sequence: {
        nlohmann::json arr = nlohmann::json::array();
        for (const auto& item : node) arr.push_back(convert(item, depth + 1));
        return arr;
      }
      case YAML::NodeType::Map: {
        nlohmann::json obj = nlohmann::json::object();
        for (const auto& kv : node) {
          std::string key = kv.first.IsScalar() ? kv.first.Scalar() : kv.first.as<std::string>();
          spend(key.size());
          obj[key] = convert(kv.second, depth + 1);
        }
        return obj;
      }
      case YAML::NodeType::Scalar: spend(node.Scalar().size()); return node.Scalar();
      default: return nullptr;
    }
  }

 private:
  void spend(size_t bytes) {
    m_spent += bytes;
    if (m_spent > m_limits.yaml_expanded_bytes) {
      throw OverLimit{"the front matter expands to more than " + std::to_string(m_limits.yaml_expanded_bytes) + " bytes (YAML aliases are expanded)",
                      "write the value out without nested aliases, or raise limits.yaml_expanded_bytes in opsbook.yaml"};
    }
  }

  const Limits& m_limits;
  size_t m_spent = 0;
};

// A scalar or a list of scalars; "a, b" in a scalar is split too (tags: "db, redis").
std::vector<std::string> string_list(const YAML::Node& node) {
  std::vector<std::string> out;
  if (node.IsSequence()) {
    for (const auto& item : node) {
      if (item.IsScalar()) out.push_back(valid_text(item.Scalar()));
    }
  } else if (node.IsScalar()) {
    std::string_view s = node.Scalar();
    size_t pos = 0;
    while (pos <= s.size()) {
      size_t comma = s.find(',', pos);
      if (comma == std::string_view::npos) comma = s.size();
      std::string_view item = trim(s.substr(pos, comma - pos));
      if (!item.empty()) out.push_back(valid_text(item));
      pos = comma + 1;
    }
  }
  return out;
}

// Services and tags name portal pages: one with no letter or digit (".", "..", "", "   ") would
// get the page name "section" with every other such name, silently. Left out, with a warning.
std::vector<std::string> page_names(std::vector<std::string> names, const char* what, const YAML::Node& v, const std::string& path, int first_line,
                                    Diagnostics& diagnostics) {
  std::erase_if(names, [&](const std::string& name) {
    if (slugify(name + " a") != "a") return false;  // the name adds something to the slug
    diagnostics.add(path, yaml_mark_to_loc(v.Mark(), first_line), Severity::warning, "front-matter",
                    std::string(what) + " '" + name + "' has no letter or digit to name its portal page; it is left out",
                    std::string("write the ") + what + " with letters or digits, or remove it");
    return true;
  });
  return names;
}

}  // namespace

YamlFlows yaml_flows(std::string_view yaml, size_t end) {
  end = std::min(end, yaml.size());
  // A quote opens a quoted scalar only where a scalar starts: at the start of a line or after
  // ':', '-', '?', ',', '[' or '{' (and blanks); elsewhere it is part of a plain scalar.
  auto scalar_start = [&](size_t i) {
    while (i > 0 && (yaml[i - 1] == ' ' || yaml[i - 1] == '\t')) --i;
    return i == 0 || std::string_view("\n:-?,[{").find(yaml[i - 1]) != std::string_view::npos;
  };
  YamlFlows flows;
  char quote = 0;
  for (size_t i = 0; i < end; ++i) {
    char c = yaml[i];
    if (quote != 0) {
      bool pair = (c == '\\' && quote == '"') || (c == '\'' && quote == '\'' && i + 1 < end && yaml[i + 1] == '\'');
      if (pair) ++i;  // \" in double quotes, '' in single quotes
      else if (c == quote) quote = 0;
    } else if (c == '#' && (i == 0 || yaml[i - 1] == ' ' || yaml[i - 1] == '\t' || yaml[i - 1] == '\n')) {
      while (i + 1 < end && yaml[i + 1] != '\n') ++i;
    } else if ((c == '"' || c == '\'') && scalar_start(i)) {
      quote = c;
    } else if (c == '[' || c == '{') {
      flows.open.push_back(i);
      if (flows.open.size() > flows.deepest) flows.deepest = flows.open.size(), flows.deepest_at = i;
    } else if ((c == ']' || c == '}') && !flows.open.empty()) {
      flows.open.pop_back();
    }
  }
  return flows;
}

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
  if (size_t depth = yaml_flow_depth(text); depth > Limits{}.nesting) {
    line = 1, column = 0;
    message = "nested " + std::to_string(depth) + " levels deep, more than the " + std::to_string(Limits{}.nesting) + " opsbook reads";
    return false;
  }
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
                        Diagnostics& diagnostics, const Limits& limits) {
  if (!split.present) return;
  out.present = true;
  out.line = split.yaml_first_line - 1;
  if (split.yaml.size() > limits.front_matter_bytes) {
    diagnostics.add(path, SourceLoc{split.yaml_first_line, 1}, Severity::error, "limit",
                    size_over_limit("the front matter", split.yaml.size(), limits.front_matter_bytes) + "; it is not read",
                    "move long text into the body, or raise limits.front_matter_bytes in opsbook.yaml");
    return;
  }
  if (yaml_flow_depth(split.yaml) > limits.nesting) {
    diagnostics.add(path, SourceLoc{split.yaml_first_line, 1}, Severity::error, "limit",
                    "the front matter is nested deeper than " + std::to_string(limits.nesting) + " levels; it is not read",
                    "flatten it, or raise limits.nesting in opsbook.yaml");
    return;
  }
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
  ValueToJson json(limits);
  for (const auto& kv : root) {
    std::string key;
    try {
      key = kv.first.as<std::string>();
      const YAML::Node& v = kv.second;
      nlohmann::json value = json.convert(v);  // bounded first: string_list copies aliased items too
      auto scalar = [&](std::string& field) {
        if (v.IsScalar()) {
          field = valid_text(v.Scalar());
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
      else if (key == "services") out.services = page_names(string_list(v), "service", v, path, split.yaml_first_line, diagnostics);
      else if (key == "tags") out.tags = page_names(string_list(v), "tag", v, path, split.yaml_first_line, diagnostics);
      else if (key == "environments") out.environments = string_list(v);
      else out.extra.emplace_back(key, value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
    } catch (const OverLimit& e) {
      diagnostics.add(path, yaml_mark_to_loc(kv.first.Mark(), split.yaml_first_line), Severity::error, "limit",
                      "front matter key '" + key + "': " + e.message + "; the rest of the front matter is not read", e.hint);
      return;
    } catch (const YAML::Exception& e) {
      diagnostics.add(path, yaml_mark_to_loc(e.mark, split.yaml_first_line), Severity::warning, "front-matter",
                      "could not read front matter key '" + key + "': " + e.msg, "");
    }
  }
}

}  // namespace opsbook::model
