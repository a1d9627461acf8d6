// Shards of a runbook set for parallel CI jobs (`opsbook check --shard I/N`): rendezvous hashing
// by path, so a file's shard depends only on its path and N (adding or removing files never
// moves the others), and a fingerprint of the whole set so that merged reports can prove that
// their shards covered the same runbooks.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace opsbook::model {

struct Shard {
  unsigned index = 1;  // 1-based
  unsigned count = 1;
  [[nodiscard]] std::string str() const { return std::to_string(index) + "/" + std::to_string(count); }
};

inline constexpr unsigned k_max_shards = 1000;

// Parses "I/N" (1 <= I <= N <= k_max_shards); nullopt with `error` saying what is wrong.
std::optional<Shard> parse_shard(std::string_view text, std::string& error);

// The shard (1..count) that owns `path`.
unsigned shard_of(std::string_view path, unsigned count);

// Fingerprint of a set of runbook paths, independent of their order (16 hex digits).
std::string path_set_fingerprint(std::vector<std::string> paths);

}  // namespace opsbook::model
