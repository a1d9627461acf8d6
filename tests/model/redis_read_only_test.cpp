// The Redis allow list of live checks: reads only, with small work and replies.
#include <catch2/catch.hpp>

#include "model/redis_read_only.hpp"

using opsbook::model::redis_refusal;

TEST_CASE("redis allow list: reads pass: writes, scripts, modes and heavy calls are refused with the reason", "[model][live]") {
  CHECK(redis_refusal({"get", "k"}).empty());
  CHECK(redis_refusal({"CONFIG", "GET", "maxmemory"}).empty());
  CHECK(redis_refusal({"scan", "0", "MATCH", "x*", "COUNT", "100"}).empty());
  CHECK(redis_refusal({"CONFIG", "SET", "maxmemory", "1"}) == "CONFIG SET changes the server's configuration");
  CHECK(redis_refusal({"FLUSHDB"}) == "FLUSHDB is not a read-only command");
  CHECK(redis_refusal({"DEL", "k"}) == "DEL is not a read-only command");
  CHECK(redis_refusal({"CLIENT", "KILL", "x"}) == "CLIENT KILL changes connections or their mode");
  CHECK(redis_refusal({"eval", "return 1", "0"}) == "EVAL runs a script on the server");
  CHECK(redis_refusal({"SCRIPT", "FLUSH"}) == "SCRIPT manages server scripts");
  CHECK(redis_refusal({"FUNCTION", "LIST"}) == "FUNCTION manages server functions");
  CHECK(redis_refusal({"DEBUG", "SLEEP", "10"}) == "DEBUG is a debugging command that can stall or crash the server");
  CHECK(redis_refusal({"SHUTDOWN", "NOSAVE"}) == "SHUTDOWN stops the server");
  CHECK(redis_refusal({"MODULE", "LOAD", "/x.so"}) == "MODULE loads or unloads server code");
  CHECK(redis_refusal({"MIGRATE", "h", "6379", "k", "0", "1"}) == "MIGRATE moves keys to another server");
  CHECK(redis_refusal({"MONITOR"}) == "MONITOR streams every command forever");
  CHECK(redis_refusal({"SUBSCRIBE", "c"}) == "SUBSCRIBE turns the connection into a subscription that never ends");
  CHECK(redis_refusal({"KEYS", "*"}) == "KEYS walks every key in one blocking call (SCAN is the non-blocking form)");
  CHECK(redis_refusal({"SCAN", "0", "COUNT", "1000000"}) == "COUNT 1000000 makes one call walk that many keys (at most 1000)");
  CHECK(redis_refusal({}) == "no command");
  // Hostile review: reads that write or whose work is unbounded.
  CHECK(redis_refusal({"PFCOUNT", "hll"}) == "PFCOUNT is not a read-only command");  // rewrites the cached count
  CHECK(redis_refusal({"LCS", "a", "b"}) == "LCS is not a read-only command");
  CHECK(redis_refusal({"SRANDMEMBER", "s", "-1000000000"}) == "a count of -1000000000 makes the reply that long (at most 1000 either way)");
  CHECK(redis_refusal({"HRANDFIELD", "h", "5000", "WITHVALUES"}) == "a count of 5000 makes the reply that long (at most 1000 either way)");
  CHECK(redis_refusal({"ZRANDMEMBER", "z", "x"}) == "a count of x makes the reply that long (at most 1000 either way)");
  CHECK(redis_refusal({"SRANDMEMBER", "s", "-5"}).empty());
  CHECK(redis_refusal({"SRANDMEMBER", "s"}).empty());
}

TEST_CASE("reads that walk a whole key are measured first, and bounded by their range, LIMIT or COUNT", "[model][redis]") {
  using V = std::vector<std::string>;
  CHECK(opsbook::model::redis_size_query({"HGETALL", "h"}) == V{"HLEN", "h"});
  CHECK(opsbook::model::redis_size_query({"smembers", "s"}) == V{"SCARD", "s"});
  CHECK(opsbook::model::redis_size_query({"XRANGE", "x", "-", "+"}) == V{"XLEN", "x"});
  CHECK(opsbook::model::redis_size_query({"GET", "k"}).empty());
  CHECK(opsbook::model::redis_size_query({"HGETALL"}).empty());
  CHECK(opsbook::model::redis_size_refusal({"HGETALL", "h"}, 1000).empty());
  CHECK(opsbook::model::redis_size_refusal({"HGETALL", "h"}, 1001) ==
        "HGETALL would walk 1001 elements of h (at most 1000): narrow it (a range, LIMIT, COUNT, or HSCAN/SSCAN/ZSCAN)");
  CHECK(opsbook::model::redis_size_refusal({"LRANGE", "l", "0", "-1"}, 5000) != "");
  CHECK(opsbook::model::redis_size_refusal({"LRANGE", "l", "-1000", "-1"}, 5000).empty());
  CHECK(opsbook::model::redis_size_refusal({"LRANGE", "l", "0", "x"}, 5000) != "");  // not a number: the whole key
  CHECK(opsbook::model::redis_size_refusal({"ZRANGE", "z", "0", "9"}, 1000000).empty());
  CHECK(opsbook::model::redis_size_refusal({"ZRANGE", "z", "0", "9", "BYSCORE"}, 1000000) != "");  // 0..9 are scores there
  CHECK(opsbook::model::redis_size_refusal({"ZRANGEBYSCORE", "z", "-inf", "+inf", "LIMIT", "0", "50"}, 1000000).empty());
  CHECK(opsbook::model::redis_size_refusal({"ZRANGEBYSCORE", "z", "-inf", "+inf", "LIMIT", "999999", "50"}, 1000000) != "");  // the offset is walked too
  CHECK(opsbook::model::redis_size_refusal({"XRANGE", "x", "-", "+", "COUNT", "100"}, 1000000).empty());
  CHECK(opsbook::model::redis_size_refusal({"XREVRANGE", "x", "+", "-"}, 1000000) != "");
}
