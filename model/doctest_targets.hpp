// The places one allowed doc-test command reaches, read from its words by the `connects` kind of
// its allow-list row: URLs (curl, wget), PostgreSQL (psql, pg_isready: -h, -p, a connection
// string), Redis (redis-cli -h, -p, -u), TCP (nc HOST PORT...), name lookups (dig, host,
// nslookup, getent hosts, ping). model/network_target decides whether the environment lets them.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "network_target.hpp"

namespace opsbook::model {

struct TargetWord {
  std::string_view text;  // quote-removed; the environment's variables written in, else as written
  bool literal = true;
  std::string_view written = {};  // as the runbook wrote it, for messages ("" = text): a value can hold a secret
};

struct ToolCall {
  std::string_view label;  // the row: "curl", "psql"
  std::vector<std::pair<const std::vector<std::string>*, TargetWord>> options;  // an option's names and its value, in order
  std::vector<TargetWord> operands;
};

// Appends the places `call` reaches (`kind`: url, postgres, redis, tcp, lookup) to `out`; a
// refusal when a word that names a place is decided at run time or cannot be read as the tool
// reads it.
std::optional<std::string> doctest_targets(std::string_view kind, const ToolCall& call, std::vector<NetTarget>& out);

// For doc-test messages: 'label', and a word cut to 60 characters.
std::string quoted(std::string_view label);
std::string shown(std::string_view word);

// The `connects` kinds an allow-list row may name.
bool is_connects_kind(std::string_view kind);

}  // namespace opsbook::model
