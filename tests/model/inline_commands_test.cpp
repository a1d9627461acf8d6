// Inline code spans: whole commands in each language, and what only looks like one.
#include <catch2/catch.hpp>

#include "model/inline_commands.hpp"
#include "support.hpp"

using namespace opsbook::model;

namespace {
std::optional<InlineCommand> in_paragraph(std::string_view span, std::string_view before = "Check with ", std::string_view topic = "Overview") {
  return inline_command(span, InlineContext{.before = before, .after = "", .topic = topic, .in_paragraph = true});
}
}  // namespace

TEST_CASE("inline: shell commands with their arguments, in prose too", "[model][inline]") {
  for (std::string_view span : {"systemctl status nginx", "kubectl -n web get pods", "sudo gitlab-ctl restart puma",
                                "/opt/gitlab/bin/gitlab-ctl status", "./bin/check --all", "gitlab-patronictl list",
                                "df -h | sort"}) {
    INFO(span);
    auto c = in_paragraph(span);
    REQUIRE(c);
    CHECK(c->lang == CommandLang::shell);
    CHECK(c->text == span);
  }
  auto prompted = in_paragraph("$ kubectl get nodes");
  REQUIRE(prompted);
  CHECK(prompted->text == "kubectl get nodes");
  CHECK(prompted->prompt == "$");
}

TEST_CASE("inline: a bare program name is a command only when it is the instruction", "[model][inline]") {
  CHECK(in_paragraph("uptime", "Run ") );
  CHECK_FALSE(in_paragraph("pg_dump", "the nightly "));
  CHECK_FALSE(in_paragraph("kubectl", "Use "));
  CHECK_FALSE(in_paragraph("df", "the output of "));
  CHECK(inline_command("df", InlineContext{}));  // a list item or table cell holding only `df`
}

TEST_CASE("inline: a program and a subcommand alone are a command only where the text introduces one", "[model][inline]") {
  CHECK(in_paragraph("congregate list", "if configured, running "));
  CHECK(in_paragraph("gitlab-ctl reconfigure", "Then "));
  CHECK(in_paragraph("podman images", "built with Podman with"));
  CHECK(in_paragraph("docker compose down", ""));
  CHECK(in_paragraph("sudo gitlab-rails console", "From the rails console ("));
  CHECK_FALSE(in_paragraph("kubectl logs", "e.g. `kubectl exec` and "));
  CHECK_FALSE(in_paragraph("git repack", "(rather than "));
  CHECK_FALSE(in_paragraph("git upload-pack", "children of "));
  CHECK_FALSE(in_paragraph("kubectl exec", "tools are likely broken, e.g. "));
  CHECK(in_paragraph("kubectl version", "Versions are wrong. "));
  CHECK(in_paragraph("kubectl version", "Check versions via "));
  CHECK(in_paragraph("dune test", "dependency install \xE2\x86\x92 `dune build` \xE2\x86\x92 "));
  CHECK(in_paragraph("systemctl status web", "the "));  // an argument after the subcommand
  CHECK(in_paragraph("kubectl logs web-1 --previous", "e.g. "));
  CHECK(in_paragraph("qdrant snapshot create --path /qdrant/snapshots", "the "));  // an unknown tool with a long option
  CHECK_FALSE(in_paragraph("frobnicate things", "the "));
}

TEST_CASE("inline: a short clause that says where introduces the command after it", "[model][inline]") {
  CHECK(in_paragraph("consul leave", "On the consul server "));
  CHECK(in_paragraph("gitlab-patronictl list", "On the new box, "));
  CHECK(in_paragraph("gitlab-ctl status", "Done. In a shell on the primary, "));
  // A phrase that ends on an article names something; a long clause is a sentence of its own.
  CHECK_FALSE(in_paragraph("kubectl get", "On the "));
  CHECK_FALSE(in_paragraph("git clone", "In the output of the previous step you will see that "));
  CHECK_FALSE(in_paragraph("git clone", "From the docs about "));
}

TEST_CASE("inline: the means of a check, a script the text runs, a program path introduced by a dash", "[model][inline]") {
  CHECK(in_paragraph("sv status prometheus", "Login to the server. Check service with "));
  CHECK(in_paragraph("top", "any heavy workload must be excluded (verify with "));
  CHECK(in_paragraph("dstat -f", "any heavy workload must be excluded (verify with "));
  CHECK(in_paragraph("scripts/check-pages-certs", "is returning the right certificate by running the script "));
  CHECK(in_paragraph("/opt/prometheus/prometheus/promtool check config /opt/prometheus/prometheus/prometheus.yml", "Check configuration - "));
  CHECK_FALSE(in_paragraph("frobnicate things", "Replace the value with "));  // not a check
  CHECK_FALSE(in_paragraph("congregate list", "one git client running "));    // a gerund after a noun describes
  CHECK_FALSE(in_paragraph("congregate list", "To block clients from running "));
  CHECK(in_paragraph("congregate list", "Find out by running "));
  CHECK(in_paragraph("congregate list", "we ask the customer to check the repository, including running "));
  CHECK_FALSE(in_paragraph("top", "the processes shown with "));
  CHECK_FALSE(in_paragraph("scripts/check-pages-certs", "the script "));     // named, not run
  CHECK_FALSE(in_paragraph("scripts/check-pages-certs", "Check with "));     // a bare path
  CHECK_FALSE(in_paragraph("/opt/app/bin.d/config files", "the folder "));
  CHECK_FALSE(in_paragraph("/var/log/nginx", "Check configuration - "));
  auto chat = in_paragraph("/chatops run auto_deploy status", "To see the state, run ");
  REQUIRE(chat);
  CHECK(chat->lang == CommandLang::other);  // typed in chat, never given to a shell
}

TEST_CASE("inline: spans listed together share the words that introduce them", "[model][inline][parser]") {
  auto rb = opsbook::test::parse("# Bench\n\nDuring the run nothing else may load the host (verify with `top`, `dstat -f` or `iostat -x 5`).\n\n"
                                 "The tools `top`, `dstat -f` are installed.\n");
  std::vector<std::string> texts;
  for (const auto& sn : rb.snippets) texts.push_back(sn.code);
  CHECK(texts == std::vector<std::string>{"top", "dstat -f", "iostat -x 5"});
  // The words before a span reach across one line break.
  auto wrapped = opsbook::test::parse("# Certs\n\nMake sure the certificate is right by running\nthe script `scripts/check-pages-certs` here.\n");
  REQUIRE(wrapped.snippets.size() == 1);
  CHECK(wrapped.snippets[0].code == "scripts/check-pages-certs");
}

TEST_CASE("inline: a span named as a noun is not a command", "[model][inline]") {
  auto with_after = [](std::string_view span, std::string_view after) {
    return inline_command(span, InlineContext{.before = "Find ", .after = after, .topic = "PostgreSQL\n", .in_paragraph = true});
  };
  CHECK_FALSE(with_after("git pack-objects", " processes that are children"));
  CHECK_FALSE(with_after("VACUUM FULL", " is a standard command"));
  CHECK_FALSE(with_after("sudo lsof | grep deleted", " commands are slow"));
  CHECK(with_after("sudo lsof | grep deleted", ". If you see many"));
}

TEST_CASE("inline: PromQL queries are queries, never shell", "[model][inline]") {
  auto q = in_paragraph("chef_client_error > 0", "adjust the query to just be ");
  REQUIRE(q);
  CHECK(q->lang == CommandLang::query);
  CHECK(q->query == QueryLang::promql);
  auto rate = in_paragraph("sum(rate(pg_stat_statements_calls{queryid=\"1\", env=\"gprd\"}[5m]))", "Example of Thanos query: ");
  REQUIRE(rate);
  CHECK(rate->lang == CommandLang::query);
}

TEST_CASE("inline: paths, URLs, resource names and prose are not commands", "[model][inline]") {
  for (std::string_view span : {"/var/log/nginx", "/var/log/gitlab/redis", "https://grafana.example.com/d/x", "pod/web-1",
                                "redis", "deployment/web", "nginx", "the worker queue", "NAME READY STATUS", "postgresql.conf",
                                "--dry-run", "ERROR: connection refused"}) {
    INFO(span);
    CHECK_FALSE(in_paragraph(span));
  }
}

TEST_CASE("inline: PowerShell cmdlets and script calls", "[model][inline]") {
  for (std::string_view span : {"Get-ComputerInfo | Select-Object CsName, OsVersion", ".\\scripts\\health-check.ps1 -Detailed",
                                "Restart-Service -Name W3SVC", "Get-Service"}) {
    INFO(span);
    auto c = in_paragraph(span);
    REQUIRE(c);
    CHECK(c->lang == CommandLang::powershell);
  }
  auto prompted = in_paragraph("PS C:\\> Get-Process");
  REQUIRE(prompted);
  CHECK(prompted->lang == CommandLang::powershell);
  CHECK(prompted->text == "Get-Process");
  auto exe = in_paragraph("curl.exe -s http://ledger:8080/api/health/ping", "use curl: ");
  REQUIRE(exe);
  CHECK(exe->lang == CommandLang::powershell);
}

TEST_CASE("inline: SQL and Redis only in a passage about that service", "[model][inline]") {
  auto sql = in_paragraph("SELECT pg_is_in_recovery()", "Check with ", "PostgreSQL replication\n");
  REQUIRE(sql);
  CHECK(sql->lang == CommandLang::sql);
  auto redis = in_paragraph("INFO replication", "Check with ", "Redis failover\n");
  REQUIRE(redis);
  CHECK(redis->lang == CommandLang::redis);
  CHECK_FALSE(in_paragraph("INFO replication", "Check with ", "Web servers\n"));
  CHECK_FALSE(in_paragraph("SELECT", "Check with ", "PostgreSQL\n"));
  CHECK_FALSE(in_paragraph("select the node", "then ", "PostgreSQL\n"));
  CHECK_FALSE(in_paragraph("GET", "the ", "Redis\n"));
  CHECK_FALSE(in_paragraph("VACUUM FULL", "unlike ", "PostgreSQL bloat\n"));
  CHECK(in_paragraph("SHOW max_connections", "Check with ", "PostgreSQL\n"));
  auto lower = in_paragraph("select * from pg_replication_slots where not active", "Look in ", "PostgreSQL disk space\n");
  REQUIRE(lower);
  CHECK(lower->lang == CommandLang::sql);
  CHECK_FALSE(in_paragraph("select count(*) from sessions", "count them: ", "Web servers\n"));  // SQL, never shell
  CHECK(in_paragraph("select pg_cancel_backend(123)", "signal it: ", "Web servers\n")->lang == CommandLang::sql);
  auto set = in_paragraph("set <keyname> <keyvalue> ex 60", "use ", "Redis bans\n");
  REQUIRE(set);
  CHECK(set->lang == CommandLang::redis);
  CHECK(in_paragraph("set -euo pipefail", "start with ", "Redis bans\n")->lang == CommandLang::shell);
  auto meta = in_paragraph("\\q", "Leave the client with ", "MySQL replication\n");
  REQUIRE(meta);
  CHECK(meta->lang == CommandLang::sql);
  CHECK_FALSE(in_paragraph("\\q", "Leave with ", "Web servers\n"));
}
