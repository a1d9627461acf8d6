// Files of the checkout opsbook reads besides runbooks. The files drift checks read (compose_file, env_example, a committed .env.example or
// docker-compose.yml) come from the pull request: committed as links to /proc/self/environ or
// .git/config they put CI's secrets into the report; as /dev/zero or a FIFO they stalled or
// exhausted opsbook (s11b review B1). Only a regular file of the checkout, outside its hidden
// folders, of at most 1 MiB is read; anything else is an `io` error naming the file and the way.
#include <catch2/catch.hpp>

#include <sys/stat.h>

#include <filesystem>

#include "support.hpp"

using namespace opsbook;
namespace fs = std::filesystem;

namespace {

const char* k_runbook = "# R\n\n```bash\nuptime\n```\n";

test::RunResult check(const fs::path& dir) {
  test::Limits limits;
  limits.seconds = 20;
  limits.address_space = size_t{2} << 30;
  auto r = test::run_opsbook({"check", "--no-shell", "content"}, dir.string(), limits);
  CHECK_FALSE(r.timed_out);
  return r;
}

}  // namespace

TEST_CASE("drift sources: a committed link to /proc/self/environ or into .git is not read, and no secret reaches the report (s11b B1)", "[cli][check][hostile]") {
  test::TempDir dir;
  const fs::path& d = dir.path();
  fs::create_directories(d / ".git");
  test::write_file(d / ".git" / "config", "[http]\n\textraheader = AUTHORIZATION: basic c2VjcmV0LXRva2VuLXZhbHVl\n");
  test::write_file(d / "content" / "r.md", k_runbook);
  fs::create_symlink("/proc/self/environ", d / ".env.example");
  ::setenv("OPSBOOK_TEST_DRIFT_SECRET", "hunter2-canary", 1);
  auto r = check(d);
  ::unsetenv("OPSBOOK_TEST_DRIFT_SECRET");
  INFO(r.out << r.err);
  CHECK(r.exit_code == 1);
  CHECK((r.out + r.err).find("hunter2-canary") == std::string::npos);
  CHECK(r.out.rfind(".env.example: error[io]: not read: it is /proc/", 0) == 0);
  CHECK(r.out.find("/environ, outside the checkout " + fs::canonical(d).string() + "\n") != std::string::npos);

  fs::remove(d / ".env.example");
  test::write_file(d / "opsbook.yaml", "env_example: .git/config\n");
  r = check(d);
  INFO(r.out << r.err);
  CHECK(r.exit_code == 1);
  CHECK((r.out + r.err).find("c2VjcmV0") == std::string::npos);
  CHECK(r.out.find(".git/config: error[io]: not read: it is " + fs::canonical(d).string() + "/.git/config, in the hidden folder .git of the checkout\n"
                   "  hint: opsbook reads a regular file of the checkout, outside its hidden folders, of at most 1 MiB: set env_example in opsbook.yaml "
                   "to one (or remove the link)\n") != std::string::npos);
}

TEST_CASE("drift sources: /dev/zero, a FIFO and a 2 MiB file neither stall nor exhaust opsbook (s11b B1)", "[cli][check][hostile]") {
  test::TempDir dir;
  const fs::path& d = dir.path();
  fs::create_directories(d / ".git");
  test::write_file(d / "content" / "r.md", k_runbook);
  fs::create_symlink("/dev/zero", d / "docker-compose.yml");
  auto r = check(d);
  INFO(r.out << r.err);
  CHECK(r.exit_code == 1);
  CHECK(r.out.find("docker-compose.yml: error[io]: not read: it is /dev/zero, outside the checkout") != std::string::npos);

  fs::remove(d / "docker-compose.yml");
  REQUIRE(::mkfifo((d / "docker-compose.yml").c_str(), 0600) == 0);
  r = check(d);
  INFO(r.out << r.err);
  CHECK(r.exit_code == 1);
  CHECK(r.out.find("docker-compose.yml: error[io]: not read: it is not a regular file\n") != std::string::npos);

  fs::remove(d / "docker-compose.yml");
  test::write_file(d / "docker-compose.yml", "services:\n  web:\n    image: x\n" + std::string(size_t{2} << 20, '#') + "\n");
  r = check(d);
  INFO(r.out << r.err);
  CHECK(r.exit_code == 1);
  CHECK(r.out.find("docker-compose.yml: error[io]: not read: it holds 2097183 bytes, more than the limit of 1048576\n") != std::string::npos);
}

TEST_CASE("drift sources: an unused variable of the env example is shown without its value (s11b B1)", "[cli][check][hostile]") {
  test::TempDir dir;
  const fs::path& d = dir.path();
  test::write_file(d / "content" / "r.md", k_runbook);
  test::write_file(d / ".env.example", "API_TOKEN=ghp_0123456789abcdefghijklmnopqrstuvwxyzAB\n");
  auto r = check(d);
  INFO(r.out << r.err);
  CHECK(r.out.find("ghp_0123") == std::string::npos);
  CHECK(r.out.find(" 1 | API_TOKEN=...\n") != std::string::npos);
}

// The same rule for the templates folder opsbook.yaml names: a committed link
// templates/layout.mustache -> .git/config would put CI's token on every page.
TEST_CASE("templates: a link into .git or out of the checkout, or a folder outside it, fails the build and publishes nothing (s11b B1)", "[cli][build][hostile]") {
  test::TempDir dir;
  const fs::path& d = dir.path();
  fs::create_directories(d / ".git");
  test::write_file(d / ".git" / "config", "[http]\n\textraheader = AUTHORIZATION: basic c2VjcmV0LXRva2VuLXZhbHVl\n");
  test::write_file(d / "content" / "r.md", k_runbook);
  fs::create_directories(d / "templates");
  fs::create_symlink("../.git/config", d / "templates" / "layout.mustache");
  test::write_file(d / "opsbook.yaml", "templates: templates\n");
  auto build = test::run_opsbook({"build"}, d.string());
  INFO(build.out << build.err);
  CHECK(build.exit_code != 0);
  CHECK(build.err.find("templates/layout.mustache: template not read: it is " + fs::canonical(d).string() +
                       "/.git/config, in the hidden folder .git of the checkout; templates are regular files of the checkout, at most 1 MiB") != std::string::npos);
  CHECK_FALSE(fs::exists(d / "site"));

  test::write_file(d / "opsbook.yaml", "templates: /usr/share\n");
  build = test::run_opsbook({"build"}, d.string());
  INFO(build.out << build.err);
  CHECK(build.exit_code != 0);
  CHECK(build.err.find("/usr/share: templates folder is /usr/share, outside the checkout " + fs::canonical(d).string() + ": name a folder of the checkout in templates:") !=
        std::string::npos);
}

// s11d review B2, B3: a pull request's template nested 20,000 sections deep crashed the build
// (the parser's recursion), and six sections over 50 tags asked for 50^6 lines of a page.
TEST_CASE("templates: deep nesting and output that multiplies fail the build with the template's name, and the site stays (s11d B2, B3)", "[cli][build][hostile]") {
  test::TempDir dir;
  const fs::path& d = dir.path();
  std::string tags;
  for (int i = 0; i < 50; ++i) tags += (i ? ", t" : "t") + std::to_string(i);
  test::write_file(d / "content" / "r.md", "---\ntags: [" + tags + "]\n---\n# R\n\ntext\n");
  REQUIRE(test::run_opsbook({"build"}, d.string()).exit_code == 0);
  std::string before = test::read_file(d / "site" / "runbooks" / "r.html");
  test::write_file(d / "opsbook.yaml", "templates: tpl\n");
  test::Limits limits;
  limits.seconds = 30;
  limits.address_space = size_t{2} << 30;
  struct Case {
    std::string text, message;
  };
  std::string deep, wide = std::string(6 * 9, ' ');
  for (int i = 0; i < 20000; ++i) deep += "{{#title}}";
  for (int i = 0; i < 20000; ++i) deep += "{{/title}}";
  wide = "{{#tags}}{{#tags}}{{#tags}}{{#tags}}{{#tags}}{{#tags}}some text\n{{/tags}}{{/tags}}{{/tags}}{{/tags}}{{/tags}}{{/tags}}{{{body}}}";
  for (const Case& c : {Case{deep, "tpl/runbook.mustache: sections nested deeper than 32 levels: flatten the template"},
                        Case{wide, "tpl/runbook.mustache: renders past 64 MiB for one page (sections repeated inside each other over lists?): not written; simplify the template"},
                        Case{"{{=<% %>=}}<%#title%>x<%/title%>", "tpl/runbook.mustache: changes the tag delimiters ({{=...=}}), which opsbook's templates may not: keep {{ }}"}}) {
    test::write_file(d / "tpl" / "runbook.mustache", c.text);
    auto build = test::run_opsbook({"build"}, d.string(), limits);
    INFO(build.err);
    CHECK_FALSE(build.timed_out);
    CHECK(build.exit_code == 2);
    CHECK(build.err.find(c.message) != std::string::npos);
    CHECK(test::read_file(d / "site" / "runbooks" / "r.html") == before);
  }
}
