// Promise: "no value can inject a command" (README "Safety", docs/SECURITY.md), for shell
// snippets run by `opsbook run` in real bash: every injection payload, in every quoting
// context, round-trips exactly; where the text is read again (bash -c, eval, ssh, heredocs fed
// to a shell or psql, arithmetic, ...) it is refused with the line, the parameter and the way
// forward. No canary file ever appears.
#include <catch2/catch.hpp>
#include <filesystem>

#include "runner/run.hpp"
#include "support.hpp"

using namespace opsbook;
namespace fs = std::filesystem;

namespace {

struct Canary {
  test::TempDir dir;
  std::string path = (dir.path() / "pwned").string();
};

// Payloads that would create the canary if any shell read them as code.
std::vector<std::string> payloads(const std::string& canary) {
  std::string t = "touch " + canary;
  return {"x; " + t,
          "x && " + t,
          "x | " + t,
          "x\n" + t,
          "$(" + t + ")",
          "`" + t + "`",
          "x${IFS}$(" + t + ")",
          "'; " + t + "; '",
          "\"; " + t + "; \"",
          "$'\\x41'; " + t,
          "EOF\n" + t + "\nEOF",
          "a[$(" + t + ")]",
          "x\" \"$(" + t + ")\" \"y",
          "*",
          "~root",
          "{a,b}",
          "\\",
          std::string(20000, 'x') + "$(" + t + ")"};
}

runner::RunResult run(const std::string& markdown, const std::string& id, const std::vector<std::pair<std::string, std::string>>& params) {
  auto rb = test::parse(markdown);
  const model::Snippet* s = rb.find_snippet(id);
  REQUIRE(s);
  runner::RunOptions o;
  o.params = params;
  o.yes = true;  // confirmation is not what is tested here: the filling is
  return runner::run_snippet(rb, *s, o);
}

std::string strip_trailing_newlines(std::string s) {
  while (!s.empty() && s.back() == '\n') s.pop_back();
  return s;
}

}  // namespace

TEST_CASE("promise: no value can inject a command -- shell values round-trip exactly in every quoting context", "[security][shell]") {
  Canary canary;
  // printf prints each argument between brackets: the words bash passed, exactly.
  std::string rb = "# T\n\n"
                   "```bash {name=unquoted}\nprintf '[%s]' x <v>\n```\n\n"
                   "```bash {name=double}\nprintf '[%s]' \"<v>\" \"pre-<v>-post\"\n```\n\n"
                   "```bash {name=single}\nprintf '[%s]' '<v>' 'pre-<v>-post'\n```\n\n"
                   "```bash {name=ansi}\nprintf '[%s]' $'pre\\t<v>'\n```\n\n"
                   "```bash {name=issue}\necho \"first pod: $(printf '%s' app=<v> | head -c 100000)\"\n```\n\n"
                   "```bash {name=heredoc}\ncat <<EOF\nvalue: <v>\nEOF\n```\n\n"
                   "```bash {name=backtick}\nprintf '[%s]' \"`printf '%s' <v>`\"\n```\n";
  for (const auto& v : payloads(canary.path)) {
    INFO("value: " << v.substr(0, 80));
    std::vector<std::pair<std::string, std::string>> p = {{"v", v}};
    CHECK(run(rb, "unquoted", p).out == "[x][" + v + "]");
    CHECK(run(rb, "double", p).out == "[" + v + "][pre-" + v + "-post]");
    CHECK(run(rb, "single", p).out == "[" + v + "][pre-" + v + "-post]");
    CHECK(run(rb, "ansi", p).out == "[pre\t" + v + "]");
    CHECK(run(rb, "issue", p).out == "first pod: app=" + strip_trailing_newlines(v) + "\n");
    CHECK(run(rb, "heredoc", p).out == "value: " + v + "\n");
    CHECK(run(rb, "backtick", p).out == "[" + strip_trailing_newlines(v) + "]");
    CHECK_FALSE(fs::exists(canary.path));
  }
}

TEST_CASE("promise: no value can inject a command -- text read again takes plain values only, and says why", "[security][shell]") {
  Canary canary;
  // Each snippet reads the value again as code; `ssh` and `psql` are refused before they run.
  std::string rb = "# T\n\n"
                   "```bash {name=bash-c}\nbash -c \"echo <v>\"\n```\n\n"              // 4
                   "```bash {name=eval}\neval \"echo <v>\"\n```\n\n"                   // 8
                   "```bash {name=ssh}\nssh db1 \"systemctl status <v>\"\n```\n\n"     // 12
                   "```bash {name=sh-heredoc}\nbash <<EOF\necho <v>\nEOF\n```\n\n"    // 16
                   "```bash {name=pipe}\necho \"echo <v>\" | bash\n```\n\n"           // 22
                   "```bash {name=wrapped}\ntimeout 5 env A=1 sh -c 'echo <v>'\n```\n\n"  // 26
                   "```bash {name=arith}\necho $(( <v> + 1 ))\n```\n\n"               // 30
                   "```bash {name=test}\n[[ <v> -eq 1 ]] && echo one\n```\n\n"        // 34
                   "```bash {name=psql}\npsql -c \"SELECT * FROM orders WHERE id = <v>\"\n```\n\n"  // 38
                   "```bash {name=nested}\nbash -c 'echo $((<v>))'\n```\n\n"          // 42
                   "```bash {name=subscript}\narr[<v>]=1; echo set\n```\n\n"         // 46
                   "```bash {name=kubectl}\nkubectl exec web -- sh -c 'echo <v>'\n```\n\n"  // 50
                   "```bash {name=xargs}\necho a | xargs -I{} sh -c 'echo {} <v>'\n```\n\n"  // 54
                   "```bash {name=su}\nsu - app -c \"echo <v>\"\n```\n\n"          // 58
                   "```bash {name=watch}\nwatch -n 5 kubectl get pod <v>\n```\n";   // 62
  for (const auto& v : payloads(canary.path)) {
    INFO("value: " << v.substr(0, 80));
    for (const char* id : {"bash-c", "eval", "ssh", "sh-heredoc", "pipe", "wrapped", "arith", "test", "psql", "nested", "subscript", "kubectl", "xargs", "su", "watch"}) {
      INFO(id);
      auto r = run(rb, id, {{"v", v}});
      CHECK_FALSE(r.ran);
      CHECK(r.refusal.starts_with("test.md:"));
      CHECK(r.refusal.ends_with("(nothing ran)"));
    }
    CHECK_FALSE(fs::exists(canary.path));
  }
  // The exact words, for one of each.
  std::string plain = "letters, digits and . _ : / @ % + = , - (and not start with -)";
  CHECK(run(rb, "bash-c", {{"v", "x; id"}}).refusal ==
        "test.md:4: <v> goes into text that bash -c reads again as code, so its value may only hold " + plain +
            "; pass such a value, or change the snippet to pass it as an argument (for bash -c: bash -c '... \"$1\"' _ <v>) (nothing ran)");
  CHECK(run(rb, "ssh", {{"v", "x; id"}}).refusal.starts_with("test.md:12: <v> goes into text that ssh reads again as code"));
  CHECK(run(rb, "arith", {{"v", "x"}}).refusal ==
        "test.md:30: <v> must be a whole number here: bash evaluates $((...)) and ((...)) as arithmetic, and a value there runs as code (nothing ran)");
  CHECK(run(rb, "nested", {{"v", "x"}}).refusal ==
        "test.md:42: <v> must be a whole number here: bash -c runs it inside arithmetic, and a value there runs as code (nothing ran)");
  CHECK(run(rb, "psql", {{"v", "1 OR 1=1"}}).refusal ==
        "test.md:38: <v> stands in SQL that psql -c runs without binding values: there it must be a number; use a sql snippet, whose values are bound (nothing ran)");
  // Plain values pass and run as written.
  CHECK(run(rb, "bash-c", {{"v", "plain-1.2"}}).out == "plain-1.2\n");
  CHECK(run(rb, "sh-heredoc", {{"v", "a=b,c"}}).out == "a=b,c\n");
  CHECK(run(rb, "arith", {{"v", "41"}}).out == "42\n");
}

TEST_CASE("promise: no value can inject a command -- integer variables and commands that run a shell (hostile review)", "[security][shell]") {
  Canary canary;
  std::string rb = "# T\n\n"
                   "```bash {name=integer}\ndeclare -i n\nn=<v>; echo \"$n\"\n```\n\n"           // 4
                   "```bash {name=local-i}\nf() { local -i n; n+=\"<v>\"; echo \"$n\"; }; f\n```\n\n"  // 9
                   "```bash {name=flock}\nflock " + canary.dir.path().string() + "/lock -c \"echo <v>\"\n```\n\n"  // 13
                   "```bash {name=script}\nscript -qc \"echo <v>\" /dev/null\n```\n\n"           // 17
                   "```bash {name=sg}\nsg root \"echo <v>\"\n```\n\n"                             // 21
                   "```bash {name=tmux}\ntmux new-session -d \"echo <v>\"\n```\n\n"              // 25
                   "```bash {name=int-var}\ndeclare -i n\nn=$COUNT; echo \"$n\"\n```\n";          // 30
  for (const auto& v : payloads(canary.path)) {
    INFO("value: " << v.substr(0, 80));
    for (const char* id : {"integer", "local-i", "flock", "script", "sg", "tmux", "int-var"}) {
      INFO(id);
      auto r = run(rb, id, {{"v", v}, {"COUNT", v}});
      CHECK_FALSE(r.ran);
      CHECK(r.refusal.ends_with("(nothing ran)"));
    }
    CHECK_FALSE(fs::exists(canary.path));
  }
  CHECK(run(rb, "integer", {{"v", "a[$(id)]"}}).refusal ==
        "test.md:5: <v> must be a whole number here: n is declared -i, and bash evaluates what is assigned to it as arithmetic, and a value there runs as code (nothing ran)");
  CHECK(run(rb, "flock", {{"v", "x; id"}}).refusal.starts_with("test.md:13: <v> goes into text that flock reads again as code"));
  CHECK(run(rb, "script", {{"v", "x; id"}}).refusal.starts_with("test.md:17: <v> goes into text that script reads again as code"));
  // Numbers and plain values still run.
  CHECK(run(rb, "integer", {{"v", "41"}}).out == "41\n");
  CHECK(run(rb, "local-i", {{"v", "7"}}).out == "7\n");
  CHECK(run(rb, "flock", {{"v", "plain-1"}}).out == "plain-1\n");
  // Two values: one a payload kept as data, the other naming its variable, assigned to an
  // integer variable inside bash -c, where bash would evaluate the payload as arithmetic.
  std::string chain = "# T\n\n```bash {name=chain}\necho \"<a>\" >/dev/null; bash -c 'declare -i n; n=<b>; echo $n'\n```\n";
  auto r = run(chain, "chain", {{"a", "a[$(touch " + canary.path + ")]"}, {"b", "OPSBOOK_P_a"}});
  CHECK(r.refusal == "test.md:4: <b> must be a whole number here: bash -c runs it inside arithmetic, and a value there runs as code (nothing ran)");
  // The same through a variable of the snippet that arithmetic reads.
  chain = "# T\n\n```bash {name=chain}\necho \"<a>\" >/dev/null; n=<b>; echo $((n))\n```\n";
  r = run(chain, "chain", {{"a", "a[$(touch " + canary.path + ")]"}, {"b", "OPSBOOK_P_a"}});
  CHECK(r.refusal == "test.md:4: <b> (held in $n) must be a whole number here: bash evaluates n there as arithmetic, and a value there runs as code (nothing ran)");
  // ... and as an argument of a function of the snippet, or of bash -c's script, that evaluates it.
  for (const char* snippet : {"f() { echo $(($1)); }; f <b>", "bash -c 'echo $(($1))' _ <b>", "f() { echo $(($1)); }; b=<b>; f \"$b\""}) {
    INFO(snippet);
    chain = std::string("# T\n\n```bash {name=chain}\necho \"<a>\" >/dev/null; ") + snippet + "\n```\n";
    r = run(chain, "chain", {{"a", "a[$(touch " + canary.path + ")]"}, {"b", "OPSBOOK_P_a"}});
    CHECK(r.refusal.starts_with("test.md:4: <b> "));
    CHECK(r.refusal.ends_with("$1 must be a whole number here: bash evaluates $((...)) and ((...)) as arithmetic, and a value there runs as code (nothing ran)"));
    CHECK(run(chain, "chain", {{"a", "x"}, {"b", "41"}}).out == "41\n");
  }
  CHECK_FALSE(fs::exists(canary.path));
}

TEST_CASE("promise: no value can inject a command -- functions, command variables and kept descriptors (hostile review)", "[security][shell]") {
  Canary canary;
  std::string rb = "# T\n\n"
                   "```bash {name=function}\nf() { eval \"$1\"; }; f <v>\n```\n\n"              // 4
                   "```bash {name=cmdvar}\ncmd=<v>; $cmd\n```\n\n"                                // 8
                   "```bash {name=readvar}\nread -r cmd <<< \"<v>\"; $cmd\n```\n\n"             // 12
                   "```bash {name=fd}\nexec 3<<EOF\n<v>\nEOF\nsource /dev/fd/3\n```\n";         // 16
  for (const auto& v : payloads(canary.path)) {
    INFO("value: " << v.substr(0, 80));
    for (const char* id : {"function", "cmdvar", "readvar", "fd"}) {
      INFO(id);
      auto r = run(rb, id, {{"v", v}});
      CHECK_FALSE(r.ran);
      CHECK(r.refusal.ends_with("(nothing ran)"));
    }
    CHECK_FALSE(fs::exists(canary.path));
  }
  CHECK(run(rb, "function", {{"v", "x; id"}}).refusal ==
        "test.md:4: <v> is an argument of f, a function of the snippet, whose body may run its arguments as code (opsbook does not follow it), so its value may only hold "
        "letters, digits and . _ : / @ % + = , - (and not start with -) (nothing ran)");
  // A value that would become the command is refused whatever it is: `rm` would run behind no
  // destructive gate.
  CHECK(run(rb, "cmdvar", {{"v", "rm"}}).refusal ==
        "test.md:8: <v> cannot be filled: the snippet runs `$cmd` as a command, which is known only when it runs, so a value could become that command; "
        "write the command out in the snippet (nothing ran)");
  CHECK(run(rb, "readvar", {{"v", "rm"}}).refusal.starts_with("test.md:12: <v> cannot be filled: the snippet runs `$cmd` as a command"));
  CHECK(run(rb, "fd", {{"v", "x; id"}}).refusal.starts_with("test.md:17: <v> goes into text that a descriptor that exec keeps open reads again as code"));
  // Plain values still pass where they are data.
  CHECK(run(rb, "function", {{"v", "true"}}).ran);
  CHECK(run(rb, "fd", {{"v", "true"}}).ran);
}

TEST_CASE("promise: no value can inject a command -- the issue's reproductions", "[security][shell]") {
  Canary canary;
  // #13: a read-only snippet with $(...) inside "...": the value ran with no prompt at all.
  auto rb = "# T\n\n```bash {name=pods}\necho \"first pod: $(echo app=<app> | head -1)\"\n```\n\n"
            "```bash {name=doc}\ncat <<EOF\nreplicas: <n>\nEOF\n```\n";
  auto r = run(rb, "pods", {{"app", "x; touch " + canary.path + "; echo"}});
  CHECK(r.ran);
  CHECK(r.out == "first pod: app=x; touch " + canary.path + "; echo\n");
  // #13: $(touch FILE) in the body of an unquoted heredoc.
  r = run(rb, "doc", {{"n", "$(touch " + canary.path + ")"}});
  CHECK(r.out == "replicas: $(touch " + canary.path + ")\n");
  CHECK_FALSE(fs::exists(canary.path));
}

TEST_CASE("promise: no value can inject a command -- options, wildcards and variables", "[security][shell]") {
  Canary canary;
  auto rb = "# T\n\n```bash {name=ls}\nls <path>\n```\n\n```bash {name=var}\nls $TARGET\n```\n\n```bash {name=quoted}\nprintf '[%s]' \"$TARGET\"\n```\n";
  CHECK(run(rb, "ls", {{"path", "--version"}}).refusal ==
        "test.md:4: <path> has a value starting with '-', which ls would read as an option; pass a value that does not, or put -- before it in the snippet (nothing ran)");
  CHECK(run(rb, "var", {{"TARGET", "*"}}).refusal ==
        "test.md:8: $TARGET is expanded unquoted, where bash splits its value into words and expands * ? [ to file names; quote it in the snippet (\"$TARGET\"), or pass a value without spaces or wildcards (nothing ran)");
  CHECK(run(rb, "quoted", {{"TARGET", "* $(touch " + canary.path + ")"}}).out == "[* $(touch " + canary.path + ")]");
  CHECK(run(rb, "ls", {{"path", std::string("a\0; touch ", 9) + canary.path}}).refusal ==
        "test.md:4: <path> has a value holding a NUL byte, which no program argument or variable can carry (nothing ran)");
  CHECK_FALSE(fs::exists(canary.path));
}

TEST_CASE("promise: destructive snippets never run without their gates -- a value that picks the subcommand is classified with it", "[security][shell]") {
  Canary canary;
  test::write_file(canary.path, "alive");
  auto rb = test::parse("# T\n\n```bash {name=act}\nprintf '%s\\n' listing && <verb> " + canary.path + "\n```\n");
  runner::RunOptions o;
  o.params = {{"verb", "rm"}};
  o.yes = true;  // enough for a mutating snippet, not for a destructive one
  auto r = runner::run_snippet(rb, *rb.find_snippet("act"), o);
  CHECK_FALSE(r.ran);
  CHECK(r.refusal.starts_with("act is destructive (with its values: "));
  CHECK(fs::exists(canary.path));
}

TEST_CASE("promise: no value can inject a command -- a value kept in a variable is judged wherever the variable is used (hostile review)", "[security][shell]") {
  Canary canary;
  std::string t = "touch " + canary.path;
  std::string arith = "a[$(" + t + ")]";  // runs when bash evaluates it as arithmetic
  std::string code = "x;" + t;             // runs when a shell reads it again
  struct Row {
    const char* snippet;
    std::string value;
    int line = 4;  // of the refusal
  };
  // Each was rated read-only and, before, ran the payload with no prompt.
  const Row rows[] = {
      {"n=<v>; echo $((n))", arith},
      {"s=abcdef; o=<v>; echo \"${s:o}\"", arith},
      {"arr=(1 2); i=<v>; echo \"${arr[i]}\"", arith},
      {"for i in <v>; do echo $((i)); done", arith},
      {"read -r n <<< \"<v>\"; echo $((n))", arith},
      {"n=<v>; [[ $n -gt 0 ]]", arith},
      {"arr=(1 2); n=\"<v>\"; echo \"${arr[$n]}\"", arith},
      {"export D=<v>; bash -c 'echo $((D))'", arith},
      {"D=<v> bash -c 'echo $((D))'", arith},
      {"export D=<v>; bash -c 'eval \"$D\"'", code},
      {"a=([<v>]=x); echo ${#a[@]}", arith},
      {"n=<v>; m=$n; echo $((m))", arith},
      {"printf -v n '%s' \"<v>\"; echo $((n))", arith},
      {"mapfile -t a <<< \"<v>\"; echo $((a))", arith},
      {"declare -n r=n; n=<v>; echo $((r))", arith},
      {"echo \"<v>\" | while read -r n; do echo $((n)); done", arith},
      {"d=<v>; bash -c \"echo $d\"", code},
      {"d=<v>; eval \"echo $d\"", code},
      {"d=<v>; sh -c \"echo ${d}\"", code},
      {"d=<v>; echo x | sed \"s/x/$d/\"", "x/;1e " + t + "\ns/x/"},
      {"d=<v>; echo 1 | awk \"{print($d)}\"", "1);system(\"" + t + "\");(1"},
      {"d=<v>; echo \"$d\" | xargs -I{} sh -c 'echo {}'", code},
      {"sqlite3 -cmd \"select '<v>';\" :memory: .quit", "x'; ATTACH '" + canary.path + "' AS z; CREATE TABLE z.t(a); select '"},
      // Names whose subscripts bash evaluates, and scripts a shell reads from a quoted heredoc.
      {"arr=(1 2); n=<v>; [[ -v arr[n] ]]", arith},
      {"arr=(1 2); n=<v>; unset \"arr[n]\"", arith},
      {"n=<v>; read \"arr[n]\" <<< x", arith},
      {"export D=<v>\nbash <<'EOF'\necho $((D))\nEOF", arith},
      {"export D=<v>\nbash <<'EOF'\neval \"$D\"\nEOF", code},
      // eval and trap expand a variable of this shell, exported or not.
      {"n=<v>; eval 'echo $((n))'", arith},
      {"n=<v>; eval 'eval \"$n\"'", code},
      {"n=<v>; trap 'eval \"$n\"' EXIT", code},
      // Positional parameters: of bash -c's script, and set by set --.
      {"bash -c 'echo $(($1))' _ <v>", arith},
      {"timeout 5 sh -c 'eval \"$1\"' _ <v>", code},
      {"d=<v>; bash -c 'echo $(($@))' _ \"$d\"", arith},
      {"set -- <v>; echo $(($1))", arith},
      // ${x:=...} assigns x; env NAME=... exports it.
      {"n=<v>; : ${x:=$n}; echo $((x))", arith},
      {"n=<v>; env m=\"$n\" bash -c 'echo $((m))'", arith},
      // Prompt expansion runs $(...) in the value; a script generated by <(...) or read from stdin.
      {"n=<v>; echo \"${n@P}\"", "$(" + t + ")"},
      {"bash <(echo \"<v>\")", code},
      {"n=<v>; bash /dev/stdin <<< \"$n\"", code},
  };
  for (const auto& row : rows) {
    INFO(row.snippet);
    std::string rb = std::string("# T\n\n```bash {name=s}\n") + row.snippet + "\n```\n";
    auto r = run(rb, "s", {{"v", row.value}});
    CHECK_FALSE(r.ran);
    CHECK(r.refusal.starts_with("test.md:" + std::to_string(row.line) + ": <v> "));
    CHECK(r.refusal.ends_with("(nothing ran)"));
    CHECK_FALSE(fs::exists(canary.path));
  }
  // The exact words, for one of each kind.
  auto refusal = [&](const char* snippet, const std::string& value) { return run(std::string("# T\n\n```bash {name=s}\n") + snippet + "\n```\n", "s", {{"v", value}}).refusal; };
  CHECK(refusal("n=<v>; echo $((n))", arith) ==
        "test.md:4: <v> (held in $n) must be a whole number here: bash evaluates n there as arithmetic, and a value there runs as code (nothing ran)");
  CHECK(refusal("arr=(1 2); n=\"<v>\"; echo \"${arr[$n]}\"", arith) ==
        "test.md:4: <v> (held in $n) must be a whole number here: bash evaluates the subscript and the :offset:length of ${...} as arithmetic, and a value there runs as code (nothing ran)");
  CHECK(refusal("d=<v>; bash -c \"echo $d\"", code) ==
        "test.md:4: <v> (held in $d) goes into text that bash -c reads again as code, so its value may only hold letters, digits and . _ : / @ % + = , - (and not start with -); "
        "pass such a value, or change the snippet to pass it as an argument (for bash -c: bash -c '... \"$1\"' _ <v>) (nothing ran)");
  // An exported variable takes plain values only (NAME=<v> cmd, export NAME=<v>, NAME=<v>; export NAME).
  CHECK(refusal("export D=<v>; bash -c 'eval \"$D\"'", code) ==
        "test.md:4: <v> is put in the environment as D, which a program may read as code or as a path (opsbook does not know D), so its value may only hold "
        "letters, digits and . _ : / @ % + = , - (no /, and not start with -); pass such a value, or pass it as an argument (nothing ran)");
  CHECK(refusal("D=<v>; export D; bash -c 'echo \"$D\"'", code) ==
        "test.md:4: <v> (held in $D) is put in the environment as D, which a program may read as code or as a path (opsbook does not know D), so its value may only hold "
        "letters, digits and . _ : / @ % + = , - (no /, and not start with -); pass such a value, or pass it as an argument (nothing ran)");
  CHECK(refusal("a=([<v>]=x); echo ${#a[@]}", arith) ==
        "test.md:4: <v> must be a whole number here: bash evaluates an array subscript as arithmetic, and a value there runs as code (nothing ran)");
  CHECK(refusal("sqlite3 -cmd \"select '<v>';\" :memory: .quit", "x'") ==
        "test.md:4: <v> stands in a SQL string that sqlite3 -cmd runs without binding values: its value must not hold a quote or backslash; use a sql snippet, whose values are bound (nothing ran)");
  // Passed as an argument and used quoted, any value is data (the way forward the refusals name).
  CHECK(run("# T\n\n```bash {name=s}\nbash -c 'printf \"[%s]\" \"$1\"' _ <v>\n```\n", "s", {{"v", code}}).out == "[" + code + "]");
  // The same snippets run with plain values: numbers where arithmetic reads them, words elsewhere.
  for (const auto& row : rows) {
    INFO(row.snippet);
    std::string_view s = row.snippet;
    bool arithmetic = row.value == arith;
    auto r = run(std::string("# T\n\n```bash {name=s}\n") + row.snippet + "\n```\n", "s", {{"v", arithmetic ? "1" : "plain"}});
    CHECK(r.refusal == "");
    if (arithmetic && (s.starts_with("n=<v>; echo") || s.starts_with("for") || s.starts_with("read"))) CHECK(r.out == "1\n");
    if (s == "d=<v>; bash -c \"echo $d\"") CHECK(r.out == "plain\n");
  }
}

TEST_CASE("promise: no value can inject a command -- a value never picks the program a command name runs (hostile review)", "[security][shell]") {
  Canary canary;
  test::write_file(canary.path, "alive");
  for (const char* snippet : {"BASH_CMDS[ls]=<v>; ls -rf ", "hash -p <v> ls; ls -rf ", "p=<v>; BASH_CMDS[ls]=$p; ls -rf "}) {
    INFO(snippet);
    auto r = run(std::string("# T\n\n```bash {name=s}\n") + snippet + canary.path + "\n```\n", "s", {{"v", "/bin/rm"}});
    CHECK_FALSE(r.ran);
    CHECK(r.refusal.ends_with("sets the program a command name runs, so a value could pick what a later command runs; write the program out in the snippet (nothing ran)"));
    CHECK(fs::exists(canary.path));
  }
  // A variable that holds the value, run as the program behind a wrapper.
  for (const char* snippet : {"p=<v>; command \"$p\" -rf ", "p=<v>; timeout 5 \"$p\" -rf ", "p=<v>; sudo -n env A=1 $p -rf "}) {
    INFO(snippet);
    auto r = run(std::string("# T\n\n```bash {name=s}\n") + snippet + canary.path + "\n```\n", "s", {{"v", "rm"}});
    CHECK_FALSE(r.ran);
    CHECK(r.refusal.starts_with("test.md:4: <v> cannot be filled: the snippet runs `$p` as a command, which is known only when it runs"));
    CHECK(fs::exists(canary.path));
  }
}

TEST_CASE("promise: no value can inject a command -- make variables and nginx directives are code (hostile review #13)", "[security][shell]") {
  Canary canary;
  std::string dir = canary.dir.path().string();
  // make expands $(shell ...) in a command-line variable (quoted for the shell or not), in a
  // variable of its environment (over the makefile's own with -e) and in MAKEFLAGS.
  test::write_file(dir + "/Makefile", "FOO = default\nshow:\n\t@echo \"[$(FOO)]\"\n");
  test::write_file(dir + "/nginx.conf", "events {}\n");
  std::string make_code = "$(shell touch " + canary.path + ")";
  std::string directive = "x; error_log " + canary.path;
  struct Row {
    std::string snippet;
    std::string value;
    int line = 4;  // of the refusal
  };
  const Row rows[] = {
      {"make -C " + dir + " show FOO=<v>", make_code},
      {"make -C " + dir + " show \"FOO=<v>\"", make_code},
      {"make -C " + dir + " <v>", "FOO=" + make_code},
      {"make -C " + dir + " --eval=\"X = <v>\" show", make_code},
      {"FOO=<v> make -e -C " + dir + " show", make_code},
      {"timeout 5 env FOO=<v> make -e -C " + dir + " show", make_code},
      {"MAKEFLAGS=<v> make -C " + dir + " show", "FOO=" + make_code},
      {"export FOO=<v>\nmake -e -C " + dir + " show", make_code},
      {"f=<v>; FOO=$f make -e -C " + dir + " show", make_code},
      {"nginx -t -p " + dir + "/ -c " + dir + "/nginx.conf -g \"pid " + dir + "/pid; env A=<v>;\"", directive},
      {"nginx -p " + dir + "/ -c " + dir + "/nginx.conf -tg \"pid " + dir + "/pid; env A=<v>;\"", directive},
      {"nginx -p " + dir + "/ -c " + dir + "/nginx.conf -tg\"pid " + dir + "/pid; env A=<v>;\"", directive},
      // Other spellings and wrappers.
      {"make -C " + dir + " show FOO:=<v>", make_code},
      {"make -C " + dir + " show 'FOO+=<v>'", make_code},
      {"/usr/bin/make -C " + dir + " show FOO=<v>", make_code},
      {"command nice make -C " + dir + " show FOO=<v>", make_code},
      {"echo <v> | xargs make -C " + dir + " show", "FOO=" + make_code},
      {"env -i PATH=/usr/bin FOO=<v> make -e -C " + dir + " show", make_code},
      {"FOO=<v>; export FOO; make -e -C " + dir + " show", make_code},
      {"bash -c 'make -C " + dir + " show FOO=$1' _ <v>", make_code},
  };
  for (const auto& row : rows) {
    INFO(row.snippet);
    auto r = run("# T\n\n```bash {name=s}\n" + row.snippet + "\n```\n", "s", {{"v", row.value}});
    CHECK_FALSE(r.ran);
    CHECK(r.refusal.starts_with("test.md:" + std::to_string(row.line) + ": <v> "));
    CHECK(r.refusal.ends_with("(nothing ran)"));
    CHECK_FALSE(fs::exists(canary.path));
  }
  // Options whose value the tool runs as a command or program.
  std::string code = "x; touch " + canary.path;
  for (const char* snippet : {"man -P \"<v>\" bash", "man -P<v> bash", "man --html=<v> bash", "consul watch -type=key -key=app \"<v>\"", "nc -l 4444 -e \"<v>\"",
                              "fzf --preview \"<v>\"", "rg --pre <v> x", "helm template api ./chart --post-renderer=<v>", "tcpdump -z <v> -w /tmp/x"}) {
    INFO(snippet);
    auto r = run(std::string("# T\n\n```bash {name=s}\n") + snippet + "\n```\n", "s", {{"v", code}});
    CHECK_FALSE(r.ran);
    CHECK(r.refusal.starts_with("test.md:4: <v> goes into text that "));
    CHECK_FALSE(fs::exists(canary.path));
  }
  auto refusal = [&](const std::string& snippet, const std::string& value) { return run("# T\n\n```bash {name=s}\n" + snippet + "\n```\n", "s", {{"v", value}}).refusal; };
  std::string plain = "letters, digits and . _ : / @ % + = , - (and not start with -)";
  CHECK(refusal("man -P <v> bash", code).starts_with("test.md:4: <v> goes into text that man reads again as code"));
  CHECK(refusal("make -C " + dir + " show FOO=<v>", make_code) ==
        "test.md:4: <v> goes into text that make reads again as code, so its value may only hold " + plain +
            "; pass such a value, or change the snippet to pass it as an argument (for bash -c: bash -c '... \"$1\"' _ <v>) (nothing ran)");
  CHECK(refusal("FOO=<v> make -e -C " + dir + " show", make_code).starts_with(
      "test.md:4: <v> goes into text that make (as a variable of its environment) reads again as code"));
  CHECK(refusal("FOO=<v>\nexport FOO\nmake -e -C " + dir + " show", make_code).starts_with(
      "test.md:6: <v> (held in $FOO) goes into text that make (as a variable of its environment) reads again as code"));
  CHECK(refusal("nginx -t -g \"env A=<v>;\"", directive).starts_with("test.md:4: <v> goes into text that nginx -g reads again as code"));
  // Inert values (letters, digits and . _ : / @ % + = , -) run.
  CHECK(run("# T\n\n```bash {name=s}\nmake -s -C " + dir + " show FOO=<v>\n```\n", "s", {{"v", "v1.2_3"}}).out == "[v1.2_3]\n");
  CHECK(run("# T\n\n```bash {name=s}\nFOO=<v> make -s -e -C " + dir + " show\n```\n", "s", {{"v", "a=b,c"}}).out == "[a=b,c]\n");
  CHECK_FALSE(fs::exists(canary.path));
}

TEST_CASE("promise: no value can inject a command -- NAME=<v> cmd never sets a variable a program runs, unknown ones take plain values (hostile review #13)", "[security][shell]") {
  Canary canary;
  std::string repo = (canary.dir.path() / "repo").string();
  std::string rb = "# T\n\n"
                   "```bash {name=diff}\ngit init -q " + repo + " && cd " + repo + " && echo a > f && git add f && echo b > f\nGIT_EXTERNAL_DIFF=<v> git diff\n```\n\n"  // 5
                   "```bash {name=hook}\nAPP_HOOK=<v> bash -c 'eval \"$APP_HOOK\"'\n```\n\n"  // 9
                   "```bash {name=tz}\nTZ=<v> date -d @0 +%Y\n```\n";  // 13
  for (const auto& v : payloads(canary.path)) {
    INFO("value: " << v.substr(0, 80));
    auto diff = run(rb, "diff", {{"v", v}});
    CHECK(diff.refusal ==
          "test.md:5: <v> cannot be filled: GIT_EXTERNAL_DIFF is a variable through which a value picks a program, a library or a configuration that bash or other tools run or "
          "obey, so a value could choose what runs; write its value out in the snippet (nothing ran)");
    CHECK_FALSE(run(rb, "hook", {{"v", v}}).refusal.empty());
    CHECK(run(rb, "tz", {{"v", v}}).refusal.find("which the C library reads as the name of a time zone") != std::string::npos);  // a zone name only
  }
  CHECK(run(rb, "diff", {{"v", "touch " + canary.path + "; true"}}).refusal.find("GIT_EXTERNAL_DIFF") != std::string::npos);
  CHECK(run(rb, "tz", {{"v", "UTC"}}).out == "1970\n");
  CHECK(run(rb, "tz", {{"v", "America/New_York"}}).out == "1969\n");
  CHECK_FALSE(run(rb, "tz", {{"v", ":/etc/passwd"}}).refusal.empty());
  CHECK_FALSE(fs::exists(canary.path));
}
