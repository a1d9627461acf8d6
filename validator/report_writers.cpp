// Report writers.
#include "validator/report_writers.hpp"

#include <algorithm>
#include <functional>
#include <map>

#include "model/json_writer.hpp"
#include "model/terminal_text.hpp"
#include "model/text.hpp"

namespace opsbook::validator {

using model::Severity;

namespace {

std::string location(const Finding& f) {
  std::string out = f.file;
  if (f.line > 0) out += ":" + std::to_string(f.line);
  if (f.line > 0 && f.col > 0) out += ":" + std::to_string(f.col);
  return out;
}

std::string xml_escape(std::string_view s) {
  static constexpr char k_hex[] = "0123456789ABCDEF";
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    // DEL, C1 and bidi controls as character references: valid XML, and safe on a terminal.
    // U+FFFE and U+FFFF are not XML characters, even as references (s11d review B6).
    if (static_cast<unsigned char>(c) == 0xef && i + 2 < s.size() && static_cast<unsigned char>(s[i + 1]) == 0xbf &&
        (static_cast<unsigned char>(s[i + 2]) == 0xbe || static_cast<unsigned char>(s[i + 2]) == 0xbf)) {
      out += "\xef\xbf\xbd";
      i += 2;
      continue;
    }
    unsigned control = c == '\x7f' ? 0x7fu : model::unicode_control(s, i);
    if (control != 0) {
      out += "&#x";
      for (int shift = control > 0xff ? 12 : 4; shift >= 0; shift -= 4) out += k_hex[(control >> shift) & 15];
      out += ';';
      i += model::utf8_length(control) - 1;
      continue;
    }
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&apos;"; break;
      default:
        // XML 1.0 forbids most control characters, even escaped.
        if (static_cast<unsigned char>(c) < 0x20 && c != '\n' && c != '\t' && c != '\r') out += ' ';
        else out += c;
    }
  }
  return out;
}

struct LiveCounts {
  size_t pass = 0, fail = 0, skipped = 0, refused = 0;
};

LiveCounts live_counts(const std::vector<LiveResult>& results) {
  LiveCounts c;
  for (const auto& r : results) {
    switch (r.outcome) {
      case LiveResult::Outcome::pass: ++c.pass; break;
      case LiveResult::Outcome::fail: ++c.fail; break;
      case LiveResult::Outcome::skipped: ++c.skipped; break;
      case LiveResult::Outcome::refused: ++c.refused; break;
    }
  }
  return c;
}

std::string live_summary(const ReportContext& ctx) {
  LiveCounts c = live_counts(ctx.results);
  char secs[32];
  std::snprintf(secs, sizeof secs, "%.2f", ctx.live_seconds);
  const LiveStats& st = ctx.live_stats;
  std::string limits = st.per_host ? "at most " + std::to_string(st.per_host) + " per host at once" : "no per-host limit";
  if (st.rate > 0) {
    char rate[32];
    std::snprintf(rate, sizeof rate, "%g", st.rate);
    limits += std::string(", ") + rate + " per second per host";
  }
  return "live on " + (ctx.env.empty() ? std::string("no environment") : model::terminal_text(ctx.env)) + ": " + std::to_string(c.pass) + " passed, " +
         std::to_string(c.fail) + " failed, " + std::to_string(c.skipped) + " skipped, " + std::to_string(c.refused) + " not allowed (" +
         model::counted(ctx.results.size(), "check") + ", " + model::counted(st.probes, "probe") + ", " + limits + ", in " + secs + " s)";
}

std::string sarif_level(Severity s) { return s == Severity::error ? "error" : s == Severity::warning ? "warning" : "note"; }

}  // namespace

std::string fingerprint(const Finding& f) {
  std::string key = f.rule + "|" + f.file + "|" + (f.snippet.empty() ? f.message : "snippet:" + f.snippet);
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016zx", std::hash<std::string>{}(key));
  return buf;
}

int64_t latency_ms(const LiveResult& r) { return static_cast<int64_t>(r.latency_ms + 0.5); }

std::string write_text(const std::vector<Finding>& findings, const ReportContext& ctx) {
  std::string out;
  for (const auto& f : findings) {
    out += model::terminal_text(location(f)) + ": " + std::string(model::to_string(f.severity)) + "[" + model::terminal_text(f.rule) + "]: " + model::terminal_text(f.message) + "\n";
    out += model::render_excerpt(f.line, f.col, f.source_line);
    if (!f.hint.empty()) out += "  hint: " + model::terminal_text(f.hint) + "\n";
  }
  if (ctx.live) {
    // One line per live check: outcome, kind, where, what, and what happened.
    for (const auto& r : ctx.results) {
      std::string outcome(to_string(r.outcome));
      for (auto& c : outcome) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
      std::string latency = r.attempts > 0 ? " (" + std::to_string(latency_ms(r)) + " ms)" : "";
      out += outcome + std::string(outcome.size() < 8 ? 8 - outcome.size() : 1, ' ') + model::terminal_text(r.kind) + std::string(r.kind.size() < 9 ? 9 - r.kind.size() : 1, ' ') +
             model::terminal_text(r.file + ":" + std::to_string(r.line) + "  " + (r.target.empty() ? "" : r.target + "  ") + r.expectation + " -> " + r.detail) + latency + "\n";
    }
    out += "opsbook check: " + live_summary(ctx) + "\n";
  }
  out += "opsbook check: " + describe(summarise(findings, ctx.files.size(), ctx.snippets)) + "\n";
  return out;
}

std::string write_json(const std::vector<Finding>& findings, const ReportContext& ctx) {
  std::string out;
  model::JsonWriter w(out);
  w.begin_object().field("version", 1).field("tool", "opsbook " + ctx.tool_version).field("generated_at", ctx.generated_at);
  w.field("live", ctx.live).field("env", ctx.env);
  w.key("shard").begin_object().field("index", static_cast<size_t>(ctx.shard.index)).field("count", static_cast<size_t>(ctx.shard.count)).end_object();
  w.key("runbooks").begin_object().field("count", ctx.set_count).field("fingerprint", ctx.set_fingerprint).end_object();
  w.key("scope").begin_object().field("shell", ctx.scope.shell).field("shellcheck", ctx.scope.shellcheck);
  w.field("changed_since", ctx.scope.changed_since).end_object();
  w.key("files").begin_array();
  for (const auto& file : ctx.files) w.value(file);
  w.end_array();
  w.key("findings").begin_array();
  for (const auto& f : findings) {
    w.begin_object().field("rule", f.rule).field("severity", model::to_string(f.severity)).field("file", f.file).field("line", f.line);
    if (f.col > 0) w.field("column", f.col);
    w.field("message", f.message).field("hint", f.hint);
    if (!f.snippet.empty()) w.field("snippet", f.snippet);
    if (!f.source_line.empty()) w.field("source", f.source_line);
    w.field("fingerprint", fingerprint(f));
    w.end_object();
  }
  w.end_array();
  w.key("results").begin_array();
  for (const auto& r : ctx.results) {
    w.begin_object().field("kind", r.kind).field("file", r.file).field("line", r.line);
    if (!r.snippet.empty()) w.field("snippet", r.snippet);
    w.field("target", r.target).field("expect", r.expectation).field("outcome", to_string(r.outcome)).field("detail", r.detail);
    w.field("latency_ms", latency_ms(r)).field("attempts", r.attempts);
    if (!r.digest.empty()) w.field("digest", r.digest);
    w.end_object();
  }
  w.end_array();
  CheckSummary s = summarise(findings, ctx.files.size(), ctx.snippets);
  w.key("summary").begin_object().field("errors", s.errors).field("warnings", s.warnings).field("infos", s.infos);
  w.field("files", s.files).field("snippets", s.snippets);
  if (ctx.live) {
    LiveCounts c = live_counts(ctx.results);
    w.key("live").begin_object().field("passed", c.pass).field("failed", c.fail).field("skipped", c.skipped).field("refused", c.refused);
    w.field("probes", ctx.live_stats.probes).field("per_host", static_cast<size_t>(ctx.live_stats.per_host));
    char number[32];
    std::snprintf(number, sizeof number, "%g", ctx.live_stats.rate);
    w.key("rate").raw(number).field("peak_per_host", static_cast<size_t>(ctx.live_stats.peak_per_host));
    std::snprintf(number, sizeof number, "%.3f", ctx.live_seconds);
    w.key("seconds").raw(number).end_object();
  }
  w.end_object();
  w.end_object();
  out += "\n";
  return out;
}

std::string write_junit(const std::vector<Finding>& findings, const ReportContext& ctx) {
  // One test case per runbook; its error findings are its failure, warnings go to system-out.
  std::map<std::string, std::vector<const Finding*>> by_file;
  for (const auto& f : findings) by_file[f.file].push_back(&f);
  size_t failures = 0;
  for (const auto& file : ctx.files) {
    auto it = by_file.find(file);
    if (it != by_file.end() && std::any_of(it->second.begin(), it->second.end(), [](const Finding* f) { return f->severity == Severity::error; })) ++failures;
  }
  std::string out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  out += "<testsuites name=\"opsbook check\" tests=\"" + std::to_string(ctx.files.size()) + "\" failures=\"" + std::to_string(failures) + "\">\n";
  out += "  <testsuite name=\"opsbook check\" tests=\"" + std::to_string(ctx.files.size()) + "\" failures=\"" + std::to_string(failures) +
         "\" errors=\"0\" skipped=\"0\" timestamp=\"" + xml_escape(ctx.generated_at) + "\">\n";
  for (const auto& file : ctx.files) {
    out += "    <testcase classname=\"opsbook.check\" name=\"" + xml_escape(file) + "\" file=\"" + xml_escape(file) + "\">\n";
    auto it = by_file.find(file);
    if (it != by_file.end()) {
      std::string errors, others;
      for (const Finding* f : it->second) {
        std::string line = location(*f) + ": " + std::string(model::to_string(f->severity)) + "[" + f->rule + "]: " + f->message + "\n";
        (f->severity == Severity::error ? errors : others) += line;
      }
      if (!errors.empty()) {
        size_t n = static_cast<size_t>(std::count(errors.begin(), errors.end(), '\n'));
        out += "      <failure message=\"" + model::counted(n, "error") + "\" type=\"opsbook\">" + xml_escape(errors) + "</failure>\n";
      }
      if (!others.empty()) out += "      <system-out>" + xml_escape(others) + "</system-out>\n";
    }
    out += "    </testcase>\n";
  }
  out += "  </testsuite>\n";
  if (ctx.live) {
    // Live checks are test cases in their own right: one per check.
    LiveCounts c = live_counts(ctx.results);
    out += "  <testsuite name=\"opsbook live (" + xml_escape(ctx.env) + ")\" tests=\"" + std::to_string(ctx.results.size()) + "\" failures=\"" +
           std::to_string(c.fail + c.refused) + "\" errors=\"0\" skipped=\"" + std::to_string(c.skipped) + "\" timestamp=\"" + xml_escape(ctx.generated_at) + "\">\n";
    for (const auto& r : ctx.results) {
      char secs[32];
      std::snprintf(secs, sizeof secs, "%.3f", static_cast<double>(latency_ms(r)) / 1000.0);
      std::string name = r.file + ":" + std::to_string(r.line) + " " + r.kind + " " + r.target;
      out += "    <testcase classname=\"opsbook.live." + xml_escape(r.kind) + "\" name=\"" + xml_escape(name) + "\" file=\"" + xml_escape(r.file) +
             "\" time=\"" + secs + "\">";
      if (r.outcome == LiveResult::Outcome::fail || r.outcome == LiveResult::Outcome::refused) {
        out += "<failure message=\"" + xml_escape(r.detail) + "\" type=\"" + xml_escape(to_string(r.outcome)) + "\">" + xml_escape(r.expectation + " -> " + r.detail) + "</failure>";
      } else if (r.outcome == LiveResult::Outcome::skipped) {
        out += "<skipped message=\"" + xml_escape(r.detail) + "\"/>";
      }
      out += "</testcase>\n";
    }
    out += "  </testsuite>\n";
  }
  out += "</testsuites>\n";
  return out;
}

std::string write_sarif(const std::vector<Finding>& findings, const ReportContext& ctx) {
  std::string out;
  model::JsonWriter w(out);
  std::map<std::string, size_t> rule_index;
  for (size_t i = 0; i < rules().size(); ++i) rule_index[rules()[i].id] = i;
  w.begin_object().field("$schema", "https://json.schemastore.org/sarif-2.1.0.json").field("version", "2.1.0");
  w.key("runs").begin_array().begin_object();
  w.key("tool").begin_object().key("driver").begin_object();
  w.field("name", "opsbook").field("version", ctx.tool_version).field("semanticVersion", ctx.tool_version);
  w.key("rules").begin_array();
  for (const auto& r : rules()) {
    w.begin_object().field("id", r.id).field("name", r.id);
    w.key("shortDescription").begin_object().field("text", r.doc).end_object();
    w.key("fullDescription").begin_object().field("text", r.doc).end_object();
    w.key("defaultConfiguration").begin_object().field("level", sarif_level(r.severity)).end_object();
    w.end_object();
  }
  w.end_array().end_object().end_object();
  w.key("results").begin_array();
  for (const auto& f : findings) {
    w.begin_object().field("ruleId", f.rule);
    auto it = rule_index.find(f.rule);
    if (it != rule_index.end()) w.field("ruleIndex", it->second);
    w.field("level", sarif_level(f.severity));
    w.key("message").begin_object().field("text", f.message + (f.hint.empty() ? "" : " (" + f.hint + ")")).end_object();
    w.key("locations").begin_array().begin_object().key("physicalLocation").begin_object();
    w.key("artifactLocation").begin_object().field("uri", f.file).end_object();
    w.key("region").begin_object().field("startLine", std::max(1, f.line));
    if (f.col > 0) w.field("startColumn", f.col);
    w.end_object().end_object().end_object().end_array();
    w.key("partialFingerprints").begin_object().field("opsbookFinding/v1", fingerprint(f)).end_object();
    w.end_object();
  }
  w.end_array().end_object().end_array().end_object();
  out += "\n";
  return out;
}

namespace {

std::string gh_escape_data(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (c == '%') out += "%25";
    else if (c == '\r') out += "%0D";
    else if (c == '\n') out += "%0A";
    else out += c;
  }
  return out;
}

std::string gh_escape_property(std::string_view s) {
  std::string out = gh_escape_data(s);
  std::string res;
  for (char c : out) {
    if (c == ':') res += "%3A";
    else if (c == ',') res += "%2C";
    else res += c;
  }
  return res;
}

}  // namespace

std::string write_github(const std::vector<Finding>& findings, const ReportContext& ctx) {
  std::vector<const Finding*> sorted;
  for (const auto& f : findings) sorted.push_back(&f);
  std::stable_sort(sorted.begin(), sorted.end(), [](const Finding* a, const Finding* b) { return static_cast<int>(a->severity) > static_cast<int>(b->severity); });
  std::string out;
  size_t shown_errors = 0, shown_warnings = 0, hidden = 0;
  for (const Finding* f : sorted) {
    const char* kind = f->severity == Severity::error ? "error" : f->severity == Severity::warning ? "warning" : "notice";
    size_t& shown = f->severity == Severity::error ? shown_errors : shown_warnings;
    if (f->severity != Severity::info && shown >= 10) {
      ++hidden;
      continue;
    }
    if (f->severity == Severity::info && shown_warnings + shown_errors >= 20) {
      ++hidden;
      continue;
    }
    if (f->severity != Severity::info) ++shown;
    out += std::string("::") + kind + " file=" + gh_escape_property(f->file);
    if (f->line > 0) out += ",line=" + std::to_string(f->line);
    if (f->col > 0) out += ",col=" + std::to_string(f->col);
    out += ",title=" + gh_escape_property("opsbook " + f->rule) + "::" + gh_escape_data(model::terminal_text(f->message + (f->hint.empty() ? "" : " — " + f->hint))) + "\n";
  }
  CheckSummary s = summarise(findings, ctx.files.size(), ctx.snippets);
  out += "::notice title=opsbook check::" + gh_escape_data(describe(s) + (hidden > 0 ? "; " + std::to_string(hidden) + " more not shown as annotations (GitHub shows 10 errors and 10 warnings per step): run opsbook check locally for all" : "")) + "\n";
  return out;
}

}  // namespace opsbook::validator
