// Safety classification of shell commands: each rule with a destructive, mutating and read-only case.
#include <catch2/catch.hpp>

#include <random>

#include "model/safety.hpp"
#include "model/safety_table.hpp"
#include "support.hpp"

using opsbook::model::classify_shell_command;
using opsbook::model::CommandLang;
using opsbook::model::Safety;
using opsbook::model::SafetyReason;

namespace {
Safety level(const char* cmd) { return classify_shell_command(cmd).level; }
}  // namespace

TEST_CASE("read-only commands", "[model][safety]") {
  for (const char* cmd : {"curl https://example.invalid/healthz", "curl -sS -o /dev/null http://x/", "pg_isready -h db",
                          "docker compose logs -f worker", "docker-compose -f prod.yml ps", "kubectl get pods -n prod",
                          "kubectl -n x logs deploy/api", "systemctl status nginx", "journalctl -u nginx --since today",
                          "redis-cli -h 127.0.0.1 ping", "redis-cli INFO replication", "psql -c 'SELECT 1'",
                          "docker compose exec db psql -U postgres -c \"SELECT count(*) FROM pg_stat_activity\"",
                          "git log --oneline", "dig example.invalid", "sudo lsof -i :8000", "docker stats --no-stream",
                          "0 2 * * * pg_dump app", "cat /etc/hosts | grep db", "redis-cli --bigkeys", "celery -A app inspect ping",
                          "ionice -c 3 nice -n 10 ls /var/log", "dd if=/dev/sda of=/dev/null bs=1M count=10"}) {
    INFO(cmd);
    CHECK(level(cmd) == Safety::read_only);
  }
}

TEST_CASE("mutating commands", "[model][safety]") {
  for (const char* cmd : {"docker compose restart worker", "docker compose up -d", "docker compose down",
                          "systemctl restart nginx", "kubectl rollout restart deploy/api", "kubectl apply -f x.yaml",
                          "curl -X POST http://x/api", "curl -d a=b http://x/", "psql -c \"UPDATE jobs SET a=1 WHERE id=2\"",
                          "psql -c 'INSERT INTO t VALUES (1)'", "alembic upgrade head", "make deploy", "redis-cli SET k v",
                          "sed -i s/a/b/ file", "echo x > /etc/app.conf", "pg_dump app > backup.sql",
                          "docker compose exec db psql -U postgres -f migrate.sql", "git pull", "helm upgrade app chart"}) {
    INFO(cmd);
    CHECK(level(cmd) == Safety::mutating);
  }
}

TEST_CASE("destructive commands, with the reason", "[model][safety]") {
  struct Case {
    const char* cmd;
    const char* reason;
  };
  for (const Case& c : {
           Case{"rm -rf /var/lib/app", "rm: deletes data irrecoverably"},
           Case{"docker compose down -v", "docker compose down -v: deletes the volumes and their data"},
           Case{"docker-compose -f a.yml down --volumes", "docker-compose down --volumes: deletes the volumes and their data"},
           Case{"docker volume rm app_pgdata", "docker volume rm: deletes volume data"},
           Case{"redis-cli FLUSHALL", "Redis FLUSHALL: deletes every key"},
           Case{"redis-cli -n 2 flushdb", "Redis FLUSHDB: deletes every key"},
           Case{"kubectl delete pod api-0", "kubectl delete: deletes resources"},
           Case{"psql -c 'DROP TABLE users'", "DROP TABLE removes objects and their data"},
           Case{"psql -c 'TRUNCATE jobs'", "TRUNCATE removes every row"},
           Case{"psql -c 'DELETE FROM jobs'", "DELETE without WHERE removes every row"},
           Case{"git push --force origin main", "git push --force: rewrites remote history"},
           Case{"docker rm --force api", "docker rm --force: force-removes running containers or used images"},
           Case{"find /backups -mtime +30 -delete", "find -delete: deletes the files it finds"},
           Case{"sudo -u postgres dropdb app", "dropdb: deletes data irrecoverably"},
           Case{"terraform destroy", "terraform destroy: destroys infrastructure"},
           Case{"for d in a b; do rm -rf \"$d\"; done", "rm: deletes data irrecoverably"},
           Case{"< list.txt xargs -rn1 ionice -c 3 rm -fr", "rm: deletes data irrecoverably"},
           Case{"ssh prod 'docker volume prune -f'", "docker volume prune: deletes volume data"},
       }) {
    INFO(c.cmd);
    auto v = classify_shell_command(c.cmd);
    CHECK(v.level == Safety::destructive);
    CHECK(v.reason == c.reason);
  }
}

TEST_CASE("DELETE with WHERE is mutating, not destructive", "[model][safety]") {
  CHECK(level("psql -c \"DELETE FROM jobs WHERE id = 3\"") == Safety::mutating);
  CHECK(level("psql -c \"SELECT pg_terminate_backend(123)\"") == Safety::mutating);
  // Functional notation (s7d review D5): `(o).fn` calls fn(o) and is mutating; `o.fn` reads like a
  // column and stays read-only here (docs/safety.md: only the role or a sql snippet's server check
  // stops it); builtins and columns in parentheses stay read-only.
  CHECK(level("psql -X -At -c 'select (o).rv_fn from orders o'") == Safety::mutating);
  CHECK(level("psql -c 'select (o.addr).city from orders o'") == Safety::mutating);
  CHECK(level("psql -c 'select (o).length, count(o.id) from orders o'") == Safety::read_only);
  CHECK(level("psql -c 'select o.id, (o.total) from orders o'") == Safety::read_only);
  CHECK(level("psql -X -At -c 'select count(o.rv_fn) from orders o'") == Safety::read_only);
}

TEST_CASE("snippet attribute overrides the classifier and both are kept", "[model][safety]") {
  auto rb = opsbook::test::parse("# T\n\n```bash {name=wipe safety=read-only}\nrm -rf /tmp/x\n```\n");
  REQUIRE(rb.snippets.size() == 1);
  const auto& s = rb.snippets[0];
  CHECK(s.classified == Safety::destructive);
  REQUIRE(s.declared.has_value());
  CHECK(*s.declared == Safety::read_only);
  CHECK(s.safety == Safety::read_only);
  REQUIRE(s.reasons.size() == 1);
  CHECK(s.reasons[0].line == 4);
}

TEST_CASE("an http fence is rated by its request line's method", "[model][safety]") {
  // Padded request lines: the method is read from the trimmed first line (this read freed memory
  // under ASan before the fix).
  auto rb = opsbook::test::parse("# T\n\n```http\n   DELETE /orders/1   \n```\n\n```http\nPOST /jobs\n\n{}\n```\n\n```http\nGET /health\n```\n");
  REQUIRE(rb.snippets.size() == 3);
  CHECK(rb.snippets[0].classified == Safety::destructive);
  REQUIRE(rb.snippets[0].reasons.size() == 1);
  CHECK(rb.snippets[0].reasons[0].reason == "HTTP DELETE deletes a resource");
  CHECK(rb.snippets[1].classified == Safety::mutating);
  CHECK(rb.snippets[2].classified == Safety::read_only);
}

namespace {

struct Expect {
  const char* cmd;
  Safety level;
};

void check_levels(std::initializer_list<Expect> cases) {
  for (const Expect& e : cases) {
    INFO(e.cmd);
    CHECK(level(e.cmd) == e.level);
  }
}

}  // namespace

TEST_CASE("wrappers: the inner command is classified, the wrapper's class is a floor", "[model][safety]") {
  check_levels({
      {"ssh db1 \"sudo rm -rf /var/lib/postgresql\"", Safety::destructive},
      {"ssh -i key.pem -p 2222 admin@db1 uptime", Safety::read_only},
      // ssh -f goes to the background and outlives the snippet, like sudo -b (s7e review E8): also in a cluster.
      {"ssh -f web1 uptime", Safety::mutating},
      {"ssh -vCf web1 uptime", Safety::mutating},
      {"ssh -i key.pem -f web1 uptime", Safety::mutating},
      {"ssh -o ForwardAgent=no web1 uptime", Safety::read_only},
      {"ssh -l fred web1 uptime", Safety::read_only},
      {"knife ssh 'role:redis' 'sudo gitlab-ctl restart redis'", Safety::mutating},
      {"kubectl exec -it api-0 -n prod -- sh -c 'rm -rf /data/*'", Safety::destructive},
      {"kubectl exec api-0 -- cat /etc/hosts", Safety::read_only},
      {"oc rsh api-0 rm /tmp/x", Safety::destructive},
      {"kubectl debug node/n1 -it --image=busybox -- ls", Safety::read_only},
      {"oc debug node/n1 -- chroot /host systemctl restart kubelet", Safety::mutating},
      {"docker exec db psql -U postgres -c 'TRUNCATE jobs'", Safety::destructive},
      {"docker run --rm busybox ls", Safety::mutating},
      {"bash -c 'kubectl get pods; kubectl delete pod x'", Safety::destructive},
      {"sh -lc 'systemctl status nginx'", Safety::read_only},
      {"sudo -u postgres psql -c 'DROP DATABASE app'", Safety::destructive},
      {"sudo -i -u git -- gitlab-rake gitlab:check", Safety::read_only},
      {"watch -n 2 'kubectl get pods | grep -v Running'", Safety::read_only},
      {"watch kubectl delete pod x", Safety::destructive},
      {"kubectl get pods -o name | xargs kubectl delete", Safety::destructive},
      {"timeout 30 env A=1 nohup kubectl rollout restart deploy/api", Safety::mutating},
      {"su - postgres -c 'dropdb app'", Safety::destructive},
      {"eval \"$(ssh-agent)\"", Safety::mutating},
      {"echo $(kubectl delete pod x)", Safety::destructive},
      {"find /tmp -name '*.tmp' -exec rm -f {} +", Safety::destructive},
      {"find /var/log -name '*.gz' -exec ls -l {} \\;", Safety::read_only},
      {"find -exec", Safety::read_only},
      {"sudo", Safety::read_only},
      {"timeout 5", Safety::read_only},
  });
}

TEST_CASE("global options with a value never hide the subcommand", "[model][safety]") {
  check_levels({
      {"kubectl -n prod get pods", Safety::read_only},
      {"kubectl --context staging -n prod delete pod x", Safety::destructive},
      {"oc --context c get nodes", Safety::read_only},
      {"oc -n openshift-monitoring adm top pods", Safety::read_only},
      {"gcloud --project p compute instances list", Safety::read_only},
      {"gcloud --project p compute instances delete vm1", Safety::destructive},
      {"docker -H tcp://10.0.0.1:2375 ps", Safety::read_only},
      {"aws --region eu-west-1 --profile prod s3 ls", Safety::read_only},
      {"aws --profile prod ec2 terminate-instances --instance-ids i-1", Safety::destructive},
      {"git -C /srv/app status", Safety::read_only},
      {"git -C /srv/app reset --hard", Safety::destructive},
      {"helm -n monitoring list", Safety::read_only},
      {"helm -n monitoring uninstall prometheus", Safety::destructive},
      {"systemctl -H web1 status nginx", Safety::read_only},
  });
}

TEST_CASE("subcommands decide: kubectl/oc, docker/podman, rollouts, scale", "[model][safety]") {
  check_levels({
      {"oc adm top nodes", Safety::read_only},
      {"oc adm inspect ns/openshift-etcd", Safety::read_only},
      {"oc adm drain node1 --ignore-daemonsets", Safety::destructive},
      {"oc adm cordon node1", Safety::mutating},
      {"kubectl auth can-i delete pods", Safety::read_only},
      {"kubectl rollout status deploy/api", Safety::read_only},
      {"kubectl rollout history deploy/api", Safety::read_only},
      {"kubectl rollout undo deploy/api", Safety::mutating},
      {"kubectl rollout restart deploy/api", Safety::mutating},
      {"kubectl scale deploy/api --replicas=3", Safety::mutating},
      {"kubectl scale deploy/api --replicas 0", Safety::destructive},
      {"kubectl drain node1", Safety::destructive},
      {"kubectl uncordon node1", Safety::mutating},
      {"podman manifest inspect quay.io/a/b:1", Safety::read_only},
      {"docker system df", Safety::read_only},
      {"docker system prune -af --volumes", Safety::destructive},
      {"oc describe pvc data-0", Safety::read_only},
      {"df -h", Safety::read_only},
  });
}

TEST_CASE("heredocs are classified by what consumes them", "[model][safety]") {
  check_levels({
      {"psql -U app <<SQL\nSELECT 1;\nDROP TABLE orders;\nSQL", Safety::destructive},
      {"psql <<'SQL'\nSELECT count(*) FROM orders;\nSQL", Safety::read_only},
      {"sudo -u postgres psql app <<-EOF\n\tDELETE FROM jobs WHERE id = 3;\n\tEOF", Safety::mutating},
      {"mysql app <<EOF\nTRUNCATE t;\nEOF", Safety::destructive},
      {"redis-cli <<EOF\nINFO\nFLUSHALL\nEOF", Safety::destructive},
      {"redis-cli -h r1 <<EOF\nINFO replication\nEOF", Safety::read_only},
      {"kubectl apply -f - <<EOF\nkind: ConfigMap\nEOF", Safety::mutating},
      {"cat <<EOF | kubectl delete -f -\nkind: Pod\nEOF", Safety::destructive},
      {"bash <<'EOF'\nrm -rf /var/cache/app\nEOF", Safety::destructive},
      {"ssh db1 <<'EOF'\nsudo systemctl restart postgresql\nEOF", Safety::mutating},
      {"ssh db1 bash -s <<'EOF'\nrm -rf /tmp/x\nEOF", Safety::destructive},
      {"cat > /etc/app.conf <<EOF\nkey: value\nEOF", Safety::mutating},
      {"cat <<EOF\nDROP TABLE is only text here\nEOF", Safety::read_only},
      {"psql <<< 'DROP TABLE t'", Safety::destructive},
  });
  // The reason names the statement's own line.
  std::vector<SafetyReason> reasons;
  auto v = opsbook::model::classify_command("psql <<SQL\nSELECT 1;\nDROP TABLE orders;\nSQL", CommandLang::shell, &reasons, 20);
  CHECK(v.level == Safety::destructive);
  REQUIRE(reasons.size() == 1);
  CHECK(reasons[0].line == 22);
  CHECK(reasons[0].reason == "DROP TABLE removes objects and their data");
}

TEST_CASE("compound statements are classified by everything inside them", "[model][safety]") {
  check_levels({
      {"for pod in $(kubectl get pods -o name); do\n  kubectl delete \"$pod\"\ndone", Safety::destructive},
      {"for pod in $(kubectl get pods -o name); do\n  kubectl describe \"$pod\"\ndone", Safety::read_only},
      {"if kubectl get ns x; then\n  kubectl rollout restart deploy/a -n x\nfi", Safety::mutating},
      {"while true; do kubectl get pods; sleep 5; done", Safety::read_only},
      {"case $1 in\n  stop) systemctl stop app;;\n  *) systemctl status app;;\nesac", Safety::mutating},
      {"cleanup() { rm -rf /tmp/work; }", Safety::destructive},
      {"{ date; uptime; } > /tmp/report.txt", Safety::mutating},
      {"(cd /srv && git pull)", Safety::mutating},
  });
}

TEST_CASE("interactive sessions are read-only and marked interactive", "[model][safety]") {
  for (const char* cmd : {"ssh db1", "tsh login --proxy=t.example.com", "tsh ssh node1", "kubectl exec -it api-0 -- bash", "oc rsh api-0",
                          "docker exec -it db sh", "psql -h db -U app app", "redis-cli -h r1", "gitlab-rails console", "rails console",
                          "mysql -u root", "mongosh --host db1", "sudo -u postgres psql"}) {
    INFO(cmd);
    auto v = classify_shell_command(cmd);
    CHECK(v.level == Safety::read_only);
    CHECK(v.interactive);
  }
  for (const char* cmd : {"ssh db1 uptime", "psql -c 'SELECT 1'", "redis-cli INFO", "kubectl exec api-0 -- ls"}) {
    INFO(cmd);
    CHECK_FALSE(classify_shell_command(cmd).interactive);
  }
}

TEST_CASE("unknown tools whose verb is a long option (--describe, --list) read, unless another option changes", "[model][safety]") {
  check_levels({
      {"kafka-topics.sh --bootstrap-server k:9092 --describe", Safety::read_only},
      {"kafka-consumer-groups.sh --bootstrap-server k:9092 --list", Safety::read_only},
      {"watch -n 30 \"kafka-consumer-groups.sh --bootstrap-server k:9092 --describe --group indexer\"", Safety::read_only},
      {"acmectl --check", Safety::read_only},
      // Another option says it changes, deletes or executes: the read verb no longer decides.
      {"kafka-configs.sh --bootstrap-server k:9092 --describe --alter --add-config retention.ms=1", Safety::mutating},
      {"kafka-topics.sh --bootstrap-server k:9092 --delete --topic x --describe", Safety::mutating},
      {"kafka-consumer-groups.sh --bootstrap-server k --group g --reset-offsets --to-earliest --execute --describe", Safety::mutating},
      {"acmectl --status --dry-run", Safety::mutating},
      // Only the verb alone: an option that mentions a read word is not one.
      {"backup-tool --show-progress /data /backup", Safety::mutating},
      {"acmectl --list-and-purge", Safety::mutating},
      {"acmectl --list=all sync", Safety::mutating},
      {"kafka-topics.sh --bootstrap-server k:9092 --create --topic x", Safety::mutating},
  });
}

TEST_CASE("--help before any operand prints help: read-only whatever the subcommand", "[model][safety]") {
  check_levels({
      {"consul operator --help", Safety::read_only},
      {"consul kv --help", Safety::read_only},
      {"consul maint -help", Safety::read_only},
      {"kubectl delete --help", Safety::read_only},
      {"rm --help", Safety::read_only},
      // After an operand (GNU tools under POSIXLY_CORRECT take it for one), after --, or given to
      // what a wrapper or a consumer runs: the command is classified as written.
      {"kubectl delete pod web-1 --help", Safety::destructive},
      {"rm -rf /data --help", Safety::destructive},
      {"POSIXLY_CORRECT=1 rm -rf /data --help", Safety::destructive},
      {"sudo rm -rf / --help", Safety::destructive},
      {"ssh db1 rm -rf /data --help", Safety::destructive},
      {"rm -rf x -- --help", Safety::destructive},
      {"psql -c 'DROP TABLE t' --help", Safety::destructive},
      {"curl -X DELETE http://x/api/1 --help", Safety::destructive},
  });
}

TEST_CASE("gitlab-rake tasks of any component: status reads, db:drop and db:reset destroy", "[model][safety]") {
  check_levels({
      {"gitlab-rake geo:status", Safety::read_only},
      {"gitlab-rake gitlab:geo:status", Safety::read_only},
      {"gitlab-rake geo:db:drop", Safety::destructive},
      {"gitlab-rake geo:db:reset", Safety::destructive},
      {"gitlab-rake geo:db:migrate", Safety::mutating},
  });
}

TEST_CASE("unknown tools go by the verbs in their arguments", "[model][safety]") {
  check_levels({
      {"gitlab-foo status", Safety::read_only},
      {"acmectl list --all", Safety::read_only},
      {"acmectl --version", Safety::read_only},
      {"acmectl sync --all", Safety::mutating},
      {"acmectl purge-cache", Safety::destructive},
      {"make db-reset", Safety::destructive},
      {"make docker-health", Safety::mutating},  // its recipes run: round 6c
      {"find_git_pack_pids", Safety::read_only},
      {"sh wraparound.sh -m check", Safety::read_only},
      {"./scripts/rotate-keys.sh", Safety::mutating},
      {"gcloud compute --project=p-restore disks create d1", Safety::mutating},
  });
  CHECK(classify_shell_command("acmectl sync --all").reason == "`acmectl sync` is not known to be read-only");
  CHECK(classify_shell_command("acmectl purge-cache").reason == "`acmectl purge-cache` says it deletes or resets data");
}

TEST_CASE("PowerShell, SQL, Redis and console languages", "[model][safety]") {
  using opsbook::model::classify_command;
  CHECK(classify_command("Get-Service -Name nginx | Select-Object Status", CommandLang::powershell).level == Safety::read_only);
  CHECK(classify_command("Get-Service nginx | Restart-Service", CommandLang::powershell).level == Safety::mutating);
  CHECK(classify_command("Remove-Item -Recurse -Force C:\\data", CommandLang::powershell).level == Safety::destructive);
  CHECK(classify_command("Stop-Service -Name W3SVC", CommandLang::powershell).level == Safety::mutating);
  CHECK(classify_command("Stop-Computer -Force", CommandLang::powershell).level == Safety::destructive);
  CHECK(classify_command("Format-Table -AutoSize", CommandLang::powershell).level == Safety::read_only);
  CHECK(classify_command("Format-Volume -DriveLetter D", CommandLang::powershell).level == Safety::destructive);
  CHECK(classify_command("$svc = Get-Service nginx", CommandLang::powershell).level == Safety::read_only);
  CHECK(classify_command("Get-Process | ForEach-Object { Stop-Process $_ }", CommandLang::powershell).level == Safety::mutating);
  CHECK(classify_command("Invoke-WebRequest -Uri http://localhost/health", CommandLang::powershell).level == Safety::read_only);
  CHECK(classify_command("Invoke-RestMethod -Method Delete -Uri http://x/api/1", CommandLang::powershell).level == Safety::destructive);
  CHECK(classify_command("DELETE FROM jobs;", CommandLang::sql).level == Safety::destructive);
  CHECK(classify_command("SELECT 1", CommandLang::sql).level == Safety::read_only);
  CHECK(classify_command("CONFIG GET maxmemory", CommandLang::redis).level == Safety::read_only);
  CHECK(classify_command("DEL session:1", CommandLang::redis).level == Safety::destructive);
  CHECK(classify_command("User.find_by(username: 'x').destroy", CommandLang::ruby).level == Safety::destructive);
  CHECK(classify_command("Project.find(1).update!(archived: true)", CommandLang::ruby).level == Safety::mutating);
  CHECK(classify_command("User.count", CommandLang::ruby).level == Safety::read_only);
  CHECK(classify_command("db.orders.deleteMany({})", CommandLang::mongo).level == Safety::destructive);
  CHECK(classify_command("db.orders.find().limit(5)", CommandLang::mongo).level == Safety::read_only);
  CHECK(classify_command("rate(http_requests_total[5m])", CommandLang::query).level == Safety::read_only);
}

TEST_CASE("console methods whose name starts with a verb that acts change data", "[model][safety]") {
  auto level = [](std::string_view text, CommandLang lang) { return classify_command(text, lang).level; };
  CHECK(level("jobs.each { |pid, tid, w| Gitlab::SidekiqDaemon::Monitor.cancel_job(w[\"jid\"]) }", CommandLang::ruby) == Safety::mutating);
  CHECK(level("finalize_invoice.delay(inv.id)", CommandLang::python) == Safety::mutating);
  CHECK(level("app.send_task('billing.finalize', args=[1])", CommandLang::python) == Safety::mutating);
  CHECK(level("queue.requeueAll()", CommandLang::mongo) == Safety::mutating);
  CHECK(level("e.send(:version_saver).send(:save)", CommandLang::ruby) == Safety::mutating);
  CHECK(level("Ci::Build.find(1).drop_artifacts!", CommandLang::ruby) == Safety::destructive);
  CHECK(classify_command("finalize_invoice.delay(inv.id)", CommandLang::python).reason == "Python .delay says it changes something");
  // Attributes and readers stay read-only: a name that ends like an attribute, a verb that reads.
  for (std::string_view text : {"Project.find_by_full_path('a/b').delete_error", "job.retry_count", "build.started_at",
                                "project.reload.import_state", "Sidekiq::Queue.new('default').size", "Gitlab.com?", "x = 1.5"}) {
    INFO(text);
    CHECK(level(text, CommandLang::ruby) == Safety::read_only);
  }
}

TEST_CASE("a snippet's safety is the most dangerous of its commands, each with its own", "[model][safety]") {
  auto rb = opsbook::test::parse("# T\n\n```sh\noc describe pvc data-0\ndf -h\noc rsh api-0\nfor p in a b; do\n  oc delete pod $p\ndone\n```\n");
  REQUIRE(rb.snippets.size() == 1);
  const auto& s = rb.snippets[0];
  REQUIRE(s.commands.size() == 4);
  CHECK(s.commands[0].safety == Safety::read_only);
  CHECK(s.commands[1].safety == Safety::read_only);
  CHECK(s.commands[2].safety == Safety::read_only);
  CHECK(s.commands[2].interactive);
  CHECK(s.commands[3].safety == Safety::destructive);
  CHECK(s.commands[3].line == 7);
  CHECK(s.commands[3].end_line == 9);
  REQUIRE(s.commands[3].reasons.size() == 1);
  CHECK(s.commands[3].reasons[0].line == 8);
  CHECK(s.commands[3].reasons[0].reason == "oc delete: deletes resources");
  CHECK(s.classified == Safety::destructive);
}

TEST_CASE("random commands from the table's words never crash the classifier", "[model][safety]") {
  // Every word of every example, shuffled into short commands with operators and quotes.
  std::vector<std::string> vocab = {"|", "&&", ";", "--", "-c", "<<EOF", "'", "\"", "$(", ")", "`", "-exec", "\\;", "{", "}", "\n"};
  for (const auto& r : opsbook::model::SafetyTable::builtin().rules()) {
    std::string w;
    for (char c : r.example + " ") {
      if (c == ' ') {
        if (!w.empty()) vocab.push_back(w);
        w.clear();
      } else {
        w += c;
      }
    }
  }
  std::mt19937 rng(1234);
  for (int i = 0; i < 3000; ++i) {
    std::string cmd;
    int n = 1 + static_cast<int>(rng() % 8);
    for (int k = 0; k < n; ++k) cmd += vocab[rng() % vocab.size()] + " ";
    INFO(cmd);
    for (auto lang : {CommandLang::shell, CommandLang::powershell, CommandLang::redis, CommandLang::sql}) {
      std::vector<SafetyReason> reasons;
      CHECK_NOTHROW(opsbook::model::classify_command(cmd, lang, &reasons, 1));
    }
  }
}

TEST_CASE("blank command text is read-only and classifies without reading outside the text", "[model][safety]") {
  // A blank or whitespace-only command (an empty line after filling, a fence of spaces) once
  // counted newlines from the text to a null view: a crash.
  for (const char* blank : {"", " ", "\n", " \t\n  \n", "\r\n\f\v"}) {
    std::vector<SafetyReason> reasons;
    auto v = opsbook::model::classify_command(blank, CommandLang::shell, &reasons, 7);
    CHECK(v.level == Safety::read_only);
    CHECK_FALSE(v.interactive);
    CHECK(reasons.empty());
  }
}

TEST_CASE("text piped from echo, printf or cat is classified by what reads it (hostile review)", "[model][safety]") {
  CHECK(level("echo \"DROP TABLE orders;\" | psql app") == Safety::destructive);
  CHECK(level("printf 'TRUNCATE jobs;\\n' | psql") == Safety::destructive);
  CHECK(level("echo -e 'SELECT 1;\\nDROP TABLE t;' | psql") == Safety::destructive);
  CHECK(level("cat <<EOF | psql\nDELETE FROM orders;\nEOF") == Safety::destructive);
  CHECK(level("echo 'rm -rf /srv/data' | bash") == Safety::destructive);
  CHECK(level("echo FLUSHALL | redis-cli") == Safety::destructive);
  CHECK(level("echo 'SELECT count(*) FROM orders;' | psql app") == Safety::read_only);
  // What the runbook does not show stays "runs what it is piped".
  CHECK(level("echo \"$SQL\" | psql") == Safety::mutating);
  CHECK(level("cat drop.sql | psql") == Safety::mutating);
  CHECK(level("cat <<EOF | psql\n$QUERY\nEOF") == Safety::mutating);
}

TEST_CASE("git branches, remotes, stashes and the reflog (hostile review)", "[model][safety]") {
  CHECK(level("git branch -D old-feature") == Safety::destructive);
  CHECK(level("git branch -d old-feature") == Safety::mutating);
  CHECK(level("git branch -a") == Safety::read_only);
  CHECK(level("git remote -v") == Safety::read_only);
  CHECK(level("git remote remove origin") == Safety::mutating);
  CHECK(level("git stash drop") == Safety::destructive);
  CHECK(level("git reflog expire --expire=now --all") == Safety::destructive);
  CHECK(level("git fetch origin") == Safety::mutating);  // SAFETY-POLICY: git fetch is mutating
}

TEST_CASE("HTTPie requests: data items make a POST, whatever the options before them (hostile review)", "[model][safety]") {
  CHECK(level("http :8080/api/jobs name=reindex") == Safety::mutating);  // POST by default
  CHECK(level("http -f POST :8080/x a=b") == Safety::mutating);
  CHECK(level("http --timeout 5 DELETE https://example.invalid/jobs/1") == Safety::destructive);
  CHECK(level("xh :8080/x count:=3") == Safety::mutating);
  CHECK(level("http :8080/x file@/tmp/report.csv") == Safety::mutating);
  CHECK(level("http --download https://example.invalid/dump.tar") == Safety::mutating);
  CHECK(level("http :8080/health Authorization:Bearer-x page==2") == Safety::read_only);  // a header and a query
  CHECK(level("http -a user:pass GET https://example.invalid/status") == Safety::read_only);
  CHECK(level("git push --delete origin old-feature") == Safety::destructive);
  CHECK(level("git push origin :old-feature") == Safety::destructive);
  CHECK(level("git push origin main") == Safety::mutating);
}

TEST_CASE("programs given to read-only tools are read: awk and sed only print unless proven otherwise (hostile review)", "[model][safety]") {
  check_levels({
      {"awk '{print $1}' /etc/hosts", Safety::read_only},
      {"awk -F: '$3 > 1000 {print $1}' /etc/passwd", Safety::read_only},
      {"awk '/a|b/ {n++} END {print n / 2}' log", Safety::read_only},
      {"awk '{printf(\"%d\\n\", $2 > 3)}' f", Safety::read_only},
      {"awk '{print $1 > \"/dev/stderr\"}' f", Safety::read_only},
      {"awk 'BEGIN{system(\"touch /tmp/x\")}'", Safety::mutating},
      {"awk 'BEGIN { system (\"id\") }'", Safety::mutating},
      {"awk '{print > \"/tmp/out\"}' f", Safety::mutating},
      {"awk '{print $1 >> $2}' f", Safety::mutating},
      {"awk '{print | \"sh\"}' f", Safety::mutating},
      {"awk 'BEGIN{\"date\" | getline d; print d}'", Safety::mutating},
      {"awk '{ x = i++ / 2; print | \"sh\"; y = 1 / 2 }' f", Safety::mutating},
      {"awk -f /tmp/prog.awk f", Safety::mutating},
      {"gawk -i inplace '{print}' f", Safety::mutating},
      {"gawk '@load \"filefuncs\"; BEGIN{}'", Safety::mutating},
      {"awk -e 'BEGIN{system(\"id\")}'", Safety::mutating},
      {"mawk -W exec /tmp/p f", Safety::mutating},
      {"sed -n '1,5p' /etc/hosts", Safety::read_only},
      {"sed -e 's/error/warn/g' -e '/x/d' log", Safety::read_only},
      {"sed -n '/[/]w/p' f", Safety::read_only},
      {"sed 's|a|b|;1!G;h;$!d' f", Safety::read_only},
      {"sed -n '1e touch /tmp/x' f", Safety::mutating},
      {"sed -n 'w /tmp/x' f", Safety::mutating},
      {"sed 's/a/b/w /tmp/x' f", Safety::mutating},
      {"sed 's/.*/touch \\/tmp\\/x/e' f", Safety::mutating},
      {"sed -ne '/x/W /tmp/x' f", Safety::mutating},
      {"sed -f script.sed f", Safety::mutating},
      {"sed -i.bak s/a/b/ f", Safety::mutating},
      {"sed --sandbox -n 'w /tmp/x' f", Safety::mutating},  // s5 review: -l --sandbox is no sandbox; the program decides
      {"echo a | sed -n -l --sandbox -e '1w /tmp/x'", Safety::mutating},
      {"awk -W interactive,exec /tmp/evil.awk", Safety::mutating},
      {"psql -c '\\d `touch /tmp/x`'", Safety::mutating},
      {"psql -c '\\lo_unlink 16385'", Safety::mutating},
      {"psql -c '\\lo_export 16384 /tmp/x'", Safety::mutating},
      {"psql -c '\\copy t to /tmp/x'", Safety::mutating},
      {"psql -c '\\copy t to stdout'", Safety::read_only},
      {"psql -c '\\g /tmp/out'", Safety::mutating},
      {"psql -c '\\dt+'", Safety::read_only},
      {"psql -c '\\w /tmp/q'", Safety::mutating},
      {"curl -s -m 2 --resolve dict.x:16399:127.0.0.1 dict.x:16399/SET:k:1", Safety::mutating},
      {"curl -s '[d-d]ict://127.0.0.1:16399/SET:k:1'", Safety::mutating},
      {"curl -s '{dict,x}://127.0.0.1:16399/SET:k:1'", Safety::mutating},
      {"curl -s --proto-default dict 127.0.0.1:16399/SET:k:1", Safety::mutating},
      {"curl -s -o /dev/null -w '%{http_code}' http://127.0.0.1/health", Safety::read_only},
      {"curl -s localhost:8080/health", Safety::read_only},
      {"flock /tmp/l true", Safety::mutating},
      // s5b review
      {"psql -h 127.0.0.1 <<<$'x=# SELECT 1;\n\\lo_unlink 16385'", Safety::mutating},
      {"sqlite3 :memory: <<<$'x=# SELECT 1;\n.shell touch /tmp/x'", Safety::mutating},
      {"echo FLUSHALL 0</dev/tcp/127.0.0.1/16499 >&0", Safety::mutating},
      {"awk 'BEGIN { case = 1; x = case / 1; \"touch /tmp/x\" | getline; y = 1 / 1 }'", Safety::mutating},
      {"awk '{ print > \"/dev/stderr\" \"-x\" }' f", Safety::mutating},
      {"echo -o/tmp/x >/dev/null; sort \"$_\" /dev/null", Safety::mutating},
      {"uniq /{etc/hostname,tmp/x}", Safety::mutating},
      {"echo \"${#PWD[_]}\"", Safety::mutating},
      {"echo \"${_@P}\"", Safety::mutating},
      {"echo \"${HOME:1:3} ${X:-none} ${#HOME} ${A[0]} ${A[@]}\"", Safety::read_only},
      {"let x=1", Safety::mutating},
      {"ss -D /tmp/dump", Safety::mutating},
      {"ss -tlnp", Safety::read_only},
      {"file -C -m /tmp/magic", Safety::mutating},
      {"blkid -c /tmp/blkid.tab", Safety::mutating},
      {"nstat", Safety::mutating},
      {"nstat -s", Safety::read_only},
      {"psql -c \"SET client_encoding TO 'SJIS'\"", Safety::destructive},
      {"psql -c '\\encoding SJIS'", Safety::destructive},
      {"ls /var/log/{syslog,auth.log}", Safety::read_only},
      // s5c review
      {"awk 'BEGIN { print 1,\n2 > \"/tmp/x\" }'", Safety::mutating},
      {"echo x | sed -n ':a e touch /tmp/x'", Safety::mutating},
      {"sed -n 'b a w /tmp/x' /etc/hostname", Safety::mutating},
      {"sed -n ':a;N;$!ba;p' f", Safety::read_only},
      {"sort --outp=/tmp/x /dev/null", Safety::mutating},
      {"psql -h 127.0.0.1 --out /tmp/x -c 'select 1'", Safety::mutating},
      {"ss --dia=/tmp/x -t", Safety::mutating},
      {"curl --cookie-j /tmp/x http://127.0.0.1/", Safety::mutating},
      {"git reset --har", Safety::destructive},
      {"ss -4DF -t", Safety::mutating},
      {"psql -h 127.0.0.1 -1oF -c 'select 1'", Safety::mutating},
      {"uniq /tmp/v*", Safety::mutating},
      {"wget -qO- --meth=DELETE http://x/orders/1", Safety::destructive},
      {"perl /usr/local/bin/report.pl", Safety::mutating},
      {"ruby -e 'File.delete(\"x\"); puts :status'", Safety::mutating},
      {"node -e \"require('fs').rmSync('/data')\"", Safety::mutating},
  });
}

TEST_CASE("read-only tools that write files or run commands through their arguments (hostile review)", "[model][safety]") {
  check_levels({
      {"uniq in.txt", Safety::read_only},
      {"uniq in.txt /tmp/out", Safety::mutating},
      {"xxd -l 64 file", Safety::read_only},
      {"xxd in.bin /tmp/out", Safety::mutating},
      {"hostname -f", Safety::read_only},
      {"hostname evil", Safety::mutating},
      {"date -u +%Y-%m-%d", Safety::read_only},
      {"date -d yesterday +%s", Safety::read_only},
      {"date 010100002020", Safety::mutating},
      {"git log --oneline -5", Safety::read_only},
      {"git -c core.pager='touch /tmp/x' log", Safety::mutating},
      {"git log --output=/tmp/x", Safety::mutating},
      {"git grep -O'touch /tmp/x' foo", Safety::mutating},
      {"GIT_PAGER='touch /tmp/x' git log", Safety::mutating},
      {"export PAGER='touch /tmp/x'; git log", Safety::mutating},
      {"PATH=/tmp/evil:$PATH; ls", Safety::mutating},
      {"LD_PRELOAD=/tmp/x.so ls", Safety::mutating},
      {"env LESSOPEN='|touch /tmp/x' less f", Safety::mutating},
      {"ssh -o ProxyCommand='touch /tmp/x' db1 uptime", Safety::mutating},
      {"ssh -oStrictHostKeyChecking=yes db1 uptime", Safety::read_only},
      {"tcpdump -i eth0 -c 10", Safety::read_only},
      {"tcpdump -i eth0 -w /tmp/cap", Safety::mutating},
      {"strace -p 1234 -o /tmp/t", Safety::mutating},
      {"strace -f touch /tmp/x", Safety::mutating},
      {"perf stat -e cycles rm -rf /data", Safety::destructive},
      {"curl -sS -D - http://x/", Safety::read_only},
      {"curl -D /tmp/h http://x/", Safety::mutating},
      {"curl --trace /tmp/t http://x/", Safety::mutating},
      {"curl gopher://127.0.0.1:6379/_FLUSHALL", Safety::mutating},
      {"curl dict://127.0.0.1:6379/FLUSHALL", Safety::mutating},
      {"curl -K /tmp/curlrc http://x/", Safety::mutating},
      {"nc -vz db1 5432", Safety::read_only},
      {"printf 'FLUSHALL\\r\\n' | nc 127.0.0.1 6379", Safety::mutating},
      {"source ./env.sh", Safety::mutating},
      {"trap 'touch /tmp/x' EXIT", Safety::mutating},
      {"taskset -c 1 touch /tmp/status", Safety::mutating},
      {"parallel touch {} ::: status", Safety::mutating},
      {"mytool $X/status", Safety::mutating},
      {"mytool status", Safety::read_only},
      {"$cmd status", Safety::mutating},
      {"sudo $cmd status", Safety::mutating},
      {"<tool> status", Safety::mutating},
      {"$(printf rm) -rf /tmp/x status", Safety::mutating},
  });
}

TEST_CASE("commands that delete or take down are destructive, however they are spelled (hostile review)", "[model][safety]") {
  check_levels({
      {"git push origin +main", Safety::destructive},
      {"git push origin +main:main", Safety::destructive},
      {"git push origin main", Safety::mutating},
      {"builtin eval \"rm -rf /data\"", Safety::destructive},
      {"kubectl scale deploy/api --replicas=00", Safety::destructive},
      {"kubectl scale deploy/api --replicas 0", Safety::destructive},
      {"kubectl scale deploy/api --replicas=+0", Safety::destructive},
      {"kubectl scale deploy/api --replicas=10", Safety::mutating},
      {"mongo --eval \"db.dropDatabase()\"", Safety::destructive},
      {"mongosh --quiet --eval 'db.users.countDocuments()'", Safety::mutating},
      {"gitlab-rails runner 'Project.find(1).destroy'", Safety::destructive},
      {"Invoke-Expression \"Remove-Item -Recurse C:\\data\"", Safety::destructive},
      {"iex 'Get-Process; Remove-Item x'", Safety::destructive},
      {"pwsh -Command \"Get-Process; Remove-Item x\"", Safety::destructive},
      {"pwsh -c \"Get-Service nginx\"", Safety::read_only},
      {"git checkout -- .", Safety::destructive},
      {"git checkout -f main", Safety::destructive},
      {"git checkout main", Safety::mutating},
      {"git restore app.conf", Safety::destructive},
      {"git restore --staged app.conf", Safety::mutating},
      {"ipmitool -I lanplus -H bmc1 -U admin -P x chassis power off", Safety::destructive},
      {"ipmitool -H bmc1 power cycle", Safety::destructive},
      {"ipmitool -H bmc1 chassis status", Safety::read_only},
      {"systemctl isolate rescue.target", Safety::destructive},
      {"sudo sudo sudo sudo sudo sudo sudo sudo touch /tmp/x", Safety::destructive},
  });
}

TEST_CASE("sessions that wait for a person are interactive (hostile review)", "[model][safety]") {
  for (const char* cmd : {"sqlite3 /var/lib/app.db", "tmux attach -t ops", "screen -r ops", "nsenter -t 1 -m -u -n -i", "telnet db1 25", "k9s"}) {
    INFO(cmd);
    auto v = classify_shell_command(cmd);
    CHECK(v.level == Safety::read_only);
    CHECK(v.interactive);
  }
}

TEST_CASE("a command nested deeper than the lexer reads is destructive: opsbook cannot see all of it", "[model][safety]") {
  std::string deep = "echo ";
  for (int i = 0; i < 70; ++i) deep += "$(";
  deep += "echo hi";
  for (int i = 0; i < 70; ++i) deep += ")";
  deep += "; rm -rf /data";
  auto v = classify_shell_command(deep);
  CHECK(v.level == Safety::destructive);
  CHECK(v.reason.find("nested too deeply") != std::string::npos);
  CHECK(classify_shell_command("echo " + std::string(300 * 1024, 'a')).level == Safety::destructive);
}

TEST_CASE("Windows spellings of known tools are the tools: curl.exe and kubectl.exe under a drive letter", "[model][safety]") {
  check_levels({
      {"curl.exe -s http://win01:8080/api/health/ping", Safety::read_only},
      {"curl.exe -X DELETE http://win01:8080/api/x", Safety::destructive},
      {"C:\\\\tools\\\\kubectl.exe delete pod x", Safety::destructive},
      {"kubectl.exe get pods", Safety::read_only},
  });
}

TEST_CASE("bash features that run code later or elsewhere are not read-only (hostile review, round 2)", "[model][safety]") {
  check_levels({
      {"BASH_CMDS[ls]=/bin/rm\nls -rf /tmp/x", Safety::mutating},
      {"hash -p /bin/rm ls; ls -rf /tmp/x", Safety::mutating},
      {"shopt -s expand_aliases\nalias ll='rm -rf'\nll /tmp/x", Safety::mutating},
      {"PS4='$(touch /tmp/x)'; set -x; true", Safety::mutating},
      {"x='a[$(touch /tmp/x)]'; echo $((x))", Safety::mutating},
      {"printf -v 'a[$(touch /tmp/x)]' x", Safety::mutating},
      {"read -r 'a[$(touch /tmp/x)]' <<< 1", Safety::mutating},
      {"[[ -v 'a[`touch /tmp/x`]' ]]", Safety::mutating},
      {"declare -n r='a[$(touch /tmp/x)]'; echo \"$r\"", Safety::mutating},
      {"env 'BASH_FUNC_ls%%=() { touch /tmp/x; }' bash -c ls", Safety::mutating},
      {"setsid sleep 4242 > /dev/null 2>&1 < /dev/null &", Safety::mutating},
      {"sleep 30 &", Safety::read_only},
      {"for h in a b; do ping -c1 $h & done; wait", Safety::read_only},
      {"ls 2>&1 | grep x &>/dev/null", Safety::read_only},
      {"echo 'a & b'", Safety::read_only},
      {"read -r answer < /dev/tty; echo $answer", Safety::read_only},
      {"echo o > /proc/sysrq-trigger", Safety::destructive},
      {"cat image.raw > /dev/sdb", Safety::destructive},
      {"{ cat image.raw; } > /dev/sdb", Safety::destructive},
      {"{ ls; } 2>&1", Safety::read_only},
      {"true; {rm,-rf,/tmp/x}", Safety::destructive},
      {"/bin/r? -rf /tmp/x", Safety::destructive},
      {"[ -f /etc/hosts ] && echo yes", Safety::read_only},
      {"awk '{print $(NF-1)}' f", Safety::read_only},
  });
  CHECK(classify_shell_command("read -r answer < /dev/tty").interactive);
}

TEST_CASE("read-only tools with options that write files or run programs, and deletions spelled another way (hostile review, round 2)", "[model][safety]") {
  check_levels({
      {"tar -tf /dev/null --checkpoint=1 --checkpoint-action=exec='touch /tmp/x'", Safety::mutating},
      {"tar -tzf backup.tgz", Safety::read_only},
      {"tar -cf a.tar --remove-files /data", Safety::destructive},
      {"ssh -E /tmp/x db1 uptime", Safety::mutating},
      {"ssh -fMN -S /tmp/sock db1", Safety::mutating},
      {"ssh -p 2222 -oStrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null db1 uptime", Safety::read_only},
      {"openssl rand -writerand /tmp/x 4", Safety::mutating},
      {"history -w /tmp/x", Safety::mutating},
      {"git tag hr3tag", Safety::mutating},
      {"git tag -l", Safety::read_only},
      {"git tag", Safety::read_only},
      {"git branch hotfix", Safety::mutating},
      {"git branch -a", Safety::read_only},
      {"git branch --delete --force unmerged", Safety::destructive},
      {"git branch -d merged", Safety::mutating},
      {"git checkout .", Safety::destructive},
      {"git update-ref -d refs/heads/x", Safety::destructive},
      {"psql -c 'SELECT 1' -c '\\! touch /tmp/x'", Safety::mutating},
      {"psql -c 'SELECT 1' -L /tmp/x", Safety::mutating},
      {"psql -c 'SELECT 1' -c 'SELECT 2'", Safety::read_only},
      {"redis-cli CLUSTER DELSLOTS 1 2 3", Safety::destructive},
      {"redis-cli ACL SAVE", Safety::mutating},
      {"redis-cli MEMORY PURGE", Safety::mutating},
      {"redis-cli CLIENT SETNAME x", Safety::mutating},
      {"redis-cli CLUSTER INFO", Safety::read_only},
      {"redis-cli REPLICAOF 10.0.0.5 6379", Safety::destructive},
      {"redis-cli ZREMRANGEBYLEX z - +", Safety::destructive},
      {"rsync -a --delete src/ dst/", Safety::destructive},
      {"aws s3 sync ./site s3://bucket --delete", Safety::destructive},
      {"terraform apply -destroy", Safety::destructive},
      {"crontab /dev/null", Safety::destructive},
      {"kill -9 -1", Safety::destructive},
      {"journalctl --setup-keys", Safety::mutating},
      {"dmesg -n 1", Safety::mutating},
      {"iptables -L -Z", Safety::mutating},
      {"sar -o /tmp/sa 1 3", Safety::mutating},
      {"fzf --preview 'cat {}'", Safety::mutating},
  });
}

TEST_CASE("eval of assignments is a script, not an interactive session", "[model][safety]") {
  auto v = classify_shell_command("eval 'x=1; echo $x'");
  CHECK(v.level == Safety::read_only);
  CHECK_FALSE(v.interactive);
  CHECK(level("eval 'x=1; rm -rf /data'") == Safety::destructive);
}

TEST_CASE("hostile review round 3: clustered curl options, wget, make, redirects, old-style tar, kubeconfig, deletes with a trailing read word", "[model][safety]") {
  check_levels({
      {"curl -sSfXDELETE http://127.0.0.1/orders/42", Safety::destructive},
      {"curl -sSdconfirm=yes http://127.0.0.1/admin/purge", Safety::mutating},
      {"curl -sSo/tmp/x http://127.0.0.1/x", Safety::mutating},
      {"curl -sSTfile http://127.0.0.1/x", Safety::mutating},
      {"curl -sSfL http://127.0.0.1/healthz", Safety::read_only},
      {"curl -sSH 'Accept: application/json' http://127.0.0.1/healthz", Safety::read_only},
      {"wget -qO- -o /tmp/log http://x/", Safety::mutating},
      {"wget -qO- --use-askpass=/usr/bin/touch http://x/", Safety::mutating},
      {"wget -qO- -e method=DELETE http://x/", Safety::destructive},
      {"wget -qO- http://x/healthz", Safety::read_only},
      {"make --eval='status: ; touch /tmp/x' status", Safety::mutating},
      {"make -f /tmp/mk status", Safety::mutating},
      {"make status", Safety::mutating},
      {"cat /etc/hostname >&/tmp/x", Safety::mutating},
      {"ls 2>&1", Safety::read_only},
      {"tar xf /tmp/a.tar", Safety::mutating},
      {"tar tvf /tmp/a.tar", Safety::read_only},
      {"tar -tzf backup.tgz", Safety::read_only},
      {"kubectl --kubeconfig /tmp/kc.yaml get pods", Safety::mutating},
      {"nginx -t -g 'error_log /tmp/x;'", Safety::mutating},
      {"gcloud compute instances delete vm1 list", Safety::destructive},
      {"aws ec2 terminate-instances --instance-ids i-1 ls", Safety::destructive},
      {"ipmitool chassis power off status", Safety::destructive},
      {"init 0", Safety::destructive},
      {"rsync -a --del src/ dst/", Safety::destructive},
      {"git worktree remove --force ../wt", Safety::destructive},
      {"git gc --prune=now", Safety::destructive},
      {"kubectl taint nodes --all k=v:NoExecute", Safety::destructive},
      {"docker compose scale web=0", Safety::destructive},
      {"docker compose scale web=10", Safety::mutating},
      {"date +%s -s 2020-01-01", Safety::mutating},
      {"dmesg -T -C", Safety::mutating},
  });
}

TEST_CASE("hostile review round 4: the tool's own option clusters and long-option prefixes before the subcommand", "[model][safety]") {
  check_levels({
      {"docker -Dl info stop web", Safety::mutating},          // -D, then -l info: the subcommand is stop
      {"docker -Dl info rm -f web", Safety::destructive},
      {"docker-compose --profil ps stop web", Safety::mutating},  // docopt: --profil is --profile, ps its value
      {"docker-compose --project-dir ps stop web", Safety::mutating},
      {"docker-compose --tlscacert ps stop web", Safety::mutating},
      {"docker -D ps", Safety::read_only},
      {"docker -l debug ps", Safety::read_only},
      {"docker exec -it db psql -c 'select 1'", Safety::read_only},  // after the subcommand -t is exec's flag
      {"DOCKER_CONTEXT=prod docker ps", Safety::mutating},
  });
}

TEST_CASE("hostile review round 5: subcommands no row names, variables set by name, interpreters' variables, registry logins", "[model][safety]") {
  check_levels({
      {"docker container stop web status", Safety::mutating},  // a later operand does not make it a read
      {"docker -l info container stop web", Safety::mutating},
      {"docker container restart web check", Safety::mutating},
      {"docker-compose --log-level info push", Safety::mutating},
      {"docker login -u ci -p pw localhost:5999", Safety::mutating},
      {"prlimit env docker login -u info -p pw localhost:5999", Safety::mutating},
      {"knife node show web1", Safety::read_only},
      {"for DOCKER_HOST in unix:///tmp/o.sock; do docker ps; done", Safety::mutating},
      {"for PATH in pub:/usr/bin:/bin; do docker ps; done", Safety::mutating},
      {"read -r DOCKER_HOST <<< unix:///tmp/o.sock; docker ps", Safety::mutating},
      {"echo x | { read DOCKER_HOST; docker ps; }", Safety::mutating},
      {"printf -v HOME pub; docker compose ps", Safety::mutating},
      {"declare -n r=DOCKER_HOST; r=x; docker ps", Safety::mutating},
      {"declare +x DOCKER_HOST; docker ps", Safety::mutating},
      {"mapfile -t PATH < list; ls", Safety::mutating},
      {"PYTHONUSERBASE=pub docker-compose ps", Safety::mutating},
      {"printf '%s\\n' \"$HOME\"", Safety::read_only},
      {"read -p 'PATH? ' x; echo \"$x\"", Safety::read_only},
      {"export PATH; echo ok", Safety::read_only},
      {"env | grep PATH", Safety::read_only},
      {"OPENSSL_CONF=/tmp/e.cnf curl -s http://127.0.0.1/", Safety::mutating},  // final review: config files and libraries
      {"SSLKEYLOGFILE=/tmp/k curl -sk https://127.0.0.1/", Safety::mutating},
      {"SYSTEM_WGETRC=/tmp/w wget -qO- http://127.0.0.1/", Safety::mutating},
      {"PGOPTIONS='-c default_transaction_read_only=off' psql -c 'select 1'", Safety::mutating},
      // Arguments of tools that only print, match or send them set nothing (s5 review: over-cautious).
      {"echo path=x", Safety::read_only},
      {"printf '%s\\n' PATH=/usr/bin", Safety::read_only},
      {"kubectl get pods -l path=x", Safety::read_only},
      {"env PATH=/tmp/x ls", Safety::mutating},
      {"sudo PAGER='touch /tmp/x' git log", Safety::mutating},
      {"export PATH=/tmp/x:$PATH", Safety::mutating},
      {"make PATH=/tmp/x", Safety::mutating},
      {"echo \"$(PAGER='touch /tmp/x' git log)\"", Safety::mutating},
  });
}

TEST_CASE("hostile review #13: read-only ratings that write or run programs, deletions rated mutating, and their other spellings", "[model][safety]") {
  check_levels({
      // Handlers, post-renderers and output folders.
      {"consul watch -type=key -key=x ./handler.sh", Safety::mutating},
      {"consul watch -type key -key x ./handler.sh", Safety::mutating},
      {"consul watch -type=key -key=x 'rm -rf /data'", Safety::destructive},
      {"consul watch -type=key -key=x -- ./handler.sh", Safety::mutating},
      {"consul watch -type=key -key=x", Safety::read_only},
      {"helm template api ./chart --post-renderer ./x", Safety::mutating},
      {"helm template api ./chart --post-renderer=./x", Safety::mutating},
      {"helm upgrade --install api ./chart --post-renderer ./x", Safety::mutating},
      {"helm template api ./chart --output-dir /tmp/out", Safety::mutating},
      {"helm template api ./chart --output-dir=/tmp/out", Safety::mutating},
      {"helm template api ./chart", Safety::read_only},
      // Tools that write while they measure or check.
      {"etcdctl check perf", Safety::mutating},
      {"etcdctl --endpoints=http://127.0.0.1:2379 check datascale --load=s", Safety::mutating},
      {"etcdctl endpoint health", Safety::read_only},
      {"promtool push metrics http://127.0.0.1:9091", Safety::mutating},
      {"promtool check rules rules.yml", Safety::read_only},
      {"pgbench -c 4 -T 30 app", Safety::mutating},
      {"pgbench -i app", Safety::destructive},
      {"pgbench -is 10 app", Safety::destructive},
      {"pgbench --initialize app", Safety::destructive},
      {"pgbench --init app", Safety::destructive},
      {"mysqldump --delete-master-logs app", Safety::destructive},
      {"mysqldump --delete-source-logs app", Safety::destructive},
      {"mysqldump --delete-m app", Safety::destructive},
      {"mysqldump --delete_master_logs app", Safety::destructive},
      {"mysqldump --loose-delete-master-logs app", Safety::destructive},
      {"mysqldump -r /tmp/x.sql --delete-master-logs app", Safety::destructive},
      {"mysqldump -F app", Safety::mutating},
      {"mysqldump --flush-logs app", Safety::mutating},
      {"mysqldump --flush-l app", Safety::mutating},
      {"mysqldump --single-transaction app", Safety::read_only},
      {"sops -d -i secrets.yaml", Safety::mutating},
      {"sops -d --in-place secrets.yaml", Safety::mutating},
      {"sops -d --output /tmp/plain.yaml secrets.yaml", Safety::mutating},
      {"sops -d --output=/tmp/plain.yaml secrets.yaml", Safety::mutating},
      {"sops -d --output-type json secrets.yaml", Safety::read_only},
      {"terraform fmt", Safety::mutating},
      {"terraform fmt -recursive", Safety::mutating},
      {"terraform -chdir=infra fmt -diff", Safety::mutating},
      {"terraform fmt -check", Safety::read_only},
      {"terraform fmt --check -recursive", Safety::read_only},
      {"terraform fmt -check=false", Safety::mutating},
      {"terraform fmt -check -check=FALSE", Safety::mutating},
      {"terraform fmt -check=0", Safety::mutating},
      {"terraform providers lock -platform=linux_amd64", Safety::mutating},
      {"terraform providers mirror /tmp/mirror", Safety::mutating},
      {"terraform providers", Safety::read_only},
      {"openssl ca -config ca.cnf -in app.csr", Safety::mutating},
      {"openssl srp -add -srpvfile vf user", Safety::mutating},
      {"openssl engine dynamic -pre SO_PATH:/tmp/x.so", Safety::mutating},
      {"openssl s_server -accept 8443 -WWW", Safety::mutating},
      {"openssl x509 -req -in a.csr -CA ca.pem -CAkey ca.key -CAcreateserial", Safety::mutating},
      {"openssl req -engine x -new", Safety::mutating},
      {"openssl rand --out /tmp/x 8", Safety::mutating},
      {"openssl x509 -in cert.pem -noout -text", Safety::read_only},
      {"info -o /tmp/x coreutils", Safety::mutating},
      {"info -o/tmp/x coreutils", Safety::mutating},
      {"info --output=/tmp/x coreutils", Safety::mutating},
      {"info --out /tmp/x coreutils", Safety::mutating},
      {"info --dribble=/tmp/keys coreutils", Safety::mutating},
      {"info coreutils", Safety::read_only},
      {"man -H bash", Safety::mutating},
      {"man -Hfirefox bash", Safety::mutating},
      {"man --html=firefox bash", Safety::mutating},
      {"man --htm bash", Safety::mutating},
      {"man -P 'touch /tmp/x' bash", Safety::mutating},
      {"man --pager='touch /tmp/x' bash", Safety::mutating},
      {"man bash", Safety::read_only},
      {"MANOPT=-Hfirefox man bash", Safety::mutating},
      {"SCREENRC=/tmp/rc screen -ls", Safety::mutating},
      {"tmux display-message -p '#(touch /tmp/x)'", Safety::mutating},
      {"tmux ls -F '#{session_name} #(touch /tmp/x)'", Safety::mutating},
      {"tmux ls -F '#{session_name}'", Safety::read_only},
      {"screen -S ops -X stuff 'rm -rf /data'", Safety::mutating},
      {"screen -dmS job rm -rf /tmp/x", Safety::destructive},
      {"screen -dmS job sleep 600", Safety::mutating},
      {"screen -ls", Safety::read_only},
      {"rpk topic consume orders -g billing", Safety::mutating},
      {"rpk topic consume orders --group=billing", Safety::mutating},
      {"rpk topic consume orders -n 10", Safety::read_only},
      // wget takes wgetrc commands: method=DELETE deletes.
      {"wget -qO- -e method=DELETE http://x/orders/1", Safety::destructive},
      {"wget -qO- -emethod=DELETE http://x/orders/1", Safety::destructive},
      {"wget -qO- -qe 'Method = delete' http://x/orders/1", Safety::destructive},
      {"wget -qO- --execute=me_thod=DELETE http://x/orders/1", Safety::destructive},
      {"wget -qO- --method DELETE http://x/orders/1", Safety::destructive},
      {"wget -qO- --meth=DELETE http://x/orders/1", Safety::destructive},
      {"wget -qO- -e post_data=x http://x/orders", Safety::mutating},
      {"wget -qO- --exe=output_document=/tmp/x http://x/", Safety::mutating},
      {"wget -qO- --output-f=/tmp/log http://x/", Safety::mutating},
      {"wget -qO- --save-c /tmp/c http://x/", Safety::mutating},
      {"wget -qO- http://x/healthz", Safety::read_only},
      // Deletions that looked like copies.
      {"cp /dev/null /var/log/app.log", Safety::destructive},
      {"cp -f -- /dev/null /var/log/app.log", Safety::destructive},
      {"cp /dev//null /var/log/app.log", Safety::destructive},
      {"mv /var/log/app.log /dev/null", Safety::destructive},
      {"mv -t /dev/null /var/log/app.log", Safety::destructive},
      {"cp a.conf b.conf", Safety::mutating},
      {"tee /var/log/app.log < /dev/null", Safety::destructive},
      {"tee /var/log/app.log < /tmp/x", Safety::mutating},
      {"sqlite3 /var/lib/app.db 'delete from t'", Safety::destructive},
      {"sqlite3 /var/lib/app.db 'DROP TABLE t'", Safety::destructive},
      {"sqlite3 /var/lib/app.db 'UPDATE t SET a=1 WHERE id=2'", Safety::mutating},
      {"sqlite3 -cmd 'DELETE FROM t' /var/lib/app.db", Safety::destructive},
      {"sqlite3 /var/lib/app.db 'SELECT count(*) FROM t'", Safety::read_only},
      {"sqlite3 /var/lib/app.db \"SELECT writefile('/tmp/x', 'y')\"", Safety::mutating},
      {"sqlite3 /var/lib/app.db \"SELECT load_extension('/tmp/x.so')\"", Safety::mutating},
      {"sqlite3 /var/lib/app.db \"SELECT edit('x', 'vi')\"", Safety::mutating},
      {"sqlite3 /var/lib/app.db \"SELECT readfile('/etc/shadow')\"", Safety::mutating},
      {"sqlite3 -readonly /var/lib/app.db 'SELECT 1' 'DELETE FROM t'", Safety::destructive},
      {"sqlite3 /var/lib/app.db <<'EOF'\nDELETE FROM t;\nEOF", Safety::destructive},
      {"sqlite3 -init /tmp/x.sql /var/lib/app.db 'SELECT 1'", Safety::mutating},
      {"psql -c 'SELECT 1' -f /tmp/x.sql", Safety::mutating},
      // The clients' shell escapes run shell commands, rated as such.
      {"sqlite3 /var/lib/app.db '.shell rm -rf /data'", Safety::destructive},
      {"sqlite3 -cmd '.system rm -rf /data' /var/lib/app.db", Safety::destructive},
      {"sqlite3 /var/lib/app.db '.shell touch /tmp/x'", Safety::mutating},
      {"psql -c '\\! rm -rf /data'", Safety::destructive},
      {"psql <<'EOF'\nSELECT 1;\n\\! rm -rf /data\nEOF", Safety::destructive},
      {"sqlite3 -Ax backup.sqlar", Safety::mutating},
      {"docker compose up -d --scale web=0", Safety::destructive},
      {"docker compose up -d --scale=web=0", Safety::destructive},
      {"docker compose up -d --scale web=00", Safety::destructive},
      {"docker-compose up -d --scale web=+0", Safety::destructive},
      {"docker compose scale web=00", Safety::destructive},
      {"docker compose up -d --scale web=3", Safety::mutating},
      // Through wrappers.
      {"sudo -u app env A=1 cp /dev/null /var/log/app.log", Safety::destructive},
      {"command terraform fmt", Safety::mutating},
      {"sudo pgbench -i app", Safety::destructive},
  });
  CHECK(classify_shell_command("sqlite3 /var/lib/app.db").interactive);
  CHECK(classify_shell_command("screen -r ops").interactive);
}

TEST_CASE("hostile review round 7: options before docker's subcommand are read with docker's own global options", "[model][safety]") {
  check_levels({
      // docker -v is --version, a flag: rm runs (docker 28, cobra TraverseChildren). The table's
      // +-v of `docker rm -v` matches any -v, so some are rated above what they do: never below.
      {"docker -v rm ps web", Safety::destructive},
      {"docker -v rmi ps review-victim:1", Safety::mutating},
      {"docker -Dv rm logs", Safety::destructive},
      {"docker -v kill ps web", Safety::mutating},
      {"docker -v stop ps web", Safety::mutating},
      {"sudo docker -v rm ps", Safety::destructive},
      {"timeout 5 docker -v rm ps", Safety::destructive},
      {"docker -v rm -f ps", Safety::destructive},
      {"docker --version rm ps", Safety::mutating},
      {"docker -h rm ps", Safety::mutating},
      // compose v2: a hidden -v/--version flag too; --insecure-registry takes a value.
      {"docker compose -v restart ps", Safety::mutating},
      {"docker compose -v stop ps web", Safety::mutating},
      {"docker compose -v rm -fsv ps web", Safety::destructive},
      {"docker compose -v down ps", Safety::destructive},
      {"docker compose --insecure-registry ps restart web", Safety::mutating},
      {"docker compose --workdir ps restart web", Safety::mutating},
      {"docker compose --insecure-registry r.local ps", Safety::read_only},
      // --tls is a flag of docker and docker-compose: an exact name beats an abbreviation of --tlscacert.
      {"docker --tls rm ps", Safety::mutating},
      {"docker --tls kill top", Safety::mutating},
      {"docker-compose --tls stop ps web", Safety::mutating},
      {"docker-compose --tls rm -fs ps web", Safety::mutating},
      {"docker-compose --tls rm --force logs web", Safety::mutating},
      {"docker-compose --tls down top", Safety::mutating},
      {"docker --tls ps", Safety::read_only},
      {"docker-compose --tls ps", Safety::read_only},
      // An abbreviation of several options, or no option of the tool: not known what runs.
      {"docker-compose --tlsc ps stop web", Safety::mutating},
      {"docker-compose --tlsc x ps", Safety::mutating},
      {"docker --bogus ps", Safety::mutating},
      {"docker -Dx ps", Safety::mutating},
      // Still read as before: values, clusters, docopt abbreviations of one option.
      {"docker -l debug ps", Safety::read_only},
      {"docker -Dl info stop web", Safety::mutating},
      {"docker -D=true ps", Safety::read_only},
      {"docker -H unix:///run/docker.sock ps", Safety::read_only},
      {"docker-compose --profil ps stop web", Safety::mutating},
      {"docker-compose --profil x ps", Safety::read_only},
      {"docker compose -p shop ps", Safety::read_only},
      {"docker run -v /data:/data busybox ls", Safety::mutating},
      {"docker rm -v api", Safety::destructive},
      {"podman -v rm ps", Safety::destructive},
      {"podman --remote ps", Safety::read_only},
  });
}

TEST_CASE("hostile review round 7: docker --config runs the CLI plugins of the folder it names: buildx inspect --bootstrap starts a builder", "[model][safety]") {
  check_levels({
      {"docker --config ./cfg compose ps", Safety::mutating},
      {"docker --config ./cfg info --format '{{.ID}}'", Safety::mutating},
      {"docker --config=./cfg info", Safety::mutating},
      {"docker --config ./cfg buildx ls", Safety::mutating},
      {"docker --config ./cfg manifest inspect x", Safety::mutating},
      {"DOCKER_CONFIG=./cfg docker compose ps", Safety::mutating},
      {"docker buildx inspect --bootstrap", Safety::mutating},
      {"docker buildx inspect mybuilder --bootstrap", Safety::mutating},
      {"docker buildx --builder ls inspect --bootstrap", Safety::mutating},
      {"docker buildx --builder x inspect", Safety::read_only},
      {"docker buildx inspect", Safety::read_only},
  });
  CHECK(classify_shell_command("docker --config ./cfg info").reason ==
        "docker --config: runs the CLI plugins of the configuration folder it names (as DOCKER_CONFIG= does)");
  CHECK(classify_shell_command("docker buildx inspect --bootstrap").reason ==
        "docker buildx inspect --bootstrap: boots the builder: creates and starts its BuildKit container");
  CHECK(classify_shell_command("docker-compose --tlsc ps stop web").reason ==
        "docker-compose --tlsc: an option opsbook cannot read before the subcommand (not one of the tool's, or an abbreviation of several): which subcommand runs is not known");
}

TEST_CASE("hostile review round 7: an http fence with a body is not a read, whatever its method", "[model][safety]") {
  auto rb = opsbook::test::parse(
      "# T\n\n```http\nGET http://127.0.0.1:23760/_ping\nContent-Length: 0\n\nDELETE /volumes/v1 HTTP/1.1\nHost: x\n\n```\n\n"
      "```http\nGET /_search\nAccept: application/json\n\n  \n```\n");
  REQUIRE(rb.snippets.size() == 2);
  CHECK(rb.snippets[0].classified == Safety::mutating);
  REQUIRE(rb.snippets[0].reasons.size() == 1);
  CHECK(rb.snippets[0].reasons[0].reason == "HTTP GET with a body: what the server does with the body is not known");
  CHECK(rb.snippets[1].classified == Safety::read_only);  // a blank body is no body
}

TEST_CASE("redis-cli --tls and -c are flags: the Redis command after them is read", "[model][safety]") {
  check_levels({
      {"redis-cli --tls FLUSHALL", Safety::destructive},
      {"redis-cli -c DEL session:1", Safety::destructive},
      {"redis-cli --tls --cacert ca.pem -h r1 INFO", Safety::read_only},
      {"redis-cli -c -h r1 GET k", Safety::read_only},
  });
}

TEST_CASE("hostile review #13 round 6c: ip reads its verbs by prefix, mount options, script's typescript", "[model][safety]") {
  check_levels({
      // ip: only show, list and get (and their prefixes) read; ip link s is set.
      {"ip a d 127.0.0.1/8 dev lo", Safety::mutating},
      {"ip r f all", Safety::mutating},
      {"ip -6 r f all", Safety::mutating},
      {"ip a a 10.0.0.1/24 dev eth0", Safety::mutating},
      {"ip a c 10.0.0.1/24 dev eth0", Safety::mutating},
      {"ip a r 10.0.0.1/24 dev eth0", Safety::mutating},
      {"ip a fl dev eth0", Safety::mutating},
      {"ip a f dev eth0", Safety::mutating},
      {"ip r d default", Safety::mutating},
      {"ip r r default via 10.0.0.1", Safety::mutating},
      {"ip r c default via 10.0.0.1", Safety::mutating},
      {"ip r a default via 10.0.0.1", Safety::mutating},
      {"ip link s lo down", Safety::mutating},
      {"ip l se lo down", Safety::mutating},
      {"ip r restore", Safety::mutating},
      {"ip netns add x", Safety::mutating},
      {"ip -b cmds.txt", Safety::mutating},
      {"ip -batch cmds.txt", Safety::mutating},
      {"ip addr", Safety::read_only},
      {"ip a", Safety::read_only},
      {"ip a s", Safety::read_only},
      {"ip -br a", Safety::read_only},
      {"ip -4 addr show dev eth0", Safety::read_only},
      {"ip r sh table all", Safety::read_only},
      {"ip r get 1.1.1.1", Safety::read_only},
      {"ip -s link ls", Safety::read_only},
      {"ip link show lo", Safety::read_only},
      {"ip monitor route", Safety::read_only},
      {"ip netns exec blue rm -rf /data", Safety::destructive},
      {"ip net e blue ip a", Safety::read_only},
      {"ip -all netns exec ip a", Safety::mutating},
      // mount: only bare mount and mount -l list.
      {"mount -a", Safety::mutating},
      {"mount --all", Safety::mutating},
      {"mount -av", Safety::mutating},
      {"mount -o remount,rw /", Safety::mutating},
      {"mount --bind /a /b", Safety::mutating},
      {"mount", Safety::read_only},
      {"mount -l", Safety::read_only},
      // script writes its typescript unless that is /dev/null; its -c command is rated.
      {"script -c id out.log", Safety::mutating},
      {"script -c id", Safety::mutating},
      {"script", Safety::mutating},
      {"script out.log", Safety::mutating},
      {"script -q -c id -O /tmp/x /dev/null", Safety::mutating},
      {"script -q -c id --log-out=/tmp/x", Safety::mutating},
      {"script -q -c id -T /tmp/timing /dev/null", Safety::mutating},
      {"script -q -c 'rm -rf /data' /dev/null", Safety::destructive},
      {"script -q -c 'kubectl get pods' /dev/null", Safety::read_only},
      {"script -q -c 'kubectl get pods' -O /dev/null", Safety::read_only},
  });
}

TEST_CASE("hostile review #13 round 6c: counts of zero however Go reads them, code loaded from a path, curl --next and bodies", "[model][safety]") {
  check_levels({
      {"kubectl scale deploy/api --replicas=0x0", Safety::destructive},
      {"kubectl scale deploy/api --replicas=0b0", Safety::destructive},
      {"kubectl scale deploy/api --replicas=0o0", Safety::destructive},
      {"kubectl scale deploy/api --replicas=0_0", Safety::destructive},
      {"kubectl scale deploy/api --replicas=-0", Safety::destructive},
      {"oc scale deploy/api --replicas 0X00", Safety::destructive},
      {"kubectl scale deploy/api --replicas=$N", Safety::destructive},
      {"kubectl scale deploy/api --replicas=3", Safety::mutating},
      {"kubectl scale deploy/api --replicas=010", Safety::mutating},
      {"docker compose up -d --scale web=0x0", Safety::destructive},
      {"docker-compose scale web=-0", Safety::destructive},
      {"docker compose up -d --scale web=2", Safety::mutating},
      // Native code or configuration from a path.
      {"openssl x509 -in c.pem -noout -provider ./evil", Safety::mutating},
      {"openssl s_client -connect 127.0.0.1:443 -provider-path /tmp -provider x", Safety::mutating},
      {"openssl version -config ./evil.cnf", Safety::mutating},
      {"openssl x509 -in c.pem -noout -engine ./evil.so", Safety::mutating},
      {"openssl x509 -in c.pem -noout", Safety::read_only},
      {"curl --engine ./evil.so https://example.invalid/", Safety::mutating},
      {"curl --key-type ENG --key k https://example.invalid/", Safety::mutating},
      {"curl --key-type=eng https://example.invalid/", Safety::mutating},
      {"ssh -I /tmp/evil.so db1 uptime", Safety::mutating},
      {"ssh -o PKCS11Provider=/tmp/evil.so db1 uptime", Safety::mutating},
      {"ssh -opkcs11provider=/tmp/evil.so db1 uptime", Safety::mutating},
      {"ssh -o 'SecurityKeyProvider /tmp/evil.so' db1 uptime", Safety::mutating},
      {"ssh -oSECURITYKEYPROVIDER=/tmp/evil.so db1 uptime", Safety::mutating},
      {"ssh -o RemoteCommand='rm -rf /data' db1", Safety::destructive},
      {"ssh -oremotecommand='systemctl restart nginx' db1", Safety::mutating},
      {"ssh -o 'RemoteCommand uptime' db1", Safety::read_only},
      {"ssh db1 uptime", Safety::read_only},
      {"mysql --init-command='DROP TABLE t' -e 'SELECT 1'", Safety::mutating},
      {"mysql --init_command='DROP TABLE t' -e 'SELECT 1'", Safety::mutating},
      {"mysql --plugin-dir=/tmp -e 'SELECT 1'", Safety::mutating},
      {"mariadb --default-auth=evil -e 'SELECT 1'", Safety::mutating},
      {"mysql --defaults-file=./my.cnf -e 'SELECT 1'", Safety::mutating},
      {"mysql --defaults-extra-file=./my.cnf -e 'SELECT 1'", Safety::mutating},
      {"mysql --tee=/tmp/out -e 'SELECT 1'", Safety::mutating},
      {"mysql --pager='sh -c id' -e 'SELECT 1'", Safety::mutating},
      {"mysql --loose-init-command='DROP TABLE t' -e 'SELECT 1'", Safety::mutating},
      {"mysql -e 'SELECT 1'", Safety::read_only},
      // curl: every transfer after --next is rated; a body is not a read whatever -X says.
      {"curl http://127.0.0.1/ --next -X DELETE http://127.0.0.1/x", Safety::destructive},
      {"curl -X DELETE http://127.0.0.1/x --next -X GET http://127.0.0.1/", Safety::destructive},
      {"curl http://127.0.0.1/ -: -d a=b http://127.0.0.1/x", Safety::mutating},
      {"curl http://127.0.0.1/ --next http://127.0.0.1/y", Safety::read_only},
      {"curl -X GET -d x http://127.0.0.1/", Safety::mutating},
      {"curl -XGET --data-raw x http://127.0.0.1/", Safety::mutating},
      {"curl -X HEAD -F a=b http://127.0.0.1/", Safety::mutating},
      {"curl -X GET -T f http://127.0.0.1/", Safety::mutating},
  });
}

TEST_CASE("hostile review #13 round 6c: make runs recipes, git repositories named by option, journal writers, env -S, remote tar", "[model][safety]") {
  check_levels({
      {"make docker-health", Safety::mutating},
      {"make status", Safety::mutating},
      {"make -n deploy", Safety::mutating},
      {"gmake check", Safety::mutating},
      {"bmake list", Safety::mutating},
      {"make", Safety::mutating},
      {"make drop-db", Safety::destructive},
      {"gmake -n purge-cache", Safety::destructive},
      {"git -C evil.git --bare diff", Safety::mutating},
      {"git --work-tree=/srv/app status", Safety::mutating},
      {"git --work-tree /srv/app status", Safety::mutating},
      {"git status", Safety::read_only},
      {"journalctl --cursor-file=/tmp/c -u nginx", Safety::mutating},
      {"journalctl --cursor-f=/tmp/c -u nginx", Safety::mutating},
      {"journalctl --cursor=abc -u nginx", Safety::read_only},
      {"journalctl --smart-relinquish-var", Safety::mutating},
      {"journalctl --relinquish-var", Safety::mutating},
      {"journalctl --flush", Safety::mutating},
      {"journalctl --sync", Safety::mutating},
      {"journalctl --rotate", Safety::destructive},
      {"journalctl --vacuum-size=1M", Safety::destructive},
      {"journalctl --vac=1d", Safety::destructive},
      {"env -S 'rm -rf /data'", Safety::destructive},
      {"env -S'rm -rf /data'", Safety::destructive},
      {"env -vS'rm -rf /data'", Safety::destructive},
      {"env -vS 'rm -rf /data'", Safety::destructive},
      {"env --split-string='rm -rf /data'", Safety::destructive},
      {"env --split-string 'rm -rf' /data", Safety::destructive},
      {"env -u HOME -S 'kubectl get pods'", Safety::read_only},
      {"env -S 'kubectl delete pod api-0'", Safety::destructive},
      {"tar -tf backup:/srv/a.tar", Safety::mutating},
      {"tar -tvf backup:/srv/a.tar", Safety::mutating},
      {"tar tf backup:/srv/a.tar", Safety::mutating},
      {"tar --file=backup:/srv/a.tar -t", Safety::mutating},
      {"tar -tf backup:/srv/a.tar --force-local", Safety::read_only},
      {"tar -tf /srv/a:b.tar", Safety::read_only},
      {"tar -tf a.tar", Safety::read_only},
  });
}

TEST_CASE("hostile review #13 round 6c: SQL that locks rows, waits or decides prepared transactions", "[model][safety]") {
  check_levels({
      {"psql -c \"COMMIT PREPARED 'tx1'\"", Safety::destructive},
      {"psql -c \"rollback prepared 'tx1'\"", Safety::destructive},
      {"psql -c 'COMMIT'", Safety::read_only},
      {"psql -c 'SELECT * FROM jobs FOR UPDATE'", Safety::mutating},
      {"psql -c 'SELECT * FROM jobs WHERE id = 1 FOR NO KEY UPDATE SKIP LOCKED'", Safety::mutating},
      {"psql -c 'SELECT * FROM jobs FOR SHARE'", Safety::mutating},
      {"psql -c 'SELECT * FROM jobs FOR KEY SHARE NOWAIT'", Safety::mutating},
      {"psql -c 'SELECT * FROM jobs'", Safety::read_only},
      {"mysql -e \"SELECT GET_LOCK('deploy', 10)\"", Safety::mutating},
      {"mysql -e 'SELECT SLEEP(100)'", Safety::mutating},
      {"mysql -e 'SELECT BENCHMARK(100000000, MD5(1))'", Safety::mutating},
      {"mysql -e 'SELECT 1 FROM t WHERE id = 1 AND sleep(5)'", Safety::mutating},
      {"mysql -e 'SELECT count(*) FROM t'", Safety::read_only},
  });
}

TEST_CASE("hostile review #13 round 7: ssh option clusters, psql calls to the database's own functions, options from the environment", "[model][safety]") {
  check_levels({
      // ssh, scp and sftp options read as OpenSSH's getopt reads clusters.
      {"ssh -vo ProxyCommand=x db1 uptime", Safety::mutating},
      {"ssh -vopkcs11provider=/tmp/evil.so db1 uptime", Safety::mutating},
      {"ssh -qvo 'LocalCommand touch x' -o PermitLocalCommand=yes db1", Safety::mutating},
      {"ssh -vE /tmp/log db1 uptime", Safety::mutating},
      {"ssh -vEfile db1 uptime", Safety::mutating},
      {"ssh -4F ./evil_config db1 uptime", Safety::mutating},
      {"ssh -p22 -vi key db1 uptime", Safety::read_only},
      {"ssh db1 grep -o pattern /var/log/syslog", Safety::read_only},  // the remote grep's -o is not ssh's
      {"scp -rS ./prog a db1:/tmp", Safety::mutating},
      {"sftp -b ./batch db1", Safety::mutating},
      {"sftp -vD ./server db1", Safety::mutating},
      // s7c review: ssh reads options after the host too, up to the remote command; tunnels listen.
      {"ssh web1 -v -o ProxyCommand=x uptime", Safety::mutating},
      {"ssh web1 -vE /tmp/log uptime", Safety::mutating},
      {"ssh -L 0.0.0.0:8080:db:5432 web1 uptime", Safety::mutating},
      {"ssh -L '*:8080:db:5432' web1", Safety::mutating},
      {"ssh -L :8080:db:5432 web1", Safety::mutating},
      {"ssh -vL \"$X\" web1 uptime", Safety::mutating},
      {"ssh -gL 8080:db:5432 web1", Safety::mutating},
      {"ssh -qD 0.0.0.0:1080 web1", Safety::mutating},
      {"ssh -R 9000:localhost:22 web1 uptime", Safety::mutating},
      {"ssh -L 8080:db:5432 web1 uptime", Safety::read_only},  // a listener on this machine's loopback
      {"ssh -N -L 127.0.0.1:6060:localhost:9236 file-03", Safety::read_only},
      {"ssh -L '[::1]:6060:localhost:9236' file-03", Safety::read_only},
      {"ssh -D localhost:5000 worker1", Safety::read_only},
      {"ssh web1 uptime -o x", Safety::read_only},
      // s7d review D3: a wrapper's own options that act by themselves.
      {"strace -f -e inject=all:signal=KILL -p 1234", Safety::mutating},
      {"strace -einject=write:retval=0 ls", Safety::mutating},
      {"strace --expr=fault=open ls", Safety::mutating},
      {"strace --inject=write:retval=0 -p 1", Safety::mutating},
      {"strace -e trace=open -p 1234", Safety::read_only},
      {"strace ls -e inject", Safety::read_only},
      {"systemd-run -p ExecStartPost=/tmp/x true", Safety::mutating},
      {"systemd-run --on-calendar=hourly ls", Safety::mutating},
      {"sudo -b ls", Safety::mutating},
      {"valgrind --log-socket=127.0.0.1:1500 ls", Safety::mutating},
      {"tsh ssh --proxy=evil.example node1 uptime", Safety::mutating},
      {"gcloud compute ssh vm1 --ssh-flag=-oProxyCommand=x --command=uptime", Safety::mutating},
      {"bundle exec --gemfile=evil/Gemfile ls", Safety::mutating},
      // psql runs what the database defines: a call outside pg_catalog's functions may write.
      {"psql -c 'SELECT public.archive_orders()'", Safety::mutating},
      {"psql -c 'SELECT archive_orders(30)'", Safety::mutating},
      {"psql -Xc 'SELECT \"Archive\"()'", Safety::mutating},
      {"psql -c 'SELECT pg_catalog.now(), public.now()'", Safety::mutating},
      {"psql <<SQL\nSELECT my_fn(1);\nSQL", Safety::mutating},
      {"psql -c \"SELECT count(*), pg_size_pretty(pg_database_size('shop')) FROM orders\"", Safety::read_only},
      {"psql -c 'WITH t(a) AS (SELECT 1) SELECT a FROM t'", Safety::read_only},
      {"psql -c 'SELECT x::varchar(10), cast(1 AS numeric(10,2)), coalesce(x, 0) FROM generate_series(1, 3) AS g(x)'", Safety::read_only},
      {"psql -c 'SELECT now() - pg_last_xact_replay_timestamp() AS lag WHERE x IN (1, 2) AND EXISTS (SELECT 1)'", Safety::read_only},
      // Options and programs read from the environment.
      {"LESS=Olog less /etc/hostname", Safety::mutating},
      {"export FZF_DEFAULT_COMMAND='touch x'", Safety::mutating},
      {"RSYNC_RSH=./x rsync -n a b:", Safety::mutating},
      // Variables named at run time, name references, and the server a tool talks to.
      {"p=http_proxy; export \"$p\"; curl -s http://127.0.0.1/", Safety::mutating},
      {"export $NAME=x", Safety::mutating},
      {"declare -n r=http_proxy; export r", Safety::mutating},
      {"local -n ref=PATH", Safety::mutating},
      // The server a tool talks to: a value never picks it (runner), an author writing it changes nothing.
      {"export https_proxy=http://127.0.0.1:3128", Safety::read_only},
      {"CLOUDSDK_PYTHON=/tmp/x gcloud version", Safety::mutating},
      {"SVN_SSH=./x svn ls svn+ssh://h/r", Safety::mutating},
      {"export NAMESPACE=prod", Safety::read_only},
      {"declare -i n=3", Safety::read_only},
  });
}

TEST_CASE("hostile review s7a #1: a wrapper's options are its own: one opsbook does not know makes the command mutating", "[model][safety]") {
  check_levels({
      // The value of a listed option is never read as the command.
      {"env -u cat rm -f /tmp/victim", Safety::destructive},
      {"env -u cat -- rm -f /tmp/victim", Safety::destructive},
      {"env --unset=X -u cat touch /tmp/f", Safety::mutating},
      {"env --ignore-environment --unset cat touch /tmp/f", Safety::mutating},
      {"env -C cat rm -rf /x", Safety::destructive},
      {"env -C /tmp cat rm -rf /x", Safety::read_only},  // cat runs, with rm as its operand
      {"env --chdir /tmp rm -rf /x", Safety::destructive},
      {"exec -a cat touch /tmp/f", Safety::mutating},
      {"exec -c -a cat touch /tmp/f", Safety::mutating},
      {"builtin exec -a cat touch /tmp/f", Safety::mutating},
      {"xargs --process-slot-var cat touch /tmp/f", Safety::mutating},
      {"xargs --max-chars 100 rm", Safety::destructive},
      {"xargs -s 100 rm", Safety::destructive},
      {"xargs -L 1 -P 4 rm", Safety::destructive},
      {"xargs -d '\\n' rm", Safety::destructive},
      {"xargs -E END rm", Safety::destructive},
      {"xargs -n1 -I{} rm {}", Safety::destructive},
      {"sudo --chdir cat rm -rf /x", Safety::destructive},
      {"sudo -D cat rm -rf /x", Safety::destructive},
      {"sudo --prompt cat rm -rf /x", Safety::destructive},
      {"sudo -r cat -t cat rm -rf /x", Safety::destructive},
      {"sudo -h cat rm -rf /x", Safety::destructive},
      {"sudo -T 10 -U cat rm -rf /x", Safety::destructive},
      {"sudo --close-from 3 --host h --role r --type t --other-user u rm -rf /x", Safety::destructive},
      {"sudo -iu postgres rm -rf /x", Safety::destructive},
      {"doas -u cat rm -rf /x", Safety::destructive},
      {"timeout -k 5 -s KILL 10 rm -rf /x", Safety::destructive},
      {"stdbuf -o L rm -rf /x", Safety::destructive},
      {"strace -e trace=open -s 200 rm -rf /x", Safety::destructive},
      // An option the table does not list: its value may be the command.
      {"env --frobnicate cat rm -f /tmp/victim", Safety::mutating},
      {"sudo --frob cat ls", Safety::mutating},
      {"xargs --frob cat ls", Safety::mutating},
      {"nohup --frob cat ls", Safety::mutating},
      {"watch --frob cat ls", Safety::mutating},
      {"docker exec --frob x db ls", Safety::mutating},
      // Listed options keep a read a read.
      {"sudo -u postgres psql -c 'SELECT 1'", Safety::read_only},
      {"sudo -E -H -n ls /root", Safety::read_only},
      // env -i drops what opsbook sets for every snippet (GIT_CONFIG_*): a tool that relies on it is
      // mutating there (s8c R1, s10a B5); ls relies on none of it, a script of the checkout is a path.
      {"env -i LANG=C ls", Safety::read_only},
      {"env -i LANG=C git log", Safety::mutating},
      {"env -i LANG=C ./report.sh", Safety::mutating},
      {"xargs -0 -r -n 1 cat", Safety::read_only},
      {"nice -n 10 ionice -c 3 ls", Safety::read_only},
      {"nice -10 ls", Safety::read_only},
      {"timeout --foreground 5 kubectl get pods", Safety::read_only},
      {"docker exec -it -u postgres db psql -c 'SELECT 1'", Safety::read_only},
      {"docker compose exec -T db psql -c 'SELECT 1'", Safety::read_only},
      {"watch -n 5 -d kubectl get pods", Safety::read_only},
      {"screen -ls", Safety::read_only},
      // Options that write or act on running processes.
      {"/usr/bin/time -o /tmp/t.txt ls", Safety::mutating},
      {"ionice -c 3 -p 1234", Safety::mutating},
      {"valgrind --log-file=/tmp/v.log ls", Safety::mutating},
  });
}

TEST_CASE("hostile review s7a #2 and #9: redis-cli options are its own, Redis words in any case", "[model][safety]") {
  check_levels({
      // The value of each option is not the command.
      {"redis-cli -p 6379 -d GET FLUSHALL", Safety::destructive},
      {"redis-cli -D x FLUSHALL", Safety::destructive},
      {"redis-cli -t 5 FLUSHDB", Safety::destructive},
      {"redis-cli --pattern GET SET canary 1", Safety::mutating},
      {"redis-cli --quoted-pattern GET SET canary 1", Safety::mutating},
      {"redis-cli --count GET DEL k", Safety::destructive},
      {"redis-cli --count 10 GET k", Safety::read_only},
      {"redis-cli --memkeys-samples GET DEL k", Safety::destructive},
      {"redis-cli --tls-ciphers GET --tls-ciphersuites GET DEL k", Safety::destructive},
      {"redis-cli --askpass DEL k", Safety::destructive},
      {"redis-cli -X tag SET k v", Safety::mutating},
      // Options that write, send what they read, or run code.
      {"redis-cli --rdb /tmp/dump.rdb", Safety::mutating},
      {"redis-cli --functions-rdb /tmp/f.rdb", Safety::mutating},
      {"redis-cli --pipe < cmds.txt", Safety::mutating},
      {"redis-cli --lru-test 1000", Safety::mutating},
      {"redis-cli --eval script.lua k , v", Safety::mutating},
      // An option it does not list: what it sends is not known.
      {"redis-cli --frobnicate GET FLUSHALL", Safety::mutating},
      {"redis-cli --frobnicate GET k", Safety::mutating},
      // A command's arguments are data, not modes.
      {"redis-cli SET --stat 1", Safety::mutating},
      {"redis-cli DEL --bigkeys", Safety::destructive},
      // Any case, options of a command included.
      {"redis-cli SORT srclist Store dst", Safety::mutating},
      {"redis-cli sort srclist StOrE dst", Safety::mutating},
      {"redis-cli sort srclist store dst", Safety::mutating},
      {"redis-cli FlushAll", Safety::destructive},
      {"redis-cli <<EOF\nsort k limit 0 1 sToRe d\nEOF", Safety::mutating},
      // Reads stay reads.
      {"redis-cli -h 127.0.0.1 -p 6379 -n 2 --raw GET k", Safety::read_only},
      {"redis-cli --scan --pattern 'user:*' --count 100", Safety::read_only},
      {"redis-cli --bigkeys -i 0.1", Safety::read_only},
      {"redis-cli sort jobs limit 0 10", Safety::read_only},
      {"redis-cli --tls --cacert ca.pem -u redis://r1:6380 INFO", Safety::read_only},
  });
}

TEST_CASE("hostile review s7a #3: tar reads only with -t/--list or -d/--diff: every other operation writes", "[model][safety]") {
  check_levels({
      {"tar --get -f a.tar -C /tmp/c", Safety::mutating},
      {"tar --ge -f a.tar", Safety::mutating},
      {"tar -A -f cat.tar a.tar", Safety::mutating},
      {"tar --catenate -f cat.tar a.tar", Safety::mutating},
      {"tar --concatenate -f cat.tar a.tar", Safety::mutating},
      {"tar -uf u.tar f", Safety::mutating},
      {"tar --update -f u.tar f", Safety::mutating},
      {"tar -rf r.tar f", Safety::mutating},
      {"tar --append -f r.tar f", Safety::mutating},
      {"tar rf r.tar f", Safety::mutating},
      {"tar Af cat.tar a.tar", Safety::mutating},
      {"tar --delete -f d.tar f.txt", Safety::destructive},
      {"tar --delet -f d.tar f.txt", Safety::destructive},
      {"tar -f a.tar", Safety::mutating},
      // Options that write a file or run a program, whatever the operation.
      {"tar --volno-file=/tmp/volno -tf a.tar", Safety::mutating},
      {"tar --volno-file /tmp/volno -tf a.tar", Safety::mutating},
      {"tar --index-file=/tmp/i -tvf a.tar", Safety::mutating},
      {"tar -g /tmp/snap -tf a.tar", Safety::mutating},
      {"tar --listed-incremental=/tmp/snap -tf a.tar", Safety::mutating},
      {"tar -tf a.tar --to-command='sh -c id'", Safety::mutating},
      {"tar -tf a.tar --info-script=./x", Safety::mutating},
      {"tar -tf a.tar -F ./x", Safety::mutating},
      {"tar -tf a.tar --rmt-command=./x", Safety::mutating},
      {"tar -tf a.tar --rsh-command=./x", Safety::mutating},
      {"tar -I ./x -tf a.tar", Safety::mutating},
      {"tar --use-compress-program=./x -tf a.tar", Safety::mutating},
      // Reads.
      {"tar -tzf backup.tgz", Safety::read_only},
      {"tar tvzf backup.tgz", Safety::read_only},
      {"tar --list --file=backup.tar", Safety::read_only},
      {"tar -df backup.tar -C /", Safety::read_only},
      {"tar --diff -f backup.tar", Safety::read_only},
      {"tar --compare -f backup.tar", Safety::read_only},
      {"tar --version", Safety::read_only},
  });
}

TEST_CASE("hostile review s7a #4: every perf subcommand that runs a command wraps it: an unknown one is mutating", "[model][safety]") {
  check_levels({
      {"perf sched record touch /tmp/f", Safety::mutating},
      {"perf sched record rm -rf /tmp/x", Safety::destructive},
      {"perf kmem record rm -rf /tmp/x", Safety::destructive},
      {"perf mem record rm -rf /tmp/x", Safety::destructive},
      {"perf lock record rm -rf /tmp/x", Safety::destructive},
      {"perf c2c record rm -rf /tmp/x", Safety::destructive},
      {"perf kvm record rm -rf /tmp/x", Safety::destructive},
      {"perf kvm --host record rm -rf /tmp/x", Safety::destructive},
      {"perf kvm stat record rm -rf /tmp/x", Safety::destructive},
      {"perf timechart record rm -rf /tmp/x", Safety::destructive},
      {"perf trace record rm -rf /tmp/x", Safety::destructive},
      {"perf stat record rm -rf /tmp/x", Safety::destructive},
      {"perf script record syscall-counts rm -rf /tmp/x", Safety::destructive},
      {"perf ftrace rm -rf /tmp/x", Safety::destructive},
      {"perf ftrace -T vfs_read rm -rf /tmp/x", Safety::destructive},
      {"perf ftrace latency -T schedule rm -rf /tmp/x", Safety::destructive},
      {"perf trace rm -rf /tmp/x", Safety::destructive},
      {"perf stat -e cycles rm -rf /tmp/x", Safety::destructive},
      {"perf record -g -- rm -rf /tmp/x", Safety::destructive},
      {"perf lock contention -b rm -rf /tmp/x", Safety::destructive},
      // An unknown subcommand may run anything; a recording into ./perf.data is a diagnostic's
      // own file (-o FILE is not).
      {"perf record -g -p 1234 sleep 5", Safety::read_only},
      {"perf sched record sleep 1", Safety::read_only},
      {"perf sched record -o /tmp/p.data sleep 1", Safety::mutating},
      {"perf bench sched all", Safety::mutating},
      {"perf frobnicate touch /tmp/x", Safety::mutating},
      {"perf daemon start", Safety::mutating},
      // Reads.
      {"perf top -p 1234", Safety::read_only},
      {"perf stat -p 1234 sleep 5", Safety::read_only},
      {"perf report --stdio", Safety::read_only},
      {"perf list", Safety::read_only},
      {"perf sched latency", Safety::read_only},
      {"perf mem report", Safety::read_only},
  });
}

TEST_CASE("hostile review s7a #5: a read word does not outweigh the tool, a verb that changes, or an option that writes", "[model][safety]") {
  check_levels({
      // vim under any name runs Ex commands.
      {"view -es -c '!touch /tmp/viewc' -c q", Safety::mutating},
      {"view +'!touch /tmp/x' /etc/hosts", Safety::mutating},
      {"rview -c 'w! /etc/hosts' /tmp/x", Safety::mutating},
      {"gview -S evil.vim /etc/hosts", Safety::mutating},
      {"vi -c '!touch /tmp/x'", Safety::mutating},
      {"ex -c '!touch /tmp/x' /etc/hosts", Safety::mutating},
      {"echo '!touch /tmp/x' | view -es", Safety::mutating},
      {"nvim --headless +q", Safety::mutating},
      // A read word in the tool's name does not outweigh an option that writes.
      {"status --apply", Safety::mutating},
      // A verb that changes outweighs a read word beside it.
      {"supervisorctl restart status", Safety::mutating},
      {"supervisorctl stop all", Safety::mutating},
      {"mytool restart status", Safety::mutating},
      {"appctl start check", Safety::mutating},
      // Options that say they repair, apply, force or write.
      {"btrfs check --repair /dev/sda1", Safety::mutating},
      {"mytool check --fix", Safety::mutating},
      {"mytool status --apply=true", Safety::mutating},
      {"mytool show --force", Safety::mutating},
      {"mytool verify --auto-repair", Safety::mutating},
      {"kubectl krew list --force", Safety::mutating},
      // Reads stay reads.
      {"view /var/log/syslog", Safety::read_only},
      {"supervisorctl status", Safety::read_only},
      {"supervisorctl -c /etc/supervisor.conf status app", Safety::read_only},
      {"btrfs check /dev/sda1", Safety::read_only},
      {"check_disk.sh -w 80 -c 90 /", Safety::read_only},
      {"mytool status --verbose", Safety::read_only},
      {"mytool get pods -- --force", Safety::read_only},
  });
  auto v = classify_shell_command("view /var/log/syslog");
  CHECK(v.interactive);
}

TEST_CASE("hostile review s7a #8: options and subcommands that write files", "[model][safety]") {
  check_levels({
      {"strace --output=/tmp/straceout true", Safety::mutating},
      {"strace --output /tmp/straceout true", Safety::mutating},
      {"strace --outp=/tmp/straceout true", Safety::mutating},
      {"ltrace --output=/tmp/o true", Safety::mutating},
      {"blkid --cache-file /tmp/c", Safety::mutating},
      {"arp --file /tmp/ethers", Safety::mutating},
      {"openssl rehash /tmp/certs", Safety::mutating},
      {"c_rehash /tmp/certs", Safety::mutating},
      {"openssl ocsp -issuer c.pem -serial 1 -reqout /tmp/ocspreq -no_nonce", Safety::mutating},
      {"openssl ocsp -respin r.der -respout /tmp/r", Safety::mutating},
      {"openssl cms -verify -in m.p7m -certsout /tmp/certs.pem", Safety::mutating},
      {"openssl smime -verify -in m.p7m -signer /tmp/signer.pem", Safety::mutating},
      {"openssl cmp -cmd ir -certout /tmp/c -extracertsout /tmp/e -cacertsout /tmp/ca -rspout /tmp/r", Safety::mutating},
      {"openssl x509 -in c.pem --out=/tmp/c.der", Safety::mutating},
      {"openssl ocsp -port 8888 -index index.txt -CA ca.pem -rsigner r.pem -rkey r.key", Safety::mutating},
      {"terraform -chdir=/tmp/tf plan -out=/tmp/tfplan", Safety::mutating},
      {"terraform plan -out /tmp/tfplan", Safety::mutating},
      {"terraform plan --out=/tmp/tfplan", Safety::mutating},
      // Reads.
      {"openssl x509 -in c.pem -noout -text", Safety::read_only},
      {"openssl s_client -connect db1:443 -timeout </dev/null", Safety::read_only},
      {"openssl smime -sign -in m -signer c.pem -inkey k.pem", Safety::read_only},
      {"strace -c -f true", Safety::read_only},
      {"terraform -chdir=/tmp/tf plan", Safety::read_only},
  });
}

TEST_CASE("hostile review s7a #12: credentials, contexts and exposed ports", "[model][safety]") {
  check_levels({
      {"amtool silence update 8c1e --duration 2h", Safety::mutating},
      {"amtool alert update x", Safety::mutating},
      {"kubectx -u", Safety::mutating},
      {"kubectx --unset", Safety::mutating},
      {"kubectx -d old", Safety::mutating},
      {"kubectx -", Safety::mutating},
      {"kubens prod", Safety::mutating},
      {"kubens -", Safety::mutating},
      {"kubectl proxy --address=0.0.0.0 --accept-hosts='.*' --disable-filter=true", Safety::mutating},
      {"kubectl proxy --address 0.0.0.0", Safety::mutating},
      {"kubectl proxy --accept-hosts='.*'", Safety::mutating},
      {"kubectl proxy --disable-filter", Safety::mutating},
      {"kubectl proxy --reject-paths=''", Safety::mutating},
      {"oc proxy --address=10.0.0.5", Safety::mutating},
      {"kubectl -n prod port-forward --address 0.0.0.0 svc/db 5432:5432", Safety::mutating},
      {"kubectl port-forward --address=localhost,10.0.0.5 svc/db 5432", Safety::mutating},
      {"gcloud container clusters get-credentials prod --region eu-west1", Safety::mutating},
      {"gcloud --project p container fleet memberships get-credentials m", Safety::mutating},
      {"az aks get-credentials -g rg -n prod", Safety::mutating},
      {"vault read database/creds/readonly", Safety::mutating},
      {"vault read -field=password db-prod/creds/app", Safety::mutating},
      {"vault read aws/sts/deploy", Safety::mutating},
      {"vault read aws/creds/deploy", Safety::mutating},
      {"vault read gcp/roleset/r/token", Safety::mutating},
      {"vault read gcp/key/r", Safety::mutating},
      {"vault write ssh/creds/otp ip=10.0.0.5", Safety::mutating},
      {"vault write auth/approle/login role_id=x", Safety::mutating},
      {"vault delete secret/app", Safety::destructive},
      // Reads.
      {"amtool silence query", Safety::read_only},
      {"kubectx", Safety::read_only},
      {"kubectx -c", Safety::read_only},
      {"kubens", Safety::read_only},
      {"kubectl proxy", Safety::read_only},
      {"kubectl proxy --address=127.0.0.1 --port=8001", Safety::read_only},
      {"kubectl proxy --disable-filter=false", Safety::read_only},
      {"kubectl port-forward --address localhost,127.0.0.1,::1 svc/api 8080:80", Safety::read_only},
      {"gcloud container clusters list", Safety::read_only},
      {"vault read secret/app", Safety::read_only},
      {"vault read auth/token/lookup-self", Safety::read_only},
      {"vault read sys/mounts", Safety::read_only},
  });
}

// s9a review B4: psql's \gexec runs the values of a result as SQL, and `:q` after \gset runs a
// variable as a statement: the text never shows the DROP, so the gates must be the destructive ones.
TEST_CASE("psql: SQL made at run time by gexec or run from a variable is destructive (s9a review B4)", "[model][safety][psql]") {
  check_levels({
      {"psql \"$APP_DSN\" -X <<'SQL'\nselect format('dr%s table %s','op','orders') \\gexec\nSQL", Safety::destructive},
      {"psql \"$APP_DSN\" -X <<'SQL'\nselect 'drop table orders' \\gexec\nSQL", Safety::destructive},
      {"psql \"$APP_DSN\" -X <<'SQL'\nselect 'drop table orders' as q \\gset\n:q;\nSQL", Safety::destructive},
      {"psql -c 'select 1' -c ':q'", Safety::destructive},
      {"psql \"$APP_DSN\" -X <<'SQL'\nselect count(*) as n from orders \\gset\n\\echo :n\nSQL", Safety::mutating},
      {"psql <<'SQL'\nSELECT count(*) FROM orders;\nSQL", Safety::read_only},
  });
}

// s10a review B1-B4: each of these ran under `opsbook run` with no prompt (read-only) or past the
// destructive gate (mutating) against a real psql: a second backslash command on a line, \; and
// \\ back to SQL, :q spliced into a statement, \copy with " to stdout" in its text.
TEST_CASE("psql: every backslash command on a line, SQL after backslash-semicolon and a double backslash, variables in statements, copy targets (s10a B1-B4)", "[model][safety][psql]") {
  check_levels({
      {"psql \"$DSN\" -X <<'SQL'\n\\x \\! touch /tmp/m1\nSQL", Safety::mutating},
      {"psql \"$DSN\" -X <<'SQL'\n\\pset format aligned \\o /tmp/m2\nselect 1;\nSQL", Safety::mutating},
      {"psql \"$DSN\" -X <<'SQL'\n\\echo hi \\\\ \\! touch F\nSQL", Safety::mutating},
      {"psql \"$DSN\" -X <<'SQL'\nselect 1; \\x \\! touch F\nSQL", Safety::mutating},
      {"psql \"$DSN\" -X <<'SQL'\n\\x \\; drop table victim;\nSQL", Safety::destructive},
      {"psql \"$DSN\" -X <<'SQL'\nselect 1 \\; drop table victim;\nSQL", Safety::destructive},
      {"psql \"$DSN\" -X <<'SQL'\n\\echo hi \\\\ drop table victim;\nSQL", Safety::destructive},
      {"echo '\\x \\! touch F' | psql \"$DSN\"", Safety::mutating},
      {"psql \"$DSN\" <<< '\\timing on \\! touch F'", Safety::mutating},
      {"psql \"$DSN\" -X -v q='; drop table victim' <<'SQL'\nselect 1 :q;\nSQL", Safety::destructive},
      {"psql \"$DSN\" -X -v q='analyze delete from victim' <<'SQL'\nexplain :q;\nSQL", Safety::destructive},
      {"psql \"$DSN\" -c 'select * from orders where id = :id'", Safety::destructive},
      {"psql \"$DSN\" -X -c \"\\copy (select ' to stdout ') to program 'touch /tmp/c3'\"", Safety::destructive},
      {"psql \"$DSN\" -X -c \"\\copy (select 'pwn') to '/tmp/c2' -- to stdout\"", Safety::destructive},
      {"psql \"$DSN\" -X -c \"\\copy stdout to '/tmp/c4'\"", Safety::mutating},
      {"psql \"$DSN\" -X -c \"\\copy (delete from orders returning id) to stdout\"", Safety::destructive},
      {"psql \"$DSN\" -X -c \"COPY stdout TO '/tmp/c5'\"", Safety::mutating},
      // s10c review B1-B7: psql's \copy reader, readings changed by settings, option prefixes, the
      // last assignment, variable names that start with a digit, negative numbers, digit names.
      {"psql \"$DSN\" -X -c \"\\copy (select $$) to program 'touch /tmp/p2' $$) to stdout\"", Safety::destructive},
      {"psql \"$DSN\" -X <<'SQL'\nSET standard_conforming_strings = off;\nselect '\\'' \\! touch /tmp/p3 #\n';\nSQL", Safety::destructive},
      {"psql \"$DSN\" -X <<'SQL'\nselect set_config('standard_conforming_strings', 'off', false);\nSQL", Safety::destructive},
      {"psql \"host=db client_encoding=SJIS\" -X <<'SQL'\nselect 1;\nSQL", Safety::destructive},
      {"psql \"$DSN\" -X <<'SQL'\n\\encoding SJIS\nselect 1;\nSQL", Safety::destructive},
      {"psql \"$DSN\" -X -v lim=5 --vari=lim='1; drop table t2' <<'SQL'\nselect a from t order by a limit :lim;\nSQL", Safety::destructive},
      {"psql \"$DSN\" -X -v n=5 -v 'n=1; drop table t' <<'SQL'\nselect :n;\nSQL", Safety::destructive},
      {"psql \"$DSN\" -X -v '1abc=;drop table t' <<'SQL'\nselect 1:1abc;\nSQL", Safety::destructive},
      {"psql \"$DSN\" -X -v n=-1 <<'SQL'\nselect 1-:n;\nSQL", Safety::destructive},
      {"psql \"$DSN\" -X -v '1=1]; drop table t; select a[1' <<'SQL'\nselect a[1:1] from t;\nSQL", Safety::destructive},
      {"psql \"$DSN\" -X <<'SQL'\n\\set 1 '1]; drop table t; select a[1'\nselect a[1:1] from t;\nSQL", Safety::destructive},
      {"psql \"$DSN\" -X -v 1=5 <<'SQL'\nselect a[1:1] from t;\nSQL", Safety::read_only},
      {"psql \"$DSN\" -X --vari=lim=<v> <<'SQL'\nselect a from t order by a limit :lim;\nSQL", Safety::read_only},
      {"psql \"$DSN\" -X --set=n=<n> <<'SQL'\nselect :n;\nSQL", Safety::read_only},
      // what stays read-only: quoted variables, casts, slices, a plain \copy out, several shows
      {"psql \"$DSN\" -X -v id=7 -c \"select * from orders where id = :'id'\"", Safety::read_only},
      {"psql \"$DSN\" -X -c 'select now()::date, (array[1,2,3])[1:2]'", Safety::read_only},
      {"psql \"$DSN\" -X -c \"\\copy (select id from orders) to stdout with (format csv, header)\"", Safety::read_only},
      {"psql \"$DSN\" -X -c '\\copy orders to pstdout'", Safety::read_only},
      {"psql \"$DSN\" -X <<'SQL'\n\\x \\timing on\nselect 1;\nSQL", Safety::read_only},
  });
}

// s11a review B11: a line break inside a header ends it, and the bytes after it are a request of
// their own (curl sent GET then DELETE on one connection).
TEST_CASE("an HTTP tool's argument with a line break is not a read (s11a B11)", "[model][safety]") {
  check_levels({
      {"curl -s -H 'X-A: 1\r\n\r\nDELETE /api/users/1 HTTP/1.1\r\nHost: x\r\n' http://127.0.0.1:9/", Safety::mutating},
      {"curl -s -H 'X-A: 1\nDELETE /x HTTP/1.1' http://127.0.0.1:9/", Safety::mutating},
      {"wget -qO- --header 'X: 1\r\nDELETE / HTTP/1.1' http://127.0.0.1:9/", Safety::mutating},
      {"curl -s -H 'Accept: application/json' http://127.0.0.1:9/", Safety::read_only},
  });
}

TEST_CASE("words the shell turns into any words or options take the tool's worst form (s11a review B6)", "[model][safety]") {
  check_levels({
      // The review's snippets: each was one plain operand, read-only.
      {"opts=\"-exec touch /tmp/s11/pwn ;\"; find /tmp/s11 -maxdepth 0 $opts", Safety::mutating},  // read as the runbook wrote it
      {"x='/tmp/s11/victim -delete'; find $x", Safety::destructive},
      {"set -- -delete; find /tmp/s11 \"$@\"", Safety::destructive},
      {"a=(-delete); find /tmp/s11 \"${a[@]}\"", Safety::destructive},
      {"find /tmp/s11 $(echo -delete)", Safety::destructive},
      {"find /tmp/s11 $(cat committed.txt)", Safety::destructive},
      {"m=-XDELETE; curl -s $m http://127.0.0.1/api/users/1", Safety::destructive},
      {"set -- -o F; sort \"$@\" X", Safety::mutating},
      {"cd content && sort *", Safety::mutating},
      // Quoted, one word, but it may start with '-'; an option whose name is not written out.
      {"x=$(cat f); find /tmp/s11 \"$x\"", Safety::destructive},
      {"find /tmp/s11 \"$(cat f)\"", Safety::destructive},
      {"x=-delete; find /tmp/s11 \"$x\"", Safety::destructive},
      {"read -r x < f; sort -\"$x\" a", Safety::mutating},
      {"for f in $(cat list); do curl -s \"$f\"; done", Safety::destructive},
      {"while read -r u; do curl -s $u; done < urls", Safety::destructive},
      {"psql -h db \"$(cat f)\"", Safety::destructive},
      {"sudo $(cat opts) ls", Safety::mutating},
      {"kubectl $(cat verb) pods", Safety::destructive},
      {"journalctl -u $(cat unit)", Safety::destructive},  // unquoted: the value slot holds its first word only
      {"git log ${x:-x}", Safety::mutating},
      {"sort {-ox,a}", Safety::mutating},
      {"ls -l; uniq * ", Safety::mutating},
      {"redis-cli $(cat cmd)", Safety::destructive},
      {"redis-cli SORT k $(cat rest)", Safety::mutating},
      {"find . -exec grep $(cat p) {} \\;", Safety::destructive},  // its words may hold the `;` that ends -exec, then -delete
      {"find . -exec grep \"$(cat p)\" {} \\;", Safety::read_only},
      // Read where the runbook shows it: the value it writes, the system's output, after --, in a value slot.
      {"kubectl get pods -n \"$NS\"", Safety::read_only},
      {"grep \"$PATTERN\" file", Safety::read_only},
      {"cat \"$FILE\"", Safety::read_only},
      {"kubectl get node $NODE -o yaml", Safety::read_only},  // a value opsbook run fills: one word, never an option
      {"NS=$(cat ns); kubectl get pods -n \"$NS\"", Safety::read_only},
      {"x=$(cat f); find /tmp/s11 -name \"$x\"", Safety::read_only},
      {"x=$(cat f); sort -- \"$x\"", Safety::read_only},
      {"x=/tmp/s11; find $x -name '*.log'", Safety::read_only},
      {"for h in web-1 web-2; do ssh \"$h\" uptime; done", Safety::read_only},
      {"for pod in $(kubectl get pods -o name); do kubectl logs $pod; done", Safety::read_only},
      {"kubectl exec -n ns $(kubectl get po -l app=etcd -oname -n ns | awk -F/ 'NR==1{ print $2 }') -- etcdctl endpoint status", Safety::read_only},
      {"curl -s http://127.0.0.1:8500/v1/session/node/$(hostname -s)", Safety::read_only},
      {"curl -s \"http://x/$(date +%s)\"", Safety::read_only},
      {"ls /var/log/*.log", Safety::read_only},
      {"ls [abc]*.log", Safety::read_only},
      {"echo $x $(cat f) *", Safety::read_only},  // echo has no option that writes or runs
      {"redis-cli -h r1 GET \"$(cat key)\"", Safety::read_only},
      // What the system prints is not the runbook's only through filters that read nothing else.
      {"find /tmp/s11 $(kubectl version | cat committed.txt)", Safety::destructive},
      {"find /tmp/s11 $(kubectl version | grep -h -e . committed.txt)", Safety::destructive},
      {"find /tmp/s11 $(ls)", Safety::destructive},
      // ... nor where a word the runbook writes chooses text it prints.
      {"find /tmp/s11 $(date +-delete)", Safety::destructive},
      {"find /tmp/s11 $(seq -s ' -delete ' 1 2)", Safety::destructive},
      {"find /tmp/s11 $(kubectl get ns -o jsonpath=-delete)", Safety::destructive},
      {"find /tmp/s11 $(kubectl get ns -ojsonpath='{\"-delete\"}')", Safety::destructive},
      {"find /tmp/s11 $(kubectl version | awk 'BEGIN{print \"-delete\"}')", Safety::destructive},
      {"find /tmp/s11 $(kubectl version | sed 's/.*/-delete/')", Safety::destructive},
      {"find /tmp/s11 $(kubectl version | jq -r '\"-delete\"')", Safety::destructive},
      {"find /tmp/s11 $(hostname -s)", Safety::read_only},
      {"find /tmp/s11 $(date +%Y-%m-%d)", Safety::read_only},
      {"find /tmp/s11 $(date '+%F %n-delete')", Safety::destructive},
  });
  auto v = classify_shell_command("m=$(cat f); sort $m X");
  CHECK(v.reason == "sort $m: $m may become any words or options when it runs (an expansion or a pattern opsbook cannot read), and sort writes the sorted text to a file (sort -o /etc/hosts.sorted /etc/hosts)");
  CHECK(classify_shell_command("x=-delete; find /tmp/s11 \"$x\"").reason == "find -delete: deletes the files it finds");
}

TEST_CASE("arithmetic and every builtin that assigns a name set it: the git guard holds (s11a review B5)", "[model][safety]") {
  check_levels({
      {"(( GIT_CONFIG_COUNT = 0 )); cd vendor/x && git status --short", Safety::mutating},
      {"echo $((GIT_CONFIG_COUNT=0)); git status", Safety::mutating},
      {"echo $[GIT_CONFIG_COUNT=0]; git status", Safety::mutating},
      {"(( GIT_CONFIG_COUNT-- )); git status", Safety::mutating},
      {"(( --GIT_CONFIG_COUNT )); git status", Safety::mutating},
      {"(( GIT_CONFIG_COUNT += 1 )); git status", Safety::mutating},
      {"((a[0]=GIT_CONFIG_COUNT=0)); git status", Safety::mutating},
      {"[[ GIT_CONFIG_COUNT=0 -eq 0 ]]; git status", Safety::mutating},
      {"[[ 1 -lt GIT_CONFIG_COUNT=0 ]]; git status", Safety::mutating},
      {"for ((GIT_CONFIG_COUNT=0; 0; )); do :; done; git status", Safety::mutating},
      {"declare -i n; n=GIT_CONFIG_COUNT=0; git status", Safety::mutating},
      {"declare -i n=GIT_CONFIG_COUNT=0; git status", Safety::mutating},
      {"a[GIT_CONFIG_COUNT=0]=1; git status", Safety::mutating},
      {"let GIT_CONFIG_COUNT=0; git status", Safety::mutating},
      {"cat <<EOF\n$((GIT_CONFIG_COUNT=0))\nEOF\ngit status", Safety::mutating},
      {"printf -v GIT_CONFIG_COUNT 0; git status", Safety::mutating},
      {"read GIT_CONFIG_COUNT <<< 0; git status", Safety::mutating},
      {"getopts a GIT_CONFIG_COUNT; git status", Safety::mutating},
      {"mapfile GIT_CONFIG_COUNT < f; git status", Safety::mutating},
      // A value made at run time, evaluated as arithmetic again, can assign any name or run a command.
      {"n=$(cat f); echo $((n + 1)); git status", Safety::mutating},
      {"read -r n < f; (( n > 3 )) && echo big", Safety::mutating},
      {"x='GIT_CONFIG_COUNT=0'; echo $((x))", Safety::mutating},
      // Reads, and numbers.
      {"echo $((GIT_CONFIG_COUNT + 1)); git status", Safety::read_only},
      {"[[ $GIT_CONFIG_COUNT == 0 ]] && git status", Safety::read_only},
      {"n=3; echo $((n * 2))", Safety::read_only},
      {"for ((i = 0; i < 3; i++)); do echo $i; done", Safety::read_only},
      {"(( count = 5 )); echo $count", Safety::read_only},
      {"echo $((6039116565.0/(1024.0**3.0)))", Safety::read_only},
  });
  CHECK(classify_shell_command("(( GIT_CONFIG_COUNT = 0 )); git status").reason ==
        "((...)) sets GIT_CONFIG_COUNT, through which the commands it reaches run programs of its choosing");
}

TEST_CASE("a session fed a heredoc runs it, and wrappers that clear the environment or forward the agent are not read-only (s11a review B16, B17)", "[model][safety]") {
  check_levels({
      {"ssh db1 sudo -i <<'EOF'\nrm -rf /data\nEOF", Safety::destructive},
      {"sudo -s <<'EOF'\nrm -rf /data\nEOF", Safety::destructive},
      {"ssh db1 sudo -i <<'EOF'\nuptime\nEOF", Safety::read_only},
      {"script -q -c bash /dev/null <<'EOF'\nrm -rf /data\nEOF", Safety::destructive},
      {"bash -c bash <<'EOF'\nsystemctl restart nginx\nEOF", Safety::mutating},
      {"cat cmds | sudo -s", Safety::mutating},
      {"bwrap --clearenv git status", Safety::mutating},
      {"bwrap --ro-bind / / ls", Safety::mutating},
      {"ssh -A bastion uptime", Safety::mutating},
      {"ssh -vA bastion uptime", Safety::mutating},
      {"ssh -o ForwardAgent=yes bastion uptime", Safety::mutating},
      {"ssh -o forwardagent=/tmp/agent.sock bastion uptime", Safety::mutating},
      {"tsh ssh --forward-agent node1 uptime", Safety::mutating},
      {"ssh -o ForwardAgent=no bastion uptime", Safety::read_only},
      {"ssh -a bastion uptime", Safety::read_only},
      // ssh's own options only: the remote command's -f, -A and -F are its own.
      {"ssh web1 tail -f /var/log/syslog", Safety::read_only},
      {"ssh web1 celery -A app inspect active", Safety::read_only},
      {"ssh db1 grep -F x f", Safety::read_only},
      {"ssh web1 -A uptime", Safety::mutating},
      {"ssh -vCf web1 uptime", Safety::mutating},
  });
  CHECK_FALSE(classify_shell_command("ssh db1 sudo -i <<'EOF'\nrm -rf /data\nEOF").interactive);
  CHECK(classify_shell_command("sudo -i").interactive);
}

// s11a review B1-B4, B9: each of these ran against a real psql under `opsbook run`, rated
// read-only (no prompt) or mutating (--yes alone): a \! after `|` of a command that does not read a
// pipe, psql's own variables and variables set from data, `:::x`, settings the text match missed,
// and `-f -` reading the heredoc.
TEST_CASE("psql: pipes only after g, o and w, psql's own variables, :::x, decoded reading switches, -f - (s11a B1-B4, B9)", "[model][safety][psql]") {
  check_levels({
      // B1
      {"psql \"$DSN\" -X <<'SQL'\n\\echo |x \\! rm -rf /tmp/victim\nSQL", Safety::destructive},
      {"psql \"$DSN\" -X <<'SQL'\n\\l |x \\! rm -rf /tmp/victim\nSQL", Safety::destructive},
      {"psql \"$DSN\" -X <<'SQL'\n\\dt |x \\! rm -rf /tmp/victim\nSQL", Safety::destructive},
      {"psql \"$DSN\" -X <<'SQL'\n\\conninfo |x \\! touch F\nSQL", Safety::mutating},
      {"psql \"$DSN\" -X -c '\\echo |x \\! touch F'", Safety::mutating},
      {"psql \"$DSN\" -X <<'SQL'\nselect 1 \\g |cat \\x\nSQL", Safety::mutating},
      // B2
      {"psql \"$DSN\" -X -v LAST_ERROR_MESSAGE=5 <<'SQL'\nselect 'a\"; drop table t; --'::int;\nselect :LAST_ERROR_MESSAGE;\nSQL", Safety::destructive},
      {"psql \"$DSN\" -X -v ROW_COUNT=<n> -c 'select :ROW_COUNT'", Safety::destructive},
      {"psql \"$DSN\" -X <<'SQL'\n\\set SQLSTATE 5\nselect :SQLSTATE;\nSQL", Safety::destructive},
      {"psql \"$DSN\" -X <<'SQL'\nselect '1]; drop table t; select (array[1,2])[1' as \"2\" \\gset\nselect (array[1,2])[1:2];\nSQL", Safety::destructive},
      {"psql \"$DSN\" -X <<'SQL'\nselect (array[1,2])[1:2];\n\\prompt 'n? ' 2\nSQL", Safety::destructive},
      {"psql \"$DSN\" -X -v n=5 <<'SQL'\n\\getenv n HOME\nselect :n;\nSQL", Safety::destructive},
      {"psql \"$DSN\" -X -c \"select 'x' as \\\"2\\\" \\gset\" -c 'select (array[1,2])[1:2]'", Safety::destructive},
      {"psql \"$DSN\" -X -f setup.sql -c 'select (array[1,2])[1:2]'", Safety::destructive},
      {"psql \"$DSN\" -X -v n=5 <<'SQL'\nselect :n, (array[1,2])[1:2];\nSQL", Safety::read_only},
      // B3
      {"psql \"$DSN\" -X -v x='int; drop table t' <<'SQL'\nselect 1:::x;\nSQL", Safety::destructive},
      {"psql \"$DSN\" -X -v t=<type> <<'SQL'\nselect '42':::t;\nSQL", Safety::read_only},  // the filler lets only a number into t (sql_values_test)
      {"psql \"$DSN\" -X -v t=int <<'SQL'\nselect '42'::t, 1::::t;\nSQL", Safety::read_only},
      // B4
      {"psql \"$DSN\" -X <<'SQL'\nSET U&\"standard\\005fconforming\\005fstrings\" = off;\nselect 'a\\', '; drop table t; --';\nSQL", Safety::destructive},
      {"psql \"$DSN\" -X <<'SQL'\nSET U&\"client\\005fencoding\" = 'SJIS';\nSQL", Safety::destructive},
      {"psql \"$DSN\" -X <<'SQL'\nselect set_config('standard_' || 'conforming_strings', 'off', false);\nSQL", Safety::destructive},
      {"psql \"postgresql://u@127.0.0.1:5432/postgres?options=-c%20standard%5Fconforming%5Fstrings%3Doff\" -X -c 'select 1'", Safety::destructive},
      {"psql \"postgresql://u@127.0.0.1:5432/postgres?client%5Fencoding=SJIS\" -X -c 'select 1'", Safety::destructive},
      {"psql \"host=db options='-c standard-conforming-strings=off'\" -X -c 'select 1'", Safety::destructive},
      {"PGOPTIONS='-c standard-conforming-strings=off' psql \"$DSN\" -X -c 'select 1'", Safety::destructive},
      {"export PGCLIENTENCODING=SJIS\npsql \"$DSN\" -X -c 'select 1'", Safety::destructive},
      {"psql \"$DSN\" -X <<'SQL'\nSHOW client_encoding;\nRESET standard_conforming_strings;\nSQL", Safety::read_only},
      {"psql \"$DSN\" -X <<'SQL'\nRESET U&\"x\" UESCAPE '!';\nSQL", Safety::destructive},
      {"psql \"$DSN\" -X <<'SQL'\nDO $$ BEGIN EXECUTE 'SET standard' || '_conforming_strings = off'; END $$;\nselect 'a\\', '; drop table t; --';\nSQL", Safety::destructive},
      {"psql \"$DSN\" -X <<'SQL'\nselect archive_orders();\nselect '\xe9\\';\nSQL", Safety::destructive},
      {"psql \"$DSN\" -X <<'SQL'\nCALL refresh();\nselect 'plain', E'\\n';\nSQL", Safety::mutating},
      {"psql \"$DSN\" -X <<'SQL'\nselect 'a\\';\nDO $$ BEGIN PERFORM 1; END $$;\nSQL", Safety::mutating},
      // B9
      {"psql \"$DSN\" -X -f - <<'SQL'\ndrop table t;\nSQL", Safety::destructive},
      {"psql \"$DSN\" -X -f /dev/stdin <<'SQL'\ndrop table t;\nSQL", Safety::destructive},
      {"psql \"$DSN\" -X -f - <<'SQL'\nselect 1;\nSQL", Safety::read_only},
  });
}

// s11a review B8, B12, B13: the program psql or sqlite3 runs was rated as a write of rows or a
// file (mutating), a Redis heredoc was read with the shell's quoting, mysql's own commands with
// psql's meanings (\T and \C show in psql; in mysql they tee to a file and pick a charset).
TEST_CASE("SQL clients: programs they run, redis-cli's quoting, mysql's own commands (s11a B8, B12, B13)", "[model][safety][psql]") {
  check_levels({
      // B8
      {"psql \"$DSN\" -X <<'SQL'\nselect 1 \\g |rm -rf /tmp/victim\nSQL", Safety::destructive},
      {"psql \"$DSN\" -X <<'SQL'\nselect 1 \\g (format=csv) |rm -rf /tmp/victim\nSQL", Safety::destructive},
      {"psql \"$DSN\" -X <<'SQL'\n\\o '|rm -rf /tmp/victim'\nselect 1;\nSQL", Safety::destructive},
      {"psql \"$DSN\" -X -c '\\w |rm -rf /tmp/victim'", Safety::destructive},
      {"psql \"$DSN\" -X -c \"\\copy t from program 'rm -rf /tmp/victim'\"", Safety::destructive},
      {"psql \"$DSN\" -X -c \"COPY t FROM PROGRAM 'rm -rf /tmp/victim'\"", Safety::destructive},
      {"psql \"$DSN\" -X <<'SQL'\nselect 1 \\g |cat\nSQL", Safety::mutating},
      {"sqlite3 app.db <<'SQL'\n.sh rm -rf /tmp/victim\nSQL", Safety::destructive},
      {"sqlite3 app.db <<'SQL'\n.sy rm -rf /tmp/victim\nSQL", Safety::destructive},
      {"sqlite3 app.db <<'SQL'\n.shel rm -rf /tmp/victim\nSQL", Safety::destructive},
      // B12
      {"redis-cli -p 6379 <<'EOF'\n\"\\x46LUSHALL\"\nEOF", Safety::destructive},
      {"redis-cli <<'EOF'\n\"FLUSH\"'ALL'\nEOF", Safety::destructive},  // redis-cli refuses the line; the shell's reading (FLUSHALL) counts too
      {"redis-cli <<'EOF'\n3 flushdb\nEOF", Safety::destructive},
      {"redis-cli <<'EOF'\nGET \"a\\x20b\"\nEOF", Safety::read_only},
      // B13
      {"mysql app <<'SQL'\n\\T /etc/cron.d/x\nselect 1;\nSQL", Safety::mutating},
      {"mysql app <<'SQL'\ntee /etc/cron.d/x\nselect 1;\nSQL", Safety::mutating},
      {"mysql app <<'SQL'\n\\C sjis\nselect 1;\nSQL", Safety::destructive},
      {"mysql app <<'SQL'\ncharset sjis\nSQL", Safety::destructive},
      {"mysql app <<'SQL'\nsystem rm -rf /tmp/victim\nSQL", Safety::destructive},
      {"mysql app <<'SQL'\n\\! rm -rf /tmp/victim\nSQL", Safety::destructive},
      {"mysql app -e 'select 1 \\G'", Safety::read_only},
      {"mysql app <<'SQL'\nselect * from t\\G\nSQL", Safety::read_only},
  });
}
