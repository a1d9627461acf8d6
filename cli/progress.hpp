// Progress on a terminal: one line on stderr, redrawn in place, for work that takes more than
// about a second (build, check, live checks). Silent when stderr is not a terminal, when the CI
// environment variable is set, and for work that ends sooner.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>

namespace opsbook::cli {

class Progress {
 public:
  Progress();
  ~Progress();  // clears the line
  Progress(const Progress&) = delete;
  Progress& operator=(const Progress&) = delete;

  // What is being done now ("checking shell syntax"), and optionally how far it is: `done` of
  // `total` (the counter must outlive the phase).
  void phase(std::string what, const std::atomic<size_t>* done = nullptr, size_t total = 0);
  // Clears the line for good (before the command prints its results).
  void finish();

  // Whether progress is shown in this process at all.
  static bool wanted();

 private:
  void draw_loop();
  void draw();  // with m_mutex held

  bool m_on;
  std::chrono::steady_clock::time_point m_start;
  std::chrono::milliseconds m_delay;
  std::mutex m_mutex;
  std::condition_variable m_wake;
  bool m_stop = false;
  bool m_drawn = false;
  std::string m_what;
  const std::atomic<size_t>* m_done = nullptr;
  size_t m_total = 0;
  std::thread m_thread;
};

}  // namespace opsbook::cli
