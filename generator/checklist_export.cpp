// Checklist export: one tree built with nlohmann::json, written as JSON or as block YAML
// (strings double-quoted with JSON escapes, which YAML reads the same way).
#include "generator/checklist_export.hpp"

#include <nlohmann/json.hpp>

#include "model/json_writer.hpp"

namespace opsbook::generator {

namespace {

using json = nlohmann::ordered_json;

json step_commands(const model::Runbook& rb, const model::Step& step) {
  json commands = json::array();
  for (const auto& id : step.snippets) {
    const model::Snippet* s = rb.find_snippet(id);
    if (!s) continue;
    json params = json::array();
    for (const auto& p : s->params) {
      bool seen = false;
      for (const auto& q : params) seen = seen || q["name"] == p.name;
      if (!seen) params.push_back({{"name", p.name}, {"syntax", p.syntax}, {"kind", std::string(model::to_string(p.kind))}});
    }
    commands.push_back({{"snippet", s->id},
                        {"code", s->code},
                        {"kind", std::string(model::to_string(s->kind))},
                        {"safety", std::string(model::to_string(s->safety))},
                        {"params", params}});
  }
  return commands;
}

json tree(const std::vector<model::Runbook>& runbooks) {
  json lists = json::array();
  for (const auto& rb : runbooks) {
    for (const auto& c : rb.checklists) {
      json steps = json::array();
      for (size_t i = 0; i < c.items.size(); ++i) {
        const model::Step& st = c.items[i];
        steps.push_back({{"id", st.id},
                         {"n", i + 1},
                         {"text", st.text},
                         {"line", st.line},
                         {"depth", st.depth},
                         {"checked", st.checked},
                         {"commands", step_commands(rb, st)}});
      }
      lists.push_back({{"id", c.id},
                       {"title", c.title},
                       {"kind", std::string(model::to_string(c.kind))},
                       {"runbook", rb.path},
                       {"runbook_title", rb.title},
                       {"section", c.section},
                       {"line", c.line},
                       {"steps", steps}});
    }
  }
  return {{"version", 1}, {"generator", "opsbook " OPSBOOK_VERSION}, {"checklists", lists}};
}

void yaml(const json& v, int indent, std::string& out) {
  std::string pad(static_cast<size_t>(indent), ' ');
  auto scalar = [](const json& s) {
    if (s.is_string()) return s.dump(-1, ' ', false, json::error_handler_t::replace);
    return s.dump();
  };
  if (v.is_object()) {
    for (const auto& [k, val] : v.items()) {
      if ((val.is_object() || val.is_array()) && !val.empty()) {
        out += pad + k + ":\n";
        yaml(val, indent + 2, out);
      } else {
        out += pad + k + ": " + (val.is_array() ? "[]" : val.is_object() ? "{}" : scalar(val)) + "\n";
      }
    }
  } else if (v.is_array()) {
    for (const auto& item : v) {
      if (item.is_object() && !item.empty()) {
        // "- " then the first key on the same line, the rest indented under it.
        std::string block;
        yaml(item, indent + 2, block);
        out += pad + "- " + block.substr(static_cast<size_t>(indent) + 2);
      } else {
        out += pad + "- " + scalar(item) + "\n";
      }
    }
  }
}

}  // namespace

std::string checklists_json(const std::vector<model::Runbook>& runbooks) {
  return model::json_controls_escaped(tree(runbooks).dump(2, ' ', false, json::error_handler_t::replace)) + "\n";
}

std::string checklists_yaml(const std::vector<model::Runbook>& runbooks) {
  std::string out = "# opsbook checklists (schema: schemas/checklist.schema.json)\n";
  yaml(tree(runbooks), 0, out);
  return out;
}

}  // namespace opsbook::generator
