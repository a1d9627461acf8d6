// The caches' seal.
#include "generator/cache_io.hpp"

#include "generator/output_dir.hpp"

namespace opsbook::generator {

namespace {

constexpr std::string_view k_end_marker = "OBCACHE\n";
constexpr size_t k_seal_size = 2 * sizeof(uint64_t) + k_end_marker.size();

}  // namespace

void seal_cache(std::string& bytes) {
  CacheWriter w;
  w.u64(content_hash(bytes));
  w.u64(k_cache_format);
  bytes += w.data();
  bytes += k_end_marker;
}

std::optional<std::string_view> unseal_cache(std::string_view file, std::string& why) {
  if (file.size() < k_seal_size || !file.ends_with(k_end_marker)) {
    why = "truncated or not a cache";
    return std::nullopt;
  }
  std::string_view payload = file.substr(0, file.size() - k_seal_size);
  CacheReader r(file.substr(payload.size()));
  uint64_t checksum = r.u64();
  if (r.u64() != k_cache_format) {
    why = "written by another version of opsbook";
    return std::nullopt;
  }
  if (checksum != content_hash(payload)) {
    why = "damaged (checksum mismatch)";
    return std::nullopt;
  }
  return payload;
}

}  // namespace opsbook::generator
