// The streamed report reader against hostile reports: every byte sequence is a LoadedReport or an
// opsbook::Error naming the file and what is wrong, with the errors of a DOM reader in its order.
#include <catch2/catch.hpp>

#include "model/error.hpp"
#include "validator/report_merge.hpp"
#include "validator/report_reader.hpp"

using namespace opsbook;

namespace {

const char* k_expected = " (expected the JSON report of 'opsbook check --format json' or '--json FILE')";

// A valid report of one finding and two results, as write_json writes it.
std::string good_report() {
  validator::ReportContext ctx;
  ctx.tool_version = "1.0";
  ctx.generated_at = "2026-12-02T10:00:00Z";
  ctx.live = true;
  ctx.env = "staging";
  ctx.set_count = 1;
  ctx.set_fingerprint = "abc";
  ctx.files = {"a.md"};
  validator::LiveResult r;
  r.kind = "http", r.file = "a.md", r.line = 3, r.target = "http://127.0.0.1/", r.expectation = "status 2xx";
  r.outcome = validator::LiveResult::Outcome::pass, r.detail = "status 200", r.attempts = 1;
  ctx.results = {r, r};
  std::vector<validator::Finding> fs = {validator::Finding{"secret", model::Severity::error, "a.md", 2, 0, "a secret", "hint", {}, {}}};
  return validator::write_json(fs, ctx);
}

std::string error_of(const std::string& text) {
  try {
    validator::parse_report(text, "r.json");
  } catch (const Error& e) {
    return e.what();
  }
  return "no error";
}

std::string replaced(std::string text, const std::string& from, const std::string& to) {
  size_t at = text.find(from);
  REQUIRE(at != std::string::npos);
  return text.replace(at, from.size(), to);
}

}  // namespace

TEST_CASE("a streamed report reads back every field", "[validator][report]") {
  validator::LoadedReport r = validator::parse_report(good_report(), "r.json");
  REQUIRE(r.findings.size() == 1);
  CHECK(r.findings[0].message == "a secret");
  REQUIRE(r.ctx.results.size() == 2);
  CHECK(r.ctx.results[1].detail == "status 200");
  CHECK(r.ctx.env == "staging");
  CHECK(r.ctx.files == std::vector<std::string>{"a.md"});
  CHECK(validator::write_json(r.findings, r.ctx) == good_report());
}

TEST_CASE("a truncated report is not valid JSON at any cut", "[validator][report]") {
  std::string text = good_report();
  for (size_t cut = 0; cut + 1 < text.size(); cut += 7) {
    INFO(cut);
    CHECK(error_of(text.substr(0, cut)) == std::string("r.json: not valid JSON (a truncated or failed shard?)") + k_expected);
  }
}

TEST_CASE("wrong types name the field, in the order of a whole-document reader", "[validator][report]") {
  std::string text = good_report();
  CHECK(error_of("[1]") == std::string("r.json: not an opsbook check report") + k_expected);
  CHECK(error_of("\"x\"") == std::string("r.json: not an opsbook check report") + k_expected);
  CHECK(error_of(replaced(text, "\"version\":1", "\"version\":\"1\"")) == std::string("r.json: report version \"1\" is not supported") + k_expected);
  CHECK(error_of(replaced(text, "\"version\":1", "\"version\":2.5")) == std::string("r.json: report version 2.5 is not supported") + k_expected);
  CHECK(error_of(replaced(text, "\"line\":3", "\"line\":-3")) == std::string("r.json: result 1 has no line of the right type") + k_expected);
  CHECK(error_of(replaced(text, "\"line\":3", "\"line\":18446744073709551615")) == std::string("r.json: result 1: line is out of range") + k_expected);
  CHECK(error_of(replaced(text, "\"outcome\":\"pass\"", "\"outcome\":\"maybe\"")) == std::string("r.json: result 1 has an unknown outcome 'maybe'") + k_expected);
  CHECK(error_of(replaced(text, "\"results\":[", "\"results\":[7,")) == std::string("r.json: result 1 is not an object") + k_expected);
  CHECK(error_of(replaced(text, "\"files\":[\"a.md\"", "\"files\":[{}")) == std::string("r.json: files holds a value that is not a path") + k_expected);
  // A bad result comes before the summary in the document, a bad tool after it: the tool is named,
  // as a reader of the whole document would.
  std::string both = replaced(replaced(text, "\"outcome\":\"pass\"", "\"outcome\":1"), "\"tool\":", "\"tool\":0,\"x\":");
  CHECK(error_of(both) == std::string("r.json: the report has no tool of the right type") + k_expected);
  // A repeated member counts once, with its last value, whatever came before.
  validator::LoadedReport twice = validator::parse_report(replaced(text, "\"results\":[", "\"results\":[1],\"results\":["), "r.json");
  CHECK(twice.ctx.results.size() == 2);
  CHECK(error_of(replaced(text, "\"results\":[", "\"results\":[],\"results\":{},\"x\":[")) == std::string("r.json: the report has no results of the right type") + k_expected);
}

TEST_CASE("deep nesting and huge strings are read without a DOM or recursion", "[validator][report]") {
  std::string text = good_report();
  std::string deep = std::string(200'000, '[') + std::string(200'000, ']');
  CHECK(error_of(deep) == std::string("r.json: not an opsbook check report") + k_expected);
  // Deep nesting inside a result and inside an unknown member is skipped, not walked into memory.
  validator::LoadedReport r = validator::parse_report(replaced(replaced(text, "\"detail\":", "\"extra\":" + deep + ",\"detail\":"), "{", "{\"junk\":" + deep + ","), "r.json");
  CHECK(r.ctx.results.size() == 2);
  std::string huge(20 * 1024 * 1024, 'x');
  r = validator::parse_report(replaced(text, "\"status 200\"", "\"" + huge + "\""), "r.json");
  CHECK(r.ctx.results[0].detail.size() == huge.size());
  CHECK(error_of(replaced(text, "\"status 200\"", "\"" + huge)) == std::string("r.json: not valid JSON (a truncated or failed shard?)") + k_expected);
}
