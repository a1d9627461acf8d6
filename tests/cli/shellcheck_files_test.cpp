// shellcheck reads the scripts from in-memory files: a check killed with SIGKILL while shellcheck
// runs leaves nothing in $TMPDIR, and no script ever lands there (s7b review B10).
#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <thread>

#include "model/process.hpp"
#include "support.hpp"

using namespace opsbook;
namespace fs = std::filesystem;

namespace {

// opsbook check in `cwd` with TMPDIR=`tmp`, its output discarded; its pid.
pid_t spawn_check(const std::string& cwd, const std::string& tmp) {
  pid_t pid = ::fork();
  if (pid == 0) {
    int null = ::open("/dev/null", O_WRONLY);
    ::dup2(null, 1);
    ::dup2(null, 2);
    if (::chdir(cwd.c_str()) != 0) ::_exit(127);
    ::setenv("TMPDIR", tmp.c_str(), 1);
    std::string bin = OPSBOOK_BINARY;
    std::string check = "check", content = "content";
    char* argv[] = {bin.data(), check.data(), content.data(), nullptr};
    ::execv(bin.c_str(), argv);
    ::_exit(127);
  }
  return pid;
}

// A shellcheck whose parent is `pid` (directly, or through prlimit, which execs it) is running.
bool shellcheck_child_of(pid_t pid) {
  for (const auto& e : fs::directory_iterator("/proc")) {
    std::ifstream stat(e.path() / "stat");
    std::string pid_field, comm, state;
    long ppid = 0;
    if (!(stat >> pid_field >> comm >> state >> ppid)) continue;
    if (ppid == pid && (comm == "(shellcheck)" || comm == "(prlimit)")) return true;
  }
  return false;
}

}  // namespace

TEST_CASE("check killed with SIGKILL while shellcheck runs leaves no script in TMPDIR", "[cli][shellcheck][hostile]") {
  if (!model::program_available("shellcheck")) {
    WARN("shellcheck is not installed");
    return;
  }
  test::TempDir dir;
  fs::path tmp = dir.path() / "tmp";
  fs::create_directories(tmp);
  for (int i = 0; i < 400; ++i) {
    std::string n = std::to_string(i);
    test::write_file(dir.path() / "content" / ("r" + n + ".md"),
                     "# R" + n + "\n\n```bash\nfor f in $(ls /srv/" + n + "/*.txt); do cat $f; done\nsecret_" + n + "=1\n```\n");
  }
  pid_t pid = spawn_check(dir.path().string(), tmp.string());
  bool seen = false;
  for (int k = 0; k < 600 && !seen; ++k) {
    seen = shellcheck_child_of(pid);
    if (!seen) std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  CHECK(seen);
  CHECK(fs::is_empty(tmp));  // while shellcheck reads them, the scripts are nowhere on disk
  ::kill(pid, SIGKILL);
  int status = 0;
  ::waitpid(pid, &status, 0);
  CHECK(fs::is_empty(tmp));
  auto again = test::run_opsbook({"check", "content"}, dir.path().string());
  INFO(again.err);
  CHECK(again.exit_code == 1);
  CHECK(again.out.find("content/r7.md:4: error[shellcheck]: ") != std::string::npos);
  CHECK(fs::is_empty(tmp));
}
