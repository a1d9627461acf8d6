// Promise: "read-only snippets run without asking; anything else asks first" (README "Safety",
// docs/SECURITY.md), for the classification breaks of hostile review s7a: each snippet below
// changed something while rated read-only. Run by `opsbook run` with no terminal and no --yes,
// it must be refused and its canary (a file under the test's folder, a Redis key) must not
// appear; run again with --yes --allow-destructive, the canary appears, which shows that the
// snippet does what the canary says.
#include <catch2/catch.hpp>

#include <filesystem>
#include <functional>

#include "model/process.hpp"
#include "model/text.hpp"
#include "red_team.hpp"
#include "runner/run.hpp"

using namespace opsbook;
namespace fs = std::filesystem;

namespace {

struct Break {
  std::string name;
  std::string code;   // the snippet's body
  std::function<bool()> happened;  // the canary: the snippet did its work
  bool control = true;  // the tool works here: the confirmed run must show the canary
};

// Each snippet is refused without a confirmation and leaves its canary alone; confirmed, it runs.
void check_refused(const std::vector<Break>& breaks) {
  for (const Break& b : breaks) {
    INFO(b.name << ": " << b.code);
    std::string md = "# Breaks\n\n```bash {name=" + b.name + "}\n" + b.code + "\n```\n";
    auto rb = test::parse(md, "rb.md");
    const model::Snippet* s = rb.find_snippet(b.name);
    REQUIRE(s);
    CHECK(s->safety != model::Safety::read_only);
    runner::RunOptions o;  // no terminal (ask unset), no --yes
    auto r = runner::run_snippet(rb, *s, o);
    CHECK_FALSE(r.ran);
    CHECK(r.refusal.find(b.name + " is ") == 0);
    CHECK_FALSE(b.happened());
    o.yes = true;
    o.allow_destructive = true;
    auto confirmed = runner::run_snippet(rb, *s, o);
    CHECK(confirmed.ran);
    if (b.control) CHECK(b.happened());
  }
}

std::function<bool()> appears(const fs::path& p) {
  return [p] { return fs::exists(p); };
}

bool tool_works(const std::vector<std::string>& argv) { return model::run_process(argv, "", std::chrono::seconds(20)).exit_code == 0; }

std::string redis(const std::vector<std::string>& args) {
  std::vector<std::string> argv = {"redis-cli", "-p", test::stack().at("STACK_REDIS_PORT")};
  argv.insert(argv.end(), args.begin(), args.end());
  return std::string(model::trim(model::run_process(argv, "", std::chrono::seconds(10)).out));
}

}  // namespace

TEST_CASE("promise: read-only snippets never change anything -- a wrapper option's value is not the command (review s7a #1)", "[security][shell]") {
  test::TempDir dir;
  fs::path d = dir.path();
  check_refused({
      {"envu", "env -u cat touch " + (d / "envu").string(), appears(d / "envu")},
      {"envunset", "env --ignore-environment --unset cat touch " + (d / "envunset").string(), appears(d / "envunset")},
      {"execa", "exec -a cat touch " + (d / "execa").string(), appears(d / "execa")},
      {"xargsslot", "xargs --process-slot-var cat touch " + (d / "xargsslot").string() + " </dev/null", appears(d / "xargsslot")},
      {"envunknown", "env --debug --frobnicate cat touch " + (d / "envunknown").string(), appears(d / "envunknown"), false},
  });
}

TEST_CASE("promise: read-only snippets never change anything -- redis-cli options and Redis words in any case (review s7a #2, #9)", "[security][redis]") {
  std::string port = test::stack().at("STACK_REDIS_PORT");
  redis({"DEL", "canary_s7_d", "canary_s7_pattern", "canary_s7_sort", "canary_s7_src"});
  redis({"RPUSH", "canary_s7_src", "3", "1", "2"});
  auto key = [](std::string k) { return [k] { return redis({"EXISTS", k}) == "1"; }; };
  check_refused({
      {"redisd", "redis-cli -p " + port + " -d GET SET canary_s7_d 1", key("canary_s7_d")},
      {"redispattern", "redis-cli -p " + port + " --pattern GET SET canary_s7_pattern 1", key("canary_s7_pattern")},
      {"sortstore", "redis-cli -p " + port + " SORT canary_s7_src Store canary_s7_sort", key("canary_s7_sort")},
  });
  redis({"DEL", "canary_s7_d", "canary_s7_pattern", "canary_s7_sort", "canary_s7_src"});
}

TEST_CASE("promise: read-only snippets never change anything -- tar operations that write (review s7a #3)", "[security][shell]") {
  test::TempDir dir;
  fs::path d = dir.path();
  test::write_file(d / "src" / "f.txt", "hello\n");
  REQUIRE(tool_works({"tar", "-cf", (d / "a.tar").string(), "-C", (d / "src").string(), "f.txt"}));
  fs::create_directories(d / "out");
  std::string a = (d / "a.tar").string();
  check_refused({
      {"target", "tar --get -f " + a + " -C " + (d / "out").string(), appears(d / "out" / "f.txt")},
      {"tarvolno", "tar --volno-file=" + (d / "volno").string() + " -tf " + a, appears(d / "volno")},
      {"tarappend", "tar -rf " + (d / "r.tar").string() + " -C " + (d / "src").string() + " f.txt", appears(d / "r.tar")},
      {"tarold", "tar rf " + (d / "r2.tar").string() + " -C " + (d / "src").string() + " f.txt", appears(d / "r2.tar")},
  });
}

TEST_CASE("promise: read-only snippets never change anything -- perf subcommands that run a command (review s7a #4)", "[security][shell]") {
  test::TempDir dir;
  fs::path d = dir.path();
  // perf may not be allowed to record here (perf_event_paranoid): the refusal holds either way.
  bool records = tool_works({"perf", "sched", "record", "-o", (d / "probe.data").string(), "true"});
  check_refused({
      {"perfsched", "cd " + d.string() + " && perf sched record touch " + (d / "perfsched").string(), appears(d / "perfsched"), records},
      {"perfkmem", "cd " + d.string() + " && perf kmem record touch " + (d / "perfkmem").string(), appears(d / "perfkmem"), false},
  });
}

TEST_CASE("promise: read-only snippets never change anything -- vim named view runs Ex commands (review s7a #5)", "[security][shell]") {
  test::TempDir dir;
  fs::path d = dir.path();
  check_refused({
      {"viewc", "view -es -c '!touch " + (d / "viewc").string() + "' -c q", appears(d / "viewc")},
      {"viewplus", "view -es '+!touch " + (d / "viewplus").string() + "' '+q'", appears(d / "viewplus")},
  });
}

TEST_CASE("promise: read-only snippets never change anything -- options and subcommands that write files (review s7a #8)", "[security][shell]") {
  test::TempDir dir;
  fs::path d = dir.path();
  fs::create_directories(d / "certs");
  REQUIRE(tool_works({"openssl", "req", "-x509", "-nodes", "-newkey", "rsa:2048", "-subj", "/CN=s7", "-days", "1", "-keyout", (d / "k.pem").string(), "-out",
                      (d / "certs" / "c.pem").string()}));
  bool traces = tool_works({"strace", "-o", "/dev/null", "true"});
  check_refused({
      {"straceout", "strace --output=" + (d / "straceout").string() + " true", appears(d / "straceout"), traces},
      {"rehash", "openssl rehash " + (d / "certs").string(), [d] { return std::distance(fs::directory_iterator(d / "certs"), fs::directory_iterator{}) > 1; }},
      {"ocspreqout", "openssl ocsp -issuer " + (d / "certs" / "c.pem").string() + " -serial 1 -reqout " + (d / "ocspreq").string() + " -no_nonce", appears(d / "ocspreq")},
  });
}

TEST_CASE("promise: read-only snippets never change anything -- words the shell turns into options: variables, \"$@\", arrays, $(...), patterns (s11a review B6)", "[security][shell]") {
  test::TempDir dir;
  fs::path d = dir.path();
  for (const char* victim : {"v1", "v2", "v3", "v4", "v5"}) fs::create_directories(d / victim / "data");
  test::write_file(d / "committed.txt", "-delete\n");
  test::write_file(d / "content" / "-opwned-sort", "");
  test::write_file(d / "content" / "a.md", "b\na\n");
  test::write_file(d / "x.txt", "b\na\n");
  auto gone = [](fs::path p) { return [p] { return !fs::exists(p); }; };
  test::RecordingServer server;
  std::string url = "http://127.0.0.1:" + std::to_string(server.port()) + "/api/users/1";
  check_refused({
      {"var", "opts=\"-exec touch " + (d / "pwn-var").string() + " ;\"; find " + d.string() + " -maxdepth 0 $opts", appears(d / "pwn-var")},
      {"split", "x='" + (d / "v1").string() + " -delete'; find $x", gone(d / "v1")},
      {"positional", "set -- -delete; find " + (d / "v2").string() + " \"$@\"", gone(d / "v2")},
      {"array", "a=(-delete); find " + (d / "v3").string() + " \"${a[@]}\"", gone(d / "v3")},
      {"substitution", "find " + (d / "v4").string() + " $(echo -delete)", gone(d / "v4")},
      {"committed", "cd " + d.string() + " && find v5 $(cat committed.txt)", gone(d / "v5")},
      {"method", "m=-XDELETE; curl -s $m " + url,
       [&server] {
         auto r = server.requests();
         return std::any_of(r.begin(), r.end(), [](const std::string& line) { return line.starts_with("DELETE /api/users/1"); });
       }},
      {"sortargs", "set -- -o " + (d / "sorted").string() + "; sort \"$@\" " + (d / "x.txt").string(), appears(d / "sorted")},
      {"sortglob", "cd " + (d / "content").string() + " && sort *", appears(d / "content" / "pwned-sort")},
  });
}
