// The progress line: drawn in place on a terminal, never in a pipe or in CI.
#include <catch2/catch.hpp>
#include <cstdio>
#include <cstdlib>
#include <filesystem>

#include "support.hpp"

using namespace opsbook;

namespace {

// Runs `opsbook ARGS` under a pseudo-terminal (util-linux script) with `env` set; returns what the
// terminal showed.
std::string on_terminal(const std::string& env, const std::string& args, const std::filesystem::path& cwd) {
  std::string out = (cwd / "typescript").string();
  std::string cmd = "cd '" + cwd.string() + "' && env -u CI " + env + " script -qec \"'" + std::string(OPSBOOK_BINARY) + "' " + args +
                    "\" '" + out + "' >/dev/null 2>&1";
  (void)std::system(cmd.c_str());
  return test::read_file(out);
}

}  // namespace

TEST_CASE("work shows one progress line on a terminal, cleared at the end, and none in a pipe or in CI", "[cli][progress]") {
  test::TempDir dir;
  for (int i = 0; i < 50; ++i) test::write_file(dir.path() / "content" / ("r" + std::to_string(i) + ".md"), "# R\n\n```bash\necho hi\n```\n");
  // OPSBOOK_PROGRESS_AFTER_MS=0: the line from the start (it waits a second otherwise).
  std::string shown = on_terminal("OPSBOOK_PROGRESS_AFTER_MS=0", "build content -o site --no-report", dir.path());
  CHECK(shown.find("\r\033[Kopsbook: building the portal: runbooks ") != std::string::npos);
  CHECK(shown.find("/50 (") != std::string::npos);
  // Redrawn in place, and erased before the summary line.
  CHECK(shown.find("\r\033[Kopsbook: built 50 runbooks") != std::string::npos);
  CHECK(shown.find("\n", shown.find("building the portal")) > shown.find("\r\033[Kopsbook: built 50 runbooks"));
  shown = on_terminal("OPSBOOK_PROGRESS_AFTER_MS=0", "check content --no-shell", dir.path());
  // (reading and checking 50 files may take less than the 100 ms between two redraws)
  CHECK((shown.find("\r\033[Kopsbook: reading runbooks") != std::string::npos || shown.find("\r\033[Kopsbook: checking 50 runbooks") != std::string::npos));
  CHECK(shown.find("opsbook:  (") == std::string::npos);  // never a line without a phase
  // In CI, and in a pipe: never.
  shown = on_terminal("OPSBOOK_PROGRESS_AFTER_MS=0 CI=true", "build content -o site --no-report --full", dir.path());
  CHECK(shown.find("\033[K") == std::string::npos);
  CHECK(shown.find("opsbook: built 50 runbooks") != std::string::npos);
  setenv("OPSBOOK_PROGRESS_AFTER_MS", "0", 1);
  auto piped = test::run_opsbook({"build", "content", "-o", "site", "--no-report", "--full"}, dir.path().string());
  unsetenv("OPSBOOK_PROGRESS_AFTER_MS");
  CHECK(piped.err.find("\033[K") == std::string::npos);
  // Quick work shows nothing: the line waits a second.
  shown = on_terminal("", "build content -o site --no-report --full", dir.path());
  CHECK(shown.find("\033[K") == std::string::npos);
}
