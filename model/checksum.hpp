// Checksums of file contents and cache files (the build caches, the shellcheck cache): SHA-256 (FIPS 180-4) from OpenSSL's libcrypto, the
// same on every machine and every build of opsbook, unlike std::hash.
#pragma once

#include <array>
#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>

struct evp_mac_ctx_st;  // libcrypto's EVP_MAC_CTX

namespace opsbook::model {

using Sha256 = std::array<unsigned char, 32>;

Sha256 sha256(std::string_view data);

// The first `bytes` bytes of a digest in lower-case hex (all 32 by default).
std::string digest_hex(const Sha256& digest, size_t bytes = 32);

// HMAC-SHA256 of `data` under `key` (RFC 2104).
Sha256 hmac_sha256(std::string_view key, std::string_view data);

// HMAC-SHA256 of several parts, each behind its length (8 bytes, little-endian), so that no two
// lists of parts give the same input: the first part is a domain tag naming what is sealed.
// A keyed context is copied for each message (the key is set up once).
class PartsMac {
 public:
  explicit PartsMac(std::string_view key);
  PartsMac(const PartsMac& other);
  PartsMac& operator=(const PartsMac&) = delete;
  ~PartsMac();
  PartsMac& part(std::string_view data);
  PartsMac& parts(std::initializer_list<std::string_view> data);
  // Bytes already framed as part() frames them (several parts in one update).
  PartsMac& raw(std::string_view framed);
  // The MAC of the parts given so far; the context is then spent until restart().
  Sha256 finish();
  // Starts a new message under the same key, in place: many messages in a row (the rows of the
  // check history) without a copy of the context each.
  PartsMac& restart();

 private:
  ::evp_mac_ctx_st* m_ctx = nullptr;
};

// The first 8 bytes of the SHA-256 of `data` (big-endian): what the build records to tell whether
// a file's contents changed.
uint64_t content_hash(std::string_view data);

}  // namespace opsbook::model
