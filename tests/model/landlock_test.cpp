// The kernel sandbox itself (model/landlock + run_process's confine_fd), with real bash: what the
// ruleset does not grant fails, whatever path, link or port the child uses. On a kernel without
// Landlock these tests say so and check that no ruleset is made.
#include <catch2/catch.hpp>
#include <grp.h>
#include <signal.h>
#include <sched.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "model/landlock.hpp"
#include "model/pid_namespace.hpp"
#include "model/process.hpp"
#include "support.hpp"

using namespace opsbook;
namespace fs = std::filesystem;

namespace {

model::ProcessResult confined(const model::Confinement& c, const std::string& script) {
  std::string why;
  auto ruleset = model::make_ruleset(c, why);
  INFO(why);
  REQUIRE(ruleset);
  model::ProcessOptions o;
  o.limit = std::chrono::seconds(20);
  o.confine_fd = ruleset->fd();
  return model::run_process({"bash", "--noprofile", "--norc", "-c", script}, o);
}

model::Confinement system_only() {
  model::Confinement c;
  c.run = {"/usr", "/bin", "/lib", "/lib64"};
  c.device = {"/dev/null"};
  return c;
}

bool have_landlock() {
  if (model::landlock_abi() > 0) return true;
  std::string why;
  CHECK_FALSE(model::make_ruleset(model::Confinement{}, why));
  CHECK(why == "this kernel has no Landlock (Linux 5.13 or later with the landlock LSM enabled)");
  WARN("this kernel has no Landlock: the sandbox tests only checked that none is claimed");
  return false;
}

}  // namespace

TEST_CASE("landlock: a confined child reads only what is granted, links and .. included", "[landlock]") {
  if (!have_landlock()) return;
  test::TempDir granted, other;
  test::write_file(granted.path() / "ok.txt", "granted\n");
  test::write_file(other.path() / "secret.txt", "canary-41\n");
  fs::create_symlink(other.path() / "secret.txt", granted.path() / "link");
  model::Confinement c = system_only();
  c.read = {granted.path().string()};
  std::string g = granted.path().string();
  auto r = confined(c, "cat " + g + "/ok.txt; cat " + g + "/link; cat " + g + "/../" + other.path().filename().string() + "/secret.txt; cd " +
                           other.path().string() + " && cat secret.txt; wc -c /dev/zero; cat /etc/shadow; true");
  CHECK(r.out == "granted\n");
  CHECK(r.out.find("canary-41") == std::string::npos);
  CHECK(r.err.find(g + "/link: Permission denied") != std::string::npos);
  CHECK(r.err.find("/dev/zero: Permission denied") != std::string::npos);  // at once, not at a timeout
  CHECK(r.err.find("/etc/shadow: Permission denied") != std::string::npos);
  CHECK_FALSE(r.timed_out);
}

TEST_CASE("landlock: a confined child writes only in its granted folder, and /dev/null", "[landlock]") {
  if (!have_landlock()) return;
  test::TempDir temp, other;
  model::Confinement c = system_only();
  c.write = {temp.path().string()};
  auto r = confined(c, "echo a > " + temp.path().string() + "/made && echo b > /dev/null && echo c > " + other.path().string() +
                           "/planted; mkdir " + other.path().string() + "/d; true");
  CHECK(fs::exists(temp.path() / "made"));
  CHECK_FALSE(fs::exists(other.path() / "planted"));
  CHECK_FALSE(fs::exists(other.path() / "d"));
  CHECK(r.err.find("/planted: Permission denied") != std::string::npos);
}

TEST_CASE("landlock: /proc is closed unless granted: another process's environment, links, command lines", "[landlock]") {
  if (!have_landlock()) return;
  ::setenv("OPSBOOK_LANDLOCK_CANARY", "canary-environ-77", 1);
  model::Confinement c = system_only();
  c.read = {"/proc/uptime"};  // a figure of the whole system, as doc-tests get
  std::string me = std::to_string(::getpid());
  auto r = confined(c, "cat /proc/" + me + "/environ; cat /proc/" + me + "/cmdline; ls /proc/" + me + "/root/; cat /proc/uptime | wc -l; true");
  ::unsetenv("OPSBOOK_LANDLOCK_CANARY");
  CHECK(r.out.find("canary-environ-77") == std::string::npos);
  CHECK(r.out == "1\n");
  CHECK(r.err.find("/proc/" + me + "/environ: Permission denied") != std::string::npos);
  CHECK(r.err.find("/proc/" + me + "/cmdline: Permission denied") != std::string::npos);
}

TEST_CASE("landlock: TCP connections reach only the granted ports (ABI 4)", "[landlock]") {
  if (!have_landlock() || model::landlock_abi() < 4) return;
  int open_port = 0, closed_port = 0;
  int a = test::listen_on_loopback(open_port), b = test::listen_on_loopback(closed_port);
  model::Confinement c = system_only();
  c.connect_ports = std::vector<int>{open_port};
  auto r = confined(c, "(exec 3<>/dev/tcp/127.0.0.1/" + std::to_string(open_port) + ") && echo granted; (exec 3<>/dev/tcp/127.0.0.1/" +
                           std::to_string(closed_port) + ") && echo other; true");
  ::close(a);
  ::close(b);
  CHECK(r.out == "granted\n");
  CHECK(r.err.find("Permission denied") != std::string::npos);
}

TEST_CASE("landlock: no signal reaches a process outside the sandbox (ABI 6)", "[landlock]") {
  if (!have_landlock() || model::landlock_abi() < 6) return;
  pid_t victim = ::fork();
  if (victim == 0) {
    ::execlp("sleep", "sleep", "30", static_cast<char*>(nullptr));
    ::_exit(127);
  }
  // Refused by Landlock's scope, or the pid names nothing in the child's own PID namespace.
  auto r = confined(system_only(), "kill -TERM " + std::to_string(victim) + " && echo killed; true");
  CHECK(r.out.empty());
  CHECK(::kill(victim, 0) == 0);  // still alive
  ::kill(victim, SIGKILL);
  ::waitpid(victim, nullptr, 0);
}

TEST_CASE("landlock: nothing a confined child started outlives it, setsid included (its own PID namespace)", "[landlock]") {
  if (!have_landlock()) return;
  if (!model::pid_namespace_problem().empty()) {
    WARN("a confined child gets no PID namespace of its own here, so what it starts may outlive it: " << model::pid_namespace_problem());
    return;
  }
  auto r = confined(system_only(), "setsid sleep 31.4159 < /dev/null > /dev/null 2>&1 & echo started");
  CHECK(r.out == "started\n");
  CHECK(test::find_process(std::string("sleep\0" "31.4159\0", 14)) == 0);
}

namespace {

// Whether this process may make a user namespace with a PID namespace in it (the kernel's answer,
// not opsbook's).
bool user_namespaces_allowed() {
  pid_t pid = static_cast<pid_t>(::syscall(SYS_clone, CLONE_NEWUSER | CLONE_NEWPID | SIGCHLD, nullptr, nullptr, nullptr, nullptr));
  if (pid == 0) ::_exit(0);
  if (pid > 0) ::waitpid(pid, nullptr, 0);
  return pid > 0;
}

// Runs `script` confined by `c` as an unprivileged user, as on a CI runner (as root: in a forked
// child that has become nobody, uid and gid 65534 without groups, not dumpable as opsbook check
// --live). Its stdout, then "error: " with why it did not start, then "problem: " with what
// pid_namespace_problem says there, then "userns: " 1 when the kernel allows user namespaces there.
std::string confined_as_nobody(const model::Confinement& c, const std::string& script) {
  auto run = [&] {
    std::string allowed = user_namespaces_allowed() ? "1" : "0";
    std::string why;
    auto ruleset = model::make_ruleset(c, why);
    model::ProcessOptions o;
    o.limit = std::chrono::seconds(20);
    o.confine_fd = ruleset ? ruleset->fd() : -1;
    model::ProcessResult r = model::run_process({"bash", "--noprofile", "--norc", "-c", script}, o);
    return r.out + "error: " + r.error + why + "\nproblem: " + model::pid_namespace_problem() + "\nuserns: " + allowed + "\n";
  };
  if (::geteuid() != 0) return run();
  int fds[2];
  REQUIRE(::pipe(fds) == 0);
  pid_t pid = ::fork();
  if (pid == 0) {
    ::close(fds[0]);
    if (::setgroups(0, nullptr) != 0 || ::setgid(65534) != 0 || ::setuid(65534) != 0) ::_exit(99);
    ::prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);  // as opsbook check --live makes itself
    std::string text = run();
    [[maybe_unused]] ssize_t n = ::write(fds[1], text.data(), text.size());
    ::_exit(0);
  }
  ::close(fds[1]);
  std::string text;
  char buf[4096];
  for (ssize_t got; (got = ::read(fds[0], buf, sizeof buf)) > 0;) text.append(buf, static_cast<size_t>(got));
  ::close(fds[0]);
  ::waitpid(pid, nullptr, 0);
  return text;
}

}  // namespace

TEST_CASE("landlock: as an unprivileged user, nothing a confined child started outlives it (a user and PID namespace of its own, s9 B6)", "[landlock]") {
  if (!have_landlock()) return;
  test::TempDir work, other;
  fs::permissions(work.path(), fs::perms::all);  // nobody writes here
  test::write_file(other.path() / "secret.txt", "canary-b6\n");
  fs::permissions(other.path(), fs::perms::owner_all | fs::perms::others_read | fs::perms::others_exec);
  fs::permissions(other.path() / "secret.txt", fs::perms::owner_all | fs::perms::others_read);
  model::Confinement c = system_only();
  c.write = {work.path().string()};
  std::string w = work.path().string();
  // The double fork and setsid of a daemon: the sleep's parent exits at once, the sleep is in a
  // session of its own, outside the doc-test's process group.
  std::string text = confined_as_nobody(c, "echo pid $$; id -u; touch " + w + "/made; (setsid sleep 31.2718 </dev/null >/dev/null 2>&1 &); cat " +
                                               other.path().string() + "/secret.txt 2>/dev/null || echo denied");
  INFO(text);
  if (text.ends_with("userns: 0\n")) {
    WARN("user namespaces are off here: an unprivileged doc-test gets no PID namespace (check prints a note): " << text);
    return;
  }
  // Its PID namespace's init, the user's own uid, Landlock still on; no note.
  CHECK(text == "pid 1\n65534\ndenied\nerror: \nproblem: \nuserns: 1\n");
  struct stat st {};
  REQUIRE(::stat((work.path() / "made").c_str(), &st) == 0);
  CHECK(st.st_uid == 65534);  // what it creates is the user's
  CHECK(st.st_gid == 65534);
  pid_t left = test::find_process(std::string("sleep\0" "31.2718\0", 14));
  if (left != 0) ::kill(left, SIGKILL);  // a sleep this test started (before the fix it outlived the check)
  CHECK(left == 0);
}

TEST_CASE("landlock: a confined program that cannot start is reported, not an exit status 127", "[landlock]") {
  if (!have_landlock()) return;
  std::string why;
  auto ruleset = model::make_ruleset(system_only(), why);
  REQUIRE(ruleset);
  model::ProcessOptions o;
  o.confine_fd = ruleset->fd();
  auto r = model::run_process({"/nonexistent/opsbook-prog"}, o);
  CHECK_FALSE(r.started);
  CHECK(r.error == "/nonexistent/opsbook-prog: No such file or directory");
  o.cwd = "/nonexistent-folder";
  r = model::run_process({"bash", "-c", "true"}, o);
  CHECK_FALSE(r.started);
  CHECK(r.error == "the working folder /nonexistent-folder: No such file or directory");
}

TEST_CASE("landlock: process substitution, heredocs and pipes still work confined", "[landlock]") {
  if (!have_landlock()) return;
  test::TempDir temp;
  model::Confinement c = system_only();
  c.write = {temp.path().string()};
  auto r = confined(c, "export TMPDIR=" + temp.path().string() + "; cat <(echo one); cat <<EOF\ntwo\nEOF\necho three | tr a-z A-Z; head -c 3 /dev/stdin <<< four");
  CHECK(r.err.empty());
  CHECK(r.out == "one\ntwo\nTHREE\nfou");
}

TEST_CASE("landlock: a confined child gets no descriptor but its three pipes (a runner's pipe, a database socket)", "[landlock]") {
  if (!have_landlock()) return;
  int fds[2];
  REQUIRE(::pipe(fds) == 0);  // no close-on-exec, as a CI runner might leave one
  std::string w = std::to_string(fds[1]);
  auto r = confined(system_only(), "(: >&" + w + ") 2>/dev/null && echo inherited || echo closed");
  ::close(fds[0]);
  ::close(fds[1]);
  CHECK(r.out == "closed\n");
}
