// opsbook check: validate runbooks statically and report in text, json, junit, sarif or github form.
#include <CLI/CLI.hpp>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <set>
#include <sstream>

#include "cli/command.hpp"
#include "cli/common.hpp"
#include "model/error.hpp"
#include "model/loader.hpp"
#include "validator/drift.hpp"
#include "runner/run.hpp"
#include "validator/live_check.hpp"
#include "model/process.hpp"
#include "validator/report_writers.hpp"
#include "validator/static_checks.hpp"

namespace opsbook::cli {

namespace {

// Doc-tests (run=auto snippets with expect-exit / expect-stdout) run one after another, in file
// order, within what is left of the live deadline; they become live results and findings.
void run_doctests(const std::vector<model::Runbook>& runbooks, const std::set<std::string>& only, const model::EnvironmentConfig* env,
                  std::chrono::milliseconds timeout, std::chrono::steady_clock::time_point deadline, validator::LiveReport& report) {
  for (const auto& rb : runbooks) {
    if (!only.empty() && !only.count(rb.path)) continue;
    for (const auto& s : rb.snippets) {
      if (!runner::is_doctest(s)) continue;
      validator::LiveResult r;
      r.kind = "doctest";
      r.file = rb.path;
      r.line = s.line;
      r.snippet = s.id;
      r.target = s.id;
      const std::string* exit = s.attr("expect-exit");
      const std::string* out = s.attr("expect-stdout");
      r.expectation = "exit " + (exit ? *exit : std::string("0")) + (out ? ", stdout /" + *out + "/" : "");
      const std::string* check = s.attr("check");
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
      if (check && (*check == "skip" || *check == "static")) {
        r.detail = "check=" + *check;
      } else if (left.count() <= 0) {
        r.outcome = validator::LiveResult::Outcome::fail;
        r.detail = "not run: the global deadline was reached";
      } else {
        runner::DocTestResult d = runner::run_doctest(rb, s, env, std::min(timeout, left));
        r.attempts = d.outcome == runner::DocTestResult::Outcome::skipped ? 0 : 1;
        r.latency_ms = d.ms;
        r.detail = d.detail;
        r.outcome = d.outcome == runner::DocTestResult::Outcome::pass   ? validator::LiveResult::Outcome::pass
                    : d.outcome == runner::DocTestResult::Outcome::fail ? validator::LiveResult::Outcome::fail
                                                                        : validator::LiveResult::Outcome::skipped;
      }
      if (r.outcome == validator::LiveResult::Outcome::fail) {
        validator::Finding f{"live-doctest", model::Severity::error, rb.path, s.line, 0, s.id + ": " + r.detail,
                             "the snippet no longer does what the runbook says (" + r.expectation + "): fix the runbook or the service", s.id, {}};
        std::string_view line = model::source_line(rb.source, s.line);
        f.source_line = validator::redact_line(line, validator::find_secrets(line));
        report.findings.push_back(std::move(f));
      }
      report.results.push_back(std::move(r));
    }
  }
}

struct CheckOptions {
  std::vector<std::string> paths;
  std::string format = "text";
  std::string output;
  std::string json_output;  // also the JSON report, e.g. for opsbook build --report
  std::string fail_on = "error";
  bool no_shell = false;
  bool no_shellcheck = false;
  std::string changed_since;
  int shellcheck_timeout = 60;
  bool live = false;
  std::string env;
  double timeout = 10;    // seconds per probe attempt
  double deadline = 300;  // seconds for the whole live run
  int retries = 2;
  unsigned live_jobs = 32;
};

// Last resort behind the probes' own timeouts: if the live run overruns --deadline by a
// margin (a library call that ignored its timeout), stop the process rather than hang CI.
class Watchdog {
 public:
  explicit Watchdog(std::chrono::steady_clock::time_point limit) : m_thread([this, limit] {
    std::unique_lock lock(m_mutex);
    if (!m_done.wait_until(lock, limit, [this] { return m_stop; })) {
      std::fprintf(stderr, "opsbook: error: the live checks overran --deadline and were stopped\n");
      std::fflush(stderr);
      std::_Exit(1);
    }
  }) {}
  ~Watchdog() {
    {
      std::lock_guard lock(m_mutex);
      m_stop = true;
    }
    m_done.notify_all();
    m_thread.join();
  }
  Watchdog(const Watchdog&) = delete;
  Watchdog& operator=(const Watchdog&) = delete;

 private:
  std::mutex m_mutex;
  std::condition_variable m_done;
  bool m_stop = false;
  std::thread m_thread;
};

int run_check(const CheckOptions& opts, const GlobalOptions& globals) {
  // load config -> collect and parse -> static rules -> write the report -> exit code
  model::Severity fail_on;
  if (!model::parse_severity(opts.fail_on, fail_on)) throw Error("--fail-on takes error, warning or info, not '" + opts.fail_on + "'");
  model::Config config = load_config(globals);
  const model::EnvironmentConfig* env = opts.live ? select_environment(config, opts.env) : nullptr;
  if (opts.timeout <= 0 || opts.deadline <= 0) throw Error("--timeout and --deadline take a number of seconds above 0");
  std::vector<std::string> paths = source_paths(opts.paths, config);
  model::Diagnostics top;
  std::vector<model::SourceFile> files = model::collect_sources(paths, top);
  model::LoadOptions load;
  load.jobs = globals.jobs;
  std::vector<model::Runbook> runbooks = model::load_runbooks(files, load);

  validator::StaticOptions options;
  if (!opts.changed_since.empty()) {
    // Only runbooks that differ from GIT_REF (committed, staged or not) are checked.
    model::ProcessResult git = model::run_process({"git", "diff", "--name-only", "--relative", opts.changed_since, "--"}, "", std::chrono::seconds(60));
    if (!git.started || git.exit_code != 0) throw Error("--changed-since " + opts.changed_since + ": git diff failed: " + git.err);
    std::set<std::string> changed;
    std::stringstream lines(git.out);
    for (std::string l; std::getline(lines, l);) changed.insert(std::filesystem::weakly_canonical(l).string());
    for (const auto& rb : runbooks) {
      if (changed.count(std::filesystem::weakly_canonical(rb.path).string())) options.only.insert(rb.path);
    }
    if (options.only.empty()) options.only.insert("\x01none");  // nothing changed: check nothing
  }
  options.jobs = globals.jobs;
  options.shell = !opts.no_shell;
  options.shellcheck = !opts.no_shell && !opts.no_shellcheck;
  options.shellcheck_timeout = std::chrono::seconds(opts.shellcheck_timeout);
  std::vector<validator::Finding> findings;
  for (const auto& d : top.items()) findings.push_back({d.rule, d.severity, d.file, d.loc.line, d.loc.col, d.message, d.hint, {}, {}});
  auto found = validator::check_static(runbooks, options);
  findings.insert(findings.end(), found.begin(), found.end());
  // Drift against the compose file and .env.example, when configured or found beside the content.
  validator::DriftSources drift = validator::find_drift_sources(config.resolve(config.compose_file), config.resolve(config.env_example),
                                                                 paths.size() == 1 ? paths[0] : config.resolve(config.content));
  auto drifted = validator::check_drift(runbooks, drift);
  for (auto& f : drifted) {
    if (options.only.empty() || options.only.count(f.file)) findings.push_back(std::move(f));
  }

  validator::ReportContext ctx;
  // Live checks against the environment's stack, under one global deadline.
  if (opts.live) {
    auto started = std::chrono::steady_clock::now();
    validator::LiveOptions live;
    live.env = env;
    live.only = options.only;
    live.limits.timeout = std::chrono::milliseconds(static_cast<long long>(opts.timeout * 1000));
    live.limits.deadline = started + std::chrono::milliseconds(static_cast<long long>(opts.deadline * 1000));
    live.limits.retries = opts.retries;
    live.limits.concurrency = std::max(1u, opts.live_jobs);
    validator::LiveReport report;
    {
      Watchdog watchdog(live.limits.deadline + std::chrono::seconds(15));
      report = validator::check_live(runbooks, live);
      run_doctests(runbooks, live.only, env, live.limits.timeout * 6, live.limits.deadline, report);
    }
    findings.insert(findings.end(), report.findings.begin(), report.findings.end());
    ctx.live = true;
    ctx.env = env ? env->name : "";
    ctx.results = std::move(report.results);
    ctx.live_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  }
  ctx.tool_version = OPSBOOK_VERSION;
  ctx.generated_at = utc_now();
  for (const auto& rb : runbooks) {
    if (!options.only.empty() && !options.only.count(rb.path)) continue;
    ctx.files.push_back(rb.path);
    ctx.snippets += rb.snippets.size();
  }
  std::string report;
  if (opts.format == "text") report = validator::write_text(findings, ctx);
  else if (opts.format == "json") report = validator::write_json(findings, ctx);
  else if (opts.format == "junit") report = validator::write_junit(findings, ctx);
  else if (opts.format == "sarif") report = validator::write_sarif(findings, ctx);
  else if (opts.format == "github") report = validator::write_github(findings, ctx);
  else throw Error("--format takes text, json, junit, sarif or github, not '" + opts.format + "'");

  if (!opts.json_output.empty()) {
    write_output(opts.json_output, opts.format == "json" ? report : validator::write_json(findings, ctx), "the JSON report");
  }
  write_output(opts.output, report, "the report");
  if (!opts.output.empty()) {
    auto s = validator::summarise(findings, ctx.files.size(), ctx.snippets);
    std::fprintf(stderr, "opsbook check: %zu errors, %zu warnings, %zu notes in %zu runbooks; report in %s\n", s.errors, s.warnings, s.infos,
                 s.files, opts.output.c_str());
  }
  for (const auto& f : findings) {
    if (static_cast<int>(f.severity) >= static_cast<int>(fail_on)) return 1;
  }
  return 0;
}

}  // namespace

Command check_command() {
  return Command{"check", "Validate runbooks (static rules; see 'opsbook help rules')",
                 [](CLI::App& sub, const GlobalOptions& globals) -> std::function<int()> {
                   auto opts = std::make_shared<CheckOptions>();
                   sub.add_option("paths", opts->paths, "Files or folders (default: the configured content folder)");
                   sub.add_option("--format", opts->format, "text, json, junit, sarif or github")->capture_default_str();
                   sub.add_option("-o,--output", opts->output, "Write the report to FILE instead of stdout");
                   sub.add_option("--json", opts->json_output, "Also write the JSON report to FILE (for opsbook build --report)");
                   sub.add_option("--fail-on", opts->fail_on, "Exit 1 when a finding is at least this severe: error, warning or info")->capture_default_str();
                   sub.add_flag("--no-shell", opts->no_shell, "Do not run bash -n or shellcheck on shell snippets");
                   sub.add_option("--changed-since", opts->changed_since, "Check only runbooks changed since this git ref (e.g. origin/main)");
                   sub.add_flag("--no-shellcheck", opts->no_shellcheck, "Do not run shellcheck (bash -n still runs)");
                   sub.add_flag("--live", opts->live, "Also check against a running stack: HTTP, TCP, PostgreSQL, Redis (SPEC section 3)");
                   sub.add_option("--env", opts->env, "Environment of opsbook.yaml for --live (default: default_env)");
                   sub.add_option("--timeout", opts->timeout, "Seconds one live probe attempt may take")->capture_default_str();
                   sub.add_option("--deadline", opts->deadline, "Seconds the whole live run may take; what is left is reported")->capture_default_str();
                   sub.add_option("--retries", opts->retries, "Extra attempts on connection errors and unexpected 5xx")->capture_default_str();
                   sub.add_option("--live-jobs", opts->live_jobs, "HTTP probes in flight at once")->capture_default_str();
                   sub.add_option("--shellcheck-timeout", opts->shellcheck_timeout, "Seconds one shellcheck batch may take")->capture_default_str();
                   return [opts, &globals] { return run_check(*opts, globals); };
                 }};
}

}  // namespace opsbook::cli
