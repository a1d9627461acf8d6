// Runbook file names that are not UTF-8 text (Latin-1 bytes 0x80-0xff) or hold a control
// character: an error naming the file with those bytes escaped, and the file is not read. Its page
// name, links, JSON reports and search index would otherwise be broken (s6 review M2).
#include <catch2/catch.hpp>

#include <filesystem>
#include <set>
#include <nlohmann/json.hpp>

#include "model/text.hpp"
#include "support.hpp"

using namespace opsbook;
namespace fs = std::filesystem;

namespace {

// Every file name and every byte below `dir` is UTF-8 text.
std::string first_not_utf8(const fs::path& dir) {
  for (const auto& e : fs::recursive_directory_iterator(dir)) {
    std::string rel = fs::relative(e.path(), dir).string();
    if (model::find_invalid_utf8(rel) != std::string::npos) return "the name " + rel;
    if (e.is_regular_file() && rel != ".opsbook-cache" && rel != ".opsbook-search-cache" &&
        model::find_invalid_utf8(test::read_file(e.path().string())) != std::string::npos) {
      return "the text of " + rel;
    }
  }
  return "";
}

}  // namespace

TEST_CASE("file names that are not UTF-8 or hold a control character: an error naming the file, escaped, in build and check", "[cli][build][hostile]") {
  test::TempDir dir;
  fs::path src = dir.path() / "src";
  test::write_file(src / "ok.md", "# Ok\n\nRestart the zebracorn.\n");
  test::write_file(src / "caf\xe9.md", "# Cafe\n\nRestart the latin1corn.\n");
  test::write_file(src / "d\xff" / "inner.md", "# Inner\n\nRestart the innercorn.\n");
  test::write_file(src / "esc\x1b[31m.md", "# Escape\n\nRestart the escapecorn.\n");
  test::write_file(src / "new\nline.md", "# Newline\n\nRestart the newlinecorn.\n");
  const std::string hint = "rename it in UTF-8 (e.g. convmv -f latin1 -t utf-8 --notest)";
  auto build = test::run_opsbook({"build", "-o", "site", "src"}, dir.path().string());
  INFO(build.err);
  CHECK(build.exit_code == 1);
  for (const char* shown : {"src/caf\\xe9.md: error[encoding]: the name holds byte 0xe9", "src/d\\xff: error[encoding]: the name holds byte 0xff",
                            "src/esc\\x1b[31m.md: error[encoding]: the name holds byte 0x1b", "src/new\\x0aline.md: error[encoding]: the name holds byte 0x0a"}) {
    CHECK(build.err.find(std::string(shown) + ", which is not UTF-8 text (or is a control character): not read, since its page name, links and reports would be broken") !=
          std::string::npos);
  }
  CHECK(build.err.find('\x1b') == std::string::npos);
  CHECK(fs::exists(dir.path() / "site" / "runbooks" / "ok.html"));
  CHECK(first_not_utf8(dir.path() / "site") == "");
  std::string search;
  for (const auto& e : fs::recursive_directory_iterator(dir.path() / "site" / "search")) {
    if (e.is_regular_file()) search += test::read_file(e.path().string());
  }
  CHECK(search.find("zebracorn") != std::string::npos);
  CHECK(search.find("latin1corn") == std::string::npos);
  CHECK(search.find("innercorn") == std::string::npos);
  // An incremental build says the same.
  auto again = test::run_opsbook({"build", "-o", "site", "src"}, dir.path().string());
  CHECK(again.exit_code == 1);
  CHECK(again.err.find("src/caf\\xe9.md: error[encoding]") != std::string::npos);

  auto check = test::run_opsbook({"check", "--no-shell", "--format", "json", "src"}, dir.path().string());
  CHECK(check.exit_code == 1);
  nlohmann::json report = nlohmann::json::parse(check.out);  // throws on bytes that are not UTF-8
  std::set<std::string> refused;
  for (const auto& f : report["findings"]) {
    if (f["rule"] == "encoding") refused.insert(f["file"].get<std::string>());
  }
  CHECK(refused == std::set<std::string>{"src/caf\\xe9.md", "src/d\\xff", "src/esc\\x1b[31m.md", "src/new\\x0aline.md"});
  // Named on the command line: the same error, and the other runbooks are checked.
  auto named = test::run_opsbook({"check", "--no-shell", "src/caf\xe9.md", "src/ok.md"}, dir.path().string());
  CHECK(named.exit_code == 1);
  CHECK(named.out.find("src/caf\\xe9.md: error[encoding]: the name holds byte 0xe9") != std::string::npos);
  CHECK(named.out.find(hint) != std::string::npos);
}

// s10b review B1: one runbook under 800 empty folders made a 572 MB portal (every level's page
// links every level above it) and `check` said nothing; at 1,900 levels the build failed on its
// staging folder ("File name too long") and serve grew without bound.
TEST_CASE("folders nested too deep and paths too long: a limit error naming them, the rest built", "[cli][build][hostile]") {
  test::TempDir dir;
  fs::path deep = dir.path() / "content";
  for (int i = 0; i < 40; ++i) deep /= "a";
  test::write_file(deep / "x.md", "# D\n");
  test::write_file(dir.path() / "content" / "ok.md", "# OK\n");
  fs::path longest = dir.path() / "content";
  std::string long_path = "content";
  for (char c : std::string("bcdefg")) {
    longest /= std::string(200, c);
    long_path += "/" + std::string(200, c);
  }
  test::write_file(longest / "y.md", "# Long\n");
  std::string depth33 = "content";
  for (int i = 0; i < 33; ++i) depth33 += "/a";
  std::string deep_error = depth33 + ": error[limit]: folder nested 33 levels below the content folder, over the limit of 32: not read\n"
                           "  hint: move its runbooks up: the portal gives every folder level a page\n";
  std::string long_error = long_path + ": error[limit]: path 1205 bytes long below the content folder, over the limit of 1024: not read\n"
                           "  hint: shorten its folder and file names\n";
  auto check = test::run_opsbook({"check", "--no-shell", "content"}, dir.path().string());
  CHECK(check.exit_code == 1);
  CHECK(check.out.find(deep_error) != std::string::npos);
  CHECK(check.out.find(long_error) != std::string::npos);
  auto build = test::run_opsbook({"build", "content", "-o", "site"}, dir.path().string());
  CHECK(build.exit_code == 1);
  CHECK(build.err.find(deep_error) != std::string::npos);
  CHECK(fs::exists(dir.path() / "site" / "runbooks" / "ok.html"));
}
