// The request bound: a stream over the connection's socket that counts the bytes and lines it
// reads, and answers 431 instead of reading past the bound.
#include "server/bounded_http.hpp"

#include <arpa/inet.h>
#include <httplib.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cerrno>
#include <cstring>
#include <string_view>

namespace opsbook::server {

namespace {

constexpr std::string_view k_refusal =
    "HTTP/1.1 431 Request Header Fields Too Large\r\nContent-Type: text/plain; charset=utf-8\r\nConnection: close\r\n"
    "Content-Length: 74\r\n\r\nopsbook serve: a request may send at most 100 lines and 64 KiB of headers\n";
static_assert(k_refusal.size() - k_refusal.find("\r\n\r\n") - 4 == 74);
constexpr std::string_view k_too_slow =
    "HTTP/1.1 408 Request Timeout\r\nContent-Type: text/plain; charset=utf-8\r\nConnection: close\r\n"
    "Content-Length: 60\r\n\r\nopsbook serve: a request must arrive whole within 2 seconds\n";
static_assert(k_too_slow.size() - k_too_slow.find("\r\n\r\n") - 4 == 60);

int milliseconds(time_t sec, time_t usec) { return static_cast<int>(sec * 1000 + usec / 1000); }

// Whether `sock` is ready for `events` within `timeout_ms`.
bool ready(int sock, short events, int timeout_ms) {
  pollfd p{sock, events, 0};
  for (;;) {
    int n = ::poll(&p, 1, timeout_ms);
    if (n < 0 && errno == EINTR) continue;
    return n > 0 && (p.revents & events) != 0;
  }
}

void address(int (*name)(int, sockaddr*, socklen_t*), int sock, std::string& ip, int& port) {
  sockaddr_storage addr{};
  socklen_t len = sizeof addr;
  if (name(sock, reinterpret_cast<sockaddr*>(&addr), &len) != 0 || addr.ss_family != AF_INET) return;
  const auto* in = reinterpret_cast<const sockaddr_in*>(&addr);
  char text[INET_ADDRSTRLEN] = {};
  ::inet_ntop(AF_INET, &in->sin_addr, text, sizeof text);
  ip = text;
  port = ntohs(in->sin_port);
}

class CountingStream final : public httplib::Stream {
 public:
  CountingStream(int sock, int read_ms, int write_ms) : m_sock(sock), m_read_ms(read_ms), m_write_ms(write_ms) {}

  bool is_readable() const override { return m_at < m_end || ready(m_sock, POLLIN, m_read_ms); }
  bool is_writable() const override { return !m_refused && ready(m_sock, POLLOUT, m_write_ms) && peer_open(); }

  ssize_t read(char* ptr, size_t size) override {
    if (m_at == m_end && !fill()) return -1;
    size_t n = std::min(size, m_end - m_at);
    std::memcpy(ptr, m_buffer + m_at, n);
    m_at += n;
    return static_cast<ssize_t>(n);
  }

  ssize_t write(const char* ptr, size_t size) override {
    if (m_refused || !ready(m_sock, POLLOUT, m_write_ms)) return -1;
    return ::send(m_sock, ptr, size, MSG_NOSIGNAL);
  }

  void get_remote_ip_and_port(std::string& ip, int& port) const override { address(::getpeername, m_sock, ip, port); }
  void get_local_ip_and_port(std::string& ip, int& port) const override { address(::getsockname, m_sock, ip, port); }
  socket_t socket() const override { return m_sock; }

 private:
  // Reads what the client sent next; false at its end, after the read timeout, or past the bound.
  bool fill() {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(m_deadline - std::chrono::steady_clock::now()).count();
    if (m_refused) return false;
    if (left <= 0) return refuse(k_too_slow);
    if (!ready(m_sock, POLLIN, static_cast<int>(std::min<long long>(m_read_ms, left)))) {
      return std::chrono::steady_clock::now() >= m_deadline ? refuse(k_too_slow) : false;
    }
    ssize_t n = ::recv(m_sock, m_buffer, sizeof m_buffer, 0);
    if (n <= 0) return false;
    m_at = 0;
    m_end = static_cast<size_t>(n);
    m_bytes += m_end;
    m_lines += static_cast<size_t>(std::count(m_buffer, m_buffer + m_end, '\n'));
    if (m_bytes <= k_max_request_bytes && m_lines <= k_max_request_lines) return true;
    return refuse(k_refusal);
  }

  // httplib would keep reading lines, or answer 400 to what it read: the answer goes first, then
  // the connection closes (its writes fail from here).
  bool refuse(std::string_view answer) {
    (void)::send(m_sock, answer.data(), answer.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
    m_refused = true;
    m_at = m_end = 0;
    return false;
  }

  // False when the client closed its side (a page that went away: its event stream ends).
  bool peer_open() const {
    if (m_at < m_end || !ready(m_sock, POLLIN, 0)) return true;
    char byte;
    return ::recv(m_sock, &byte, 1, MSG_PEEK) > 0;
  }

  int m_sock;
  int m_read_ms, m_write_ms;
  char m_buffer[4096];
  size_t m_at = 0, m_end = 0;
  size_t m_bytes = 0, m_lines = 0;
  bool m_refused = false;
  std::chrono::steady_clock::time_point m_deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(k_max_request_ms);
};

class BoundedServer final : public httplib::Server {
  // Serves the connection's one request through a stream that counts what it reads.
  bool process_and_close_socket(socket_t sock) override;
};

bool BoundedServer::process_and_close_socket(socket_t sock) {
  // One request a connection, when its first bytes come within the keep-alive timeout: a request
  // that times out gets 400, and on a kept-alive connection each header the client trickled in
  // later was read as one more request (httplib ignores Connection: close from an error handler).
  // Loopback connections cost next to nothing.
  bool served = false;
  if (ready(sock, POLLIN, milliseconds(keep_alive_timeout_sec_, 0))) {
    CountingStream stream(sock, milliseconds(read_timeout_sec_, read_timeout_usec_), milliseconds(write_timeout_sec_, write_timeout_usec_));
    bool closed = false;
    served = process_request(stream, true, closed, nullptr);
  }
  ::shutdown(sock, SHUT_RDWR);
  ::close(sock);
  return served;
}

}  // namespace

std::unique_ptr<httplib::Server> bounded_server() { return std::make_unique<BoundedServer>(); }

}  // namespace opsbook::server
