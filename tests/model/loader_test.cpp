// Loading folders: broken files are reported and the others still parse; the real corpus.
#include <algorithm>
#include <catch2/catch.hpp>
#include <filesystem>
#include <map>

#include <sys/stat.h>
#include <unistd.h>

#include "model/loader.hpp"
#include "support.hpp"

using namespace opsbook;
namespace fs = std::filesystem;

TEST_CASE("a folder with broken and unreadable files: every other file is parsed", "[model][loader][errors]") {
  test::TempDir dir;
  const fs::path& d = dir.path();
  test::write_file(d / "good.md", "# Good\n\n```bash\ncurl http://localhost/healthz\n```\n");
  test::write_file(d / "sub/also-good.md", "# Also good\n");
  test::write_file(d / "yaml.md", "---\ntitle: [\n---\n# Y\n");
  test::write_file(d / "fence.md", "# F\n\n```\nnever closed\n");
  test::write_file(d / "empty.md", "");
  test::write_file(d / "binary.md", std::string("\0\1\2", 3));
  test::write_file(d / ".hidden/skip.md", "# hidden\n");
  test::write_file(d / "notes.txt", "not markdown");
  fs::create_symlink(d / "missing-target.md", d / "dangling.md");
  fs::create_directories(d / "locked");
  test::write_file(d / "locked/secret.md", "# locked\n");
  fs::permissions(d / "locked", fs::perms::none);

  model::Diagnostics top;
  auto files = model::collect_sources({d.string()}, top);
  auto runbooks = model::load_runbooks(files, {});
  std::map<std::string, const model::Runbook*> by_slug;
  for (const auto& rb : runbooks) by_slug[rb.slug] = &rb;

  CHECK(by_slug.count("good"));
  CHECK(by_slug.count("sub/also-good"));
  CHECK_FALSE(by_slug.count(".hidden/skip"));
  CHECK(by_slug.at("good")->endpoints.size() == 1);
  CHECK(by_slug.at("yaml")->diagnostics.items().at(0).rule == "front-matter");
  CHECK(by_slug.at("fence")->diagnostics.items().at(0).rule == "unclosed-fence");
  CHECK(by_slug.at("empty")->diagnostics.items().at(0).rule == "empty");
  CHECK(by_slug.at("binary")->diagnostics.items().at(0).rule == "binary");
  CHECK_FALSE(by_slug.count("dangling"));  // reported once, below, not parsed
  CHECK(std::any_of(top.items().begin(), top.items().end(), [](const auto& x) {
    return x.file.ends_with("dangling.md") && x.message == "not a regular file (a pipe, socket, device or broken link): not read";
  }));
  // Root can read a mode-000 folder; anyone else gets a diagnostic naming it.
  if (::geteuid() != 0) {
    CHECK(std::any_of(top.items().begin(), top.items().end(), [](const auto& x) { return x.file.find("locked") != std::string::npos; }));
  }
  fs::permissions(d / "locked", fs::perms::owner_all);
}

TEST_CASE("a missing path is an error diagnostic", "[model][loader][errors]") {
  model::Diagnostics top;
  auto files = model::collect_sources({"/nonexistent/opsbook"}, top);
  CHECK(files.empty());
  REQUIRE(top.items().size() == 1);
  CHECK(top.items()[0].message == "no such file or directory");
}

TEST_CASE("the real corpus parses: the only errors are its four unclosed fences", "[model][loader][corpus]") {
  model::Diagnostics top;
  auto files = model::collect_sources({test::shared_dir() + "/corpus/gitlab"}, top);
  REQUIRE(files.size() > 400);
  auto runbooks = model::load_runbooks(files, {});
  std::vector<std::string> errors;
  size_t snippets = 0;
  size_t checklists = 0;
  for (const auto& rb : runbooks) {
    snippets += rb.snippets.size();
    checklists += rb.checklists.size();
    for (const auto& d : rb.diagnostics.items()) {
      if (d.severity == model::Severity::error) errors.push_back(rb.slug + ":" + std::to_string(d.loc.line) + ":" + d.rule);
    }
  }
  std::sort(errors.begin(), errors.end());
  CHECK(errors == std::vector<std::string>{
                      "docs/patroni/performance-degradation-troubleshooting:172:unclosed-fence",
                      "docs/patroni/pg-ha:85:unclosed-fence",
                      "docs/patroni/pg_minor_upgrade:56:unclosed-fence",
                      "docs/pgbouncer/pgbouncer-connections:106:unclosed-fence",
                  });
  CHECK(snippets > 1000);
  CHECK(checklists > 100);
}

TEST_CASE("parallel parsing gives the same model as serial parsing (autolinks, strikethrough)", "[model][loader]") {
  test::TempDir dir;
  std::string doc;
  for (int i = 0; i < 200; ++i) doc += "Visit https://example.invalid/" + std::to_string(i) + " or www.example.invalid, ~~old~~ new.\n\n";
  for (int f = 0; f < 64; ++f) test::write_file(dir.path() / ("r" + std::to_string(f) + ".md"), "# R\n\n" + doc);
  model::Diagnostics top;
  auto files = model::collect_sources({dir.path().string()}, top);
  model::LoadOptions options;
  options.jobs = 4;
  options.html = true;
  for (int round = 0; round < 3; ++round) {
    for (const auto& rb : model::load_runbooks(files, options)) {
      REQUIRE(rb.links.size() == 400);
      REQUIRE(rb.html.find("<del>old</del>") != std::string::npos);
    }
  }
}

TEST_CASE("a page name can never leave the output folder", "[model][loader]") {
  for (const char* hostile : {"../../etc/passwd.md", "..md", "a/../../b.md", "..\\..\\x.md", ".md", "/abs/path.md", "a//./b.md", "~/x.md", "a\n/b.md"}) {
    std::string slug = model::path_slug(hostile);
    INFO(hostile << " -> " << slug);
    CHECK_FALSE(slug.empty());
    CHECK(slug.front() != '/');
    CHECK(slug.find("..") == std::string::npos);
    CHECK(slug.find('\\') == std::string::npos);
    CHECK(slug.find("//") == std::string::npos);
    CHECK(std::filesystem::path("site/runbooks/" + slug + ".html").lexically_normal().string().starts_with("site/runbooks/"));
  }
}

TEST_CASE("files that would be one page: the later one is dropped with an error naming both", "[model][loader]") {
  std::vector<model::SourceFile> files = {{"c/Deploy Guide.md", "deploy-guide"}, {"c/deploy-guide.md", "deploy-guide"}, {"c/x.md", "x"}};
  model::Diagnostics diagnostics;
  model::drop_slug_collisions(files, diagnostics);
  REQUIRE(files.size() == 2);
  CHECK(files[0].path == "c/Deploy Guide.md");
  CHECK(files[1].path == "c/x.md");
  REQUIRE(diagnostics.items().size() == 1);
  CHECK(model::render(diagnostics.items()[0], "") ==
        "c/deploy-guide.md: error[page-collision]: this runbook and c/Deploy Guide.md both become the page 'deploy-guide'; only c/Deploy Guide.md is built\n"
        "  hint: rename one of the two files (page names ignore case, spaces and punctuation)\n");
}

TEST_CASE("hostile folder entries: a FIFO is not opened, a link out of the folder is not published, a long name gets a short page name", "[model][loader][errors]") {
  test::TempDir dir, outside;
  const fs::path& d = dir.path();
  test::write_file(d / "good.md", "# Good\n");
  test::write_file(outside.path() / "secret.md", "root:x:0:0\n");
  fs::create_symlink(outside.path() / "secret.md", d / "leak.md");
  fs::create_symlink(d / "good.md", d / "alias.md");  // inside: fine
  REQUIRE(::mkfifo((d / "pipe.md").c_str(), 0600) == 0);
  std::string long_name(251, 'b');
  test::write_file(d / (long_name + ".md"), "# Long\n");
  model::Diagnostics top;
  auto files = model::collect_sources({d.string()}, top);  // would block forever on the FIFO
  std::vector<std::string> slugs;
  for (const auto& f : files) slugs.push_back(f.slug);
  std::sort(slugs.begin(), slugs.end());
  REQUIRE(slugs.size() == 3);
  CHECK(slugs[0] == "alias");
  CHECK(slugs[1].size() == 120);
  CHECK(slugs[1].starts_with(std::string(103, 'b') + "-"));
  CHECK(slugs[2] == "good");
  std::vector<std::string> messages;
  for (const auto& x : top.items()) messages.push_back(fs::path(x.file).filename().string() + ": " + x.message);
  std::sort(messages.begin(), messages.end());
  CHECK(messages == std::vector<std::string>{"leak.md: links to a file outside the content folder or into a hidden folder of it (.git): not read, so its text is never published",
                                             "pipe.md: not a regular file (a pipe, socket, device or broken link): not read"});
  model::Diagnostics single;
  CHECK(model::collect_sources({(d / "pipe.md").string()}, single).empty());
  CHECK(single.items().at(0).message == "not a regular file (a pipe, socket or device): not read");
}

// s11b review B2: with the checkout as the content folder (`content: .`, or a committed link
// content -> .), a link `leak.md -> .git/config` is inside the folder but in a hidden folder the
// walk never enters: its text (CI's token) was published.
TEST_CASE("a link into a hidden folder of the content folder is not read (s11b B2)", "[model][loader][hostile]") {
  test::TempDir dir;
  const fs::path& d = dir.path();
  test::write_file(d / ".git" / "config", "[http]\n\textraheader = AUTHORIZATION: basic c2VjcmV0\n");
  test::write_file(d / "notes" / ".hidden.md", "# Hidden\n");
  test::write_file(d / "good.md", "# Good\n");
  fs::create_symlink(".git/config", d / "leak.md");
  fs::create_symlink("notes/.hidden.md", d / "peek.md");
  fs::create_symlink("good.md", d / "alias.md");
  model::Diagnostics top;
  auto files = model::collect_sources({d.string()}, top);
  std::vector<std::string> read;
  for (const auto& f : files) read.push_back(fs::path(f.path).filename().string());
  CHECK(read == std::vector<std::string>{"alias.md", "good.md"});
  REQUIRE(top.items().size() == 2);
  for (const auto& x : top.items()) CHECK(x.rule == "io");
}
