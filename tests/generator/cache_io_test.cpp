// The caches' seal: HMAC-SHA256 of the payload under the seal key, the format version, an end
// marker; any change is seen, and so is a seal made under another key.
#include <catch2/catch.hpp>

#include <string>

#include "generator/cache_io.hpp"
#include "generator/checksum.hpp"
#include "model/seal_key.hpp"

using namespace opsbook;

TEST_CASE("a sealed cache ends with the HMAC-SHA256 of its payload under the seal key and unseals to it", "[generator][cache]") {
  std::string bytes = "payload";
  generator::seal_cache(bytes);
  REQUIRE(bytes.size() == 7 + 32 + 8 + 8);
  model::Sha256 digest = model::hmac_sha256(model::seal_key(), "payload");
  CHECK(bytes.substr(7, 32) == std::string(reinterpret_cast<const char*>(digest.data()), 32));
  // The plain SHA-256 a pull request could compute is not a seal.
  generator::Sha256 plain = generator::sha256("payload");
  std::string forged = "payload" + std::string(reinterpret_cast<const char*>(plain.data()), 32) + bytes.substr(7 + 32);
  std::string why;
  CHECK_FALSE(generator::unseal_cache(forged, why));
  CHECK(why == "damaged or sealed elsewhere (its seal is not this machine's)");
  CHECK(bytes.ends_with("OBCACHE\n"));
  auto payload = generator::unseal_cache(bytes, why);
  REQUIRE(payload);
  CHECK(*payload == "payload");
}

TEST_CASE("a cache with any byte changed, cut short or of another version does not unseal", "[generator][cache]") {
  std::string sealed = "some cache payload";
  generator::seal_cache(sealed);
  for (size_t i = 0; i < sealed.size(); ++i) {
    std::string bytes = sealed;
    bytes[i] = static_cast<char>(bytes[i] ^ 0x04);
    std::string why;
    INFO("byte " << i);
    CHECK_FALSE(generator::unseal_cache(bytes, why));
    CHECK_FALSE(why.empty());
  }
  std::string why;
  CHECK_FALSE(generator::unseal_cache(sealed.substr(0, sealed.size() - 1), why));
  CHECK(why == "truncated or not a cache");
  std::string other = sealed;
  other[sealed.size() - 16] = static_cast<char>(other[sealed.size() - 16] + 1);  // the format version
  CHECK_FALSE(generator::unseal_cache(other, why));
  CHECK(why == "written by another version of opsbook");
  std::string flipped = sealed;
  flipped[0] = 'S';
  CHECK_FALSE(generator::unseal_cache(flipped, why));
  CHECK(why == "damaged or sealed elsewhere (its seal is not this machine's)");
}
