// Reading code blocks: sessions whatever the tag, scripts with pasted output and queries,
// unlabelled fences by evidence, tool fences, program code.
#include <catch2/catch.hpp>

#include "model/block_kind.hpp"

using namespace opsbook::model;

namespace {

std::vector<std::pair<int, std::string>> lines_and_texts(const BlockReading& r) {
  std::vector<std::pair<int, std::string>> out;
  for (const auto& c : r.commands) out.emplace_back(c.line, c.text);
  return out;
}

}  // namespace

TEST_CASE("blocks: a sh block with output pasted after its command", "[model][blocks]") {
  BlockReading r = read_block("sh", "kubectl get pods -n web\nNAME    READY   STATUS\nweb-1   1/1     Running\n\nkubectl get nodes\n42\n", 10);
  CHECK(r.kind == SnippetKind::shell);
  CHECK(lines_and_texts(r) == std::vector<std::pair<int, std::string>>{{10, "kubectl get pods -n web"}, {14, "kubectl get nodes"}});
  REQUIRE(r.notes.size() == 3);
  CHECK(r.notes[0].line == 11);
  CHECK(r.notes[0].note == "output of the command at line 10: a table row (columns aligned with blanks)");
  CHECK(r.notes[2].note == "output of the command at line 14: a number");
}

TEST_CASE("blocks: PromQL in a sh fence is a query, never shell", "[model][blocks]") {
  BlockReading r = read_block("sh", "sum by (namespace) (\n  rate(container_cpu_usage_seconds_total[5m])\n)\n", 1);
  CHECK(r.kind == SnippetKind::query);
  REQUIRE(r.commands.size() == 1);
  CHECK(r.commands[0].lang == CommandLang::query);
  CHECK(r.commands[0].end_line == 3);
  BlockReading mixed = read_block("bash", "kubectl get pods\nup{job=\"kubelet\"} == 0\n", 1);
  CHECK(mixed.kind == SnippetKind::shell);
  REQUIRE(mixed.commands.size() == 2);
  CHECK(mixed.commands[1].lang == CommandLang::query);
}

TEST_CASE("blocks: a promql fence holds one query per expression", "[model][blocks]") {
  BlockReading r = read_block("promql", "up == 0\n\nhistogram_quantile(0.99,\n  sum(rate(x_bucket[5m])) by (le))\n", 5);
  CHECK(r.kind == SnippetKind::query);
  REQUIRE(r.commands.size() == 2);
  CHECK(r.commands[1].line == 7);
  CHECK(r.commands[1].end_line == 8);
}

TEST_CASE("blocks: a session whatever the tag, with a comment first", "[model][blocks]") {
  for (std::string_view tag : {"", "sh", "console", "text", "dig", "ruby"}) {
    INFO(tag);
    BlockReading r = read_block(tag, "# get the pods\n$ oc get pods\nNAME   READY\n", 1);
    CHECK(r.kind == SnippetKind::shell);
    REQUIRE(r.commands.size() == 1);
    CHECK(r.commands[0].line == 2);
    CHECK(r.commands[0].prompt == "$");
  }
  BlockReading psql = read_block("", "gitlabhq_production=# SELECT count(*) FROM users;\n count\n-------\n 3\n", 1);
  CHECK(psql.kind == SnippetKind::sql);
  REQUIRE(psql.commands.size() == 1);
  CHECK(psql.commands[0].lang == CommandLang::sql);
}

TEST_CASE("blocks: unlabelled fences by evidence", "[model][blocks]") {
  CHECK(read_block("", "sudo gitlab-ctl restart\n", 1).kind == SnippetKind::shell);
  CHECK(read_block("", "cd /var/opt/gitlab\nls -la\n", 1).kind == SnippetKind::shell);
  CHECK(read_block("", "gitlab-patronictl list\n", 1).kind == SnippetKind::shell);
  CHECK(read_block("", "/opt/gitlab/embedded/bin/pg_ctl status\n", 1).kind == SnippetKind::shell);
  CHECK(read_block("", "apiVersion: v1\nkind: Pod\n", 1).kind == SnippetKind::text);
  CHECK(read_block("", "2024-01-31 12:00:01 ERROR something failed\n", 1).kind == SnippetKind::text);
  CHECK(read_block("", "{\"a\": 1}\n", 1).kind == SnippetKind::text);
  CHECK(read_block("", "The service is down.\nRestart it.\n", 1).kind == SnippetKind::text);
  CHECK(read_block("", "FOO=bar\nBAZ=qux\n", 1).kind == SnippetKind::text);
}

TEST_CASE("blocks: a text fence reads like an unlabelled one", "[model][blocks]") {
  for (std::string_view tag : {"text", "txt", "plaintext"}) {
    INFO(tag);
    BlockReading r = read_block(tag, "sudo gitlab-ctl restart\n", 4);
    CHECK(r.kind == SnippetKind::shell);
    CHECK(lines_and_texts(r) == std::vector<std::pair<int, std::string>>{{4, "sudo gitlab-ctl restart"}});
    CHECK(read_block(tag, "The service is down.\nRestart it.\n", 1).commands.empty());
    CHECK(read_block(tag, "2024-01-31 12:00:01 ERROR something failed\n", 1).commands.empty());
  }
  // Output and log tags say nothing in them is typed.
  CHECK(read_block("output", "sudo gitlab-ctl restart\n", 1).commands.empty());
}

TEST_CASE("blocks: an untagged block whose every line is '# ' and a command is a root shell's session", "[model][blocks]") {
  BlockReading r = read_block("", "# brew install homebrew/cask/1password-cli\n# brew install jq\n\n# sudo systemctl restart nginx\n", 20);
  CHECK(lines_and_texts(r) == std::vector<std::pair<int, std::string>>{
                                  {20, "brew install homebrew/cask/1password-cli"}, {21, "brew install jq"}, {23, "sudo systemctl restart nginx"}});
  for (const auto& c : r.commands) CHECK(c.prompt == "#");
  // Comments that explain, one line alone, or a block with other lines: not a session of prompts.
  CHECK(read_block("", "# Check the pods\n# Then restart them\n", 1).commands.empty());
  CHECK(read_block("", "# brew install jq\n", 1).commands.empty());
  CHECK(read_block("", "# brew install jq\n# see the docs for more\n", 1).commands.empty());
}

TEST_CASE("blocks: a console fence without prompts holds the commands alone, its output told apart", "[model][blocks]") {
  for (std::string_view tag : {"console", "terminal", "shell-session"}) {
    INFO(tag);
    BlockReading r = read_block(tag, "kubectl get pods -n web\nNAME    READY   STATUS\nweb-1   1/1     Running\nkubectl describe pod web-1\n", 10);
    CHECK(r.kind == SnippetKind::shell);
    CHECK(lines_and_texts(r) == std::vector<std::pair<int, std::string>>{{10, "kubectl get pods -n web"}, {13, "kubectl describe pod web-1"}});
    for (const auto& c : r.commands) CHECK(c.prompt.empty());
  }
  // With a prompt, even one that is a prompt only in a session ("# "), it is a session.
  BlockReading root = read_block("console", "# systemctl restart nginx\nsome output\n", 1);
  REQUIRE(root.commands.size() == 1);
  CHECK(root.commands[0].prompt == "#");
  CHECK(read_block("console", "$ kubectl get nodes\nnode1 Ready\n", 1).commands.size() == 1);
}

TEST_CASE("blocks: tool fences, code fences and output fences", "[model][blocks]") {
  BlockReading dig = read_block("dig", "dig +short gitlab.com\n", 1);
  CHECK(dig.kind == SnippetKind::shell);
  CHECK(dig.commands.size() == 1);
  CHECK(read_block("dig", ";; ANSWER SECTION:\ngitlab.com. 300 IN A 1.2.3.4\n", 1).commands.empty());
  // Program code stays code; Ruby typed into a console is console input (console_block_test).
  CHECK(read_block("ruby", "file '/tmp/x' do\n  action :delete\nend\n", 1).commands.empty());
  CHECK(read_block("go", "fmt.Println(x)\n", 1).commands.empty());
  CHECK(read_block("log", "$ not a prompt here\n", 1).commands.empty());
  BlockReading redis = read_block("redis", "INFO replication\nCONFIG GET maxmemory\n", 3);
  REQUIRE(redis.commands.size() == 2);
  CHECK(redis.commands[1].lang == CommandLang::redis);
  CHECK(redis.commands[1].line == 4);
}

TEST_CASE("blocks: heredoc bodies and continuations stay in their command", "[model][blocks]") {
  BlockReading r = read_block("bash", "psql <<SQL\nDROP TABLE x;\nSQL\nkubectl get pods \\\n  -n web\n", 1);
  REQUIRE(r.commands.size() == 2);
  CHECK(r.commands[0].text == "psql <<SQL\nDROP TABLE x;\nSQL");
  CHECK(r.commands[0].end_line == 3);
  CHECK(r.commands[1].line == 4);
  CHECK(r.commands[1].end_line == 5);
}

TEST_CASE("blocks: crontab lines are not commands to type", "[model][blocks]") {
  BlockReading r = read_block("bash", "# add to cron\n0 2 * * * /opt/scripts/backup-db.sh >> /var/log/backup.log 2>&1\n", 1);
  CHECK(r.commands.empty());
  REQUIRE(r.notes.size() == 1);
  CHECK(r.notes[0].line == 2);
}

TEST_CASE("blocks: SQL fences give one command per statement", "[model][blocks]") {
  BlockReading r = read_block("sql", "SELECT 1;\nUPDATE t\n  SET a = 1\n  WHERE id = 2;\n", 20);
  REQUIRE(r.commands.size() == 2);
  CHECK(r.commands[1].line == 21);
  CHECK(r.commands[1].end_line == 23);
  CHECK(r.commands[1].lang == CommandLang::sql);
}

TEST_CASE("blocks: a root prompt followed by its output makes a sh block a session", "[model][blocks]") {
  BlockReading r = read_block("sh", "# sudo ls -lt /var/log/app\ntotal 34800\n-rw-r--r-- 1 root root 1915178 Aug  7 13:42 current\n\n# sudo zgrep Updated /var/log/app/x.s\n", 3);
  CHECK(r.kind == SnippetKind::shell);
  CHECK(lines_and_texts(r) == std::vector<std::pair<int, std::string>>{{3, "sudo ls -lt /var/log/app"}, {7, "sudo zgrep Updated /var/log/app/x.s"}});
  CHECK(r.commands[0].prompt == "#");
  // A comment explains the command under it: still a script, the comment no command.
  BlockReading script = read_block("sh", "# sudo systemctl restart app\nsudo systemctl restart app\n# show the logs\njournalctl -u app\n", 1);
  CHECK(lines_and_texts(script) == std::vector<std::pair<int, std::string>>{{2, "sudo systemctl restart app"}, {4, "journalctl -u app"}});
}

TEST_CASE("blocks: an untagged block of SQL statements ended by ':' is SQL", "[model][blocks]") {
  BlockReading r = read_block("", "SELECT\n  queryid,\n  calls\nFROM\n  pg_stat_statements\nWHERE\n  query like '%x%' ;\n", 30);
  CHECK(r.kind == SnippetKind::sql);
  REQUIRE(r.commands.size() == 1);
  CHECK(r.commands[0].line == 30);
  CHECK(r.commands[0].end_line == 36);
  CHECK(r.commands[0].lang == CommandLang::sql);
  // Without the ';' or with prose first it stays text.
  CHECK(read_block("", "SELECT\n  queryid\nFROM x\n", 1).commands.empty());
  CHECK(read_block("", "Select the node, then drain it;\n", 1).commands.empty());
}

TEST_CASE("blocks: a line with no shell evidence after output is more output", "[model][blocks]") {
  BlockReading r = read_block("", "sh wraparound.sh -h\n\nScript for check wraparound status\noptions\n mode: -m check\n\nsudo gitlab-psql -c 'select 1'\n", 1);
  CHECK(lines_and_texts(r) == std::vector<std::pair<int, std::string>>{{1, "sh wraparound.sh -h"}, {7, "sudo gitlab-psql -c 'select 1'"}});
  REQUIRE(r.notes.size() == 3);
  CHECK(r.notes[1].note == "output of the command at line 1: more of the output above");
}

TEST_CASE("blocks: a quoted string over lines stays in its command, and a line that starts with an input redirection is one", "[model][blocks]") {
  BlockReading r = read_block("", "gitlab-psql -qtc \"SELECT count(*) FROM pg_stat_activity\nWHERE pid <> pg_backend_pid()\nAND state <> 'idle';\"\nsudo gitlab-ctl status\n", 20);
  REQUIRE(r.commands.size() == 2);
  CHECK(r.commands[0].line == 20);
  CHECK(r.commands[0].end_line == 22);
  CHECK(r.commands[1].line == 23);
  CHECK(r.notes.empty());  // "WHERE ..." is no output of the command
  BlockReading in = read_block("bash", "< files_to_remove.txt xargs du -ch | tail -n1\n< files_to_remove.txt xargs -rn1 ionice -c 3 rm -fr\n", 5);
  REQUIRE(in.commands.size() == 2);
  CHECK(in.commands[1].line == 6);
  // curl -v's answer lines stay output.
  BlockReading trace = read_block("sh", "curl -v http://localhost/\n< HTTP/1.1 200 OK\n< Content-Type: text/html\n", 1);
  CHECK(trace.commands.size() == 1);
}

TEST_CASE("blocks: an unlabelled fence whose lines are mostly commands, after one with a tool opsbook does not know", "[model][blocks]") {
  BlockReading r = read_block("", "# Open a tunnel\nglsh kube use-cluster gprd\n\n# In the pod:\ndf -h\nrm -rf /prometheus/*.tmp\ndf -h\n", 10);
  CHECK(r.kind == SnippetKind::shell);
  CHECK(lines_and_texts(r) == std::vector<std::pair<int, std::string>>{
                                  {11, "glsh kube use-cluster gprd"}, {14, "df -h"}, {15, "rm -rf /prometheus/*.tmp"}, {16, "df -h"}});
  // Output with a command or two in it stays text when its first line is no command.
  CHECK(read_block("", "Filesystem Size Used\nnode-1 ready\nnode-2 ready\nkubectl get nodes\ndf -h\n", 1).commands.empty());
}

TEST_CASE("blocks: an unlabelled fence of commands of tools opsbook does not know, with options", "[model][blocks]") {
  CHECK(read_block("", "tf plan -out plan -target module.postgres-dr-archive\n", 3).commands.size() == 1);
  CHECK(read_block("", "tf import module.pool[0] gprd/us-east1/$NEW_NODE_POOL\n", 3).commands.size() == 1);
  // logfmt lines and VAR=value lines alone are no commands; prose is none either.
  CHECK(read_block("", "level=info msg=\"started\" took=3s\nlevel=warn msg=\"slow\"\n", 1).commands.empty());
  CHECK(read_block("", "CONSUMER_MAX_CONCURRENCY=8\nLOG_LEVEL=info\n", 1).commands.empty());
  CHECK(read_block("", "/opt/gitlab/embedded/bin/git\n", 1).commands.empty());  // a path names a build
  CHECK(read_block("", "tf plan -out plan\nthis is the plan output\n", 1).commands.empty());
}

TEST_CASE("blocks: Redis commands in an unlabelled fence where the text speaks of Redis", "[model][blocks]") {
  BlockReading r = read_block("", "sentinel master gitlab-redis\n", 20, BlockContext{"then type this in Redis console:", ""});
  REQUIRE(r.commands.size() == 1);
  CHECK(r.commands[0].lang == CommandLang::redis);
  CHECK(r.commands[0].line == 20);
  CHECK(read_block("", "sentinel master gitlab-redis\n", 20).commands.empty());  // nothing says Redis
  CHECK(read_block("", "get the keys\nthen delete them\n", 1, BlockContext{"Redis:", ""}).commands.empty());
}
