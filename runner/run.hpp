// `opsbook run`: one checked snippet, for one environment, with its parameters filled safely,
// behind safety gates; output streamed, a redacted JSON transcript written, the exit code passed
// on. Also the doc-tests of `opsbook check --live` (run=auto snippets with expectations).
#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "model/config.hpp"
#include "model/runbook.hpp"

namespace opsbook::runner {

struct RunOptions {
  const model::EnvironmentConfig* env = nullptr;
  std::vector<std::pair<std::string, std::string>> params;  // --param k=v, first choice
  bool dry_run = false;
  bool yes = false;                // confirms mutating snippets
  bool allow_destructive = false;  // with yes: confirms destructive ones
  bool force = false;              // runs a snippet that failed static validation
  bool reads_only = false;         // refuses anything not read-only (doc-tests of live checks)
  std::optional<std::chrono::milliseconds> timeout;  // --timeout; else the `timeout` attribute; else 10 min
  std::vector<std::string> validation_errors;         // static errors found in this snippet
  std::string transcript_dir;                         // "" = no transcript
  // Asks a person on the terminal; nullopt when there is none (CI, pipes).
  std::function<std::optional<std::string>(const std::string& question)> ask;
  // Redacts secrets in a text (reports never print secret values).
  std::function<std::string(std::string_view)> redact = [](std::string_view s) { return std::string(s); };
  // Live output: 1 = stdout, 2 = stderr.
  std::function<void(int, std::string_view)> on_output;
  // Messages for the person running it (prompts, what runs, where the transcript is).
  std::function<void(std::string_view)> note;
};

struct RunResult {
  bool ran = false;
  int exit_code = 0;     // the snippet's, when it ran; 2 when refused or not runnable
  bool timed_out = false;
  std::string refusal;   // why it did not run
  std::string command;   // what runs (or would), params filled, secrets redacted
  // The class its gates use (the worst of declared, classified and classified with the values
  // written in) and, when that is not the snippet's own, why: " (with its values: ...)".
  model::Safety safety = model::Safety::read_only;
  std::string safety_reason;
  std::string out, err;  // captured (bounded), not yet redacted
  std::string transcript;  // path of the transcript, when written
};

RunResult run_snippet(const model::Runbook& runbook, const model::Snippet& snippet, const RunOptions& options);

struct DocTestResult {
  enum class Outcome { pass, fail, skipped } outcome = Outcome::skipped;
  std::string detail;
  int line = 0;
  double ms = 0;
};

// Runs one doc-test without a terminal: params from the environment only; only read-only
// snippets run (a live check never changes anything), `timeout` attribute else `timeout`.
DocTestResult run_doctest(const model::Runbook& runbook, const model::Snippet& snippet, const model::EnvironmentConfig* env,
                          std::chrono::milliseconds timeout);

// Seconds from a `timeout` attribute: "30", "30s", "5m", "1h"; nullopt when unreadable.
std::optional<std::chrono::milliseconds> parse_timeout(std::string_view text);

}  // namespace opsbook::runner
