// FNV-1a and its hex form.
#include "model/hash.hpp"

#include <cstdio>

namespace opsbook::model {

uint64_t fnv1a(std::string_view data, uint64_t seed) {
  uint64_t h = seed;
  for (char c : data) {
    h ^= static_cast<unsigned char>(c);
    h *= k_fnv_prime;
  }
  return h;
}

std::string hex64(uint64_t value) {
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(value));
  return buf;
}

}  // namespace opsbook::model
