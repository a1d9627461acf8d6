// Report loading, streamed (model/json_stream: no DOM of a report of 100,000 results); every field
// is optional except the version.
#include "generator/report.hpp"

#include <filesystem>
#include <fstream>
#include <iterator>
#include <set>

#include "generator/output_dir.hpp"
#include "model/error.hpp"
#include "model/json_stream.hpp"

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

// What "findings" and "results" say, each kept apart until the end: an array whose name repeats
// counts only its last occurrence (as a DOM would), and results settle snippets after findings.
class Tally : public model::JsonArrayVisitor {
 public:
  void begin_array(std::string_view name) override {
    if (name == "findings") m_errors.clear(), m_failed_snippets.clear();
    if (name == "results") m_live.clear(), m_outcomes.clear();
  }
  void element(std::string_view name, size_t, const JsonValue& v, JsonObject& o) override {
    if (v.type != JsonValue::Type::object || (name != "findings" && name != "results")) return;
    std::string file = text_of(o, "file");
    const JsonValue* snippet = o.find("snippet");
    bool named = snippet && snippet->type == JsonValue::Type::string;
    if (name == "findings") {
      if (text_of(o, "severity") != "error") return;
      m_errors[file]++;
      if (named) m_failed_snippets.insert(file + "#" + snippet->text);
      return;
    }
    std::string outcome = text_of(o, "outcome");
    if (outcome != "pass" && outcome != "fail") return;  // skipped or not allowed: neither verified nor failing
    bool pass = outcome == "pass";
    (pass ? m_live[file].passed : m_live[file].failed)++;
    if (named) {
      std::string key = file + "#" + snippet->text;
      if (!pass || !m_outcomes.count(key)) m_outcomes[key] = pass ? "pass" : "fail";
    }
  }
  void into(Report& r) const {
    for (const auto& [file, n] : m_errors) r.files[file].errors += n;
    for (const auto& key : m_failed_snippets) r.snippets[key] = "fail";
    for (const auto& [file, s] : m_live) r.files[file].passed += s.passed, r.files[file].failed += s.failed;
    for (const auto& [key, outcome] : m_outcomes) r.snippets.try_emplace(key, outcome);  // a failing finding wins
  }

 private:
  std::map<std::string, int> m_errors;
  std::set<std::string> m_failed_snippets;
  std::map<std::string, PageStatus> m_live;
  std::map<std::string, std::string> m_outcomes;
};

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
  return r;
}

}  // namespace opsbook::generator
