// Per-host slots and start spacing.
#include "validator/host_gate.hpp"

#include <algorithm>

namespace opsbook::validator {

bool HostGate::admit(Host& h, Clock::time_point now, Clock::time_point& retry_at) {
  if (m_per_host > 0 && h.in_flight >= m_per_host) {
    retry_at = Clock::time_point::max();
    return false;
  }
  if (m_rate > 0 && now < h.next_start) {
    retry_at = h.next_start;
    return false;
  }
  ++h.in_flight;
  m_peak = std::max(m_peak, h.in_flight);
  if (m_rate > 0) h.next_start = std::max(now, h.next_start) + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(1.0 / m_rate));
  return true;
}

bool HostGate::try_acquire(const std::string& host, Clock::time_point now, Clock::time_point& retry_at) {
  std::lock_guard lock(m_mutex);
  return admit(m_hosts[host], now, retry_at);
}

bool HostGate::acquire(const std::string& host, Clock::time_point deadline) {
  std::unique_lock lock(m_mutex);
  for (;;) {
    Clock::time_point now = Clock::now();
    if (now >= deadline) return false;
    Clock::time_point retry_at;
    if (admit(m_hosts[host], now, retry_at)) return true;
    Clock::time_point until = std::min(retry_at, deadline);
    if (until == Clock::time_point::max()) m_released.wait(lock);  // wait_until(max) overflows
    else m_released.wait_until(lock, until);
  }
}

void HostGate::release(const std::string& host) {
  {
    std::lock_guard lock(m_mutex);
    Host& h = m_hosts[host];
    if (h.in_flight > 0) --h.in_flight;
  }
  m_released.notify_all();
}

unsigned HostGate::peak() const {
  std::lock_guard lock(m_mutex);
  return m_peak;
}

}  // namespace opsbook::validator
