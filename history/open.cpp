// The configured history store, for writers and for readers.
#include "history/open.hpp"

#include <cstdlib>
#include <filesystem>

#include "model/error.hpp"

namespace opsbook::history {

namespace {

// The DSN in the variable dsn_env names; "" with `why` when it is not set: where opsbook.yaml
// names it, `severity` ("" or "warning: "), what follows (`consequence`) and what to do.
std::string configured_dsn(const model::Config& config, const std::string& severity, const std::string& consequence, std::string& why) {
  const std::string& var = config.history.dsn_env;
  const char* dsn = std::getenv(var.c_str());
  if (dsn && *dsn) return dsn;
  why = config.path.empty() ? "opsbook.yaml" : config.path;
  if (config.history.dsn_env_line > 0) why += ":" + std::to_string(config.history.dsn_env_line);
  why += ": " + severity + "history: dsn_env names " + var + ", which is not set" + consequence + " (set " + var +
         " to the PostgreSQL DSN of the check history, or remove dsn_env to keep the history in " + config.history.path + ")";
  return "";
}

// Runs on an environment opsbook.yaml does not have never count (a forged env name).
std::unique_ptr<Store> trusting(std::unique_ptr<Store> store, const model::Config& config) {
  std::vector<std::string> names;
  for (const auto& e : config.environments) names.push_back(e.name);
  if (store) store->trust_environments(names);
  return store;
}

}  // namespace

std::unique_ptr<Store> open_configured(const model::Config& config) {
  if (config.history.dsn_env.empty()) return trusting(open_sqlite(config.resolve(config.history.path)), config);
  std::string why;
  std::string dsn = configured_dsn(config, "", "", why);
  if (dsn.empty()) throw Error(why);
  return trusting(open_postgres(dsn), config);
}

std::unique_ptr<Store> open_existing(const model::Config& config, std::string& why) {
  why.clear();
  std::string dsn;
  if (!config.history.dsn_env.empty()) {
    dsn = configured_dsn(config, "warning: ", ": no check history is shown", why);
    if (dsn.empty()) return nullptr;
  }
  std::string path = config.resolve(config.history.path);
  std::error_code ec;
  if (dsn.empty() && !std::filesystem::exists(std::filesystem::symlink_status(path, ec))) return nullptr;  // none recorded yet
  try {
    return trusting(dsn.empty() ? open_sqlite(path) : open_postgres(dsn), config);
  } catch (const Error& e) {
    why = unused_history_note(e);
    return nullptr;
  }
}

std::string unused_history_note(const Error& e) {
  if (const auto* refused = dynamic_cast<const StoreRefused*>(&e)) {
    return "opsbook: note: history: " + refused->problem() + ": the portal shows no check history and leaves it as it is; " + refused->way_forward();
  }
  return "opsbook: note: " + std::string(e.what()) + " (the portal shows no check history)";
}

}  // namespace opsbook::history
