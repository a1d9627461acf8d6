// The kernel sandbox itself (model/landlock + run_process's confine_fd), with real bash: what the
// ruleset does not grant fails, whatever path, link or port the child uses. On a kernel without
// Landlock these tests say so and check that no ruleset is made.
#include <catch2/catch.hpp>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "model/landlock.hpp"
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

TEST_CASE("landlock: nothing a confined child started outlives it, setsid included (its own PID namespace, as root)", "[landlock]") {
  if (!have_landlock()) return;
  if (::geteuid() != 0) {
    WARN("not root: a confined child gets no PID namespace of its own (CAP_SYS_ADMIN), so what it starts may outlive it");
    return;
  }
  auto r = confined(system_only(), "setsid sleep 31.4159 < /dev/null > /dev/null 2>&1 & echo started");
  CHECK(r.out == "started\n");
  bool alive = false;
  for (const auto& entry : fs::directory_iterator("/proc")) {
    std::ifstream in(entry.path() / "cmdline", std::ios::binary);
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    alive = alive || text == std::string("sleep\0" "31.4159\0", 14);
  }
  CHECK_FALSE(alive);
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
