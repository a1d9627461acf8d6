// Safety classification of shell commands: each rule with a destructive, mutating and read-only case.
#include <catch2/catch.hpp>

#include "model/safety.hpp"
#include "support.hpp"

using opsbook::model::classify_shell_command;
using opsbook::model::Safety;

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
                          "sed -i s/a/b/ file", "echo x > /etc/app.conf", "pg_dump app > backup.sql", "psql app",
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
           Case{"rm -rf /var/lib/app", "rm -r/-f deletes files irrecoverably"},
           Case{"docker compose down -v", "docker compose down -v deletes the volumes and their data"},
           Case{"docker-compose -f a.yml down --volumes", "docker compose down -v deletes the volumes and their data"},
           Case{"docker volume rm app_pgdata", "docker volume rm deletes volume data"},
           Case{"redis-cli FLUSHALL", "FLUSHALL deletes every key"},
           Case{"redis-cli -n 2 flushdb", "FLUSHDB deletes every key"},
           Case{"kubectl delete pod api-0", "kubectl delete removes resources"},
           Case{"psql -c 'DROP TABLE users'", "DROP TABLE removes objects and their data"},
           Case{"psql -c 'TRUNCATE jobs'", "TRUNCATE removes every row"},
           Case{"psql -c 'DELETE FROM jobs'", "DELETE without WHERE removes every row"},
           Case{"git push --force origin main", "git push --force rewrites remote history"},
           Case{"docker rm --force api", "docker --force skips safety checks"},
           Case{"find /backups -mtime +30 -delete", "find -delete deletes files"},
           Case{"sudo -u postgres dropdb app", "dropdb destroys data"},
           Case{"terraform destroy", "terraform destroy deletes data"},
           Case{"for d in a b; do rm -rf \"$d\"; done", "rm -r/-f deletes files irrecoverably"},
           Case{"< list.txt xargs -rn1 ionice -c 3 rm -fr", "rm -r/-f deletes files irrecoverably"},
           Case{"ssh prod 'docker volume prune -f'", "docker volume prune deletes volume data"},
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
