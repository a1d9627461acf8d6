// The build caches' encoding and seal are model/cache_io's (shared with the shellcheck cache); the
// build caches' own layout version and error type are here.
#pragma once

#include <stdexcept>

#include "model/cache_io.hpp"

namespace opsbook::generator {

using model::CacheReader;
using model::CacheWriter;
using model::MappedFile;

// The layout version of both build caches; a cache of another version is replaced, never read.
// 12: seals name the cache's kind (a cache sealed before is refused once and rebuilt).
constexpr uint64_t k_cache_format = 12;

// `kind`: the cache's file name (.opsbook-cache, .opsbook-search-cache).
inline void seal_cache(std::string& bytes, std::string_view kind) { model::seal_cache(bytes, kind, k_cache_format); }
inline std::optional<std::string_view> unseal_cache(std::string_view file, std::string_view kind, std::string& why) {
  return model::unseal_cache(file, kind, k_cache_format, why);
}

// Thrown when a previous build's cache cannot be trusted (unreadable, damaged, or disagreeing
// with the site): build_site says so in one line and does a full build instead.
class UnusableCache : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

}  // namespace opsbook::generator
