// The Redis allow list (read commands, with the subcommands of CONFIG, CLIENT, ...) and the
// reasons the commands people write in runbooks are not on it.
#include "redis_read_only.hpp"

#include <cstdlib>
#include <map>
#include <optional>
#include <algorithm>
#include <set>

#include "text.hpp"

namespace opsbook::model {

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

namespace {

// The measuring command of each read that walks a whole key.
std::string size_command(const std::string& cmd) {
  static const std::map<std::string, std::string> k_size = {
      {"HGETALL", "HLEN"}, {"HKEYS", "HLEN"}, {"HVALS", "HLEN"}, {"SMEMBERS", "SCARD"}, {"LRANGE", "LLEN"}, {"LPOS", "LLEN"},
      {"ZRANGE", "ZCARD"}, {"ZREVRANGE", "ZCARD"}, {"ZRANGEBYSCORE", "ZCARD"}, {"ZREVRANGEBYSCORE", "ZCARD"}, {"ZRANGEBYLEX", "ZCARD"},
      {"ZREVRANGEBYLEX", "ZCARD"}, {"GEOSEARCH", "ZCARD"}, {"XRANGE", "XLEN"}, {"XREVRANGE", "XLEN"}};
  auto it = k_size.find(cmd);
  return it == k_size.end() ? "" : it->second;
}

std::optional<long long> integer(const std::string& s) {
  char* end = nullptr;
  long long n = std::strtoll(s.c_str(), &end, 10);
  if (s.empty() || *end != 0) return std::nullopt;
  return n;
}

// The value after `word` (LIMIT offset count, COUNT n), case-insensitive; nullopt when absent.
std::optional<long long> after(const std::vector<std::string>& argv, const std::string& word, size_t skip = 0) {
  for (size_t i = 2; i + 1 + skip < argv.size(); ++i) {
    if (model::to_upper(argv[i]) == word) return integer(argv[i + 1 + skip]);
  }
  return std::nullopt;
}

// Elements an index range [start, stop] covers in a key of n (negative indices count from the end).
long long index_range(const std::vector<std::string>& argv, long long n) {
  auto start = argv.size() > 2 ? integer(argv[2]) : std::nullopt;
  auto stop = argv.size() > 3 ? integer(argv[3]) : std::nullopt;
  if (!start || !stop) return n;
  long long a = *start < 0 ? std::max(0LL, *start + n) : *start;
  long long b = *stop < 0 ? *stop + n : std::min(*stop, n - 1);
  return b < a ? 0 : b - a + 1;
}

// How many elements the command touches in a key of n.
long long touched(const std::vector<std::string>& argv, long long n) {
  std::string cmd = model::to_upper(argv[0]);
  bool by_value = cmd.find("BY") != std::string::npos;
  for (size_t i = 4; i < argv.size() && !by_value; ++i) {
    std::string w = model::to_upper(argv[i]);
    by_value = w == "BYSCORE" || w == "BYLEX";
  }
  if (cmd.starts_with("XR")) return after(argv, "COUNT").value_or(n);
  if (cmd == "LRANGE" || ((cmd == "ZRANGE" || cmd == "ZREVRANGE") && !by_value)) return index_range(argv, n);
  if (cmd.starts_with("Z")) {  // by score or lex: LIMIT offset count bounds it
    auto offset = after(argv, "LIMIT");
    auto count = after(argv, "LIMIT", 1);
    if (offset && count && *offset >= 0 && *count >= 0) return std::min(n, *offset + *count);
  }
  return n;
}

}  // namespace

std::vector<std::string> redis_size_query(const std::vector<std::string>& argv) {
  if (argv.size() < 2) return {};
  std::string measure = size_command(model::to_upper(argv[0]));
  if (measure.empty()) return {};
  return {measure, argv[1]};
}

std::string redis_size_refusal(const std::vector<std::string>& argv, long long elements) {
  if (argv.empty() || redis_size_query(argv).empty()) return "";
  long long n = touched(argv, elements);
  if (n <= k_redis_max_elements) return "";
  return model::to_upper(argv[0]) + " would walk " + std::to_string(n) + " elements of " + argv[1] + " (at most " + std::to_string(k_redis_max_elements) +
         "): narrow it (a range, LIMIT, COUNT, or HSCAN/SSCAN/ZSCAN)";
}

}  // namespace opsbook::model
