// Test servers on a unix socket: a fake Docker Engine answering canned JSON, a socket that accepts
// and never answers, and a proxy to a real daemon that logs every request line and passes on
// GET requests only (anything else is answered 403 and never reaches the daemon).
#pragma once

#include <atomic>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace opsbook::test {

class UnixHttpServer {
 public:
  struct Answer {
    int status = 200;
    std::string body;
  };
  enum class Mode { canned, hang, proxy };

  // canned: `answers` by request target ("/version", "/containers/json?all=1"), others 404.
  // proxy: `upstream` is the path of the real daemon's socket.
  UnixHttpServer(Mode mode, std::map<std::string, Answer> answers = {}, std::string upstream = {});
  ~UnixHttpServer();
  UnixHttpServer(const UnixHttpServer&) = delete;
  UnixHttpServer& operator=(const UnixHttpServer&) = delete;

  [[nodiscard]] const std::string& path() const { return m_path; }
  // Request lines received, "GET /version", in order.
  [[nodiscard]] std::vector<std::string> requests() const;

 private:
  void serve();
  void answer(int client);
  void forward(int client);
  void log(const std::string& line);

  Mode m_mode;
  std::map<std::string, Answer> m_answers;
  std::string m_upstream;
  std::string m_dir, m_path;
  int m_fd = -1;
  std::atomic<bool> m_stop{false};
  std::thread m_thread;
  std::vector<std::thread> m_connections;
  mutable std::mutex m_mutex;
  std::vector<std::string> m_requests;
  std::vector<int> m_open;
};

}  // namespace opsbook::test
