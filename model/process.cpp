// posix_spawn with pipes, poll() on the pipes and a pidfd, and signals to the process group.
#include "model/process.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <sstream>
#include <thread>

extern char** environ;

namespace opsbook::model {

namespace {

using Clock = std::chrono::steady_clock;

// SIGTERM to the group, a short grace, then SIGKILL to whatever is left.
void stop_group(pid_t pgid) {
  if (::kill(-pgid, SIGTERM) != 0) return;  // nobody left
  for (int i = 0; i < 20; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(25));
    if (::kill(-pgid, 0) != 0) return;
  }
  ::kill(-pgid, SIGKILL);
}

}  // namespace

bool program_available(const std::string& program) {
  const char* path = std::getenv("PATH");
  std::stringstream ss(path != nullptr ? path : "/usr/bin:/bin");
  std::string dir;
  while (std::getline(ss, dir, ':')) {
    if (!dir.empty() && ::access((dir + "/" + program).c_str(), X_OK) == 0) return true;
  }
  return false;
}

ProcessResult run_process(const std::vector<std::string>& argv, const ProcessOptions& options) {
  ProcessResult r;
  int in_pipe[2], out_pipe[2], err_pipe[2];
  if (::pipe2(in_pipe, O_CLOEXEC) != 0) return r;
  if (::pipe2(out_pipe, O_CLOEXEC) != 0 || ::pipe2(err_pipe, O_CLOEXEC) != 0) return r;
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, in_pipe[0], 0);
  posix_spawn_file_actions_adddup2(&actions, out_pipe[1], 1);
  posix_spawn_file_actions_adddup2(&actions, err_pipe[1], 2);
  if (!options.cwd.empty()) posix_spawn_file_actions_addchdir_np(&actions, options.cwd.c_str());
  posix_spawnattr_t attr;
  posix_spawnattr_init(&attr);
  // Own group: a timeout kills its children too. Default signal handling in the child.
  posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
  posix_spawnattr_setpgroup(&attr, 0);
  sigset_t none, all;
  sigemptyset(&none);
  sigfillset(&all);
  posix_spawnattr_setsigmask(&attr, &none);
  posix_spawnattr_setsigdefault(&attr, &all);
  std::vector<char*> args;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  std::vector<char*> envp;
  if (options.env) {
    for (const auto& e : *options.env) envp.push_back(const_cast<char*>(e.c_str()));
    envp.push_back(nullptr);
  }
  pid_t pid = -1;
  int rc = ::posix_spawnp(&pid, args[0], &actions, &attr, args.data(), options.env ? envp.data() : environ);
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attr);
  ::close(in_pipe[0]);
  ::close(out_pipe[1]);
  ::close(err_pipe[1]);
  if (rc != 0) {
    ::close(in_pipe[1]);
    ::close(out_pipe[0]);
    ::close(err_pipe[0]);
    r.error = std::string(argv.empty() ? "" : argv[0]) + ": " + std::strerror(rc);
    return r;
  }
  r.started = true;
  // A pidfd turns "the child exited" into a poll event: a background grandchild holding the
  // pipes open must not keep us waiting.
  int pidfd = static_cast<int>(::syscall(SYS_pidfd_open, pid, 0));
  ::fcntl(in_pipe[1], F_SETFL, O_NONBLOCK);
  size_t written = 0;
  int in_fd = in_pipe[1];
  if (options.input.empty()) {
    ::close(in_fd);
    in_fd = -1;
  }
  auto deadline = Clock::now() + options.limit;
  bool exited = false;
  char buf[65536];
  auto consume = [&](int stream, int& fd, std::string& sink) {
    ssize_t got = ::read(fd, buf, sizeof buf);
    if (got > 0) {
      std::string_view chunk(buf, static_cast<size_t>(got));
      if (options.on_output) options.on_output(stream, chunk);
      if (sink.size() < options.capture_limit) sink.append(chunk.substr(0, options.capture_limit - sink.size()));
      return true;
    }
    if (got == 0 || (errno != EINTR && errno != EAGAIN)) {
      ::close(fd);
      fd = -1;
    }
    return false;
  };
  // With a pidfd we wait for the exit itself; without one (old kernels), for EOF on the pipes.
  while (pidfd >= 0 ? !exited : (out_pipe[0] >= 0 || err_pipe[0] >= 0 || in_fd >= 0)) {
    auto now = Clock::now();
    if (now >= deadline) {
      r.timed_out = true;
      break;
    }
    pollfd fds[4];
    int n = 0;
    int out_i = -1, err_i = -1, in_i = -1, pid_i = -1;
    if (out_pipe[0] >= 0) out_i = n, fds[n++] = {out_pipe[0], POLLIN, 0};
    if (err_pipe[0] >= 0) err_i = n, fds[n++] = {err_pipe[0], POLLIN, 0};
    if (in_fd >= 0) in_i = n, fds[n++] = {in_fd, POLLOUT, 0};
    if (pidfd >= 0 && !exited) pid_i = n, fds[n++] = {pidfd, POLLIN, 0};
    int wait_ms = static_cast<int>(std::chrono::duration_cast<std::chrono::milliseconds>(deadline - now).count()) + 1;
    if (::poll(fds, static_cast<nfds_t>(n), wait_ms) < 0 && errno != EINTR) break;
    if (out_i >= 0 && (fds[out_i].revents & (POLLIN | POLLHUP | POLLERR))) consume(1, out_pipe[0], r.out);
    if (err_i >= 0 && (fds[err_i].revents & (POLLIN | POLLHUP | POLLERR))) consume(2, err_pipe[0], r.err);
    if (in_i >= 0 && (fds[in_i].revents & (POLLOUT | POLLERR | POLLHUP))) {
      ssize_t put = ::write(in_fd, options.input.data() + written, options.input.size() - written);
      if (put > 0) written += static_cast<size_t>(put);
      if (put < 0 && errno != EAGAIN && errno != EINTR) written = options.input.size();
      if (written >= options.input.size()) {
        ::close(in_fd);
        in_fd = -1;
      }
    }
    if (pid_i >= 0 && (fds[pid_i].revents & POLLIN)) {
      // The child is gone: read what is already in the pipes, then stop waiting for EOF.
      exited = true;
      for (int* fd : {&out_pipe[0], &err_pipe[0]}) {
        if (*fd >= 0) ::fcntl(*fd, F_SETFL, O_NONBLOCK);
      }
      while (out_pipe[0] >= 0 && consume(1, out_pipe[0], r.out)) {}
      while (err_pipe[0] >= 0 && consume(2, err_pipe[0], r.err)) {}
      break;
    }
  }
  if (in_fd >= 0) ::close(in_fd);
  if (out_pipe[0] >= 0) ::close(out_pipe[0]);
  if (err_pipe[0] >= 0) ::close(err_pipe[0]);
  if (pidfd >= 0) ::close(pidfd);
  int status = 0;
  if (r.timed_out) {
    stop_group(pid);
    ::waitpid(pid, &status, 0);
  } else {
    ::waitpid(pid, &status, 0);
    stop_group(pid);  // whatever it left running in its group
  }
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + (WIFSIGNALED(status) ? WTERMSIG(status) : 0);
  return r;
}

}  // namespace opsbook::model
