// The awk and sed readers: what makes a program more than a printer, with the reason given.
#include <catch2/catch.hpp>

#include <vector>

#include "model/program_text.hpp"

using namespace opsbook::model;

TEST_CASE("awk: strings, regular expressions and comparisons are not side effects", "[model][safety]") {
  for (const char* p : {"{print $1}", "$3 > 100 {print}", "/a|b/ {n++} END {print n / 2}", "{ s = \"a | b > c\"; print s }",
                        "{print ($1 > $2)}", "{printf(\"%d\\n\", $2 > 3)}", "/[/|]/ {print}", "# a | comment\n{print}", "{print $1 > \"/dev/stderr\"}",
                        "{print a || b}", "$1 >= 3", "{ if (x) y = 2 / 3; print y }"}) {
    INFO(p);
    CHECK(awk_side_effect(p).empty());
  }
}

TEST_CASE("awk: commands, pipes, files and gawk's @ are side effects, with the reason", "[model][safety]") {
  CHECK(awk_side_effect("BEGIN{system(\"id\")}") == "calls system(): runs a shell command");
  CHECK(awk_side_effect("/system (/") == "calls system(): runs a shell command");  // the belt: even where it reads as a regex
  CHECK(awk_side_effect("{print | \"sh\"}") == "pipes to or from a command (|)");
  CHECK(awk_side_effect("BEGIN{\"date\" |& getline}") == "pipes to or from a command (|)");
  CHECK(awk_side_effect("{print > \"/tmp/x\"}") == "writes a file (print > FILE)");
  CHECK(awk_side_effect("{printf \"%s\", $1 >> $2}") == "writes a file (print > FILE)");
  CHECK(awk_side_effect("{print \"x\" > \"/dev/stdout2\"}") == "writes a file (print > FILE)");
  CHECK(awk_side_effect("{ x = i++ / 2; print | \"sh\"; y = 1 / 2 }") == "pipes to or from a command (|)");
  CHECK(awk_side_effect("@load \"x\"") == "uses gawk's @ (an extension, an include or an indirect call)");
  CHECK(awk_side_effect("{print \"unterminated > x") .empty());  // awk rejects it: nothing runs
}

TEST_CASE("sed: addresses, brackets and text arguments are read: e and w are side effects", "[model][safety]") {
  for (const char* s : {"1,5p", "s/error/warn/g", "/[/]w/p", "s|a\\|b|c|g;1!G;h;$!d", "$!N;P;D", "0,/re/d", "/x/,+3{s/a/b/;p}", "a\\\nwrite this\n",
                        "y/abc/xyz/", ":a;N;$!ba;s/\\n/ /g", "r /etc/hosts", "1~2p", "\\%x%d", "s/a/b/2gI"}) {
    INFO(s);
    CHECK(sed_side_effect(s).empty());
  }
  CHECK(sed_side_effect("1e touch x") == "runs a shell command (the e command)");
  CHECK(sed_side_effect("w /tmp/x") == "writes a file (the w command)");
  CHECK(sed_side_effect("/x/W /tmp/x") == "writes a file (the w command)");
  CHECK(sed_side_effect("s/a/b/gw /tmp/x") == "writes a file (s///w)");
  CHECK(sed_side_effect("s/.*/id/e") == "runs the replacement as a shell command (s///e)");
  CHECK(sed_side_effect("s/[/]/x/;e id") == "runs a shell command (the e command)");
  CHECK(sed_side_effect("k") == "a sed command opsbook does not know (k)");
}

TEST_CASE("awk and sed command lines: options, program files and in-place editing", "[model][safety]") {
  auto awk = [](std::vector<std::string_view> argv) { return awk_command_side_effect(argv); };
  auto sed = [](std::vector<std::string_view> argv) { return sed_command_side_effect(argv); };
  CHECK(awk({"awk", "-F:", "-v", "x=1", "{print $1}", "/etc/passwd"}).empty());
  CHECK(awk({"awk", "-F", "|", "{print $2}"}).empty());  // the separator is no program
  CHECK(awk({"awk", "--version"}).empty());
  CHECK(awk({"awk", "-f", "p.awk", "x"}) == "runs a program from the file p.awk, which opsbook cannot read");
  CHECK(awk({"gawk", "-e", "BEGIN{system(\"id\")}"}) == "calls system(): runs a shell command");
  CHECK(awk({"gawk", "-o", "{print}"}) == "writes the program to a file (gawk -o)");
  CHECK(awk({"gawk", "--frobnicate", "{print}"}) == "the option --frobnicate is not known to be harmless");
  CHECK(awk({"mawk", "-W", "exec", "p"}) == "takes mawk or gawk options opsbook does not read (-W exec FILE runs a program file, -W dump-variables writes one)");
  CHECK(awk({"mawk", "-W", "interactive,exec", "p"}) == "takes mawk or gawk options opsbook does not read (-W exec FILE runs a program file, -W dump-variables writes one)");  // s5 review
  CHECK(sed({"sed", "-ne", "1,3p", "f"}).empty());
  CHECK(sed({"sed", "-n", "-e", "p", "-e", "w /tmp/x"}) == "writes a file (the w command)");
  CHECK(sed({"sed", "--expression=1e id"}) == "runs a shell command (the e command)");
  CHECK(sed({"sed", "-i.bak", "s/a/b/", "f"}) == "edits files in place");
  CHECK(sed({"sed", "-f", "s.sed"}) == "runs a program from the file s.sed, which opsbook cannot read");
  // --sandbox is not trusted (s5 review: in `sed -l --sandbox` it is -l's value): the program decides.
  CHECK(!sed({"sed", "--sandbox", "w /tmp/x"}).empty());
  CHECK(!sed({"sed", "-n", "-l", "--sandbox", "-e", "1w /tmp/x"}).empty());
  CHECK(sed({"sed", "--", "w /tmp/x"}) == "writes a file (the w command)");
}
