// The Redis allow list (read commands, with the subcommands of CONFIG, CLIENT, ...) and the
// reasons the commands people write in runbooks are not on it.
#include "validator/redis_read_only.hpp"

#include <cstdlib>
#include <map>
#include <set>

#include "model/text.hpp"

namespace opsbook::validator {

namespace {

constexpr long k_max_scan_count = 1000;

const std::set<std::string>& reads() {
  static const std::set<std::string> k_read = {
      "PING", "ECHO", "INFO", "DBSIZE", "GET", "MGET", "EXISTS", "TTL", "PTTL", "TYPE", "STRLEN", "GETRANGE", "LLEN", "LRANGE",
      "LINDEX", "LPOS", "SCARD", "SISMEMBER", "SMISMEMBER", "SMEMBERS", "SRANDMEMBER", "HGET", "HMGET", "HGETALL", "HLEN", "HEXISTS",
      "HKEYS", "HVALS", "HSTRLEN", "HRANDFIELD", "ZCARD", "ZSCORE", "ZMSCORE", "ZRANGE", "ZRANK", "ZREVRANK", "ZCOUNT", "ZLEXCOUNT",
      "ZRANGEBYSCORE", "ZRANGEBYLEX", "ZREVRANGE", "ZREVRANGEBYSCORE", "ZREVRANGEBYLEX", "ZRANDMEMBER", "XLEN", "XRANGE", "XREVRANGE",
      "SCAN", "SSCAN", "HSCAN", "ZSCAN", "TIME", "LASTSAVE", "ROLE", "BITCOUNT", "BITPOS", "GETBIT", "GEOPOS", "GEODIST",
      "GEOHASH", "GEOSEARCH", "EXPIRETIME", "PEXPIRETIME", "RANDOMKEY", "SUBSTR"};
  // Not PFCOUNT (it rewrites the key's cached count), not LCS (its work and memory grow with
  // the product of two value sizes).
  return k_read;
}

const std::map<std::string, std::set<std::string>>& read_subcommands() {
  static const std::map<std::string, std::set<std::string>> k_sub = {
      {"CONFIG", {"GET"}}, {"CLIENT", {"LIST", "INFO", "GETNAME", "ID"}}, {"SLOWLOG", {"GET", "LEN"}},
      {"MEMORY", {"USAGE", "STATS", "DOCTOR"}}, {"LATENCY", {"LATEST", "HISTORY", "DOCTOR"}},
      {"OBJECT", {"ENCODING", "FREQ", "IDLETIME", "REFCOUNT"}}, {"CLUSTER", {"INFO", "NODES", "SLOTS", "SHARDS", "MYID"}},
      {"XINFO", {"STREAM", "GROUPS", "CONSUMERS"}}, {"PUBSUB", {"CHANNELS", "NUMSUB", "NUMPAT", "SHARDCHANNELS", "SHARDNUMSUB"}},
      {"COMMAND", {"COUNT", "INFO", "DOCS"}}, {"ACL", {"WHOAMI"}},
      {"SENTINEL", {"MASTERS", "MASTER", "REPLICAS", "SLAVES", "SENTINELS", "GET-MASTER-ADDR-BY-NAME", "CKQUORUM", "INFO-CACHE", "MYID"}}};
  return k_sub;
}

// Why a command people write in runbooks is refused, beyond "not a read".
std::string known_refusal(const std::string& cmd, const std::string& sub) {
  static const std::map<std::string, std::string> k_why = {
      {"EVAL", "runs a script on the server"}, {"EVALSHA", "runs a script on the server"}, {"EVAL_RO", "runs a script on the server"},
      {"EVALSHA_RO", "runs a script on the server"}, {"FCALL", "runs a function on the server"}, {"FCALL_RO", "runs a function on the server"},
      {"SCRIPT", "manages server scripts"}, {"FUNCTION", "manages server functions"}, {"DEBUG", "is a debugging command that can stall or crash the server"},
      {"SHUTDOWN", "stops the server"}, {"MODULE", "loads or unloads server code"}, {"MIGRATE", "moves keys to another server"},
      {"MONITOR", "streams every command forever"}, {"SUBSCRIBE", "turns the connection into a subscription that never ends"},
      {"PSUBSCRIBE", "turns the connection into a subscription that never ends"}, {"SSUBSCRIBE", "turns the connection into a subscription that never ends"},
      {"SYNC", "starts replication"}, {"PSYNC", "starts replication"}, {"REPLICAOF", "changes replication"}, {"SLAVEOF", "changes replication"},
      {"KEYS", "walks every key in one blocking call (SCAN is the non-blocking form)"}, {"WAIT", "blocks"}, {"HELLO", "changes the protocol"},
      {"SELECT", "changes the connection's database"}, {"RESET", "resets the connection"}, {"QUIT", "closes the connection"}};
  if (auto it = k_why.find(cmd); it != k_why.end()) return it->second;
  if (cmd == "CONFIG") return "CONFIG " + sub + " changes the server's configuration";
  if (cmd == "CLIENT") return "CLIENT " + sub + " changes connections or their mode";
  return "";
}

// SRANDMEMBER key -N (and HRANDFIELD, ZRANDMEMBER): a negative count repeats members, so the
// reply is as long as the count asks, whatever the key holds.
std::string random_members_refusal(const std::vector<std::string>& argv) {
  if (argv.size() < 3) return "";
  char* end = nullptr;
  long n = std::strtol(argv[2].c_str(), &end, 10);
  if (*end != 0 || n < -k_max_scan_count || n > k_max_scan_count) {
    return "a count of " + argv[2] + " makes the reply that long (at most " + std::to_string(k_max_scan_count) + " either way)";
  }
  return "";
}

// SCAN cursor [MATCH p] [COUNT n]: a large COUNT makes one call as heavy as KEYS.
std::string scan_refusal(const std::vector<std::string>& argv) {
  for (size_t i = 1; i + 1 < argv.size(); ++i) {
    if (model::to_upper(argv[i]) != "COUNT") continue;
    char* end = nullptr;
    long n = std::strtol(argv[i + 1].c_str(), &end, 10);
    if (*end != 0 || n < 0 || n > k_max_scan_count) return "COUNT " + argv[i + 1] + " makes one call walk that many keys (at most " + std::to_string(k_max_scan_count) + ")";
  }
  return "";
}

}  // namespace

std::string redis_refusal(const std::vector<std::string>& argv) {
  if (argv.empty()) return "no command";
  std::string cmd = model::to_upper(argv[0]);
  std::string sub = argv.size() >= 2 ? model::to_upper(argv[1]) : "";
  if (reads().count(cmd)) {
    if (cmd.ends_with("SCAN")) return scan_refusal(argv);
    if (cmd == "SRANDMEMBER" || cmd == "HRANDFIELD" || cmd == "ZRANDMEMBER") return random_members_refusal(argv);
    return "";
  }
  auto it = read_subcommands().find(cmd);
  if (it != read_subcommands().end() && it->second.count(sub)) return "";
  std::string what = cmd + (it != read_subcommands().end() && !sub.empty() ? " " + sub : "");
  if (std::string why = known_refusal(cmd, sub); !why.empty()) return why.starts_with(cmd) ? why : what + " " + why;
  return what + " is not a read-only command";
}

}  // namespace opsbook::validator
