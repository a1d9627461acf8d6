// The key that seals what opsbook keeps between runs (the build caches, the shellcheck cache, the
// kept check reports): a file sealed under it was written by opsbook holding the key, never
// committed by a pull request or copied from another machine. Seals are HMAC-SHA256 under it.
#pragma once

#include <string>
#include <string_view>

#include "model/checksum.hpp"

namespace opsbook::model {

// OPSBOOK_CACHE_KEY when it is set and not empty (CI: a secret shared by the jobs that share
// caches); else a random key kept in $XDG_STATE_HOME/opsbook/seal-key (default
// ~/.local/state/opsbook), made on first use with mode 0600; else, when that file cannot be
// read or made, a key of this process only (nothing sealed is then usable by a later run).
const std::string& seal_key();

// Why the key is this process's own ("" when it is kept): for one note per run.
const std::string& seal_key_problem();

// HMAC-SHA256 of `data` under seal_key().
Sha256 seal_digest(std::string_view data);

// The seal of a file kept beside it (a kept check report): seal_digest in 64 hex digits, and
// whether `hex` is that of `data`.
std::string seal_hex(std::string_view data);
bool seal_holds(std::string_view data, std::string_view hex);

}  // namespace opsbook::model
