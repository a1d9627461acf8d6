// The doc-test allow list: well-formed; commands that only read and end pass; every tool, option,
// operand, redirection and construct not on it is refused with the reason, and random options
// from a large pool never pass unless each is allowed.
#include <catch2/catch.hpp>
#include <pwd.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <random>
#include <set>

#include "model/doctest_allow.hpp"
#include "model/doctest_policy.hpp"
#include "model/private_folders.hpp"

using namespace opsbook::model;

namespace {

std::string refusal(std::string_view script) {
  auto r = doctest_refusal(script);
  return r ? r->reason : "";
}

}  // namespace

TEST_CASE("doc-test allow list: every line parses", "[model][doctest]") {
  const DoctestAllowList& list = DoctestAllowList::builtin();
  for (const auto& e : list.errors()) FAIL_CHECK(e);
  CHECK(list.rows().size() > 60);
  for (const auto& row : list.rows()) {
    INFO(row.label);
    CHECK((row.runnable || !row.children.empty()));
  }
}

TEST_CASE("doc-test allow list: commands that only read and end pass", "[model][doctest]") {
  for (std::string_view ok : {
           "curl -fsS http://127.0.0.1:8080/healthz",
           "curl -sS -o /dev/null -w '%{http_code}' http://x/ready",
           "curl -s -X GET -H 'Accept: application/json' --max-time 5 http://x/ | jq -r .status",
           "curl -sSo /dev/null http://x/",
           "curl -fsS --retry 3 --connect-timeout 2 http://x/ && echo ok",
           "wget -qO- --max-redirect=0 http://x/health",
           "wget --spider -q --max-redirect 0 http://x/",
           "kubectl get pods -n shop -o wide",
           "kubectl -n shop get deploy api -o jsonpath='{.status.readyReplicas}'",
           "kubectl logs --tail=20 -c api api-0 -n shop | grep -c ERROR",
           "kubectl top pod -A --sort-by=cpu",
                "kubectl rollout status deploy/api --timeout=60s",
           "docker ps --format '{{.Names}}'",
           "docker logs --tail 5 shop-db",
           "docker-compose ps",
           "pg_isready -h 127.0.0.1 -p 5432",
           "psql \"$OPSBOOK_PG_DSN\" -Atc 'SELECT count(*) FROM orders'",
           "psql -X -c 'SELECT 1' -c '\\dt'",
           "psql <<'SQL'\nSELECT 1;\nSQL",
           "redis-cli -p 6379 GET canary",
           "redis-cli --raw INFO replication | grep role",
           "nc -zv 127.0.0.1 5432",
           "dig +short example.com @127.0.0.1",
           "host -t mx example.com",
           "ping -c 1 -W 2 127.0.0.1",
           "getent hosts localhost",
           "ss -tlnp | grep 5432",
           "printf 'a%.0s' 1 2 3 | tr -d '\\n'; echo ok",
           "echo aa",
           "cat /etc/hostname | wc -l",
           "tail -n 50 /var/log/syslog | grep -i error | sort | uniq -c | sort -rn | head -5",
           "tail -20 app.log",
           "head -n 3 f",
           "df -h / && free -m && uptime",
           "systemctl is-active nginx",
           "systemctl status --no-pager nginx",
           "journalctl -u nginx -n 50 --no-pager",
           "date +%s",
           "date -u +%Y-%m-%dT%H:%M:%SZ",
           "hostname",
           "whoami; id -u",
           "sleep 2 && curl -s http://x/",
           "[ \"$(curl -s http://x/)\" = ok ]",
           "test -f /etc/hostname",
           "[ ! -d /tmp/x ]",
           "awk -F: '$1 == \"root\" {print $1}' /etc/passwd | sed -n '1p'",
           "ls -la /var/log >/dev/null 2>&1",
           "curl -s http://x/ 2>/dev/null || true",
           "grep --color=never -E 'a|b' f",
           "jq --arg n x '.[$n]' f.json",
           "curl -s \"http://127.0.0.1/$PATH_PART\"",
           "curl -s \"http://x/$(date +%s)\"",
           "if curl -fs http://x/; then echo up; else echo down; fi",
           "command -v curl",
           "grep -c ERROR \"$LOG\"",
       }) {
    INFO(ok);
    CHECK(refusal(ok) == "");
  }
}

TEST_CASE("doc-test allow list: tools that read through a deny list but write or run through an option are refused", "[model][doctest]") {
  // The hostile reviews' findings: rated read-only by the classifier at some point, each writes,
  // runs a program or never ends.
  std::vector<std::pair<std::string_view, std::string_view>> cases = {
      {"helm template x ./chart --post-renderer ./x.sh", "'helm template' is not on the doc-test allow list"},
      {"helm template x ./chart --output-dir /tmp/o", "'helm template' is not on the doc-test allow list"},
      {"consul watch -type=key -key=x ./x.sh", "'consul' is not on the doc-test allow list"},
      {"pgbench -c 1 -t 1 db", "'pgbench' is not on the doc-test allow list"},
      {"mysqldump --delete-master-logs db", "'mysqldump' is not on the doc-test allow list"},
      {"sops -i -d secrets.yaml", "'sops' is not on the doc-test allow list"},
      {"terraform fmt", "'terraform' is not on the doc-test allow list"},
      {"terraform providers lock", "'terraform' is not on the doc-test allow list"},
      {"openssl ca -batch -in x.csr", "'openssl' is not on the doc-test allow list"},
      {"info -o /tmp/out ls", "'info' is not on the doc-test allow list"},
      {"man -H ls", "'man' is not on the doc-test allow list"},
      {"tmux display -p '#(touch /tmp/x)'", "'tmux' is not on the doc-test allow list"},
      {"screen -X quit", "'screen' is not on the doc-test allow list"},
      {"rpk topic consume t -g grp", "'rpk' is not on the doc-test allow list"},
      {"wget -e method=DELETE http://x/", "'wget' option -e is not on the doc-test allow list"},
      {"etcdctl check perf", "'etcdctl' is not on the doc-test allow list"},
      {"promtool push metrics http://x", "'promtool' is not on the doc-test allow list"},
      {"curl -X DELETE http://x/", "'curl' option -X value DELETE is not allowed (GET, HEAD)"},
      {"curl -XDELETE http://x/", "'curl' option -X value DELETE is not allowed (GET, HEAD)"},
      {"curl -sSo /tmp/x http://x/", "'curl' option -o value /tmp/x is not allowed (/dev/null, -)"},
      {"curl -O http://x/file", "'curl' option -O is not on the doc-test allow list"},
      {"curl -d a=b http://x/", "'curl' option -d is not on the doc-test allow list"},
      {"curl -w '%output{/tmp/x}' http://x/", "'curl' option -w value %output{/tmp/x} is not allowed (*; not *%output{*, @*)"},
      {"curl -K cfg http://x/", "'curl' option -K is not on the doc-test allow list"},
      {"wget http://x/file", "'wget' runs as a doc-test only with one of -O, --output-document, --spider"},
      {"wget -O /tmp/f http://x/", "'wget' option -O value /tmp/f is not allowed (-, /dev/null)"},
      {"kubectl logs -f api-0", "'kubectl logs' option -f is not on the doc-test allow list"},
      {"kubectl get pods -w", "'kubectl get' option -w is not on the doc-test allow list"},
      {"kubectl delete pod x", "'kubectl delete' is not on the doc-test allow list"},
      {"kubectl --kubeconfig /tmp/k get pods", "'kubectl' option --kubeconfig is not on the doc-test allow list"},
      {"kubectl cluster-info dump", "'kubectl cluster-info' operand dump is not allowed (it takes none on the doc-test allow list)"},
      {"kubectl", "'kubectl' needs a subcommand on the doc-test allow list"},
      {"tail -f /var/log/syslog", "'tail' option -f is not on the doc-test allow list"},
      {"tail -fn 5 x", "'tail' option -f is not on the doc-test allow list (in -fn)"},
      {"journalctl -u x -f", "'journalctl' option -f is not on the doc-test allow list"},
      {"sort -o /tmp/x f", "'sort' option -o is not on the doc-test allow list"},
      {"sort --compress-program=sh f", "'sort' option --compress-program is not on the doc-test allow list"},
      {"uniq in.txt out.txt", "'uniq' operand out.txt is one too many (at most 1)"},
      {"date -s 2020-01-01", "'date' option -s is not on the doc-test allow list"},
      {"date 0101000020", "'date' operand 0101000020 is not allowed (+*)"},
      {"hostname evil", "'hostname' operand evil is not allowed (it takes none on the doc-test allow list)"},
      {"sleep 3600", "'sleep' operand 3600 is not allowed (up to 10 seconds)"},
      {"printf -v x '%s' y", "'printf' option -v is not on the doc-test allow list"},
      {"nc 127.0.0.1 6379", "'nc' runs as a doc-test only with -z"},
      {"ping 127.0.0.1", "'ping' runs as a doc-test only with -c"},
      {"env", "'env' is not on the doc-test allow list (it prints the environment, secrets included, or runs a command)"},
      {"printenv", "'printenv' is not on the doc-test allow list (it prints the environment, secrets included)"},
      {"eval 'echo x'", "'eval' is not on the doc-test allow list (it runs text as code)"},
      {"source x.sh", "'source' is not on the doc-test allow list (it runs a script)"},
      {". x.sh", "'.' is not on the doc-test allow list (it runs a script)"},
      {"exec cat", "'exec' is not on the doc-test allow list (it replaces the shell)"},
      {"./curl -s http://x", "'./curl' runs a program by its path, not a tool of the doc-test allow list"},
      {"redis-cli FLUSHALL", "Redis FLUSHALL is not a read-only command"},
      {"redis-cli", "'redis-cli' without a command reads Redis commands from its input"},
      {"redis-cli --rdb /tmp/dump", "'redis-cli' option --rdb is not on the doc-test allow list"},
      {"psql -c 'DELETE FROM t'", "psql: DELETE is not a read (only SELECT, WITH, VALUES, TABLE, SHOW and EXPLAIN run)"},
      {"yes", "'yes' is not on the doc-test allow list"},
      {"cat /dev/zero", "'cat' operand /dev/zero is a device, a path through /proc to anywhere, or a process's environment (doc-tests read files)"},
      {"wc -c //dev/./urandom", "'wc' operand //dev/./urandom is a device, a path through /proc to anywhere, or a process's environment (doc-tests read files)"},
      {"head -c 10 /tmp/../dev/zero", "'head' operand /tmp/../dev/zero is a device, a path through /proc to anywhere, or a process's environment (doc-tests read files)"},
      {"wc -c < /dev/zero", "input redirection from /dev/zero reads a device, a path through /proc to anywhere, or a process's environment (doc-tests read files)"},
      {"wc -c /proc/self/root/dev/zero", "'wc' operand /proc/self/root/dev/zero is a device, a path through /proc to anywhere, or a process's environment (doc-tests read files)"},
      {"uniq /proc/self/environ", "'uniq' operand /proc/self/environ is a device, a path through /proc to anywhere, or a process's environment (doc-tests read files)"},
      {"cut -c1 < /proc/thread-self/root/dev/zero", "input redirection from /proc/thread-self/root/dev/zero reads a device, a path through /proc to anywhere, or a process's environment (doc-tests read files)"},
      // s7d review D0: patterns that bash turns into those paths.
      {"cat /pro?/self/environ", "'cat' operand /pro?/self/environ is a pattern over a path outside the runbook's folder, whose files opsbook cannot check before bash names them (write the path out)"},
      {"wc -c /dev/zer[o]", "'wc' operand /dev/zer[o] is a pattern over a path outside the runbook's folder, whose files opsbook cannot check before bash names them (write the path out)"},
      {"grep -c x ../../*", "'grep' operand ../../* is a pattern over a path outside the runbook's folder, whose files opsbook cannot check before bash names them (write the path out)"},
      {"wc -c < /de?/zero", "input redirection < /de?/zero reads a file named at run time (it may be /dev/tcp/...)"},
      // s7d review D1: other processes' command lines and environments.
      {"ps eww", "'ps' is not on the doc-test allow list"},
      {"pgrep -af psql", "'pgrep' is not on the doc-test allow list"},
      {"cat /proc/1/cmdline", "'cat' operand /proc/1/cmdline is a device, a path through /proc to anywhere, or a process's environment (doc-tests read files)"},
      {"grep -c x /proc/$PPID/environ",
       "'grep' operand /proc/$PPID/environ is a path under /proc, /dev or /sys, or through .., that is decided at run time (/proc/$PPID/environ is opsbook's own environment)"},
      {"wc -c \"/proc/${PPID}/environ\"",
       "'wc' operand /proc/${PPID}/environ is a path under /proc, /dev or /sys, or through .., that is decided at run time (/proc/$PPID/environ is opsbook's own environment)"},
      // s7d review D2: the files awk and sed read.
      {"awk 'END { print NR }' /dev/zero", "'awk' file /dev/zero is a device, a path through /proc, or a path decided or expanded at run time outside the runbook's folder"},
      {"sed -n p /proc/self/root/dev/zero", "'sed' file /proc/self/root/dev/zero is a device, a path through /proc, or a path decided or expanded at run time outside the runbook's folder"},
      {"awk '{ print }' /pro?/1/environ", "'awk' file /pro?/1/environ is a device, a path through /proc, or a path decided or expanded at run time outside the runbook's folder"},
      {"awk 'BEGIN { while ((getline l < \"/dev/zero\") > 0) n++ }'", "'awk' program reads a file it names (getline < FILE), which opsbook does not check"},
      {"grep -f /dev/zero x", "'grep' option -f value /dev/zero is a device, a path through /proc to anywhere, or a process's environment (doc-tests read files)"},
      // s7e review E1-E3: cd into /proc, /dev or the home folder, then relative names.
      {"cd /proc/self && cat environ", "'cd' operand /proc/self is not allowed (not /*, *..*, ~*, -)"},
      {"cd ../../.. && cat etc/passwd", "'cd' operand ../../.. is not allowed (not /*, *..*, ~*, -)"},
      {"cd && cat .local/state/opsbook/seal-key", "'cd' without a folder goes to the home folder (doc-tests stay in the runbook's folder)"},
      {"grep -o basic .git/config", "'grep' operand .git/config is in the home folder, .git or .opsbook, where credentials and opsbook's keys are (doc-tests read the runbooks' files)"},
      {"wc -c ../.opsbook/shellcheck-cache", "'wc' operand ../.opsbook/shellcheck-cache is in the home folder, .git or .opsbook, where credentials and opsbook's keys are (doc-tests read the runbooks' files)"},
      {"cat ~/.ssh/id_rsa", "'cat' operand ~/.ssh/id_rsa is in the home folder, .git or .opsbook, where credentials and opsbook's keys are (doc-tests read the runbooks' files)"},
      {"cat /proc/kmsg", "'cat' operand /proc/kmsg is a device, a path through /proc to anywhere, or a process's environment (doc-tests read files)"},
      {"psql -c 'SELECT public.archive_orders()'",
       "psql: calls public.archive_orders(), a function of the database's own (a doc-test calls only PostgreSQL's; a sql snippet's live check asks the server about others)"},
      // s7d review D5: functional notation with a parenthesized row calls rv_fn(o).
      {"psql -X -At -c 'select (o).rv_fn from orders o'",
       "psql: calls rv_fn() (written (row).rv_fn), a function of the database's own (a doc-test calls only PostgreSQL's; a sql snippet's live check asks the server about others)"},
      {"psql -c '\\! touch /tmp/x'", "psql meta-command \\! touch /tmp/x is not on the doc-test allow list (only \\d..., \\l and \\conninfo)"},
      {"psql -f x.sql", "'psql' option -f is not on the doc-test allow list"},
      {"psql", "'psql' without -c reads SQL from its input or a terminal"},
      {"echo x | psql", "'psql' without -c reads SQL from its input or a terminal"},
      {"awk 'BEGIN{system(\"touch x\")}'", "'awk' calls system(): runs a shell command"},
      {"sed -i s/a/b/ f", "'sed' edits files in place"},
      {"docker restart x", "'docker restart' is not on the doc-test allow list"},
      {"docker image rm x", "'docker image rm' is not on the doc-test allow list"},
      {"docker-compose config -o /tmp/x", "'docker compose config' is not on the doc-test allow list"},
      {"[ -v 'a[$(touch /tmp/x)]' ]", "'[' runs as a doc-test only as one comparison or file test ([ A = B ], [ -f F ]; never -v, -a/-o: join tests with && or ||)"},
      {"[[ 1 -eq 'a[$(touch /tmp/x)]' ]]", "[[ ]] evaluates arithmetic in its operands, which can run code: use [ ] (test)"},
      {"echo $((1+2))", "arithmetic runs code held in its variables ($((x)) with x='a[$(cmd)]')"},
      {"curl -s http://x > out.txt", "output redirection > out.txt writes a file (only > /dev/null, 2>&1 and >&2 are allowed)"},
      {"curl -s http://x >&out.txt", "output redirection >& out.txt writes a file (only > /dev/null, 2>&1 and >&2 are allowed)"},
      {"echo x >> /etc/hosts", "output redirection >> /etc/hosts writes a file (only > /dev/null, 2>&1 and >&2 are allowed)"},
      {"{ echo x; } > out", "output redirection > out writes a file (only > /dev/null, 2>&1 and >&2 are allowed)"},
      {"cat <> f", "<> f opens a file for writing"},
      {"A=1 curl -s http://x", "sets A= (assignments of environment variables are not run in doc-tests)"},
      {"PAGER='touch x' git log", "sets PAGER= (assignments of environment variables are not run in doc-tests)"},
      {"sleep 5 &", "runs a command in the background (&), which may outlive the doc-test"},
      {"curl -s http://x & wait", "runs a command in the background (&), which may outlive the doc-test"},
      {"f() { curl -s x; }; f", "defines a function (doc-tests run only commands of the allow list)"},
      {"while true; do curl -s x; done", "a while or until loop may never end"},
      {"for o in -o/tmp/x; do sort $o f; done", "a for loop sets a variable from words opsbook does not follow"},
      {"echo $(touch /tmp/x)", "'touch' is not on the doc-test allow list"},
      {"curl -s \"http://x/`rm -f y`\"", "'rm' is not on the doc-test allow list"},
      {"sort $(echo -o/tmp/x) f", "'sort' operand $(echo -o/tmp/x): the output of $(...) unquoted splits into words opsbook cannot read"},
      {"sort \"$(echo -o/tmp/x)\" f", "'sort' operand $(echo -o/tmp/x) may begin with '-' when it runs, and be read as an option"},
      {"sort \"${X:--o/tmp/x}\" f", "'sort' operand ${X:--o/tmp/x} may begin with '-' when it runs, and be read as an option"},
      {"sort * f", "'sort' operand * may begin with '-' when it runs, and be read as an option"},
      {"curl -X \"$M\" http://x", "'curl' option -X has a value decided at run time ($M)"},
      {"psql -c \"$Q\"", "'psql' -c SQL is decided at run time"},
      {"$TOOL -s http://x", "the command name $TOOL is decided at run time"},
      {"sudo cat /etc/shadow", "'sudo' is not on the doc-test allow list (it runs a command as another user)"},
      {"timeout 5 touch x", "'timeout' is not on the doc-test allow list (it runs another command)"},
      {"curl -s 'http://x", "the script does not parse (unterminated single quote)"},
      {"cat <<EOF\n$(touch /tmp/x)\nEOF", "'touch' is not on the doc-test allow list"},
      {"psql <<'SQL'\nDELETE FROM t;\nSQL", "psql: DELETE is not a read (only SELECT, WITH, VALUES, TABLE, SHOW and EXPLAIN run)"},
      {"coproc sleep 5", "'coproc' is not on the doc-test allow list"},
      {"echo $(sleep 5 &)", "runs a command in the background (&), which may outlive the doc-test"},
      {"cat /proc/self/environ", "'cat' operand /proc/self/environ is not allowed (not /proc/*/environ)"},
      {"jq -n env", "'jq' operand env is not allowed (not *$ENV*, *env*)"},
      {"jq -n '$ENV'", "'jq' operand $ENV is not allowed (not *$ENV*, *env*)"},
      {"grep x \"$(echo /proc/self/environ)\"", "'grep' operand $(echo /proc/self/environ) may begin with '-' when it runs, and be read as an option"},
      {"wget -nv http://x/", "'wget' runs as a doc-test only with one of -O, --output-document, --spider"},
  };
  for (const auto& [script, why] : cases) {
    INFO(script);
    CHECK(refusal(script) == why);
  }
}

TEST_CASE("doc-test allow list: the refusal names where the command is", "[model][doctest]") {
  std::string script = "curl -s http://x\nkubectl get pods\ncurl -X POST http://x\n";
  auto r = doctest_refusal(script);
  REQUIRE(r);
  CHECK(r->offset == script.find("curl -X"));
}

// Property: any allowed tool with options drawn from a large pool (allowed, dangerous, unknown,
// clustered, joined to values) passes only when every option drawn is allowed for that tool.
TEST_CASE("doc-test allow list: random options never pass unless each is allowed", "[model][doctest][property]") {
  struct Tool {
    std::string name;
    std::set<std::string> allowed;  // flags that take no value, as the list says
    std::set<std::string> valued;   // allowed options that take the next word: not drawn
  };
  const std::vector<Tool> tools = {
      {"curl", {"-s", "-S", "-f", "-i", "-I", "-k", "-v", "-g", "-q", "-G", "-N", "--silent", "--fail", "--head", "--insecure"},
       {"-X", "-o", "-D", "-H", "-A", "-e", "-u", "-w", "-m", "--output", "--dump-header", "--write-out"}},
      {"grep", {"-i", "-v", "-c", "-q", "-E", "-F", "-G", "-n", "-w", "-x", "-l", "-L", "-r", "-R", "-h", "-H", "-s", "-o", "-a", "-I", "-b", "-z", "-y", "--count", "--quiet", "--silent"},
       {"-e", "-f", "-A", "-B", "-C", "-m"}},
      {"ls", {"-l", "-a", "-A", "-h", "-t", "-r", "-R", "-1", "-d", "-S", "-i", "-n", "-F", "-p", "-g", "-o", "-s", "-c", "-u", "-U", "-X", "-Q", "-N", "-v", "-G", "--all", "--human-readable"}, {"-I"}},
      {"sort", {"-n", "-r", "-u", "-h", "-V", "-f", "-b", "-g", "-s", "-z", "-c", "-C", "-d", "-i", "-R", "--numeric-sort", "--reverse", "--unique"}, {"-k", "-t"}},
      {"wc", {"-l", "-w", "-c", "-m", "-L", "--lines", "--words"}, {}},
      {"cat", {"-n", "-b", "-s", "-A", "-E", "-T", "-v", "-e", "-t", "-u", "--number"}, {}},
      {"df", {"-h", "-H", "-T", "-i", "-P", "-a", "-l", "-k", "--total", "--human-readable", "--all", "--output"}, {"-t", "-x"}},
  };
  const std::vector<std::string> pool = {
      "-s", "-S", "-f", "-i", "-I", "-L", "-k", "-v", "-o", "-O", "-D", "-K", "-d", "-F", "-T", "-x", "-X", "-e", "-w", "-c", "-C", "-n", "-r", "-R",
      "-u", "-l", "-a", "-h", "-t", "-1", "-q", "-E", "-H", "-A", "-b", "-m", "-P", "-z", "-g", "-p", "-Z", "--output", "--config", "--data",
      "--upload-file", "--follow", "--delete", "--exec", "--in-place", "--write-out", "--compress-program", "--files0-from", "--silent", "--fail",
      "--all", "--numeric-sort", "--lines", "--count", "--quiet", "--number", "--total", "--head", "--location", "--insecure", "--reverse",
      "--unique", "--words", "--human-readable", "--dump-header", "--post-renderer", "--output-dir", "--eval", "--rdb", "-0", "-9", "--",
  };
  std::mt19937 rng(20261202);  // fixed seed: the same cases in every run
  int passed = 0, refused = 0;
  for (int round = 0; round < 4000; ++round) {
    const Tool& tool = tools[rng() % tools.size()];
    std::string script = tool.name;
    bool all_allowed = true;
    size_t n = 1 + rng() % 4;
    auto draw = [&] {  // an option the tool does not read a value after
      std::string opt;
      do opt = pool[rng() % pool.size()];
      while (tool.valued.count(opt) || opt == "--");  // -- would end the options
      return opt;
    };
    for (size_t k = 0; k < n; ++k) {
      std::string opt = draw();
      if (rng() % 3 == 0 && opt.size() == 2) {  // a cluster of short options
        std::string more = draw();
        if (more.size() == 2 && more[0] == '-' && more[1] != '-') {
          all_allowed = all_allowed && tool.allowed.count(opt) && tool.allowed.count(more);
          script += " " + opt + more.substr(1);
          continue;
        }
      }
      all_allowed = all_allowed && tool.allowed.count(opt);
      script += " " + opt;
    }
    script += tool.name == "curl" || tool.name == "wget" ? " http://127.0.0.1/file" : " file";
    std::string why = refusal(script);
    INFO(script << " -> " << why);
    if (!all_allowed) CHECK(!why.empty());
    else CHECK(why.empty());
    (why.empty() ? passed : refused)++;
  }
  CHECK(passed > 100);
  CHECK(refused > 1000);
}

TEST_CASE("doc-test allow list: header lines without line breaks or Host removal, psql without conninfo options (final review)", "[model][doctest]") {
  CHECK_FALSE(refusal("curl -s -m 2 -A '' -H 'Host:' -H 'SET pwned 1' http://127.0.0.1:16379/ -o /dev/null").empty());
  CHECK_FALSE(refusal("curl -s -H $'X: a\\r\\nContent-Length: 0\\r\\n\\r\\nPOST /x HTTP/1.1' http://127.0.0.1:18081/").empty());
  CHECK_FALSE(refusal("wget -q -O /dev/null --header 'host: x' http://127.0.0.1/").empty());
  CHECK(refusal("curl -s -H 'Accept: application/json' http://127.0.0.1/healthz").empty());
  CHECK_FALSE(refusal("psql 'host=127.0.0.1 options=-cdefault_transaction_read_only=off' -c 'SELECT 1'").empty());
  CHECK_FALSE(refusal("psql 'postgresql://u@127.0.0.1/db?options=-csession_preload_libraries%3D/tmp/x.so' -c 'SELECT 1'").empty());
  CHECK_FALSE(refusal("psql -d 'service=evil' -c 'SELECT 1'").empty());
  CHECK(refusal("psql 'postgresql://u@127.0.0.1/db' -c 'SELECT 1'").empty());
}

TEST_CASE("doc-test allow list: guessed curl protocols, psql meta-command arguments, %-escaped conninfo, command's options, evaluated expansions (s5 review)", "[model][doctest]") {
  // curl guesses dict:// from a host named dict., and expands {...} and [...].
  CHECK(refusal("curl -s -m 2 dict.x:16399/SET:k:1") == "'curl' operand dict.x:16399/SET:k:1 is not allowed (http://*, https://*; not *{*, *[*)");
  CHECK(refusal("curl -s -m 2 --resolve dict.x:16399:127.0.0.1 http://dict.x:16399/") == "'curl' option --resolve is not on the doc-test allow list");
  CHECK(refusal("curl -s '[d-d]ict://127.0.0.1:16399/SET:k:1'") == "'curl' operand [d-d]ict://127.0.0.1:16399/SET:k:1 is not allowed (http://*, https://*; not *{*, *[*)");
  CHECK_FALSE(refusal("curl -s 'http://127.0.0.1/{a,b}'").empty());
  CHECK(refusal("curl -s \"http://127.0.0.1:8080/$PATH_PART\"").empty());  // the protocol is written out
  CHECK(refusal("curl -s \"$URL\"") == "'curl' operand $URL is decided at run time (allowed: http://*, https://*; not *{*, *[*)");
  CHECK(refusal("wget -q -O- ftp://127.0.0.1/x") == "'wget' operand ftp://127.0.0.1/x is not allowed (http://*, https://*)");
  // psql runs a backquoted argument of any meta-command; \lo_* is not \l.
  CHECK(refusal("psql -h 127.0.0.1 -c '\\d `touch /tmp/x`'") ==
        "psql meta-command \\d `touch /tmp/x` is not on the doc-test allow list (only \\d..., \\l and \\conninfo)");
  CHECK_FALSE(refusal("psql -c '\\l+ `touch /tmp/x`'").empty());
  CHECK_FALSE(refusal("psql -c '\\d :`touch /tmp/x`'").empty());
  for (const char* lo : {"\\lo_export 16384 /tmp/x", "\\lo_import /etc/hostname", "\\lo_unlink 16384"}) {
    CHECK(refusal(std::string("psql -c '") + lo + "'").find("is not on the doc-test allow list") != std::string::npos);
  }
  CHECK(refusal("psql -c '\\dt+ public.*'").empty());
  CHECK(refusal("psql -c '\\l'").empty());
  // libpq decodes %6F to o: options=... hidden from the text.
  CHECK(refusal("psql -X -At -d 'postgresql://postgres@127.0.0.1:15499/postgres?%6Fptions=-cdefault_transaction_read_only%3Doff' -c 'show x'") ==
        "'psql' option -d value postgresql://postgres@127.0.0.1:15499/postgres?%6Fptions=... is not allowed (*; not *option*, *service*, *%*, *encoding*)");
  CHECK_FALSE(refusal("psql 'postgresql://postgres@127.0.0.1/postgres?%73ervice=x' -c 'SELECT 1'").empty());
  // bash reads command's options only before the program's name.
  CHECK(refusal("command flock /tmp/x true -v") == "'command' runs as a doc-test only with one of -v, -V");
  CHECK(refusal("command -v flock").empty());
  // Subscripts, offsets, indirection and transformations evaluate code held in variables ($_).
  CHECK(refusal("echo \"${#PWD[_]}\"") == "${...[_]} evaluates its subscript as arithmetic, which runs code held in variables");
  CHECK(refusal("echo \"${HOME:_}\"") == "${...:_} evaluates its offset as arithmetic, which runs code held in variables");
  CHECK(refusal("echo \"${!X}\"") == "${!...} expands the variable another one names, and evaluates its subscript");
  CHECK(refusal("echo \"${X@P}\"") == "${...@...} transforms the value (@P runs the $(...) it holds)");
  CHECK(refusal("echo \"${HOME:1:3} ${X:-none} ${#HOME} ${A[0]} ${A[@]}\"").empty());
  // kubectl auth can-i sends a POST (SelfSubjectAccessReview).
  CHECK(refusal("kubectl auth can-i get pods") == "'kubectl auth' is not on the doc-test allow list");
}

TEST_CASE("doc-test allow list: prompt-like lines in psql's input, /dev/tcp, awk's case and joined targets, $_, brace expansion, client encodings (s5b review)", "[model][doctest]") {
  // What psql reads is SQL line by line: a line that looks like a prompt hides nothing.
  CHECK_FALSE(refusal("psql -h 127.0.0.1 <<<$'x=# SELECT 1;\\n\\\\! touch /tmp/x'").empty());
  CHECK_FALSE(refusal("psql -h 127.0.0.1 <<<$'x=# SELECT 1;\\n\\\\lo_unlink 16384'").empty());
  // bash opens a connection for < /dev/tcp/HOST/PORT; >&0 writes to it.
  CHECK(refusal("echo 'SET k 1' 0</dev/tcp/127.0.0.1/16499 >&0") == "input redirection from /dev/tcp/127.0.0.1/16499 opens a network connection (bash's /dev/tcp)");
  CHECK_FALSE(refusal("echo x 0<//dev//tcp/127.0.0.1/16499").empty());
  CHECK(refusal("echo x >&0") == "output redirection >& 0 writes a file (only > /dev/null, 2>&1 and >&2 are allowed)");
  CHECK_FALSE(refusal("cat < \"$F\"").empty());
  CHECK(refusal("jq . < response.json").empty());
  // mawk reads `case / 1` as a division; awk joins "/dev/stderr" "-x" into a file name.
  CHECK_FALSE(refusal("awk 'BEGIN { case = 1; x = case / 1; \"touch /tmp/x\" | getline; y = 1 / 1 }'").empty());
  CHECK_FALSE(refusal("awk '{ print > \"/dev/stderr\" \"-x\" }' f").empty());
  CHECK(refusal("awk '{ print > \"/dev/stderr\" }' f").empty());
  // $_ is the previous command's last word: text the snippet built at run time.
  CHECK(refusal("echo -o/tmp/x >/dev/null; sort \"$_\" /dev/null") == "'sort' operand $_ may begin with '-' when it runs, and be read as an option");
  CHECK_FALSE(refusal("echo x >/dev/null; psql -d \"$_\" -c 'SELECT 1'").empty());
  // {a,b} makes two operands of one word.
  CHECK(refusal("uniq /{etc/hostname,tmp/x}") == "'uniq' operand /{etc/hostname,tmp/x} is a pattern the shell may make several words of (at most 1 operands)");
  // In SJIS a backslash can end a character: SQL would read differently from how opsbook reads it.
  CHECK_FALSE(refusal("psql 'host=127.0.0.1 client_encoding=SJIS' -c 'SELECT 1'").empty());
  CHECK_FALSE(refusal("psql -c '\\encoding SJIS'").empty());
}

TEST_CASE("doc-test allow list: awk statements continued after a comma, sed labels ended by white space (s5c review)", "[model][doctest]") {
  CHECK_FALSE(refusal("awk 'BEGIN { print 1,\n2 > \"/tmp/x\" }'").empty());
  CHECK_FALSE(refusal("echo x | sed -n ':a e touch /tmp/x'").empty());
  CHECK_FALSE(refusal("sed -n 'b a w /tmp/x' /etc/hostname").empty());
  CHECK(refusal("awk 'BEGIN { print 1,\n2 }'").empty());
}

TEST_CASE("a short secret counts only as a token of its own: a one-letter password does not switch off doc-tests (s7e review E8)", "[model][doctest][security]") {
  NetworkGate gate;
  gate.secrets = {"p", "s3cretPW-long"};
  auto secret_refusal = [&](std::string_view script) {
    auto r = doctest_secret_use(script, gate);
    return r ? r->reason : "";
  };
  const std::string used = "uses a secret of the environment (a DSN or a password) other than as a whole connection string of psql, pg_isready or redis-cli (its "
                           "value would reach a URL, a log or the output)";
  CHECK(secret_refusal("redis-cli -h 127.0.0.1 -p 47813 ping") == "");
  CHECK(secret_refusal("grep -c pass app.log") == "");
  // The short secret as a token, and the long one anywhere, are still refused.
  CHECK(secret_refusal("echo p") == used);
  CHECK(secret_refusal("curl -fsS http://127.0.0.1:8080/p") == used);
  CHECK(secret_refusal("curl -fsS 'http://127.0.0.1:8080/?x=p&y=1'") == used);
  CHECK(secret_refusal("curl -fsS http://127.0.0.1:8080/xs3cretPW-longy") == used);
  CHECK(secret_refusal("echo s3cretPW-long") == used);
}

// s10b review B7: with HOME unset the seal key lives under the user's home folder from the
// password database, which the rule did not know: a doc-test reading it by its full path ran.
TEST_CASE("doc-test policy: the user's home folder is private with HOME unset too (s10b B7)", "[model][doctest]") {
  const passwd* user = ::getpwuid(::geteuid());
  REQUIRE(user != nullptr);
  std::string key = std::string(user->pw_dir) + "/.local/state/opsbook/seal-key";
  const char* saved = std::getenv("HOME");
  std::string home = saved != nullptr ? saved : "";
  ::unsetenv("HOME");
  std::string got = refusal("base64 " + key);
  // s10c review B15: the same file through // and .. is the same file.
  std::string doubled = refusal("base64 /" + key), climbed = refusal("base64 /tmp/.." + key);
  if (saved != nullptr) ::setenv("HOME", home.c_str(), 1);
  CHECK(doubled.find("is in the home folder") != std::string::npos);
  CHECK(climbed.find("is in the home folder") != std::string::npos);
  CHECK(got == "'base64' operand " + key + " is in the home folder, .git or .opsbook, where credentials and opsbook's keys are (doc-tests read the runbooks' files)");
  auto folders = opsbook::model::private_folders();
  CHECK(std::find(folders.begin(), folders.end(), std::string(user->pw_dir)) != folders.end());
}
