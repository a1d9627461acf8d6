// The caches' seal: SHA-256 of the payload, the format version, an end marker; any change is seen.
#include <catch2/catch.hpp>

#include <string>

#include "generator/cache_io.hpp"
#include "generator/checksum.hpp"

using namespace opsbook;

TEST_CASE("a sealed cache ends with the SHA-256 of its payload and unseals to it", "[generator][cache]") {
  std::string bytes = "payload";
  generator::seal_cache(bytes);
  REQUIRE(bytes.size() == 7 + 32 + 8 + 8);
  generator::Sha256 digest = generator::sha256("payload");
  CHECK(bytes.substr(7, 32) == std::string(reinterpret_cast<const char*>(digest.data()), 32));
  CHECK(bytes.ends_with("OBCACHE\n"));
  std::string why;
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
  CHECK(why == "damaged (checksum mismatch)");
}
