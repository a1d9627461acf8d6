// Report loading, streamed (model/json_stream: no DOM of a report of 100,000 results); every field
// is optional except the version.
#include "generator/report.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <set>

#include "generator/output_dir.hpp"
#include "model/error.hpp"
#include "model/json_stream.hpp"
#include "model/text.hpp"

namespace opsbook::generator {

namespace {

using model::JsonObject;
using model::JsonValue;

// A string field of the report, or "" when it is absent or of another type: a report edited by
// hand or written by another tool must not end the build with a JSON type error.
std::string text_of(const JsonObject& object, const char* key) {
  const JsonValue* v = object.find(key);
  return v && v->type == JsonValue::Type::string ? v->text : std::string();
}

// Findings that say why a live result failed: the result (by its digest) settles the page and
// the snippet, so a finding about text that changed since fails nothing. The other live findings
// (the environment's configuration, the role, the deadline, a host not allowed) count by path.
bool says_a_failed_result(std::string_view rule) {
  static constexpr std::string_view k_rules[] = {"live-http",   "live-tcp",         "live-postgres",    "live-sql",        "live-redis",
                                                 "live-doctest", "live-docker", "live-docker-state", "live-docker-port", "live-unreachable"};
  return std::find(std::begin(k_rules), std::end(k_rules), rule) != std::end(k_rules);
}

// What "findings" and "results" say, each kept apart until the end: an array whose name repeats
// counts only its last occurrence (as a DOM would).
class Tally : public model::JsonArrayVisitor {
 public:
  void begin_array(std::string_view name) override {
    if (name == "findings") m_errors.clear(), m_failed_snippets.clear();
    if (name == "results") m_results.clear(), m_undigested = 0;
  }
  void element(std::string_view name, size_t, const JsonValue& v, JsonObject& o) override {
    if (v.type != JsonValue::Type::object || (name != "findings" && name != "results")) return;
    std::string file = text_of(o, "file");
    std::string snippet = text_of(o, "snippet");
    if (name == "findings") {
      if (text_of(o, "severity") != "error" || says_a_failed_result(text_of(o, "rule"))) return;
      m_errors[file]++;
      if (!snippet.empty()) m_failed_snippets.insert(file + "#" + snippet);
      return;
    }
    LiveMark mark{text_of(o, "digest"), std::move(snippet), text_of(o, "outcome")};
    if (mark.digest.empty()) {
      ++m_undigested;  // what it checked is not known: it says nothing of the runbook's text now
      return;
    }
    m_results[file].push_back(std::move(mark));
  }
  void into(Report& r) {
    for (const auto& [file, n] : m_errors) r.files[file].errors += n;
    r.failing_snippets = std::move(m_failed_snippets);
    r.results = std::move(m_results);
    r.undigested = m_undigested;
  }

 private:
  std::map<std::string, int> m_errors;
  std::set<std::string> m_failed_snippets;
  std::map<std::string, std::vector<LiveMark>> m_results;
  size_t m_undigested = 0;
};

const std::vector<LiveMark>* marks_of(const Report& report, const std::string& path) {
  auto it = report.results.find(path);
  return it == report.results.end() ? nullptr : &it->second;
}

}  // namespace

Report load_report(const std::string& path) {
  std::error_code ec;
  if (std::filesystem::exists(path, ec) && !std::filesystem::is_regular_file(path, ec)) {
    throw Error(path + ": not a report file (a FIFO or device would never end)");
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error(path + ": cannot read the report");
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  Tally tally;
  model::JsonDocument doc = model::read_json_document(text, tally);
  if (!doc.valid || !doc.is_object || !doc.root.find("version")) {
    throw Error(path + ": not an opsbook check report (expected JSON from 'opsbook check --format json')");
  }
  Report r;
  r.loaded = true;
  r.hash = content_hash(text);
  const JsonValue* live = doc.root.find("live");
  r.live = live && live->type == JsonValue::Type::boolean && live->flag;
  r.env = text_of(doc.root, "env");
  r.generated_at = text_of(doc.root, "generated_at");
  tally.into(r);
  if (r.undigested > 0) {
    r.note = "opsbook: note: " + path + ": " + model::counted(r.undigested, "live result") +
             " without a digest of what was checked (written by an older opsbook): the portal shows no badge for them; run 'opsbook check --live' again";
  }
  return r;
}

std::string live_outcome(const Report& report, const std::string& path, const std::string& digest) {
  std::string out;
  if (const auto* marks = marks_of(report, path)) {
    for (const auto& m : *marks) {
      if (m.digest != digest) continue;
      if (m.outcome == "fail") return "fail";
      if (m.outcome == "pass") out = "pass";
    }
  }
  return out;
}

std::string unmatched_snippet_text(const Report& report, const std::string& path, const model::Snippet& s, const std::vector<model::CheckSource>& checks) {
  const auto* marks = marks_of(report, path);
  if (!report.live || !marks) return "";
  std::string digest = model::check_digest(s);
  bool verified = false, checked = false;
  for (const auto& m : *marks) {
    // A result of a text the runbook still has (elsewhere: a block inserted above took its id) is that text's.
    if (m.snippet != s.id || m.digest == digest || model::has_check(checks, m.digest)) continue;
    checked = checked || m.outcome == "pass" || m.outcome == "fail";
    verified = verified || m.outcome == "pass";
  }
  std::string when = " on " + report.env + " at " + report.generated_at;
  if (checked) return (verified ? "changed since verified" : "changed since checked") + when;
  bool required = s.kind == model::SnippetKind::sql || model::is_doctest(s);
  if (required && live_outcome(report, path, digest).empty()) return "never verified";
  return "";
}

LiveCover live_cover(const Report& report, const std::string& path, const std::vector<model::CheckSource>& checks) {
  LiveCover c;
  const auto* marks = marks_of(report, path);
  if (!marks) return c;
  c.any = true;
  std::set<std::string> seen;
  for (const auto& m : *marks) {
    seen.insert(m.digest);
    bool counted = m.outcome == "pass" || m.outcome == "fail";
    if (!model::has_check(checks, m.digest)) {
      c.changed += counted ? 1 : 0;
      c.changed_passed = c.changed_passed || m.outcome == "pass";
    } else if (m.outcome == "pass") ++c.passed;
    else if (m.outcome == "fail") ++c.failed;
  }
  for (const auto& check : checks) {
    if (!check.required || seen.count(check.digest)) continue;
    if (!check.env.empty() && !model::iequals(check.env, report.env)) continue;
    ++c.uncovered;
  }
  return c;
}

}  // namespace opsbook::generator
