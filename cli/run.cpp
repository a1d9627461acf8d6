// opsbook run: one snippet of a runbook against an environment, through the runner's gates;
// `--list` shows what a runbook offers, with the last validation result from a report.
#include <CLI/CLI.hpp>
#include <unistd.h>

#include <cstdio>
#include <set>
#include <iostream>

#include "cli/command.hpp"
#include "cli/common.hpp"
#include "cli/terminal_sink.hpp"
#include "generator/report.hpp"
#include "model/check_digest.hpp"
#include "model/numbers.hpp"
#include "model/error.hpp"
#include "model/loader.hpp"
#include "model/terminal_text.hpp"
#include "model/text.hpp"
#include "runner/fill.hpp"
#include "runner/run.hpp"
#include "validator/static_checks.hpp"

namespace opsbook::cli {

namespace {

struct RunCliOptions {
  std::string target;  // RUNBOOK#SNIPPET or RUNBOOK with --list
  std::string env;
  std::vector<std::string> params;
  bool dry_run = false, yes = false, allow_destructive = false, force = false, list = false;
  double timeout = 0;
  std::string report;
  std::string transcripts;
  bool no_transcript = false;
};

// Redacts secrets line by line with the same detector as `opsbook check`.
std::string redact_text(std::string_view text) {
  std::string out;
  size_t start = 0;
  while (start <= text.size()) {
    size_t nl = text.find('\n', start);
    std::string_view line = text.substr(start, nl == std::string_view::npos ? std::string_view::npos : nl - start);
    out += validator::redact_line(line, validator::find_secrets(line));
    if (nl == std::string_view::npos) break;
    out += '\n';
    start = nl + 1;
  }
  return out;
}

bool terminal() { return ::isatty(0) && ::isatty(2); }

std::optional<std::string> ask_terminal(const std::string& question) {
  if (!terminal()) return std::nullopt;
  std::fprintf(stderr, "%s", model::terminal_text(question).c_str());
  std::fflush(stderr);
  std::string line;
  if (!std::getline(std::cin, line)) return std::nullopt;
  return line;
}

int list_snippets(const model::Runbook& rb, const RunCliOptions& opts) {
  generator::Report report;
  if (!opts.report.empty()) report = generator::load_report(opts.report);
  std::string out = model::terminal_text(rb.path) + ": " + model::counted(rb.snippets.size(), "snippet") + "\n";
  std::vector<model::CheckSource> checks = model::check_sources(rb);
  for (const auto& s : rb.snippets) {
    std::string safety(model::to_string(s.safety));
    if (s.declared && *s.declared != s.classified) safety += " (classified " + std::string(model::to_string(s.classified)) + ")";
    std::string params;
    std::set<std::string> seen;
    for (const auto& p : s.params) {
      if (seen.insert(p.name).second) params += (params.empty() ? "" : " ") + p.syntax;
    }
    std::string last = "never verified";
    if (report.loaded) {
      // Only a result of this text counts (model/check_digest): an edit since says so.
      std::string outcome = report.failing_snippets.count(rb.path + "#" + s.id) ? "fail" : generator::live_outcome(report, rb.path, model::check_digest(s));
      if (!outcome.empty()) last = outcome + " on " + report.env + " at " + report.generated_at;
      else if (std::string text = generator::unmatched_snippet_text(report, rb.path, s, checks); !text.empty()) last = text;
    }
    const std::string* run = s.attr("run");
    char line[512];
    std::snprintf(line, sizeof line, "  %-28s %-10s %-34s line %-5d %s%s%s\n", s.id.c_str(), std::string(model::to_string(s.kind)).c_str(), safety.c_str(),
                  s.line, run ? ("run=" + *run + " ").c_str() : "", params.empty() ? "" : ("params: " + params + " ").c_str(),
                  report.loaded ? ("[" + last + "]").c_str() : "");
    out += model::terminal_text(line, model::Lines::many);
  }
  OutputBuffer(stdout).write(out);
  return 0;
}

int run_command(const RunCliOptions& opts, const GlobalOptions& globals) {
  // load config -> parse the runbook -> find the snippet -> static check -> runner
  model::Config config = load_config(globals);
  const model::EnvironmentConfig* env = select_environment(config, opts.env);
  size_t hash = opts.target.find('#');
  std::string path = opts.target.substr(0, hash);
  std::string id = hash == std::string::npos ? "" : opts.target.substr(hash + 1);
  model::Diagnostics top;
  auto files = model::collect_sources({path}, top);
  if (files.size() != 1) throw Error(path + ": not a runbook file (opsbook run RUNBOOK.md#SNIPPET)");
  model::Runbook rb = model::load_runbook(files[0], {});
  if (opts.list) return list_snippets(rb, opts);
  if (id.empty()) throw Error("name the snippet: opsbook run " + path + "#NAME (see opsbook run " + path + " --list)");
  const model::Snippet* snippet = rb.find_snippet(id);
  if (!snippet) {
    std::string names;
    for (const auto& s : rb.snippets) names += (names.empty() ? "" : ", ") + s.id;
    throw Error(path + ": no snippet named '" + id + "'" + (names.empty() ? "" : "; it has: " + names));
  }

  runner::RunOptions ro;
  ro.env = env;
  for (const auto& p : opts.params) {
    size_t eq = p.find('=');
    if (eq == std::string::npos || eq == 0) throw Error("--param takes NAME=VALUE, not '" + p + "'");
    std::string name = p.substr(0, eq);
    // Accept the name as written in the runbook too: <service>, {{service}}, ${SERVICE}.
    if (name.size() > 2 && ((name.front() == '<' && name.back() == '>') || (name.front() == '[' && name.back() == ']'))) name = name.substr(1, name.size() - 2);
    if (name.rfind("{{", 0) == 0 && name.size() > 4) name = std::string(model::trim(name.substr(2, name.size() - 4)));
    if (name.rfind("${", 0) == 0 && name.back() == '}') name = name.substr(2, name.size() - 3);
    if (name[0] == '$') name = name.substr(1);
    ro.params.emplace_back(name, p.substr(eq + 1));
  }
  ro.dry_run = opts.dry_run;
  ro.yes = opts.yes;
  ro.allow_destructive = opts.allow_destructive;
  ro.force = opts.force;
  if (opts.timeout != 0) {  // 0: not given
    ro.timeout = model::seconds_to_duration(opts.timeout, std::chrono::hours(24));
    if (!ro.timeout) throw Error("--timeout takes a number of seconds above 0 and at most 86400");
  }
  // A snippet that fails static validation does not run without --force.
  validator::StaticOptions so;
  so.shellcheck = false;
  for (const auto& f : validator::check_static({rb}, so)) {
    if (f.severity == model::Severity::error && f.snippet == id) {
      ro.validation_errors.push_back(f.file + ":" + std::to_string(f.line) + ": " + f.rule + ": " + f.message);
    }
  }
  if (!opts.no_transcript) ro.transcript_dir = opts.transcripts.empty() ? config.resolve(config.transcripts) : opts.transcripts;
  ro.ask = ask_terminal;
  ro.redact = redact_text;
  // The snippet's own output, as the command printed it (running it by hand shows the same).
  ro.on_output = [](int stream, std::string_view chunk) { write_raw(stream == 1 ? STDOUT_FILENO : STDERR_FILENO, chunk); };
  // The code above the prompt is shown with its control characters escaped: ESC[1A ESC[2K would
  // overwrite what the engineer decides on, and ESC[8m would hide the question.
  ro.note = [](std::string_view text) { std::fprintf(stderr, "%s\n", model::terminal_text(text, model::Lines::many).c_str()); };

  runner::RunResult r = runner::run_snippet(rb, *snippet, ro);
  if (opts.dry_run && r.refusal.empty()) {
    std::string head = "# " + rb.path + "#" + id + " on " + (env ? env->name : "no environment") + " (" + std::string(model::to_string(r.safety)) +
                       r.safety_reason + ", dry run: nothing ran)";
    std::printf("%s\n%s%s", model::terminal_text(head).c_str(), model::terminal_text(r.command, model::Lines::many).c_str(), r.command.ends_with('\n') ? "" : "\n");
    return 0;
  }
  if (!r.refusal.empty()) {
    std::fprintf(stderr, "opsbook: refused: %s\n", model::terminal_text(r.refusal, model::Lines::many).c_str());
    return 2;
  }
  if (!r.transcript.empty()) model::print_line("opsbook: exit " + std::to_string(r.exit_code) + "; transcript " + r.transcript);
  return r.exit_code;
}

}  // namespace

Command run_command() {
  return Command{"run", "Run one checked snippet against an environment, behind safety gates",
                 [](CLI::App& sub, const GlobalOptions& globals) -> std::function<int()> {
                   auto opts = std::make_shared<RunCliOptions>();
                   sub.add_option("target", opts->target, "RUNBOOK.md#SNIPPET (or RUNBOOK.md with --list)")->required();
                   sub.add_option("--env", opts->env, "Environment of opsbook.yaml (default: default_env)");
                   sub.add_option("-p,--param", opts->params, "NAME=VALUE for a placeholder or variable (repeatable)");
                   sub.add_flag("--dry-run", opts->dry_run, "Print the exact command that would run, secrets redacted");
                   sub.add_flag("-y,--yes", opts->yes, "Confirm a mutating snippet (with --allow-destructive: a destructive one)");
                   sub.add_flag("--allow-destructive", opts->allow_destructive, "With --yes: run a destructive snippet without typing its name");
                   sub.add_flag("--force", opts->force, "Run a snippet that failed static validation");
                   sub.add_option("--timeout", opts->timeout, "Seconds before the snippet and its children are stopped (default: its timeout attribute, else 600)");
                   sub.add_flag("--list", opts->list, "List the runbook's snippets: name, kind, safety, parameters, last result");
                   sub.add_option("--report", opts->report, "JSON report of opsbook check, for --list's last results");
                   sub.add_option("--transcripts", opts->transcripts, "Folder for the JSON transcript (default: transcripts: of opsbook.yaml)");
                   sub.add_flag("--no-transcript", opts->no_transcript, "Do not write a transcript");
                   return [opts, &globals] { return run_command(*opts, globals); };
                 }};
}

}  // namespace opsbook::cli
