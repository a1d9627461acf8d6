// TCP connect checks: a non-blocking connect per address with a poll() timeout, on a small
// pool of threads; connection errors are retried with backoff like the HTTP probes.
#include <netdb.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <thread>

#include "model/parallel.hpp"
#include "validator/live_probe.hpp"

namespace opsbook::validator {

namespace {

// One attempt on every address of the host; "" when one connected, else the last error.
std::string connect_once(const TcpTarget& target, Clock::time_point until) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_NUMERICSERV;
  addrinfo* list = nullptr;
  std::string port = std::to_string(target.port);
  int rc = getaddrinfo(target.host.c_str(), port.c_str(), &hints, &list);
  if (rc != 0) return std::string("cannot resolve ") + target.host + ": " + gai_strerror(rc);
  std::string error = "no address";
  for (addrinfo* ai = list; ai; ai = ai->ai_next) {
    int fd = socket(ai->ai_family, ai->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, ai->ai_protocol);
    if (fd < 0) {
      error = std::strerror(errno);
      continue;
    }
    int err = 0;
    if (connect(fd, ai->ai_addr, ai->ai_addrlen) != 0) {
      err = errno;
      if (err == EINPROGRESS) {
        auto left = std::chrono::duration_cast<std::chrono::milliseconds>(until - Clock::now()).count();
        pollfd p{fd, POLLOUT, 0};
        int n = left > 0 ? poll(&p, 1, static_cast<int>(left)) : 0;
        if (n == 0) {
          err = ETIMEDOUT;
        } else {
          socklen_t len = sizeof err;
          if (n < 0 || getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) != 0) err = errno;
        }
      }
    }
    close(fd);
    if (err == 0) {
      freeaddrinfo(list);
      return "";
    }
    error = err == ETIMEDOUT ? "connection timed out" : std::strerror(err);
    if (err == ECONNREFUSED) error = "connection refused";
  }
  freeaddrinfo(list);
  return error;
}

}  // namespace

std::vector<TcpResult> probe_tcp(const std::vector<TcpTarget>& targets, const ProbeLimits& limits) {
  std::vector<TcpResult> results(targets.size());
  unsigned threads = std::clamp(limits.concurrency, 1u, 64u);
  model::parallel_for(targets.size(), threads, [&](size_t i) {
    TcpResult& r = results[i];
    for (;;) {
      if (Clock::now() >= limits.deadline) {
        r.error = "not finished before the global deadline";
        return;
      }
      std::string error;
      {
        HostSlot slot(limits.gate, targets[i].host, limits.deadline);  // released before any backoff
        if (!slot.held()) {
          r.error = "not finished before the global deadline";
          return;
        }
        ++r.attempts;
        auto start = Clock::now();
        error = connect_once(targets[i], std::min(limits.deadline, start + limits.timeout));
        r.latency_ms = std::chrono::duration<double, std::milli>(Clock::now() - start).count();
      }
      r.connected = error.empty();
      r.error = error;
      if (error == "connection timed out" && Clock::now() + std::chrono::milliseconds(50) >= limits.deadline) r.error = "not finished before the global deadline";
      bool retry = !r.connected && error != "connection timed out" && error.rfind("cannot resolve", 0) != 0;
      auto wait = limits.backoff * (1 << std::min(r.attempts - 1, 6));
      if (!retry || r.attempts > limits.retries || Clock::now() + wait >= limits.deadline) return;
      std::this_thread::sleep_for(wait);
    }
  });
  return results;
}

}  // namespace opsbook::validator
