// Standard output and error through model::terminal_text (glibc's fopencookie streams).
#include "cli/terminal_sink.hpp"

#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <ext/stdio_sync_filebuf.h>
#include <iostream>
#include <string>

#include "model/terminal_text.hpp"

namespace opsbook::cli {

namespace {

struct Sink {
  int fd;
  std::FILE* stream = nullptr;
  std::string held;  // the start of a UTF-8 sequence the next write completes
};

Sink g_out{STDOUT_FILENO, nullptr, {}};
Sink g_err{STDERR_FILENO, nullptr, {}};

bool write_all(int fd, std::string_view bytes) {
  while (!bytes.empty()) {
    ssize_t n = ::write(fd, bytes.data(), bytes.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    bytes.remove_prefix(static_cast<size_t>(n));
  }
  return true;
}

// Bytes at the end of `text` that start a UTF-8 sequence longer than what follows them.
size_t cut_sequence(std::string_view text) {
  for (size_t back = 1; back <= 3 && back <= text.size(); ++back) {
    auto c = static_cast<unsigned char>(text[text.size() - back]);
    if (c < 0x80) return 0;
    if (c < 0xc0) continue;  // a continuation byte: look further back
    size_t length = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : 2;
    return length > back ? back : 0;
  }
  return 0;
}

ssize_t sink_write(void* cookie, const char* data, size_t size) {
  auto* sink = static_cast<Sink*>(cookie);
  std::string text = std::move(sink->held);
  text.append(data, size);
  size_t cut = cut_sequence(text);
  sink->held = text.substr(text.size() - cut);
  text.resize(text.size() - cut);
  if (!write_all(sink->fd, model::terminal_text(text, model::Lines::many))) return -1;
  return static_cast<ssize_t>(size);
}

void drain(Sink& sink) {
  std::fflush(sink.stream != nullptr ? sink.stream : sink.fd == STDOUT_FILENO ? stdout : stderr);
  if (!sink.held.empty()) write_all(sink.fd, model::terminal_text(sink.held, model::Lines::many));
  sink.held.clear();
}

void drain_both() {
  drain(g_out);
  drain(g_err);
}

std::FILE* open_sink(Sink& sink, int mode) {
  cookie_io_functions_t io{};
  io.write = sink_write;
  sink.stream = ::fopencookie(&sink, "w", io);
  if (sink.stream != nullptr) std::setvbuf(sink.stream, nullptr, mode, 0);
  return sink.stream;
}

}  // namespace

void guard_standard_streams() {
  std::fflush(stdout);
  std::fflush(stderr);
  std::FILE* out = open_sink(g_out, ::isatty(STDOUT_FILENO) ? _IOLBF : _IOFBF);
  std::FILE* err = open_sink(g_err, _IONBF);
  if (out == nullptr || err == nullptr) return;
  stdout = out;
  stderr = err;
  static __gnu_cxx::stdio_sync_filebuf<char> out_buf(out);
  static __gnu_cxx::stdio_sync_filebuf<char> err_buf(err);
  std::cout.rdbuf(&out_buf);
  std::cerr.rdbuf(&err_buf);
  std::clog.rdbuf(&err_buf);
  std::atexit(drain_both);
}

void write_raw(int fd, std::string_view bytes) {
  drain(fd == STDOUT_FILENO ? g_out : g_err);
  write_all(fd, bytes);
}

}  // namespace opsbook::cli
