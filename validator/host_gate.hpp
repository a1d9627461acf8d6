// Politeness towards a real stack: at most `per_host` live probes in flight to one host at a
// time, across every probe kind, and with a rate, their starts on one host at least 1/rate
// seconds apart. Shared by the probes of one run (thread-safe).
#pragma once

#include <chrono>
#include <condition_variable>
#include <map>
#include <mutex>
#include <string>

namespace opsbook::validator {

class HostGate {
 public:
  using Clock = std::chrono::steady_clock;

  // per_host 0 = no limit; rate 0 = no rate limit (starts per second per host).
  HostGate(unsigned per_host, double rate) : m_per_host(per_host), m_rate(rate) {}

  // Non-blocking (for an event loop): true when a probe to `host` may start now, and then it is
  // counted until release(). Else `retry_at` is when to ask again (max() when the host is full,
  // which a release() changes).
  bool try_acquire(const std::string& host, Clock::time_point now, Clock::time_point& retry_at);

  // Blocking (for worker threads): waits for a slot; false when `deadline` came first.
  bool acquire(const std::string& host, Clock::time_point deadline);

  void release(const std::string& host);

  // The most probes that were ever in flight to one host at once.
  unsigned peak() const;
  unsigned per_host() const { return m_per_host; }
  double rate() const { return m_rate; }

 private:
  struct Host {
    unsigned in_flight = 0;
    Clock::time_point next_start{};
  };
  bool admit(Host& h, Clock::time_point now, Clock::time_point& retry_at);

  unsigned m_per_host;
  double m_rate;
  mutable std::mutex m_mutex;
  std::condition_variable m_released;
  std::map<std::string, Host> m_hosts;
  unsigned m_peak = 0;
};

// Holds a slot of the gate for one probe (blocking); no gate = no limit.
class HostSlot {
 public:
  HostSlot(HostGate* gate, std::string host, HostGate::Clock::time_point deadline)
      : m_gate(gate), m_host(std::move(host)), m_held(!gate || gate->acquire(m_host, deadline)) {}
  ~HostSlot() {
    if (m_gate && m_held) m_gate->release(m_host);
  }
  HostSlot(const HostSlot&) = delete;
  HostSlot& operator=(const HostSlot&) = delete;
  // False when the deadline came before a slot: the probe must not start.
  [[nodiscard]] bool held() const { return m_held; }

 private:
  HostGate* m_gate;
  std::string m_host;
  bool m_held;
};

}  // namespace opsbook::validator
