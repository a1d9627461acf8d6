// `opsbook check --live`: plans every live check of the model for one environment (HTTP
// endpoints, ports and host:port references, PostgreSQL readiness and SQL snippets, Redis
// commands, docker commands and the Compose services the runbook documents), runs the probes concurrently within a global deadline, and turns the outcomes
// into results and findings with markdown lines.
#pragma once

#include <functional>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "model/config.hpp"
#include "model/runbook.hpp"
#include "validator/finding.hpp"
#include "validator/live_probe.hpp"

namespace opsbook::validator {

struct LiveOptions {
  const model::EnvironmentConfig* env = nullptr;  // nullptr: no environment (loopback only, no services)
  ProbeLimits limits;
  std::set<std::string> only;  // when not empty, only these runbook paths
  unsigned per_host = 8;       // probes in flight to one host at once, all kinds together (0 = no limit)
  double rate = 0;             // probe starts per second per host (0 = no limit)
};

// The seams to the network; tests swap in fakes, the defaults are the real probes.
struct LiveProbes {
  std::function<std::vector<HttpResult>(const std::vector<HttpRequest>&, const TargetPolicy&, const ProbeLimits&)> http = probe_http;
  std::function<std::vector<TcpResult>(const std::vector<TcpTarget>&, const ProbeLimits&)> tcp = probe_tcp;
  std::function<std::vector<SqlResult>(const std::vector<std::string>&, const std::vector<SqlTask>&, const ProbeLimits&)> postgres = probe_postgres;
  std::function<std::vector<RedisResult>(const std::vector<Url>&, const std::vector<RedisTask>&, const ProbeLimits&)> redis = probe_redis;
  std::function<DockerSnapshot(const DockerQuery&, const ProbeLimits&)> docker = probe_docker;
  // Reads DSN variables; tests pass their own.
  std::function<const char*(const char*)> getenv = [](const char* name) { return std::getenv(name); };
};

struct LiveReport {
  std::vector<LiveResult> results;
  std::vector<Finding> findings;
  LiveStats stats;
};

LiveReport check_live(const std::vector<model::Runbook>& runbooks, const LiveOptions& options, const LiveProbes& probes = {});

// The one finding about the whole run when live checks (doc-tests included) did not finish
// before the global deadline. Added by the caller once every live result is in, and again by
// `report merge` over the merged results.
std::optional<Finding> deadline_finding(const std::vector<LiveResult>& results);

}  // namespace opsbook::validator
