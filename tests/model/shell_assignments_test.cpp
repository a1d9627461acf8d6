// Every way a bash script assigns a variable, as model/shell_assignments reads it.
#include <catch2/catch.hpp>

#include <algorithm>

#include "model/shell_assignments.hpp"

using opsbook::model::AssignKind;
using opsbook::model::Assignment;
namespace shell = opsbook::model::shell;

namespace {

// "NAME:kind[:value]" for each assignment, sorted.
std::vector<std::string> summary(const char* code) {
  shell::Script s = shell::lex(code);
  std::vector<std::string> out;
  for (const Assignment& a : opsbook::model::shell_assignments(s)) {
    static constexpr const char* k_kinds[] = {"literal", "run_time", "arithmetic", "name_reference", "dynamic_name"};
    out.push_back(a.name + ":" + k_kinds[static_cast<int>(a.kind)] + (a.kind == AssignKind::literal ? ":" + a.value : ""));
  }
  std::sort(out.begin(), out.end());
  return out;
}

using V = std::vector<std::string>;

}  // namespace

TEST_CASE("shell assignments: NAME=value words, with the value the runbook writes out", "[model][shell]") {
  CHECK(summary("x=1; y='a b'; z=$(date); w=\"$z\"") == V{"w:run_time", "x:literal:1", "y:literal:a b", "z:run_time"});
  CHECK(summary("a=(1 2); b+=x; c[1]=2") == V{"a:run_time", "b:run_time", "c:run_time"});
  CHECK(summary("export A=1 B; local C=\"x\"; declare -r D=2") == V{"A:literal:1", "C:literal:x", "D:literal:2"});
  CHECK(summary("for i in a b; do :; done; for j; do :; done") == V{"i:run_time", "j:run_time"});
}

TEST_CASE("shell assignments: builtins that set the names they are given", "[model][shell]") {
  CHECK(summary("read -r -p 'PATH? ' a b") == V{"a:run_time", "b:run_time"});
  CHECK(summary("printf -v x %s 1; printf -vy 2; mapfile -t lines < f; getopts ab opt") == V{"lines:run_time", "opt:run_time", "x:run_time", "y:run_time"});
  CHECK(summary("unset A; declare +x B; export C") == V{"A:run_time", "B:run_time"});
  CHECK(summary("declare -n r=PATH; export \"$n\"=1") == V{":dynamic_name", ":name_reference", "r:run_time"});
}

TEST_CASE("shell assignments: arithmetic assigns wherever bash evaluates it", "[model][shell]") {
  CHECK(summary("(( X = 0 )); echo $((Y++)) $[--Z]; (( W += 2 ))") == V{"W:arithmetic", "X:arithmetic", "Y:arithmetic", "Z:arithmetic"});
  CHECK(summary("[[ A=1 -eq 1 ]]; [[ -v b[B=2] ]]; let C=3 D++") == V{"A:arithmetic", "B:arithmetic", "C:arithmetic", "D:arithmetic"});
  CHECK(summary("declare -i n; n=E=4; a[F=5]=1") == V{"E:arithmetic", "F:arithmetic", "a:run_time", "n:arithmetic", "n:run_time"});
  CHECK(summary("for ((i = 0; i < 3; i++)); do :; done") == V{"i:arithmetic", "i:arithmetic"});
  // Comparisons, reads and text that is not arithmetic assign nothing.
  CHECK(summary("(( X == 0 )); echo $((Y + 1)) $(( $(echo Z=1) )) 'W=1'; [[ V == 1 ]]").empty());
  shell::Script s = shell::lex("echo $((n + m)) $(( $k )); (( j ))");
  CHECK(opsbook::model::arithmetic_reads(s) == V{"j", "k", "m", "n"});
}
