// JSON report reading with nlohmann::json. Every field write_json writes is required: a report
// that lacks one was not written by this version of opsbook, and merging it could only guess.
#include "validator/report_reader.hpp"

#include <filesystem>
#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>

#include "model/error.hpp"

namespace opsbook::validator {

namespace {

using nlohmann::json;

class Reader {
 public:
  explicit Reader(const std::string& path) : m_path(path) {}

  [[noreturn]] void fail(const std::string& what) const {
    throw Error(m_path + ": " + what + " (expected the JSON report of 'opsbook check --format json' or '--json FILE')");
  }

  const json& member(const json& object, const char* name, json::value_t type, const char* where) const {
    auto it = object.find(name);
    bool ok = it != object.end() &&
              (it->type() == type || (type == json::value_t::number_unsigned && it->is_number_integer() && *it >= 0) ||
               (type == json::value_t::number_float && it->is_number()));
    if (!ok) fail(std::string(where) + " has no " + name + " of the right type");
    return *it;
  }
  std::string text(const json& o, const char* name, const char* where) const { return member(o, name, json::value_t::string, where).get<std::string>(); }
  bool flag(const json& o, const char* name, const char* where) const { return member(o, name, json::value_t::boolean, where).get<bool>(); }
  // A member that may be absent: its text, or "" when it is not there.
  std::string optional_text(const json& o, const char* name, const char* where) const { return o.contains(name) ? text(o, name, where) : ""; }
  size_t count(const json& o, const char* name, const char* where) const {
    return member(o, name, json::value_t::number_unsigned, where).get<size_t>();
  }
  int number(const json& o, const char* name, const char* where) const {
    const json& v = member(o, name, json::value_t::number_unsigned, where);
    if (v.get<int64_t>() > 1'000'000'000) fail(std::string(where) + ": " + name + " is out of range");
    return v.get<int>();
  }
  const json& array(const json& o, const char* name) const { return member(o, name, json::value_t::array, "the report"); }
  const json& object(const json& o, const char* name) const { return member(o, name, json::value_t::object, "the report"); }

  Finding finding(const json& f, size_t i) const {
    std::string where = "finding " + std::to_string(i + 1);
    const char* w = where.c_str();
    if (!f.is_object()) fail(where + " is not an object");
    Finding out;
    out.rule = text(f, "rule", w);
    if (!model::parse_severity(text(f, "severity", w), out.severity)) fail(where + " has an unknown severity");
    out.file = text(f, "file", w);
    out.line = number(f, "line", w);
    out.col = f.contains("column") ? number(f, "column", w) : 0;
    out.message = text(f, "message", w);
    out.hint = text(f, "hint", w);
    out.snippet = optional_text(f, "snippet", w);
    out.source_line = optional_text(f, "source", w);
    return out;
  }

  LiveResult result(const json& r, size_t i) const {
    std::string where = "result " + std::to_string(i + 1);
    const char* w = where.c_str();
    if (!r.is_object()) fail(where + " is not an object");
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
    return out;
  }

  LoadedReport read(std::string_view data) const {
    json j = json::parse(data.begin(), data.end(), nullptr, false);
    if (j.is_discarded()) fail("not valid JSON (a truncated or failed shard?)");
    if (!j.is_object() || !j.contains("version")) fail("not an opsbook check report");
    if (j["version"] != 1) fail("report version " + j["version"].dump() + " is not supported");
    LoadedReport out;
    out.path = m_path;
    ReportContext& ctx = out.ctx;
    std::string tool = text(j, "tool", "the report");
    ctx.tool_version = tool.starts_with("opsbook ") ? tool.substr(8) : tool;
    ctx.generated_at = text(j, "generated_at", "the report");
    ctx.live = flag(j, "live", "the report");
    ctx.env = text(j, "env", "the report");
    const json& shard = object(j, "shard");
    ctx.shard.index = static_cast<unsigned>(number(shard, "index", "shard"));
    ctx.shard.count = static_cast<unsigned>(number(shard, "count", "shard"));
    if (ctx.shard.count < 1 || ctx.shard.index < 1 || ctx.shard.index > ctx.shard.count) fail("shard " + ctx.shard.str() + " is not a shard");
    const json& set = object(j, "runbooks");
    ctx.set_count = count(set, "count", "runbooks");
    ctx.set_fingerprint = text(set, "fingerprint", "runbooks");
    const json& scope = object(j, "scope");
    ctx.scope.shell = flag(scope, "shell", "scope");
    ctx.scope.shellcheck = flag(scope, "shellcheck", "scope");
    ctx.scope.changed_since = text(scope, "changed_since", "scope");
    for (const auto& f : array(j, "files")) {
      if (!f.is_string()) fail("files holds a value that is not a path");
      ctx.files.push_back(f.get<std::string>());
    }
    const json& findings = array(j, "findings");
    for (size_t i = 0; i < findings.size(); ++i) out.findings.push_back(finding(findings[i], i));
    const json& results = array(j, "results");
    for (size_t i = 0; i < results.size(); ++i) ctx.results.push_back(result(results[i], i));
    const json& summary = object(j, "summary");
    ctx.snippets = count(summary, "snippets", "summary");
    if (ctx.live) {
      auto live = summary.find("live");
      if (live == summary.end() || !live->is_object()) fail("the summary of a live check has no live figures");
      ctx.live_seconds = member(*live, "seconds", json::value_t::number_float, "summary.live").get<double>();
      ctx.live_stats.probes = count(*live, "probes", "summary.live");
      ctx.live_stats.per_host = static_cast<unsigned>(number(*live, "per_host", "summary.live"));
      ctx.live_stats.rate = member(*live, "rate", json::value_t::number_float, "summary.live").get<double>();
      ctx.live_stats.peak_per_host = static_cast<unsigned>(number(*live, "peak_per_host", "summary.live"));
    }
    return out;
  }

 private:
  const std::string& m_path;
};

}  // namespace

LoadedReport parse_report(std::string_view text, const std::string& path) { return Reader(path).read(text); }

LoadedReport read_report(const std::string& path) {
  std::error_code ec;
  if (std::filesystem::exists(path, ec) && !std::filesystem::is_regular_file(path, ec)) {
    throw Error(path + ": not a report file (a FIFO or device would never end)");
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error(path + ": cannot read the report");
  in.seekg(0, std::ios::end);
  std::streamoff size = in.tellg();
  if (size < 0 || static_cast<size_t>(size) > k_max_report_bytes) throw Error(path + ": not a readable report of at most 1 GiB");
  in.seekg(0);
  std::string text(static_cast<size_t>(size), '\0');
  if (size > 0 && !in.read(text.data(), size)) throw Error(path + ": cannot read the report");
  return parse_report(text, path);
}

}  // namespace opsbook::validator
