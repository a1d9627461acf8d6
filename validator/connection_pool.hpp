// Connections of the PostgreSQL and Redis probes: a few per server, shared by worker threads,
// connection refused retried with backoff, and a failed connect remembered so that later tasks
// fail fast instead of each waiting for its own timeout.
#pragma once

#include <algorithm>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "validator/live_probe.hpp"

namespace opsbook::validator {

template <typename Connection>  // a movable handle that is false when empty (unique_ptr)
class ConnectionPool {
 public:
  // `connect` returns an empty handle and sets `error` on failure; `retryable` tells a
  // refused connection (worth another try) from a definitive failure (bad password).
  ConnectionPool(std::function<Connection(std::string& error)> connect, std::function<bool(const std::string&)> retryable, const ProbeLimits& limits)
      : m_connect(std::move(connect)), m_retryable(std::move(retryable)), m_limits(limits) {}

  Connection acquire(std::string& error, int& attempts) {
    {
      std::lock_guard lock(m_mutex);
      if (!m_idle.empty()) {
        Connection c = std::move(m_idle.back());
        m_idle.pop_back();
        return c;
      }
      if (!m_failure.empty()) {
        error = m_failure;
        return Connection{};
      }
    }
    for (attempts = 1;; ++attempts) {
      if (Connection c = m_connect(error)) return c;
      auto wait = m_limits.backoff * (1 << std::min(attempts - 1, 6));
      if (!m_retryable(error) || attempts > m_limits.retries || Clock::now() + wait >= m_limits.deadline) break;
      std::this_thread::sleep_for(wait);
    }
    std::lock_guard lock(m_mutex);
    if (m_failure.empty()) m_failure = error;
    return Connection{};
  }

  void release(Connection c) {
    std::lock_guard lock(m_mutex);
    m_idle.push_back(std::move(c));
  }

 private:
  std::function<Connection(std::string&)> m_connect;
  std::function<bool(const std::string&)> m_retryable;
  const ProbeLimits& m_limits;
  std::mutex m_mutex;
  std::vector<Connection> m_idle;
  std::string m_failure;
};

}  // namespace opsbook::validator
