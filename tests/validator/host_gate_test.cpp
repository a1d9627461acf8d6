// The per-host gate of live probes: never more than the limit in flight to one host, hosts
// independent of each other, starts spaced by the rate, and a deadline that wins over waiting.
#include "validator/host_gate.hpp"

#include <atomic>
#include <catch2/catch.hpp>
#include <thread>
#include <vector>

using opsbook::validator::HostGate;
using opsbook::validator::HostSlot;
using Clock = HostGate::Clock;
using namespace std::chrono_literals;

TEST_CASE("gate: 16 workers on one host never exceed its limit of 3: another host is not held up", "[validator][gate]") {
  HostGate gate(3, 0);
  std::atomic<int> in_a{0}, peak_a{0}, other_done{0};
  std::vector<std::thread> workers;
  for (int i = 0; i < 16; ++i) {
    workers.emplace_back([&] {
      HostSlot slot(&gate, "a", Clock::now() + 10s);
      REQUIRE(slot.held());
      int now = ++in_a;
      for (int seen = peak_a; now > seen && !peak_a.compare_exchange_weak(seen, now);) {}
      std::this_thread::sleep_for(5ms);
      --in_a;
    });
  }
  // While host "a" is saturated, "b" starts at once.
  std::thread other([&] {
    HostSlot slot(&gate, "b", Clock::now() + 10s);
    REQUIRE(slot.held());
    ++other_done;
  });
  other.join();
  for (auto& w : workers) w.join();
  CHECK(peak_a == 3);
  CHECK(gate.peak() == 3);
  CHECK(other_done == 1);
}

TEST_CASE("gate: a full host answers 'ask after a release', a rate answers with the next start time", "[validator][gate]") {
  HostGate limited(1, 0);
  Clock::time_point now = Clock::now(), retry;
  CHECK(limited.try_acquire("h", now, retry));
  CHECK_FALSE(limited.try_acquire("h", now, retry));
  CHECK(retry == Clock::time_point::max());
  limited.release("h");
  CHECK(limited.try_acquire("h", now, retry));

  HostGate paced(0, 10);  // 10 starts per second: 100 ms apart
  CHECK(paced.try_acquire("h", now, retry));
  CHECK_FALSE(paced.try_acquire("h", now + 50ms, retry));
  CHECK(retry == now + 100ms);
  CHECK(paced.try_acquire("h", now + 100ms, retry));
  CHECK(paced.try_acquire("other", now, retry));  // per host
}

TEST_CASE("gate: blocking starts keep the rate, and a deadline before a free slot means no start", "[validator][gate]") {
  HostGate paced(0, 50);  // 20 ms apart
  auto start = Clock::now();
  for (int i = 0; i < 5; ++i) {
    HostSlot slot(&paced, "h", Clock::now() + 5s);
    CHECK(slot.held());
  }
  CHECK(Clock::now() - start >= 80ms);  // the 5th start no sooner than 4 intervals after the first

  HostGate full(1, 0);
  HostSlot holder(&full, "h", Clock::now() + 1s);
  REQUIRE(holder.held());
  auto t = Clock::now();
  HostSlot late(&full, "h", t + 30ms);
  CHECK_FALSE(late.held());
  CHECK(Clock::now() - t < 1s);
  HostSlot unlimited(nullptr, "h", t);  // no gate: no limit
  CHECK(unlimited.held());
}
