// opsbook check: validate runbooks statically and report in text, json, junit, sarif or github form.
#include <CLI/CLI.hpp>
#include <chrono>
#include <cmath>
#include <condition_variable>
#include <cstdio>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <span>
#include <thread>

#include <sys/prctl.h>

#include "cli/check_inputs.hpp"
#include "cli/history_record.hpp"
#include "history/open.hpp"
#include "cli/command.hpp"
#include "cli/common.hpp"
#include "cli/last_check.hpp"
#include "cli/report_output.hpp"
#include "cli/progress.hpp"
#include "model/check_digest.hpp"
#include "model/error.hpp"
#include "model/numbers.hpp"
#include "model/pid_namespace.hpp"
#include "model/shard.hpp"
#include "runner/run.hpp"
#include "runner/doctest_sandbox.hpp"
#include "validator/drift.hpp"
#include "validator/live_check.hpp"
#include "validator/report_merge.hpp"
#include "model/text.hpp"
#include "validator/shellcheck_cache.hpp"
#include "validator/static_checks.hpp"
#include "model/terminal_text.hpp"

namespace opsbook::cli {

namespace {

// Doc-tests (run=auto snippets with expect-exit / expect-stdout) run one after another, in file
// order, within what is left of the live deadline; they become live results and findings.
void run_doctests(const std::vector<model::Runbook>& runbooks, const std::set<std::string>& only, const model::EnvironmentConfig* env,
                  std::chrono::milliseconds timeout, std::chrono::steady_clock::time_point deadline, validator::LiveReport& report) {
  bool unconfined_noted = false;
  for (const auto& rb : runbooks) {
    if (!only.empty() && !only.count(rb.path)) continue;
    for (const auto& s : rb.snippets) {
      if (!model::is_doctest(s)) continue;
      validator::LiveResult r;
      r.kind = "doctest";
      r.file = rb.path;
      r.line = s.line;
      r.snippet = s.id;
      r.target = s.id;
      r.digest = model::check_digest(s);
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
        if (const std::string& why = runner::doctest_sandbox_problem(); !why.empty() && !unconfined_noted) {
          std::fprintf(stderr, "opsbook: note: doc-tests run without the kernel sandbox: %s; only the static doc-test rules confine them (docs/safety.md#the-doc-test-sandbox)\n",
                       why.c_str());
          unconfined_noted = true;
        } else if (const std::string& pid_ns = model::pid_namespace_problem(); why.empty() && !pid_ns.empty() && !unconfined_noted) {
          std::fprintf(stderr, "opsbook: note: doc-tests run without a PID namespace of their own: %s; what a doc-test starts in the background (setsid, a daemon) can outlive it (docs/safety.md#the-doc-test-sandbox)\n",
                       pid_ns.c_str());
          unconfined_noted = true;
        }
        runner::DocTestResult d = runner::run_doctest(rb, s, env, std::min(timeout, left));
        r.attempts = d.outcome == runner::DocTestResult::Outcome::skipped ? 0 : 1;
        r.latency_ms = d.ms;
        r.detail = validator::redact_line(d.detail, validator::find_secrets(d.detail));  // a doc-test's output may hold any secret
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
  ReportOutput report;
  bool no_shell = false;
  bool no_shellcheck = false;
  std::string changed_since;
  std::string shard = "1/1";
  int shellcheck_timeout = 60;
  bool live = false;
  std::string env;
  double timeout = 10;    // seconds per probe attempt
  double deadline = 300;  // seconds for the whole live run
  int retries = 2;
  unsigned live_jobs = 32;
  unsigned per_host = 8;
  double rate = 0;
  bool record = false;  // into the check history
  std::string run_id;
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

// Static checks of the selected runbooks: the parser's diagnostics and the rules, then drift
// against the compose file and .env.example. Findings about runbooks outside the selection are
// dropped; those about the whole run are kept unless only changed runbooks are checked. Findings
// of a runbook past limits.findings are only counted, into `left_out`.
std::vector<validator::Finding> check_statically(const CheckOptions& opts, const CheckInputs& in, const std::set<std::string>& only,
                                                 const model::Config& config, const std::vector<std::string>& paths, unsigned jobs,
                                                 std::map<std::string, validator::LeftOut>& left_out) {
  validator::StaticOptions options;
  options.only = only;
  options.jobs = jobs;
  options.shell = !opts.no_shell;
  options.shellcheck = !opts.no_shell && !opts.no_shellcheck;
  options.shellcheck_timeout = std::chrono::seconds(opts.shellcheck_timeout);
  options.shellcheck_runbook_bytes = config.limits.shellcheck_bytes;
  options.shellcheck_run_bytes = config.limits.shellcheck_run_bytes;
  options.findings = config.limits.findings;
  options.left_out = &left_out;
  std::vector<validator::Finding> findings;
  for (const auto& d : in.top.items()) findings.push_back({d.rule, d.severity, d.file, d.loc.line, d.loc.col, d.message, d.hint, {}, {}});
  // Scripts shellcheck saw before, by content: shared by the shards of one machine, kept by CI.
  std::optional<validator::ShellcheckCache> cache;
  if (options.shellcheck) options.shellcheck_cache = &cache.emplace(config.resolve(".opsbook/shellcheck-cache"));
  auto note = [&] {
    if (std::string n = cache ? cache->take_note() : ""; !n.empty()) model::print_line("opsbook: note: " + n);
  };
  note();
  auto found = validator::check_static(in.runbooks, options);
  if (cache) cache->save();
  note();
  findings.insert(findings.end(), std::make_move_iterator(found.begin()), std::make_move_iterator(found.end()));
  validator::DriftSources drift = validator::find_drift_sources(config.resolve(config.compose_file), config.resolve(config.env_example),
                                                                 paths.size() == 1 ? paths[0] : config.resolve(config.content),
                                                                 config.dir.empty() ? "." : config.dir);
  std::set<std::string> owned;
  for (size_t i = 0; i < in.owned; ++i) owned.insert(in.runbooks[i].path);
  for (auto& f : validator::check_drift(std::span(in.runbooks).first(in.owned), drift)) {
    bool about_runbook = owned.count(f.file) > 0;
    if (only.empty() || only.count(f.file) || (!about_runbook && opts.changed_since.empty())) findings.push_back(std::move(f));
  }
  return findings;
}

int run_check(const CheckOptions& opts, const GlobalOptions& globals) {
  // options -> config -> collect and parse the shard -> static rules -> live checks -> report -> exit code
  validate_report_options(opts.report);
  std::string shard_error;
  std::optional<model::Shard> shard = model::parse_shard(opts.shard, shard_error);
  if (!shard) throw Error(shard_error);
  model::Config config = load_config(globals);
  const model::EnvironmentConfig* env = opts.live ? select_environment(config, opts.env) : nullptr;
  // Checked before any conversion: "inf", "nan" and huge values are usage errors, not casts.
  auto timeout = model::seconds_to_duration(opts.timeout, std::chrono::hours(1));
  auto deadline = model::seconds_to_duration(opts.deadline, std::chrono::hours(24));
  if (!timeout) throw Error("--timeout takes a number of seconds above 0 and at most 3600");
  if (!deadline) throw Error("--deadline takes a number of seconds above 0 and at most 86400");
  if (opts.shellcheck_timeout < 1 || opts.shellcheck_timeout > 86400) throw Error("--shellcheck-timeout takes a whole number of seconds from 1 to 86400");
  if (opts.retries < 0 || opts.retries > 100) throw Error("--retries takes a whole number from 0 to 100");
  if (!(opts.rate >= 0 && opts.rate <= 100000)) throw Error("--rate takes a number of probes per second per host from 0 (no limit) to 100000");
  std::unique_ptr<history::Store> history = opts.record ? history::open_configured(config) : nullptr;  // before the work: a bad store fails fast
  std::vector<std::string> paths = source_paths(opts.paths, config);
  note_seal_key();
  Progress progress;
  progress.phase("reading runbooks");
  CheckInputs in = load_check_inputs(paths, *shard, opts.changed_since, globals.jobs, config.limits);
  progress.phase("checking " + model::counted(in.owned, "runbook"));
  if (shard->count > 1) {
    std::fprintf(stderr, "opsbook check: shard %s: %zu of %zu runbooks (set %s), %zu more parsed for their link targets\n", shard->str().c_str(),
                 in.owned, in.set_count, in.set_fingerprint.c_str(), in.runbooks.size() - in.owned);
  }
  std::set<std::string> only = in.all ? std::set<std::string>{} : in.checked;
  if (!in.all && only.empty()) only.insert("\x01none");  // nothing selected: check nothing

  std::map<std::string, validator::LeftOut> left_out;
  std::vector<validator::Finding> findings = check_statically(opts, in, only, config, paths, globals.jobs, left_out);
  validator::ReportContext ctx;
  // Live checks against the environment's stack, under one global deadline.
  if (opts.live) {
    // Doc-tests run beside us: our environment holds CI's secrets, and /proc/PPID/environ would
    // show it to them. Not dumpable, only root (or CAP_SYS_PTRACE) may read it.
    ::prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
    auto started = std::chrono::steady_clock::now();
    validator::LiveOptions live;
    live.env = env;
    live.only = only;
    live.limits.timeout = *timeout;
    live.limits.deadline = started + *deadline;
    live.limits.retries = opts.retries;
    live.limits.concurrency = std::max(1u, opts.live_jobs);
    live.per_host = opts.per_host;
    live.rate = opts.rate;
    validator::LiveReport report;
    {
      Watchdog watchdog(live.limits.deadline + std::chrono::seconds(15));
      progress.phase("live checks on " + (env ? env->name : std::string("no environment")));
      report = validator::check_live(in.runbooks, live);
      progress.phase("doc-tests on " + (env ? env->name : std::string("no environment")));
      run_doctests(in.runbooks, live.only, env, live.limits.timeout * 6, live.limits.deadline, report);
    }
    findings.insert(findings.end(), report.findings.begin(), report.findings.end());
    if (auto late = validator::deadline_finding(report.results)) findings.push_back(std::move(*late));
    ctx.live = true;
    ctx.env = env ? env->name : "";
    ctx.results = std::move(report.results);
    ctx.live_stats = report.stats;
    double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    ctx.live_seconds = std::round(seconds * 1000) / 1000;  // as the JSON report keeps it
  }
  progress.finish();
  validator::cap_findings(findings, config.limits.findings, left_out);
  ctx.tool_version = OPSBOOK_VERSION;
  ctx.generated_at = utc_now();
  ctx.shard = *shard;
  ctx.set_count = in.set_count;
  ctx.set_fingerprint = in.set_fingerprint;
  ctx.scope = {!opts.no_shell, !opts.no_shell && !opts.no_shellcheck, opts.changed_since};
  for (size_t i = 0; i < in.owned; ++i) {
    const auto& rb = in.runbooks[i];
    if (!rb.readable || (!only.empty() && !only.count(rb.path))) continue;
    ctx.files.push_back(rb.path);
    ctx.snippets += rb.snippets.size();
  }
  validator::canonical_order(findings, ctx);
  // Kept in .opsbook/ for `opsbook build` and `serve` (a shard's report covers only its shard).
  if (shard->count <= 1) keep_report(config, ctx.env, validator::write_json(findings, ctx));
  int exit_code = emit_report(opts.report, findings, ctx, "check");
  if (history) model::print_line(record_history(*history, run_id_for(opts.run_id, findings, ctx), findings, ctx));
  return exit_code;
}

}  // namespace

Command check_command() {
  return Command{"check", "Validate runbooks (static rules; see 'opsbook help rules')",
                 [](CLI::App& sub, const GlobalOptions& globals) -> std::function<int()> {
                   auto opts = std::make_shared<CheckOptions>();
                   sub.add_option("paths", opts->paths, "Files or folders (default: the configured content folder)");
                   add_report_options(sub, opts->report);
                   sub.add_flag("--no-shell", opts->no_shell, "Do not run bash -n or shellcheck on shell snippets");
                   sub.add_option("--changed-since", opts->changed_since, "Check only runbooks changed since this git ref (e.g. origin/main)");
                   sub.add_option("--shard", opts->shard, "Check shard I of N (e.g. 2/4), for parallel CI jobs; 'opsbook report merge' joins the reports")->capture_default_str();
                   sub.add_flag("--no-shellcheck", opts->no_shellcheck, "Do not run shellcheck (bash -n still runs)");
                   sub.add_flag("--live", opts->live, "Also check against a running stack: HTTP, TCP, PostgreSQL, Redis (environments: see docs/configuration.md)");
                   sub.add_option("--env", opts->env, "Environment of opsbook.yaml for --live (default: default_env)");
                   sub.add_option("--timeout", opts->timeout, "Seconds one live probe attempt may take")->capture_default_str();
                   sub.add_option("--deadline", opts->deadline, "Seconds the whole live run may take; what is left is reported")->capture_default_str();
                   sub.add_option("--retries", opts->retries, "Extra attempts on connection errors and unexpected 5xx")->capture_default_str();
                   sub.add_option("--live-jobs", opts->live_jobs, "HTTP probes in flight at once")->capture_default_str();
                   sub.add_option("--per-host", opts->per_host, "Live probes in flight to one host at once, all kinds together (0: no limit)")->capture_default_str();
                   sub.add_option("--rate", opts->rate, "Live probe starts per second per host (0: no limit)")->capture_default_str();
                   sub.add_flag("--record", opts->record, "Record the outcome in the check history (history: in opsbook.yaml; SQLite by default)");
                   sub.add_option("--run-id", opts->run_id, "Run id for --record, the same for every shard (default: the CI's run id)");
                   sub.add_option("--shellcheck-timeout", opts->shellcheck_timeout, "Seconds one shellcheck batch may take")->capture_default_str();
                   return [opts, &globals] { return run_check(*opts, globals); };
                 }};
}

}  // namespace opsbook::cli
