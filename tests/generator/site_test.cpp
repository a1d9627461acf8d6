// The portal build: safe HTML, atomic output, incremental builds equal to full builds, hostile caches refused.
#include <catch2/catch.hpp>
#include <chrono>
#include <filesystem>
#include <map>

#include <csignal>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "generator/cache_io.hpp"
#include "generator/output_dir.hpp"
#include "generator/search_index.hpp"
#include "generator/site.hpp"
#include "model/check_digest.hpp"
#include "model/error.hpp"
#include "model/html_body.hpp"
#include "model/loader.hpp"
#include "model/parser.hpp"
#include "support.hpp"

using namespace opsbook;
namespace fs = std::filesystem;

namespace {

generator::BuildStats build(const fs::path& content, const fs::path& out, bool incremental = true, std::string* rendered = nullptr) {
  model::Config config;
  model::Diagnostics top;
  auto files = model::collect_sources({content.string()}, top);
  generator::BuildOptions options;
  options.output = out.string();
  options.incremental = incremental;
  std::string diagnostics;
  generator::BuildStats stats = generator::build_site(config, files, options, diagnostics);
  if (rendered) *rendered = diagnostics;
  return stats;
}

// Replaces `from` by `to` (the same length) in the payload of the sealed cache `file`, and seals it.
void reseal_replacing(const fs::path& file, const std::string& from, const std::string& to) {
  REQUIRE(from.size() == to.size());
  std::string bytes = test::read_file(file.string());
  std::string why;
  std::string kind = file.filename().string();
  auto payload = generator::unseal_cache(bytes, kind, why);
  REQUIRE(payload);
  std::string edited(*payload);
  size_t at = edited.rfind(from);
  REQUIRE(at != std::string::npos);
  edited.replace(at, from.size(), to);
  generator::seal_cache(edited, kind);
  test::write_file(file, edited);
}

}  // namespace

TEST_CASE("URL filter keeps http(s), mailto and relative links only", "[generator][html]") {
  for (const char* ok : {"https://x.invalid/a", "http://x", "mailto:a@b.c", "other.md#x", "#anchor", "../a/b.html", "/abs"}) {
    INFO(ok);
    CHECK(model::is_safe_url(ok));
  }
  for (const char* bad : {"javascript:alert(1)", "JAVASCRIPT:x", " java\tscript:x", "data:text/html,x", "vbscript:x", "file:///etc/passwd"}) {
    INFO(bad);
    CHECK_FALSE(model::is_safe_url(bad));
  }
}

TEST_CASE("rendered bodies escape raw HTML and neutralise unsafe links", "[generator][html]") {
  model::ParseOptions options;
  options.html = true;
  auto rb = model::parse_runbook("x.md", "x",
                                 "# T <b>ok</b>\n\n<script>alert(1)</script>\n\n<!-- lint:off -->\n\n"
                                 "[a](javascript:alert(2)) [b](other.md#sec) <img src=x onerror=alert(3)> <kbd>K</kbd>\n\n"
                                 "```bash {name=n1}\necho '</code><script>'\n```\n",
                                 options);
  CHECK(rb.html.find("<script>") == std::string::npos);
  CHECK(rb.html.find("&lt;script&gt;alert(1)&lt;/script&gt;") != std::string::npos);
  CHECK(rb.html.find("lint:off") == std::string::npos);
  CHECK(rb.html.find("href=\"#unsafe-link-removed\"") != std::string::npos);
  CHECK(rb.html.find("href=\"other.html#sec\"") != std::string::npos);
  CHECK(rb.html.find("&lt;img src=x onerror=alert(3)&gt;") != std::string::npos);
  CHECK(rb.html.find("<kbd>K</kbd>") != std::string::npos);
  CHECK(rb.html.find("<h1 id=\"t-ok\">T <b>ok</b><a class=\"anchor\" href=\"#t-ok\"") != std::string::npos);
  CHECK(rb.html.find("id=\"snippet-n1\"") != std::string::npos);
  CHECK(rb.html.find("echo &#39;&lt;/code&gt;&lt;script&gt;&#39;") != std::string::npos);
}

TEST_CASE("search tokens and shard file names match search.js", "[generator][search]") {
  CHECK(generator::search_tokens("Restart the API-Gateway x2 a") == std::vector<std::string>{"restart", "the", "api", "gateway", "x2"});
  CHECK(generator::shard_file("he") == "search/s-he.js");
  CHECK(generator::shard_file("\xC3\xA9t") == "search/s-_C3_A9t.js");
}

TEST_CASE("search index: every term is reachable from the manifest's shards", "[generator][search]") {
  std::vector<generator::SearchDoc> docs;
  for (int i = 0; i < 300; ++i) {
    model::Runbook rb;
    rb.title = "Runbook " + std::to_string(i);
    rb.text = "health check restart worker healthz health" + std::to_string(i % 7) + " term" + std::to_string(i);
    docs.push_back(generator::make_search_doc(rb, "runbooks/r" + std::to_string(i) + ".html"));
  }
  auto out = generator::build_search_index(docs, 2);
  std::map<std::string, std::string> files(out.files.begin(), out.files.end());
  REQUIRE(files.count("search/manifest.js"));
  // Fragments come k_fragments_per_file pages to a file, one line each.
  REQUIRE(files.count(generator::search_fragment_file(299)));
  CHECK(generator::search_fragment_file(299) == "search/docs/" + std::to_string(299 / generator::k_fragments_per_file) + ".js");
  CHECK(files.at("search/docs/0.js").rfind("OpsbookSearch.doc(0,{\"t\":\"Runbook 0\"", 0) == 0);
  CHECK(files.at("search/docs/0.js").find("\nOpsbookSearch.doc(1,{\"t\":\"Runbook 1\"") != std::string::npos);
  CHECK(files.at("search/manifest.js").find("\"per\":" + std::to_string(generator::k_fragments_per_file)) != std::string::npos);
  CHECK(generator::renumber_fragment(files.at("search/docs/0.js"), 1, 7).rfind("OpsbookSearch.doc(7,{\"t\":\"Runbook 1\"", 0) == 0);
  CHECK(generator::renumber_fragment(files.at("search/docs/0.js"), 9, 7).empty());
  // "health" is in every doc: its postings are capped, its df is not.
  bool found = false;
  for (const auto& [name, js] : files) {
    if (js.find("\"health\":[300,") != std::string::npos) found = true;
  }
  CHECK(found);
}

TEST_CASE("a failed build leaves the previous site untouched", "[generator][atomic]") {
  test::TempDir dir;
  fs::path site = dir.path() / "site";
  test::write_file(site / "index.html", "old site");
  test::write_file(site / ".opsbook-cache", "");  // a site opsbook built (damaged cache: a full build replaces it)
  {
    generator::StagingDir staging(site.string());
    staging.write("index.html", "new site");
    // No commit: the build failed before the end.
  }
  CHECK(test::read_file((site / "index.html").string()) == "old site");
  CHECK(std::distance(fs::directory_iterator(dir.path()), fs::directory_iterator()) == 1);  // no staging left behind

  // A template error stops the build before the swap.
  test::write_file(dir.path() / "content/a.md", "# A\n");
  test::write_file(dir.path() / "tpl/layout.mustache", "{{#unclosed}}");
  model::Config config;
  config.templates = (dir.path() / "tpl").string();
  model::Diagnostics top;
  auto files = model::collect_sources({(dir.path() / "content").string()}, top);
  generator::BuildOptions options;
  options.output = site.string();
  std::string diags;
  CHECK_THROWS_AS(generator::build_site(config, files, options, diags), Error);
  CHECK(test::read_file((site / "index.html").string()) == "old site");
}

TEST_CASE("a killed build leaves the previous site untouched", "[generator][atomic]") {
  test::TempDir dir;
  fs::path content = dir.path() / "content";
  for (int i = 0; i < 400; ++i) test::write_file(content / ("r" + std::to_string(i) + ".md"), "# R" + std::to_string(i) + "\n\ntext\n");
  fs::path site = dir.path() / "site";
  test::write_file(site / "index.html", "old site");
  test::write_file(site / ".opsbook-cache", "");  // a site opsbook built (damaged cache: a full build replaces it)
  pid_t pid = ::fork();
  REQUIRE(pid >= 0);
  if (pid == 0) {
    build(content, site, false);
    ::_exit(0);
  }
  ::usleep(20000);
  ::kill(pid, SIGKILL);
  int status = 0;
  ::waitpid(pid, &status, 0);
  std::string index = test::read_file((site / "index.html").string());
  // Either the kill came first (old site) or the build finished (a complete new site).
  if (index != "old site") CHECK(fs::exists(site / "search/manifest.js"));
}

TEST_CASE("incremental rebuild renders only the changed runbook and equals a full build", "[generator][incremental]") {
  test::TempDir dir;
  fs::path content = dir.path() / "content";
  fs::create_directories(content);
  for (const auto& e : fs::directory_iterator(test::samples_dir())) fs::copy_file(e.path(), content / e.path().filename());
  test::write_file(content / "extra/notes.md", "---\ntags: [db]\n---\n# Notes\n\n- [ ] first\n");
  fs::path site = dir.path() / "site";
  auto first = build(content, site);
  CHECK(first.parsed == 4);
  auto again = build(content, site);
  CHECK(again.parsed == 0);
  CHECK(again.reused == 4);
  test::write_file(content / "extra/notes.md", "---\ntags: [db, cache]\n---\n# Notes, changed\n\n- [x] first\n- [ ] second\n");
  auto changed = build(content, site);
  CHECK(changed.parsed == 1);
  fs::path full = dir.path() / "full";
  build(content, full, false);
  CHECK(test::site_files(site) == test::site_files(full));
  CHECK(test::site_files(site).count("tags/cache.html"));

  // A new runbook that sorts first shifts every page's place in the search index: the kept pages'
  // fragments are renumbered, not re-rendered, and the site still equals a full build.
  test::write_file(content / "0-first.md", "# First\n\nRestart the frobnicator.\n");
  auto added = build(content, site);
  CHECK(added.parsed == 1);
  fs::remove_all(full);
  build(content, full, false);
  CHECK(test::site_files(site) == test::site_files(full));
  CHECK(test::read_file((site / "search/docs/0.js").string()).find("\nOpsbookSearch.doc(1,") != std::string::npos);
  // ... and removing it again.
  fs::remove(content / "0-first.md");
  auto removed = build(content, site);
  CHECK(removed.parsed == 0);
  fs::remove_all(full);
  build(content, full, false);
  CHECK(test::site_files(site) == test::site_files(full));
}

TEST_CASE("a rebuild with nothing changed stops early and still reports every runbook's problems", "[generator][incremental]") {
  test::TempDir dir;
  fs::path content = dir.path() / "content";
  test::write_file(content / "bad.md", "# Bad\n\n```bash\necho never closed\n");
  test::write_file(content / "good.md", "# Good\n");
  model::Config config;
  model::Diagnostics top;
  auto files = model::collect_sources({content.string()}, top);
  generator::BuildOptions options;
  options.output = (dir.path() / "site").string();
  std::string first, second, third;
  auto a = generator::build_site(config, files, options, first);
  auto b = generator::build_site(config, files, options, second);
  CHECK(a.errors == 1);
  CHECK(b.errors == 1);
  CHECK(b.parsed == 0);
  CHECK(b.written == 0);
  CHECK(b.files == a.files);
  CHECK(second == first);
  CHECK(second.find("bad.md:3:1: error[unclosed-fence]") != std::string::npos);
  // Touched (new mtime, same bytes): still nothing to render.
  fs::last_write_time(content / "good.md", fs::last_write_time(content / "good.md") + std::chrono::seconds(5));
  auto c = generator::build_site(config, files, options, third);
  CHECK(c.parsed == 0);
  CHECK(c.written == 0);
  CHECK(third == first);
}

TEST_CASE("badges come from the check report: a broken runbook's page shows its problems", "[generator][report]") {
  test::TempDir dir;
  fs::path content = dir.path() / "content";
  test::write_file(content / "good.md", "# Good\n\n```bash {name=health}\ncurl -fsS http://127.0.0.1:8080/healthz\n```\n");
  test::write_file(content / "bad.md", "# Bad\n\n```bash\necho never closed\n");
  test::write_file(content / "other.md", "# Other\n\n```bash\nnc -z 127.0.0.1 9\n```\n");
  std::string good = (content / "good.md").string();
  std::string other = (content / "other.md").string();
  // Each result carries the digest of the text it checked (model/check_digest).
  auto digest = [](const fs::path& file) {
    model::Runbook rb = test::parse(test::read_file(file.string()));
    return "\"digest\":\"" + model::check_digest(rb.snippets.at(0)) + "\"";
  };
  std::string d_good = digest(content / "good.md"), d_other = digest(content / "other.md");
  test::write_file(dir.path() / "report.json",
                   "{\"version\":1,\"env\":\"local\",\"generated_at\":\"2026-11-23T12:00:00Z\",\"live\":true,\"findings\":[],"
                   "\"results\":[{\"file\":\"" + good + "\",\"line\":4,\"snippet\":\"health\",\"outcome\":\"pass\"," + d_good + "},"
                   "{\"file\":\"" + good + "\",\"line\":4,\"outcome\":\"skipped\"," + d_good + "},{\"file\":\"" + good + "\",\"line\":4,\"outcome\":\"refused\"," + d_good + "},"
                   "{\"file\":\"" + other + "\",\"line\":4,\"outcome\":\"fail\"," + d_other + "}]}");
  model::Config config;
  model::Diagnostics top;
  auto files = model::collect_sources({content.string()}, top);
  generator::BuildOptions options;
  options.output = (dir.path() / "site").string();
  options.report = (dir.path() / "report.json").string();
  std::string diags;
  auto stats = generator::build_site(config, files, options, diags);
  CHECK(stats.errors == 1);
  CHECK(diags.find("bad.md:3:1: error[unclosed-fence]") != std::string::npos);
  std::string good_page = test::read_file(options.output + "/runbooks/good.html");
  CHECK(good_page.find("verified live on local at 2026-11-23T12:00:00Z") != std::string::npos);
  CHECK(good_page.find("<span class=\"badge status-verified\">verified</span>") != std::string::npos);
  CHECK(good_page.find("status-failing") == std::string::npos);  // skipped and refused checks are not failures
  CHECK(test::read_file(options.output + "/runbooks/other.html").find("status-failing") != std::string::npos);
  std::string bad_page = test::read_file(options.output + "/runbooks/bad.html");
  CHECK(bad_page.find("Problems found in this file") != std::string::npos);
  CHECK(bad_page.find("error[unclosed-fence]: code fence opened here is never closed") != std::string::npos);
  // A report that is not one is a clear error, and the build does not start.
  test::write_file(dir.path() / "junk.json", "[1,2]");
  options.report = (dir.path() / "junk.json").string();
  CHECK_THROWS_WITH(generator::build_site(config, files, options, diags), Catch::Contains("not an opsbook check report"));
}

TEST_CASE("only relative paths without . or .. parts are site paths", "[generator][cache]") {
  for (std::string bad : std::initializer_list<std::string>{"", "/etc/passwd", "..", "../x", "a/../b", "search/../../x", "a//b", "./a", "a/.", "a/", std::string("a\0b", 3)}) {
    INFO(bad);
    CHECK_FALSE(generator::is_site_path(bad));
  }
  for (std::string good : std::initializer_list<std::string>{"index.html", "search/docs/0.js", ".opsbook-cache", "a..b/c.html", "runbooks/x/y.html"}) {
    INFO(good);
    CHECK(generator::is_site_path(good));
  }
}

TEST_CASE("a sealed cache listing a file outside the site is refused, and nothing outside is touched", "[generator][cache]") {
  test::TempDir dir;
  test::write_file(dir.path() / "content/a.md", "# A\n\nRestart the worker.\n");
  test::write_file(dir.path() / "content/b.md", "# B\n\nCheck the disk.\n");
  build(dir.path() / "content", dir.path() / "site", false);
  // The record of search/manifest.js now names a file two folders above search/ (kept with the
  // rest of search/ when the index does not change).
  reseal_replacing(dir.path() / "site/.opsbook-cache", "search/manifest.js", "search/../../evil1");
  test::write_file(dir.path() / "content/b.md", "# B\n\nCheck the disk.\n\n");  // same words: search/ would be kept
  test::write_file(dir.path() / "evil1", "outside");
  std::string diagnostics;
  build(dir.path() / "content", dir.path() / "site", true, &diagnostics);
  CHECK(diagnostics == "opsbook: note: .opsbook-cache lists a file that is not below the site; doing a full build\n");
  CHECK(test::read_file((dir.path() / "evil1").string()) == "outside");
  CHECK(fs::exists(dir.path() / "site/search/manifest.js"));
  build(dir.path() / "content", dir.path() / "reference", false);
  CHECK(test::read_file((dir.path() / "site/index.html").string()) == test::read_file((dir.path() / "reference/index.html").string()));
}

TEST_CASE("a folder of the site replaced by a symlink never brings a file from outside into the site (final review B6)", "[generator][cache]") {
  // search/ is moved out of the site (same inodes and mtimes: every stamp the cache records still
  // holds) and a symlink to it is left in its place; then one of its files is rewritten outside at
  // the same size with its mtime put back. Before, the next build hard-linked that file into the site.
  for (bool edited : {true, false}) {
    INFO((edited ? "a runbook edited" : "nothing changed"));
    test::TempDir dir;
    fs::path content = dir.path() / "content", site = dir.path() / "site", outside = dir.path() / "outside";
    test::write_file(content / "a.md", "# A\n\nRestart the worker.\n");
    test::write_file(content / "b.md", "# B\n\nCheck the disk.\n");
    build(content, site, false);
    fs::rename(site / "search", outside);
    fs::create_symlink(outside, site / "search");
    fs::path planted = outside / "manifest.js";
    struct stat before {};
    REQUIRE(::stat(planted.c_str(), &before) == 0);
    std::string evil = test::read_file(planted.string());
    evil.replace(0, 8, "/*evil*/");
    test::write_file(planted, evil);
    struct timespec times[2] = {before.st_atim, before.st_mtim};
    REQUIRE(::utimensat(AT_FDCWD, planted.c_str(), times, 0) == 0);
    if (edited) test::write_file(content / "b.md", "# B\n\nCheck the disk.\n\n");  // same words: search/ would be kept
    build(content, site);
    build(content, dir.path() / "reference", false);
    CHECK_FALSE(fs::is_symlink(site / "search"));
    CHECK(test::site_files(site) == test::site_files(dir.path() / "reference"));
    CHECK(test::read_file(planted.string()) == evil);
    CHECK(fs::hard_link_count(planted) == 1);
  }
}

TEST_CASE("files put into the site are removed by the next build, also one where nothing changed (final review B7)", "[generator][incremental]") {
  test::TempDir dir;
  fs::path content = dir.path() / "content", site = dir.path() / "site";
  test::write_file(content / "a.md", "# A\n\nRestart the worker.\n");
  test::write_file(content / "b.md", "# B\n\nCheck the disk.\n");
  build(content, site, false);
  build(content, dir.path() / "reference", false);
  test::write_file(site / "stray.html", "<script>alert(1)</script>");
  test::write_file(site / "search/stray.js", "alert(2)");
  fs::create_directories(site / "stray-folder");
  auto cleaned = build(content, site);
  CHECK(cleaned.parsed == 0);
  CHECK_FALSE(fs::exists(site / "stray.html"));
  CHECK_FALSE(fs::exists(site / "search/stray.js"));
  CHECK_FALSE(fs::exists(site / "stray-folder"));
  CHECK(test::site_files(site) == test::site_files(dir.path() / "reference"));
  auto again = build(content, site);  // up to date again: nothing written
  CHECK(again.parsed == 0);
  CHECK(again.written == 0);
}

TEST_CASE("an output folder that is a symlink is refused by incremental builds as by full ones (s6 review M1)", "[generator][cache][hostile]") {
  // The incremental build used to swap its new tree in place of the link: the link became a
  // folder and the folder it pointed to kept the old site.
  test::TempDir dir;
  fs::path content = dir.path() / "content", real = dir.path() / "real", link = dir.path() / "link";
  test::write_file(content / "a.md", "# A\n\nRestart the worker.\n");
  build(content, real, false);
  fs::create_symlink(real, link);
  std::map<std::string, std::string> before = test::site_files(real);
  test::write_file(content / "a.md", "# A\n\nRestart the scheduler.\n");
  std::string expected = link.string() + ": is a symlink; opsbook replaces its output folder as a whole, and would replace the link with a folder: give the folder it points to (-o " +
                         fs::canonical(real).string() + ")";
  for (bool incremental : {true, false}) {
    INFO((incremental ? "incremental" : "full"));
    try {
      build(content, link, incremental);
      FAIL("the build went on");
    } catch (const Error& e) {
      CHECK(std::string(e.what()) == expected);
    }
    CHECK(fs::is_symlink(link));
    CHECK(test::site_files(real) == before);
  }
  build(content, real);
  CHECK(test::read_file((real / "runbooks/a.html").string()).find("scheduler") != std::string::npos);
}
