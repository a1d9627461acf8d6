// FNV-1a, 64-bit: a fast, stable content hash (the same on every machine and build) for change
// detection and shard assignment. Not for security.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace opsbook::model {

inline constexpr uint64_t k_fnv_offset = 1469598103934665603ull;
inline constexpr uint64_t k_fnv_prime = 1099511628211ull;

uint64_t fnv1a(std::string_view data, uint64_t seed = k_fnv_offset);

// 16 lower-case hex digits.
std::string hex64(uint64_t value);

}  // namespace opsbook::model
