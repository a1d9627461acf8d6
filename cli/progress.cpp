// The progress line: a thread that redraws it ten times a second once the work has run a second.
#include "cli/progress.hpp"

#include <sys/ioctl.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "cli/terminal_sink.hpp"
#include "model/terminal_text.hpp"

namespace opsbook::cli {

bool Progress::wanted() {
  if (::isatty(STDERR_FILENO) != 1) return false;
  const char* ci = std::getenv("CI");
  if (ci != nullptr && *ci != '\0' && std::strcmp(ci, "false") != 0 && std::strcmp(ci, "0") != 0) return false;
  const char* term = std::getenv("TERM");
  return term == nullptr || std::strcmp(term, "dumb") != 0;
}

Progress::Progress() : m_on(wanted()), m_start(std::chrono::steady_clock::now()), m_delay(1000) {
  if (!m_on) return;
  // OPSBOOK_PROGRESS_AFTER_MS: how long work runs before the line appears (tests set 0).
  if (const char* after = std::getenv("OPSBOOK_PROGRESS_AFTER_MS")) m_delay = std::chrono::milliseconds(std::atoi(after));
  m_thread = std::thread([this] { draw_loop(); });
}

Progress::~Progress() { finish(); }

void Progress::phase(std::string what, const std::atomic<size_t>* done, size_t total) {
  std::lock_guard lock(m_mutex);
  m_what = std::move(what);
  m_done = done;
  m_total = total;
  // Once the line is due, a new phase shows at once: a phase shorter than a redraw is seen too.
  if (m_on && !m_stop && !m_what.empty() && std::chrono::steady_clock::now() >= m_start + m_delay) draw();
}

void Progress::finish() {
  if (!m_thread.joinable()) return;
  {
    std::lock_guard lock(m_mutex);
    m_stop = true;
  }
  m_wake.notify_all();
  m_thread.join();
  if (m_drawn) write_raw(STDERR_FILENO, "\r\033[K");
}

void Progress::draw_loop() {
  std::unique_lock lock(m_mutex);
  if (m_wake.wait_until(lock, m_start + m_delay, [this] { return m_stop; })) return;
  while (!m_stop) {
    if (m_what.empty()) {  // no phase named yet
      m_wake.wait_for(lock, std::chrono::milliseconds(20), [this] { return m_stop; });
      continue;
    }
    draw();
    m_wake.wait_for(lock, std::chrono::milliseconds(100), [this] { return m_stop; });
  }
}

void Progress::draw() {
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - m_start).count();
  char count[64] = "";
  if (m_done != nullptr && m_total > 0) std::snprintf(count, sizeof count, " %zu/%zu", m_done->load(), m_total);
  char line[512];
  std::snprintf(line, sizeof line, "opsbook: %s%s (%.1f s)", m_what.c_str(), count, seconds);
  // Never wider than the terminal: a wrapped line could not be redrawn in place.
  winsize ws{};
  size_t width = ::ioctl(STDERR_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 1 ? ws.ws_col - 1u : 79u;
  if (std::strlen(line) > width) line[width] = '\0';
  // \r and erase-line: the line is redrawn in place, never scrolls.
  write_raw(STDERR_FILENO, "\r\033[K" + model::terminal_text(line));
  m_drawn = true;
}

}  // namespace opsbook::cli
