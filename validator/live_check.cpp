// Live checks: plan (model + environment -> probe batches and skipped/refused results), run the
// five probe kinds at once, then map every outcome back to its runbook line.
#include "validator/live_check.hpp"

#include <algorithm>
#include <future>
#include <map>
#include <set>
#include <tuple>

#include "model/check_digest.hpp"
#include "model/docker_command.hpp"
#include "model/line_index.hpp"
#include "model/params.hpp"
#include "model/shell_commands.hpp"
#include "model/sql.hpp"
#include "model/sql_bind.hpp"
#include "model/sql_read_only.hpp"
#include "model/target.hpp"
#include "model/text.hpp"
#include "validator/docker_check.hpp"
#include "model/redis_read_only.hpp"
#include "validator/probe_batch.hpp"
#include "validator/static_checks.hpp"

namespace opsbook::validator {

namespace {

using model::Runbook;
using model::Snippet;
using Outcome = LiveResult::Outcome;

std::vector<std::string> split_list(std::string_view text) {
  std::vector<std::string> out;
  std::string cur;
  for (char c : text) {
    if (c == ',' || c == ' ' || c == '[' || c == ']' || c == '"') {
      if (!cur.empty()) out.push_back(cur), cur.clear();
    } else {
      cur += c;
    }
  }
  if (!cur.empty()) out.push_back(cur);
  return out;
}

// redis-cli options that take a value, and those that switch it into a non-command mode.
constexpr std::string_view k_redis_value_opts[] = {"-h", "-p", "-a", "-n", "-u", "-s", "-r", "-i", "-d", "-D", "--user", "--pass", "--askpass", "--cacert", "--cert", "--key", "--sni", "-3"};
constexpr std::string_view k_redis_modes[] = {"--scan", "--bigkeys", "--memkeys", "--hotkeys", "--latency", "--latency-history", "--latency-dist",
                                             "--stat", "--rdb", "--pipe", "--cluster", "--eval", "--functions-rdb", "--replica", "-x", "--ldb"};

class Planner {
 public:
  Planner(const LiveOptions& options, const LiveProbes& probes) : m_opts(options), m_probes(probes), m_policy(options.env) {}

  void plan(const Runbook& rb) {
    if (m_opts.env && !rb.meta.environments.empty()) {
      bool listed = false;
      for (const auto& e : rb.meta.environments) listed = listed || model::iequals(e, m_opts.env->name);
      if (!listed) return;  // the runbook says it does not apply to this environment
    }
    for (const auto& ep : rb.endpoints) plan_endpoint(rb, ep);
    for (const auto& port : rb.ports) plan_port(rb, port);
    for (const auto& s : rb.snippets) {
      if (s.kind == model::SnippetKind::sql) plan_sql(rb, s);
      if (s.kind == model::SnippetKind::shell) plan_shell_commands(rb, s);
      if (s.kind == model::SnippetKind::shell) plan_docker_commands(rb, s);
    }
    plan_docker_stack(rb);
  }

  LiveReport run() {
    // The five kinds talk to different servers: run them side by side.
    HostGate gate(m_opts.per_host, m_opts.rate);
    ProbeLimits limits = m_opts.limits;
    limits.gate = &gate;
    bool docker_needed = !m_docker_checks.empty() || !m_docker_candidates.empty();
    auto docker = std::async(std::launch::async, [&] { return docker_needed ? m_probes.docker(m_docker_query, limits) : DockerSnapshot{}; });
    auto http = std::async(std::launch::async, [&] { return m_probes.http(m_http.tasks(), m_policy, limits); });
    auto tcp = std::async(std::launch::async, [&] { return m_probes.tcp(m_tcp.tasks(), limits); });
    auto sql = std::async(std::launch::async, [&] { return m_probes.postgres(m_dsns, m_sql.tasks(), limits); });
    auto redis = std::async(std::launch::async, [&] { return m_probes.redis(m_redis_urls, m_redis.tasks(), limits); });
    map_http(http.get());
    map_tcp(tcp.get());
    map_sql(sql.get());
    map_redis(redis.get());
    if (docker_needed) map_docker(docker.get());
    fold_into_docker_findings();
    hide_secret_params();
    std::stable_sort(m_results.begin(), m_results.end(), [](const LiveResult& a, const LiveResult& b) { return std::tie(a.file, a.line) < std::tie(b.file, b.line); });
    std::stable_sort(m_findings.begin(), m_findings.end(), [](const Finding& a, const Finding& b) { return std::tie(a.file, a.line) < std::tie(b.file, b.line); });
    LiveStats stats{m_http.tasks().size() + m_tcp.tasks().size() + m_sql.tasks().size() + m_redis.tasks().size() + (docker_needed ? 1 : 0), m_opts.per_host, m_opts.rate, gate.peak()};
    return {std::move(m_results), std::move(m_findings), stats};
  }

 private:
  // ---- results and findings ----
  // `digest`: what was checked, for a check that comes from no snippet (a snippet's own otherwise).
  size_t add_result(const Runbook& rb, std::string kind, int line, std::string snippet, std::string target, std::string expectation, std::string digest = {}) {
    LiveResult r;
    if (const Snippet* s = snippet.empty() ? nullptr : rb.find_snippet(snippet)) digest = model::check_digest(*s);
    r.digest = std::move(digest);
    r.kind = std::move(kind);
    r.file = rb.path;
    r.line = line;
    r.snippet = std::move(snippet);
    r.target = std::move(target);
    r.expectation = std::move(expectation);
    m_results.push_back(std::move(r));
    m_result_rb.push_back(&rb);
    return m_results.size() - 1;
  }

  // Records what a probe found; returns the result for the finding that may follow.
  LiveResult& settle(size_t idx, Outcome outcome, int attempts, double latency_ms, std::string detail) {
    LiveResult& r = m_results[idx];
    r.outcome = outcome;
    r.attempts = attempts;
    r.latency_ms = latency_ms;
    r.detail = std::move(detail);
    return r;
  }

  void skip(size_t idx, std::string why) {
    m_results[idx].outcome = Outcome::skipped;
    m_results[idx].detail = std::move(why);
  }

  void add_finding(size_t idx, const std::string& rule, int line, std::string message, std::string hint) {
    const Runbook& rb = *m_result_rb[idx];
    Finding f;
    f.rule = rule;
    f.severity = rule_info(rule).severity;
    f.file = rb.path;
    f.line = line;
    f.message = std::move(message);
    f.hint = std::move(hint);
    f.snippet = m_results[idx].snippet;
    auto [lines, added] = m_lines.try_emplace(&rb);
    if (added) lines->second = model::LineIndex(rb.source);
    std::string_view text = lines->second.line(line);
    f.source_line = redact_line(text, find_secrets(text));
    m_findings.push_back(std::move(f));
  }

  // The values of the environment's secret-named params (API_TOKEN, DB_PASSWORD...) never reach a
  // report: a target built from them (`nc -z <API_TOKEN> 5432`) is shown with *** (s9a review B7).
  void hide_secret_params() {
    if (!m_opts.env) return;
    std::vector<std::string> secrets;
    for (const auto& [name, value] : m_opts.env->params) {
      if (model::is_secret_name(name) && !value.empty()) secrets.push_back(value);
    }
    if (secrets.empty()) return;
    std::sort(secrets.begin(), secrets.end(), [](const std::string& a, const std::string& b) { return a.size() > b.size(); });  // longest first
    auto hide = [&](std::string& text) {
      for (const auto& secret : secrets) text = model::scrub(std::move(text), secret);
    };
    for (auto& r : m_results) {
      hide(r.target);
      hide(r.detail);
      hide(r.expectation);
    }
    for (auto& f : m_findings) {
      hide(f.message);
      hide(f.hint);
    }
  }

  void refuse(size_t idx, const std::string& host) {
    m_results[idx].outcome = Outcome::refused;
    m_results[idx].detail = host + " is not in allow_hosts: not contacted";
    std::string env = m_opts.env ? "environment '" + m_opts.env->name + "'" : "no environment";
    add_finding(idx, "live-not-allowed", m_results[idx].line,
                m_results[idx].target + ": " + host + " is not allowed in " + env + " (allowed: " + m_policy.allow_list() + "); not contacted",
                "map the documented host onto a reachable one under hosts: of the environment, or add it to allow_hosts");
  }

  void config_error(size_t idx, const std::string& message, const std::string& hint) {
    skip(idx, message);
    if (m_config_errors.insert(message).second) add_finding(idx, "live-config", m_results[idx].line, message, hint);
  }

  std::string env_label() const { return m_opts.env ? "environment '" + m_opts.env->name + "'" : "no environment (--env)"; }

  // ---- snippet attributes that decide whether a live check applies ----
  bool applies(size_t idx, const Snippet* s) {
    if (!s) return true;
    if (const std::string* check = s->attr("check"); check && (*check == "skip" || *check == "static")) {
      skip(idx, "check=" + *check);
      return false;
    }
    if (const std::string* envs = s->attr("env"); envs && m_opts.env) {
      auto list = split_list(*envs);
      if (std::none_of(list.begin(), list.end(), [&](const std::string& e) { return model::iequals(e, m_opts.env->name); })) {
        skip(idx, "env=" + *envs + ": not for " + m_opts.env->name);
        return false;
      }
    }
    return true;
  }

  bool fill(size_t idx, std::string_view text, std::string& out) {
    std::vector<std::string> missing;
    out = fill_params(text, m_opts.env, missing);
    if (missing.empty()) return true;
    skip(idx, "needs parameter " + missing.front() + " (give it under params: of the " + env_label() + ")");
    return false;
  }

  // An HTTP probe's URL: values encoded as opsbook run encodes them (s10a review B8).
  bool fill_url(size_t idx, std::string_view url, std::string& out) {
    std::vector<std::string> missing;
    std::string refused;
    out = model::fill_url(url, m_opts.env, missing, refused);
    if (!missing.empty() || !refused.empty()) {
      skip(idx, refused.empty() ? "needs parameter " + missing.front() + " (give it under params: of the " + env_label() + ")" : refused);
      return false;
    }
    return true;
  }

  const model::ServiceConfig* pick_service(const Runbook& rb, std::string_view kind, std::string_view named, bool strict, std::string& why) {
    if (!m_opts.env) {
      why = "no environment (pass --env or set default_env)";
      return nullptr;
    }
    return m_opts.env->service_for(kind, named, strict, rb.meta.services, why);
  }

  // ---- HTTP ----
  void plan_endpoint(const Runbook& rb, const model::Endpoint& ep) {
    const Snippet* s = ep.snippet.empty() ? nullptr : rb.find_snippet(ep.snippet);
    std::string expect = ep.expect_status;
    if (const std::string* attr = s ? s->attr("expect-status") : nullptr; attr && (expect.empty() || expect == "2xx")) expect = *attr;
    StatusSpec spec(expect);
    size_t idx = add_result(rb, "http", ep.line, ep.snippet, ep.url, "status " + spec.str(), model::check_digest(ep));
    if (!applies(idx, s)) return;
    bool auto_run = s && s->attr("run") && *s->attr("run") == "auto";
    if (auto_run && (s->attr("expect-exit") || s->attr("expect-stdout"))) {
      skip(idx, "checked by running the snippet as a doc-test");
      return;
    }
    if (ep.method != "GET" && ep.method != "HEAD") {
      skip(idx, ep.method + " is not sent by live checks (only GET and HEAD)" + std::string(auto_run ? "; run=auto runs it as a doc-test" : ""));
      return;
    }
    std::string text;
    if (!fill_url(idx, ep.url, text)) return;
    auto url = parse_url(text);
    if (!url && !text.empty() && text[0] == '/') {
      std::string why;
      std::string named = ep.service;
      if (named.empty() && s && s->attr("service")) named = *s->attr("service");
      const model::ServiceConfig* svc = pick_service(rb, "http", named, s && s->attr("service"), why);
      if (!svc) {
        skip(idx, "no base URL for " + text + ": " + why);
        return;
      }
      url = parse_url(svc->url);
      if (!url) {
        skip(idx, "service '" + svc->name + "' has no usable url");
        return;
      }
      std::string base = url->path == "/" ? "" : url->path;
      if (!base.empty() && base.back() == '/') base.pop_back();
      url->path = base + text;
    } else if (!url) {
      url = parse_url("http://" + text);  // "localhost:8080/healthz"
    }
    if (!url || (url->scheme != "http" && url->scheme != "https")) {
      skip(idx, "not an http(s) URL");
      return;
    }
    Url target = m_policy.rewrite(*url);
    m_results[idx].target = target.str();
    if (target.str() != url->str()) m_results[idx].detail = "documented as " + url->str();
    if (!m_policy.allowed(target.host)) return refuse(idx, target.host);
    HttpRequest req;
    req.url = target.with_credentials();
    req.expect = spec;
    req.insecure = ep.insecure && m_opts.env && m_opts.env->insecure_tls;
    std::string key = req.url + "\n" + spec.str() + (req.insecure ? "\ninsecure" : "");
    m_http.add(key, std::move(req), idx);
  }

  void map_http(const std::vector<HttpResult>& out) {
    for (size_t k = 0; k < out.size(); ++k) {
      for (size_t idx : m_http.places(k)) map_http(idx, out[k], m_http.tasks()[k]);
    }
  }

  void map_http(size_t idx, const HttpResult& h, const HttpRequest& req) {
    std::string documented = m_results[idx].detail;
    bool pass = h.status != 0 && h.error.empty() && req.expect.matches(h.status);
    std::string detail = h.status ? "status " + std::to_string(h.status) : h.error;
    if (h.status && !h.error.empty()) detail += "; " + h.error;
    if (h.redirects) detail += " after " + std::to_string(h.redirects) + (h.redirects == 1 ? " redirect" : " redirects");
    LiveResult& r = settle(idx, pass ? Outcome::pass : h.refused ? Outcome::refused : Outcome::fail, h.attempts, h.latency_ms, std::move(detail));
    if (pass) return;
    std::string what = "GET " + r.target + (documented.empty() ? "" : " (" + documented + ")");
    std::string got = h.status ? "answered " + std::to_string(h.status) + ", expected " + req.expect.str() : h.error;
    if (h.status && !h.error.empty()) got += " (" + h.error + ")";
    if (h.attempts > 1) got += " after " + std::to_string(h.attempts) + " attempts";
    if (h.refused) {
      add_finding(idx, "live-not-allowed", r.line, what + ": " + h.error, "add the redirect's host to allow_hosts, or map it under hosts:");
    } else {
      add_finding(idx, "live-http", r.line, what + ": " + got,
                  h.status ? "the endpoint does not answer as the runbook says: fix the runbook or the service"
                           : "nothing answered: is the service up in this environment, and is the documented host mapped to it?");
    }
  }

  // ---- TCP ----
  void add_tcp(const Runbook& rb, int line, std::string snippet, const std::string& host, int port, std::string digest = {}) {
    std::string documented = host + ":" + std::to_string(port);
    if (!m_tcp_seen.insert(rb.path + "\n" + documented).second) return;  // once per runbook
    size_t idx = add_result(rb, "tcp", line, std::move(snippet), documented, "connect", std::move(digest));
    TargetPolicy::Rewritten r = m_policy.rewrite(host, port);
    if (!r.rewritten && m_opts.env) {
      // A service of the environment with this name: its host, the documented port.
      if (const model::ServiceConfig* svc = m_opts.env->service(host)) {
        if (auto url = parse_url(svc->url)) r.host = url->host;
      }
    }
    std::string target = (r.host.find(':') != std::string::npos ? "[" + r.host + "]" : r.host) + ":" + std::to_string(r.port);
    m_results[idx].target = target;
    if (target != documented) m_results[idx].detail = "documented as " + documented;
    if (!m_policy.allowed(r.host)) return refuse(idx, r.host);
    m_tcp.add(target, {r.host, r.port}, idx);
  }

  void plan_port(const Runbook& rb, const model::Port& port) {
    if (!model::port_is_probed(port, m_opts.env ? m_opts.env->name : "")) return;
    add_tcp(rb, port.line, "", model::to_lower(model::trim(port.service)), port.port, model::check_digest(port));
  }

  // psql/pg_isready/redis-cli/mysql -h HOST -p PORT, nc/telnet HOST PORT: TCP checks; pg_isready
  // also a PostgreSQL readiness check; redis-cli commands Redis checks.
  void plan_shell_commands(const Runbook& rb, const Snippet& s) {
    for (const auto& cmd : s.commands) {
      for (const auto& simple : model::simple_commands(cmd.text)) {
        std::string name = std::string(model::program_name(simple[0]));
        std::vector<std::string> args(simple.begin() + 1, simple.end());
        if (name == "psql" || name == "pg_isready" || name == "redis-cli" || name == "mysql") plan_client_port(rb, s, cmd.line, name, args);
        else if (name == "nc" || name == "ncat" || name == "netcat" || name == "telnet") plan_nc(rb, s, cmd.line, args);
        if (name == "pg_isready") plan_ready(rb, s, cmd.line);
        if (name == "redis-cli") plan_redis(rb, s, cmd.line, args);
      }
    }
  }

  void plan_client_port(const Runbook& rb, const Snippet& s, int line, const std::string& name, const std::vector<std::string>& args) {
    std::string host, port;
    std::string port_flag = name == "mysql" ? "-P" : "-p";
    for (size_t i = 0; i < args.size(); ++i) {
      const std::string& a = args[i];
      auto value = [&](std::string_view flag, std::string_view long_flag, std::string& out) {
        if (a == flag || a == long_flag) {
          if (i + 1 < args.size()) out = args[++i];
          return true;
        }
        if (a.starts_with(std::string(long_flag) + "=")) return out = a.substr(long_flag.size() + 1), true;
        if (a.size() > 2 && a.starts_with(flag) && flag.size() == 2) return out = a.substr(2), true;
        return false;
      };
      if (value("-h", "--host", host)) continue;
      if (name != "mysql" || a != "-p") value(port_flag, "--port", port);
      // A connection URI as an argument (psql postgresql://..., -d URI, redis-cli -u URI).
      std::string_view candidate = a;
      if (size_t eq = candidate.find('='); eq != std::string_view::npos && candidate.starts_with("--")) candidate = candidate.substr(eq + 1);
      if (auto url = parse_url(candidate); url && !url->host.empty() &&
          (url->scheme == "postgres" || url->scheme == "postgresql" || url->scheme == "redis" || url->scheme == "rediss")) {
        host = url->host;
        port = std::to_string(url->effective_port());
      }
    }
    if (host.empty()) return;  // a local socket or the client's defaults: nothing documented to check
    if (port.empty()) port = name == "redis-cli" ? "6379" : name == "mysql" ? "3306" : "5432";
    add_tcp_text(rb, s, line, host, port);
  }

  void plan_nc(const Runbook& rb, const Snippet& s, int line, const std::vector<std::string>& args) {
    std::vector<std::string> positional;
    for (const auto& a : args) {
      if (!a.empty() && a[0] != '-') positional.push_back(a);
    }
    if (positional.size() == 2) add_tcp_text(rb, s, line, positional[0], positional[1]);
  }

  void add_tcp_text(const Runbook& rb, const Snippet& s, int line, const std::string& host_text, const std::string& port_text) {
    std::vector<std::string> missing;
    std::string host = fill_params(host_text, m_opts.env, missing);
    std::string port = fill_params(port_text, m_opts.env, missing);
    int p = std::atoi(port.c_str());
    if (!missing.empty() || p <= 0 || p > 65535 || std::to_string(p) != port) {
      if (!m_tcp_seen.insert(rb.path + "\n" + host_text + ":" + port_text).second) return;
      size_t idx = add_result(rb, "tcp", line, s.id, host_text + ":" + port_text, "connect");
      if (!applies(idx, &s)) return;
      skip(idx, missing.empty() ? "not a port: " + port : "needs parameter " + missing.front() + " (give it under params: of the " + env_label() + ")");
      return;
    }
    if (s.attr("check") && (*s.attr("check") == "skip" || *s.attr("check") == "static")) return;
    add_tcp(rb, line, s.id, host, p);
  }

  void map_tcp(const std::vector<TcpResult>& out) {
    for (size_t k = 0; k < out.size(); ++k) {
      for (size_t idx : m_tcp.places(k)) map_tcp(idx, out[k]);
    }
  }

  void map_tcp(size_t idx, const TcpResult& out) {
    std::string documented = m_results[idx].detail;
    LiveResult& r = settle(idx, out.connected ? Outcome::pass : Outcome::fail, out.attempts, out.latency_ms, out.connected ? "connected" : out.error);
    if (out.connected) return;
    add_finding(idx, "live-tcp", r.line, r.target + (documented.empty() ? "" : " (" + documented + ")") + ": " + out.error,
                "the port table or command does not match the running stack: fix the runbook, or map the port under hosts:");
  }

  // ---- PostgreSQL ----
  // Index of the DSN of a service, or npos with the result skipped (config error or refused).
  size_t dsn_for(size_t idx, const model::ServiceConfig& svc) {
    auto it = m_dsn_index.find(svc.name);
    if (it != m_dsn_index.end()) return it->second;
    std::string dsn = svc.dsn;
    if (!svc.dsn_env.empty()) {
      const char* v = m_probes.getenv(svc.dsn_env.c_str());
      if (!v || !*v) {
        config_error(idx, "service '" + svc.name + "': environment variable " + svc.dsn_env + " is not set",
                     "export " + svc.dsn_env + " with the DSN (postgresql://user:password@host:port/db) before running the live check");
        return std::string::npos;
      }
      dsn = v;
    }
    if (dsn.empty() && model::service_kind_from_url(svc.url) == "postgres") dsn = svc.url;
    if (dsn.empty()) {
      config_error(idx, "service '" + svc.name + "' has neither dsn_env nor a postgres:// url", "add dsn_env: NAME_OF_VARIABLE to the service");
      return std::string::npos;
    }
    m_dsns.push_back(dsn);
    m_dsn_names.push_back(svc.name);
    m_dsn_index[svc.name] = m_dsns.size() - 1;
    return m_dsns.size() - 1;
  }

  bool pg_target(size_t idx, const Runbook& rb, const Snippet& s, size_t& dsn) {
    std::string why;
    const std::string* named = s.attr("service");
    const model::ServiceConfig* svc = pick_service(rb, "postgres", named ? *named : "", named != nullptr, why);
    if (!svc) {
      skip(idx, why);
      return false;
    }
    dsn = dsn_for(idx, *svc);
    if (dsn == std::string::npos) return false;
    m_results[idx].target = svc->name + " (" + redact_dsn(m_dsns[dsn]) + ")";
    std::string host = dsn_host(m_dsns[dsn]);
    if (!host.empty() && !m_policy.allowed(host)) {
      refuse(idx, host);
      return false;
    }
    return true;
  }

  void plan_ready(const Runbook& rb, const Snippet& s, int line) {
    size_t idx = add_result(rb, "postgres", line, s.id, "", "accepting connections");
    if (!applies(idx, &s)) return;
    size_t dsn = 0;
    if (!pg_target(idx, rb, s, dsn)) return;
    add_sql({dsn, SqlMode::ready, {}, false}, idx);
  }

  // Values of the snippet's params in this environment (defaults of ${NAME:-x} included);
  // false with the result skipped when one the code uses has none.
  bool param_values(size_t idx, const Snippet& s, std::string_view code, std::map<std::string, std::string>& values) {
    for (const auto& p : s.params) {
      if (code.find(p.syntax) == std::string_view::npos) continue;
      if (const std::string* v = m_opts.env ? model::find_value(m_opts.env->params, p.name) : nullptr) values[p.name] = *v;
      else if (p.has_default) values[p.name] = model::param_default(p.syntax);
      else {
        skip(idx, "needs parameter " + p.name + " (give it under params: of the " + env_label() + ")");
        return false;
      }
    }
    return true;
  }

  // Read-only snippets: every statement goes to the probe, which runs those that pass the
  // read-only vetting and EXPLAINs the others. Writes: EXPLAIN only. Values are bound, never
  // written into the SQL.
  void plan_sql(const Runbook& rb, const Snippet& s) {
    bool writes = s.safety != model::Safety::read_only || s.classified != model::Safety::read_only;
    size_t idx = add_result(rb, "sql", s.is_inline ? s.line : s.code_line, s.id, "", writes ? "explain only (never run)" : "read-only query");
    if (!applies(idx, &s)) return;
    std::vector<SqlStatementRef> statements;
    size_t not_explainable = 0;
    std::map<std::string, std::string> values;
    for (const auto& st : model::split_sql(s.code)) {
      if (st.meta || model::trim(st.text).empty()) continue;
      if (!param_values(idx, s, st.text, values)) return;
      model::BoundSql bound = model::bind_sql(st.text, model::sql_placeholders(s, values));
      if (!bound.refusal.empty()) return skip(idx, "line " + std::to_string(s.code_line + st.line_offset) + ": " + bound.refusal);
      if (bound.text.find(":'") != std::string::npos || bound.text.find(":\"") != std::string::npos) {
        skip(idx, "uses psql variables (:'name'): run it through psql");
        return;
      }
      if (writes && !model::explainable(bound.text)) {
        ++not_explainable;
        continue;
      }
      statements.push_back({std::move(bound.text), std::move(bound.values), s.code_line + st.line_offset});
    }
    if (statements.empty()) {
      skip(idx, not_explainable ? "writes that cannot be explained (DDL and the like) are never run" : "no SQL statement");
      return;
    }
    size_t dsn = 0;
    if (!pg_target(idx, rb, s, dsn)) return;
    if (not_explainable) m_results[idx].expectation += "; " + std::to_string(not_explainable) + " statements neither run nor explained";
    add_sql({dsn, writes ? SqlMode::explain : SqlMode::query, std::move(statements), m_opts.env && m_opts.env->allow_privileged_role}, idx);
  }

  // Identical tasks (the same statements and values on the same server) run once; each place
  // keeps the markdown lines of its own statements for the error.
  void add_sql(SqlTask task, size_t idx) {
    std::string key = std::to_string(task.dsn) + "\n" + std::to_string(static_cast<int>(task.mode)) + (task.allow_privileged_role ? "\nprivileged" : "");
    std::vector<int>& lines = m_sql_lines[idx];
    for (const auto& st : task.statements) {
      key += "\n\x1f" + st.text;
      for (const auto& v : st.values) key += "\x1e" + v;
      lines.push_back(st.line);
    }
    m_sql.add(key, std::move(task), idx);
  }

  void map_sql(const std::vector<SqlResult>& out) {
    std::set<std::string> reported;  // one connection finding per runbook and service
    for (size_t k = 0; k < out.size(); ++k) {
      for (size_t idx : m_sql.places(k)) map_sql(idx, out[k], m_sql.tasks()[k], reported);
    }
  }

  void map_sql(size_t idx, const SqlResult& q, const SqlTask& task, std::set<std::string>& reported) {
    LiveResult& r = settle(idx, q.ok ? Outcome::pass : Outcome::fail, q.attempts, q.latency_ms, q.ok ? q.detail : q.error);
    const std::string& service = m_dsn_names[task.dsn];
    if (!q.privileged.empty() && reported.insert("privileged\n" + service).second) {
      add_finding(idx, "live-privileged-role", r.line,
                  "PostgreSQL service '" + service + "': " + q.privileged + ", so read-only SQL was only EXPLAINed, never run",
                  "connect as a read-only role (see docs/SECURITY.md), or set allow_privileged_role: true in the environment");
    }
    if (q.ok) return;
    if (q.connection_error) {
      if (reported.insert(r.file + "\n" + service).second) {
        add_finding(idx, "live-postgres", r.line, "cannot use PostgreSQL service '" + service + "': " + q.error,
                    "check the DSN in the environment (user, password, host, port) and that the server is up");
      }
      return;
    }
    // The error's line is in the probed task's statements: the same line of this place's copy.
    int line = r.line;
    for (size_t i = 0; i < task.statements.size() && q.error_line; ++i) {
      if (task.statements[i].line <= q.error_line) line = m_sql_lines[idx][i] + (q.error_line - task.statements[i].line);
    }
    add_finding(idx, "live-sql", line, (r.snippet.empty() ? "" : r.snippet + ": ") + q.error,
                task.mode == SqlMode::explain ? "the statement does not match the database (it was only explained, never run)"
                                                  : "the query fails against the database: fix the runbook or the schema");
  }

  // ---- Redis ----
  void plan_redis(const Runbook& rb, const Snippet& s, int line, const std::vector<std::string>& args) {
    std::vector<std::string> argv;
    std::string mode;
    for (size_t i = 0; i < args.size(); ++i) {
      const std::string& a = args[i];
      if (!argv.empty()) {
        argv.push_back(a);
        continue;
      }
      if (std::find(std::begin(k_redis_modes), std::end(k_redis_modes), a) != std::end(k_redis_modes)) mode = a;
      if (std::find(std::begin(k_redis_value_opts), std::end(k_redis_value_opts), a) != std::end(k_redis_value_opts)) {
        ++i;
        continue;
      }
      if (!a.empty() && a[0] == '-') continue;
      argv.push_back(a);
    }
    if (argv.empty() && mode.empty()) argv.push_back("PING");  // interactive redis-cli: the server must answer
    std::string shown;
    for (const auto& a : argv) shown += (shown.empty() ? "" : " ") + a;
    size_t idx = add_result(rb, "redis", line, s.id, "", mode.empty() ? shown : "redis-cli " + mode);
    if (!applies(idx, &s)) return;
    if (!mode.empty()) return skip(idx, "redis-cli " + mode + " is a client mode, not a command: not checked");
    for (auto& a : argv) {
      std::string filled;
      if (!fill(idx, a, filled)) return;
      a = filled;
    }
    if (std::string why = model::redis_refusal(argv); !why.empty()) return skip(idx, why + ": never sent by live checks");
    std::string why;
    const std::string* named = s.attr("service");
    const model::ServiceConfig* svc = pick_service(rb, "redis", named ? *named : "", named != nullptr, why);
    if (!svc) return skip(idx, why);
    auto url = parse_url(svc->url);
    if (!url) return config_error(idx, "service '" + svc->name + "' has no redis:// url", "give the service url: redis://host:port");
    m_results[idx].target = svc->name + " (" + url->str() + ")";
    if (!m_policy.allowed(url->host)) return refuse(idx, url->host);
    auto it = m_redis_index.find(svc->name);
    if (it == m_redis_index.end()) {
      m_redis_urls.push_back(*url);
      m_redis_names.push_back(svc->name);
      it = m_redis_index.emplace(svc->name, m_redis_urls.size() - 1).first;
    }
    std::string key = std::to_string(it->second);
    for (const auto& a : argv) key += "\n" + a;
    m_redis.add(key, {it->second, argv}, idx);
  }

  void map_redis(const std::vector<RedisResult>& out) {
    std::set<std::string> reported;
    for (size_t k = 0; k < out.size(); ++k) {
      for (size_t idx : m_redis.places(k)) map_redis(idx, out[k], m_redis.tasks()[k], reported);
    }
  }

  void map_redis(size_t idx, const RedisResult& out, const RedisTask& task, std::set<std::string>& reported) {
    if (out.refused) return skip(idx, out.error);
    LiveResult& r = settle(idx, out.ok ? Outcome::pass : Outcome::fail, out.attempts, out.latency_ms, out.ok ? out.reply : out.error);
    if (out.ok) return;
    const std::string& service = m_redis_names[task.service];
    if (out.connection_error && !reported.insert(r.file + "\n" + service).second) return;
    add_finding(idx, "live-redis", r.line, r.expectation + " on Redis service '" + service + "': " + out.error,
                out.connection_error ? "check the service's redis:// url and that the server is up" : "the command fails against the server: fix the runbook");
  }

  // ---- Docker ----
  struct DockerCheck {
    enum class What { project, service, container, state, port } what = What::service;
    size_t result = std::string::npos;  // command checks; stack checks get one when they match
    const Runbook* rb = nullptr;
    int line = 0;
    std::string project, name;
    bool running = false, any_object = false;
    int port = 0;
    std::string documented;  // port rows: what the table says
    std::string digest;      // stack checks: the row or service they come from
  };

  std::string compose_project() const { return m_opts.env && m_opts.env->compose ? m_opts.env->compose->project : ""; }

  // The daemon's socket: compose.docker_host, else $DOCKER_HOST, else the default; "" with `why`
  // when it is no unix socket.
  std::string docker_socket(std::string& why) {
    std::string host = m_opts.env->compose->docker_host;
    if (host.empty()) {
      const char* e = m_probes.getenv("DOCKER_HOST");
      host = e && *e ? e : "unix:///var/run/docker.sock";
    }
    m_docker_host = host;
    if (host.starts_with("unix://") && host.size() > 7) return host.substr(7);
    why = "DOCKER_HOST=" + host + " is not a unix socket: the Docker probe reads the Engine API on its unix socket only";
    return "";
  }

  // Whether docker checks can run in this environment; skips the result when not.
  bool docker_ready(size_t idx) {
    if (!m_opts.env || !m_opts.env->compose) {
      skip(idx, "no compose: settings in the " + env_label() + " (project, docker_host): docker commands are not checked");
      return false;
    }
    if (!m_opts.env->compose->probe) {
      skip(idx, "compose.probe is false in environment '" + m_opts.env->name + "': the Docker Engine is not contacted");
      return false;
    }
    std::string why;
    m_docker_query.socket = docker_socket(why);
    if (!why.empty()) config_error(idx, why, "set compose: {docker_host: unix:///path/to/docker.sock} in environment '" + m_opts.env->name + "'");
    return why.empty();
  }

  // Services and containers that docker and docker compose commands name.
  void plan_docker_commands(const Runbook& rb, const Snippet& s) {
    for (const auto& cmd : s.commands) {
      for (const auto& dc : model::read_docker_commands(cmd.text)) {
        std::string project = dc.project.empty() ? compose_project() : dc.project;
        if (dc.form == model::DockerCommand::Form::compose && dc.targets.empty()) {
          if (!dc.subcommand.empty()) plan_docker_target(rb, s, cmd.line, dc, project, "");
          continue;
        }
        for (const auto& t : dc.targets) plan_docker_target(rb, s, cmd.line, dc, project, t);
      }
    }
  }

  // One name of one command; `name` "" for a compose command that names no service (the
  // project must exist), checked once per runbook.
  void plan_docker_target(const Runbook& rb, const Snippet& s, int line, const model::DockerCommand& dc, const std::string& project, const std::string& name) {
    bool compose = dc.form == model::DockerCommand::Form::compose;
    DockerCheck check;
    check.what = name.empty() ? DockerCheck::What::project : compose ? DockerCheck::What::service : DockerCheck::What::container;
    std::string shown_project = project.empty() ? "?" : project;
    auto target = [&](const std::string& n) {
      return n.empty() ? "project " + shown_project : compose ? "service " + n + " (project " + shown_project + ")" : "container " + n;
    };
    std::string expect = name.empty() ? "has containers" : dc.needs_running ? "exists and runs" : dc.any_object ? "exists (container, image, network or volume)" : "exists";
    std::string key = rb.path + "\n" + (name.empty() ? "" : std::to_string(line)) + "\n" + target(name) + "\n" + expect;
    if (!m_docker_seen.insert(key).second) return;
    size_t idx = add_result(rb, "docker", line, s.id, target(name), expect);
    if (!applies(idx, &s)) return;
    if (dc.other_daemon) return skip(idx, "addresses another Docker daemon (-H, --context or DOCKER_HOST=): not checked");
    if (!docker_ready(idx)) return;
    if (compose && project.empty()) return skip(idx, "the " + env_label() + " names no Compose project (compose.project)");
    if (compose && dc.profile) return skip(idx, "--profile: the services of a profile need not be running");
    if (dc.one_off) return skip(idx, "docker compose run starts a one-off container: the service need not be running");
    std::string filled = name;
    if (!name.empty() && !fill(idx, name, filled)) return;
    if (model::docker_name_has_placeholder(filled)) return skip(idx, "'" + name + "' is a pattern, not a name");
    m_results[idx].target = target(filled);
    check.result = idx;
    check.digest = m_results[idx].digest;
    check.rb = &rb;
    check.line = line;
    check.project = project;
    check.name = filled;
    check.running = dc.needs_running;
    check.any_object = dc.any_object;
    m_docker_query.objects = m_docker_query.objects || dc.any_object;
    if (compose && std::find(m_docker_query.projects.begin(), m_docker_query.projects.end(), project) == m_docker_query.projects.end()) {
      m_docker_query.projects.push_back(project);
    }
    m_docker_checks.push_back(std::move(check));
  }

  // Line of `services:` in the front matter (its opening line when not found).
  static int front_matter_services_line(const Runbook& rb) {
    for (int line = rb.meta.line + 1; line < rb.meta.line + 200; ++line) {
      std::string_view text = model::source_line(rb.source, line);
      if (model::trim(text) == "---") break;
      if (text.starts_with("services:")) return line;
    }
    return rb.meta.line;
  }

  // Services the runbook documents as part of the stack (port and health tables, service lists,
  // front matter): they must run and be healthy, and publish the ports the tables give. Only
  // names that match a service of the project are checked; they become results when they do.
  void plan_docker_stack(const Runbook& rb) {
    std::string project = compose_project();
    if (project.empty() || !m_opts.env->compose->probe) return;
    std::string why;
    std::string socket = docker_socket(why);
    if (socket.empty()) return;  // reported by the command checks, when there are any
    m_docker_query.socket = socket;
    if (std::find(m_docker_query.projects.begin(), m_docker_query.projects.end(), project) == m_docker_query.projects.end()) {
      m_docker_query.projects.push_back(project);
    }
    auto candidate = [&](std::string digest, DockerCheck::What what, const std::string& documented_name, int line, int port = 0, std::string documented = {}) {
      DockerCheck c;
      c.digest = std::move(digest);
      c.what = what;
      c.rb = &rb;
      c.line = line;
      c.project = project;
      c.name = documented_name;
      c.port = port;
      c.documented = std::move(documented);
      m_docker_candidates.push_back(std::move(c));
    };
    for (const auto& p : rb.ports) {
      if (p.service.empty() || (!p.environment.empty() && !model::iequals(p.environment, m_opts.env->name))) continue;
      std::string digest = model::check_digest(p);
      candidate(digest, DockerCheck::What::state, p.service, p.line);
      if (p.port <= 0) continue;
      // Where the environment maps the documented port, the stack publishes the mapped one.
      TargetPolicy::Rewritten r = m_policy.rewrite(model::to_lower(model::trim(p.service)), p.port);
      int port = r.rewritten && r.port > 0 ? r.port : p.port;
      candidate(digest, DockerCheck::What::port, p.service, p.line, port,
                p.service + " is on " + std::to_string(p.port) + (port != p.port ? " (" + std::to_string(port) + " in environment '" + m_opts.env->name + "')" : ""));
    }
    for (const auto& ep : rb.endpoints) {
      if ((ep.source == "table" || ep.source == "list") && !ep.service.empty()) candidate(model::check_digest(ep), DockerCheck::What::state, ep.service, ep.line);
    }
    if (!rb.meta.services.empty()) {
      int line = front_matter_services_line(rb);
      for (const auto& name : rb.meta.services) candidate(model::service_check_digest(name), DockerCheck::What::state, name, line);
    }
  }

  // The daemon did not answer, or the project has no containers: one result and finding for
  // it, at the first check that needed it; the checks that depended on it are skipped.
  void docker_unavailable(const std::string& rule, const std::string& detail, const std::string& message, const std::string& hint,
                          const DockerSnapshot& snap, bool (*depends)(const DockerCheck&, const std::string&)) {
    std::string project = compose_project();
    const DockerCheck* first = nullptr;
    for (const auto* list : {&m_docker_checks, &m_docker_candidates}) {
      for (const auto& c : *list) {
        if (!depends(c, project)) continue;
        if (!first || std::tie(c.rb->path, c.line) < std::tie(first->rb->path, first->line)) first = &c;
      }
    }
    if (!first) return;
    std::string where = first->rb->path + ":" + std::to_string(first->line);
    for (const auto& c : m_docker_checks) {
      if (depends(c, project)) skip(c.result, "not checked: " + detail + " (see " + where + ")");
    }
    size_t idx = add_result(*first->rb, "docker", first->line, "", rule == "live-unreachable" ? "Docker Engine (" + m_docker_host + ")" : "project " + project,
                            rule == "live-unreachable" ? "answers on its socket" : "has containers", first->digest);
    settle(idx, Outcome::fail, snap.attempts, snap.latency_ms, detail);
    if (!rule.empty()) add_finding(idx, rule, first->line, message, hint);
  }

  void map_docker(const DockerSnapshot& snap) {
    if (!snap.error.empty()) {
      bool late = snap.error.find("global deadline") != std::string::npos;
      docker_unavailable(late ? "" : "live-unreachable", snap.error, "the Docker Engine at " + m_docker_host + " is unreachable: " + snap.error,
                         "start the daemon, or point compose.docker_host of the " + env_label() + " at its socket", snap,
                         [](const DockerCheck&, const std::string&) { return true; });
      return;
    }
    DockerStack stack(snap);
    std::string project = compose_project();
    bool project_missing = !project.empty() && !stack.has_project(project);
    if (project_missing) {
      docker_unavailable("live-docker", "project " + project + " has no containers",
                         "Compose project '" + project + "' has no containers on " + m_docker_host + " (projects there: " + stack.projects() + ")",
                         "start the stack, or set compose.project of the " + env_label() + " to the running project's name", snap,
                         [](const DockerCheck& c, const std::string& p) { return c.what != DockerCheck::What::container && c.project == p; });
    }
    for (const auto& c : m_docker_checks) {
      if (project_missing && c.what != DockerCheck::What::container && c.project == project) continue;
      DockerVerdict v;
      if (c.what == DockerCheck::What::project) {
        v.pass = stack.has_project(c.project);
        v.detail = v.pass ? "found" : "no containers";
        v.problem = "Compose project '" + c.project + "' has no containers on " + m_docker_host + " (projects there: " + stack.projects() + ")";
        v.hint = "start the stack, or fix the project name (-p) in the runbook";
      } else if (c.what == DockerCheck::What::service) {
        v = stack.service_named(c.project, c.name, c.running);
      } else {
        v = stack.container_named(c.name, c.running, c.any_object);
      }
      settle(c.result, v.pass ? Outcome::pass : Outcome::fail, snap.attempts, snap.latency_ms, v.detail);
      if (!v.pass) add_finding(c.result, "live-docker", c.line, v.problem, v.hint);
    }
    if (project_missing) return;
    std::set<std::string> seen;
    for (const auto& c : m_docker_candidates) {
      std::string service = stack.match_service(c.project, c.name);
      if (service.empty()) continue;
      bool port = c.what == DockerCheck::What::port;
      if (!seen.insert(c.rb->path + "\n" + service + "\n" + (port ? std::to_string(c.line) + ":" + std::to_string(c.port) : "state")).second) continue;
      std::optional<DockerVerdict> v = port ? stack.published_port(c.project, service, c.documented, c.port) : stack.service_state(c.project, service);
      if (!v) continue;
      size_t idx = add_result(*c.rb, "docker", c.line, "", "service " + service + " (project " + c.project + ")",
                              port ? "publishes " + std::to_string(c.port) : "running, healthy if it has a healthcheck", c.digest);
      settle(idx, v->pass ? Outcome::pass : Outcome::fail, snap.attempts, snap.latency_ms, v->detail);
      if (!v->pass) add_finding(idx, port ? "live-docker-port" : "live-docker-state", c.line, v->problem, v->hint);
    }
  }

  // A service that is down or publishes another port also fails the TCP and HTTP checks of
  // its table row: one finding at that line, the Docker one, says both.
  void fold_into_docker_findings() {
    std::map<std::pair<std::string, int>, size_t> docker;
    for (size_t i = 0; i < m_findings.size(); ++i) {
      if (m_findings[i].rule == "live-docker-state" || m_findings[i].rule == "live-docker-port") docker.emplace(std::make_pair(m_findings[i].file, m_findings[i].line), i);
    }
    if (docker.empty()) return;
    auto folded = [&](const Finding& f) {
      return (f.rule == "live-tcp" || f.rule == "live-http") ? docker.find({f.file, f.line}) : docker.end();
    };
    for (const auto& f : m_findings) {
      if (auto it = folded(f); it != docker.end()) {
        m_findings[it->second].message += "; the " + std::string(f.rule == "live-tcp" ? "TCP" : "HTTP") + " check of this row fails too: " + f.message;
      }
    }
    std::erase_if(m_findings, [&](const Finding& f) { return folded(f) != docker.end(); });
  }

  const LiveOptions& m_opts;
  const LiveProbes& m_probes;
  TargetPolicy m_policy;
  std::vector<LiveResult> m_results;
  std::vector<const Runbook*> m_result_rb;
  std::vector<Finding> m_findings;
  std::map<const Runbook*, model::LineIndex> m_lines;  // one per runbook with findings
  std::set<std::string> m_config_errors;
  ProbeBatch<HttpRequest> m_http;
  ProbeBatch<TcpTarget> m_tcp;
  std::set<std::string> m_tcp_seen;
  std::vector<std::string> m_dsns, m_dsn_names;
  std::map<std::string, size_t> m_dsn_index;
  ProbeBatch<SqlTask> m_sql;
  std::map<size_t, std::vector<int>> m_sql_lines;  // by result: the markdown line of each statement
  std::vector<Url> m_redis_urls;
  std::vector<std::string> m_redis_names;
  std::map<std::string, size_t> m_redis_index;
  ProbeBatch<RedisTask> m_redis;
  std::string m_docker_host;
  DockerQuery m_docker_query;
  std::vector<DockerCheck> m_docker_checks;
  std::vector<DockerCheck> m_docker_candidates;
  std::set<std::string> m_docker_seen;
};

}  // namespace

std::optional<Finding> deadline_finding(const std::vector<LiveResult>& results) {
  size_t late = 0;
  for (const auto& r : results) late += r.detail.find("global deadline") != std::string::npos;
  if (late == 0) return std::nullopt;
  return Finding{"live-deadline", model::Severity::error, "", 0, 0, model::counted(late, "live check") + " did not finish before the global deadline",
                 "raise --deadline, or look for a service that hangs (the results list which)", {}, {}};
}

LiveReport check_live(const std::vector<model::Runbook>& runbooks, const LiveOptions& options, const LiveProbes& probes) {
  Planner planner(options, probes);
  for (const auto& rb : runbooks) {
    if (!options.only.empty() && !options.only.count(rb.path)) continue;
    planner.plan(rb);
  }
  return planner.run();
}

}  // namespace opsbook::validator
