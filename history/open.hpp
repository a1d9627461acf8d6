// Opening the check history that opsbook.yaml names (history:): a shared PostgreSQL when
// dsn_env is set, else the SQLite file (.opsbook/history.sqlite by default).
#pragma once

#include <memory>
#include <string>

#include "history/history.hpp"
#include "model/config.hpp"

namespace opsbook::history {

// For writers: the store, created and migrated when new. Throws opsbook::Error when dsn_env
// names a variable that is not set.
std::unique_ptr<Store> open_configured(const model::Config& config);

// For readers that must not create one (the portal): nullptr with `why` when there is no store
// yet (no SQLite file) or its DSN variable is not set (then `why` is a warning naming the line of
// opsbook.yaml and what to do).
std::unique_ptr<Store> open_existing(const model::Config& config, std::string& why);

}  // namespace opsbook::history
