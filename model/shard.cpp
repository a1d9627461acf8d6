// Rendezvous (highest random weight) hashing over FNV-1a with a splitmix64 finaliser.
#include "model/shard.hpp"

#include <algorithm>
#include <charconv>

#include "model/hash.hpp"

namespace opsbook::model {

namespace {

uint64_t mix(uint64_t x) {
  x += 0x9e3779b97f4a7c15ull;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
  return x ^ (x >> 31);
}

bool parse_unsigned(std::string_view text, unsigned& out) {
  if (text.empty() || text.size() > 9) return false;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  return ec == std::errc() && end == text.data() + text.size();
}

}  // namespace

std::optional<Shard> parse_shard(std::string_view text, std::string& error) {
  size_t slash = text.find('/');
  Shard s;
  if (slash == std::string_view::npos || !parse_unsigned(text.substr(0, slash), s.index) || !parse_unsigned(text.substr(slash + 1), s.count)) {
    error = "--shard takes I/N (e.g. 2/4), not '" + std::string(text) + "'";
    return std::nullopt;
  }
  if (s.count < 1 || s.count > k_max_shards) {
    error = "--shard " + std::string(text) + ": N must be between 1 and " + std::to_string(k_max_shards);
    return std::nullopt;
  }
  if (s.index < 1 || s.index > s.count) {
    error = "--shard " + std::string(text) + ": I must be between 1 and " + std::to_string(s.count);
    return std::nullopt;
  }
  return s;
}

unsigned shard_of(std::string_view path, unsigned count) {
  uint64_t key = fnv1a(path);
  unsigned best = 1;
  uint64_t best_score = 0;
  for (unsigned i = 1; i <= count; ++i) {
    uint64_t score = mix(key ^ mix(i));
    if (i == 1 || score > best_score) {
      best = i;
      best_score = score;
    }
  }
  return best;
}

std::string path_set_fingerprint(std::vector<std::string> paths) {
  std::sort(paths.begin(), paths.end());
  uint64_t h = fnv1a(std::to_string(paths.size()));
  for (const auto& p : paths) h = fnv1a(p, fnv1a(std::string_view("\n", 1), h));
  return hex64(h);
}

}  // namespace opsbook::model
