// The live probes, one adapter per protocol: HTTP (libcurl multi), TCP (non-blocking connect),
// PostgreSQL (libpqxx), Redis (hiredis) and the Docker Engine API (libcurl on its unix socket). Each takes a batch, runs it concurrently within the
// limits, and never throws: library errors become the result's `error` text. Callers decide
// what may be contacted (TargetPolicy) before anything reaches these functions.
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "model/target.hpp"
#include "validator/host_gate.hpp"

namespace opsbook::validator {

using Clock = std::chrono::steady_clock;
using model::dsn_host;
using model::fill_params;
using model::parse_url;
using model::redact_dsn;
using model::StatusSpec;
using model::TargetPolicy;
using model::Url;

struct ProbeLimits {
  std::chrono::milliseconds timeout{10000};  // one attempt
  Clock::time_point deadline = Clock::time_point::max();  // the whole live run
  int retries = 2;          // extra attempts on connection errors (and unexpected 5xx)
  std::chrono::milliseconds backoff{200};  // doubles per retry
  unsigned concurrency = 32;  // HTTP transfers in flight; worker threads for the others
  int max_redirects = 5;
  HostGate* gate = nullptr;  // per-host concurrency and rate, shared by every probe kind; none = unlimited
};

// ---- HTTP: GET only ----
struct HttpRequest {
  std::string url;  // already rewritten and allowed
  StatusSpec expect{""};
  bool insecure = false;  // skip TLS verification (only when the environment allows it)
};
struct HttpResult {
  int status = 0;         // 0 = no response
  std::string error;      // transport error, redirect refused, deadline...
  int attempts = 0;
  int redirects = 0;
  double latency_ms = 0;  // of the last attempt
  std::string final_url;  // after redirects
  bool refused = false;   // a redirect pointed outside the allow list: not followed
};
std::vector<HttpResult> probe_http(const std::vector<HttpRequest>& requests, const TargetPolicy& policy, const ProbeLimits& limits);

// ---- TCP connect ----
struct TcpTarget {
  std::string host;
  int port = 0;
};
struct TcpResult {
  bool connected = false;
  std::string error;
  int attempts = 0;
  double latency_ms = 0;
};
std::vector<TcpResult> probe_tcp(const std::vector<TcpTarget>& targets, const ProbeLimits& limits);

// ---- PostgreSQL ----
enum class SqlMode {
  ready,    // connect and SELECT 1 (pg_isready)
  query,    // run the statements that pass the read-only vetting (model/sql_read_only), in a
            // READ ONLY transaction, rolled back; EXPLAIN the others where EXPLAIN can
  explain,  // EXPLAIN each statement (never executed), in a READ ONLY transaction
};
struct SqlStatementRef {
  std::string text;                 // one statement; $n where bound values go
  std::vector<std::string> values;  // the bound values of $1, $2, ...
  int line = 0;                     // markdown line of its first token
};
struct SqlTask {
  size_t dsn = 0;  // index into the dsn list
  SqlMode mode = SqlMode::query;
  std::vector<SqlStatementRef> statements;
  bool allow_privileged_role = false;  // the environment lets reads run as a privileged role
};
struct SqlResult {
  bool ok = false;
  long rows = -1;         // rows of the last statement run (query mode)
  std::string detail;     // what was done, e.g. "3 statements explained"
  std::string error;      // first line of the server's error, or the connection failure
  int error_line = 0;     // markdown line of the failing statement (0 = connection)
  bool connection_error = false;
  std::string privileged;  // why the role is privileged, when that kept statements from running
  int attempts = 0;
  double latency_ms = 0;
};
// `dsns` hold credentials: no error text returned here contains them. Each connection is
// checked first: a superuser or a member of the server-file/program roles only EXPLAINs,
// unless the task allows it.
std::vector<SqlResult> probe_postgres(const std::vector<std::string>& dsns, const std::vector<SqlTask>& tasks, const ProbeLimits& limits);

// ---- Redis ----
struct RedisTask {
  size_t service = 0;  // index into the service list
  std::vector<std::string> argv;
};
struct RedisResult {
  bool ok = false;
  std::string reply;  // short form of the reply ("PONG", "integer 3", "12 lines")
  std::string error;
  bool connection_error = false;
  bool refused = false;  // measured and not sent: `error` says why
  int attempts = 0;
  double latency_ms = 0;
};
std::vector<RedisResult> probe_redis(const std::vector<Url>& services, const std::vector<RedisTask>& tasks, const ProbeLimits& limits);

// ---- Docker Engine API over its unix socket: GET requests only ----
struct DockerContainer {
  std::string id;
  std::vector<std::string> names;  // without the leading '/'
  std::string project, service;    // compose labels ("" for other containers)
  bool one_off = false;            // started by `docker compose run`
  std::string state;               // created, running, paused, restarting, removing, exited, dead
  std::string status;              // the daemon's words: "Exited (137) 5 seconds ago"
  std::string health;              // "" (no healthcheck), starting, healthy, unhealthy
  std::string health_output;       // last line the healthcheck printed, when it failed
  bool inspected = false;          // health and ports below come from inspecting it
  bool host_network = false;
  std::vector<int> published;      // host ports it publishes; on the host network, the ports it exposes
};
struct DockerQuery {
  std::string socket;                  // path of the daemon's unix socket
  std::vector<std::string> projects;   // their containers are inspected (health, exposed ports)
  bool objects = false;                // also list images, networks and volumes (for docker inspect NAME)
};
struct DockerSnapshot {
  std::string error;  // "" = the daemon answered every request
  int attempts = 0;
  double latency_ms = 0;  // of the whole snapshot
  std::string version;    // of the Docker Engine
  std::vector<DockerContainer> containers;
  std::vector<std::string> objects;  // image references and ids, network and volume names
};
DockerSnapshot probe_docker(const DockerQuery& query, const ProbeLimits& limits);

}  // namespace opsbook::validator
