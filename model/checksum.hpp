// Checksums of file contents and cache files (the build caches, the shellcheck cache): SHA-256 (FIPS 180-4) from OpenSSL's libcrypto, the
// same on every machine and every build of opsbook, unlike std::hash.
#pragma once

#include <array>
#include <cstdint>
#include <string_view>

namespace opsbook::model {

using Sha256 = std::array<unsigned char, 32>;

Sha256 sha256(std::string_view data);

// HMAC-SHA256 of `data` under `key` (RFC 2104).
Sha256 hmac_sha256(std::string_view key, std::string_view data);

// The first 8 bytes of the SHA-256 of `data` (big-endian): what the build records to tell whether
// a file's contents changed.
uint64_t content_hash(std::string_view data);

}  // namespace opsbook::model
