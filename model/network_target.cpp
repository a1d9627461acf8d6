// Doc-test network targets against the environment: loopback ports it names, hosts it allows.
#include "model/network_target.hpp"

#include <arpa/inet.h>

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

// "h1:p1,[v6]:p2,h3" of a URI's authority.
void uri_hosts(std::string_view list, std::vector<std::pair<std::string, int>>& out) {
  for (std::string_view item : split_on(list, ',')) {
    std::string_view host = item, port;
    if (item.starts_with('[')) {
      size_t close = item.find(']');
      host = item.substr(1, close == std::string_view::npos ? std::string_view::npos : close - 1);
      if (close != std::string_view::npos && close + 1 < item.size() && item[close + 1] == ':') port = item.substr(close + 2);
    } else if (size_t colon = item.rfind(':'); colon != std::string_view::npos) {
      host = item.substr(0, colon), port = item.substr(colon + 1);
    }
    out.emplace_back(std::string(host), port.empty() ? 0 : port_number(port));
  }
}

// libpq's key = value words: values bare or in single quotes with backslash escapes.
std::vector<std::pair<std::string, std::string>> conninfo_pairs(std::string_view text) {
  std::vector<std::pair<std::string, std::string>> out;
  size_t i = 0;
  auto spaces = [&] {
    while (i < text.size() && std::isspace(static_cast<unsigned char>(text[i]))) ++i;
  };
  while (true) {
    spaces();
    size_t key = i;
    while (i < text.size() && text[i] != '=' && !std::isspace(static_cast<unsigned char>(text[i]))) ++i;
    std::string name(text.substr(key, i - key));
    spaces();
    if (name.empty() || i >= text.size() || text[i] != '=') return out;
    ++i;
    spaces();
    std::string value;
    if (i < text.size() && text[i] == '\'') {
      for (++i; i < text.size() && text[i] != '\''; ++i) {
        if (text[i] == '\\' && i + 1 < text.size()) ++i;
        value += text[i];
      }
      ++i;
    } else {
      for (; i < text.size() && !std::isspace(static_cast<unsigned char>(text[i])); ++i) {
        if (text[i] == '\\' && i + 1 < text.size()) ++i;
        value += text[i];
      }
    }
    out.emplace_back(to_lower(name), std::move(value));
  }
}

// hosts (hostaddr wins) with their ports: one port for all, or one per host.
std::vector<std::pair<std::string, int>> pair_up(std::string_view hosts, std::string_view hostaddrs, std::string_view ports) {
  std::vector<std::pair<std::string, int>> out;
  std::string_view names = hostaddrs.empty() ? hosts : hostaddrs;
  if (names.empty() && ports.empty()) return out;
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

// host:port pairs on loopback that the environment names: its hosts: targets, its services.
bool declared(const EnvironmentConfig& env, std::string_view host, int port) {
  auto same = [&](std::string_view h, int p) { return p == port && (iequals(h, host) || (is_loopback_host(h) && is_loopback_host(host))); };
  for (const auto& [documented, target] : env.hosts) {
    if (auto url = parse_url(target)) {
      if (same(url->host, url->effective_port())) return true;
      continue;
    }
    size_t colon = target.rfind(':');
    if (colon != std::string::npos && same(std::string_view(target).substr(0, colon), port_number(std::string_view(target).substr(colon + 1)))) return true;
  }
  for (const auto& svc : env.services) {
    if (auto url = parse_url(svc.url); url && svc.kind != "postgres" && same(url->host, url->effective_port())) return true;
    std::string dsn = svc.dsn.empty() && svc.kind == "postgres" ? svc.url : svc.dsn;
    if (!svc.dsn_env.empty()) {
      const char* value = std::getenv(svc.dsn_env.c_str());
      dsn = value ? value : "";
    }
    for (const auto& [h, p] : postgres_endpoints(dsn)) {
      if (same(h, p ? p : 5432)) return true;
    }
  }
  return false;
}

}  // namespace

bool is_loopback_host(std::string_view host) {
  while (host.ends_with('.')) host.remove_suffix(1);
  if (iequals(host, "localhost") || (host.size() > 10 && iequals(host.substr(host.size() - 10), ".localhost"))) return true;
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

std::vector<std::pair<std::string, int>> postgres_endpoints(std::string_view conninfo) {
  std::vector<std::pair<std::string, int>> out;
  if (conninfo.starts_with("postgres://") || conninfo.starts_with("postgresql://")) {
    std::string_view rest = conninfo.substr(conninfo.find("://") + 3);
    size_t end = rest.find_first_of("/?");
    std::string_view authority = rest.substr(0, end);
    if (size_t at = authority.rfind('@'); at != std::string_view::npos) authority.remove_prefix(at + 1);
    std::string host, hostaddr, port;
    if (size_t q = rest.find('?'); q != std::string_view::npos) {
      std::string_view query = rest.substr(q + 1);
      for (size_t start = 0; start <= query.size();) {
        size_t amp = query.find('&', start);
        std::string_view kv = query.substr(start, amp == std::string_view::npos ? std::string_view::npos : amp - start);
        size_t eq = kv.find('=');
        std::string key = to_lower(kv.substr(0, eq));
        std::string value(eq == std::string_view::npos ? std::string_view() : kv.substr(eq + 1));
        if (key == "host") host = value;
        if (key == "hostaddr") hostaddr = value;
        if (key == "port") port = value;
        if (amp == std::string_view::npos) break;
        start = amp + 1;
      }
    }
    if (!host.empty() || !hostaddr.empty()) return pair_up(host, hostaddr, port);
    if (!authority.empty()) uri_hosts(authority, out);
    if (!port.empty()) {
      for (auto& e : out) e.second = port_number(port);
    }
    if (out.empty() && !port.empty()) out.emplace_back("", port_number(port));
    return out;
  }
  if (conninfo.find('=') == std::string_view::npos) return out;  // a database name
  std::string host, hostaddr, port;
  for (const auto& [key, value] : conninfo_pairs(conninfo)) {
    if (key == "host") host = value;
    if (key == "hostaddr") hostaddr = value;
    if (key == "port") port = value;
  }
  return pair_up(host, hostaddr, port);
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
