// opsbook check on hostile input: each run ends in bounded time and memory with the exact
// diagnostic, exit 1, and the other runbooks of the same run still checked.
#include <catch2/catch.hpp>

#include <string>

#include "support.hpp"

using namespace opsbook;

namespace {

// Bounds every hostile run must stay within.
test::Limits bounds(double seconds) {
  test::Limits l;
  l.seconds = seconds;
  l.address_space = size_t{4} << 30;
  return l;
}

// A second runbook with one finding of its own: proof that the run went on.
void write_neighbour(const test::TempDir& dir) {
  test::write_file(dir.path() / "neighbour.md", "# Neighbour\n\n```bash\necho \"unclosed\n```\n");
}
constexpr const char* k_neighbour_finding = "neighbour.md:4: error[shell-syntax]: unexpected EOF while looking for matching `\"'";

}  // namespace

TEST_CASE("a shell error early in a bash -n batch with > 64 KiB after it: every snippet gets its verdict", "[cli][check][hostile]") {
  // bash -n stops reading at the first error; writing the rest of the batch used to kill opsbook
  // with SIGPIPE (exit 141, no output).
  test::TempDir dir;
  std::string md = "# Early error\n\n```bash\nif then fi\n```\n";
  for (int i = 0; i < 400; ++i) {  // snippet i's body is on line 8 + 4 i
    std::string body = i == 399 ? "fi\n" : "echo step " + std::to_string(i) + " " + std::string(300, 'x') + "\n";
    md += "\n```bash\n" + body + "```\n";
  }
  test::write_file(dir.path() / "early.md", md);
  write_neighbour(dir);
  auto r = test::run_opsbook({"check", "--no-shellcheck", "early.md", "neighbour.md"}, dir.path().string(), bounds(60));
  REQUIRE_FALSE(r.timed_out);
  CHECK(r.exit_code == 1);
  CHECK(r.out.find("early.md:4: error[shell-syntax]: syntax error near unexpected token `then'") != std::string::npos);
  CHECK(r.out.find("early.md:1604: error[shell-syntax]: syntax error near unexpected token `fi'") != std::string::npos);
  CHECK(r.out.find(k_neighbour_finding) != std::string::npos);
  CHECK(r.out.find("opsbook check: 3 errors, 0 warnings, 0 notes in 2 runbooks") != std::string::npos);
}
