// Kept check reports: one file per environment under .opsbook/, replaced atomically.
#include "cli/last_check.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <iterator>

#include "cli/common.hpp"
#include "model/checksum.hpp"
#include "model/file_io.hpp"
#include "model/json_stream.hpp"
#include "model/seal_key.hpp"
#include "model/slug.hpp"
#include "model/text.hpp"
#include "model/terminal_text.hpp"

namespace opsbook::cli {

namespace fs = std::filesystem;

namespace {

constexpr const char* k_folder = ".opsbook";
constexpr const char* k_prefix = "last-check";
constexpr const char* k_seal_suffix = ".seal";  // beside each report: its seal (model/seal_key)

// What a kept report's seal covers: a domain tag, the file's name and the environment it is for,
// then the report. A report kept for one environment (or under one name) never holds for another:
// last-check-local.json copied to last-check-production.json is refused.
std::string report_seal(std::string_view name, std::string_view env, std::string_view json) { return model::seal_hex({"opsbook report", name, env, json}); }

// The report's small fields (its arrays are streamed past, never kept); false when it is not a report.
bool read_fields(const std::string& text, KeptReport& k) {
  struct Ignore : model::JsonArrayVisitor {
    void begin_array(std::string_view) override {}
    void element(std::string_view, size_t, const model::JsonValue&, model::JsonObject&) override {}
  } ignore;
  model::JsonDocument doc = model::read_json_document(text, ignore);
  if (!doc.valid || !doc.is_object || !doc.root.find("version")) return false;
  auto text_of = [&](const char* name) {
    const model::JsonValue* v = doc.root.find(name);
    return v && v->type == model::JsonValue::Type::string ? v->text : std::string();
  };
  k.env = text_of("env");
  k.generated_at = text_of("generated_at");
  return true;
}

KeptReport read_kept(const std::string& path) {
  KeptReport k;
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) return k;  // a FIFO there would block the read
  std::ifstream in(path, std::ios::binary);
  if (!in) return k;
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  // Only a report opsbook kept on this machine, under this name, for the environment it names:
  // one committed to the repository, copied here or renamed cannot carry that seal.
  std::string seal(64, '\0');
  std::ifstream seal_in;
  if (std::filesystem::is_regular_file(path + k_seal_suffix, ec)) seal_in.open(path + k_seal_suffix, std::ios::binary);
  seal.resize(seal_in.read(seal.data(), static_cast<std::streamsize>(seal.size())) ? seal.size() : 0);
  KeptReport fields;
  std::string name = fs::path(path).filename().string();
  if (!read_fields(text, fields) || !model::seal_holds({"opsbook report", name, fields.env, text}, seal)) {
    k.unsealed = path;
    return k;
  }
  fields.path = path;
  return fields;
}

// 16 hex digits of SHA-256: two environment names a pull request writes never share a kept
// report (8 digits of FNV-1a were found colliding in a second, s11b review B7).
std::string name_hash(std::string_view env) { return model::digest_hex(model::sha256(env), 8); }

}  // namespace

// One file per environment name: `prod` keeps last-check-prod.json; a name its slug changes
// (`Prod`, `p.rod`) gets a hash of the exact name too, after a `~` no slug holds, so environments
// whose names slug alike never overwrite each other's report (s10b review B8; s10c B14: `-HASH`
// was the name of an environment called prod-0c94e13d).
std::string kept_report_path(const model::Config& config, std::string_view env) {
  std::string slug = model::name_slug(env);
  std::string name = env.empty()      ? std::string(k_prefix) + ".json"
                     : slug == env   ? std::string(k_prefix) + "-" + slug + ".json"
                                     : std::string(k_prefix) + "-" + slug + "~" + name_hash(env) + ".json";
  return config.resolve((fs::path(k_folder) / name).string());
}

void keep_report(const model::Config& config, std::string_view env, std::string_view json) {
  std::string path = kept_report_path(config, env);
  auto warn = [&](const std::string& why) {
    model::print_line("opsbook: warning: the report was not kept in " + path + " (" + why + "); 'opsbook build' will not show its badges");
  };
  if (std::string why = model::make_state_folder(path); !why.empty()) {
    return warn(why.ends_with(" is a symlink") ? "its folder is a symlink: a report is kept only in a real folder" : why);
  }
  // The seal first: a reader between the two renames sees a seal that does not hold, never a
  // report it takes for another.
  if (std::string why = model::replace_file(path + k_seal_suffix, report_seal(fs::path(path).filename().string(), env, json) + "\n"); !why.empty()) return warn(why);
  if (std::string why = model::replace_file(path, json); !why.empty()) warn(why);
}

KeptReport find_kept_report(const model::Config& config, std::string_view env) {
  std::string wanted = env.empty() ? config.default_env : std::string(env);
  std::string unsealed;
  if (!wanted.empty()) {
    KeptReport k = read_kept(kept_report_path(config, wanted));
    if (!k.path.empty() && k.env != wanted) k = KeptReport{"", "", "", k.path};  // another environment of the same file name
    if (!k.path.empty() || !env.empty()) return k;
    unsealed = k.unsealed;
  }
  // The newest of all kept reports.
  KeptReport best;
  std::error_code ec;
  fs::path folder = fs::path(kept_report_path(config, "")).parent_path();
  for (const auto& entry : fs::directory_iterator(folder, ec)) {
    std::string name = entry.path().filename().string();
    if (!name.starts_with(k_prefix) || !name.ends_with(".json")) continue;
    KeptReport k = read_kept(entry.path().string());
    if (unsealed.empty()) unsealed = k.unsealed;
    if (k.path.empty()) continue;
    // A live report (it has an environment) wins over a static one, then the newer one.
    bool newer = best.path.empty() || (!k.env.empty() && best.env.empty()) ||
                 (k.env.empty() == best.env.empty() && parse_utc(k.generated_at) > parse_utc(best.generated_at));
    if (newer) best = k;
  }
  if (best.path.empty()) best.unsealed = unsealed;
  return best;
}

ReportChoice choose_report(const model::Config& config, const std::string& given, bool none, std::string_view env) {
  if (none) return {};
  if (!given.empty()) return {given, ""};
  KeptReport kept = find_kept_report(config, env);
  if (kept.path.empty() && !kept.unsealed.empty()) {
    return {"", "opsbook: " + kept.unsealed + " was not kept by opsbook on this machine (its seal does not hold): badges say \"never verified\" " +
                    "(run 'opsbook check --live' here, or pass --report FILE)"};
  }
  if (kept.path.empty()) {
    return {"", std::string("opsbook: no check report kept") + (env.empty() ? "" : " for environment '" + std::string(env) + "'") +
                    ": badges say \"never verified\" (run 'opsbook check --live' first)"};
  }
  std::string age = age_of(kept.generated_at);
  return {kept.path, "opsbook: badges from the " + (kept.env.empty() ? std::string("static check") : "live check on " + kept.env) +
                         (age.empty() ? "" : " " + age) + " (" + kept.path + ")"};
}

std::string age_of(std::string_view generated_at) {
  std::time_t then = parse_utc(generated_at);
  if (then < 0) return {};
  long long seconds = static_cast<long long>(std::time(nullptr) - then);
  if (seconds < 60) return "just now";
  if (seconds < 3600) return std::to_string(seconds / 60) + " min ago";
  if (seconds < 48 * 3600) return std::to_string(seconds / 3600) + " h ago";
  return model::counted(static_cast<size_t>(seconds / 86400), "day") + " ago";
}

}  // namespace opsbook::cli
