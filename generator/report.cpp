// Report loading with nlohmann::json; every field is optional except the version.
#include "generator/report.hpp"

#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>

#include "generator/output_dir.hpp"
#include "model/error.hpp"

namespace opsbook::generator {

Report load_report(const std::string& path) {
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
  r.live = j.value("live", false);
  r.env = j.value("env", "");
  r.generated_at = j.value("generated_at", "");
  if (j.contains("findings") && j["findings"].is_array()) {
    for (const auto& f : j["findings"]) {
      if (!f.is_object()) continue;
      std::string file = f.value("file", "");
      if (f.value("severity", "") == "error") {
        r.files[file].errors++;
        if (f.contains("snippet") && f["snippet"].is_string()) r.snippets[file + "#" + f["snippet"].get<std::string>()] = "fail";
      }
    }
  }
  if (j.contains("results") && j["results"].is_array()) {
    for (const auto& res : j["results"]) {
      if (!res.is_object()) continue;
      std::string file = res.value("file", "");
      std::string outcome = res.value("outcome", "");
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
