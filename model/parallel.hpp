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

// The k-th index handed out in Order::spread: a permutation of [0, n).
inline size_t spread_index(size_t k, size_t n, unsigned jobs) {
  size_t stride = (n + jobs - 1) / jobs;  // region size; region r holds [r*stride, (r+1)*stride)
  size_t full = n - (stride - 1) * jobs;  // regions that hold `stride` items (the rest hold one less)
  size_t r = k % jobs, pos = k / jobs;
  // Regions past `full` are one shorter; once a region runs out, its turns go to the others.
  if (full < jobs && pos >= stride - 1) {
    // Last round: only the first `full` regions still have an item.
    size_t last = k - jobs * (stride - 1);
    return last * stride + stride - 1;
  }
  size_t start = r <= full ? r * stride : full * stride + (r - full) * (stride - 1);
  return start + pos;
}

inline unsigned default_jobs() { return std::max(1u, std::thread::hardware_concurrency()); }

// How parallel_for hands out indices. `spread` gives concurrent workers indices far apart
// (0, n/J, 1, n/J+1, ...): for writing files in index order, so that two threads seldom create
// files in the same folder at once (file systems lock a folder while creating in it).
enum class Order { in_turn, spread };

template <typename Fn>
void parallel_for(size_t n, unsigned jobs, Fn&& fn, Order order = Order::in_turn) {
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
      size_t k = next.fetch_add(1, std::memory_order_relaxed);
      if (k >= n) return;
      size_t i = order == Order::spread ? spread_index(k, n, jobs) : k;
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
