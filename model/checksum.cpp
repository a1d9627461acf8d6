// SHA-256 through libcrypto's EVP interface; the algorithm is fetched once and shared by threads.
#include "model/checksum.hpp"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <stdexcept>

namespace opsbook::model {

namespace {

const EVP_MD* sha256_md() {
  static EVP_MD* md = EVP_MD_fetch(nullptr, "SHA256", nullptr);
  if (md == nullptr) throw std::runtime_error("libcrypto has no SHA-256");
  return md;
}

}  // namespace

Sha256 sha256(std::string_view data) {
  Sha256 out{};
  unsigned int size = 0;
  if (EVP_Digest(data.data(), data.size(), out.data(), &size, sha256_md(), nullptr) != 1 || size != out.size()) {
    throw std::runtime_error("SHA-256 failed");
  }
  return out;
}

Sha256 hmac_sha256(std::string_view key, std::string_view data) {
  Sha256 out{};
  unsigned int size = 0;
  if (HMAC(sha256_md(), key.data(), static_cast<int>(key.size()), reinterpret_cast<const unsigned char*>(data.data()), data.size(), out.data(), &size) == nullptr ||
      size != out.size()) {
    throw std::runtime_error("HMAC-SHA256 failed");
  }
  return out;
}

uint64_t content_hash(std::string_view data) {
  Sha256 digest = sha256(data);
  uint64_t h = 0;
  for (size_t i = 0; i < sizeof h; ++i) h = h << 8 | digest[i];
  return h;
}

}  // namespace opsbook::model
