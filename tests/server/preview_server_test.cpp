// Promise (docs/limits.md "opsbook serve"): clients that hold connections never keep a page from
// its answer. 300 open pages' event streams (far above the 256 workers) left no worker for a page
// (s9 review R11): the event streams are bounded, one past the bound gets 503 at once.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "generator/memory_site.hpp"
#include "server/preview_server.hpp"

using namespace opsbook;

namespace {

// A connected socket to 127.0.0.1:`port` that gives up reading after `seconds`; -1 on failure.
int connect_to(int port, int seconds) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  timeval limit{seconds, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &limit, sizeof limit);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    ::close(fd);
    return -1;
  }
  return fd;
}

void send_all(int fd, const std::string& text) { REQUIRE(::send(fd, text.data(), text.size(), MSG_NOSIGNAL) == static_cast<ssize_t>(text.size())); }

// What arrives on `fd` until `want` is in it, the peer closes or the read limit passes.
std::string read_until(int fd, const std::string& want) {
  std::string got;
  char buf[4096];
  while (got.find(want) == std::string::npos) {
    ssize_t n = ::recv(fd, buf, sizeof buf, 0);
    if (n <= 0) break;
    got.append(buf, static_cast<size_t>(n));
  }
  return got;
}

std::string get(int port, const std::string& path) {
  return "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + std::to_string(port) + "\r\n\r\n";
}

struct Served {
  generator::MemorySite site;
  server::PreviewServer http{site, "/* reload */"};
  int port = 0;
  std::thread thread;
  Served() {
    site.write("index.html", "<!doctype html><title>Index</title><body><p>the index page</p></body>");
    site.commit();
    port = http.bind(0);
    thread = std::thread([this] { http.run(); });
  }
  ~Served() {
    http.stop();
    thread.join();
  }
};

}  // namespace

TEST_CASE("serve: 300 held event streams leave a worker for a page, and one past the bound gets 503 at once (s9 review R11)", "[server][hostile]") {
  Served s;
  std::vector<int> held;
  size_t listening = 0, refused = 0;
  for (int i = 0; i < 300; ++i) {
    int fd = connect_to(s.port, 10);
    REQUIRE(fd >= 0);
    held.push_back(fd);
    send_all(fd, get(s.port, "/__opsbook/events?page=index.html&build=1"));
    // Each stream is answered at once: its hello, or 503 (before the fix, past 256 none was).
    std::string head = read_until(fd, "\r\n\r\n");
    if (head.starts_with("HTTP/1.1 200")) ++listening;
    else if (head.starts_with("HTTP/1.1 503")) ++refused;
  }
  CHECK(listening == 64);
  CHECK(refused == 236);
  // A page, with every stream still open: answered (the read gives up after 10 s).
  int page = connect_to(s.port, 10);
  REQUIRE(page >= 0);
  send_all(page, get(s.port, "/index.html"));
  std::string answer = read_until(page, "</html>");
  CHECK(answer.starts_with("HTTP/1.1 200"));
  CHECK(answer.find("the index page") != std::string::npos);
  ::close(page);
  // A stream closed frees its place for another page: the server sees the close when it writes
  // (two builds: the first write to a closed socket still succeeds).
  for (int fd : held) ::close(fd);
  for (uint64_t id : {2, 3}) {
    server::BuildEvent built;
    built.id = id;
    s.http.publish(built);
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
  int again = -1;
  std::string head;
  for (int attempt = 0; attempt < 100 && !head.starts_with("HTTP/1.1 200"); ++attempt) {
    if (again >= 0) ::close(again);
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    again = connect_to(s.port, 10);
    send_all(again, get(s.port, "/__opsbook/events?page=index.html&build=1"));
    head = read_until(again, "\r\n\r\n");
  }
  CHECK(head.starts_with("HTTP/1.1 200"));
  ::close(again);
}
