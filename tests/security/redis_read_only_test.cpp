// Promise: "read-only checks never change anything" (README "Safety", docs/SECURITY.md), for
// Redis: hostile redis-cli lines through `check --live` against the live stack's real Redis.
// Canary keys, the configuration and the server itself must be as they were, the run must end
// (no MONITOR or SUBSCRIBE left waiting), and a huge reply is not read.
#include <catch2/catch.hpp>

#include "model/process.hpp"
#include "model/text.hpp"
#include "red_team.hpp"

using namespace opsbook;

namespace {

std::string redis(const std::vector<std::string>& args) {
  std::vector<std::string> argv = {"redis-cli", "-p", test::stack().at("STACK_REDIS_PORT")};
  argv.insert(argv.end(), args.begin(), args.end());
  auto r = model::run_process(argv, "", std::chrono::seconds(10));
  return std::string(model::trim(r.out));
}

}  // namespace

TEST_CASE("promise: read-only checks never change anything -- hostile Redis commands in check --live", "[security][redis]") {
  redis({"SET", "canary", "alive"});
  redis({"DEL", "canary_hll"});
  redis({"PFADD", "canary_hll", "a", "b"});
  redis({"SADD", "canary_set", "m"});
  std::string hll = redis({"GET", "canary_hll"});  // PFCOUNT would rewrite its cached count
  redis({"SETRANGE", "big", "5242880", "x"});  // a 5 MiB value
  std::string maxmemory = redis({"CONFIG", "GET", "maxmemory"});
  std::string keys = redis({"DBSIZE"});
  std::string rb = "# Cache\n\n```bash\n"
                   "redis-cli EVAL \"return redis.call('del', 'canary')\" 0\n"
                   "redis-cli eval \"redis.call('flushall')\" 0\n"
                   "redis-cli EVAL_RO \"return 1\" 0\n"
                   "redis-cli SCRIPT FLUSH\n"
                   "redis-cli FUNCTION FLUSH\n"
                   "redis-cli FCALL f 0\n"
                   "redis-cli CONFIG SET maxmemory 1\n"
                   "redis-cli CONFIG SET dir /tmp\n"
                   "redis-cli DEBUG SLEEP 30\n"
                   "redis-cli MODULE LOAD /nonexistent.so\n"
                   "redis-cli MIGRATE 127.0.0.1 1 canary 0 1000\n"
                   "redis-cli MONITOR\n"
                   "redis-cli SUBSCRIBE news\n"
                   "redis-cli PSUBSCRIBE '*'\n"
                   "redis-cli FLUSHALL\n"
                   "redis-cli DEL canary\n"
                   "redis-cli GETDEL canary\n"
                   "redis-cli SET canary dead\n"
                   "redis-cli CLIENT KILL TYPE normal\n"
                   "redis-cli CLIENT PAUSE 100000\n"
                   "redis-cli KEYS '*'\n"
                   "redis-cli SCAN 0 COUNT 100000000\n"
                   "redis-cli --eval wipe.lua\n"
                   "redis-cli SAVE\n"
                   "redis-cli SHUTDOWN NOSAVE\n"
                   "redis-cli SORT canary_list BY nosort STORE canary\n"
                   "redis-cli GEORADIUS canary_geo 0 0 1 km STORE canary\n"
                   "redis-cli PFCOUNT canary_hll\n"
                   "redis-cli SRANDMEMBER canary_set -100000000\n"
                   "redis-cli LCS big big\n"
                   "redis-cli BLPOP canary_list 0\n"
                   "redis-cli SWAPDB 0 1\n"
                   "redis-cli MEMORY PURGE\n"
                   "redis-cli SLOWLOG RESET\n"
                   "redis-cli GET big\n"
                   "redis-cli GET canary\n"
                   "```\n";
  test::TempDir dir;
  auto start = std::chrono::steady_clock::now();
  auto c = test::check_live(dir, test::stack_config("OPSBOOK_PG_DSN"), rb);
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  INFO(c.run.out << c.run.err);
  CHECK(seconds < 10);
  CHECK(redis({"PING"}) == "PONG");
  CHECK(redis({"GET", "canary"}) == "alive");
  CHECK(redis({"GET", "canary_hll"}) == hll);
  CHECK(redis({"CONFIG", "GET", "maxmemory"}) == maxmemory);
  CHECK(redis({"DBSIZE"}) == keys);
  // Only the two reads were sent; the 5 MiB reply was not read.
  std::vector<std::string> sent;
  for (const auto& r : c.report["results"]) {
    if (r["kind"] == "redis" && r["outcome"] != "skipped") sent.push_back(r["expect"].get<std::string>() + ": " + r["detail"].get<std::string>());
  }
  CHECK(sent == std::vector<std::string>{"GET big: the reply is larger than 4 MiB: not read", "GET canary: 5 bytes"});
  redis({"DEL", "big", "canary_hll", "canary_set"});
}

TEST_CASE("promise: read-only checks never change anything -- reads that walk a whole key are measured and not sent when it is large", "[security][redis]") {
  std::vector<std::string> hset = {"HSET", "big_hash"}, sadd = {"SADD", "big_set"}, rpush = {"RPUSH", "big_list"};
  for (int i = 0; i < 1500; ++i) {
    std::string n = std::to_string(i);
    hset.insert(hset.end(), {"f" + n, n});
    sadd.push_back("m" + n);
    rpush.push_back(n);
  }
  redis({"DEL", "big_hash", "big_set", "big_list"});
  redis(hset);
  redis(sadd);
  redis(rpush);
  redis({"HSET", "small_hash", "a", "1"});
  std::string rb = "# Cache\n\n```bash\n"
                   "redis-cli HGETALL big_hash\n"
                   "redis-cli SMEMBERS big_set\n"
                   "redis-cli LRANGE big_list 0 -1\n"
                   "redis-cli LRANGE big_list 0 99\n"
                   "redis-cli LRANGE big_list -10 -1\n"
                   "redis-cli HGETALL small_hash\n"
                   "```\n";
  test::TempDir dir;
  auto c = test::check_live(dir, test::stack_config("OPSBOOK_PG_DSN"), rb);
  INFO(c.run.out << c.run.err);
  std::vector<std::string> got;
  for (const auto& r : c.report["results"]) {
    if (r["kind"] == "redis") got.push_back(r["expect"].get<std::string>() + " | " + r["outcome"].get<std::string>() + " | " + r["detail"].get<std::string>());
  }
  CHECK(got == std::vector<std::string>{
                   "HGETALL big_hash | skipped | HGETALL would walk 1500 elements of big_hash (at most 1000): narrow it (a range, LIMIT, COUNT, or HSCAN/SSCAN/ZSCAN): never sent by live checks",
                   "SMEMBERS big_set | skipped | SMEMBERS would walk 1500 elements of big_set (at most 1000): narrow it (a range, LIMIT, COUNT, or HSCAN/SSCAN/ZSCAN): never sent by live checks",
                   "LRANGE big_list 0 -1 | skipped | LRANGE would walk 1500 elements of big_list (at most 1000): narrow it (a range, LIMIT, COUNT, or HSCAN/SSCAN/ZSCAN): never sent by live checks",
                   "LRANGE big_list 0 99 | pass | 100 elements",
                   "LRANGE big_list -10 -1 | pass | 10 elements",
                   "HGETALL small_hash | pass | 2 elements"});
  redis({"DEL", "big_hash", "big_set", "big_list", "small_hash"});
}
