// Where a doc-test's commands connect or look names up, and whether the environment lets them:
// a doc-test runs unattended on pull requests, so it reaches only the environment's own targets
// (a loopback port the environment names, a host of allow_hosts), never another daemon of the CI
// machine (a Docker Engine on 127.0.0.1:2375) or a name that carries data out (DNS).
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "config.hpp"

namespace opsbook::model {

struct NetTarget {
  enum class Kind { connect, lookup };
  Kind kind = Kind::connect;
  std::string host;  // as written; "" = the tool's default server (psql without -h)
  int port = 0;      // connect only
  std::string what;  // for messages: "'curl' URL http://x:1/"
};

// localhost (not *.localhost: the system's resolver may ask DNS for those), 127.0.0.0/8 written as four decimal parts, ::1, 0.0.0.0 and ::
// (both reach this machine), and IPv4-mapped loopback. Other spellings (127.1, 2130706433) are
// not, so they pass only where allow_hosts lists them as written.
bool is_loopback_host(std::string_view host);

// A bind address that listens on this machine's loopback interface only (is_loopback_host, but
// not 0.0.0.0 or ::, which bind every interface); [::1] in brackets too.
bool binds_loopback_only(std::string_view address);

// The hosts and ports a PostgreSQL connection string names, read by libpq itself
// (PQconninfoParse): a URI or key=value words; hostaddr wins over host (libpq connects there).
struct PostgresEndpoints {
  bool readable = true;    // libpq parses it
  bool names_host = false;  // it sets host or hostaddr, even to "" (libpq's Unix socket)
  std::vector<std::pair<std::string, int>> hosts;  // port 0 = not given; host "" = the default
};
// A plain database name ("shop") names nothing.
PostgresEndpoints postgres_endpoints(std::string_view conninfo);

// The host:port pairs an environment names: its `hosts:` targets, its services' URLs and DSNs
// (a DSN's port defaults to 5432).
std::vector<std::pair<std::string, int>> declared_targets(const EnvironmentConfig& env);

// "" when `env` lets a doc-test reach `t`, else why not (without a trailing period). A lookup needs
// a host the environment allows (allow_hosts, or loopback without it). A connection to a loopback
// host needs a port the environment names: a `hosts:` target or a service's URL or DSN; to any
// other host, a host allow_hosts lists. The tool's default server and Unix sockets are refused.
std::string network_refusal(const NetTarget& t, const EnvironmentConfig* env);

}  // namespace opsbook::model
