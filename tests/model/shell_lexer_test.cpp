// The shell lexer's API: quoting contexts and their nesting, words, redirections, heredocs,
// compound statements, units, errors as data, placeholders and the bounds on hostile input.
#include <catch2/catch.hpp>

#include <ctime>

#include "model/shell_lexer.hpp"
#include "support.hpp"

using namespace opsbook::model::shell;

namespace {

// The contexts around byte `offset`, innermost first, e.g. "command-sub < double-quote".
std::string contexts(const Script& s, size_t offset) {
  std::string out;
  for (int i = s.span_at(offset); i >= 0; i = s.spans()[static_cast<size_t>(i)].parent) {
    if (!out.empty()) out += " < ";
    out += to_string(s.spans()[static_cast<size_t>(i)].kind);
  }
  return out.empty() ? "unquoted" : out;
}

std::string context_of(const Script& s, std::string_view needle) {
  size_t at = s.source().find(needle);
  REQUIRE(at != std::string_view::npos);
  return contexts(s, at);
}

std::vector<std::string> args(const Script& s, const SimpleCommand& c) {
  std::vector<std::string> out;
  for (auto a : s.args(c)) out.emplace_back(s.text(s.words()[a]));
  return out;
}

double slack() {
#ifdef OPSBOOK_TIME_SLACK
  return OPSBOOK_TIME_SLACK;
#else
  return 1.0;
#endif
}

}  // namespace

TEST_CASE("shell lexer: the quoting context of every byte, with its nesting", "[model][shell]") {
  std::string src =
      "echo A1 'A2' \"A3 $(echo A4 \"A5 `echo A6`\") ${X:-A7}\" $'A8' $\"A9\" $((B1 + 1)) [[ -n B2 ]]\n"
      "cat <<EOF | kubectl apply -f -\nB3 $(B4)\nEOF\ncat <<'EOF'\nB5 $(B6)\nEOF\n# B7\n(( B8 )); cat <(B9)\n";
  Script s = lex(src);
  REQUIRE(s.syntax_ok());
  CHECK(context_of(s, "A1") == "unquoted");
  CHECK(context_of(s, "A2") == "single-quote");
  CHECK(context_of(s, "A3") == "double-quote");
  CHECK(context_of(s, "A4") == "command-sub < double-quote");
  CHECK(context_of(s, "A5") == "double-quote < command-sub < double-quote");
  CHECK(context_of(s, "A6") == "backtick < double-quote < command-sub < double-quote");
  CHECK(context_of(s, "A7") == "param < double-quote");
  CHECK(context_of(s, "A8") == "ansi-c-quote");
  CHECK(context_of(s, "A9") == "locale-quote");
  CHECK(context_of(s, "B1") == "arith");
  CHECK(context_of(s, "B2") == "unquoted");  // `[[` is an argument of echo here
  CHECK(context_of(s, "B3") == "heredoc");
  CHECK(context_of(s, "B4") == "command-sub < heredoc");
  CHECK(context_of(s, "B5") == "heredoc-literal");
  CHECK(context_of(s, "B6") == "heredoc-literal");
  CHECK(context_of(s, "B7") == "comment");
  CHECK(context_of(s, "B8") == "arith");
  CHECK(context_of(s, "B9") == "process-sub");
}

TEST_CASE("shell lexer: compound statements are enclosing spans", "[model][shell]") {
  Script s = lex("if [[ $x == C1 ]]; then for i in a; do C2; done; fi\nwhile C3; do case $x in a) C4;; esac; done\nf() { C5; }\n{ C6; } && ( C7 )\n");
  REQUIRE(s.syntax_ok());
  CHECK(context_of(s, "C1") == "test < if");
  CHECK(context_of(s, "C2") == "for < if");
  CHECK(context_of(s, "C3") == "while");
  CHECK(context_of(s, "C4") == "case < while");
  CHECK(context_of(s, "C5") == "group < function");
  CHECK(context_of(s, "C6") == "group");
  CHECK(context_of(s, "C7") == "subshell");
}

TEST_CASE("shell lexer: words, quote removal and byte ranges", "[model][shell]") {
  std::string src = "psql -c \"SELECT 'a b'\" | gzip > out.gz 2>&1 && echo $(date +%F) it\\'s \\\n  'x'\"y\"$'\\x41\\n'";
  Script s = lex(src);
  REQUIRE(s.syntax_ok());
  REQUIRE(s.units().size() == 1);
  REQUIRE(s.commands().size() == 4);
  CHECK(args(s, s.commands()[0]) == std::vector<std::string>{"psql", "-c", "SELECT 'a b'"});
  CHECK(args(s, s.commands()[1]) == std::vector<std::string>{"gzip"});
  CHECK(args(s, s.commands()[2]) == std::vector<std::string>{"echo", "$(date +%F)", "it's", "xyA\n"});
  CHECK(args(s, s.commands()[3]) == std::vector<std::string>{"date", "+%F"});
  CHECK(s.commands()[0].pipe_next == 1);
  CHECK(s.commands()[1].pipe_prev == 0);
  CHECK(s.commands()[3].span >= 0);  // inside $(...)
  const Word& sql = s.words()[s.args(s.commands()[0])[2]];
  CHECK(s.raw(sql) == "\"SELECT 'a b'\"");
  CHECK(sql.quoted);
  CHECK(sql.literal());
  const Word& sub = s.words()[s.args(s.commands()[2])[1]];
  CHECK(sub.expands);
  CHECK(s.word_at(src.find("+%F")) == static_cast<int>(s.args(s.commands()[3])[1]));
  CHECK(s.words()[static_cast<size_t>(s.word_at(src.find("+%F")))].outer == static_cast<int>(s.args(s.commands()[2])[1]));
  CHECK(s.word_at(src.find("| gzip")) == -1);
}

TEST_CASE("shell lexer: redirections with their file descriptors and targets", "[model][shell]") {
  Script s = lex("cmd 2>/dev/null >>log <in 3<>rw &>all 2>&1 >|f <<<\"word\" >&- &>>both\n");
  REQUIRE(s.syntax_ok());
  REQUIRE(s.commands().size() == 1);
  std::vector<std::string> seen;
  for (auto r : s.redirects(s.commands()[0])) {
    const Redirect& rd = s.all_redirects()[r];
    seen.push_back(std::to_string(rd.fd) + std::string(to_string(rd.op)) + std::string(s.text(s.words()[static_cast<size_t>(rd.target)])));
  }
  CHECK(seen == std::vector<std::string>{"2>/dev/null", "-1>>log", "-1<in", "3<>rw", "-1&>all", "2>&1", "-1>|f", "-1<<<word", "-1>&-", "-1&>>both"});
  CHECK(args(s, s.commands()[0]) == std::vector<std::string>{"cmd"});
}

TEST_CASE("shell lexer: heredocs: quoting, <<-, several on a line, consumer and body", "[model][shell]") {
  std::string src = "psql <<SQL; ssh db bash -s <<-'EOS' | tee x\nDROP TABLE $T;\nSQL\n\t\trm -rf /var/lib/x\n\tEOS\necho after\n";
  Script s = lex(src);
  REQUIRE(s.syntax_ok());
  REQUIRE(s.heredocs().size() == 2);
  const Heredoc& sql = s.heredocs()[0];
  CHECK(s.body(sql) == "DROP TABLE $T;\n");
  CHECK(sql.expands);
  CHECK_FALSE(sql.strip_tabs);
  bool complete = true;
  CHECK(s.heredoc_text(sql, &complete) == "DROP TABLE $T;\n");
  CHECK_FALSE(complete);
  const Heredoc& sh = s.heredocs()[1];
  CHECK_FALSE(sh.expands);
  CHECK(sh.strip_tabs);
  CHECK(s.heredoc_text(sh) == "rm -rf /var/lib/x\n");
  const Redirect& r = s.all_redirects()[static_cast<size_t>(sh.redirect)];
  CHECK(args(s, s.commands()[static_cast<size_t>(r.command)]) == std::vector<std::string>{"ssh", "db", "bash", "-s"});
  REQUIRE(s.units().size() == 2);
  CHECK(s.raw(s.units()[0]) == src.substr(0, src.find("echo") - 1));
  CHECK(s.raw(s.units()[1]) == "echo after");
}

TEST_CASE("shell lexer: units are what a reader types: lists, loops, continuations", "[model][shell]") {
  std::string src =
      "# comment\n"
      "kubectl get pods \\\n  -n x | grep api && echo ok; echo two\n"
      "\n"
      "for pod in $(kubectl get pods -o name); do\n  kubectl delete \"$pod\"\ndone  # trailing\n"
      "if true\nthen\n  echo y\nfi\n"
      "f() {\n  echo in f\n}\n";
  Script s = lex(src);
  REQUIRE(s.syntax_ok());
  REQUIRE(s.units().size() == 4);
  CHECK(s.raw(s.units()[0]) == "kubectl get pods \\\n  -n x | grep api && echo ok; echo two");
  CHECK_FALSE(s.units()[0].compound);
  CHECK(s.commands(s.units()[0]).size() == 4);
  CHECK(s.raw(s.units()[1]) == "for pod in $(kubectl get pods -o name); do\n  kubectl delete \"$pod\"\ndone");
  CHECK(s.units()[1].compound);
  auto loop = s.commands(s.units()[1]);
  REQUIRE(loop.size() == 2);
  CHECK(args(s, loop[0]) == std::vector<std::string>{"kubectl", "get", "pods", "-o", "name"});
  CHECK(args(s, loop[1]) == std::vector<std::string>{"kubectl", "delete", "$pod"});
  CHECK(s.raw(s.units()[2]) == "if true\nthen\n  echo y\nfi");
  CHECK(s.raw(s.units()[3]) == "f() {\n  echo in f\n}");
}

TEST_CASE("shell lexer: assignments, keywords and arguments of wrappers", "[model][shell]") {
  Script s = lex("A=1 B=\"x y\" sudo -u postgres bash -c 'psql -c \"DROP TABLE t\"'\narr=(a 'b c') declare -a d=(1 2)\n");
  REQUIRE(s.syntax_ok());
  REQUIRE(s.commands().size() == 2);
  const SimpleCommand& c = s.commands()[0];
  CHECK(c.assignments == 2);
  CHECK(s.text(*s.name(c)) == "sudo");
  CHECK(args(s, c).back() == "psql -c \"DROP TABLE t\"");
  CHECK(s.words()[s.args(c)[0]].role == WordRole::assignment);
  const SimpleCommand& d = s.commands()[1];
  CHECK(d.assignments == 1);
  CHECK(s.text(*s.name(d)) == "declare");
  CHECK(context_of(s, "'b c'") == "single-quote < array");
}

TEST_CASE("shell lexer: errors are data with the offset where the construct opened", "[model][shell]") {
  struct Case {
    std::string src;
    ErrorKind kind;
    uint32_t offset;
  };
  for (const Case& c : {Case{"echo 'abc", ErrorKind::unterminated_single_quote, 5}, Case{"echo \"a $(b", ErrorKind::unterminated_command_sub, 8},
                        Case{"echo `x", ErrorKind::unterminated_backtick, 5}, Case{"echo ${x", ErrorKind::unterminated_param, 5},
                        Case{"echo $'x", ErrorKind::unterminated_ansi_c_quote, 5}, Case{"if true; then x", ErrorKind::unterminated_compound, 0},
                        Case{"a && ; b", ErrorKind::unexpected_token, 5}, Case{"echo >", ErrorKind::missing_redirect_target, 5},
                        Case{"x | done", ErrorKind::unexpected_token, 4}, Case{"echo $((1 + 2)", ErrorKind::unterminated_command_sub, 5}}) {
    INFO(c.src);
    Script s = lex(c.src);
    CHECK_FALSE(s.syntax_ok());
    REQUIRE_FALSE(s.errors().empty());
    CHECK(s.errors()[0].kind == c.kind);
    CHECK(s.errors()[0].offset == c.offset);
  }
  Script h = lex("cat <<EOF\nno end\n");
  CHECK(h.syntax_ok());  // bash only warns
  REQUIRE(h.errors().size() == 1);
  CHECK(h.errors()[0].kind == ErrorKind::unterminated_heredoc);
  CHECK_FALSE(h.heredocs()[0].terminated);
}

TEST_CASE("shell lexer: <name> placeholders are words when asked", "[model][shell]") {
  Script bash_view = lex("kubectl logs <pod-name> -n <ns>");
  CHECK_FALSE(bash_view.syntax_ok());
  Script s = lex("kubectl logs <pod-name> -n <ns> > out.txt; sort <in >out", Placeholders::words);
  REQUIRE(s.syntax_ok());
  CHECK(args(s, s.commands()[0]) == std::vector<std::string>{"kubectl", "logs", "<pod-name>", "-n", "<ns>"});
  CHECK(s.redirects(s.commands()[0]).size() == 1);
  CHECK(args(s, s.commands()[1]) == std::vector<std::string>{"sort"});  // `<in >`: not a placeholder
  CHECK(s.redirects(s.commands()[1]).size() == 2);
}

TEST_CASE("shell lexer: hostile input is bounded: depth, size, linear time", "[model][shell]") {
  std::string deep;
  for (int i = 0; i < 10000; ++i) deep += "$(";
  Script d = lex(deep);
  REQUIRE_FALSE(d.errors().empty());
  CHECK(d.errors()[0].kind == ErrorKind::too_deep);
  std::string quotes;
  for (int i = 0; i < 5000; ++i) quotes += "\"$(echo ";
  CHECK(lex(quotes).errors()[0].kind == ErrorKind::too_deep);
  std::string braces;
  for (int i = 0; i < 5000; ++i) braces += "{ ";
  CHECK(lex(braces).errors()[0].kind == ErrorKind::too_deep);
  std::string tests = "[[ ";
  for (int i = 0; i < 5000; ++i) tests += "( ! ";
  CHECK_FALSE(lex(tests).syntax_ok());

  // Long scripts of every construct, unterminated $(( and heredocs: linear time.
  // Just under the size bound (Script::k_max_size); past it nothing is read.
  std::string big;
  for (int i = 0; i < 1400; ++i) big += "'a b' \"c $d\" e\\ f ${g} `h` $(i) $((1+(2))) <(j) [[ -n k ]] # l\n";
  for (int i = 0; i < 1400; ++i) big += "cat <<E | x && y; for i in a; do { z; }; done\nbody\nE\n";
  for (int i = 0; i < 1400; ++i) big += "echo $((1+(2) a; echo $(( (1) ) \n";
  REQUIRE(big.size() < Script::k_max_size);
  CHECK(lex(big + std::string(Script::k_max_size, ' ')).errors()[0].kind == ErrorKind::too_large);
  std::clock_t start = std::clock();  // CPU time: the machine may be busy with other work
  Script b = lex(big);
  double seconds = static_cast<double>(std::clock() - start) / CLOCKS_PER_SEC;
  CHECK(seconds < 0.05 * slack());
  CHECK_FALSE(b.syntax_ok());
  CHECK(b.units().size() >= 2800);
}
