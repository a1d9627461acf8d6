// Doc-test network targets: what counts as this machine, the hosts and ports a PostgreSQL
// connection string names, and which places an environment lets a doc-test reach.
#include <catch2/catch.hpp>

#include "model/doctest_policy.hpp"
#include "model/network_target.hpp"

using namespace opsbook::model;

TEST_CASE("network targets: loopback is read as the resolver reads it, never by a name's prefix", "[model][doctest]") {
  for (const char* host : {"localhost", "LOCALHOST", "localhost.", "127.0.0.1", "127.12.0.9", "0.0.0.0", "::1", "::", "::ffff:127.0.0.1", "::ffff:0.0.0.0"}) {
    INFO(host);
    CHECK(is_loopback_host(host));
  }
  // Not loopback as written: a name that starts like an address, other spellings, other hosts.
  for (const char* host : {"127.attacker.example", "127.0.0.1.nip.io", "localhost.attacker.example", "api.localhost", "probe-xyz.localhost", "127.1", "2130706433", "0x7f000001", "10.0.0.1", "::2", ""}) {
    INFO(host);
    CHECK_FALSE(is_loopback_host(host));
  }
}

TEST_CASE("network targets: the hosts and ports of a PostgreSQL connection string, as libpq reads them", "[model][doctest]") {
  using E = std::vector<std::pair<std::string, int>>;
  auto hosts = [](std::string_view c) { return postgres_endpoints(c).hosts; };
  CHECK(hosts("postgresql://ro:x@10.1.2.3:6432/shop") == E{{"10.1.2.3", 6432}});
  CHECK(hosts("postgres://a:1,b,[::1]:3/db") == E{{"a", 1}, {"b", 0}, {"::1", 3}});
  CHECK(hosts("postgresql:///db?host=127.0.0.1&port=2375") == E{{"127.0.0.1", 2375}});
  CHECK(hosts("postgresql://db.internal/x?hostaddr=127.0.0.1&port=9") == E{{"127.0.0.1", 9}});  // hostaddr is where libpq connects
  CHECK(hosts("host=127.0.0.1 port=2375 dbname=x") == E{{"127.0.0.1", 2375}});
  CHECK(hosts("host = 'a b' port='7'") == E{{"a b", 7}});
  CHECK(hosts("host=a,b port=1,2") == E{{"a", 1}, {"b", 2}});
  CHECK(hosts("host=db hostaddr=127.0.0.1") == E{{"127.0.0.1", 0}});
  CHECK(hosts("port=2375") == E{{"", 2375}});
  CHECK_FALSE(postgres_endpoints("port=2375").names_host);
  CHECK(hosts("shop").empty());
  // s6a review: libpq's userinfo runs to the first @, '?' included; an empty host is the socket.
  CHECK(hosts("postgresql://127.0.0.1:47432?@127.0.0.1:47433/app") == E{{"127.0.0.1", 47433}});
  CHECK(hosts("host=") == E{{"", 0}});
  CHECK(postgres_endpoints("host=").names_host);
  CHECK(hosts("host=127.0.0.1, port=1") == E{{"127.0.0.1", 1}, {"", 1}});
  CHECK_FALSE(postgres_endpoints("host='unterminated").readable);
}

TEST_CASE("network targets: an environment lets a doc-test reach its own ports and hosts only", "[model][doctest]") {
  EnvironmentConfig env;
  env.name = "staging";
  env.hosts = {{"shop.internal", "127.0.0.1:8081"}, {"api:80", "http://localhost:9000"}};
  env.services = {ServiceConfig{"cache", "redis", "redis://127.0.0.1:6390", "", ""}, ServiceConfig{"db", "postgres", "", "", "host=127.0.0.1 port=5499 dbname=x"}};
  env.allow_hosts = {"127.0.0.1", "localhost", "*.staging.example"};
  auto connect = [&](const std::string& host, int port) { return network_refusal(NetTarget{NetTarget::Kind::connect, host, port, "'curl'"}, &env); };
  for (auto [host, port] : std::vector<std::pair<std::string, int>>{{"127.0.0.1", 8081}, {"localhost", 8081}, {"127.0.0.1", 9000}, {"127.0.0.1", 6390}, {"127.0.0.1", 5499}, {"api.staging.example", 2375}}) {
    INFO(host << ":" << port);
    CHECK(connect(host, port) == "");
  }
  CHECK(connect("127.0.0.1", 2375) ==
        "'curl' connects to 127.0.0.1:2375, a port of this machine that environment 'staging' does not name (a doc-test reaches a loopback port only when "
        "it is a service's url or DSN, or a target under hosts:)");
  CHECK(connect("0.0.0.0", 2375) == "'curl' connects to 0.0.0.0:2375, which environment 'staging' does not allow (allow_hosts: 127.0.0.1, localhost, *.staging.example)");
  EnvironmentConfig open = env;
  open.allow_hosts.clear();  // loopback only: 0.0.0.0 is this machine too
  CHECK(network_refusal(NetTarget{NetTarget::Kind::connect, "0.0.0.0", 2375, "'curl'"}, &open).find("0.0.0.0:2375, a port of this machine") != std::string::npos);
  CHECK_FALSE(network_refusal(NetTarget{NetTarget::Kind::connect, "0.0.0.0", 8081, "'curl'"}, &open).empty());  // another address than 127.0.0.1:8081
  CHECK_FALSE(network_refusal(NetTarget{NetTarget::Kind::connect, "127.0.0.2", 8081, "'curl'"}, &open).empty());
  CHECK(connect("attacker.example", 443) == "'curl' connects to attacker.example:443, which environment 'staging' does not allow (allow_hosts: 127.0.0.1, localhost, *.staging.example)");
  CHECK(connect("", 5432) == "'curl' connects to the machine's default server, not one the environment names (give its host and port)");
  CHECK(connect("/var/run/postgresql", 5432) == "'curl' connects to a Unix socket, which doc-tests do not use (give the environment's host and port)");
  CHECK(connect("127.0.0.1", -1) == "'curl' has a port opsbook cannot read (write one number)");
  CHECK(network_refusal(NetTarget{NetTarget::Kind::lookup, "a.attacker.example", 0, "'dig'"}, &env) ==
        "'dig' looks up a.attacker.example, which environment 'staging' does not allow (allow_hosts: 127.0.0.1, localhost, *.staging.example)");
  CHECK(network_refusal(NetTarget{NetTarget::Kind::lookup, "db.staging.example", 0, "'dig'"}, &env) == "");
  CHECK(network_refusal(NetTarget{NetTarget::Kind::connect, "127.0.0.1", 8081, "'curl'"}, nullptr).find("that no environment names") != std::string::npos);
}

TEST_CASE("network targets: the doc-test allow list reads where each network tool connects", "[model][doctest]") {
  std::vector<std::string> seen;
  const std::string dsn = "host=10.0.0.5 port=6543";
  NetworkGate gate;
  gate.variable = [&](std::string_view name) { return name == "APP_DSN" ? &dsn : nullptr; };
  gate.refusal = [&](const NetTarget& t) {
    seen.push_back((t.kind == NetTarget::Kind::lookup ? "lookup " : "connect ") + t.host + (t.kind == NetTarget::Kind::connect ? ":" + std::to_string(t.port) : ""));
    return std::string();
  };
  auto places = [&](std::string_view script) {
    seen.clear();
    auto r = doctest_refusal(script, &gate);
    if (r) seen.push_back("refused: " + r->reason);
    return seen;
  };
  using V = std::vector<std::string>;
  CHECK(places("curl -fsS http://a:8080/x https://b/y") == V{"connect a:8080", "connect b:443"});
  CHECK(places("wget -qO- --max-redirect=0 http://a/") == V{"connect a:80"});
  CHECK(places("psql -h db -p 6000 -U ro -c 'SELECT 1'") == V{"connect db:6000"});
  CHECK(places("psql --host=a,b --port 7 -c 'SELECT 1'") == V{"connect a:7", "connect b:7"});
  CHECK(places("psql -h db 'host=127.0.0.1 port=2375' -c 'SELECT 1'") == V{"connect 127.0.0.1:2375"});
  CHECK(places("psql -c 'SELECT 1'") == V{"connect :5432"});
  CHECK(places("pg_isready -h db") == V{"connect db:5432"});
  // A variable of the environment the snippet runs in is read with its value.
  CHECK(places("psql \"$APP_DSN\" -c 'SELECT 1'") == V{"connect 10.0.0.5:6543"});
  CHECK(places("psql \"${APP_DSN}\" -c 'SELECT 1'") == V{"connect 10.0.0.5:6543"});
  CHECK(places("psql \"$OTHER\" -c 'SELECT 1'") == V{"refused: 'psql' connection string $OTHER is decided at run time: doc-tests reach only places written out"});
  CHECK(places("redis-cli PING") == V{"connect 127.0.0.1:6379"});
  CHECK(places("redis-cli -h c -p 7 PING") == V{"connect c:7"});
  CHECK(places("redis-cli -u redis://u:p@c:8 PING") == V{"connect c:8"});
  CHECK(places("dig +short @10.0.0.2 db.internal MX -x 10.1.1.1") == V{"lookup 10.1.1.1", "connect 10.0.0.2:53", "lookup db.internal"});
  CHECK(places("host db.internal 10.0.0.2") == V{"lookup db.internal", "connect 10.0.0.2:53"});
  CHECK(places("getent hosts db.internal && getent passwd root") == V{"lookup db.internal"});
  CHECK(places("ping -c 1 db.internal") == V{"lookup db.internal"});
  CHECK(places("nc -z db 5432 6379") == V{"connect db:5432", "connect db:6379"});
  // What cannot be read is refused before the gate is asked.
  CHECK(places("nc -z db 1-100") == V{"connect db:-1"});
  CHECK(places("curl -s \"http://$HOSTNAME:1/\"") == V{"refused: 'curl' URL http://$HOSTNAME:1/: its host is decided at run time"});
  CHECK(places("curl -s http://u@a:1/") == V{"refused: 'curl' URL http://u@a:1/ has user information: give it with -u"});
  CHECK(places("curl -s 'http://a%2eb/'") == V{"refused: 'curl' URL http://a%2eb/ has a host opsbook cannot read as curl does"});
  CHECK(places("dig \"x.$(cat /etc/hostname)\"") == V{"refused: 'dig' name x.$(cat /etc/hostname) is decided at run time: doc-tests reach only places written out"});
  CHECK(places("redis-cli -h \"$H\" PING") == V{"refused: 'redis-cli' host $H is decided at run time: doc-tests reach only places written out"});
  CHECK(places("curl -sL http://a/") == V{"refused: 'curl' option -L is not on the doc-test allow list (in -sL)"});
  CHECK(places("wget -qO- http://a/") == V{"refused: 'wget' runs as a doc-test only with --max-redirect"});
  CHECK(places("redis-cli -s /var/run/docker.sock PING") == V{"refused: 'redis-cli' option -s is not on the doc-test allow list"});
  CHECK(places("dig +tcp @127.0.0.1 -p 6380 'a\\010FLUSHALL\\010.x'") == V{"refused: 'dig' option -p is not on the doc-test allow list"});
  CHECK(places("nslookup x") == V{"refused: 'nslookup' is not on the doc-test allow list"});
  // s6a review: places read as the tools read them.
  CHECK(places("psql -h 127.0.0.1 -p 47432 -d 'host=' -c 'SELECT 1'") == V{"connect :47432"});  // libpq's socket: the gate refuses ""
  CHECK(places("psql 'postgresql://127.0.0.1:47432?@127.0.0.1:47433/app' -c 'SELECT 1'") == V{"connect 127.0.0.1:47433"});
  CHECK(places("pg_isready -d 'postgresql://127.0.0.1:47432?@127.0.0.1:47433/app'") == V{"connect 127.0.0.1:47433"});
  CHECK(places("psql -h db -d 'port=7' -c 'SELECT 1'") == V{"connect db:7", "connect db:5432"});
  CHECK(places("redis-cli -u redis://localhost:47379/0@127.0.0.1:47381 GET k") ==
        V{"refused: 'redis-cli' URI redis://localhost:47379/0@127.0.0.1:47381 is not redis[s]://[user:password@]host[:port][/db] as opsbook and redis-cli both read it"});
  CHECK(places("redis-cli -u redis://u:p@c:8/2 PING") == V{"connect c:8"});
  CHECK(places("redis-cli -u redis://127.0.0.1:47381 -u redis://localhost GET k") == V{"refused: 'redis-cli' option -u is given twice: give the place once"});
  CHECK(places("curl -s http://api.staging.example.com????????") == V{"refused: 'curl' word http://api.staging.example.com???????? is a pattern bash may replace with file names (quote it)"});
  CHECK(places("curl -s 'http://a:1/x?y=1'") == V{"connect a:1"});
  // s6c review: dig's + options, name servers, redis-cli -u with -h.
  for (std::string_view plus : {"+tls", "+https", "+trace", "+nssearch", "+search", "+domain=x.attacker.test", "+tcp", "+sea"}) {
    INFO(plus);
    CHECK(places("dig " + std::string(plus) + " localhost") ==
          V{"refused: 'dig' option " + std::string(plus) + " is not on the doc-test allow list (+short, +noall, +answer, +time=N, +tries=N... only)"});
  }
  CHECK(places("dig +short +time=2 localhost") == V{"lookup localhost"});
  CHECK(places("dig @127.0.0.1 localhost") == V{"connect 127.0.0.1:53", "lookup localhost"});
  CHECK(places("host -C example.com") == V{"refused: 'host' option -C is not on the doc-test allow list"});
  CHECK(places("ss -t -r") == V{"refused: 'ss' option -r is not on the doc-test allow list"});
  CHECK(places("redis-cli -u redis://x.staging.example.com:47375 -h 127.0.0.1 PING") ==
        V{"refused: 'redis-cli' takes -u with -h or -p, which redis-cli combines in order: give the place once"});
  CHECK(places("ss -t dst probe.attacker.example") == V{"lookup probe.attacker.example"});
  CHECK(places("ss -tn state established '( dport = :ssh or dst 10.0.0.0/8 )'") == V{});
  CHECK(places("lsof -n -i @probe.attacker.example:22") == V{"refused: 'lsof' is not on the doc-test allow list"});  // the sandbox closes its /proc
  CHECK(places("awk '{print}' /inet/tcp/0/127.0.0.1/47380") == V{"refused: 'awk' names a /inet/ special file, through which gawk opens a network connection"});
  CHECK(places("kubectl --context prod get pods") == V{"refused: 'kubectl' option --context is not on the doc-test allow list"});
  CHECK(places("kubectl get --raw /api/v1/namespaces/default/services/http:redis:6379/proxy/") ==
        V{"refused: 'kubectl get' option --raw value /api/v1/namespaces/default/services/http:redis:6379/proxy/ is not allowed (*; not *proxy*, *%*, *secret*)"});
  // A refusal of the gate is the doc-test's refusal.
  NetworkGate no;
  no.refusal = [](const NetTarget& t) { return "no " + t.host; };
  auto r = doctest_refusal("echo ok && curl -s http://a/", &no);
  REQUIRE(r);
  CHECK(r->reason == "no a");
  CHECK(r->offset == 11);
}
