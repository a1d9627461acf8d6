// Incident documents: the runbook's data gathered into mustache data, rendered as markdown.
#include "generator/incident.hpp"

#include <cctype>
#include <filesystem>
#include <set>
#include <nlohmann/json.hpp>

#include "model/error.hpp"
#include "model/json_writer.hpp"
#include "model/text.hpp"

namespace opsbook::generator {

namespace {

namespace fs = std::filesystem;
using nlohmann::json;

// Text of one line of the document: control characters (\x01, \x1b, \r, \n: C0, DEL and C1) and
// the Unicode line and paragraph separators become spaces. A runbook title with them would end a
// line early (a heading of its own) or reach the terminal of whoever prints the document (s6
// review).
std::string one_line(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    auto c = static_cast<unsigned char>(text[i]);
    auto next = [&](size_t k) { return i + k < text.size() ? static_cast<unsigned char>(text[i + k]) : 0u; };
    if (c < 0x20 || c == 0x7f) {
      out += ' ';
    } else if (c == 0xC2 && next(1) >= 0x80 && next(1) <= 0x9F) {  // U+0080-U+009F
      out += ' ';
      ++i;
    } else if (c == 0xE2 && next(1) == 0x80 && (next(2) == 0xA8 || next(2) == 0xA9)) {  // U+2028, U+2029
      out += ' ';
      i += 2;
    } else {
      out += static_cast<char>(c);
    }
  }
  return out;
}

// One line as the text of a markdown link: brackets and backslashes escaped, so that it ends
// where the link does.
std::string link_text(std::string_view text) {
  std::string out;
  for (char c : one_line(text)) {
    if (c == '[' || c == ']' || c == '\\') out += '\\';
    out += c;
  }
  return out;
}

std::string yaml_quoted(std::string_view s) { return json(one_line(s)).dump(-1, ' ', false, json::error_handler_t::replace); }

std::string normal_key(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (std::isalnum(static_cast<unsigned char>(c))) out += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  }
  return out;
}

// "SEV1 - Critical" -> "SEV1"; "P2 (high)" -> "P2"; "Sev 3" -> "SEV3"; "Critical" -> "Critical".
std::string level_key(std::string_view cell) {
  cell = model::trim(cell);
  size_t i = 0;
  while (i < cell.size() && std::isalpha(static_cast<unsigned char>(cell[i]))) ++i;
  size_t j = i;
  while (j < cell.size() && (cell[j] == ' ' || cell[j] == '-')) ++j;
  size_t k = j;
  while (k < cell.size() && std::isdigit(static_cast<unsigned char>(cell[k]))) ++k;
  if (i > 0 && i <= 4 && k > j && k - j <= 2) return model::to_upper(cell.substr(0, i)) + std::string(cell.substr(j, k - j));
  size_t end = cell.find_first_of("-:(");
  return std::string(model::trim(cell.substr(0, end)));
}

bool mentions(std::string_view text, std::initializer_list<std::string_view> words) {
  for (auto w : words) {
    if (model::icontains(text, w)) return true;
  }
  return false;
}

const model::Section* parent_of(const model::Runbook& rb, const model::Section* s) {
  return s && s->parent >= 0 ? &rb.sections[static_cast<size_t>(s->parent)] : nullptr;
}

// Checklists of the incident-response part of the runbook: by their title, their section or
// an enclosing section.
std::vector<const model::Checklist*> response_checklists(const model::Runbook& rb) {
  static const std::initializer_list<std::string_view> k_words = {"incident", "respon", "triage", "immediate", "mitigat", "outage", "emergency", "on-call", "oncall", "disaster", "recover"};
  std::vector<const model::Checklist*> out;
  for (const auto& c : rb.checklists) {
    bool hit = mentions(c.title, k_words);
    for (const model::Section* s = rb.find_section(c.section); s && !hit; s = parent_of(rb, s)) hit = mentions(s->title, k_words);
    if (hit) out.push_back(&c);
  }
  return out;
}

std::string markdown_cell(std::string_view text) {
  std::string out;
  for (char c : one_line(text)) {
    if (c == '|') out += "\\|";
    else if (c == '\n') out += ' ';
    else out += c;
  }
  return out;
}

std::string markdown_table(const model::Table& t) {
  std::string out = "|";
  for (const auto& h : t.header) out += " " + markdown_cell(h) + " |";
  out += "\n|";
  for (size_t i = 0; i < t.header.size(); ++i) out += "---|";
  for (const auto& row : t.rows) {
    out += "\n|";
    for (size_t i = 0; i < t.header.size(); ++i) out += " " + markdown_cell(i < row.cells.size() ? row.cells[i] : "") + " |";
  }
  return out;
}

std::string severity_block(const SeverityLevel& level) {
  if (!level.from_runbook) {
    return "**" + one_line(level.label) + "**. The runbook has no severity table: write down what " + one_line(level.key) +
           " means for this service and the response it needs (add a severity table to the runbook).";
  }
  std::string out = "**" + one_line(level.label) + "** (from the runbook's severity table)";
  if (!level.details.empty()) out += "\n";
  for (const auto& [name, value] : level.details) out += "\n- " + one_line(name) + ": " + one_line(value);
  return out;
}

// Mustache leaves the lines of section tags blank: at most one blank line in a row.
std::string tidy(std::string text) {
  std::string out;
  out.reserve(text.size());
  int newlines = 0;
  for (char c : text) {
    newlines = c == '\n' ? newlines + 1 : 0;
    if (newlines <= 2) out += c;
  }
  return out;
}

// The runbook's path as a link from the folder the document is written to (a relative link in
// markdown resolves from the document's own folder).
std::string runbook_link(const std::string& runbook, const std::string& folder) {
  if (folder.empty()) return runbook;
  std::error_code ec;
  fs::path from = fs::absolute(folder, ec).lexically_normal();
  fs::path to = fs::absolute(runbook, ec).lexically_normal();
  fs::path rel = to.lexically_relative(from);
  return ec || rel.empty() ? runbook : rel.generic_string();
}

// Everything of the document that does not depend on the title, severity or time.
Data base_data(const model::Runbook& rb, const std::string& folder) {
  Data d;
  d.set("runbook", one_line(rb.path));
  d.set("runbook_yaml", yaml_quoted(rb.path));
  d.set("runbook_title", link_text(rb.title));
  d.set("runbook_link", runbook_link(rb.path, folder));
  std::string services_yaml = "[";
  std::string services_text;
  for (size_t i = 0; i < rb.meta.services.size(); ++i) {
    services_yaml += (i ? ", " : "") + yaml_quoted(rb.meta.services[i]);
    services_text += (i ? ", " : "") + one_line(rb.meta.services[i]);
  }
  d.set("services_yaml", services_yaml + "]");
  d.set("services_text", services_text.empty() ? "the affected services" : services_text);

  Data lists{Data::type::list};
  for (const model::Checklist* c : response_checklists(rb)) {
    Data cl;
    cl.set("title", one_line(c->title));
    cl.set("id", c->id);
    Data steps{Data::type::list};
    for (const auto& st : c->items) {
      Data sd;
      sd.set("text", std::string(st.depth > 0 ? "  " : "") + one_line(st.text));
      sd.set("id", st.id);
      steps.push_back(sd);
    }
    cl.set("steps", steps);
    lists.push_back(cl);
  }
  d.set("has_checklists", !lists.is_empty_list());
  d.set("checklists", lists);

  // Health checks: endpoints, and the read-only commands of health and status sections.
  Data endpoints{Data::type::list};
  std::set<std::string> seen;
  for (const auto& ep : rb.endpoints) {
    // Health tables and lists, and commands that probe health-like paths; each URL once.
    bool health = ep.source != "command" || mentions(ep.url, {"health", "ready", "live", "status", "ping", "alive"});
    if (!health || !seen.insert(ep.url).second) continue;
    Data e;
    e.set("url", one_line(ep.url));
    e.set("expect", ep.expect_status.empty() ? "2xx" : ep.expect_status);
    e.set("line", std::to_string(ep.line));
    endpoints.push_back(e);
  }
  Data commands{Data::type::list};
  int n = 0;
  for (const auto& s : rb.snippets) {
    if (s.is_inline || s.safety != model::Safety::read_only || n >= 12) continue;
    if (s.kind != model::SnippetKind::shell && s.kind != model::SnippetKind::sql && s.kind != model::SnippetKind::http) continue;
    const model::Section* sec = rb.find_section(s.section);
    bool health = false;
    for (const model::Section* x = sec; x && !health; x = parent_of(rb, x)) health = mentions(x->title, {"health", "status", "monitor", "verif", "diagnos"});
    if (!health) continue;
    Data c;
    c.set("title", one_line(sec ? sec->title : rb.title));
    c.set("id", s.id);
    c.set("lang", s.lang);
    std::string code = s.code;
    while (!code.empty() && code.back() == '\n') code.pop_back();
    c.set("code", code);
    commands.push_back(c);
    ++n;
  }
  d.set("has_health", !endpoints.is_empty_list() || !commands.is_empty_list());
  d.set("endpoints", endpoints);
  d.set("commands", commands);

  Data contacts{Data::type::list};
  for (const auto& t : rb.tables) {
    if (t.kind != model::TableKind::escalation && t.kind != model::TableKind::contacts) continue;
    Data c;
    if (!t.label.empty()) c.set("label", one_line(t.label));
    c.set("table", markdown_table(t));
    contacts.push_back(c);
  }
  d.set("has_contacts", !contacts.is_empty_list());
  d.set("contacts", contacts);
  return d;
}

// The level named `wanted` (its key or label, ignoring case, spaces and dashes), or nullptr.
const SeverityLevel* match_level(const std::vector<SeverityLevel>& levels, std::string_view wanted) {
  std::string key = normal_key(wanted);
  for (const auto& l : levels) {
    if (normal_key(l.key) == key || normal_key(l.label) == key) return &l;
  }
  return nullptr;
}

const SeverityLevel& find_level(const std::vector<SeverityLevel>& levels, std::string_view wanted) {
  if (const SeverityLevel* l = match_level(levels, wanted)) return *l;
  std::string known;
  for (const auto& l : levels) known += (known.empty() ? "" : ", ") + l.key;
  throw Error("unknown severity '" + std::string(wanted) + "'; known: " + known +
              (levels.empty() || levels.front().from_runbook ? " (from the runbook's severity table)" : ""));
}

void set_request(Data& d, const IncidentRequest& r, const SeverityLevel& level) {
  d.set("title", one_line(r.title));
  d.set("title_yaml", yaml_quoted(r.title));
  d.set("severity", level.key);
  d.set("severity_block", severity_block(level));
  d.set("started", r.started);
  d.set("date", r.started.substr(0, 10));
  d.set("time", r.started.size() >= 16 ? r.started.substr(11, 5) : "");
  d.set("environment_yaml", r.environment.empty() ? std::string("null") : yaml_quoted(r.environment));
}

}  // namespace

std::vector<SeverityLevel> severity_levels(const model::Runbook& rb, const std::vector<std::string>& configured) {
  std::vector<SeverityLevel> out;
  for (const auto& t : rb.tables) {
    if (t.kind != model::TableKind::severity) continue;
    for (const auto& row : t.rows) {
      if (row.cells.empty() || model::trim(row.cells[0]).empty()) continue;
      SeverityLevel l;
      l.label = std::string(model::trim(row.cells[0]));
      l.key = level_key(l.label);
      l.from_runbook = true;
      for (size_t i = 1; i < row.cells.size() && i < t.header.size(); ++i) {
        if (!model::trim(row.cells[i]).empty()) l.details.emplace_back(t.header[i], std::string(model::trim(row.cells[i])));
      }
      out.push_back(std::move(l));
    }
    if (!out.empty()) return out;
  }
  std::vector<std::string> names = configured.empty() ? std::vector<std::string>{"SEV1", "SEV2", "SEV3", "SEV4"} : configured;
  for (const auto& n : names) out.push_back({n, n, {}, false});
  return out;
}

std::string incident_slug(std::string_view title) {
  std::string out;
  for (char c : title) {
    if (std::isalnum(static_cast<unsigned char>(c)) && static_cast<unsigned char>(c) < 0x80) {
      out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    } else if (!out.empty() && out.back() != '-') {
      out += '-';
    }
    if (out.size() >= 60) break;
  }
  while (!out.empty() && out.back() == '-') out.pop_back();
  return out.empty() ? "incident" : out;
}

std::string render_incident(const Templates& templates, const model::Runbook& rb, const IncidentRequest& request,
                            const std::vector<std::string>& configured_severities) {
  auto levels = severity_levels(rb, configured_severities);
  const SeverityLevel& level = find_level(levels, request.severity);
  Data d = base_data(rb, request.folder);
  set_request(d, request, level);
  return tidy(templates.render_text("incident.md.mustache", d));
}

std::string incident_portal_json(const Templates& templates, const model::Runbook& rb, const std::vector<std::string>& configured_severities,
                                 const std::string& folder) {
  Data d = base_data(rb, folder);
  d.set("title", "@@OPSBOOK:title@@");
  d.set("title_yaml", "@@OPSBOOK:title_yaml@@");
  d.set("severity", "@@OPSBOOK:severity@@");
  d.set("severity_block", "@@OPSBOOK:severity_block@@");
  d.set("started", "@@OPSBOOK:started@@");
  d.set("date", "@@OPSBOOK:date@@");
  d.set("time", "@@OPSBOOK:time@@");
  d.set("environment_yaml", "null");
  std::string text;
  model::JsonWriter w(text);
  auto levels = severity_levels(rb, configured_severities);
  // The form starts at the runbook's own severity (front matter `severity:`), when it is a level.
  const SeverityLevel* own = nullptr;
  if (!rb.meta.severity.empty()) own = match_level(levels, rb.meta.severity);
  if (!rb.meta.severity.empty() && own == nullptr) own = match_level(levels, level_key(rb.meta.severity));
  w.begin_object().field("default", own ? own->key : levels.front().key).key("severities").begin_array();
  for (const auto& l : levels) {
    w.begin_object().field("block", severity_block(l)).field("key", l.key).field("label", l.label).end_object();
  }
  w.end_array().field("template", tidy(templates.render_text("incident.md.mustache", d))).end_object();
  // Inside <script type="application/json"> no "<" may appear ("</script>", "<!--" change how
  // the HTML parser reads the element); it only ever stands inside JSON strings, where \u003c is
  // the same character.
  std::string safe;
  safe.reserve(text.size());
  for (char c : text) {
    if (c == '<') safe += "\\u003c";
    else safe += c;
  }
  return safe;
}

}  // namespace opsbook::generator
