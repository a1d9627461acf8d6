// SHA-256 against the FIPS 180-4 example vectors, and content_hash as its first 8 bytes.
#include <catch2/catch.hpp>

#include <cstdio>
#include <string>

#include "generator/checksum.hpp"
#include "model/checksum.hpp"

using namespace opsbook;

namespace {

std::string hex(const generator::Sha256& digest) {
  std::string out;
  char buf[3];
  for (unsigned char c : digest) {
    std::snprintf(buf, sizeof buf, "%02x", c);
    out += buf;
  }
  return out;
}

}  // namespace

TEST_CASE("sha256 gives the FIPS 180-4 example digests", "[generator][checksum]") {
  CHECK(hex(generator::sha256("abc")) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  CHECK(hex(generator::sha256("")) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  CHECK(hex(generator::sha256("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")) ==
        "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  CHECK(hex(generator::sha256(std::string(1000000, 'a'))) == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

TEST_CASE("content_hash is the first 8 bytes of the SHA-256, big-endian", "[generator][checksum]") {
  CHECK(generator::content_hash("abc") == 0xba7816bf8f01cfeaULL);
  CHECK(generator::content_hash("") == 0xe3b0c44298fc1c14ULL);
}

// The history reads 20,000 rows' MACs in a row with one context, restarted for each.
TEST_CASE("PartsMac::restart starts a new message under the same key: each MAC as from a fresh context", "[generator][checksum]") {
  std::string key(20, '\x0b');  // RFC 4231 test case 1
  model::PartsMac mac(key);
  CHECK(hex(mac.raw("Hi There").finish()) == "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
  CHECK(hex(mac.restart().raw("Hi There").finish()) == "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
  CHECK(mac.restart().raw("other").finish() == model::hmac_sha256(key, "other"));
  CHECK(mac.restart().part("a").part("b").finish() == model::PartsMac(key).part("a").part("b").finish());
}
