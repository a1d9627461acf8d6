// The key that seals what opsbook keeps between runs (the build caches, the shellcheck cache, the
// kept check reports): a file sealed under it was written by opsbook holding the key, never
// committed by a pull request or copied from another machine. Seals are HMAC-SHA256 under it.
#pragma once

#include <initializer_list>
#include <string>
#include <string_view>

#include "model/checksum.hpp"

namespace opsbook::model {

// OPSBOOK_CACHE_KEY when it is set and not empty (CI: a secret shared by the jobs that share
// caches); else a random key kept in $XDG_STATE_HOME/opsbook/seal-key (default
// ~/.local/state/opsbook), made on first use with mode 0600; else, when that file cannot be
// read or made, a key of this process only (nothing sealed is then usable by a later run).
const std::string& seal_key();

// A folder the key's folder may not be inside (the configuration's folder, the content, the
// working folder), and with it the git work tree that holds it: each is given before the key is
// first used. A key folder there, or one that is not the user's or that others may write, gives
// a key of this process only and a note saying why.
enum class Inside { folder_and_work_tree, work_tree_only };
void keep_seal_key_out_of(const std::string& folder, Inside inside = Inside::folder_and_work_tree);

// Why the key is this process's own ("" when it is kept): for one note per run.
const std::string& seal_key_problem();

// Seals are domain-separated: the first part names what is sealed ("cache", "report",
// "history run", ...), so that a seal made for one kind of file never holds for another.
// HMAC-SHA256 under seal_key() of `parts`, each behind its length (model/checksum PartsMac).
Sha256 seal_digest(std::initializer_list<std::string_view> parts);

// A keyed context under seal_key(), to be copied for each of many seals (history rows).
const PartsMac& seal_mac();

// The seal of a file kept beside it (a kept check report): seal_digest in 64 hex digits, and
// whether `hex` is that of `parts`.
std::string seal_hex(std::initializer_list<std::string_view> parts);
bool seal_holds(std::initializer_list<std::string_view> parts, std::string_view hex);

}  // namespace opsbook::model
