// Names from front matter and opsbook.yaml that the portal publishes: a tag or service `index`
// never replaces the overview, names that become one page are reported and share it, a name with
// no letter or digit is left out (s7b review B9); bytes that are not UTF-8 and NULs become U+FFFD
// before use, so every page and file name is UTF-8 (B12, and a NUL in site.title).
#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

#include "model/text.hpp"
#include "support.hpp"

using namespace opsbook;
namespace fs = std::filesystem;

namespace {

std::string h1(const fs::path& page) {
  std::string html = test::read_file(page.string());
  size_t at = html.find("<h1>");
  return at == std::string::npos ? "" : html.substr(at + 4, html.find('<', at + 4) - at - 4);
}

}  // namespace

TEST_CASE("tags and services: index keeps the overview, one page per name, nameless ones left out (s7b B9)", "[cli][build][hostile]") {
  test::TempDir dir;
  test::write_file(dir.path() / "content" / "r.md", "---\ntitle: R\ntags: [index, \".\", \"..\", \"\", \"   \", DB]\nservices: [index]\n---\n# R\n\ntext\n");
  test::write_file(dir.path() / "content" / "s.md", "---\ntitle: S\ntags: [db]\n---\n# S\n\ntext\n");
  auto build = test::run_opsbook({"build"}, dir.path().string());
  INFO(build.err);
  CHECK(build.exit_code == 1);
  fs::path site = dir.path() / "site";
  CHECK(h1(site / "tags" / "index.html") == "Tags");
  CHECK(h1(site / "services" / "index.html") == "Services");
  CHECK(h1(site / "tags" / "_index.html") == "Tag: index");
  CHECK(h1(site / "services" / "_index.html") == "Service: index");
  CHECK(h1(site / "tags" / "db.html") == "Tag: DB");
  CHECK(test::read_file((site / "tags" / "db.html").string()).find("runbooks/s.html") != std::string::npos);
  CHECK_FALSE(fs::exists(site / "tags" / "section.html"));
  CHECK(test::read_file((site / "runbooks" / "r.html").string()).find("href=\"../tags/_index.html\"") != std::string::npos);
  CHECK(build.err.find("content/s.md:1: error[page-collision]: tag 'db' and tag 'DB' both become the page tags/db.html; it lists both, as 'DB'\n"
                       "  hint: write the tag the same way in every runbook (page names ignore case, spaces and punctuation)\n") != std::string::npos);
  CHECK(build.err.find("content/r.md:3:7: warning[front-matter]: tag '..' has no letter or digit to name its portal page; it is left out\n") !=
        std::string::npos);
  CHECK(build.err.find("content/r.md:3:7: warning[front-matter]: tag '   ' has no letter or digit to name its portal page; it is left out\n") !=
        std::string::npos);
}

TEST_CASE("bytes that are not UTF-8 in front matter and a NUL in site.title never reach the site raw (s7b B12)", "[cli][build][hostile]") {
  test::TempDir dir;
  test::write_file(dir.path() / "content" / "r.md", "---\ntitle: \"T\xff\"\ntags: [\"t\xc3\"]\n---\n# H\n");
  test::write_file(dir.path() / "opsbook.yaml", "site:\n  title: \"a\\0b\"\n");
  auto build = test::run_opsbook({"build"}, dir.path().string());
  INFO(build.err);
  CHECK(build.exit_code == 1);  // the encoding error stays
  CHECK(build.err.find("content/r.md:2:10: error[encoding]: invalid UTF-8 byte sequence; invalid bytes are shown as U+FFFD\n") != std::string::npos);
  for (const auto& e : fs::recursive_directory_iterator(dir.path() / "site")) {
    std::string rel = fs::relative(e.path(), dir.path() / "site").string();
    INFO(rel);
    CHECK(model::find_invalid_utf8(rel) == std::string::npos);
    if (!e.is_regular_file() || rel.starts_with(".opsbook")) continue;
    std::string text = test::read_file(e.path().string());
    CHECK(model::find_invalid_utf8(text) == std::string::npos);
    CHECK(text.find('\0') == std::string::npos);
  }
  CHECK(test::read_file((dir.path() / "site" / "lists" / "all.html").string()).find(">T\xEF\xBF\xBD<") != std::string::npos);
  CHECK(test::read_file((dir.path() / "site" / "index.html").string()).find(" a\xEF\xBF\xBD" "b</title>") != std::string::npos);
  CHECK(fs::exists(dir.path() / "site" / "tags" / "t.html"));
}

TEST_CASE("a tag or service of 300 characters gets a page with a bounded, stable name: the build never fails on a name (s9 review R6)", "[cli][build][hostile]") {
  test::TempDir dir;
  std::string tag(300, 't'), service;
  for (int i = 0; i < 150; ++i) service += "é";  // 300 bytes of UTF-8
  test::write_file(dir.path() / "content" / "r.md", "---\ntitle: R\ntags: [" + tag + "]\nservices: [" + service + "]\n---\n# R\n\ntext\n");
  test::write_file(dir.path() / "content" / "s.md", "---\ntitle: S\ntags: [" + tag + "X]\n---\n# S\n\ntext\n");  // the same first 103 bytes
  auto check = test::run_opsbook({"check"}, dir.path().string());
  CHECK(check.exit_code == 0);
  auto build = test::run_opsbook({"build"}, dir.path().string());
  INFO(build.err);
  CHECK(build.exit_code == 0);  // before the fix: 2, "File name too long"
  std::vector<std::string> tags, services;
  for (const auto& e : fs::directory_iterator(dir.path() / "site/tags")) tags.push_back(e.path().filename().string());
  for (const auto& e : fs::directory_iterator(dir.path() / "site/services")) services.push_back(e.path().filename().string());
  for (auto* names : {&tags, &services}) {
    std::erase(*names, "index.html");
    std::sort(names->begin(), names->end());
  }
  REQUIRE(tags.size() == 2);  // one page each
  REQUIRE(services.size() == 1);
  for (const std::string& name : {tags[0], tags[1], services[0]}) {
    INFO(name);
    CHECK(name.size() <= 125);
  }
  CHECK(tags[0].starts_with(std::string(103, 't') + "-"));
  CHECK(tags[1].starts_with(std::string(103, 't') + "-"));
  CHECK(tags[0] != tags[1]);
  CHECK(h1(dir.path() / "site/tags" / tags[0]).starts_with("Tag: ttt"));
  // The runbook page links to its tag page by that name, and a second build gives the same names.
  std::string page = test::read_file((dir.path() / "site/runbooks/r.html").string());
  std::string link = "href=\"../tags/" + (h1(dir.path() / "site/tags" / tags[0]) == "Tag: " + tag ? tags[0] : tags[1]) + "\"";
  CHECK(page.find(link) != std::string::npos);
  REQUIRE(test::run_opsbook({"build", "--full"}, dir.path().string()).exit_code == 0);
  CHECK(fs::exists(dir.path() / "site/tags" / tags[0]));
  CHECK(fs::exists(dir.path() / "site/tags" / tags[1]));
}

// s10b review B6: `Über.md` and `über.md`, tags `Ärger` and `ärger` were two pages each: on a
// case-insensitive file system (macOS, Windows, a zip opened there) one overwrote the other.
// Page names ignore case in every script, as they do in ASCII.
TEST_CASE("page names ignore case beyond ASCII: two runbooks or tags that differ only in case are a page collision (s10b B6)", "[cli][build][hostile]") {
  test::TempDir dir;
  test::write_file(dir.path() / "content" / "Über.md", "---\ntitle: U1\ntags: [Ärger]\n---\n# U1\n\ntext\n");
  test::write_file(dir.path() / "content" / "über.md", "---\ntitle: U2\ntags: [ärger]\n---\n# U2\n\ntext\n");
  auto build = test::run_opsbook({"build"}, dir.path().string());
  INFO(build.err);
  CHECK(build.exit_code == 1);
  CHECK(build.err.find("content/über.md: error[page-collision]: this runbook and content/Über.md both become the page 'über'; only content/Über.md is built\n") !=
        std::string::npos);
  CHECK(test::read_file((dir.path() / "site" / "runbooks" / "über.html").string()).find("<h1 id=\"u1\">U1<") != std::string::npos);
  CHECK_FALSE(fs::exists(dir.path() / "site" / "runbooks" / "Über.html"));
  std::vector<std::string> tag_pages;
  for (const auto& e : fs::directory_iterator(dir.path() / "site" / "tags")) tag_pages.push_back(e.path().filename().string());
  std::sort(tag_pages.begin(), tag_pages.end());
  CHECK(tag_pages == std::vector<std::string>{"index.html", "ärger.html"});
}
