// Shell filling: the reference that fits each quoting context, and the refusals where text is
// read again. (tests/security runs the results through real bash.)
#include <catch2/catch.hpp>

#include "runner/fill.hpp"

using namespace opsbook;

namespace {
runner::ShellFill fill(const std::string& code, const std::string& value) {
  std::vector<model::Param> params = {{"v", model::ParamKind::placeholder, "<v>", 1, false}, {"NAME", model::ParamKind::env, "$NAME", 1, false}};
  return runner::fill_shell(code, params, {{"v", value}, {"NAME", value}}, [](size_t) { return 3; });
}
}  // namespace

TEST_CASE("shell fill: a quoted expansion that fits each context, the value in the environment", "[runner]") {
  auto f = fill("echo <v> \"a<v>b\" 'a<v>b' $'a<v>b' $(echo <v>) `echo <v>` # <v>", "x y");
  CHECK(f.code ==
        "echo \"${OPSBOOK_P_v}\" \"a${OPSBOOK_P_v}b\" 'a'\"${OPSBOOK_P_v}\"'b' $'a'\"${OPSBOOK_P_v}\"$'b' $(echo \"${OPSBOOK_P_v}\") `echo \"${OPSBOOK_P_v}\"` # <v>");
  CHECK(f.literal == "echo 'x y' \"ax yb\" 'a''x y''b' $'a''x y'$'b' $(echo 'x y') `echo 'x y'` # <v>");
  CHECK(f.env == std::vector<std::pair<std::string, std::string>>{{"OPSBOOK_P_v", "x y"}});
  CHECK(fill("cat <<EOF\n<v>\nEOF\ncat <<'EOF'\n<v>\nEOF\n", "$(x)").code == "cat <<EOF\n${OPSBOOK_P_v}\nEOF\ncat <<'EOF'\n$(x)\nEOF\n");
}

TEST_CASE("shell fill: text read again takes plain values only, with line, parameter and way forward", "[runner]") {
  std::string plain = "letters, digits and . _ : / @ % + = , - (and not start with -)";
  CHECK(fill("bash -c 'echo <v>'", "a;b").refusal ==
        "<v> goes into text that bash -c reads again as code, so its value may only hold " + plain +
            "; pass such a value, or change the snippet to pass it as an argument (for bash -c: bash -c '... \"$1\"' _ <v>)");
  CHECK(fill("bash -c 'echo <v>'", "a;b").refused_line == 3);
  CHECK(fill("bash -c 'echo \"$1\"' _ <v>", "a;b").refusal.empty());  // an argument of the script: data
  for (std::string code : {"eval \"echo <v>\"", "ssh db1 \"systemctl restart <v>\"", "sudo -u app sh -c 'echo <v>'", "watch kubectl get pod <v>",
                           "kubectl exec web -- sh -c 'echo <v>'", "xargs -I{} sh -c 'echo {} <v>'", "su - app -c 'echo <v>'", "timeout 5 bash -c \"<v>\"",
                           "echo <v> | sh", "bash <<EOF\necho <v>\nEOF", "ssh db1 <<<'<v>'", "awk '{print <v>}'", "docker run img sh -c 'echo <v>'",
                           "echo \"$(bash -c 'echo <v>')\"", "read <v>", "export <v>=1",
                           "trap 'echo <v>' EXIT", "alias x='echo <v>'", "source <(echo <v>)", "export NAME_OF_APP=<v>", "APP_MODE=\"<v>\" bash -i"}) {
    INFO(code);
    CHECK_FALSE(fill(code, "a;b").refusal.empty());
    CHECK(fill(code, "plain-1.2").refusal.empty());
  }
}

TEST_CASE("shell fill: arithmetic takes whole numbers: SQL run by a client follows SQL's rules", "[runner]") {
  for (std::string code : {"echo $((<v> + 1))", "(( <v> > 2 ))", "[[ <v> -eq 1 ]]", "let x=<v>", "declare -i x=<v>", "bash -c 'echo $((<v>))'",
                           "arr[<v>]=1", "local arr[<v>]=1", "for ((i = 0; i < <v>; i++)); do :; done", "bash -c 'arr[<v>]=1'"}) {
    INFO(code);
    CHECK_FALSE(fill(code, "a[$(touch x)]").refusal.empty());
    CHECK(fill(code, "x").refusal.find("must be a whole number here") != std::string::npos);
    CHECK(fill(code, "42").refusal.empty());
  }
  CHECK(fill("[[ <v> == x ]]", "a b").refusal.empty());
  CHECK(fill("arr[1]=<v>", "a b").refusal.empty());  // the value of an element is data
  CHECK_FALSE(fill("[[ -v <v> ]]", "a[$(x)]").refusal.empty());
  CHECK(fill("psql -c \"SELECT * FROM t WHERE id = <v>\"", "1 OR 1=1").refusal ==
        "<v> stands in SQL that psql -c runs without binding values: there it must be a number; use a sql snippet, whose values are bound");
  CHECK(fill("psql -c \"SELECT '<v>'\"", "it's").refusal ==
        "<v> stands in a SQL string that psql -c runs without binding values: its value must not hold a quote or backslash; use a sql snippet, whose values are bound");
  CHECK(fill("psql -c \"SELECT '<v>'\"", "a b").refusal.empty());
  CHECK(fill("psql <<SQL\nDELETE FROM t WHERE id = <v>;\nSQL", "id").refusal.find("must be a number") != std::string::npos);
}

TEST_CASE("shell fill: options, variables, ${...}, quotes and NUL", "[runner]") {
  CHECK(fill("ssh <v> uptime", "-oProxyCommand=touch x").refusal.find("<v> has a value starting with '-'") == 0);
  CHECK(fill("rm -- <v>", "-rf").refusal.empty());
  CHECK(fill("echo $NAME", "*").refusal ==
        "$NAME is expanded unquoted, where bash splits its value into words and expands * ? [ to file names; quote it in the snippet (\"$NAME\"), or pass a value without spaces or wildcards");
  CHECK(fill("echo \"$NAME\"", "* x").refusal.empty());
  CHECK(fill("bash -c \"echo $NAME\"", "a;b").refusal.find("$NAME goes into text that bash -c reads again") == 0);
  CHECK(fill("echo '$NAME'", "a;b").refusal.empty());
  CHECK(fill("echo ${X:-<v>}", "a").refusal == "<v> stands inside ${...}: opsbook cannot tell how bash expands it there; move it out of the ${...}");
  CHECK(fill("echo <v>", std::string("a\0b", 3)).refusal == "<v> has a value holding a NUL byte, which no program argument or variable can carry");
  CHECK(fill("cat <<'EOF'\n<v>\nEOF", "x\nEOF\ntouch y").refusal ==
        "<v> is written into a quoted heredoc body, so its value must not hold a line break (it could end the heredoc)");
}

TEST_CASE("shell fill: a value kept in a variable is followed, or refused where opsbook cannot follow it", "[runner]") {
  CHECK(fill("n=<v>; echo $((n))", "x").refusal ==
        "<v> (held in $n) must be a whole number here: bash evaluates n there as arithmetic, and a value there runs as code");
  CHECK(fill("n=<v>; echo $((n))", "12").refusal.empty());
  // eval assigns in this shell: the variable it sets is not followed, so the value is refused.
  CHECK(fill("n=<v>; eval 'cnt=$n'; echo $((cnt))", "x").refusal ==
        "<v> (held in $n) is assigned to cnt inside eval, where opsbook cannot follow it to the variable's later uses; assign it outside eval");
  CHECK(fill("n=<v>; eval 'echo \"$n\"'", "x y").refusal.empty());
  // A variable param exported to a child shell: judged inside that shell's script.
  CHECK(fill("bash -c 'echo $(($NAME))'", "a[$(id)]").refusal ==
        "$NAME reaches the script that bash -c runs through the environment, where $NAME must be a whole number here: bash evaluates $((...)) and ((...)) as arithmetic, and a value there runs as code");
}

TEST_CASE("shell fill: a value in a curl or wget header is one line (no second request smuggled in)", "[runner]") {
  const std::string smuggle = "a\r\nContent-Length: 0\r\n\r\nDELETE /x HTTP/1.1\r\nHost: x";
  CHECK(fill("curl -s -H \"X-Trace: <v>\" http://127.0.0.1/status", smuggle).refusal ==
        "<v> goes into a curl header line, where a line break or another control character would end it and start another (a second request); give it one line of text");
  CHECK_FALSE(fill("curl -s --header=\"X-Trace: <v>\" http://127.0.0.1/", "a\nb").refusal.empty());
  CHECK_FALSE(fill("wget -q --header \"X: <v>\" http://127.0.0.1/", "a\nb").refusal.empty());
  CHECK(fill("curl -s -H \"X-Trace: <v>\" http://127.0.0.1/status", "abc-123").refusal.empty());
  CHECK(fill("echo \"<v>\"", "a\nb").refusal.empty());  // elsewhere a line break is data
}

TEST_CASE("shell fill: a value in a psql variable is SQL wherever :NAME splices it in", "[runner][psql]") {
  std::string attack = "1; DELETE FROM t WHERE id > 0";
  std::string refusal = "<v> sets the psql variable lim, which psql splices into the SQL as it stands at :lim (line 3): there its value must be a number; write :'lim' where a string goes (psql quotes it)";
  for (std::string code : {"psql \"$DSN\" --set=lim=<v> <<'SQL'\nSELECT * FROM t LIMIT :lim;\nSQL", "psql -v lim=<v> <<SQL\nSELECT * FROM t LIMIT :lim;\nSQL",
                           "psql -vlim=<v> -c 'SELECT * FROM t LIMIT :lim'", "psql --variable=lim=<v> -c 'SELECT :lim'", "psql --variable lim=<v> -c 'SELECT :lim'",
                           "psql -Xv lim=<v> -c 'SELECT :lim'", "psql -XvLIM=1 -v lim=<v> <<< 'SELECT :lim'", "sudo -u postgres psql -v lim=<v> -c 'SELECT 1 LIMIT :lim'",
                           "psql -v lim=<v> -c 'SELECT :lim::int'", "psql -v lim=<v> <<'SQL'\n\\echo :lim\nSQL", "psql -v lim=<v> <<'SQL'\n\\! echo :'lim'\nSQL"}) {
    INFO(code);
    CHECK(fill(code, attack).refusal == refusal);
    CHECK(fill(code, "abc").refusal == refusal);
    CHECK(fill(code, "5").refusal.empty());
    CHECK(fill(code, "2.5").refusal.empty());
  }
  // Quoted by psql itself, not spliced in (strings, comments, casts ::lim): any value.
  for (std::string code : {"psql -v lim=<v> -c \"SELECT :'lim', :\\\"lim\\\"\"", "psql -v lim=<v> <<'SQL'\nSELECT ':lim', 1::lim /* :lim */ -- :lim\nSQL",
                           "psql -v lim=<v> -c 'SELECT :limit'"}) {
    INFO(code);
    CHECK(fill(code, attack + "'\"*/").refusal.empty());
  }
  CHECK(fill("psql -v lim=<v> -f report.sql", "abc").refusal ==
        "<v> sets the psql variable lim, and psql runs SQL here that opsbook cannot see (a file or its standard input), where :lim would splice the value in as SQL: its value must be "
        "a number; write the SQL into the snippet, with :'lim' where a string goes (psql quotes it)");
  CHECK(fill("echo 'SELECT :lim' | psql -v lim=<v>", "abc").refusal.find("psql runs SQL here that opsbook cannot see") != std::string::npos);
  CHECK(fill("psql -v lim=<v> -f report.sql", "-3").refusal.empty());
  CHECK(fill("psql -v lim=<v> -c 'SELECT 5-:lim'", "-1").refusal ==
        "<v> sets the psql variable lim, which psql splices in right after an operator character at `-:lim` (line 3), where a value starting with '-' would start a -- comment; "
        "pass a value that does not, or put a space before :lim");
  CHECK(fill("psql -v lim=<v> -c 'SELECT 5 - :lim'", "-1").refusal.empty());
  CHECK(fill("psql -v <v>=1 -c 'SELECT 1'", "a;b").refusal == "<v> names a psql variable, so its value may only hold letters, digits and _");
  CHECK(fill("psql -v <v>=1 -c 'SELECT 1'", "ok_name").refusal.empty());
}

TEST_CASE("shell fill: psql's set NAME <v> in SQL that psql runs sets a variable spliced in at :NAME", "[runner][psql]") {
  CHECK(fill("psql <<'SQL'\n\\set lim <v>\nSELECT * FROM t LIMIT :lim;\nSQL", "abc").refusal ==
        "<v> sets the psql variable lim, which psql splices into the SQL as it stands at :lim (line 3): there its value must be a number; write :'lim' where a string goes (psql quotes it)");
  CHECK(fill("psql <<'SQL'\n\\set lim <v>\nSELECT * FROM t LIMIT :lim;\nSQL", "10").refusal.empty());
  CHECK(fill("psql <<'SQL'\n\\set lim <v>\nSELECT :'lim';\nSQL", "abc").refusal.empty());
  CHECK(fill("psql <<'SQL'\n\\set lim <v>\nSELECT :'lim';\nSQL", "1; DELETE FROM t").refusal ==
        "<v> stands in a psql backslash command (`\\set ...`), which reads its arguments with its own quoting and runs `...` as a shell command, so its value may only hold "
        "letters, digits and . _ : / @ % + = , - (and not start with -)");
  CHECK_FALSE(fill("psql -c '\\set lim <v>' -c 'SELECT :lim'", "abc").refusal.empty());
  CHECK_FALSE(fill("psql <<'SQL'\n\\! echo '<v>'\nSQL", "`touch x`").refusal.empty());
}

TEST_CASE("shell fill: a value cannot leave a SQL /* comment */ nor make -- after an operator", "[runner][psql]") {
  std::string refusal = "<v> stands in a SQL /* ... */ comment that psql -c runs without binding values: its value must not hold */ or /* (nor start the comment with ! or +), "
                        "which would end the comment and run what follows; use a sql snippet, whose values are bound";
  CHECK(fill("psql -c \"SELECT 1 /* ticket <v> */\"", "*/; SELECT f(); /*").refusal == refusal);
  CHECK(fill("psql -c \"SELECT 1 /* ticket <v> */\"", "/* nested").refusal == refusal);
  CHECK(fill("psql -c \"SELECT 1 /* a /* b <v> */ */\"", "x */ */ SELECT f()").refusal == refusal);
  CHECK(fill("psql -c \"SELECT 1 /* ticket <v>*/\"", "x*").refusal.empty());  // x**/ ends it where the snippet does
  CHECK(fill("psql -c \"SELECT 1 /* ticket <v>/ */\"", "x*").refusal == refusal);  // x*/ ends it early
  CHECK(fill("psql -c \"SELECT 1 /* ticket <v> */\"", "T-123 it's \"fine\"").refusal.empty());
  CHECK(fill("mysql -e \"SELECT 1 /*<v> */\"", "!50000 DROP TABLE t").refusal.find("(nor start the comment with ! or +)") != std::string::npos);
  CHECK_FALSE(fill("mysql -e \"SELECT 1 /* <v> */\"", "*/ DROP TABLE t; /*").refusal.empty());
  CHECK_FALSE(fill("sqlite3 app.db \"SELECT 1 /* <v> */\"", "*/ DELETE FROM t; /*").refusal.empty());
  CHECK(fill("psql -c \"SELECT 1 -- ticket <v>\"", "x\nDELETE FROM t").refusal.find("its value must be on one line") != std::string::npos);
  CHECK(fill("psql -c \"SELECT 5-<v> AS n\"", "-1").refusal ==
        "<v> stands right after an operator character in SQL that psql -c runs, where a value starting with '-' would start a -- comment (5-<v> with -1 gives 5--1); "
        "pass a value that does not, or put a space before <v>");
  CHECK_FALSE(fill("mysql -e \"SELECT 5*<v>\"", "-1").refusal.empty());
  CHECK(fill("psql -c \"SELECT 5 - <v>\"", "-1").refusal.empty());
  CHECK(fill("psql -c \"SELECT 5-<v>\"", "1").refusal.empty());
}

TEST_CASE("shell fill: NAME=<v> cmd and export NAME=<v> take plain values, program and config variables none", "[runner]") {
  for (std::string code : {"GIT_EXTERNAL_DIFF=<v> git diff", "export LD_PRELOAD=<v>", "env PAGER=<v> git log", "declare -x EDITOR=<v>", "KUBECONFIG=<v> kubectl get pods",
                           "export PS4=<v>", "PROMPT_COMMAND=\"<v>\" bash -i", "VISUAL=<v> crontab -e", "GCONV_PATH=<v> iconv -l", "OPENSSL_CONF=<v> curl https://x",
                           "SUDO_ASKPASS=<v> sudo -A true", "PERL5OPT=<v> perl x.pl", "NODE_OPTIONS=<v> node x.js", "JAVA_TOOL_OPTIONS=<v> java -jar x.jar",
                           "GIT_SSH_COMMAND=<v> git fetch", "LESSOPEN=<v> less f", "PATH+=:<v>", "/usr/bin/env LD_LIBRARY_PATH=<v> ls"}) {
    INFO(code);
    auto f = fill(code, "touch x; true");
    CHECK(f.refusal.find(" is a variable through which a value picks a program, a library or a configuration that bash or other tools run or obey, so a value could choose what runs; write its value out in the snippet") != std::string::npos);
    CHECK(fill(code, "difftool").refusal == f.refusal);
  }
  CHECK(fill("GIT_EXTERNAL_DIFF=<v> git diff", "x").refusal ==
        "<v> cannot be filled: GIT_EXTERNAL_DIFF is a variable through which a value picks a program, a library or a configuration that bash or other tools run or obey, "
        "so a value could choose what runs; write its value out in the snippet");
  std::string unknown = "<v> is put in the environment as APP_RELEASE, which a program may read as code or as a path (opsbook does not know APP_RELEASE), so its value may only "
                        "hold letters, digits and . _ : / @ % + = , - (no /, and not start with -); pass such a value, or pass it as an argument";
  for (std::string code : {"APP_RELEASE=<v> deploy", "export APP_RELEASE=<v>", "env -i APP_RELEASE=<v> deploy", "declare -rx APP_RELEASE=<v>"}) {
    INFO(code);
    CHECK(fill(code, "touch x; true").refusal == unknown);
    CHECK(fill(code, "--exec=x").refusal == unknown);
    CHECK(fill(code, "release-1.2").refusal.empty());
    CHECK(fill(code, "/tmp/evil.py").refusal == unknown);  // s7e review E4: a path picked a program
  }
  for (std::string code : {"msg=<v>; echo \"$msg\"", "local note=<v>"}) {
    INFO(code);
    CHECK(fill(code, "America/New York; touch x").refusal.empty());
  }
}

TEST_CASE("hostile review #13 round 7: options and locales read from the environment", "[runner]") {
  // Option strings: LESS=Ofile makes less write a log, rsync runs RSYNC_RSH, fzf runs its command.
  for (std::string code : {"LESS=<v> less f", "export FZF_DEFAULT_OPTS=<v>", "FZF_DEFAULT_COMMAND=<v> fzf", "RSYNC_RSH=<v> rsync a b:", "XZ_OPT=<v> tar cJf a.txz d",
                           "GREP_OPTIONS=<v> grep x f", "MAVEN_OPTS=<v> mvn -v", "AWS_CONFIG_FILE=<v> aws s3 ls", "CLOUDSDK_CONFIG=<v> gcloud info",
                           // s7d review D4: the interpreter or transport a tool runs, and the server it sends credentials to.
                           "CLOUDSDK_PYTHON=<v> gcloud version", "SVN_SSH=<v> svn ls svn+ssh://h/r", "HGRCPATH=<v> hg status", "VAULT_ADDR=<v> vault status",
                           "CONTAINER_HOST=<v> podman ps", "PGHOST=<v> psql -c 'SELECT 1'", "export https_proxy=<v>", "AWS_ENDPOINT_URL_S3=<v> aws s3 ls"}) {
    INFO(code);
    CHECK(fill(code, "Ofile").refusal.find(" is a variable through which a value picks a program") != std::string::npos);
  }
  // Locale, zone and terminal names, never a path the C library would load a file from.
  for (auto [code, value] : {std::pair{"TZ=<v> date", "America/New_York"}, {"LANG=<v> sort f", "en_US.UTF-8"}, {"LC_ALL=<v> sort f", "C"},
                             {"export TERM=<v>", "xterm-256color"}, {"LC_MESSAGES=<v> ls", "de_DE@euro"}}) {
    INFO(code << " " << value);
    CHECK(fill(code, value).refusal.empty());
  }
  for (auto [code, value] : {std::pair{"TZ=<v> date", ":/etc/localtime"}, {"TZ=<v> date", "/tmp/zone"}, {"TZ=<v> date", "../../tmp/zone"}, {"LC_ALL=<v> sort f", "../../tmp/x"},
                             {"LANG=<v> sort f", "/tmp/locale"}, {"export TERM=<v>", "../x"}, {"LANG=<v> ls", "-x"}, {"LC_ALL=<v> ls", "en US"}}) {
    INFO(code << " " << value);
    CHECK(fill(code, value).refusal.find(" which the C library reads as the name of a ") != std::string::npos);
  }
  CHECK(fill("LC_ALL=<v> sort f", "../x").refusal ==
        "<v> is put in the environment as LC_ALL, which the C library reads as the name of a locale or terminal, so its value may only be such a name "
        "(letters, digits and . _ - + @, no .. and no path); pass such a value");
}

TEST_CASE("hostile review #13 round 7: values that an awk or sed program running commands reads", "[runner]") {
  // The program builds a command line out of what it reads: its input, -v values, operands.
  for (std::string code : {"echo \"<v>\" | awk '{system(\"echo \" $0)}'", "awk -v x=\"<v>\" 'BEGIN{system(\"echo \" x)}'", "echo \"<v>\" | awk '{print | \"sh\"}'",
                           "echo \"<v>\" | awk '{c=\"echo \" $0; c | getline r}'", "echo \"<v>\" | sed 's/^/echo /e'", "printf '%s\\n' \"<v>\" | gawk '{system($0)}' -"}) {
    INFO(code);
    CHECK(fill(code, "x; touch F").refusal.find("(its program runs commands with what it reads) reads again as code, so its value may only hold") != std::string::npos);
    CHECK(fill(code, "hello").refusal.empty());
  }
  // A program that only prints: any value, as data.
  CHECK(fill("echo \"<v>\" | awk '{print $1}'", "x; touch F").refusal.empty());
  CHECK(fill("echo \"<v>\" | sed 's/a/b/'", "x; touch F").refusal.empty());
}

// s9a review B5: a value in a URL's host and port picked another server (curl reached a Redis
// on 127.0.0.1 from `http://127.0.0.9:<v>/health` with the port `x@127.0.0.1:16391`).
TEST_CASE("shell fill: a value in a URL's host or port names only a host or a port (s9a review B5)", "[runner][fill]") {
  const std::string why = "<v> stands in a URL's host and port, where a value picks the server the request (and any credentials) goes to: pass a host "
                          "name, an address or a port (letters, digits, . - _ :), or write the server in the snippet";
  for (const auto& [code, value] : std::vector<std::pair<std::string, std::string>>{
           {"curl -s -m 3 http://127.0.0.9:<v>/health", "x@127.0.0.1:16391"},
           {"curl -s \"http://127.0.0.9:8080<v>\"", "@127.0.0.1:16391/"},
           {"curl -s -H 'Authorization: Bearer x' https://<v>/api", "evil.example\\@api.internal"},
           {"wget -qO- http://<v>", "user:pw@evil.example"}}) {
    INFO(code << " <- " << value);
    auto f = fill(code, value);
    CHECK(f.refusal == why);
  }
  for (const auto& [code, value] : std::vector<std::pair<std::string, std::string>>{
           {"curl -s http://127.0.0.1:<v>/health", "8080"}, {"curl -s \"http://127.0.0.9:8080<v>\"", "/health?x=@y"},
           {"curl -s https://<v>/api", "api.internal:8443"}, {"curl -s https://api.internal/<v>", "a@b"}}) {
    INFO(code << " <- " << value);
    CHECK(fill(code, value).refusal.empty());
  }
}

// s10a review B7: the authority was found only when :// stood in the same raw text, so a URL
// without a scheme, a base URL in a variable, a quoted or backslash-joined scheme reached another
// server. The word's quote-removed text decides; for a URL-taking program's URL the host comes
// first: a value is in the authority unless a literal / ? # precedes it.
TEST_CASE("shell fill: a value in a URL's authority is found in the word as the program reads it (s10a review B7)", "[runner][fill]") {
  const std::string why = "<v> stands in a URL's host and port, where a value picks the server the request (and any credentials) goes to: pass a host "
                          "name, an address or a port (letters, digits, . - _ :), or write the server in the snippet";
  for (const char* code : {"curl -sv -o /dev/null 127.0.0.1:28080<v>", "curl -s \"$WEB_BASE<v>\"", "curl -s \"${WEB_BASE%/}<v>\"", "curl -s \"http:\"//127.0.0.1:28080<v>",
                                  "curl -s http:'//'127.0.0.1:28080<v>", "curl -s http://127.0.0.1:\\\n28080<v>", "curl -s 'http'\"://\"127.0.0.1:28080<v>",
                                  "timeout 5 curl -s 127.0.0.1:28080<v>", "env curl 127.0.0.1:28080<v>", "sudo -u app curl -s 127.0.0.1:28080<v>", "curl -s --url 127.0.0.1:28080<v>",
                                  "curl -s -H 'X: y' 127.0.0.1:28080<v>", "curl -s -o out 127.0.0.1:28080<v>", "curl -s -X GET -- 127.0.0.1:28080<v>", "curl -s -x 127.0.0.1:3128<v> http://h/", "curl -sX GET 127.0.0.1:28080<v>",
                                  "wget -qO- 127.0.0.1:28080<v>", "wget -q -O - \"$BASE<v>\"", "http GET 127.0.0.1:28080<v>", "xh 127.0.0.1:28080<v>", "curl -s <v>.example/x",
                                  "curl -s \"$(cat base)<v>\""}) {
    INFO(code);
    CHECK(fill(code, "@127.0.0.1:26379/x").refusal == why);
  }
  for (const char* code : {"curl -s 127.0.0.1:28080/api<v>", "curl -s \"$WEB_BASE/api/<v>\"", "curl -s \"$WEB_BASE?q=<v>\"", "curl -s <v>", "curl -s \"<v>\"",
                                  "curl -s -H \"X-Id: <v>\" http://127.0.0.1:28080/x", "curl -s -d 'a=<v>' http://127.0.0.1:28080/x", "curl -s -u 'me:<v>' http://h/x",
                                  "http GET 127.0.0.1:28080/x X-Id:<v>", "http 127.0.0.1:28080/x q==<v>", "echo 127.0.0.1:28080<v>", "curl -s \"${BASE}/x<v>\""}) {
    INFO(code);
    CHECK(fill(code, "@127.0.0.1:26379/x").refusal.empty());
  }
  CHECK(fill("curl -s 127.0.0.1:<v>/health", "8080").refusal.empty());  // a port is a port
  CHECK(fill("curl -s <v>:8080/health", "api.internal").refusal.empty());
}

// s10a review B6: any two-letter or --long option was taken as one with a value (so -X <db> and
// --no-psqlrc <db> hid the operand), and only the command's first word was looked at (timeout 5
// psql, env psql). Only options the program's table says take a value skip their next word.
TEST_CASE("shell fill: a libpq database name is found behind wrappers and flags (s10a review B6)", "[runner][fill]") {
  for (const char* code : {"psql -h 127.0.0.1 -p 25432 -U reader -X <v> -At -c 'select 1'", "psql -h h --no-psqlrc <v> -At", "timeout 5 psql -h h -X <v> -c 'select 1'",
                                  "env psql <v> -c 'select 1'", "sudo -u postgres psql -X <v>", "nice -n 5 timeout 5 psql <v>", "psql -Xd <v> -c 'select 1'", "psql -Xd<v>",
                                  "psql --dbn <v>", "psql --dbn=<v>", "psql -c 'select 1' -X <v>", "psql -qtAX <v>", "psql -- <v>", "psql -e -E -a -b -n -s -S -x -z -0 -1 -w -W <v>",
                                  "pg_dumpall -l <v>", "pg_dumpall --database=<v>", "vacuumdb --maintenance-db <v> -a", "createdb --maintenance-db=<v> x", "pgbench -n -S -d <v>",
                                  "pg_isready -q -d <v>", "pg_dump -Fc -O <v>", "/usr/lib/postgresql/15/bin/psql -X <v>"}) {
    INFO(code);
    CHECK(fill(code, "host=127.0.0.1 port=25432 dbname=other application_name=pwned").refusal.find(" reads a database name, which libpq takes as a connection string") != std::string::npos);
  }
  for (const char* code : {"psql -X -d app -v id=<v> -c 'select 1'", "psql -d app -c \"select 1\" -o <v>", "psql -X -F <v> -d app -c 'select 1'", "psql -XF <v> -d app",
                                  "psql -d app -P <v> -c 'select 1'", "pg_dump -t <v> app", "pgbench -D <v> app", "psql -h h -U <v> app"}) {
    INFO(code);
    CHECK(fill(code, "a=b").refusal.find("reads a database name") == std::string::npos);
  }
  CHECK(fill("psql -h h -X <v> -c 'select 1'", "orders_db").refusal.empty());  // a plain database name stays a value
}

// s9a review B5: psql's database name is a connection string when it holds = or ://.
TEST_CASE("shell fill: a value where libpq reads a database name cannot be a connection string (s9a review B5)", "[runner][fill]") {
  for (const auto& [code, value] : std::vector<std::pair<std::string, std::string>>{
           {"psql -h 127.0.0.9 -U app -d <v> -c 'select 1'", "host=127.0.0.1"},
           {"psql -h 127.0.0.9 --dbname=<v> -c 'select 1'", "host=127.0.0.1 port=5432"},
           {"psql -h 127.0.0.9 <v> -c 'select 1'", "postgresql://u@127.0.0.1/app"},
           {"pg_dump -d <v> -t orders", "service=prod"}}) {
    INFO(code << " <- " << value);
    CHECK(fill(code, value).refusal.find("<v> stands where ") == 0);
  }
  for (const auto& [code, value] : std::vector<std::pair<std::string, std::string>>{
           {"psql -d <v> -c 'select 1'", "orders_db"}, {"psql -d app -v id=<v> -c 'select 1'", "a=b"},
           {"psql -d app -c \"select 1\" -o <v>", "out=1"}}) {
    INFO(code << " <- " << value);
    CHECK(fill(code, value).refusal.find("reads a database name") == std::string::npos);
  }
}
