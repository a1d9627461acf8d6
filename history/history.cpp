// What every store says the same way.
#include "history/history.hpp"

namespace opsbook::history {

std::string run_mismatch(const ShardRecord& s, unsigned count, const std::string& set, const std::string& env) {
  return "history: run '" + s.run_id + "' was recorded as " + std::to_string(count) + " shards of set " + set + (env.empty() ? "" : " on '" + env + "'") +
         "; this report is shard " + std::to_string(s.shard) + "/" + std::to_string(s.shard_count) + " of set " + s.set_fingerprint +
         (s.env.empty() ? "" : " on '" + s.env + "'") + ": give each run its own --run-id";
}

}  // namespace opsbook::history
