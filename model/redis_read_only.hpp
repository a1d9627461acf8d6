// The Redis commands a live check may send: an allow list of reads whose work and reply stay
// small, never scripts, configuration changes, debugging, shutdown, modules, migrations or
// connection modes that never end (MONITOR, SUBSCRIBE).
#pragma once

#include <string>
#include <vector>

namespace opsbook::model {

// Why `argv` must not be sent ("" when it may): e.g. "EVAL runs a script on the server".
std::string redis_refusal(const std::vector<std::string>& argv);

// Reads whose work and reply grow with their key (HGETALL, SMEMBERS, LRANGE 0 -1, ZRANGE,
// XRANGE without COUNT, LPOS): the command that measures the key first (HLEN key, SCARD key...),
// or an empty vector when the command needs no measuring.
std::vector<std::string> redis_size_query(const std::vector<std::string>& argv);

// Why `argv` must not be sent to a key of `elements` elements ("" when it may): it would touch
// more than k_redis_max_elements of them.
std::string redis_size_refusal(const std::vector<std::string>& argv, long long elements);

inline constexpr long long k_redis_max_elements = 1000;

// Replies are read up to this many bytes; a larger one is dropped with its connection.
inline constexpr size_t k_redis_max_reply = 4u << 20;

}  // namespace opsbook::model
