// The project's own user documentation (docs/) is a runbook folder too: opsbook checks it clean
// and builds it into a portal, so the portal is used on real prose every day.
#include <catch2/catch.hpp>
#include <filesystem>

#include "support.hpp"

using namespace opsbook;
using test::run_opsbook;
namespace fs = std::filesystem;

namespace {

std::string docs_dir() { return (fs::path(OPSBOOK_TEST_DATA) / ".." / ".." / "docs").lexically_normal().string(); }

}  // namespace

TEST_CASE("opsbook check docs/ passes", "[cli][docs]") {
  auto r = run_opsbook({"check", docs_dir(), "--no-shellcheck"});
  INFO(r.out << r.err);
  CHECK(r.exit_code == 0);
  CHECK(r.out.find("error[") == std::string::npos);
}

TEST_CASE("opsbook builds docs/ into a portal with every page", "[cli][docs]") {
  test::TempDir dir;
  auto r = run_opsbook({"build", docs_dir(), "-o", (dir.path() / "site").string(), "--no-report"});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  for (const char* page : {"readme", "runbooks", "configuration", "commands", "github-workflow"}) {
    INFO(page);
    CHECK(fs::exists(dir.path() / "site/runbooks" / (std::string(page) + ".html")));
  }
  // Links between the documents point at their pages.
  std::string index = test::read_file((dir.path() / "site/runbooks/readme.html").string());
  CHECK(index.find("href=\"commands.html\"") != std::string::npos);
}
