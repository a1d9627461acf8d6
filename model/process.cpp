// posix_spawn (clone for a child that confines itself) with pipes, poll() on the pipes and a pidfd, and signals to the process group.
// The leader is reaped only after its group was signalled: while it is an unreaped zombie its
// pid (and so the group id) cannot be reused, so a signal never reaches a stranger.
#include "model/process.hpp"
#include "model/landlock.hpp"
#include "model/pid_namespace.hpp"
#include "model/temp_dir.hpp"
#include "model/work_tree.hpp"

#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <spawn.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <memory>
#include <sstream>
#include <thread>

extern char** environ;

namespace opsbook::model {

namespace {

using Clock = std::chrono::steady_clock;

// How long a timed-out group gets between SIGTERM and SIGKILL.
constexpr std::chrono::milliseconds k_grace{500};

// A file descriptor closed when it goes out of scope (no leak on any early return).
class Fd {
 public:
  Fd() = default;
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  ~Fd() { close(); }
  int get() const { return m_fd; }
  int* out() { return &m_fd; }
  void reset(int fd) {
    close();
    m_fd = fd;
  }
  void close() {
    if (m_fd >= 0) ::close(m_fd);
    m_fd = -1;
  }

 private:
  int m_fd = -1;
};

struct Pipe {
  Fd read, write;
  bool open() {
    int fds[2];
    if (::pipe2(fds, O_CLOEXEC) != 0) return false;
    read.reset(fds[0]);
    write.reset(fds[1]);
    return true;
  }
};

// True once the leader has exited (it stays an unreaped zombie: WNOWAIT).
bool leader_exited(pid_t pid) {
  siginfo_t info{};
  return ::waitid(P_PID, static_cast<id_t>(pid), &info, WEXITED | WNOHANG | WNOWAIT) == 0 && info.si_pid == pid;
}

// Waits up to `limit` for the leader to exit, on its pidfd when there is one.
void wait_leader(pid_t pid, int pidfd, std::chrono::milliseconds limit) {
  auto deadline = Clock::now() + limit;
  while (!leader_exited(pid)) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
    if (left.count() <= 0) return;
    if (pidfd >= 0) {
      pollfd p{pidfd, POLLIN, 0};
      ::poll(&p, 1, static_cast<int>(left.count()) + 1);
    } else {
      std::this_thread::sleep_for(std::min(left, std::chrono::milliseconds(10)));
    }
  }
}

// Ends the group, then reaps the leader. On a timeout the group gets SIGTERM and the leader the
// grace to exit; then SIGKILL goes to whatever is left in the group (on a normal exit: what the
// child left running), while the leader is still a zombie holding the group id.
int finish_group(pid_t pid, int pidfd, bool timed_out, TrackedGroup& group) {
  if (timed_out) {
    ::kill(-pid, SIGTERM);
    wait_leader(pid, pidfd, k_grace);
  }
  if (!leader_exited(pid)) {
    ::kill(-pid, SIGKILL);
    wait_leader(pid, pidfd, std::chrono::hours(1));
  }
  ::kill(-pid, SIGKILL);
  group.release();  // before the reaping, after which the id may be a stranger's
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {}
  // SIGKILL lands asynchronously: give what was left in the group up to 100 ms to be gone, so a
  // caller never sees it still running. Signal 0 sends nothing, so a reused id is harmless here.
  for (int i = 0; i < 50 && ::kill(-pid, 0) == 0; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(2));
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + (WIFSIGNALED(status) ? WTERMSIG(status) : 0);
}

// write() to a child's stdin with SIGPIPE blocked in this thread: a child that exited gives
// EPIPE, and the SIGPIPE raised for this thread is taken out of its pending set, so it cannot
// end the process even where nobody set SIGPIPE to SIG_IGN (main does; a library user may not).
ssize_t write_input(int fd, std::string_view data) {
  sigset_t pipe_only, old;
  sigemptyset(&pipe_only);
  sigaddset(&pipe_only, SIGPIPE);
  ::pthread_sigmask(SIG_BLOCK, &pipe_only, &old);
  ssize_t put = ::write(fd, data.data(), data.size());
  int saved = errno;
  if (put < 0 && saved == EPIPE) {
    const timespec k_now{0, 0};
    while (::sigtimedwait(&pipe_only, nullptr, &k_now) == SIGPIPE) {}
  }
  ::pthread_sigmask(SIG_SETMASK, &old, nullptr);
  errno = saved;
  return put;
}

// Where opsbook looks for the programs it starts itself (bash, shellcheck, git, prlimit, rm):
// PATH without empty or relative entries and without folders of the working folder or the git
// work tree around it, the checkout, so that a pull request's bin/git or .venv/bin/shellcheck never runs in their place
// (with the job's secrets in its environment). Worked out again when PATH changes.
std::string helper_path() {
  thread_local std::string seen, path;
  const char* p = std::getenv("PATH");
  std::string now = p != nullptr ? p : "/usr/bin:/bin";
  std::error_code cwd_ec;
  std::string key = now + '\0' + std::filesystem::current_path(cwd_ec).string();
  if (key == seen) return path;
  seen = key;
  path = [&] {
    namespace fs = std::filesystem;
    std::stringstream ss(now);
    std::error_code ec;
    // The git work tree around it, when there is one (s9a review B3: started in runbooks/ of a
    // repository, its bin/ above was still searched).
    fs::path here = fs::weakly_canonical(fs::current_path(ec), ec);
    if (fs::path top = work_tree_around(here); !top.empty()) here = top;
    std::string out;
    for (std::string dir; std::getline(ss, dir, ':');) {
      if (dir.empty() || dir[0] != '/') continue;
      fs::path real = fs::weakly_canonical(dir, ec);
      auto [a, b] = std::mismatch(here.begin(), here.end(), real.begin(), real.end());
      bool in_checkout = !here.empty() && here != here.root_path() && a == here.end();
      if (!in_checkout) out += (out.empty() ? "" : ":") + dir;
    }
    return out;
  }();
  return path;
}

// The program's path: a name with a slash as it is, else the first executable of that name on
// `path` ("" when there is none).
std::string find_on(const std::string& name, const std::string& path) {
  if (name.find('/') != std::string::npos) return name;
  std::stringstream ss(path);
  for (std::string dir; std::getline(ss, dir, ':');) {
    if (dir.empty()) continue;
    std::string candidate = dir + "/" + name;
    if (::access(candidate.c_str(), X_OK) == 0) return candidate;
  }
  return {};
}

// A confined child's program: on the PATH it is given (a doc-test's, without the checkout's
// folders), else on the helpers' PATH.
std::string find_program(const std::string& name, const std::vector<std::string>* env) {
  if (env) {
    auto it = std::find_if(env->begin(), env->end(), [](const std::string& kv) { return kv.starts_with("PATH="); });
    if (it != env->end()) return find_on(name, it->substr(5));
  }
  return find_on(name, helper_path());
}

// Ends a confined child that could not start: what failed (0 the program, 1 the working folder)
// and the errno, on the status pipe.
[[noreturn]] void fail_start(const Pipe& status, int stage, int e) {
  const int report[2] = {stage, e};
  [[maybe_unused]] ssize_t n = ::write(status.write.get(), report, sizeof report);
  ::_exit(127);
}

// The child side of spawn_confined, between clone and exec: async-signal-safe calls only. It
// waits on `go` until the parent has written its id maps (a user namespace, `used`), and reports a
// failure to start as an errno on `status` (close-on-exec: a successful exec closes it silently).
[[noreturn]] void confined_child(const char* program, char* const* args, char* const* envp, const ProcessOptions& options, pid_t parent, Pipe& in,
                                 Pipe& out, Pipe& err, Isolation used, Pipe& go, Pipe& status) {
  ::setpgid(0, 0);
  ::prctl(PR_SET_PDEATHSIG, SIGKILL);
  // The parent died before the line above (in a PID namespace of its own the parent is not
  // visible: getppid() is 0, and the window is the few instructions since clone).
  if (pid_t now = ::getppid(); now != parent && now != 0) ::_exit(127);
  ::close(go.write.get());
  if (!await_id_maps(used, status.write.get(), go.read.get())) ::_exit(127);  // not mapped: the parent starts another child
  if (::dup2(in.read.get(), 0) < 0 || ::dup2(out.write.get(), 1) < 0 || ::dup2(err.write.get(), 2) < 0) fail_start(status, 0, errno);
  struct sigaction dfl {};
  dfl.sa_handler = SIG_DFL;
  for (int sig = 1; sig < NSIG; ++sig) ::sigaction(sig, &dfl, nullptr);
  sigset_t none;
  sigemptyset(&none);
  ::sigprocmask(SIG_SETMASK, &none, nullptr);
  if (!options.cwd.empty() && ::chdir(options.cwd.c_str()) != 0) fail_start(status, 1, errno);
  if (int e = enforce_ruleset(options.confine_fd); e != 0) {
    static constexpr char k_msg[] = "opsbook: the doc-test sandbox could not be set up (Landlock refused it); nothing ran\n";
    [[maybe_unused]] ssize_t n = ::write(2, k_msg, sizeof k_msg - 1);
    ::_exit(126);
  }
  // Nothing but the three pipes goes into the sandbox: no descriptor opsbook or whoever started
  // it left open without close-on-exec (a CI runner's pipe, a database connection). The status
  // pipe stays until exec closes it.
  unsigned keep = static_cast<unsigned>(status.write.get());
  if (keep > 3) ::close_range(3, keep - 1, 0);
  ::close_range(keep + 1, ~0U, 0);
  ::execve(program, args, envp);
  fail_start(status, 0, errno);
}

// Starts the confined child: isolated as clone_isolated can (model/pid_namespace), its ids mapped
// when it is in a user namespace of its own (else killed and started again by a plain fork).
// Returns 0, or the errno of a failure to start (the child reaped; `failed` names the working
// folder when it was the cause).
int start_confined(const char* program, char* const* args, char* const* envp, const ProcessOptions& options, Pipe& in, Pipe& out, Pipe& err,
                   pid_t& pid, std::string& failed) {
  pid_t parent = ::getpid();
  for (bool fork_only = false;; fork_only = true) {
    Pipe go, status;
    if (!go.open() || !status.open()) return errno;
    Isolation used = Isolation::none;
    pid = fork_only ? ::fork() : clone_isolated(used);
    if (pid == 0) confined_child(program, args, envp, options, parent, in, out, err, used, go, status);
    if (pid < 0) return errno;
    ::setpgid(pid, pid);  // also here: the group must exist before it is tracked
    go.read.close();
    status.write.close();
    if (!map_ids(used, pid, status.read.get(), go.write.get())) {
      go.write.close();  // the child ends without running anything
      while (::waitpid(pid, nullptr, 0) < 0 && errno == EINTR) {}
      if (used == Isolation::none) return EIO;
      continue;
    }
    int report[2] = {0, 0};
    ssize_t got;
    while ((got = ::read(status.read.get(), report, sizeof report)) < 0 && errno == EINTR) {}
    if (got != static_cast<ssize_t>(sizeof report)) return 0;  // exec closed the pipe: it runs
    while (::waitpid(pid, nullptr, 0) < 0 && errno == EINTR) {}
    if (report[0] == 1) failed = "the working folder " + options.cwd;
    return report[1] != 0 ? report[1] : EINVAL;
  }
}

// spawn() for a child that confines itself: clone, so that the child can enforce the ruleset
// before exec (posix_spawn runs nothing of ours in between). The path is looked up here, the
// child only makes system calls.
int spawn_confined(const std::vector<std::string>& argv, const ProcessOptions& options, Pipe& in, Pipe& out, Pipe& err, pid_t& pid, std::string& failed) {
  std::string program = argv.empty() ? std::string() : find_program(argv[0], options.env);
  if (program.empty()) return ENOENT;
  std::vector<char*> args;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  std::vector<char*> envp;
  for (char** e = options.env ? nullptr : environ; e && *e; ++e) envp.push_back(*e);
  if (options.env) {
    for (const auto& e : *options.env) envp.push_back(const_cast<char*>(e.c_str()));
  }
  envp.push_back(nullptr);
  int rc = start_confined(program.c_str(), args.data(), envp.data(), options, in, out, err, pid, failed);
  in.read.close();
  out.write.close();
  err.write.close();
  return rc;
}

// Spawns argv with its stdin/stdout/stderr on the pipes, in its own process group, with default
// signal dispositions (SIGPIPE included, whatever ours are) and no signal blocked (the stop
// signals are blocked in this thread while it spawns). Returns posix_spawn's error.
int spawn(const std::vector<std::string>& argv, const ProcessOptions& options, Pipe& in, Pipe& out, Pipe& err, pid_t& pid, std::string& failed) {
  if (options.confine_fd >= 0) return spawn_confined(argv, options, in, out, err, pid, failed);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, in.read.get(), 0);
  posix_spawn_file_actions_adddup2(&actions, out.write.get(), 1);
  posix_spawn_file_actions_adddup2(&actions, err.write.get(), 2);
  if (!options.cwd.empty()) posix_spawn_file_actions_addchdir_np(&actions, options.cwd.c_str());
  posix_spawnattr_t attr;
  posix_spawnattr_init(&attr);
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
  std::string program = argv.empty() ? std::string() : find_on(argv[0], helper_path());
  int rc = argv.empty() ? EINVAL : program.empty() ? ENOENT : ::posix_spawn(&pid, program.c_str(), &actions, &attr, args.data(), options.env ? envp.data() : environ);
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attr);
  in.read.close();
  out.write.close();
  err.write.close();
  return rc;
}

// Feeds the input and collects the output until the child exits (or, without a pidfd, until
// the pipes close) or the deadline passes. A child that exits without reading all its input
// ends the feeding: the write fails with EPIPE, never kills us with SIGPIPE (see write_input).
class Pump {
 public:
  Pump(const ProcessOptions& options, ProcessResult& r, Pipe& in, Pipe& out, Pipe& err, pid_t pid, int pidfd)
      : m_opts(options), m_r(r), m_in(in.write), m_out(out.read), m_err(err.read), m_pid(pid), m_pidfd(pidfd) {}

  void run() {
    if (m_opts.input.empty()) m_in.close();
    else ::fcntl(m_in.get(), F_SETFL, O_NONBLOCK);
    auto deadline = Clock::now() + m_opts.limit;
    while (!m_exited) {
      auto now = Clock::now();
      if (now >= deadline) {
        m_r.timed_out = true;
        return;
      }
      if (!step(static_cast<int>(std::chrono::duration_cast<std::chrono::milliseconds>(deadline - now).count()) + 1)) return;
    }
  }

 private:
  bool step(int wait_ms) {
    pollfd fds[4];
    int n = 0;
    int out_i = -1, err_i = -1, in_i = -1, pid_i = -1;
    if (m_out.get() >= 0) out_i = n, fds[n++] = {m_out.get(), POLLIN, 0};
    if (m_err.get() >= 0) err_i = n, fds[n++] = {m_err.get(), POLLIN, 0};
    if (m_in.get() >= 0) in_i = n, fds[n++] = {m_in.get(), POLLOUT, 0};
    if (m_pidfd >= 0) pid_i = n, fds[n++] = {m_pidfd, POLLIN, 0};
    else wait_ms = std::min(wait_ms, 10);  // no pidfd (old kernel): look for the exit every 10 ms
    if (::poll(fds, static_cast<nfds_t>(n), wait_ms) < 0 && errno != EINTR) return false;
    auto ready = [&](int i, short events) { return i >= 0 && (fds[i].revents & events) != 0; };
    if (ready(out_i, POLLIN | POLLHUP | POLLERR)) consume(1, m_out, m_r.out);
    if (ready(err_i, POLLIN | POLLHUP | POLLERR)) consume(2, m_err, m_r.err);
    if (ready(in_i, POLLOUT | POLLERR | POLLHUP)) feed();
    if (ready(pid_i, POLLIN) || (m_pidfd < 0 && leader_exited(m_pid))) {
      // The child is gone: read what is already in the pipes, then stop waiting for EOF (a
      // background grandchild holding them open must not keep us waiting).
      m_exited = true;
      for (Fd* fd : {&m_out, &m_err}) {
        if (fd->get() >= 0) ::fcntl(fd->get(), F_SETFL, O_NONBLOCK);
      }
      while (m_out.get() >= 0 && consume(1, m_out, m_r.out)) {}
      while (m_err.get() >= 0 && consume(2, m_err, m_r.err)) {}
    }
    return true;
  }

  bool consume(int stream, Fd& fd, std::string& sink) {
    ssize_t got = ::read(fd.get(), m_buf, sizeof m_buf);
    if (got > 0) {
      std::string_view chunk(m_buf, static_cast<size_t>(got));
      if (m_opts.on_output) m_opts.on_output(stream, chunk);
      if (sink.size() < m_opts.capture_limit) sink.append(chunk.substr(0, m_opts.capture_limit - sink.size()));
      return true;
    }
    if (got == 0 || (errno != EINTR && errno != EAGAIN)) fd.close();
    return false;
  }

  void feed() {
    ssize_t put = write_input(m_in.get(), std::string_view(m_opts.input).substr(m_written));
    if (put > 0) m_written += static_cast<size_t>(put);
    if (put < 0 && errno != EAGAIN && errno != EINTR) {
      m_r.input_refused = true;  // EPIPE: the child closed its input (or exited) before the end
      m_in.close();
      return;
    }
    if (m_written >= m_opts.input.size()) m_in.close();
  }

  const ProcessOptions& m_opts;
  ProcessResult& m_r;
  Fd& m_in;
  Fd& m_out;
  Fd& m_err;
  pid_t m_pid;
  int m_pidfd;
  bool m_exited = false;
  size_t m_written = 0;
  char m_buf[65536];
};

}  // namespace

bool program_available(const std::string& program) { return !find_on(program, helper_path()).empty(); }

std::string program_path(const std::string& program) {
  std::string path = find_on(program, helper_path());
  return path.empty() ? program : path;
}

ProcessResult run_process(const std::vector<std::string>& argv, const ProcessOptions& options) {
  ProcessResult r;
  Pipe in, out, err;
  if (!in.open() || !out.open() || !err.open()) {
    r.error = std::string("cannot create a pipe: ") + std::strerror(errno);
    return r;
  }
  pid_t pid = -1;
  TrackedGroup group;  // stopped with opsbook (SIGINT, SIGTERM, SIGHUP)
  int rc = 0;
  std::string failed;  // what failed to start, when not the program
  {
    // The group's slot is held from before the spawn until the group id is in it, with the stop
    // signals blocked here: a stop meanwhile waits for the id (see TrackedGroup), never misses it.
    StopSignalsBlocked blocked;
    group.hold();
    rc = spawn(argv, options, in, out, err, pid, failed);
    if (rc == 0 && options.after_spawn) options.after_spawn(pid);
    group.track(rc == 0 ? pid : 0);
  }
  if (rc != 0) {
    r.error = (failed.empty() ? std::string(argv.empty() ? "" : argv[0]) : failed) + ": " + std::strerror(rc);
    return r;
  }
  r.started = true;
  Fd pidfd;
  pidfd.reset(static_cast<int>(::syscall(SYS_pidfd_open, pid, 0)));
  {
    auto pump = std::make_unique<Pump>(options, r, in, out, err, pid, pidfd.get());
    pump->run();
  }
  in.write.close();
  out.read.close();
  err.read.close();
  r.exit_code = finish_group(pid, pidfd.get(), r.timed_out, group);
  return r;
}

}  // namespace opsbook::model
