// The caches' seal.
#include "model/cache_io.hpp"

#include "model/seal_key.hpp"

namespace opsbook::model {

namespace {

constexpr std::string_view k_end_marker = "OBCACHE\n";
constexpr size_t k_seal_size = sizeof(Sha256) + sizeof(uint64_t) + k_end_marker.size();

}  // namespace

void seal_cache(std::string& bytes, uint64_t format) {
  Sha256 digest = seal_digest(bytes);
  CacheWriter w;
  w.data().append(reinterpret_cast<const char*>(digest.data()), digest.size());
  w.u64(format);
  bytes += w.data();
  bytes += k_end_marker;
}

std::optional<std::string_view> unseal_cache(std::string_view file, uint64_t format, std::string& why) {
  if (file.size() < k_seal_size || !file.ends_with(k_end_marker)) {
    why = "truncated or not a cache";
    return std::nullopt;
  }
  std::string_view payload = file.substr(0, file.size() - k_seal_size);
  std::string_view checksum = file.substr(payload.size(), sizeof(Sha256));
  CacheReader r(file.substr(payload.size() + sizeof(Sha256)));
  if (r.u64() != format) {
    why = "written by another version of opsbook";
    return std::nullopt;
  }
  Sha256 digest = seal_digest(payload);
  if (checksum != std::string_view(reinterpret_cast<const char*>(digest.data()), digest.size())) {
    why = "damaged or sealed elsewhere (its seal is not this machine's)";
    return std::nullopt;
  }
  return payload;
}

}  // namespace opsbook::model
