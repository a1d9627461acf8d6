// JSON report reading, streamed (model/json_stream): findings and results are checked and kept one
// at a time, never as a DOM of the whole report. Every field write_json writes is required: a
// report that lacks one was not written by this version of opsbook, and merging it could only guess.
// Errors come in the order of the fields below whatever the order of the document: an element's
// error is held until the fields before its array have been checked.
#include "validator/report_reader.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <nlohmann/json.hpp>
#include <optional>

#include "model/error.hpp"
#include "model/json_stream.hpp"
#include "model/shard.hpp"

namespace opsbook::validator {

namespace {

using model::JsonObject;
using model::JsonValue;
using Type = JsonValue::Type;

// A scalar as JSON text, for a message about it.
std::string dump(const JsonValue& v) {
  switch (v.type) {
    case Type::null: return "null";
    case Type::boolean: return v.flag ? "true" : "false";
    case Type::negative: return std::to_string(v.negative);
    case Type::count: return std::to_string(v.count);
    case Type::real: return nlohmann::json(v.real).dump();
    case Type::string: return nlohmann::json(v.text).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    case Type::object: return "{...}";
    case Type::array: return "[...]";
  }
  return "";
}

class Reader : public model::JsonArrayVisitor {
 public:
  explicit Reader(const std::string& path) : m_path(path) {}

  [[noreturn]] void fail(const std::string& what) const {
    throw Error(m_path + ": " + what + " (expected the JSON report of 'opsbook check --format json' or '--json FILE')");
  }

  // Types: Type::count accepts an integer >= 0, Type::real any number.
  const JsonValue& member(const JsonObject& object, const char* name, Type type, const char* where) const {
    const JsonValue* v = object.find(name);
    bool ok = v && (v->type == type || (type == Type::real && v->is_number()));
    if (!ok) fail(std::string(where) + " has no " + name + " of the right type");
    return *v;
  }
  std::string text(JsonObject& o, const char* name, const char* where) const {
    member(o, name, Type::string, where);
    return std::move(o.find(name)->text);  // each field is read once
  }
  bool flag(const JsonObject& o, const char* name, const char* where) const { return member(o, name, Type::boolean, where).flag; }
  // A member that may be absent: its text, or "" when it is not there.
  std::string optional_text(JsonObject& o, const char* name, const char* where) const { return o.find(name) ? text(o, name, where) : ""; }
  size_t count(const JsonObject& o, const char* name, const char* where) const { return member(o, name, Type::count, where).count; }
  int number(const JsonObject& o, const char* name, const char* where) const {
    uint64_t v = member(o, name, Type::count, where).count;
    if (v > 1'000'000'000) fail(std::string(where) + ": " + name + " is out of range");
    return static_cast<int>(v);
  }
  double real(const JsonObject& o, const char* name, const char* where) const { return member(o, name, Type::real, where).real; }

  Finding finding(const JsonValue& v, JsonObject& f, size_t i) const {
    std::string where = "finding " + std::to_string(i + 1);
    const char* w = where.c_str();
    if (v.type != Type::object) fail(where + " is not an object");
    Finding out;
    out.rule = text(f, "rule", w);
    if (!model::parse_severity(text(f, "severity", w), out.severity)) fail(where + " has an unknown severity");
    out.file = text(f, "file", w);
    out.line = number(f, "line", w);
    out.col = f.find("column") ? number(f, "column", w) : 0;
    out.message = text(f, "message", w);
    out.hint = text(f, "hint", w);
    out.snippet = optional_text(f, "snippet", w);
    out.source_line = optional_text(f, "source", w);
    return out;
  }

  LiveResult result(const JsonValue& v, JsonObject& r, size_t i) const {
    std::string where = "result " + std::to_string(i + 1);
    const char* w = where.c_str();
    if (v.type != Type::object) fail(where + " is not an object");
    LiveResult out;
    out.kind = text(r, "kind", w);
    out.file = text(r, "file", w);
    out.line = number(r, "line", w);
    out.snippet = optional_text(r, "snippet", w);
    out.target = text(r, "target", w);
    out.expectation = text(r, "expect", w);
    std::string outcome = text(r, "outcome", w);
    bool known = false;
    for (auto o : {LiveResult::Outcome::pass, LiveResult::Outcome::fail, LiveResult::Outcome::skipped, LiveResult::Outcome::refused}) {
      if (outcome == to_string(o)) out.outcome = o, known = true;
    }
    if (!known) fail(where + " has an unknown outcome '" + outcome + "'");
    out.detail = text(r, "detail", w);
    out.latency_ms = static_cast<double>(count(r, "latency_ms", w));
    out.attempts = number(r, "attempts", w);
    out.digest = optional_text(r, "digest", w);
    return out;
  }

  // The elements of "files", "findings" and "results", kept as they stream; the first error of
  // each array is held (see the top of the file).
  void begin_array(std::string_view name) override {
    if (name == "files") m_out.ctx.files.clear(), m_files_error.reset();
    if (name == "findings") m_out.findings.clear(), m_findings_error.reset();
    if (name == "results") m_out.ctx.results.clear(), m_results_error.reset();
  }
  void element(std::string_view name, size_t index, const JsonValue& v, JsonObject& object) override {
    try {
      if (name == "files" && !m_files_error) {
        if (v.type != Type::string) fail("files holds a value that is not a path");
        m_out.ctx.files.push_back(v.text);
      } else if (name == "findings" && !m_findings_error) {
        m_out.findings.push_back(finding(v, object, index));
      } else if (name == "results" && !m_results_error) {
        m_out.ctx.results.push_back(result(v, object, index));
      }
    } catch (const Error& e) {
      (name == "files" ? m_files_error : name == "findings" ? m_findings_error : m_results_error) = e.what();
    }
  }

  // An object member: read_json_document keeps every object member of the root, flat.
  JsonObject& object(model::JsonDocument& doc, const char* name) const {
    member(doc.root, name, Type::object, "the report");
    return doc.objects.find(name)->second;
  }
  void array(const model::JsonDocument& doc, const char* name, const std::optional<std::string>& error) const {
    member(doc.root, name, Type::array, "the report");
    if (error) throw Error(*error);
  }

  LoadedReport read(std::string_view data) {
    model::JsonDocument doc = model::read_json_document(data, *this);
    if (!doc.valid) fail("not valid JSON (a truncated or failed shard?)");
    JsonObject& j = doc.root;
    const JsonValue* version = j.find("version");
    if (!doc.is_object || !version) fail("not an opsbook check report");
    if (!version->is_number() || version->real != 1) fail("report version " + dump(*version) + " is not supported");
    m_out.path = m_path;
    ReportContext& ctx = m_out.ctx;
    std::string tool = text(j, "tool", "the report");
    ctx.tool_version = tool.starts_with("opsbook ") ? tool.substr(8) : tool;
    ctx.generated_at = text(j, "generated_at", "the report");
    ctx.live = flag(j, "live", "the report");
    ctx.env = text(j, "env", "the report");
    const JsonObject& shard = object(doc, "shard");
    ctx.shard.index = static_cast<unsigned>(number(shard, "index", "shard"));
    ctx.shard.count = static_cast<unsigned>(number(shard, "count", "shard"));
    if (ctx.shard.count < 1 || ctx.shard.count > model::k_max_shards || ctx.shard.index < 1 || ctx.shard.index > ctx.shard.count) fail("shard " + ctx.shard.str() + " is not a shard");
    JsonObject& set = object(doc, "runbooks");
    ctx.set_count = count(set, "count", "runbooks");
    ctx.set_fingerprint = text(set, "fingerprint", "runbooks");
    JsonObject& scope = object(doc, "scope");
    ctx.scope.shell = flag(scope, "shell", "scope");
    ctx.scope.shellcheck = flag(scope, "shellcheck", "scope");
    ctx.scope.changed_since = text(scope, "changed_since", "scope");
    array(doc, "files", m_files_error);
    array(doc, "findings", m_findings_error);
    array(doc, "results", m_results_error);
    const JsonObject& summary = object(doc, "summary");
    ctx.snippets = count(summary, "snippets", "summary");
    if (ctx.live) {
      const JsonValue* live = summary.find("live");
      if (!live || live->type != Type::object) fail("the summary of a live check has no live figures");
      const JsonObject& figures = doc.objects.find("summary.live")->second;  // kept: an object inside an object member
      ctx.live_seconds = real(figures, "seconds", "summary.live");
      ctx.live_stats.probes = count(figures, "probes", "summary.live");
      ctx.live_stats.per_host = static_cast<unsigned>(number(figures, "per_host", "summary.live"));
      ctx.live_stats.rate = real(figures, "rate", "summary.live");
      ctx.live_stats.peak_per_host = static_cast<unsigned>(number(figures, "peak_per_host", "summary.live"));
    }
    return std::move(m_out);
  }

 private:
  const std::string& m_path;
  LoadedReport m_out;
  std::optional<std::string> m_files_error, m_findings_error, m_results_error;
};

}  // namespace

LoadedReport parse_report(std::string_view text, const std::string& path) { return Reader(path).read(text); }

LoadedReport read_report(const std::string& path) {
  // O_NONBLOCK: a FIFO in the report's place never blocks the open (it is refused as not a file).
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
  if (fd < 0) throw Error(path + ": cannot read the report");
  struct stat st {};
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    ::close(fd);
    throw Error(path + ": not a report file (a FIFO or device would never end)");
  }
  if (static_cast<uint64_t>(st.st_size) > k_max_report_bytes) {
    ::close(fd);
    throw Error(path + ": not a readable report of at most 1 GiB");
  }
  // Read, not mapped: a report truncated while it is read must be an error, not a SIGBUS.
  std::string text(static_cast<size_t>(st.st_size), '\0');
  size_t done = 0;
  while (done < text.size()) {
    ssize_t n = ::read(fd, text.data() + done, text.size() - done);
    if (n <= 0) break;
    done += static_cast<size_t>(n);
  }
  ::close(fd);
  if (done != text.size()) throw Error(path + ": cannot read the report");
  return parse_report(text, path);
}

}  // namespace opsbook::validator
