// JSON serialisation of the model, streamed with JsonWriter (stable key order, no DOM).
#include "model_json.hpp"

#include <nlohmann/json.hpp>

#include "json_writer.hpp"

namespace opsbook::model {

namespace {

void write_diagnostic(JsonWriter& w, const Diagnostic& d) {
  w.begin_object();
  w.field("rule", d.rule).field("severity", to_string(d.severity)).field("file", d.file).field("line", d.loc.line);
  if (d.loc.col > 0) w.field("column", d.loc.col);
  w.field("message", d.message).field("hint", d.hint);
  w.end_object();
}

void write_reasons(JsonWriter& w, const std::vector<SafetyReason>& reasons, std::string_view key = "reasons") {
  w.key(key).begin_array();
  for (const auto& r : reasons) {
    w.begin_object().field("line", r.line).field("level", to_string(r.level)).field("reason", r.reason).end_object();
  }
  w.end_array();
}

void write_snippet(JsonWriter& w, const Snippet& s) {
  w.begin_object();
  w.field("id", s.id).field("kind", to_string(s.kind)).field("lang", s.lang).field("line", s.line);
  w.field("code_line", s.code_line).field("section", s.section).field("inline", s.is_inline).field("code", s.code);
  w.key("commands").begin_array();
  for (const auto& c : s.commands) {
    w.begin_object().field("line", c.line).field("end_line", c.end_line > 0 ? c.end_line : c.line).field("text", c.text);
    w.field("lang", to_string(c.lang)).field("safety", to_string(c.safety)).field("interactive", c.interactive);
    if (!c.prompt.empty()) w.field("prompt", c.prompt);
    write_reasons(w, c.reasons);
    w.end_object();
  }
  w.end_array();
  if (!s.expected_output.empty()) w.field("expected_output", s.expected_output);
  if (!s.notes.empty()) {
    w.key("notes").begin_array();
    for (const auto& n : s.notes) w.begin_object().field("line", n.line).field("note", n.note).end_object();
    w.end_array();
  }
  w.field("safety", to_string(s.safety)).field("safety_classified", to_string(s.classified));
  if (s.declared) w.field("safety_declared", to_string(*s.declared));
  write_reasons(w, s.reasons, "safety_reasons");
  w.key("params").begin_array();
  for (const auto& p : s.params) {
    w.begin_object().field("name", p.name).field("kind", to_string(p.kind)).field("syntax", p.syntax).field("line", p.line);
    if (p.has_default) w.field("has_default", true);
    w.end_object();
  }
  w.end_array();
  w.key("attrs").begin_object();
  for (const auto& [k, v] : s.attrs) w.field(k, v);
  w.end_object();
  w.end_object();
}

void write_front_matter(JsonWriter& w, const FrontMatter& m) {
  w.key("front_matter").begin_object();
  if (m.present) {
    auto put = [&](const char* key, const std::string& v) {
      if (!v.empty()) w.field(key, v);
    };
    put("title", m.title);
    put("description", m.description);
    put("owner", m.owner);
    put("severity", m.severity);
    put("last_reviewed", m.last_reviewed);
    if (!m.services.empty()) w.string_array("services", m.services);
    if (!m.tags.empty()) w.string_array("tags", m.tags);
    if (!m.environments.empty()) w.string_array("environments", m.environments);
    for (const auto& [k, v] : m.extra) w.key(k).raw(v);
  }
  w.end_object();
}

void write_runbook(JsonWriter& w, const Runbook& rb) {
  w.begin_object();
  w.field("path", rb.path).field("slug", rb.slug).field("title", rb.title);
  write_front_matter(w, rb.meta);
  w.key("sections").begin_array();
  for (const auto& s : rb.sections) {
    w.begin_object().field("slug", s.slug).field("title", s.title).field("level", s.level).field("line", s.line);
    w.key("parent");
    if (s.parent >= 0) w.value(rb.sections[static_cast<size_t>(s.parent)].slug);
    else w.null();
    w.end_object();
  }
  w.end_array();
  w.key("snippets").begin_array();
  for (const auto& s : rb.snippets) write_snippet(w, s);
  w.end_array();
  w.key("endpoints").begin_array();
  for (const auto& e : rb.endpoints) {
    w.begin_object().field("url", e.url).field("method", e.method);
    w.field("expect_status", e.expect_status.empty() ? std::string("2xx") : e.expect_status);
    w.field("line", e.line).field("source", e.source);
    if (!e.service.empty()) w.field("service", e.service);
    if (!e.snippet.empty()) w.field("snippet", e.snippet);
    if (e.insecure) w.field("insecure", true);
    w.end_object();
  }
  w.end_array();
  w.key("ports").begin_array();
  for (const auto& p : rb.ports) {
    w.begin_object().field("service", p.service).field("port", p.port).field("line", p.line);
    if (p.container_port) w.field("container_port", p.container_port);
    if (!p.protocol.empty()) w.field("protocol", p.protocol);
    if (!p.environment.empty()) w.field("environment", p.environment);
    w.end_object();
  }
  w.end_array();
  w.key("checklists").begin_array();
  for (const auto& c : rb.checklists) {
    w.begin_object().field("id", c.id).field("title", c.title).field("kind", to_string(c.kind));
    w.field("section", c.section).field("line", c.line);
    w.key("items").begin_array();
    for (const auto& st : c.items) {
      w.begin_object().field("id", st.id).field("text", st.text).field("checked", st.checked).field("line", st.line);
      if (st.depth) w.field("depth", st.depth);
      w.string_array("snippets", st.snippets);
      w.end_object();
    }
    w.end_array();
    w.end_object();
  }
  w.end_array();
  w.key("tables").begin_array();
  for (const auto& t : rb.tables) {
    w.begin_object().field("kind", to_string(t.kind)).field("line", t.line).field("section", t.section);
    w.field("label", t.label).string_array("header", t.header);
    w.key("rows").begin_array();
    for (const auto& r : t.rows) w.begin_object().field("line", r.line).string_array("cells", r.cells).end_object();
    w.end_array();
    w.end_object();
  }
  w.end_array();
  w.key("env_vars").begin_array();
  for (const auto& e : rb.env_vars) w.begin_object().field("name", e.name).field("line", e.line).field("source", e.source).end_object();
  w.end_array();
  w.key("links").begin_array();
  for (const auto& l : rb.links) w.begin_object().field("url", l.url).field("text", l.text).field("line", l.line).end_object();
  w.end_array();
  w.key("diagnostics").begin_array();
  for (const auto& d : rb.diagnostics.items()) write_diagnostic(w, d);
  w.end_array();
  w.end_object();
}

}  // namespace

std::string runbook_to_json(const Runbook& rb, int indent) {
  std::string out;
  out.reserve(rb.source.size() * 2 + 1024);
  JsonWriter w(out);
  write_runbook(w, rb);
  if (indent >= 0) return json_controls_escaped(nlohmann::ordered_json::parse(out).dump(indent, ' ', false, nlohmann::ordered_json::error_handler_t::replace));
  return out;
}

std::string diagnostic_to_json(const Diagnostic& d) {
  std::string out;
  JsonWriter w(out);
  write_diagnostic(w, d);
  return out;
}

}  // namespace opsbook::model
