// Doc-test network targets against the environment: loopback ports it names, hosts it allows.
#include "model/network_target.hpp"

#include <arpa/inet.h>
#include <libpq-fe.h>

#include <algorithm>
#include <charconv>
#include <cstdlib>

#include "model/target.hpp"
#include "model/text.hpp"

namespace opsbook::model {

namespace {

int port_number(std::string_view text) {
  int port = 0;
  auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), port);
  return ec == std::errc() && p == text.data() + text.size() && port > 0 && port < 65536 ? port : -1;
}

// hosts (hostaddr wins) with their ports: one port for all, or one per host.
std::vector<std::pair<std::string, int>> pair_up(std::string_view hosts, std::string_view hostaddrs, std::string_view ports, bool named) {
  std::vector<std::pair<std::string, int>> out;
  std::string_view names = hostaddrs.empty() ? hosts : hostaddrs;
  if (!named && ports.empty()) return out;
  std::vector<std::string_view> h = split_on(names, ','), p = ports.empty() ? std::vector<std::string_view>{} : split_on(ports, ',');
  for (size_t k = 0; k < h.size(); ++k) {
    std::string_view port = p.empty() ? std::string_view() : p[std::min(k, p.size() - 1)];
    out.emplace_back(std::string(h[k]), port.empty() ? 0 : port_number(port));
  }
  return out;
}

std::string environment_name(const EnvironmentConfig* env) { return env ? "environment '" + env->name + "'" : "no environment"; }

std::string not_allowed(const EnvironmentConfig* env, const TargetPolicy& policy) {
  if (!env) return "which no environment allows (loopback only)";
  return "which " + environment_name(env) + " does not allow (allow_hosts: " + policy.allow_list() + ")";
}

// Whether host:port is one the environment names (see declared_targets).
bool declared(const EnvironmentConfig& env, std::string_view host, int port) {
  // localhost, 127.0.0.1 and ::1 are one place (localhost resolves to either); 127.0.0.2 or
  // 0.0.0.0 is another address a second daemon can listen on.
  auto local = [](std::string_view h) { return iequals(h, "localhost") || iequals(h, "localhost.") || h == "127.0.0.1" || h == "::1"; };
  auto targets = declared_targets(env);
  return std::any_of(targets.begin(), targets.end(), [&](const auto& t) { return t.second == port && (iequals(t.first, host) || (local(t.first) && local(host))); });
}

}  // namespace

std::vector<std::pair<std::string, int>> declared_targets(const EnvironmentConfig& env) {
  std::vector<std::pair<std::string, int>> out;
  for (const auto& [documented, target] : env.hosts) {
    if (auto url = parse_url(target)) {
      out.emplace_back(url->host, url->effective_port());
      continue;
    }
    size_t colon = target.rfind(':');
    if (colon != std::string::npos) out.emplace_back(target.substr(0, colon), port_number(std::string_view(target).substr(colon + 1)));
  }
  for (const auto& svc : env.services) {
    if (auto url = parse_url(svc.url); url && svc.kind != "postgres") out.emplace_back(url->host, url->effective_port());
    std::string dsn = svc.dsn.empty() && svc.kind == "postgres" ? svc.url : svc.dsn;
    if (!svc.dsn_env.empty()) {
      const char* value = std::getenv(svc.dsn_env.c_str());
      dsn = value ? value : "";
    }
    for (const auto& [h, p] : postgres_endpoints(dsn).hosts) out.emplace_back(h, p ? p : 5432);
  }
  return out;
}

bool is_loopback_host(std::string_view host) {
  while (host.ends_with('.')) host.remove_suffix(1);
  if (iequals(host, "localhost")) return true;  // not *.localhost: the resolver may send those out
  std::string text(host);
  unsigned char v4[4];
  if (inet_pton(AF_INET, text.c_str(), v4) == 1) return v4[0] == 127 || (v4[0] == 0 && v4[1] == 0 && v4[2] == 0 && v4[3] == 0);
  unsigned char v6[16];
  if (inet_pton(AF_INET6, text.c_str(), v6) != 1) return false;
  bool zero10 = std::all_of(v6, v6 + 10, [](unsigned char b) { return b == 0; });
  if (zero10 && v6[10] == 0xff && v6[11] == 0xff) return v6[12] == 127 || (v6[12] == 0 && v6[13] == 0 && v6[14] == 0 && v6[15] == 0);
  bool zero15 = std::all_of(v6, v6 + 15, [](unsigned char b) { return b == 0; });
  return zero15 && (v6[15] == 1 || v6[15] == 0);
}

bool binds_loopback_only(std::string_view address) {
  if (address.starts_with('[') && address.ends_with(']')) address = address.substr(1, address.size() - 2);
  return address != "0.0.0.0" && address != "::" && is_loopback_host(address);
}

PostgresEndpoints postgres_endpoints(std::string_view conninfo) {
  PostgresEndpoints out;
  bool uri = conninfo.starts_with("postgres://") || conninfo.starts_with("postgresql://");
  if (!uri && conninfo.find('=') == std::string_view::npos) return out;  // a database name
  char* error = nullptr;
  PQconninfoOption* options = PQconninfoParse(std::string(conninfo).c_str(), &error);
  if (error != nullptr) PQfreemem(error);
  if (options == nullptr) {
    out.readable = false;
    return out;
  }
  const char *host = nullptr, *hostaddr = nullptr, *port = nullptr;
  for (PQconninfoOption* o = options; o->keyword != nullptr; ++o) {
    std::string_view key = o->keyword;
    if (key == "host") host = o->val;
    if (key == "hostaddr") hostaddr = o->val;
    if (key == "port") port = o->val;
  }
  out.names_host = host != nullptr || hostaddr != nullptr;
  out.hosts = pair_up(host ? host : "", hostaddr ? hostaddr : "", port ? port : "", out.names_host);
  PQconninfoFree(options);
  return out;
}

std::string network_refusal(const NetTarget& t, const EnvironmentConfig* env) {
  std::string where = t.host.find(':') != std::string::npos ? "[" + t.host + "]" : t.host;
  if (t.kind == NetTarget::Kind::connect) {
    if (t.host.empty()) return t.what + " connects to the machine's default server, not one the environment names (give its host and port)";
    if (t.host[0] == '/' || t.host[0] == '@') return t.what + " connects to a Unix socket, which doc-tests do not use (give the environment's host and port)";
    if (t.port <= 0) return t.what + " has a port opsbook cannot read (write one number)";
    where += ":" + std::to_string(t.port);
  }
  TargetPolicy policy(env);
  if (!policy.allowed(t.host)) {
    return t.what + (t.kind == NetTarget::Kind::lookup ? " looks up " : " connects to ") + where + ", " + not_allowed(env, policy);
  }
  if (t.kind == NetTarget::Kind::connect && is_loopback_host(t.host) && (!env || !declared(*env, t.host, t.port))) {
    return t.what + " connects to " + where + ", a port of this machine that " + (env ? environment_name(env) + " does not name" : "no environment names") +
           " (a doc-test reaches a loopback port only when it is a service's url or DSN, or a target under hosts:)";
  }
  return "";
}

}  // namespace opsbook::model
