// Taint through shell variables: which variables may hold a value, and where a variable is
// expanded or read as a bare name. (tests/security runs the filler's refusals through real bash.)
#include <catch2/catch.hpp>
#include <map>

#include "runner/taint.hpp"

using namespace opsbook;
namespace sh = model::shell;

namespace {
const model::Param k_v{"v", model::ParamKind::placeholder, "<v>", 1, false};

// name -> exported, for the variables tainted by every `<v>` of `code`.
std::map<std::string, bool> tainted(const std::string& code) {
  sh::Script script = sh::lex(code, sh::Placeholders::words);
  std::vector<runner::TaintSource> sources;
  for (size_t p = code.find("<v>"); p != std::string::npos; p = code.find("<v>", p + 1)) sources.push_back({p, p + 3, &k_v});
  std::map<std::string, bool> out;
  for (const auto& v : runner::tainted_variables(script, sources, {})) {
    CHECK(v.params == std::vector<const model::Param*>{&k_v});
    out[v.name] = v.exported;
  }
  return out;
}
using Names = std::map<std::string, bool>;
}  // namespace

TEST_CASE("taint: assignments, declarations, reads and loops carry the value to their variables", "[runner]") {
  CHECK(tainted("n=<v>; m=\"x$n\"; k=${m:-1}; z=1") == Names{{"n", false}, {"m", false}, {"k", false}});
  CHECK(tainted("export A=<v>; declare -x B=\"<v>\"; local C=<v>; readonly D=<v>") == Names{{"A", true}, {"B", true}, {"C", false}, {"D", false}});
  CHECK(tainted("A=<v>; export A") == Names{{"A", true}});
  CHECK(tainted("A=<v> bash -c 'x'") == Names{{"A", true}});
  CHECK(tainted("env A=<v> B=1 bash -c 'x'") == Names{{"A", true}});
  CHECK(tainted("a=(1 <v>); b=([k]=<v>)") == Names{{"a", false}, {"b", false}});
  CHECK(tainted("read -r -p x n m <<< \"<v>\"; read -r q") == Names{{"n", false}, {"m", false}});
  CHECK(tainted("echo <v> | while read -r line; do :; done") == Names{{"line", false}});
  CHECK(tainted("while read -r line; do :; done < <(echo <v>)") == Names{{"line", false}});
  CHECK(tainted("read -r n <<EOF\n<v>\nEOF\n") == Names{{"n", false}});
  CHECK(tainted("mapfile -t arr < <(echo <v>); readarray <<< <v>") == Names{{"arr", false}, {"MAPFILE", false}});
  CHECK(tainted("for h in a <v> b; do :; done; for k in a b; do :; done") == Names{{"h", false}});
  CHECK(tainted("printf -v out '%s' <v>; printf -v other '%s' x") == Names{{"out", false}});
  CHECK(tainted("declare -n ref=n; n=<v>") == Names{{"n", false}, {"ref", false}});
  CHECK(tainted("f() { local x; x=$1; }; n=1") == Names{});
  CHECK(tainted(": ${x:=<v>} ${y=<v>} ${z:-<v>}") == Names{{"x", false}, {"y", false}});
  CHECK(tainted("set -- <v>").size() == 11);  // $1...$9, $@, $*
}

TEST_CASE("taint: expansions and bare names of a variable", "[runner]") {
  CHECK(runner::references("$n ${n} ${n:-x} ${!n} ${#n} $nn ${nn} n $m", "n") == std::vector<size_t>{0, 3, 8, 16});
  CHECK(runner::bare_names("$((n + nn + a[n])) ${n} $n ${a[n]} ${s:n}", "n") == std::vector<size_t>{3, 14, 31, 39});
}
