// Which arguments commands read again as code, through wrappers.
#include <catch2/catch.hpp>

#include "runner/reevaluation.hpp"

using namespace opsbook::runner;

namespace {
// The evaluation of the word holding "X".
std::string of(std::vector<std::string> args) {
  size_t pos = static_cast<size_t>(std::find_if(args.begin(), args.end(), [](const std::string& a) { return a.find('X') != std::string::npos; }) - args.begin());
  Reevaluation r = reevaluated_argument(args, 0, pos);
  return r.kind == Evaluation::none ? "data" : r.by;
}
}  // namespace

TEST_CASE("reevaluation: scripts, remote commands and programs, through wrappers", "[runner]") {
  CHECK(of({"bash", "-c", "X"}) == "bash -c");
  CHECK(of({"bash", "-lc", "X"}) == "bash -c");
  CHECK(of({"bash", "-c", "echo", "X"}) == "data");  // $0 of the script
  CHECK(of({"bash", "X"}) == "data");              // a script file
  CHECK(of({"sudo", "-u", "postgres", "psql", "-c", "X"}) == "psql -c");
  CHECK(of({"sudo", "-u", "X", "ls"}) == "data");
  CHECK(of({"sudo", "-s", "X"}) == "sudo");
  CHECK(of({"env", "A=1", "timeout", "5", "sh", "-c", "X"}) == "sh -c");
  CHECK(of({"kubectl", "-n", "prod", "exec", "web", "--", "sh", "-c", "X"}) == "sh -c");
  CHECK(of({"kubectl", "exec", "web", "--", "cat", "X"}) == "data");
  CHECK(of({"kubectl", "exec", "web", "cat", "X"}) == "kubectl");
  CHECK(of({"kubectl", "get", "pod", "X"}) == "data");
  CHECK(of({"ssh", "-p", "22", "host", "X"}) == "ssh");
  CHECK(of({"knife", "ssh", "role:db", "X"}) == "knife ssh");
  CHECK(of({"find", ".", "-exec", "sh", "-c", "X", "{}", ";"}) == "sh -c");
  CHECK(of({"xargs", "-n", "1", "bash", "-c", "X"}) == "bash -c");
  CHECK(of({"awk", "-F:", "X", "file"}) == "awk");
  CHECK(of({"awk", "-F", ":", "{print}", "X"}) == "data");
  CHECK(of({"sed", "-i", "X", "file"}) == "sed");
  CHECK(of({"python3", "-c", "X"}) == "python3");
  CHECK(of({"mysql", "-e", "X"}) == "mysql -e");
  CHECK(of({"psql", "--command=X"}) == "psql -c");
  CHECK(of({"let", "X"}) == "let");
  CHECK(of({"declare", "-a", "X"}) == "declare -a");
  CHECK(of({"unknownwrapper", "--flag", "bash", "-c", "X"}) == "bash -c");
  // Commands that hand their argument to a shell (hostile review).
  CHECK(of({"flock", "/tmp/l", "-c", "X"}) == "flock");
  CHECK(of({"flock", "-w", "5", "/tmp/l", "cat", "X"}) == "data");
  CHECK(of({"script", "-qc", "X", "/dev/null"}) == "script");
  CHECK(of({"script", "--command=X"}) == "script");
  CHECK(of({"script", "-q", "X"}) == "data");  // the log file
  CHECK(of({"sg", "docker", "X"}) == "sg");
  CHECK(of({"tmux", "send-keys", "-t", "s", "X", "Enter"}) == "tmux");
  CHECK(of({"rsync", "-e", "X", "a", "b:"}) == "rsync -e");
  CHECK(of({"rsync", "-av", "X", "b:"}) == "data");
  CHECK(of({"tar", "--to-command=X", "-xf", "a.tar"}) == "tar");
  CHECK(of({"tar", "-I", "X", "-xf", "a.tar"}) == "tar");
  CHECK(of({"tar", "-xf", "X"}) == "data");
  CHECK(of({"git", "-c", "core.sshCommand=X", "fetch"}) == "git -c");
  CHECK(of({"git", "log", "X"}) == "data");
}

TEST_CASE("reevaluation: integer variables, whose assignments bash evaluates as arithmetic", "[runner]") {
  CHECK(integer_variables({"declare", "-i", "n", "m=1", "arr[2]=3", "k+=1"}, 0) == std::vector<std::string>{"n", "m", "arr", "k"});
  CHECK(integer_variables({"A=1", "local", "-ri", "n"}, 1) == std::vector<std::string>{"n"});
  CHECK(integer_variables({"typeset", "-ai", "n"}, 0) == std::vector<std::string>{"n"});
  CHECK(integer_variables({"declare", "+i", "n"}, 0).empty());
  CHECK(integer_variables({"declare", "-a", "n"}, 0).empty());
  CHECK(integer_variables({"echo", "-i", "n"}, 0).empty());
}

TEST_CASE("reevaluation: standard input read as code", "[runner]") {
  auto in = [](std::vector<std::string> args) {
    Reevaluation r = stdin_evaluation(args, 0);
    return r.kind == Evaluation::none ? std::string("data") : r.by;
  };
  CHECK(in({"bash"}) == "bash");
  CHECK(in({"bash", "-s", "--", "a"}) == "bash");
  CHECK(in({"bash", "-c", "cat"}) == "data");
  CHECK(in({"sudo", "-u", "postgres", "psql"}) == "psql");
  CHECK(in({"psql", "-c", "SELECT 1"}) == "data");
  CHECK(in({"ssh", "host"}) == "ssh");
  CHECK(in({"cat"}) == "data");
  CHECK(in({"tee", "/etc/x"}) == "data");
  CHECK(in({"kubectl", "apply", "-f", "-"}) == "kubectl");
}
