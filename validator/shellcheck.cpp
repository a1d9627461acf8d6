// shellcheck over the shell scripts: files in a temp folder, one shellcheck run per batch of files
// (json1 output), SC1xxx parse errors left to bash -n, fragments' usual noise excluded.
#include "validator/shellcheck.hpp"

#include <algorithm>
#include <filesystem>
#include <map>
#include <mutex>
#include <string>

#include <nlohmann/json.hpp>

#include "model/parallel.hpp"
#include "model/error.hpp"
#include "model/process.hpp"
#include "model/temp_dir.hpp"
#include "validator/finding_sink.hpp"

namespace opsbook::validator {

namespace fs = std::filesystem;
using model::ProcessResult;
using model::run_process;
using model::Severity;

namespace {

// A batch that times out or crashes is split; a single script that still fails gets a
// check-failed finding instead of hanging the run.
void run_shellcheck(std::vector<ShellJob*> jobs, const fs::path& dir, size_t first_id, std::chrono::seconds limit, std::mutex& mutex) {
  if (jobs.empty()) return;
  std::vector<std::string> argv = {"shellcheck", "-f", "json1", "-s", "bash", "-S", "warning", "-e", "SC2154,SC2034,SC1090,SC1091,SC2164,SC2155"};
  std::map<std::string, ShellJob*> by_file;
  for (size_t k = 0; k < jobs.size(); ++k) {
    std::string file = (dir / ("s" + std::to_string(first_id + k) + ".sh")).string();
    argv.push_back(file);
    by_file[file] = jobs[k];
  }
  ProcessResult r = run_process(argv, "", limit);
  nlohmann::json j = nlohmann::json::parse(r.out, nullptr, false);
  bool ok = r.started && !r.timed_out && (r.exit_code == 0 || r.exit_code == 1) && j.is_object();
  if (!ok) {
    if (jobs.size() > 1) {
      size_t half = jobs.size() / 2;
      run_shellcheck(std::vector<ShellJob*>(jobs.begin(), jobs.begin() + static_cast<long>(half)), dir, first_id, limit, mutex);
      run_shellcheck(std::vector<ShellJob*>(jobs.begin() + static_cast<long>(half), jobs.end()), dir, first_id + half, limit, mutex);
      return;
    }
    std::lock_guard lock(mutex);
    const ShellScript& sc = jobs[0]->script;
    jobs[0]->sink->add("check-failed", sc.snippet->line, 0,
                       r.timed_out ? "shellcheck did not finish within " + std::to_string(limit.count()) + " s; the snippet was not checked"
                                   : "shellcheck could not check the snippet (exit " + std::to_string(r.exit_code) + ")",
                       "check it by hand, or mark it {check=skip}", sc.snippet->id);
    return;
  }
  if (!j.contains("comments") || !j["comments"].is_array()) return;
  std::lock_guard lock(mutex);
  for (const auto& c : j["comments"]) {
    auto it = by_file.find(c.value("file", ""));
    if (it == by_file.end()) continue;
    int code = c.value("code", 0);
    if (code >= 1000 && code < 2000) continue;  // parse errors: bash -n reports those
    const ShellScript& sc = it->second->script;
    int line = c.value("line", 1);
    int md_line = (line >= 1 && static_cast<size_t>(line) <= sc.lines.size()) ? sc.lines[static_cast<size_t>(line) - 1] : sc.snippet->line;
    std::string level = c.value("level", "warning");
    it->second->sink->add("shellcheck", md_line, 0, "SC" + std::to_string(code) + ": " + c.value("message", ""),
                          "see https://www.shellcheck.net/wiki/SC" + std::to_string(code) + ", or add # shellcheck disable=SC" + std::to_string(code) + " in the snippet",
                          sc.snippet->id);
    if (level == "error") it->second->sink->last().severity = Severity::error;  // shellcheck's own level
  }
}

// Identical scripts (the same command in many runbooks) are checked once: the first of each

}  // namespace

void check_shellcheck(std::vector<ShellJob>& jobs, unsigned threads, std::chrono::seconds limit) {
  model::TempDir temp("opsbook-shellcheck");
  fs::path dir = temp.path();
  for (size_t k = 0; k < jobs.size(); ++k) {
    if (!temp.write("s" + std::to_string(k) + ".sh", jobs[k].script.text)) throw Error(temp.path() + ": cannot write a script for shellcheck");
  }
  // Up to 200 scripts a run, but at least four runs per core so that both cores stay busy.
  unsigned cores = threads ? threads : model::default_jobs();
  const size_t k_batch = std::clamp<size_t>((jobs.size() + 4 * cores - 1) / (4 * cores), 1, 200);
  std::mutex mutex;
  model::parallel_for((jobs.size() + k_batch - 1) / k_batch, threads, [&](size_t b) {
    std::vector<ShellJob*> chunk;
    for (size_t k = b * k_batch; k < std::min(jobs.size(), (b + 1) * k_batch); ++k) chunk.push_back(&jobs[k]);
    run_shellcheck(chunk, dir, b * k_batch, limit, mutex);
  });
}

}  // namespace opsbook::validator
