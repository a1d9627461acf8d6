// Unix socket test servers: request heads are read up to the blank line (GET has no body; a
// Content-Length body is skipped), canned answers carry a Content-Length, the proxy pumps the
// daemon's answers back unchanged.
#include "unix_http_server.hpp"

#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <stdexcept>

namespace opsbook::test {

namespace {

bool send_all(int fd, std::string_view data) {
  while (!data.empty()) {
    ssize_t n = ::send(fd, data.data(), data.size(), MSG_NOSIGNAL);
    if (n <= 0) return false;
    data.remove_prefix(static_cast<size_t>(n));
  }
  return true;
}

struct Head {
  std::string method, target;
  size_t size = 0;  // bytes of the head and its body in the buffer
};

// The first complete request in `buffer`, if there is one.
bool read_head(const std::string& buffer, Head& head) {
  size_t end = buffer.find("\r\n\r\n");
  if (end == std::string::npos) return false;
  std::string first = buffer.substr(0, buffer.find("\r\n"));
  size_t sp = first.find(' ');
  head.method = first.substr(0, sp);
  head.target = sp == std::string::npos ? "" : first.substr(sp + 1, first.rfind(' ') - sp - 1);
  size_t body = 0;
  std::string lower = buffer.substr(0, end);
  for (auto& ch : lower) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  if (size_t at = lower.find("\r\ncontent-length:"); at != std::string::npos) body = std::strtoul(lower.c_str() + at + 17, nullptr, 10);
  if (buffer.size() < end + 4 + body) return false;
  head.size = end + 4 + body;
  return true;
}

int connect_unix(const std::string& path) {
  int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  std::strncpy(addr.sun_path, path.c_str(), sizeof addr.sun_path - 1);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    ::close(fd);
    return -1;
  }
  return fd;
}

}  // namespace

UnixHttpServer::UnixHttpServer(Mode mode, std::map<std::string, Answer> answers, std::string upstream)
    : m_mode(mode), m_answers(std::move(answers)), m_upstream(std::move(upstream)) {
  char dir[] = "/tmp/opsbook-sock.XXXXXX";
  if (!::mkdtemp(dir)) throw std::runtime_error("mkdtemp failed");
  m_dir = dir;
  m_path = m_dir + "/docker.sock";
  m_fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  std::strncpy(addr.sun_path, m_path.c_str(), sizeof addr.sun_path - 1);
  if (::bind(m_fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 || ::listen(m_fd, 16) != 0) throw std::runtime_error("bind/listen failed");
  m_thread = std::thread([this] { serve(); });
}

UnixHttpServer::~UnixHttpServer() {
  m_stop = true;
  ::shutdown(m_fd, SHUT_RDWR);
  ::close(m_fd);
  m_thread.join();
  {
    std::lock_guard lock(m_mutex);
    for (int fd : m_open) ::shutdown(fd, SHUT_RDWR);
  }
  for (auto& t : m_connections) t.join();
  for (int fd : m_open) ::close(fd);
  ::unlink(m_path.c_str());
  ::rmdir(m_dir.c_str());
}

std::vector<std::string> UnixHttpServer::requests() const {
  std::lock_guard lock(m_mutex);
  return m_requests;
}

void UnixHttpServer::log(const std::string& line) {
  std::lock_guard lock(m_mutex);
  m_requests.push_back(line);
}

void UnixHttpServer::serve() {
  while (!m_stop) {
    int client = ::accept4(m_fd, nullptr, nullptr, SOCK_CLOEXEC);
    if (client < 0) break;
    std::lock_guard lock(m_mutex);
    m_open.push_back(client);
    if (m_mode == Mode::canned) m_connections.emplace_back([this, client] { answer(client); });
    if (m_mode == Mode::proxy) m_connections.emplace_back([this, client] { forward(client); });
  }
}

void UnixHttpServer::answer(int client) {
  std::string buffer;
  char chunk[65536];
  for (;;) {
    Head head;
    while (!read_head(buffer, head)) {
      ssize_t n = ::recv(client, chunk, sizeof chunk, 0);
      if (n <= 0) return;
      buffer.append(chunk, static_cast<size_t>(n));
    }
    buffer.erase(0, head.size);
    log(head.method + " " + head.target);
    auto it = m_answers.find(head.target);
    Answer a = it != m_answers.end() ? it->second : Answer{404, "{\"message\":\"page not found\"}"};
    std::string reply = "HTTP/1.1 " + std::to_string(a.status) + " X\r\nContent-Type: application/json\r\nContent-Length: " + std::to_string(a.body.size()) +
                        "\r\n\r\n" + a.body;
    if (!send_all(client, reply)) return;
  }
}

void UnixHttpServer::forward(int client) {
  int upstream = connect_unix(m_upstream);
  if (upstream < 0) return;
  {
    std::lock_guard lock(m_mutex);
    m_open.push_back(upstream);
  }
  std::string buffer;
  char chunk[65536];
  for (;;) {
    pollfd fds[2] = {{client, POLLIN, 0}, {upstream, POLLIN, 0}};
    if (::poll(fds, 2, -1) <= 0) return;
    if (fds[1].revents) {
      ssize_t n = ::recv(upstream, chunk, sizeof chunk, 0);
      if (n <= 0 || !send_all(client, std::string_view(chunk, static_cast<size_t>(n)))) return;
    }
    if (!fds[0].revents) continue;
    ssize_t n = ::recv(client, chunk, sizeof chunk, 0);
    if (n <= 0) return;
    buffer.append(chunk, static_cast<size_t>(n));
    Head head;
    while (read_head(buffer, head)) {
      log(head.method + " " + head.target);
      if (head.method != "GET") {
        send_all(client, "HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
        return;  // never reaches the daemon
      }
      if (!send_all(upstream, std::string_view(buffer).substr(0, head.size))) return;
      buffer.erase(0, head.size);
    }
  }
}

}  // namespace opsbook::test
