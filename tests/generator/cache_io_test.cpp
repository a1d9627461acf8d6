// The caches' seal: HMAC-SHA256 under the seal key of a domain tag, the cache's kind, its format
// and the payload; the format version, an end marker. Any change is seen, and so is a seal made
// under another key, for another kind of cache, or before seals named the kind.
#include <catch2/catch.hpp>

#include <cstring>
#include <string>

#include "generator/cache_io.hpp"
#include "generator/checksum.hpp"
#include "model/seal_key.hpp"

using namespace opsbook;

namespace {

std::string bytes_of(const model::Sha256& d) { return std::string(reinterpret_cast<const char*>(d.data()), d.size()); }

}  // namespace

TEST_CASE("a sealed cache ends with the HMAC-SHA256 of its tag, kind, format and payload under the seal key and unseals to it", "[generator][cache]") {
  std::string bytes = "payload";
  generator::seal_cache(bytes, ".opsbook-cache");
  REQUIRE(bytes.size() == 7 + 32 + 8 + 8);
  // Each part behind its 8-byte little-endian length.
  auto framed = [](std::string_view p) {
    std::string out;
    for (size_t i = 0; i < 8; ++i) out += static_cast<char>(static_cast<uint64_t>(p.size()) >> (8 * i));
    return out + std::string(p);
  };
  std::string format(8, '\0');
  std::memcpy(format.data(), &generator::k_cache_format, 8);
  std::string input = framed("opsbook cache") + framed(".opsbook-cache") + framed(format) + framed("payload");
  CHECK(bytes.substr(7, 32) == bytes_of(model::hmac_sha256(model::seal_key(), input)));
  // A seal of the payload alone (opsbook before seals named the kind) is refused: the cache is rebuilt.
  std::string old = "payload" + bytes_of(model::hmac_sha256(model::seal_key(), "payload")) + bytes.substr(7 + 32);
  std::string old_why;
  CHECK_FALSE(generator::unseal_cache(old, ".opsbook-cache", old_why));
  CHECK(old_why == "damaged or sealed elsewhere (its seal is not this machine's)");
  // The plain SHA-256 a pull request could compute is not a seal.
  generator::Sha256 plain = generator::sha256("payload");
  std::string forged = "payload" + std::string(reinterpret_cast<const char*>(plain.data()), 32) + bytes.substr(7 + 32);
  std::string why;
  CHECK_FALSE(generator::unseal_cache(forged, ".opsbook-cache", why));
  CHECK(why == "damaged or sealed elsewhere (its seal is not this machine's)");
  CHECK(bytes.ends_with("OBCACHE\n"));
  auto payload = generator::unseal_cache(bytes, ".opsbook-cache", why);
  REQUIRE(payload);
  CHECK(*payload == "payload");
}

TEST_CASE("a cache with any byte changed, cut short or of another version does not unseal", "[generator][cache]") {
  std::string sealed = "some cache payload";
  generator::seal_cache(sealed, ".opsbook-cache");
  for (size_t i = 0; i < sealed.size(); ++i) {
    std::string bytes = sealed;
    bytes[i] = static_cast<char>(bytes[i] ^ 0x04);
    std::string why;
    INFO("byte " << i);
    CHECK_FALSE(generator::unseal_cache(bytes, ".opsbook-cache", why));
    CHECK_FALSE(why.empty());
  }
  std::string why;
  CHECK_FALSE(generator::unseal_cache(sealed.substr(0, sealed.size() - 1), ".opsbook-cache", why));
  CHECK(why == "truncated or not a cache");
  std::string other = sealed;
  other[sealed.size() - 16] = static_cast<char>(other[sealed.size() - 16] + 1);  // the format version
  CHECK_FALSE(generator::unseal_cache(other, ".opsbook-cache", why));
  CHECK(why == "written by another version of opsbook");
  std::string flipped = sealed;
  flipped[0] = 'S';
  CHECK_FALSE(generator::unseal_cache(flipped, ".opsbook-cache", why));
  CHECK(why == "damaged or sealed elsewhere (its seal is not this machine's)");
}

TEST_CASE("a cache sealed as one kind does not unseal as another, nor with its format field changed", "[generator][cache]") {
  // s7d D8: the site cache put in place of the search cache (or the shellcheck cache's bytes)
  // unsealed whenever the layouts happened to read back.
  std::string site = "same payload";
  generator::seal_cache(site, ".opsbook-cache");
  std::string why;
  CHECK(generator::unseal_cache(site, ".opsbook-cache", why));
  CHECK_FALSE(generator::unseal_cache(site, ".opsbook-search-cache", why));
  CHECK(why == "damaged or sealed elsewhere (its seal is not this machine's)");
  CHECK_FALSE(model::unseal_cache(site, "shellcheck", generator::k_cache_format, why));
  CHECK(why == "damaged or sealed elsewhere (its seal is not this machine's)");
  // The format is inside the MAC: a seal of format 12 with the field rewritten to 13 is refused
  // when read as 13.
  std::string other = site;
  other[other.size() - 16] = static_cast<char>(other[other.size() - 16] + 1);
  CHECK_FALSE(model::unseal_cache(other, ".opsbook-cache", generator::k_cache_format + 1, why));
  CHECK(why == "damaged or sealed elsewhere (its seal is not this machine's)");
}
