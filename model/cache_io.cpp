// The caches' seal.
#include "model/cache_io.hpp"

#include "model/seal_key.hpp"

namespace opsbook::model {

namespace {

constexpr std::string_view k_end_marker = "OBCACHE\n";
constexpr size_t k_seal_size = sizeof(Sha256) + sizeof(uint64_t) + k_end_marker.size();

// The seal covers the kind of cache and its format as well as the payload: a cache of one kind
// (or layout) never unseals as another.
Sha256 cache_digest(std::string_view kind, uint64_t format, std::string_view payload) {
  CacheWriter f;
  f.u64(format);
  return seal_digest({"opsbook cache", kind, f.data(), payload});
}

}  // namespace

void seal_cache(std::string& bytes, std::string_view kind, uint64_t format) {
  Sha256 digest = cache_digest(kind, format, bytes);
  CacheWriter w;
  w.data().append(reinterpret_cast<const char*>(digest.data()), digest.size());
  w.u64(format);
  bytes += w.data();
  bytes += k_end_marker;
}

std::optional<std::string_view> unseal_cache(std::string_view file, std::string_view kind, uint64_t format, std::string& why) {
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
  Sha256 digest = cache_digest(kind, format, payload);
  if (checksum != std::string_view(reinterpret_cast<const char*>(digest.data()), digest.size())) {
    why = "damaged or sealed elsewhere (its seal is not this machine's)";
    return std::nullopt;
  }
  return payload;
}

}  // namespace opsbook::model
