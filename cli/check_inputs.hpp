// What one `opsbook check` covers and loads: every runbook under the paths, or one shard of them
// (--shard I/N), narrowed to those changed since a git ref (--changed-since); plus the runbooks
// that the shard's relative links point into, parsed for the link checks but not checked.
#pragma once

#include <set>
#include <string>
#include <vector>

#include "model/diagnostic.hpp"
#include "model/limits.hpp"
#include "model/runbook.hpp"
#include "model/shard.hpp"

namespace opsbook::cli {

struct CheckInputs {
  model::Diagnostics top;                // missing paths, unreadable folders
  std::vector<model::Runbook> runbooks;  // the shard's runbooks by path, then the link targets
  size_t owned = 0;                      // runbooks[0, owned) belong to the shard
  bool all = true;                       // every runbook is checked
  std::set<std::string> checked;         // else these paths (maybe none)
  size_t set_count = 0;                  // runbooks under the paths, all shards together
  std::string set_fingerprint;           // model::path_set_fingerprint of them
};

// Throws opsbook::Error when `changed_since` is given and git cannot answer.
CheckInputs load_check_inputs(const std::vector<std::string>& paths, const model::Shard& shard, const std::string& changed_since, unsigned jobs,
                             const model::Limits& limits);

}  // namespace opsbook::cli
