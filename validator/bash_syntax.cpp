// bash -n in batches: the batch is built, bash's first error is mapped to its snippet and line,
// and the batch resumes after that snippet.
#include "validator/bash_syntax.hpp"

#include <algorithm>
#include <cctype>
#include <mutex>
#include <string>

#include <unistd.h>

#include "model/parallel.hpp"
#include "model/process.hpp"
#include "model/shell_lexer.hpp"
#include "model/text.hpp"
#include "validator/finding_sink.hpp"

namespace opsbook::validator {

using model::ProcessResult;
using model::run_process;

namespace {

// bash by absolute path when it is there: spawning through PATH costs a failed exec per entry.
const std::string& bash_path() {
  static const std::string path = ::access("/bin/bash", X_OK) == 0 ? "/bin/bash" : "bash";
  return path;
}

// "bash: line 3: syntax error near unexpected token `fi'" -> line 3 and the message.
bool parse_bash_error(const std::string& err, int& line, std::string& message) {
  size_t at = err.find("line ");
  while (at != std::string::npos) {
    size_t end = at + 5;
    while (end < err.size() && std::isdigit(static_cast<unsigned char>(err[end]))) ++end;
    if (end > at + 5 && end + 1 < err.size() && err[end] == ':') {
      line = std::stoi(err.substr(at + 5, end - at - 5));
      size_t nl = err.find('\n', end);
      message = std::string(model::trim(err.substr(end + 1, nl == std::string::npos ? std::string::npos : nl - end - 1)));
      return true;
    }
    at = err.find("line ", at + 5);
  }
  return false;
}

// bash -n runs outside the lock; only adding to the runbook's sink (shared by batches) takes it.
void check_shell_one(FindingSink& sink, const ShellScript& sc, std::mutex& mutex) {
  ProcessResult r = run_process({bash_path(), "-n"}, sc.text, std::chrono::seconds(10));
  if (!r.started) return;
  std::lock_guard lock(mutex);
  if (r.timed_out) {
    sink.add("check-failed", sc.snippet->line, 0, "bash -n did not finish within 10 s; the snippet was not checked", "report this snippet", sc.snippet->id);
    return;
  }
  if (r.exit_code == 0) return;
  int line = 0;
  std::string message;
  if (!parse_bash_error(r.err, line, message)) {
    sink.add("shell-syntax", sc.snippet->line, 0, "bash -n: " + std::string(model::trim(r.err)), "fix the shell syntax", sc.snippet->id);
    return;
  }
  int md_line = (line >= 1 && static_cast<size_t>(line) <= sc.lines.size()) ? sc.lines[static_cast<size_t>(line) - 1] : sc.snippet->line;
  sink.add("shell-syntax", md_line, 0, message, "fix the shell syntax (bash -n reports it); mark non-bash code with its language", sc.snippet->id);
}

// True when quotes, substitutions, compound statements and heredocs all close within the script
// (the shell lexer finds nothing open or unexpected), so it cannot pair with its neighbours.
bool self_contained(std::string_view code) { return model::shell::lex(code).errors().empty(); }

// Each snippet stands in its own "( ... )" so an open `if` or `{` cannot reach into the next one.
// bash stops at the first error: the snippet holding that line is reported and the batch resumes
// after it.
void check_shell_batch(std::vector<ShellJob*> jobs, std::mutex& mutex) {
  while (!jobs.empty()) {
    std::string batch;
    std::vector<std::pair<int, int>> ranges;  // batch lines of each job's script (1-based, inclusive)
    int line = 1;
    for (const auto* j : jobs) {
      batch += "(:\n" + j->script.text;  // ":" so that a comment-only snippet is not an empty ( )
      if (batch.back() != '\n') batch += '\n';
      batch += ")\n";
      int n = static_cast<int>(std::count(j->script.text.begin(), j->script.text.end(), '\n')) + (j->script.text.back() == '\n' ? 0 : 1);
      ranges.emplace_back(line + 1, line + n);
      line += n + 2;
    }
    ProcessResult r = run_process({bash_path(), "-n"}, batch, std::chrono::seconds(30));
    if (!r.started) return;
    if (!r.timed_out && r.exit_code == 0) return;
    int err_line = 0;
    std::string message;
    size_t bad = jobs.size();
    if (!r.timed_out && parse_bash_error(r.err, err_line, message)) {
      for (size_t k = 0; k < ranges.size(); ++k) {
        if (err_line >= ranges[k].first - 1 && err_line <= ranges[k].second + 1) {
          bad = k;
          break;
        }
      }
    }
    if (bad == jobs.size()) {  // could not place the error: check each alone
      for (auto* j : jobs) check_shell_one(*j->sink, j->script, mutex);
      return;
    }
    {
      // The error lies in this snippet: map bash's batch line to its markdown line.
      const ShellScript& sc = jobs[bad]->script;
      int index = std::clamp(err_line - ranges[bad].first, 0, static_cast<int>(sc.lines.size()) - 1);
      int md_line = sc.lines.empty() ? sc.snippet->line : sc.lines[static_cast<size_t>(index)];
      std::lock_guard lock(mutex);
      jobs[bad]->sink->add("shell-syntax", md_line, 0, message, "fix the shell syntax (bash -n reports it); mark non-bash code with its language",
                           sc.snippet->id);
    }
    jobs.erase(jobs.begin(), jobs.begin() + static_cast<long>(bad) + 1);
  }
}

}  // namespace

// Snippets that leave a quote or heredoc open (which could pair with the next snippet's) are
// checked alone; the others in batches of 256.
void check_bash_syntax(std::vector<ShellJob>& jobs, unsigned threads) {
  constexpr size_t k_batch = 256;
  std::mutex mutex;
  std::vector<ShellJob*> batched, alone;
  for (auto& j : jobs) (self_contained(j.script.text) ? batched : alone).push_back(&j);
  size_t chunks = (batched.size() + k_batch - 1) / k_batch;
  model::parallel_for(chunks + alone.size(), threads, [&](size_t b) {
    if (b >= chunks) {
      ShellJob* j = alone[b - chunks];
      check_shell_one(*j->sink, j->script, mutex);
      return;
    }
    std::vector<ShellJob*> chunk(batched.begin() + static_cast<long>(b * k_batch),
                                 batched.begin() + static_cast<long>(std::min(batched.size(), (b + 1) * k_batch)));
    check_shell_batch(chunk, mutex);
  });
}

}  // namespace opsbook::validator
