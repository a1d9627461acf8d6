// opsbook run: injection through parameters, safety gates, timeouts that leave no process
// behind, the scrubbed environment, transcripts without secrets, and the CLI's refusals.
#include <dirent.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <thread>

#include "runner/fill.hpp"
#include "runner/run.hpp"
#include "support.hpp"

using namespace opsbook;
namespace fs = std::filesystem;

namespace {

// A folder for programs put on PATH, beside the tests: a doc-test's sandbox runs programs from
// PATH folders, never from the checkout (see InCheckout) nor from /tmp itself.
class ProgramDir {
 public:
  ProgramDir() : m_path(fs::current_path() / ("test-programs-" + std::to_string(::getpid()))) { fs::create_directories(m_path); }
  ~ProgramDir() {
    std::error_code ec;
    fs::remove_all(m_path, ec);
  }
  ProgramDir(const ProgramDir&) = delete;
  ProgramDir& operator=(const ProgramDir&) = delete;
  [[nodiscard]] const fs::path& path() const { return m_path; }

 private:
  fs::path m_path;
};

// Runs the doc-tests of a test in a checkout of their own (the working folder), so that the
// programs of a ProgramDir are outside it.
class InCheckout {
 public:
  InCheckout() : m_before(fs::current_path()) { fs::current_path(m_dir.path()); }
  ~InCheckout() { fs::current_path(m_before); }
  InCheckout(const InCheckout&) = delete;
  InCheckout& operator=(const InCheckout&) = delete;

 private:
  fs::path m_before;
  test::TempDir m_dir;
};

runner::RunResult run(const model::Runbook& rb, const std::string& id, runner::RunOptions o = {}) {
  const model::Snippet* s = rb.find_snippet(id);
  REQUIRE(s);
  return runner::run_snippet(rb, *s, o);
}

// Processes whose command line contains `marker`.
int processes_with(const std::string& marker) {
  int n = 0;
  for (const auto& entry : fs::directory_iterator("/proc")) {
    std::string name = entry.path().filename();
    if (name.find_first_not_of("0123456789") != std::string::npos) continue;
    std::ifstream in(entry.path() / "cmdline", std::ios::binary);
    std::string cmd((std::istreambuf_iterator<char>(in)), {});
    std::replace(cmd.begin(), cmd.end(), '\0', ' ');
    if (cmd.find(marker) != std::string::npos && cmd.find("opsbook-run") == std::string::npos) ++n;
  }
  return n;
}

}  // namespace

TEST_CASE("run: no parameter value can inject a command, whatever the quoting around it", "[runner]") {
  test::TempDir dir;
  std::string canary = (dir.path() / "pwned").string();
  auto rb = test::parse("# T\n\n```bash {name=show}\nprintf '%s|' <value> \"<value>\" '<value>' \"prefix-<value>\"\necho\n```\n");
  const std::vector<std::string> attacks = {
      "; touch " + canary,          "$(touch " + canary + ")", "`touch " + canary + "`", "x\ntouch " + canary,
      "'; touch " + canary + "; '", "\"; touch " + canary + "; \"", "$'\\x41'; touch " + canary, "\\\"$(touch " + canary + ")",
      "a' \"$(touch " + canary + ")\" 'b"};
  for (const auto& attack : attacks) {
    INFO(attack);
    runner::RunOptions o;
    o.params = {{"value", attack}};
    auto r = run(rb, "show", o);
    REQUIRE(r.ran);
    CHECK(r.exit_code == 0);
    CHECK(r.out == attack + "|" + attack + "|" + attack + "|prefix-" + attack + "|\n");
    CHECK_FALSE(fs::exists(canary));
  }
}

TEST_CASE("run: destructive snippets are refused without their gates: the canary survives", "[runner]") {
  test::TempDir dir;
  fs::path canary = dir.path() / "canary";
  test::write_file(canary, "alive");
  auto rb = test::parse("# T\n\n```bash {name=wipe}\nrm -rf " + canary.string() + "\n```\n");
  runner::RunOptions o;
  auto r = run(rb, "wipe", o);  // no terminal, no flags
  CHECK_FALSE(r.ran);
  CHECK(r.refusal == "wipe is destructive (line 4 `rm -rf " + canary.string() + "`: rm: deletes data irrecoverably): type its name on a terminal, or pass --yes --allow-destructive");
  o.yes = true;  // --yes alone is not enough
  CHECK_FALSE(run(rb, "wipe", o).ran);
  o.yes = false;
  o.ask = [](const std::string&) { return std::optional<std::string>("yes"); };  // a "yes" is not the name
  r = run(rb, "wipe", o);
  CHECK(r.refusal == "name not typed back: wipe did not run");
  CHECK(fs::exists(canary));
  o.ask = [](const std::string&) { return std::optional<std::string>("wipe"); };
  CHECK(run(rb, "wipe", o).ran);
  CHECK_FALSE(fs::exists(canary));
}

TEST_CASE("run: a declared safety=read-only never lowers the gate of a destructive command", "[runner]") {
  test::TempDir dir;
  fs::path canary = dir.path() / "keep";
  test::write_file(canary, "x");
  auto rb = test::parse("# T\n\n```bash {name=lying safety=read-only}\nrm -f " + canary.string() + "\n```\n");
  runner::RunOptions o;
  o.yes = true;  // --yes alone confirms mutating snippets, never destructive ones
  auto r = run(rb, "lying", o);
  CHECK_FALSE(r.ran);
  CHECK(r.refusal == "lying is destructive (line 4 `rm -f " + canary.string() + "`: rm: deletes data irrecoverably): type its name on a terminal, or pass --yes --allow-destructive");
  CHECK(fs::exists(canary));
}

TEST_CASE("doc-tests: only commands of the allow list run: the skip names the line, the reason and the way forward", "[runner]") {
  auto rb = test::parse("# T\n\n"
                        "```bash {name=two run=auto expect-exit=0}\necho ok\ntail -f /etc/hostname\n```\n\n"
                        "```powershell {name=ps run=auto expect-exit=0}\nGet-Date\n```\n\n"
                        "```bash {name=read run=auto expect-stdout=ok}\necho ok | grep -c ok >/dev/null && echo ok\n```\n");
  std::vector<std::string> details;
  for (const auto& s : rb.snippets) {
    auto d = runner::run_doctest(rb, s, nullptr, std::chrono::seconds(5));
    details.push_back(s.id + ": " + (d.outcome == runner::DocTestResult::Outcome::pass ? "pass " : d.outcome == runner::DocTestResult::Outcome::skipped ? "skipped " : "fail ") + d.detail);
  }
  CHECK(details == std::vector<std::string>{
                       "two: skipped test.md:5: doc-test not run: 'tail' option -f is not on the doc-test allow list (run it with opsbook run, or see docs/safety.md#doc-tests)",
                       "ps: skipped test.md:9: doc-test not run: PowerShell has no doc-test allow list (run it with opsbook run, or see docs/safety.md#doc-tests)",
                       "read: pass exit 0, stdout matches",
                   });
}

TEST_CASE("run: interactive commands are never run, nor run as doc-tests", "[runner]") {
  auto rb = test::parse("# T\n\n```bash {name=db run=auto expect-exit=0}\nkubectl get pods\nkubectl exec -it api-0 -- bash\n```\n");
  runner::RunOptions o;
  o.yes = true;
  auto r = run(rb, "db", o);
  CHECK_FALSE(r.ran);
  CHECK(r.refusal == "test.md:5: db `kubectl exec -it api-0 -- bash` opens an interactive session: opsbook run never runs one; run it by hand in a terminal");
  auto d = runner::run_doctest(rb, *rb.find_snippet("db"), nullptr, std::chrono::seconds(5));
  CHECK(d.outcome == runner::DocTestResult::Outcome::skipped);
  CHECK(d.detail == "test.md:5: db `kubectl exec -it api-0 -- bash` opens an interactive session: never run as a doc-test (run it by hand in a terminal)");
}

TEST_CASE("run: a value that makes a command open an interactive session is refused, the value unshown", "[runner]") {
  test::TempDir dir;
  fs::path canary = dir.path() / "canary";
  // Read-only as written (an unknown tool's `status`); with client=psql it would wait on a session.
  auto rb = test::parse("# T\n\n```bash {name=st}\ntouch " + canary.string() + " && echo ok\n<client> status\n```\n", "ops/st.md");
  runner::RunOptions o;
  o.yes = true;  // `touch` is mutating; the session is refused all the same
  o.params = {{"client", "psql"}};
  auto r = run(rb, "st", o);
  CHECK_FALSE(r.ran);
  CHECK(r.refusal == "ops/st.md:5: st `<client> status` opens an interactive session with its values written in: opsbook run never runs one; run it by hand in a terminal (nothing ran)");
  CHECK_FALSE(fs::exists(canary));
  o.params = {{"client", "ssh"}};  // `ssh status`: a login to the host "status"
  CHECK(run(rb, "st", o).refusal.find("ops/st.md:5: st `<client> status` opens an interactive session") == 0);
  o.params = {{"client", "true"}};
  CHECK(run(rb, "st", o).ran);
  CHECK(fs::exists(canary));
}

TEST_CASE("run: mutating snippets need --yes or a terminal's yes: run=never never runs", "[runner]") {
  test::TempDir dir;
  fs::path made = dir.path() / "made";
  auto rb = test::parse("# T\n\n```bash {name=make}\nmkdir " + made.string() + "\n```\n\n```bash {name=never run=never}\necho hi\n```\n");
  runner::RunOptions o;
  auto r = run(rb, "make", o);
  CHECK(r.refusal == "make is mutating (line 4 `mkdir " + made.string() + "`: mkdir: changes files): pass --yes to run it without a terminal to confirm on");
  o.ask = [](const std::string&) { return std::optional<std::string>("n"); };
  CHECK(run(rb, "make", o).refusal == "not confirmed: make did not run");
  CHECK_FALSE(fs::exists(made));
  o.ask = nullptr;
  o.yes = true;
  CHECK(run(rb, "make", o).exit_code == 0);
  CHECK(fs::is_directory(made));
  CHECK(run(rb, "never", o).refusal.find("run=never") != std::string::npos);
}

TEST_CASE("run: a timeout stops the snippet and every child it started", "[runner]") {
  std::string marker = "31" + std::to_string(::getpid() % 1000) + ".25";  // a unique sleep length
  auto rb = test::parse("# T\n\n```bash {name=spawn}\nsleep " + marker + " &\n(sleep " + marker + ") &\nbash -c 'sleep " + marker +
                        "' &\necho started\nwait\n```\n");
  runner::RunOptions o;
  o.yes = true;  // `wait` is not known to be read-only
  o.timeout = std::chrono::milliseconds(800);
  auto start = std::chrono::steady_clock::now();
  auto r = run(rb, "spawn", o);
  double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  CHECK(r.timed_out);
  CHECK(r.out == "started\n");
  CHECK(secs < 5);
  CHECK(processes_with("sleep " + marker) == 0);
}

TEST_CASE("run: background children do not outlive a snippet that exits", "[runner]") {
  std::string marker = "32" + std::to_string(::getpid() % 1000) + ".5";
  auto rb = test::parse("# T\n\n```bash {name=bg}\nsleep " + marker + " &\necho done\n```\n");
  auto start = std::chrono::steady_clock::now();
  auto r = run(rb, "bg");
  CHECK(r.exit_code == 0);
  CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(5));
  CHECK(processes_with("sleep " + marker) == 0);
}

TEST_CASE("run: the environment is scrubbed to a safe set plus the environment's params", "[runner]") {
  ::setenv("OPSBOOK_TEST_LEAK", "should-not-pass", 1);
  model::EnvironmentConfig env;
  env.name = "staging";
  env.params = {{"REGION", "eu-1"}};
  auto rb = test::parse("# T\n\n```bash {name=vars}\necho \"${OPSBOOK_TEST_LEAK:-unset} $REGION $OPSBOOK_ENV ${HOME:+home}\"\n```\n");
  runner::RunOptions o;
  o.env = &env;
  auto r = run(rb, "vars", o);
  CHECK(r.out == "unset eu-1 staging home\n");
}

TEST_CASE("run: missing parameters are named: static errors block without --force", "[runner]") {
  auto rb = test::parse("# T\n\n```bash {name=logs}\ndocker logs <service> --since {{since}}\n```\n");
  auto r = run(rb, "logs");
  CHECK(r.refusal == "missing parameters service, since: pass --param NAME=VALUE (or set it under params: of the environment)");
  runner::RunOptions o;
  o.params = {{"service", "x"}, {"since", "1h"}};
  o.validation_errors = {"rb.md:4: shell-syntax: unexpected end of file"};
  o.dry_run = true;
  CHECK(run(rb, "logs", o).refusal.find("failed static validation") != std::string::npos);
  o.force = true;
  r = run(rb, "logs", o);
  CHECK(r.refusal.empty());
  CHECK(r.command == "OPSBOOK_P_service='x'\nOPSBOOK_P_since='1h'\ndocker logs \"${OPSBOOK_P_service}\" --since \"${OPSBOOK_P_since}\"\n");
}

TEST_CASE("run: host rewrites apply, and the transcript holds no secret", "[runner]") {
  test::TempDir dir;
  model::EnvironmentConfig env;
  env.name = "local";
  env.hosts = {{"api.example.com", "127.0.0.1:9"}};
  auto rb = test::parse("# T\n\n```bash {name=show}\necho https://api.example.com/x <db_password>\necho ghp_Zx81KqP0aLmN3vB7cD5eF2gH9iJ4kL6mN0pQ\n```\n");
  runner::RunOptions o;
  o.env = &env;
  o.params = {{"db_password", "hunter2-very-secret"}};
  o.transcript_dir = (dir.path() / "t").string();
  o.redact = [](std::string_view s) {
    std::string out(s);
    for (size_t p = out.find("ghp_"); p != std::string::npos; p = out.find("ghp_", p + 4)) out.replace(p + 4, 36, std::string(36, '*'));
    return out;
  };
  auto r = run(rb, "show", o);
  CHECK(r.out == "https://127.0.0.1:9/x hunter2-very-secret\nghp_Zx81KqP0aLmN3vB7cD5eF2gH9iJ4kL6mN0pQ\n");  // the person sees it live
  REQUIRE_FALSE(r.transcript.empty());
  std::string text = test::read_file(r.transcript);
  CHECK(text.find("hunter2-very-secret") == std::string::npos);
  CHECK(text.find("Zx81KqP0") == std::string::npos);
  auto j = nlohmann::json::parse(text);
  CHECK(j["snippet"] == "show");
  CHECK(j["env"] == "local");
  CHECK(j["exit_code"] == 0);
  CHECK(j["params"]["db_password"] == "***");
  CHECK(j["command"] == "OPSBOOK_P_db_password='***'\necho https://127.0.0.1:9/x \"${OPSBOOK_P_db_password}\"\necho ghp_************************************\n");
}

TEST_CASE("run: the opsbook binary refuses without a terminal and passes the exit code on", "[runner][cli]") {
  test::TempDir dir;
  test::write_file(dir.path() / "rb.md", "# T\n\n```bash {name=fail}\nexit 7\n```\n\n```bash {name=restart}\nsystemctl restart nginx\n```\n\n```bash {name=broken}\nif true; then\n```\n");
  std::string rb = (dir.path() / "rb.md").string();
  auto r = test::run_opsbook({"run", rb + "#fail", "--no-transcript"});
  CHECK(r.exit_code == 7);
  r = test::run_opsbook({"run", rb + "#restart", "--no-transcript"});
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("opsbook: refused: restart is mutating (line 8 `systemctl restart nginx`: systemctl restart: changes a running service): pass --yes") != std::string::npos);
  r = test::run_opsbook({"run", rb + "#broken", "--no-transcript"});
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("failed static validation") != std::string::npos);
  r = test::run_opsbook({"run", rb + "#nope"});
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("no snippet named 'nope'; it has: fail, restart, broken") != std::string::npos);
  r = test::run_opsbook({"run", rb, "--list"});
  CHECK(r.exit_code == 0);
  CHECK(r.out.find("restart") != std::string::npos);
  CHECK(r.out.find("mutating") != std::string::npos);
}

TEST_CASE("run: docker commands address the environment's Docker daemon and Compose project", "[runner]") {
  ::setenv("DOCKER_HOST", "unix:///var/run/elsewhere.sock", 1);
  model::EnvironmentConfig env;
  env.name = "local";
  env.compose = model::ComposeConfig{"shop", "unix:///tmp/opsbook-test/docker.sock", true, 0};
  auto rb = test::parse("# T\n\n```bash {name=vars}\necho \"$DOCKER_HOST $COMPOSE_PROJECT_NAME\"\n```\n");
  runner::RunOptions o;
  o.env = &env;
  CHECK(run(rb, "vars", o).out == "unix:///tmp/opsbook-test/docker.sock shop\n");
  ::unsetenv("DOCKER_HOST");
}

TEST_CASE("run: no value chooses the Docker daemon: params of the environment and --param never set DOCKER_HOST (hostile review round 4)", "[runner]") {
  model::EnvironmentConfig env;
  env.name = "local";
  env.compose = model::ComposeConfig{"shop", "unix:///tmp/opsbook-test/docker.sock", true, 0};
  env.params = {{"DOCKER_HOST", "unix:///tmp/other.sock"}, {"REGION", "eu"}};
  auto rb = test::parse("# T\n\n```bash {name=vars}\necho \"$DOCKER_HOST $REGION\"\n```\n");
  runner::RunOptions o;
  o.env = &env;
  auto r = run(rb, "vars", o);
  CHECK_FALSE(r.ran);
  CHECK(r.refusal ==
        "test.md:3: parameter DOCKER_HOST chooses the programs or the daemon the snippet's commands use: opsbook run does not take it from --param or "
        "opsbook.yaml (the environment's compose: settings set DOCKER_HOST; for another value, export it in your shell) (nothing ran)");
  for (const char* name : {"OPENSSL_CONF", "SSLKEYLOGFILE", "SYSTEM_WGETRC", "PGOPTIONS"}) {  // final review: config files, libraries
    env.params = {{name, "/tmp/evil"}};
    auto named = test::parse(std::string("# T\n\n```bash {name=vars}\ntest -n \"$") + name + "\"\n```\n");
    CHECK(run(named, "vars", o).refusal.find(std::string("parameter ") + name + " chooses the programs") != std::string::npos);
  }
  env.params = {{"REGION", "eu"}};
  o.params = {{"DOCKER_HOST", "unix:///tmp/other.sock"}};
  CHECK(run(rb, "vars", o).refusal.find("parameter DOCKER_HOST chooses the programs") != std::string::npos);
  // A snippet that does not name it still runs with the environment's daemon, whatever params say.
  o.params.clear();
  env.params = {{"DOCKER_HOST", "unix:///tmp/other.sock"}, {"REGION", "eu"}};
  auto plain = test::parse("# T\n\n```bash {name=vars}\nprintenv DOCKER_HOST REGION || true\n```\n");
  auto shown = run(plain, "vars", o);
  INFO(shown.refusal);
  CHECK(shown.out == "unix:///tmp/opsbook-test/docker.sock\n");  // params the snippet does not name are no variables of it
}

TEST_CASE("run: a given value is a variable of the snippet's shell, never of its programs' environment (unless a shell it starts reads it)", "[runner]") {
  // OTEL_SERVICE_NAME, LOG_LEVEL...: no list names every variable a program obeys (http_proxy,
  // AWS_ENDPOINT_URL, VAULT_ADDR are on one: such a parameter is refused outright, below).
  auto rb = test::parse("# T\n\n```bash {name=vars}\n"
                        "echo \"in: $OTEL_SERVICE_NAME $LOG_LEVEL app=<app>\"; printenv OTEL_SERVICE_NAME LOG_LEVEL || echo none; export -p | grep -c OPSBOOK_ || true\n"
                        "```\n\n```bash {name=child}\necho \"$NS\"; bash -c 'echo child=$NS'; printenv NS\n```\n\n"
                        "```bash {name=make}\necho <file> >/dev/null; make -s -f \"$MK\"\n```\n");
  runner::RunOptions o;
  o.params = {{"OTEL_SERVICE_NAME", "http://127.0.0.1:9"}, {"LOG_LEVEL", "http://127.0.0.1:6379"}, {"app", "web; touch x"}};
  auto r = run(rb, "vars", o);
  INFO(r.refusal << r.err);
  CHECK(r.out == "in: http://127.0.0.1:9 http://127.0.0.1:6379 app=web; touch x\nnone\n0\n");
  // The operator's own environment still reaches the programs.
  ::setenv("OTEL_SERVICE_NAME", "http://127.0.0.1:8", 1);
  o.params = {{"app", "web"}, {"LOG_LEVEL", "http://127.0.0.1:6379"}};
  CHECK(run(rb, "vars", o).out == "in: http://127.0.0.1:8 http://127.0.0.1:6379 app=web\nhttp://127.0.0.1:8\nnone\n0\n");
  ::unsetenv("OTEL_SERVICE_NAME");
  for (std::string name : {"http_proxy", "ALL_PROXY", "AWS_ENDPOINT_URL", "VAULT_ADDR", "PGHOST"}) {
    auto proxy = test::parse("# T\n\n```bash {name=p}\necho \"$" + name + "\"; curl -s http://127.0.0.1:1/\n```\n");
    runner::RunOptions po;
    po.params = {{name, "http://127.0.0.1:9"}};
    CHECK(run(proxy, "p", po).refusal.find("test.md:3: parameter " + name + " chooses the programs or the daemon the snippet's commands use") == 0);
  }
  // bash -c '... $NS' reads NS from its environment: exported, and judged there as code.
  o.params = {{"NS", "kube-system"}};
  CHECK(run(rb, "child", o).out == "kube-system\nchild=kube-system\nkube-system\n");
  o.params = {{"NS", "a *"}};
  CHECK(run(rb, "child", o).refusal ==
        "test.md:8: $NS reaches the script that bash -c runs through the environment, where $NS is expanded unquoted, where bash splits its value into "
        "words and expands * ? [ to file names; quote it in the snippet (\"$NS\"), or pass a value without spaces or wildcards (nothing ran)");
  // make reads its environment as makefile variables: a value's variable is never there.
  test::TempDir dir;
  std::string mark = (dir.path() / "PWNED").string();
  test::write_file(dir.path() / "mk", "all:\n\t@echo '$(OPSBOOK_P_file)'\n");
  o.params = {{"MK", (dir.path() / "mk").string()}, {"file", "$(shell touch " + mark + ")"}};
  o.yes = true;
  r = run(rb, "make", o);
  INFO(r.refusal << r.err);
  CHECK(r.ran);
  CHECK(r.out == "\n");
  CHECK_FALSE(fs::exists(mark));
  o.yes = false;
  // Names bash itself obeys are never set, even as the shell's own variables.
  for (const char* name : {"CDPATH", "BASH_LOADABLES_PATH", "GLOBIGNORE", "EXECIGNORE"}) {
    auto named = test::parse(std::string("# T\n\n```bash {name=v}\ntest -n \"$") + name + "\"\n```\n");
    o.params = {{name, "/tmp"}};
    CHECK(run(named, "v", o).refusal.find(std::string("parameter ") + name + " chooses the programs") != std::string::npos);
  }
}

TEST_CASE("doc-tests: their output never shows the environment's DSNs or secrets, however the snippet reads them (s5 review)", "[runner]") {
  ::setenv("OPSBOOK_TEST_DSN", "postgresql://app:s3cretPW@127.0.0.1:1/db", 1);
  model::EnvironmentConfig env;
  env.name = "local";
  env.services = {model::ServiceConfig{"db", "postgres", "", "OPSBOOK_TEST_DSN", ""}};
  env.params = {{"API_TOKEN", "tok-123456"}};
  auto rb = test::parse("# T\n\n"
                        "```bash {name=environ run=auto expect-stdout=nothing-like-this}\nawk 'BEGIN { print ENVIRON[\"OPSBOOK_TEST_DSN\"] }'\n```\n\n"
                        "```bash {name=token run=auto expect-stdout=nothing-like-this}\necho \"$API_TOKEN\"\n```\n");
  auto base64 = test::parse("# T\n\n```bash {name=b64 run=auto expect-exit=0}\necho \"$OPSBOOK_TEST_DSN\" | base64 >&2; false\n```\n");
  // A secret written into the script is refused outright (round 7: it reached a URL); what reads
  // the environment another way runs, and its output is never shown.
  std::string secret_use = " other than as a whole connection string of psql, pg_isready or redis-cli (its value would reach a URL, a log or the output)";
  auto d = runner::run_doctest(base64, base64.snippets[0], &env, std::chrono::seconds(10));
  CHECK(d.outcome == runner::DocTestResult::Outcome::skipped);
  CHECK(d.detail == "test.md:4: doc-test not run: uses $OPSBOOK_TEST_DSN, a secret of the environment," + secret_use +
                        " (run it with opsbook run, or see docs/safety.md#doc-tests)");
  d = runner::run_doctest(rb, *rb.find_snippet("token"), &env, std::chrono::seconds(10));
  CHECK(d.outcome == runner::DocTestResult::Outcome::skipped);
  CHECK(d.detail.find(secret_use) != std::string::npos);
  CHECK(d.detail.find("tok-123456") == std::string::npos);
  // A program reading the environment (awk's ENVIRON) finds no DSN there (s7d review D1), and a
  // doc-test's output is never shown.
  for (const auto& s : rb.snippets) {
    if (s.id == "token") continue;
    d = runner::run_doctest(rb, s, &env, std::chrono::seconds(10));
    INFO(s.id << ": " << d.detail);
    CHECK(d.outcome == runner::DocTestResult::Outcome::fail);  // it ran
    CHECK(d.detail == "stdout does not match /nothing-like-this/ (its output is not shown in reports: run it with opsbook run to see it)");
    CHECK(d.detail.find("s3cretPW") == std::string::npos);
    CHECK(d.detail.find("127.0.0.1:1/db") == std::string::npos);
    CHECK(d.detail.find("tok-123456") == std::string::npos);
  }
  ::unsetenv("OPSBOOK_TEST_DSN");
}

TEST_CASE("doc-tests: docker reads no configuration folder, whose cli-plugins it would run (s5 Docker review)", "[runner]") {
  ProgramDir dir;
  InCheckout checkout;
  test::write_file(dir.path() / "docker", "#!/bin/sh\necho \"config=$DOCKER_CONFIG\"\n");
  fs::permissions(dir.path() / "docker", fs::perms::owner_all);
  std::string path = std::getenv("PATH");
  ::setenv("PATH", (dir.path().string() + ":" + path).c_str(), 1);
  ::setenv("DOCKER_CONFIG", (dir.path() / "checkout-config").c_str(), 1);  // as a CI job might point it into the checkout
  auto rb = test::parse("# T\n\n```bash {name=ps run=auto expect-stdout=^config=/dev/null/opsbook-doctest$}\ndocker ps\n```\n");
  model::EnvironmentConfig env;
  env.name = "local";
  env.compose = model::ComposeConfig{"shop", "", true, 0};
  auto d = runner::run_doctest(rb, rb.snippets[0], &env, std::chrono::seconds(10));
  ::setenv("PATH", path.c_str(), 1);
  ::unsetenv("DOCKER_CONFIG");
  INFO(d.detail);
  CHECK(d.outcome == runner::DocTestResult::Outcome::pass);
}

TEST_CASE("doc-tests: docker commands run only when they read, end on their own and address the environment's stack", "[runner]") {
  // A docker on PATH that prints how it was called (a doc-test writes no file outside its own
  // temporary folder, so the output is the trace).
  ProgramDir dir;
  InCheckout checkout;
  test::write_file(dir.path() / "docker", "#!/bin/sh\necho \"shop-db $*\"\n");
  fs::permissions(dir.path() / "docker", fs::perms::owner_all);
  std::string path = std::getenv("PATH");
  ::setenv("PATH", (dir.path().string() + ":" + path).c_str(), 1);
  auto rb = test::parse("# T\n\n"
                        "```bash {name=ps run=auto expect-stdout='^shop-db ps --format .{2}.Names.{2}$'}\ndocker ps --format '{{.Names}}'\n```\n\n"
                        "```bash {name=restart run=auto expect-exit=0}\ndocker compose restart worker\n```\n\n"
                        "```bash {name=follow run=auto expect-exit=0}\ndocker compose logs -f worker\n```\n\n"
                        "```bash {name=exec run=auto expect-exit=0}\ndocker exec shop-db cat /etc/hostname\n```\n\n"
                        "```bash {name=wipe run=auto expect-exit=0}\ndocker exec shop-db rm -rf /var/lib/data\n```\n\n"
                        "```bash {name=stats run=auto expect-exit=0}\necho start && docker stats\n```\n\n"
                        "```bash {name=tail run=auto expect-stdout='^shop-db logs --tail 5 shop-db$'}\ndocker logs --tail 5 shop-db\n```\n");
  model::EnvironmentConfig env;
  env.name = "local";
  env.compose = model::ComposeConfig{"shop", "", true, 0};
  std::vector<std::string> outcomes;
  for (const auto& s : rb.snippets) {
    auto d = runner::run_doctest(rb, s, &env, std::chrono::seconds(10));
    outcomes.push_back(s.id + ": " + (d.outcome == runner::DocTestResult::Outcome::pass ? "pass" : d.outcome == runner::DocTestResult::Outcome::fail ? "fail" : "skipped") +
                       " " + d.detail);
  }
  ::setenv("PATH", path.c_str(), 1);
  CHECK(outcomes == std::vector<std::string>{
                        "ps: pass exit 0, stdout matches",
                        "restart: skipped mutating (line 8 `docker compose restart worker`: docker compose restart: changes the project's containers): "
                        "a live check runs only read-only doc-tests (run it with opsbook run)",
                        "follow: skipped docker compose logs follows the log until stopped: not run as a doc-test",
                        "exec: skipped docker exec runs a process in a container (the Engine API's exec and start are writes): not run as a doc-test",  // docker exec counts as the command it runs: a read
                        "wipe: skipped destructive: never run as a doc-test",
                        "stats: skipped docker stats streams until stopped: add --no-stream: not run as a doc-test",
                        "tail: pass exit 0, stdout matches",
                    });
  // Without the environment's stack (or with its probe off) docker commands do not run at all.
  ::setenv("PATH", (dir.path().string() + ":" + path).c_str(), 1);
  auto none = runner::run_doctest(rb, rb.snippets[0], nullptr, std::chrono::seconds(10));
  CHECK(none.detail == "no compose: settings in no environment: docker commands are not run (they would address whatever daemon DOCKER_HOST names)");
  env.compose->probe = false;
  auto off = runner::run_doctest(rb, rb.snippets[0], &env, std::chrono::seconds(10));
  ::setenv("PATH", path.c_str(), 1);
  CHECK(off.detail == "compose.probe is false in environment 'local': docker commands are not run");
}

TEST_CASE("doc-tests: the spellings of hostile reviews rounds 4 and 5 never reach docker", "[runner]") {
  test::TempDir dir;
  std::string trace = (dir.path() / "calls").string();
  test::write_file(dir.path() / "docker", "#!/bin/sh\necho \"$*\" >> '" + trace + "'\n");
  test::write_file(dir.path() / "docker-compose", "#!/bin/sh\necho \"compose $*\" >> '" + trace + "'\n");
  fs::permissions(dir.path() / "docker", fs::perms::owner_all);
  fs::permissions(dir.path() / "docker-compose", fs::perms::owner_all);
  std::string path = std::getenv("PATH");
  std::string md = "# T\n\n";
  for (const char* line : {"docker -Dl info stop web", "docker -DHunix:///tmp/other.sock ps", "docker-compose --profil ps stop web",
                           "docker-compose --hos=tcp://127.0.0.1:23750 ps", "docker-compose logs --tail 5 --fol web", "docker logs --tail 5 --tail all web",
                           "docker logs --tail 5 {-f,web}", "docker logs --tail 5 $(echo -f) web", "echo -f web | xargs docker logs --tail 5",
                           "watch -n 1 docker ps", "env -vi docker ps", "unset DOCKER_{HOST,X}; docker ps",
                           // round 5
                           "docker container stop web status", "docker -l info container stop web", "docker login -u a -p pw localhost:5999",
                           "for DOCKER_HOST in unix:///tmp/other.sock; do docker ps; done", "read -r DOCKER_HOST <<< unix:///tmp/o.sock; docker ps",
                           "PYTHONUSERBASE=pub docker-compose ps", "prlimit env docker logs --tail 5 web", "docker-compose --env-file x.env ps"}) {
    md += "```bash {run=auto expect-exit=0}\n" + std::string(line) + "\n```\n\n";
  }
  auto rb = test::parse(md);
  model::EnvironmentConfig env;
  env.name = "local";
  env.compose = model::ComposeConfig{"shop", "", true, 0};
  ::setenv("PATH", (dir.path().string() + ":" + path).c_str(), 1);
  for (const auto& s : rb.snippets) {
    auto d = runner::run_doctest(rb, s, &env, std::chrono::seconds(5));
    INFO(s.code << " -> " << d.detail);
    CHECK(d.outcome == runner::DocTestResult::Outcome::skipped);
  }
  ::setenv("PATH", path.c_str(), 1);
  CHECK_FALSE(fs::exists(trace));
}

TEST_CASE("run: a snippet without its service says what is missing: the environment, or the service in it", "[runner][cli]") {
  test::TempDir dir;
  test::write_file(dir.path() / "rb.md",
                   "# T\n\n```sql {name=pending service=orders-db}\nSELECT 1;\n```\n\n```sql {name=count}\nSELECT 2;\n```\n\n```http {name=health}\nGET /healthz\n```\n");
  test::write_file(dir.path() / "opsbook.yaml", "environments:\n  staging:\n    services:\n      cache: {url: \"redis://127.0.0.1:1\"}\n");
  std::string rb = (dir.path() / "rb.md").string();
  std::filesystem::create_directory(dir.path() / "elsewhere");  // no opsbook.yaml there: no environment
  auto r = test::run_opsbook({"run", rb + "#pending", "--dry-run"}, (dir.path() / "elsewhere").string());
  CHECK(r.exit_code == 2);
  CHECK(r.err == "opsbook: refused: snippet pending runs against service 'orders-db' of an environment, and none was chosen: "
                 "name one with --env NAME (or set default_env in opsbook.yaml)\n");
  std::string config = (dir.path() / "opsbook.yaml").string();
  r = test::run_opsbook({"--config", config, "run", rb + "#pending", "--dry-run", "--env", "staging"});
  CHECK(r.err == "opsbook: refused: snippet pending: environment 'staging' has no service 'orders-db'\n");
  r = test::run_opsbook({"--config", config, "run", rb + "#count", "--dry-run", "--env", "staging"});
  CHECK(r.err == "opsbook: refused: snippet count: environment 'staging' has no postgres service (the snippet can name one with the service attribute)\n");
  r = test::run_opsbook({"run", rb + "#health", "--dry-run"}, (dir.path() / "elsewhere").string());
  CHECK(r.err == "opsbook: refused: no base URL for /healthz: snippet health runs against an HTTP service of an environment, and none was chosen: "
                 "name one with --env NAME (or set default_env in opsbook.yaml)\n");
}

TEST_CASE("run: transcripts land beside the configuration file, wherever opsbook runs from", "[runner][cli]") {
  test::TempDir dir;
  test::write_file(dir.path() / "ops/opsbook.yaml", "environments:\n  local: {}\n");
  test::write_file(dir.path() / "content/rb.md", "# T\n\n```bash {name=hello}\necho hello\n```\n");
  std::filesystem::create_directory(dir.path() / "elsewhere");
  auto r = test::run_opsbook({"--config", "../ops/opsbook.yaml", "run", "../content/rb.md#hello"}, (dir.path() / "elsewhere").string());
  REQUIRE(r.exit_code == 0);
  CHECK(r.out == "hello\n");
  CHECK(r.err.starts_with("opsbook: exit 0; transcript ../ops/.opsbook/transcripts/"));
  size_t found = 0;
  for (const auto& e : std::filesystem::directory_iterator(dir.path() / "ops/.opsbook/transcripts")) found += e.path().extension() == ".json";
  CHECK(found == 1);
  CHECK_FALSE(std::filesystem::exists(dir.path() / "elsewhere/.opsbook"));
}

TEST_CASE("run: an http snippet never sends its own Content-Length or Transfer-Encoding, and a GET with a body is no doc-test (round 7: a DELETE smuggled in a GET's body)", "[runner]") {
  auto rb = test::parse("# T\n\n```http {name=smuggle run=auto expect-exit=0}\nGET http://127.0.0.1:9/_ping\nContent-Length: 0\n\nDELETE /volumes/v1 HTTP/1.1\nHost: x\n\n```\n\n"
                        "```http {name=body run=auto expect-exit=0}\nGET http://127.0.0.1:9/_ping\n\nDELETE /volumes/v1 HTTP/1.1\n```\n");
  runner::RunOptions o;
  o.yes = true;
  auto r = run(rb, "smuggle", o);
  CHECK_FALSE(r.ran);
  CHECK(r.refusal ==
        "test.md:5: snippet smuggle: header `Content-Length: 0` sets Content-Length, which frames the body: curl computes it (a written one makes the "
        "server read the rest of the body as another request): remove it (nothing ran)");
  std::vector<std::string> details;
  for (const auto& s : rb.snippets) details.push_back(s.id + ": " + runner::run_doctest(rb, s, nullptr, std::chrono::seconds(5)).detail);
  CHECK(details == std::vector<std::string>{
                       "smuggle: test.md:5: snippet smuggle: header `Content-Length: 0` sets Content-Length, which frames the body: curl computes it (a "
                       "written one makes the server read the rest of the body as another request): remove it (nothing ran)",
                       "body: mutating: a live check runs only read-only doc-tests (run it with opsbook run)",  // a GET with a body
                   });
}

TEST_CASE("run: an ssh -o option a value decides is mutating, as written and filled, and the dry run says so", "[runner]") {
  // `<opt>` is an ssh -o value inside the cluster -vo: which option ssh gets is decided by the value.
  auto rb = test::parse("# T\n\n```bash {name=up}\nssh -vo <opt> db1 uptime\n```\n");
  runner::RunOptions o;
  o.params = {{"opt", "ProxyCommand=touch"}};
  auto r = run(rb, "up", o);
  CHECK_FALSE(r.ran);
  CHECK(r.refusal == "up is mutating (line 4 `ssh -vo <opt> db1 uptime`: ssh -o <opt>: not an option opsbook knows harmless (it may run a local program, go to the background, keep a connection master, forward or read configuration)): pass --yes to run it without a terminal to confirm on");
  o.dry_run = true;
  r = run(rb, "up", o);
  CHECK(r.safety == model::Safety::mutating);
  o.params = {{"opt", "ConnectTimeout=5"}};
  r = run(rb, "up", o);
  CHECK(r.safety == model::Safety::mutating);  // as written: the keyword is not known before the value
}
