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

// For readers that must not create one and go on without it (the portal): nullptr when there is
// no store yet (no SQLite file, `why` empty), when its DSN variable is not set (`why` a warning
// naming the line of opsbook.yaml and what to do), or when the store is refused or cannot be
// opened (`why` a note naming it, what is wrong and what to do: s9 review R12).
std::unique_ptr<Store> open_existing(const model::Config& config, std::string& why);

// The note a reader gives when it goes on without the history that `e` stopped.
std::string unused_history_note(const Error& e);

}  // namespace opsbook::history
