// The prompt table (one test per shape family) and the session splitter.
#include <catch2/catch.hpp>

#include "model/prompts.hpp"

using namespace opsbook::model;

namespace {

// The language and command text the line gives, "" when it has no prompt.
std::pair<CommandLang, std::string> typed(std::string_view line, PromptScope scope = PromptScope::any_block) {
  auto p = match_prompt(line, scope);
  if (!p) return {CommandLang::other, ""};
  std::string_view rest = line.substr(p->length);
  while (!rest.empty() && rest.front() == ' ') rest.remove_prefix(1);
  return {p->lang, std::string(rest)};
}

}  // namespace

TEST_CASE("prompts: shell prompts give shell commands", "[model][prompts]") {
  for (std::string_view line : {"$ kubectl get pods", "  $ kubectl get pods", "user@host:~$ kubectl get pods", "root@db1:/var/lib# kubectl get pods",
                                "[root@db1 ~]# kubectl get pods", "[deploy@web-2 app]$ kubectl get pods", "(venv) user@host:~/src$ kubectl get pods",
                                "(sentry)root@sentry:~# kubectl get pods", "console-01-sv-gprd.c.gitlab-production.internal:~$ kubectl get pods",
                                ":~$ kubectl get pods", "worker$ kubectl get pods", "bash-4.2$ kubectl get pods", "sh-5.1# kubectl get pods",
                                "/ # kubectl get pods", "/app $ kubectl get pods", "$> kubectl get pods", "jeroen@xps15:~/src/chef-repo$ kubectl get pods",
                                "user@host ~ % kubectl get pods"}) {
    INFO(line);
    auto [lang, text] = typed(line);
    CHECK(lang == CommandLang::shell);
    CHECK(text == "kubectl get pods");
  }
}

TEST_CASE("prompts: zsh themes", "[model][prompts]") {
  CHECK(typed("\xE2\x9E\x9C  ~ kubectl get pods").second == "kubectl get pods");
  CHECK(typed("\xE2\x9E\x9C  myproject git:(main) \xE2\x9C\x97 git status").second == "git status");
  CHECK(typed("\xE2\x9E\x9C  myproject git:(main) git status").second == "git status");
  CHECK(typed("\xE2\x9D\xAF docker ps").second == "docker ps");
  // A minimal theme shows the folder only; "~ " is a prompt when a command follows it.
  CHECK(typed(" ~ kubectl -n monitoring exec -it prom-0 -- sh").second == "kubectl -n monitoring exec -it prom-0 -- sh");
  CHECK(typed("~ is the home folder").second.empty());
  // A host name and a blank before '$' ("patroni-01-db-gstg $ "), before a clear command only.
  CHECK(typed("patroni-01-db-gstg $ sudo gitlab-patronictl list").second == "sudo gitlab-patronictl list");
  CHECK(typed("costs 5 $ per month").second.empty());
  // Host names padded to line up the prompts of several hosts, and the root shell of the same.
  CHECK(typed("workstation        $ knife ssh roles:db 'sudo chef-client-enable'").second == "knife ssh roles:db 'sudo chef-client-enable'");
  CHECK(typed("patroni-01-db-gstg # sudo gitlab-patronictl list").second == "sudo gitlab-patronictl list");
  CHECK(typed("make    # the default target").second.empty());
  CHECK(typed("total    $ 5").second.empty());
  // zsh's and csh's default prompt "% ", before a clear command only: "% of CPU" is output.
  CHECK(typed("% brew services list").second == "brew services list");
  CHECK(typed("% kubectl get pods -n gitlab-managed-apps").second == "kubectl get pods -n gitlab-managed-apps");
  CHECK(typed("% of the disk is used").second.empty());
  CHECK(typed("%CPU %MEM COMMAND").second.empty());
}

TEST_CASE("prompts: PowerShell and cmd.exe", "[model][prompts]") {
  CHECK(typed("PS C:\\> Get-Service -Name nginx") == std::pair{CommandLang::powershell, std::string("Get-Service -Name nginx")});
  CHECK(typed("PS C:\\Program Files\\App> .\\health.ps1") == std::pair{CommandLang::powershell, std::string(".\\health.ps1")});
  CHECK(typed("PS> Restart-Service nginx") == std::pair{CommandLang::powershell, std::string("Restart-Service nginx")});
  CHECK(typed("C:\\Users\\ops> dir").first == CommandLang::other);
}

TEST_CASE("prompts: psql, mysql and sqlite give SQL", "[model][prompts]") {
  for (std::string_view line : {"gitlabhq_production=# SELECT 1;", "db=> SELECT 1;", "db=*# SELECT 1;", "mysql> SELECT 1;",
                                "MariaDB [(none)]> SELECT 1;", "sqlite> SELECT 1;"}) {
    INFO(line);
    CHECK(typed(line) == std::pair{CommandLang::sql, std::string("SELECT 1;")});
  }
  auto cont = match_prompt("gitlabhq_production-# FROM users;", PromptScope::session);
  REQUIRE(cont);
  CHECK(cont->continuation);
  CHECK(cont->lang == CommandLang::sql);
}

TEST_CASE("prompts: a bare '>' prompt before redis-cli or shell commands: psql without %R", "[model][prompts]") {
  CHECK(typed("> slowlog get 10") == std::pair{CommandLang::redis, std::string("slowlog get 10")});
  CHECK(typed("> LATENCY DOCTOR") == std::pair{CommandLang::redis, std::string("LATENCY DOCTOR")});
  CHECK(typed("> role") == std::pair{CommandLang::redis, std::string("role")});
  CHECK(typed("> kubectl get pods") == std::pair{CommandLang::shell, std::string("kubectl get pods")});
  CHECK(typed("> GET / HTTP/1.1").second.empty());  // curl -v's request line
  CHECK(typed("> a quoted remark").second.empty());
  CHECK(typed("template1# select * from pg_is_in_recovery();") == std::pair{CommandLang::sql, std::string("select * from pg_is_in_recovery();")});
  CHECK(typed("web1# uptime").second.empty());
}

TEST_CASE("prompts: redis-cli", "[model][prompts]") {
  for (std::string_view line : {"redis 127.0.0.1:6379> INFO replication", "127.0.0.1:6379> INFO replication", "10.0.0.1:6379[2]> INFO replication",
                                "redis-main.internal:6379> INFO replication", "redis> INFO replication"}) {
    INFO(line);
    CHECK(typed(line) == std::pair{CommandLang::redis, std::string("INFO replication")});
  }
}

TEST_CASE("prompts: Ruby, Python and mongo consoles", "[model][prompts]") {
  CHECK(typed("irb(main):001:0> User.count") == std::pair{CommandLang::ruby, std::string("User.count")});
  CHECK(typed("irb(main):027> User.count") == std::pair{CommandLang::ruby, std::string("User.count")});
  CHECK(typed("[1] pry(main)> User.count") == std::pair{CommandLang::ruby, std::string("User.count")});
  CHECK(typed("irb> User.count") == std::pair{CommandLang::ruby, std::string("User.count")});
  CHECK(typed(">>> import os") == std::pair{CommandLang::python, std::string("import os")});
  CHECK(typed("rs0:PRIMARY> rs.status()") == std::pair{CommandLang::mongo, std::string("rs.status()")});
  CHECK(typed("> db.users.find()") == std::pair{CommandLang::mongo, std::string("db.users.find()")});
  CHECK(typed("test> show dbs") == std::pair{CommandLang::mongo, std::string("show dbs")});
}

TEST_CASE("prompts: output that looks a little like a prompt is not one", "[model][prompts]") {
  for (std::string_view line : {"=> #<Project id:1 gitlab/top-secret>", "->  Nested Loop  (cost=27.14..6578.92 rows=1073 width=1283)",
                                "# Check the pods", "> quoted text", ">>>>>>> main", "NAME   READY   STATUS", "$5 per month", "a=>b"}) {
    INFO(line);
    CHECK_FALSE(match_prompt(line, PromptScope::any_block));
  }
  // "# " is a root prompt only inside a session, and only before a command.
  CHECK(typed("# systemctl restart nginx", PromptScope::session).second == "systemctl restart nginx");
  CHECK_FALSE(match_prompt("# Check the pods", PromptScope::session));
}

TEST_CASE("sessions: commands, continuations and output", "[model][prompts]") {
  Session s = split_session(
      "# list them\n"
      "$ kubectl get pods \\\n"
      "    -n web\n"
      "NAME    READY\n"
      "web-1   1/1\n"
      "$ cat <<EOF > /tmp/x\n"
      "> hello\n"
      "> EOF\n"
      "$\n"
      "gitlabhq_production=# SELECT id\n"
      "gitlabhq_production-# FROM users\n"
      "gitlabhq_production-# LIMIT 1;\n"
      " id\n"
      "----\n"
      "  1\n"
      "(1 row)\n"
      "\n"
      "[1] pry(main)> User.count\n"
      "=> 3\n");
  REQUIRE(s.commands.size() == 4);
  CHECK(s.commands[0].text == "kubectl get pods -n web");
  CHECK(s.commands[0].line_offset == 1);
  CHECK(s.commands[0].end_offset == 2);
  CHECK(s.commands[0].prompt == "$");
  CHECK(s.commands[1].text == "cat <<EOF > /tmp/x\nhello\nEOF");
  CHECK(s.commands[1].end_offset == 7);
  CHECK(s.commands[2].lang == CommandLang::sql);
  CHECK(s.commands[2].text == "SELECT id\nFROM users\nLIMIT 1;");
  CHECK(s.commands[2].line_offset == 9);
  CHECK(s.commands[2].end_offset == 11);
  CHECK(s.commands[3].lang == CommandLang::ruby);
  CHECK(s.commands[3].text == "User.count");
  CHECK(s.output_lines == std::vector<int>{0, 3, 4, 12, 13, 14, 15, 18});
}

TEST_CASE("sessions: unterminated SQL goes on over unprompted lines until its output starts", "[model][prompts]") {
  Session s = split_session("db=# SELECT count(*)\n  FROM users\n  WHERE admin;\n count\n-------\n     2\n");
  REQUIRE(s.commands.size() == 1);
  CHECK(s.commands[0].text == "SELECT count(*)\nFROM users\nWHERE admin;");
  CHECK(s.output_lines == std::vector<int>{3, 4, 5});
}

TEST_CASE("sessions: a mysql session with indented continuation prompts", "[model][prompts]") {
  Session s = split_session("mysql> SELECT user\n    -> FROM mysql.user;\n+------+\n| user |\n");
  REQUIRE(s.commands.size() == 1);
  CHECK(s.commands[0].lang == CommandLang::sql);
  CHECK(s.commands[0].text == "SELECT user\nFROM mysql.user;");
  CHECK(s.output_lines == std::vector<int>{2, 3});
}

TEST_CASE("sessions: python blocks continue with '... '", "[model][prompts]") {
  Session s = split_session(">>> for x in range(2):\n...     print(x)\n...\n0\n1\n");
  REQUIRE(s.commands.size() == 1);
  CHECK(s.commands[0].lang == CommandLang::python);
  CHECK(s.commands[0].end_offset == 2);
  CHECK(s.output_lines == std::vector<int>{3, 4});
}

TEST_CASE("prompts: a block is a session when a line has an unambiguous prompt", "[model][prompts]") {
  CHECK(has_session_prompt("# a comment first\n$ oc get pods\n"));
  CHECK(has_session_prompt("gitlabhq_production=# select 1;\n"));
  CHECK_FALSE(has_session_prompt("# a comment\nkubectl get pods\n"));
  CHECK_FALSE(has_session_prompt("$\n"));
}

TEST_CASE("sessions: irb prompts at depth 0 start commands, deeper ones continue a block", "[model][prompts]") {
  Session s = split_session("irb(main):001:0> o = Order.find_by(number: \"R1\")\nirb(main):002:0> o.state\n=> \"pending\"\n"
                            "irb(main):003:0> [1, 2].each do |x|\nirb(main):004:1>   puts x\nirb(main):005:1> end\n");
  REQUIRE(s.commands.size() == 3);
  CHECK(s.commands[0].text == "o = Order.find_by(number: \"R1\")");
  CHECK(s.commands[1].text == "o.state");
  CHECK(s.commands[1].line_offset == 1);
  CHECK(s.commands[2].text == "[1, 2].each do |x|\nputs x\nend");
  CHECK(s.commands[2].end_offset == 5);
}

TEST_CASE("prompts: a '$' glued to a known program is a prompt that lost its blank", "[model][prompts]") {
  CHECK(typed("$sudo lsblk") == std::pair{CommandLang::shell, std::string("sudo lsblk")});
  CHECK(typed("$kubectl get pods -n web") == std::pair{CommandLang::shell, std::string("kubectl get pods -n web")});
  for (std::string_view no : {"$HOME/bin/tool --all", "$foo bar", "$sudo", "$1 is the first argument", "${NS} get"}) {
    INFO(no);
    CHECK_FALSE(match_prompt(no, PromptScope::any_block));
  }
  CHECK(has_session_prompt("$sudo lsblk\nNAME   MAJ:MIN RM  SIZE RO TYPE MOUNTPOINT\nsda      8:0    0  100G  0 disk\n"));
}
