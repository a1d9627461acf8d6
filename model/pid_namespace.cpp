// clone() into a PID namespace, with a user namespace when opsbook runs unprivileged (CI runners).
#include "model/pid_namespace.hpp"

#include <fcntl.h>
#include <sched.h>
#include <sys/prctl.h>
#include <signal.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>

namespace opsbook::model {

namespace {

pid_t clone_with(unsigned long flags) { return static_cast<pid_t>(::syscall(SYS_clone, flags | SIGCHLD, nullptr, nullptr, nullptr, nullptr)); }

// What a kernel says when namespaces are not allowed: no CAP_SYS_ADMIN, user namespaces switched
// off (kernel.unprivileged_userns_clone=0, user.max_user_namespaces=0) or denied (AppArmor's
// apparmor_restrict_unprivileged_userns, a seccomp filter of a container), or too many.
bool refused(int e) { return e == EPERM || e == EINVAL || e == ENOSPC || e == EUSERS || e == EACCES || e == ENOSYS; }

constexpr int k_ready = -1;  // the child's ready message: {k_ready, 0}, as ints

bool write_file(const std::string& path, const std::string& text) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CLOEXEC);
  if (fd < 0) return false;
  bool ok = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size());
  ::close(fd);
  return ok;
}

}  // namespace

pid_t clone_isolated(Isolation& used) {
  used = Isolation::pid_namespace;
  pid_t pid = clone_with(CLONE_NEWPID);
  if (pid >= 0 || !refused(errno)) return pid;
  used = Isolation::user_namespace;
  pid = clone_with(CLONE_NEWUSER | CLONE_NEWPID);
  if (pid >= 0 || !refused(errno)) return pid;
  used = Isolation::none;
  return ::fork();
}

bool await_id_maps(Isolation used, int ready_fd, int go_fd) {
  int dumpable = ::prctl(PR_GET_DUMPABLE, 0, 0, 0, 0);
  if (used == Isolation::user_namespace) {
    ::prctl(PR_SET_DUMPABLE, 1, 0, 0, 0);
    const int ready[2] = {k_ready, 0};
    if (::write(ready_fd, ready, sizeof ready) != static_cast<ssize_t>(sizeof ready)) return false;
  }
  char byte = 0;
  while (::read(go_fd, &byte, 1) < 0 && errno == EINTR) {}
  ::prctl(PR_SET_DUMPABLE, dumpable, 0, 0, 0);
  return byte == 1;
}

bool map_ids(Isolation used, pid_t child, int ready_fd, int go_fd) {
  if (used == Isolation::user_namespace) {
    int ready[2] = {0, 0};
    ssize_t got;
    while ((got = ::read(ready_fd, ready, sizeof ready)) < 0 && errno == EINTR) {}
    if (got != static_cast<ssize_t>(sizeof ready) || ready[0] != k_ready) return false;
    std::string proc = "/proc/" + std::to_string(child) + "/";
    std::string uid = std::to_string(::geteuid()), gid = std::to_string(::getegid());
    if (!write_file(proc + "setgroups", "deny") || !write_file(proc + "gid_map", gid + " " + gid + " 1\n") ||
        !write_file(proc + "uid_map", uid + " " + uid + " 1\n")) {
      return false;
    }
  }
  const char go = 1;
  return ::write(go_fd, &go, 1) == 1;
}

const std::string& pid_namespace_problem() {
  static const std::string problem = []() -> std::string {
    int ready[2], go[2];
    if (::pipe2(ready, O_CLOEXEC) != 0 || ::pipe2(go, O_CLOEXEC) != 0) return "cannot create a pipe";
    Isolation used = Isolation::none;
    pid_t pid = clone_isolated(used);
    if (pid == 0) {  // ends once the parent is done with its maps
      ::close(go[1]);
      ::_exit(await_id_maps(used, ready[1], go[0]) ? 0 : 1);
    }
    ::close(ready[1]);
    ::close(go[0]);
    bool mapped = pid > 0 && map_ids(used, pid, ready[0], go[1]);
    ::close(ready[0]);
    ::close(go[1]);
    if (pid > 0) {
      while (::waitpid(pid, nullptr, 0) < 0 && errno == EINTR) {}
    }
    if (pid > 0 && used != Isolation::none && mapped) return "";
    return "this user may neither make a PID namespace (CAP_SYS_ADMIN) nor a user namespace (kernel.unprivileged_userns_clone=0, "
           "user.max_user_namespaces=0, AppArmor's apparmor_restrict_unprivileged_userns, a container's seccomp profile)";
  }();
  return problem;
}

}  // namespace opsbook::model
