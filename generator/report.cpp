// Report loading with nlohmann::json; every field is optional except the version.
#include "generator/report.hpp"

#include <filesystem>
#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>

#include "generator/output_dir.hpp"
#include "model/error.hpp"

namespace opsbook::generator {

namespace {

// A string field of the report, or "" when it is absent or of another type: a report edited by
// hand or written by another tool must not end the build with a JSON type error.
std::string text_of(const nlohmann::json& object, const char* key) {
  auto it = object.find(key);
  return it != object.end() && it->is_string() ? it->get<std::string>() : std::string();
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
  nlohmann::json j = nlohmann::json::parse(text, nullptr, false);
  if (j.is_discarded() || !j.is_object() || !j.contains("version")) {
    throw Error(path + ": not an opsbook check report (expected JSON from 'opsbook check --format json')");
  }
  Report r;
  r.loaded = true;
  r.hash = content_hash(text);
  auto live = j.find("live");
  r.live = live != j.end() && live->is_boolean() && live->get<bool>();
  r.env = text_of(j, "env");
  r.generated_at = text_of(j, "generated_at");
  if (j.contains("findings") && j["findings"].is_array()) {
    for (const auto& f : j["findings"]) {
      if (!f.is_object()) continue;
      std::string file = text_of(f, "file");
      if (text_of(f, "severity") == "error") {
        r.files[file].errors++;
        if (f.contains("snippet") && f["snippet"].is_string()) r.snippets[file + "#" + f["snippet"].get<std::string>()] = "fail";
      }
    }
  }
  if (j.contains("results") && j["results"].is_array()) {
    for (const auto& res : j["results"]) {
      if (!res.is_object()) continue;
      std::string file = text_of(res, "file");
      std::string outcome = text_of(res, "outcome");
      if (outcome != "pass" && outcome != "fail") continue;  // skipped or not allowed: neither verified nor failing
      bool pass = outcome == "pass";
      (pass ? r.files[file].passed : r.files[file].failed)++;
      if (res.contains("snippet") && res["snippet"].is_string()) {
        std::string key = file + "#" + res["snippet"].get<std::string>();
        if (!pass || !r.snippets.count(key)) r.snippets[key] = pass ? "pass" : "fail";
      }
    }
  }
  return r;
}

}  // namespace opsbook::generator
