// Shell evidence of single lines: commands against prose, output, data and logs.
#include <catch2/catch.hpp>

#include "model/command_shape.hpp"
#include "model/shell_output.hpp"

using namespace opsbook::model;

TEST_CASE("command shape: strong evidence of shell", "[model][shape]") {
  for (std::string_view l : {"kubectl -n web get pods", "sudo gitlab-ctl restart", "cd /var/opt/gitlab", "export FOO=bar",
                             "/opt/gitlab/embedded/bin/redis-cli -h 10.0.0.1", "./bin/tool --fix", "bin/rails console",
                             "gitlab-patronictl list", "sudo -u git -H bundle exec rake gitlab:check", "for i in 1 2 3; do echo $i; done",
                             "[ -f /etc/x ] && echo yes", "uptime", "df -h", "NODE=web-1 kubectl describe node $NODE",
                             "for ((i = 0; i < 3; i++)); do echo $i; done", "for host", "select opt in a b", "case \"$1\" in"}) {
    INFO(l);
    CHECK(shell_evidence(l) == ShellEvidence::strong);
  }
}

TEST_CASE("command shape: prose, output, data and logs are not shell", "[model][shape]") {
  for (std::string_view l : {"NAME    READY   STATUS    RESTARTS   AGE", "web-1   1/1     Running   0          5d", "apiVersion: v1",
                             "{\"status\": \"ok\"}", "- name: foo", "ERROR: relation does not exist", "2024-01-31T12:00:01Z level=info msg=x",
                             "Connection refused", "This is a sentence about the service.", "| a | b |", "# a comment", "42",
                             "pod/web-1 deleted", "for a duration of 60 seconds. Writes output to file ./perf.data.",
                             "select the node with the most memory", "case of emergency, page the DBA"}) {
    INFO(l);
    CHECK(shell_evidence(l) == ShellEvidence::none);
  }
}

TEST_CASE("command shape: weak evidence", "[model][shape]") {
  CHECK(shell_evidence("FOO=bar") == ShellEvidence::weak);
  CHECK(shell_evidence("mytool --verbose") == ShellEvidence::weak);
  CHECK(shell_evidence("find out which pod restarted and why it did so") == ShellEvidence::weak);  // a known tool in prose
}

TEST_CASE("command shape: executables, tool names, PowerShell, Redis and SQL", "[model][shape]") {
  CHECK(is_executable_path("./run.sh"));
  CHECK(is_executable_path("/opt/gitlab/bin/gitlab-ctl"));
  CHECK(is_executable_path("scripts/backup.sh"));
  CHECK_FALSE(is_executable_path("/var/log/nginx"));
  CHECK_FALSE(is_executable_path("/api/health"));
  CHECK_FALSE(is_executable_path("pod/web-1"));
  CHECK(is_tool_like_name("gitlab-redis-cli"));
  CHECK(is_tool_like_name("patronictl"));
  CHECK_FALSE(is_tool_like_name("web-1"));
  CHECK_FALSE(is_tool_like_name("api-7d9f8-x2k4z"));
  CHECK(is_powershell_command("Get-ComputerInfo | Select-Object CsName, OsVersion"));
  CHECK(is_powershell_command(".\\scripts\\health-check.ps1 -Detailed"));
  CHECK(is_powershell_command("& .\\check.ps1"));
  CHECK(is_powershell_command("$svc = Get-Service nginx"));
  CHECK_FALSE(is_powershell_command("Get ready for the switch-over"));
  CHECK(is_redis_command("INFO replication"));
  CHECK(is_redis_command("config get maxmemory"));
  CHECK_FALSE(is_redis_command("info"));
  CHECK_FALSE(is_redis_command("Set the value"));
  CHECK(is_sql_statement("SELECT pg_is_in_recovery();"));
  CHECK(is_sql_statement("\\dt"));
  CHECK_FALSE(is_sql_statement("Select"));
  CHECK(opened_heredoc("psql <<-'SQL'") == "SQL");
  CHECK(opened_heredoc("cat <<< \"x\"").empty());
}

TEST_CASE("output shapes", "[model][shape]") {
  CHECK(output_shape("NAME    READY   STATUS") == "a table row (columns aligned with blanks)");
  CHECK(output_shape("42") == "a number");
  CHECK(output_shape("patroni-01-db-gprd.c.gitlab-production.internal") == "a host name or address");
  CHECK(output_shape("{") == "JSON or a bracketed value");
  CHECK(output_shape("drwxr-xr-x 2 git git 4096 Jan 1 00:00 x") == "a file listing");
  CHECK(output_shape("deployment.apps/web restarted") == "a resource name or kubectl's answer");
  CHECK(output_shape("Status: Running") == "a key: value line");
  CHECK(output_shape("2024-01-31 12:00:01 UTC LOG: checkpoint") == "a log line");
  CHECK(output_shape("* Rebuilt URL to: https://127.0.0.1:1443/") == "a curl -v trace line");
  CHECK(output_shape("> Host: pages.gitlab.io") == "a curl -v trace line");
  CHECK(output_shape("> GET / HTTP/1.1") == "a curl -v trace line");
  CHECK(output_shape("1) \"master\"") == "a numbered reply or menu line (redis-cli, gpg)");
  CHECK(output_shape("(1) RSA and RSA (default)") == "a numbered reply or menu line (redis-cli, gpg)");
  CHECK(output_shape("(integer) 5") == "a numbered reply or menu line (redis-cli, gpg)");
  CHECK(output_shape("slave0:ip=10.45.2.8,port=6379,state=online") == "a record of key=value pairs");
  CHECK(output_shape("- Deleting, expiring or evicting large objects") == "a list item");
  CHECK(output_shape("A=1,B=2 mytool run").empty());
  CHECK(output_shape("wiki-wiki-1  | Error: migration 0042 failed") == "a docker compose log line (service | text)");
  CHECK(output_shape("web | grep x").empty());
  CHECK(output_shape("kubectl get pods").empty());
  CHECK(output_shape("mytool restart").empty());
}

TEST_CASE("output shapes: shell that only looks bracketed is no output (s5d review: { docker rm -f web: } was dropped from the model)", "[model][shape]") {
  for (std::string_view shell : {"{ docker -H unix:///x rm -f web; }", "{ rm -rf /srv/x; } >/dev/null", "[ -f /etc/x ] || exit 1", "[ \"$a\" = b ]",
                                 "[[ -d /srv ]]", "\"rm\" -rf /srv/x", "\"$HOME/bin/cleanup\" --all", ": > /srv/app/config.yml", ":>/srv/x"}) {
    INFO(shell);
    CHECK(output_shape(shell).empty());
  }
  for (std::string_view json : {"{ \"a\": 1 }", "{ a: 1 }", "[1, 2]", "{}", "\"name\": \"web\",", "\"web\"", "\"a\" \"b\""}) {
    INFO(json);
    CHECK(output_shape(json) == "JSON or a bracketed value");
  }
}
