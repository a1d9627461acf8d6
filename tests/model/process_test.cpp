// model/process: a child that stops reading cannot kill us with SIGPIPE, a timed-out group
// is ended without waiting out the grace period, nothing of the group outlives the call, and
// no file descriptor leaks when a pipe cannot be made.
#include <catch2/catch.hpp>

#include <signal.h>
#include <sys/resource.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <set>
#include <string>
#include <thread>

#include "model/process.hpp"

using namespace opsbook;
using Clock = std::chrono::steady_clock;

namespace {

std::set<std::string> open_fds() {
  std::set<std::string> out;
  for (const auto& e : std::filesystem::directory_iterator("/proc/self/fd")) out.insert(e.path().filename().string());
  return out;
}

// Processes of the group that are not zombies (a killed member is a zombie until init reaps it).
int running_in_group(pid_t pgid) {
  int n = 0;
  for (const auto& e : std::filesystem::directory_iterator("/proc")) {
    std::string name = e.path().filename().string();
    if (name.find_first_not_of("0123456789") != std::string::npos) continue;
    std::ifstream in(e.path() / "stat");
    std::string stat((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    size_t close = stat.rfind(')');
    if (close == std::string::npos) continue;
    std::istringstream rest(stat.substr(close + 2));
    char state = 0;
    long ppid = 0, pgrp = 0;
    rest >> state >> ppid >> pgrp;
    n += pgrp == pgid && state != 'Z' && state != 'X';
  }
  return n;
}

}  // namespace

TEST_CASE("a child that exits without reading its input gives EPIPE, not SIGPIPE", "[model][process]") {
  // This test binary does not ignore SIGPIPE: without the guard in run_process it would die here.
  REQUIRE(::signal(SIGPIPE, SIG_DFL) != SIG_ERR);
  std::string input(4 << 20, 'x');
  auto r = model::run_process({"sh", "-c", "exit 3"}, input, std::chrono::seconds(10));
  CHECK(r.started);
  CHECK(r.exit_code == 3);
  CHECK(r.input_refused);
  auto whole = model::run_process({"wc", "-c"}, input, std::chrono::seconds(10));
  CHECK(whole.out == std::to_string(input.size()) + "\n");
  CHECK_FALSE(whole.input_refused);
}

TEST_CASE("a timed-out child that obeys SIGTERM is not kept for the grace period", "[model][process]") {
  auto start = Clock::now();
  auto r = model::run_process({"sh", "-c", "sleep 30"}, "", std::chrono::milliseconds(100));
  auto took = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start);
  CHECK(r.timed_out);
  CHECK(r.exit_code == 128 + SIGTERM);
  // The grace period is 500 ms; before the fix every timeout waited all of it.
  CHECK(took.count() < 100 + 350);
}

TEST_CASE("a timed-out child that ignores SIGTERM is killed after the grace period", "[model][process]") {
  auto r = model::run_process({"sh", "-c", "trap '' TERM; while :; do sleep 0.05; done"}, "", std::chrono::milliseconds(100));
  CHECK(r.timed_out);
  CHECK(r.exit_code == 128 + SIGKILL);
}

TEST_CASE("what a child leaves running in its group is gone when the call returns", "[model][process]") {
  auto r = model::run_process({"sh", "-c", "echo $$; sleep 31 & sleep 32 & exit 0"}, "", std::chrono::seconds(10));
  REQUIRE(r.exit_code == 0);
  pid_t pgid = static_cast<pid_t>(std::stol(r.out));
  // SIGKILL was sent before the call returned; its delivery takes a moment.
  auto until = Clock::now() + std::chrono::seconds(2);
  while (running_in_group(pgid) > 0 && Clock::now() < until) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  CHECK(running_in_group(pgid) == 0);
}

TEST_CASE("no file descriptor leaks when a pipe cannot be created", "[model][process]") {
  std::set<std::string> before = open_fds();
  rlimit old{};
  REQUIRE(::getrlimit(RLIMIT_NOFILE, &old) == 0);
  // A limit with exactly `extra` free descriptors below it: each lets the call get one step
  // further (first pipe, second, third, pidfd, spawn).
  for (int extra = 0; extra <= 8; ++extra) {
    int limit = 0;
    for (int free = 0; free < extra || before.count(std::to_string(limit)) > 0; ++limit) free += before.count(std::to_string(limit)) == 0;
    rlimit tight = old;
    tight.rlim_cur = static_cast<rlim_t>(limit);
    REQUIRE(::setrlimit(RLIMIT_NOFILE, &tight) == 0);
    auto r = model::run_process({"cat"}, "input", std::chrono::seconds(10));
    REQUIRE(::setrlimit(RLIMIT_NOFILE, &old) == 0);
    INFO("limit " << tight.rlim_cur << ": " << r.error);
    CHECK((r.started ? r.exit_code == 0 : !r.error.empty()));
    CHECK(open_fds() == before);
  }
}
