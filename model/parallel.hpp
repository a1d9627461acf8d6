// parallel_for: runs fn(i) for i in [0, n) on `jobs` threads (0 = one per core).
// Work is handed out one index at a time, so a 50 MB file does not hold up the others.
#pragma once

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <exception>
#include <mutex>
#include <thread>
#include <vector>

namespace opsbook::model {

inline unsigned default_jobs() { return std::max(1u, std::thread::hardware_concurrency()); }

template <typename Fn>
void parallel_for(size_t n, unsigned jobs, Fn&& fn) {
  if (jobs == 0) jobs = default_jobs();
  jobs = static_cast<unsigned>(std::min<size_t>(jobs, n));
  if (jobs <= 1) {
    for (size_t i = 0; i < n; ++i) fn(i);
    return;
  }
  std::atomic<size_t> next{0};
  std::exception_ptr error;
  std::mutex error_mutex;
  auto worker = [&] {
    for (;;) {
      size_t i = next.fetch_add(1, std::memory_order_relaxed);
      if (i >= n) return;
      try {
        fn(i);
      } catch (...) {
        std::lock_guard lock(error_mutex);
        if (!error) error = std::current_exception();
        next.store(n);
      }
    }
  };
  std::vector<std::thread> threads;
  threads.reserve(jobs - 1);
  for (unsigned t = 1; t < jobs; ++t) threads.emplace_back(worker);
  worker();
  for (auto& t : threads) t.join();
  if (error) std::rethrow_exception(error);
}

}  // namespace opsbook::model
