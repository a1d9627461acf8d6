// SHA-256 through libcrypto's EVP interface; the algorithm is fetched once and shared by threads.
#include "model/checksum.hpp"

#include <openssl/evp.h>
#include <openssl/core_names.h>
#include <openssl/hmac.h>
#include <openssl/params.h>

#include <stdexcept>

namespace opsbook::model {

namespace {

const EVP_MD* sha256_md() {
  static EVP_MD* md = EVP_MD_fetch(nullptr, "SHA256", nullptr);
  if (md == nullptr) throw std::runtime_error("libcrypto has no SHA-256");
  return md;
}

}  // namespace

std::string digest_hex(const Sha256& digest, size_t bytes) {
  static constexpr char k_digits[] = "0123456789abcdef";
  std::string out;
  out.reserve(2 * bytes);
  for (size_t i = 0; i < bytes && i < digest.size(); ++i) out += k_digits[digest[i] >> 4], out += k_digits[digest[i] & 15];
  return out;
}

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

PartsMac::PartsMac(std::string_view key) {
  static EVP_MAC* mac = EVP_MAC_fetch(nullptr, "HMAC", nullptr);
  char digest[] = "SHA256";
  OSSL_PARAM params[] = {OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, digest, 0), OSSL_PARAM_construct_end()};
  m_ctx = mac == nullptr ? nullptr : EVP_MAC_CTX_new(mac);
  if (m_ctx == nullptr || EVP_MAC_init(m_ctx, reinterpret_cast<const unsigned char*>(key.data()), key.size(), params) != 1) {
    EVP_MAC_CTX_free(m_ctx);
    throw std::runtime_error("HMAC-SHA256 failed");
  }
}

PartsMac::PartsMac(const PartsMac& other) : m_ctx(EVP_MAC_CTX_dup(other.m_ctx)) {
  if (m_ctx == nullptr) throw std::runtime_error("HMAC-SHA256 failed");
}

PartsMac::~PartsMac() { EVP_MAC_CTX_free(m_ctx); }

PartsMac& PartsMac::part(std::string_view data) {
  unsigned char size[8];
  for (size_t i = 0; i < sizeof size; ++i) size[i] = static_cast<unsigned char>(static_cast<uint64_t>(data.size()) >> (8 * i));
  if (EVP_MAC_update(m_ctx, size, sizeof size) != 1 || EVP_MAC_update(m_ctx, reinterpret_cast<const unsigned char*>(data.data()), data.size()) != 1) {
    throw std::runtime_error("HMAC-SHA256 failed");
  }
  return *this;
}

PartsMac& PartsMac::raw(std::string_view framed) {
  if (EVP_MAC_update(m_ctx, reinterpret_cast<const unsigned char*>(framed.data()), framed.size()) != 1) throw std::runtime_error("HMAC-SHA256 failed");
  return *this;
}

PartsMac& PartsMac::parts(std::initializer_list<std::string_view> data) {
  for (std::string_view d : data) part(d);
  return *this;
}

Sha256 PartsMac::finish() {
  Sha256 out{};
  size_t size = 0;
  if (EVP_MAC_final(m_ctx, out.data(), &size, out.size()) != 1 || size != out.size()) throw std::runtime_error("HMAC-SHA256 failed");
  return out;
}

PartsMac& PartsMac::restart() {
  if (EVP_MAC_init(m_ctx, nullptr, 0, nullptr) != 1) throw std::runtime_error("HMAC-SHA256 failed");  // no key: the same one, set up again
  return *this;
}

uint64_t content_hash(std::string_view data) {
  Sha256 digest = sha256(data);
  uint64_t h = 0;
  for (size_t i = 0; i < sizeof h; ++i) h = h << 8 | digest[i];
  return h;
}

}  // namespace opsbook::model
