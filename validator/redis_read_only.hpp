// The Redis commands a live check may send: an allow list of reads whose work and reply stay
// small, never scripts, configuration changes, debugging, shutdown, modules, migrations or
// connection modes that never end (MONITOR, SUBSCRIBE).
#pragma once

#include <string>
#include <vector>

namespace opsbook::validator {

// Why `argv` must not be sent ("" when it may): e.g. "EVAL runs a script on the server".
std::string redis_refusal(const std::vector<std::string>& argv);

// Replies are read up to this many bytes; a larger one is dropped with its connection.
inline constexpr size_t k_redis_max_reply = 4u << 20;

}  // namespace opsbook::validator
