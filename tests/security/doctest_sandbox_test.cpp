// Promise (docs/safety.md#the-doc-test-sandbox): a doc-test runs in a kernel sandbox; it reads the
// checkout (not .git, .opsbook or other hidden top-level entries), the system's programs and a few
// files of /etc, never the home folder, another process's /proc files or a device that never ends,
// whatever spelling, link or `cd` gets past the static rules; its shell dies with opsbook. Attacked
// through `opsbook check --live` with the stack's real PostgreSQL, Redis and nginx.
#include <catch2/catch.hpp>
#include <grp.h>
#include <sched.h>
#include <signal.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <functional>
#include <optional>
#include <fstream>
#include <thread>

#include "model/landlock.hpp"
#include "model/pid_namespace.hpp"
#include "model/text.hpp"
#include "runner/run.hpp"
#include "red_team.hpp"

using namespace opsbook;
namespace fs = std::filesystem;

namespace {

std::map<std::string, std::string> outcomes(const nlohmann::json& report) {
  std::map<std::string, std::string> out;
  for (const auto& r : report["results"]) {
    if (r["kind"] == "doctest") out[r["snippet"].get<std::string>()] = r["outcome"].get<std::string>() + " " + r["detail"].get<std::string>();
  }
  return out;
}

}  // namespace

TEST_CASE("promise: doc-tests read nothing outside the checkout -- the kernel stops what the static rules let through (s7e E1-E3)", "[security][doctest]") {
  if (model::landlock_abi() == 0) {
    WARN("this kernel has no Landlock: doc-tests run with the static rules only (check prints a note)");
    return;
  }
  test::TempDir dir, outside;
  test::write_file(outside.path() / "key", "canary-key-5150\n");
  fs::create_directories(dir.path() / "content");
  test::write_file(dir.path() / "content" / "data.txt", "hello\n");
  test::write_file(dir.path() / ".env", "canary-dotenv-5150\n");
  fs::create_symlink(outside.path() / "key", dir.path() / "content" / "key");
  test::write_file(outside.path() / "granted", "granted-by-the-job\n");  // OPSBOOK_DOCTEST_READ below
  fs::create_symlink(outside.path() / "granted", dir.path() / "content" / "granted");
  fs::create_symlink("/dev/zero", dir.path() / "content" / "zero");
  fs::create_symlink("/proc", dir.path() / "content" / "p");
  ::setenv("OPSBOOK_SANDBOX_TOKEN", "canary-token-5150", 1);  // as GITHUB_TOKEN in a CI job's environment
  const std::string dsn = test::stack().at("OPSBOOK_PG_APP_DSN");
  std::string user = dsn.substr(0, dsn.find('@'));  // scheme://user:password
  user = user.substr(user.find("//") + 2);
  user = user.substr(0, user.find(':'));
  std::string rb = "# T\n\n"
                   "```bash {name=link run=auto expect-stdout=canary-key timeout=5s}\ncat content/key\n```\n\n"
                   "```bash {name=zero run=auto expect-exit=0 timeout=5s}\nwc -c content/zero\n```\n\n"
                   "```bash {name=dotenv run=auto expect-stdout=canary-dotenv timeout=5s}\ncat .env\n```\n\n"
                   "```bash {name=environ run=auto expect-stdout=canary-token timeout=8s}\ngrep -r -a -h -o -s --include=environ 'canary-token-[0-9]*' content/p/ | head -1\n```\n\n"
                   "```bash {name=argv run=auto expect-stdout=" + user + ": timeout=8s}\n"
                   "psql \"$OPSBOOK_PG_APP_DSN\" -X -At -c 'select pg_sleep(1)' | (sleep 0.5 && grep -a -h -o '" + user + ":[^@]*' content/p/[1-9]*/cmdline)\n```\n\n"
                   // What doc-tests are for still works inside the sandbox.
                   "```bash {name=read run=auto expect-stdout=^hello timeout=5s}\ncat content/data.txt\n```\n\n"
                   "```bash {name=granted run=auto expect-stdout=^granted-by-the-job timeout=5s}\ncat content/granted\n```\n\n"
                   "```bash {name=psql run=auto expect-stdout=^1$ timeout=10s}\npsql \"$OPSBOOK_PG_APP_DSN\" -X -At -c 'select 1'\n```\n\n"
                   "```bash {name=redis run=auto expect-stdout=PONG timeout=5s}\nredis-cli -p " + test::stack().at("STACK_REDIS_PORT") + " ping\n```\n\n"
                   "```bash {name=curl run=auto expect-exit=0 timeout=5s}\ncurl -s -o /dev/null http://127.0.0.1:" + test::stack().at("STACK_NGINX_PORT") + "/\n```\n\n"
                   "```bash {name=system run=auto expect-exit=0 timeout=5s}\nuptime && free -m && id -un && date && cat <(echo x) && df -h .\n```\n";
  test::write_file(dir.path() / "opsbook.yaml", test::stack_config("OPSBOOK_PG_APP_DSN"));
  test::write_file(dir.path() / "content" / "rb.md", rb);
  ::setenv("OPSBOOK_DOCTEST_READ", (outside.path() / "granted").c_str(), 1);
  auto run = test::run_opsbook({"check", "--live", "--no-shell", "--format", "json", "content/rb.md"}, dir.path().string());
  ::unsetenv("OPSBOOK_SANDBOX_TOKEN");
  ::unsetenv("OPSBOOK_DOCTEST_READ");
  INFO(run.err);
  auto got = outcomes(nlohmann::json::parse(run.out));
  const std::string hidden = " (its output is not shown in reports: run it with opsbook run to see it)";
  CHECK(got["link"] == "fail exit 1, expected 0" + hidden);  // cat: Permission denied
  CHECK(got["zero"] == "fail exit 1, expected 0" + hidden);  // at once, not at the timeout
  CHECK(got["dotenv"] == "fail exit 1, expected 0" + hidden);
  CHECK(got["environ"] == "fail stdout does not match /canary-token/" + hidden);
  INFO(got["argv"]);
  CHECK(got["argv"].starts_with("fail "));
  for (const char* ok : {"read", "granted", "psql", "redis", "curl", "system"}) {
    INFO(ok);
    CHECK(got[ok].starts_with("pass "));
  }
  CHECK(run.err.find("without the kernel sandbox") == std::string::npos);
}

namespace {

// Starts `opsbook check --live` on dir/rb.md (a doc-test `sleep SECONDS && echo done`), calling
// `become` in the child first (as root: become another user; false: give up), kills opsbook with
// SIGKILL once the sleep runs, and says whether the sleep outlived it (killed then). `check`: the
// pid opsbook had; nullopt when it never got to the sleep.
std::optional<bool> sleep_outlives_check(const fs::path& dir, const std::string& seconds, const std::function<bool()>& become, pid_t& check) {
  test::write_file(dir / "rb.md", "# T\n\n```bash {name=wait run=auto expect-exit=0 timeout=60s}\nsleep " + seconds + " && echo done\n```\n");
  check = ::fork();
  if (check == 0) {
    if (::chdir(dir.c_str()) != 0 || !become()) ::_exit(77);
    ::execl(OPSBOOK_BINARY, "opsbook", "check", "--live", "--no-shell", "rb.md", static_cast<char*>(nullptr));
    ::_exit(127);
  }
  const std::string cmdline = std::string("sleep\0", 6) + seconds + std::string(1, '\0');
  pid_t sleeper = 0;
  for (int i = 0; i < 300 && sleeper == 0 && ::waitpid(check, nullptr, WNOHANG) == 0; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    sleeper = test::find_process(cmdline);
  }
  ::kill(check, SIGKILL);
  ::waitpid(check, nullptr, 0);
  if (sleeper == 0) return std::nullopt;
  bool gone = false;
  for (int i = 0; i < 100 && !gone; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    gone = test::find_process(cmdline) == 0;
  }
  if (!gone) ::kill(sleeper, SIGKILL);
  return !gone;
}

}  // namespace

TEST_CASE("promise: a doc-test and what it started die with opsbook, even when opsbook is killed with SIGKILL (s7e E8, s8 S5)", "[security][doctest]") {
  if (model::landlock_abi() == 0) {
    WARN("this kernel has no Landlock: doc-tests are not started confined");
    return;
  }
  test::TempDir dir;
  test::write_file(dir.path() / "opsbook.yaml", test::stack_config("OPSBOOK_PG_APP_DSN"));
  // Two commands: bash starts sleep as a child of its own (one would be exec'd in its place).
  pid_t check = 0;
  std::optional<bool> outlived = sleep_outlives_check(dir.path(), "9.182", [] { return true; }, check);
  REQUIRE(outlived);
  if (model::pid_namespace_problem().empty()) {
    CHECK_FALSE(*outlived);  // the shell was its PID namespace's init: the kernel killed what it started
  } else {
    WARN("no PID namespace for doc-tests here (" << model::pid_namespace_problem() << "), so only their shell dies with opsbook");
  }
  // Its temporary folder outlived it; the next check's first doc-test removes it.
  auto left = [&] {
    int n = 0;
    std::error_code ec;
    for (const auto& e : fs::directory_iterator(fs::temp_directory_path(), ec)) n += e.path().filename().string().starts_with("opsbook-doctest-" + std::to_string(check) + "-");
    return n;
  };
  CHECK(left() == 1);
  test::write_file(dir.path() / "rb.md", "# T\n\n```bash {name=now run=auto expect-exit=0}\ntrue\n```\n");
  auto next = test::run_opsbook({"check", "--live", "--no-shell", "rb.md"}, dir.path().string());
  INFO(next.err);
  CHECK(next.exit_code == 0);
  CHECK(left() == 0);
}

TEST_CASE("promise: run by an unprivileged user (CI runners), what a doc-test started dies with opsbook too: a user and PID namespace of its own (s9 B6)", "[security][doctest]") {
  if (model::landlock_abi() == 0 || ::geteuid() != 0) {
    WARN("no Landlock, or not root (this test becomes nobody): the unprivileged case is tested by tests/model/landlock_test.cpp only");
    return;
  }
  test::TempDir dir, home;
  test::write_file(dir.path() / "opsbook.yaml", test::stack_config("OPSBOOK_PG_APP_DSN"));
  for (const fs::path& p : {dir.path(), home.path()}) REQUIRE(::chown(p.c_str(), 65534, 65534) == 0);
  auto become_nobody = [&] {
    return ::setenv("HOME", home.path().c_str(), 1) == 0 && ::setgroups(0, nullptr) == 0 && ::setgid(65534) == 0 && ::setuid(65534) == 0;
  };
  // Only where the kernel lets nobody make a user namespace with a PID namespace in it.
  pid_t probe = ::fork();
  if (probe == 0) {
    if (!become_nobody()) ::_exit(1);
    pid_t child = static_cast<pid_t>(::syscall(SYS_clone, CLONE_NEWUSER | CLONE_NEWPID | SIGCHLD, nullptr, nullptr, nullptr, nullptr));
    if (child == 0) ::_exit(0);
    ::_exit(child > 0 && ::waitpid(child, nullptr, 0) == child ? 0 : 1);
  }
  int status = 0;
  ::waitpid(probe, &status, 0);
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    WARN("user namespaces are off here for nobody: doc-tests get no PID namespace (check --live says so)");
    return;
  }
  pid_t check = 0;
  std::optional<bool> outlived = sleep_outlives_check(dir.path(), "9.371", become_nobody, check);
  REQUIRE(outlived);
  CHECK_FALSE(*outlived);
}

TEST_CASE("promise: a doc-test learns no service password through a read that prints one (s8 review S2)", "[security][doctest]") {
  // A secret opsbook knows is matched as ***, whatever read printed it. The doc-tests run in a
  // checkout of their own (the working folder), which holds the file.
  test::TempDir data;
  fs::path before = fs::current_path();
  fs::current_path(data.path());
  test::write_file(data.path() / "config.txt", "requirepass\nPw4Scrub_2231\n");
  model::EnvironmentConfig env;
  env.name = "local";
  env.services = {model::ServiceConfig{"cache", "redis", "redis://default:Pw4Scrub_2231@127.0.0.1:" + test::stack().at("STACK_REDIS_PORT"), "", ""}};
  env.compose = model::ComposeConfig{"shop", "", true, 0};  // docker doc-tests run against this stack
  std::string file = "config.txt";
  auto rb = test::parse("# T\n\n```bash {name=oracle run=auto expect-stdout=Pw4Scrub_22}\ncat " + file + "\n```\n\n"
                        "```bash {name=plain run=auto expect-stdout=^requirepass}\ncat " + file + "\n```\n\n"
                        "```bash {name=config run=auto expect-exit=0}\nredis-cli -p " + test::stack().at("STACK_REDIS_PORT") + " CONFIG GET requirepass\n```\n\n"
                        "```bash {name=acl run=auto expect-exit=0}\nredis-cli -p " + test::stack().at("STACK_REDIS_PORT") + " acl whoami\n```\n\n"
                        "```bash {name=inspect run=auto expect-exit=0}\ndocker inspect --format '{{.Config.Env}}' shop-db-1\n```\n\n"
                        "```bash {name=show run=auto expect-exit=0}\nsystemctl show -p Environment nginx\n```\n");
  std::map<std::string, std::string> got;
  for (const auto& s : rb.snippets) got[s.id] = runner::run_doctest(rb, s, &env, std::chrono::seconds(10)).detail;
  fs::current_path(before);
  CHECK(got["oracle"] == "stdout does not match /Pw4Scrub_22/ (its output is not shown in reports: run it with opsbook run to see it)");
  CHECK(got["plain"] == "exit 0, stdout matches");
  CHECK(got["config"] == "test.md:12: doc-test not run: Redis CONFIG shows the server's configuration, passwords included: not run as a doc-test (run it with opsbook run, or see docs/safety.md#doc-tests)");
  CHECK(got["acl"] == "test.md:16: doc-test not run: Redis ACL shows the server's configuration, passwords included: not run as a doc-test (run it with opsbook run, or see docs/safety.md#doc-tests)");
  INFO(got["inspect"]);
  CHECK(got["inspect"].find("'docker inspect' is not on the doc-test allow list") != std::string::npos);
  CHECK(got["show"].find("'systemctl show' is not on the doc-test allow list") != std::string::npos);
}

TEST_CASE("promise: a doc-test runs the system's tools, never the pull request's file of the same name on PATH (s8 review S3)", "[security][doctest]") {
  if (model::landlock_abi() == 0) {
    WARN("this kernel has no Landlock: doc-tests are not started confined");
    return;
  }
  // CI jobs put folders of the checkout on PATH (.venv/bin, node_modules/.bin, bin/).
  test::TempDir dir;
  for (const char* folder : {"bin", ".venv/bin"}) {
    fs::create_directories(dir.path() / folder);
    test::write_file(dir.path() / folder / "cut", "#!/bin/sh\necho committed\n");
    fs::permissions(dir.path() / folder / "cut", fs::perms::owner_all);
  }
  test::write_file(dir.path() / "opsbook.yaml", test::stack_config("OPSBOOK_PG_APP_DSN"));
  test::write_file(dir.path() / "rb.md", "# T\n\n```bash {name=cut run=auto expect-stdout=^a$ timeout=5s}\necho a:b | cut -d: -f1\n```\n");
  std::string path = std::getenv("PATH");
  ::setenv("PATH", ((dir.path() / ".venv/bin").string() + ":" + (dir.path() / "bin").string() + ":" + path).c_str(), 1);
  auto run = test::run_opsbook({"check", "--live", "--no-shell", "--format", "json", "rb.md"}, dir.path().string());
  ::setenv("PATH", path.c_str(), 1);
  INFO(run.err);
  CHECK(outcomes(nlohmann::json::parse(run.out))["cut"] == "pass exit 0, stdout matches");
}

TEST_CASE("promise: in a git checkout a doc-test reads only the files git tracks (s8 review S1: a second checkout's token, a credentials file the job wrote)", "[security][doctest]") {
  if (model::landlock_abi() == 0) {
    WARN("this kernel has no Landlock: doc-tests are not started confined");
    return;
  }
  test::TempDir dir;
  const fs::path& d = dir.path();
  REQUIRE(test::git(d, {"init", "-q"}) == 0);
  fs::create_directories(d / "content");
  test::write_file(d / "content" / "data.txt", "hello\n");
  test::write_file(d / "opsbook.yaml", test::stack_config("OPSBOOK_PG_APP_DSN"));
  test::write_file(d / "content" / "rb.md",
                   "# T\n\n```bash {name=tracked run=auto expect-stdout=^hello timeout=5s}\ncat content/data.txt\n```\n\n"
                   "```bash {name=second run=auto expect-stdout=canary-pat timeout=5s}\ngrep -r -h -o -s 'canary-pat-[0-9]*' other\n```\n\n"
                   "```bash {name=creds run=auto expect-stdout=canary-gcp timeout=5s}\ncat gha-creds-1234.json\n```\n\n"
                   "```bash {name=ignored run=auto expect-stdout=canary-npm timeout=5s}\ncat content/.npmrc\n```\n\n"
                   "```bash {name=listing run=auto expect-stdout=data.txt timeout=5s}\nls content\n```\n");
  REQUIRE(test::git(d, {"add", "opsbook.yaml", "content/rb.md", "content/data.txt"}) == 0);
  REQUIRE(test::git(d, {"commit", "-q", "-m", "x"}) == 0);
  // What a CI job puts beside the pull request's files: actions/checkout with path:, a cloud
  // login's credentials file, an ignored .npmrc.
  fs::create_directories(d / "other" / ".git");
  test::write_file(d / "other" / ".git" / "config", "[http]\n  extraheader = AUTHORIZATION: basic canary-pat-77\n");
  test::write_file(d / "gha-creds-1234.json", "{\"private_key\": \"canary-gcp-88\"}\n");
  test::write_file(d / ".gitignore", ".npmrc\n");
  test::write_file(d / "content" / ".npmrc", "//registry/:_authToken=canary-npm-99\n");
  // A tracked file that is a folder of untracked files in the working tree.
  test::write_file(d / "content" / "notes", "tracked\n");
  REQUIRE(test::git(d, {"add", "content/notes"}) == 0);
  REQUIRE(test::git(d, {"commit", "-q", "-m", "notes"}) == 0);
  fs::remove(d / "content" / "notes");
  fs::create_directories(d / "content" / "notes");
  test::write_file(d / "content" / "notes" / "key", "canary-swap-11\n");
  test::write_file(d / "content" / "rb.md", test::read_file((d / "content" / "rb.md").string()) +
                   "\n```bash {name=swap run=auto expect-stdout=canary-swap timeout=5s}\ncat content/notes/key\n```\n");
  // s8b B1: a committed gitlink where the job checks out a second repository; B3: a tracked file
  // the job wrote into after the checkout.
  REQUIRE(test::git(d, {"update-index", "--add", "--cacheinfo", "160000,4b825dc642cb6eb9a060e54bf8d69288fbee4904,linked"}) == 0);
  test::write_file(d / "content" / "app.cfg", "plain\n");
  REQUIRE(test::git(d, {"add", "content/app.cfg"}) == 0);
  REQUIRE(test::git(d, {"commit", "-q", "-m", "link"}) == 0);
  fs::create_directories(d / "linked" / ".git");
  test::write_file(d / "linked" / ".git" / "config", "[http]\n  extraheader = AUTHORIZATION: basic canary-link-33\n");
  test::write_file(d / "content" / "app.cfg", "plain\n//registry/:_authToken=canary-mod-44\n");
  test::write_file(d / "content" / "rb.md", test::read_file((d / "content" / "rb.md").string()) +
                   "\n```bash {name=gitlink run=auto expect-stdout=canary-link timeout=5s}\ngrep -r -h -o -s 'canary-link-[0-9]*' linked\n```\n"
                   "\n```bash {name=modified run=auto expect-stdout=canary-mod timeout=5s}\ncat content/app.cfg\n```\n");
  auto run = test::run_opsbook({"check", "--live", "--no-shell", "--format", "json", "content/rb.md"}, d.string());
  INFO(run.err);
  auto got = outcomes(nlohmann::json::parse(run.out));
  CHECK(got["gitlink"].starts_with("fail "));
  CHECK(got["modified"].starts_with("fail "));
  CHECK(got["swap"].starts_with("fail "));
  CHECK(got["tracked"] == "pass exit 0, stdout matches");
  CHECK(got["listing"] == "pass exit 0, stdout matches");
  CHECK(got["second"].starts_with("fail "));
  CHECK(got["creds"].starts_with("fail "));
  CHECK(got["ignored"].starts_with("fail "));
  if (::geteuid() == 0) {
    // s8b B2: a workspace owned by another user (root in a CI container): git calls it dubious,
    // opsbook still lists it, never falls back to granting every folder.
    for (const auto& e : fs::recursive_directory_iterator(d)) REQUIRE(::lchown(e.path().c_str(), 1001, 1001) == 0);
    REQUIRE(::lchown(d.c_str(), 1001, 1001) == 0);
    auto other = test::run_opsbook({"check", "--live", "--no-shell", "--format", "json", "content/rb.md"}, d.string());
    INFO(other.err);
    auto again = outcomes(nlohmann::json::parse(other.out));
    CHECK(again["tracked"] == "pass exit 0, stdout matches");
    CHECK(again["second"].starts_with("fail "));
    CHECK(again["gitlink"].starts_with("fail "));
  }
}

TEST_CASE("promise: a checkout inside a folder the sandbox grants (a PATH folder, /usr/local/src) still shows doc-tests only its tracked files (s9 B8)", "[security][doctest]") {
  if (model::landlock_abi() == 0) {
    WARN("this kernel has no Landlock: doc-tests are not started confined");
    return;
  }
  // The job's PATH holds a folder (of tools: a tool cache, /usr/local) that also holds the checkout.
  test::TempDir tools;
  const fs::path d = tools.path() / "src" / "repo";
  fs::create_directories(d / "content");
  test::write_file(tools.path() / "src" / "beside", "beside-the-checkout\n");
  REQUIRE(test::git(d, {"init", "-q"}) == 0);
  test::write_file(d / "opsbook.yaml", test::stack_config("OPSBOOK_PG_APP_DSN"));
  test::write_file(d / "content" / "rb.md",
                   "# T\n\n```bash {name=untracked run=auto expect-stdout=canary-b8 timeout=5s}\ncat secret.txt\n```\n\n"
                   "```bash {name=recursive run=auto expect-stdout=canary-b8 timeout=5s}\ngrep -r -h -o -s 'canary-b8-[0-9]*' .\n```\n\n"
                   "```bash {name=around run=auto expect-stdout=canary-b8 timeout=5s}\ncat ../repo/secret.txt\n```\n\n"
                   "```bash {name=tracked run=auto expect-stdout=^T$ timeout=5s}\nhead -1 content/rb.md | cut -c3\n```\n\n"
                   "```bash {name=beside run=auto expect-stdout=^beside timeout=5s}\ncat ../beside\n```\n");
  REQUIRE(test::git(d, {"add", "opsbook.yaml", "content/rb.md"}) == 0);
  REQUIRE(test::git(d, {"commit", "-q", "-m", "x"}) == 0);
  test::write_file(d / "secret.txt", "canary-b8-1\n");  // what the job wrote beside the pull request
  REQUIRE(test::git(d, {"config", "http.extraheader", "AUTHORIZATION: basic canary-b8-2"}) == 0);
  std::string path = std::getenv("PATH");
  ::setenv("PATH", (tools.path().string() + ":" + path).c_str(), 1);
  auto run = test::run_opsbook({"check", "--live", "--no-shell", "--format", "json", "content/rb.md"}, d.string());
  ::setenv("PATH", path.c_str(), 1);
  INFO(run.err);
  auto got = outcomes(nlohmann::json::parse(run.out));
  for (const char* denied : {"untracked", "recursive", "around"}) {
    INFO(denied << ": " << got[denied]);
    CHECK(got[denied].starts_with("fail "));
  }
  for (const char* ok : {"tracked", "beside"}) {  // the rest of the granted folder still is
    INFO(ok << ": " << got[ok]);
    CHECK(got[ok] == "pass exit 0, stdout matches");
  }
  CHECK(run.out.find("canary-b8-") == std::string::npos);
}

TEST_CASE("promise: opsbook never runs the pull request's own git or shellcheck, whatever the job's PATH (s8b review B4)", "[security][doctest]") {
  test::TempDir dir, marks;
  const fs::path& d = dir.path();
  REQUIRE(test::git(d, {"init", "-q"}) == 0);
  fs::create_directories(d / "bin");
  for (const char* tool : {"git", "shellcheck", "bash", "prlimit"}) {
    test::write_file(d / "bin" / tool, "#!/bin/sh\ntouch " + (marks.path() / tool).string() + "\nexit 1\n");
    fs::permissions(d / "bin" / tool, fs::perms::owner_all);
  }
  test::write_file(d / "opsbook.yaml", test::stack_config("OPSBOOK_PG_APP_DSN"));
  test::write_file(d / "rb.md", "# T\n\n```bash\nfor f in $(ls); do echo $f; done\n```\n\n```bash {name=t run=auto expect-exit=0}\ntrue\n```\n");
  REQUIRE(test::git(d, {"add", "rb.md"}) == 0);
  std::string path = std::getenv("PATH");
  ::setenv("PATH", ((d / "bin").string() + ":" + path).c_str(), 1);
  auto check = test::run_opsbook({"check", "rb.md"}, d.string());
  auto live = test::run_opsbook({"check", "--live", "--no-shell", "rb.md"}, d.string());
  ::setenv("PATH", path.c_str(), 1);
  INFO(check.err << live.err);
  CHECK(check.out.find("SC2045") != std::string::npos);  // the real shellcheck ran
  for (const char* tool : {"git", "shellcheck", "bash", "prlimit"}) {
    INFO(tool);
    CHECK_FALSE(fs::exists(marks.path() / tool));
  }
}

TEST_CASE("promise: a doc-test reads no Kubernetes Secret and no Helm release's values (s8b review B5)", "[security][doctest]") {
  auto rb = test::parse("# T\n\n```bash {name=get run=auto expect-exit=0}\nkubectl get secret db -o jsonpath='{.data.password}'\n```\n\n"
                        "```bash {name=list run=auto expect-exit=0}\nkubectl get pods,Secrets -n app\n```\n\n"
                        "```bash {name=raw run=auto expect-exit=0}\nkubectl get --raw /api/v1/namespaces/app/secrets/db\n```\n\n"
                        "```bash {name=values run=auto expect-exit=0}\nhelm get values shop -n app\n```\n\n"
                        "```bash {name=pods run=auto expect-exit=0}\nkubectl get pods -n app -o wide\n```\n");
  model::EnvironmentConfig env;
  env.name = "local";
  std::map<std::string, std::string> got;
  for (const auto& s : rb.snippets) got[s.id] = runner::run_doctest(rb, s, &env, std::chrono::seconds(10)).detail;
  CHECK(got["get"] == "test.md:4: doc-test not run: 'kubectl get' operand secret is not allowed (*; not *secret*) (run it with opsbook run, or see docs/safety.md#doc-tests)");
  CHECK(got["list"].find("'kubectl get' operand pods,Secrets is not allowed") != std::string::npos);
  CHECK(got["raw"].find("'kubectl get' option --raw value") != std::string::npos);
  CHECK(got["values"].find("'helm get values' is not on the doc-test allow list") != std::string::npos);
  CHECK(got["pods"].find("not on the doc-test allow list") == std::string::npos);  // still allowed (it may fail: no cluster here)
}

// s9a review B2, B3: a monorepo job runs opsbook in runbooks/ of the repository. The repository's
// own bin/ (above the working folder) and a bare repository committed in runbooks/ (HEAD, config,
// objects/: git finds it before the real .git above) ran outside any sandbox, with the job's
// DSNs in their environment: bin/shellcheck and bin/prlimit under check, bin/jq in a doc-test,
// the bare repository's fsmonitor under check --changed-since and its filter driver under
// check --live. Each leaves a mark when it runs.
TEST_CASE("promise: started in a folder below the repository's top, opsbook runs none of its programs nor a committed bare repository's (s9a review B2, B3)", "[security][doctest]") {
  test::TempDir dir, marks;
  const fs::path& d = dir.path();
  const fs::path rb = d / "runbooks";
  REQUIRE(test::git(d, {"init", "-q"}) == 0);
  fs::create_directories(d / "bin");
  for (const char* tool : {"git", "shellcheck", "bash", "prlimit", "jq"}) {
    test::write_file(d / "bin" / tool, "#!/bin/sh\ntouch " + (marks.path() / tool).string() + "\necho PR-TOOL\nexit 0\n");
    fs::permissions(d / "bin" / tool, fs::perms::owner_all);
  }
  test::write_file(rb / "opsbook.yaml", test::stack_config("OPSBOOK_PG_APP_DSN"));
  test::write_file(rb / "content" / "rb.md", "# T\n\n```bash\nfor f in $(ls); do echo $f; done\n```\n\n"
                                             "```bash {name=jq run=auto expect-stdout=^\\{\\}$ timeout=5s}\necho '{}' | jq -c .\n```\n");
  REQUIRE(test::git(d, {"add", "runbooks/opsbook.yaml", "runbooks/content/rb.md"}) == 0);
  REQUIRE(test::git(d, {"-c", "user.name=t", "-c", "user.email=t@t", "commit", "-q", "-m", "x"}) == 0);
  // The bare repository the pull request commits beside the runbooks.
  REQUIRE(test::git(d, {"init", "-q", "--bare", rb.string()}) == 0);
  REQUIRE(test::git(d, {"--git-dir", rb.string(), "config", "core.fsmonitor", "touch " + (marks.path() / "fsmonitor").string() + "; false #"}) == 0);
  REQUIRE(test::git(d, {"--git-dir", rb.string(), "config", "core.worktree", "."}) == 0);
  REQUIRE(test::git(d, {"--git-dir", rb.string(), "config", "filter.x.clean", "sh -c 'touch " + (marks.path() / "filter").string() + "; cat'"}) == 0);
  test::write_file(rb / ".gitattributes", "* filter=x\n");
  std::string path = std::getenv("PATH");
  ::setenv("PATH", ((d / "bin").string() + ":" + path).c_str(), 1);
  auto check = test::run_opsbook({"check", "content"}, rb.string());
  auto changed = test::run_opsbook({"check", "--changed-since", "HEAD", "content"}, rb.string());
  auto live = test::run_opsbook({"check", "--live", "--no-shell", "--format", "json", "content"}, rb.string());
  ::setenv("PATH", path.c_str(), 1);
  INFO(check.err << changed.err << live.err);
  CHECK(check.out.find("SC2045") != std::string::npos);  // the real shellcheck ran
  CHECK(changed.exit_code == 2);
  CHECK(changed.err.find("opsbook: error: --changed-since HEAD: git diff failed (") == 0);
  CHECK(live.out.find("PR-TOOL") == std::string::npos);
  for (const char* mark : {"git", "shellcheck", "bash", "prlimit", "jq", "fsmonitor", "filter"}) {
    INFO(mark);
    CHECK_FALSE(fs::exists(marks.path() / mark));
  }
}

// s9a review B6: a doc-test's PostgreSQL statement outlived it on the server (a pg_sleep(300)
// under a 2 s timeout stayed active in pg_stat_activity, holding its snapshot). The server ends it.
TEST_CASE("promise: nothing of a doc-test outlives it: its PostgreSQL statement ends on the server too (s9a review B6)", "[security][doctest][live]") {
  test::TempDir dir;
  test::write_file(dir.path() / "opsbook.yaml", test::stack_config("OPSBOOK_PG_APP_DSN"));
  test::write_file(dir.path() / "content" / "rb.md",
                   "# T\n\n```bash {name=sleep run=auto expect-exit=0 timeout=2s}\npsql \"$OPSBOOK_PG_APP_DSN\" -X -At -c 'select pg_sleep(299.5)'\n```\n");
  auto run = test::run_opsbook({"check", "--live", "--no-shell", "--format", "json", "content/rb.md"}, dir.path().string());
  INFO(run.err);
  CHECK(run.exit_code == 1);  // the doc-test failed
  auto active = [] { return test::pg_admin("select count(*) from pg_stat_activity where query like '%pg_sleep(299.5)%' and pid <> pg_backend_pid()"); };
  for (int i = 0; i < 20 && active() != "0"; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(100));  // the cancel travels
  CHECK(active() == "0");
}
