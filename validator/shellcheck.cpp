// shellcheck over the shell scripts: in-memory files (memfd) it opens as /proc/self/fd/N, one
// shellcheck run per batch (json1 output), SC1xxx parse errors left to bash -n, fragments' usual
// noise excluded. Nothing is written to disk, so even `kill -9` leaves no script behind.
#include "validator/shellcheck.hpp"

#include <sys/mman.h>
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>
#include <map>
#include <mutex>
#include <string>
#include <unordered_set>

#include <nlohmann/json.hpp>

#include "model/parallel.hpp"
#include "model/error.hpp"
#include "model/file_io.hpp"
#include "model/process.hpp"
#include "validator/finding_sink.hpp"
#include "validator/shellcheck_cache.hpp"

namespace opsbook::validator {

using model::ProcessResult;
using model::run_process;
using model::Severity;

namespace {

using Clock = std::chrono::steady_clock;

// shellcheck's heap per run: hostile nesting took it past 900 MB (GHC's heap counts as data).
constexpr const char* k_data_limit = "--data=1073741824";

// How every script is checked (dialect, level, fragments' usual noise excluded): part of the cache key.
constexpr std::array k_options = {"-f", "json1", "-s", "bash", "-S", "warning", "-e", "SC2154,SC2034,SC1090,SC1091,SC2164,SC2155"};

// One run's bounds: its time limit, and the deadline of the whole shellcheck phase (a few hostile
// snippets must not cost the limit again and again).
struct Bounds {
  std::chrono::seconds limit;
  Clock::time_point deadline;
  bool prlimit = false;  // util-linux prlimit is there to cap each run's memory
};

// A batch's scripts as files shellcheck opens: memfd files (no name on any file system), inherited
// by the child (not close-on-exec) and named /proc/self/fd/N there. Closed when the batch is done.
class ScriptFiles {
 public:
  explicit ScriptFiles(const std::vector<ShellJob*>& jobs) {
    for (ShellJob* job : jobs) {
      int fd = ::memfd_create("opsbook-script", 0);
      if (fd < 0) throw Error(std::string("cannot make an in-memory file for shellcheck (memfd_create: ") + std::strerror(errno) + ")");
      m_fds.push_back(fd);
      if (!model::write_all(fd, job->script.text)) throw Error(std::string("cannot write a script for shellcheck (") + std::strerror(errno) + ")");
      m_paths.push_back("/proc/self/fd/" + std::to_string(fd));
    }
  }
  ~ScriptFiles() {
    for (int fd : m_fds) ::close(fd);
  }
  ScriptFiles(const ScriptFiles&) = delete;
  ScriptFiles& operator=(const ScriptFiles&) = delete;
  [[nodiscard]] const std::vector<std::string>& paths() const { return m_paths; }

 private:
  std::vector<int> m_fds;
  std::vector<std::string> m_paths;
};

// Scripts per shellcheck run: at most 200, and few enough that every thread's batch of open
// memfds fits in the open-file limit (raised to its hard limit first).
size_t batch_limit(unsigned threads) {
  rlimit files{};
  if (::getrlimit(RLIMIT_NOFILE, &files) != 0) return 64;
  if (files.rlim_cur < files.rlim_max) {
    files.rlim_cur = files.rlim_max;
    ::setrlimit(RLIMIT_NOFILE, &files);
    ::getrlimit(RLIMIT_NOFILE, &files);
  }
  rlim_t spare = files.rlim_cur > 256 ? files.rlim_cur - 256 : 0;
  return std::clamp<size_t>(static_cast<size_t>(std::min<rlim_t>(spare / std::max(threads, 1u), 200)), 1, 200);
}

void not_checked(ShellJob& job, const std::string& why, std::mutex& mutex) {
  std::lock_guard lock(mutex);
  const ShellScript& sc = job.script;
  job.sink->add("check-failed", sc.snippet->line, 0, why, "check it by hand, or mark it {check=skip}", sc.snippet->id);
}

// A batch that times out or crashes is run again one script at a time; a script that still
// fails gets a check-failed finding instead of hanging the run, and past the phase's deadline
// the scripts left get one too.
void run_shellcheck(std::vector<ShellJob*> jobs, const Bounds& bounds, std::mutex& mutex, ShellcheckCache* cache) {
  if (jobs.empty()) return;
  auto left = std::chrono::duration_cast<std::chrono::milliseconds>(bounds.deadline - Clock::now());
  if (left.count() <= 0) {
    for (ShellJob* job : jobs) not_checked(*job, "not checked: shellcheck's time for this run was spent on other snippets", mutex);
    return;
  }
  std::vector<std::string> argv;
  if (bounds.prlimit) argv = {"prlimit", k_data_limit, "--"};
  argv.push_back(bounds.prlimit ? model::program_path("shellcheck") : "shellcheck");
  for (const char* a : k_options) argv.emplace_back(a);
  ScriptFiles files(jobs);
  std::map<std::string, ShellJob*> by_file;
  for (size_t k = 0; k < jobs.size(); ++k) {
    argv.push_back(files.paths()[k]);
    by_file[files.paths()[k]] = jobs[k];
  }
  ProcessResult r = run_process(argv, "", std::min<std::chrono::milliseconds>(bounds.limit, left));
  nlohmann::json j = nlohmann::json::parse(r.out, nullptr, false);
  bool ok = r.started && !r.timed_out && (r.exit_code == 0 || r.exit_code == 1) && j.is_object();
  if (!ok) {
    if (jobs.size() > 1) {  // one at a time: the good ones take milliseconds, the bad one its limit once
      for (ShellJob* job : jobs) run_shellcheck({job}, bounds, mutex, cache);
      return;
    }
    not_checked(*jobs[0],
                r.timed_out ? "shellcheck did not finish within " + std::to_string(bounds.limit.count()) + " s; the snippet was not checked"
                            : "shellcheck could not check the snippet (exit " + std::to_string(r.exit_code) + ", or out of its 1 GiB of memory)",
                mutex);
    return;
  }
  if (!j.contains("comments") || !j["comments"].is_array()) return;
  std::map<ShellJob*, std::vector<ShellcheckComment>> found;
  for (const auto& c : j["comments"]) {
    auto it = by_file.find(c.value("file", ""));
    if (it == by_file.end()) continue;
    int code = c.value("code", 0);
    if (code >= 1000 && code < 2000) continue;  // parse errors: bash -n reports those
    found[it->second].push_back({static_cast<uint32_t>(std::max(code, 0)), static_cast<uint32_t>(std::max(c.value("line", 1), 0)),
                                 c.value("level", "warning") == "error", c.value("message", "")});
  }
  std::lock_guard lock(mutex);
  for (ShellJob* job : jobs) {
    for (const auto& c : found[job]) add_shellcheck_finding(*job, c);
    if (cache) cache->put(job->script.text, std::move(found[job]));  // no comments is a result too
  }
}

// The cache's tool: shellcheck's version and the options every script is checked with; "" when
// shellcheck does not tell its version (then nothing is cached: results of an unknown version).
std::string tool_key() {
  ProcessResult r = run_process({"shellcheck", "--version"}, "", std::chrono::seconds(10));
  if (!r.started || r.timed_out || r.exit_code != 0 || r.out.empty()) return "";
  std::string key = r.out;
  for (const char* a : k_options) key += std::string(" ") + a;
  return key;
}

// The finding on the first script of a runbook left out by the budget.
void note_over_budget(ShellJob& first, size_t more, size_t reached, size_t limit, bool per_run) {
  std::string rest = more == 0 ? "" : more == 1 ? " nor the 1 after it" : " nor the " + std::to_string(more) + " after it";
  std::string whose = per_run ? "the shell scripts of this run" : "the shell scripts of this runbook";
  first.sink->add("check-failed", first.script.snippet->line, 0,
                  "shellcheck did not check this script" + rest + ": " + whose + " reach " + std::to_string(reached) + " bytes, over the limit of " +
                      std::to_string(limit) + " bytes per " + (per_run ? "run" : "runbook") + " (bash -n still checks them)",
                  per_run ? "raise limits.shellcheck_run_bytes in opsbook.yaml, or check fewer runbooks per run (--shard)"
                          : "raise limits.shellcheck_bytes in opsbook.yaml, or split the runbook",
                  first.script.snippet->id);
}

}  // namespace

void keep_within_budget(std::vector<ShellJob>& jobs, const ShellcheckBudget& budget) {
  std::unordered_set<std::string_view> in_run, in_runbook;
  size_t run_bytes = 0, runbook_bytes = 0;
  std::vector<ShellJob> kept;
  struct Over {
    size_t first;  // index in jobs
    size_t more = 0;
    size_t reached = 0;
    bool per_run = false;
  };
  std::vector<Over> over;
  const FindingSink* runbook = nullptr;
  bool runbook_over = false;
  for (size_t i = 0; i < jobs.size(); ++i) {
    const std::string& text = jobs[i].script.text;
    if (jobs[i].sink != runbook) runbook = jobs[i].sink, runbook_bytes = 0, in_runbook.clear(), runbook_over = false;
    if (runbook_over) {
      ++over.back().more;
      continue;
    }
    size_t size = text.size() <= k_max_shellcheck_bytes ? text.size() : 0;
    size_t for_runbook = in_runbook.count(text) ? 0 : size;
    size_t for_run = in_run.count(text) ? 0 : size;
    if (runbook_bytes + for_runbook > budget.runbook_bytes || run_bytes + for_run > budget.run_bytes) {
      bool per_run = runbook_bytes + for_runbook <= budget.runbook_bytes;
      over.push_back({i, 0, per_run ? run_bytes + for_run : runbook_bytes + for_runbook, per_run});
      runbook_over = true;
      continue;
    }
    runbook_bytes += for_runbook;
    run_bytes += for_run;
    in_runbook.insert(text);
    in_run.insert(text);
    kept.push_back(jobs[i]);
  }
  for (const Over& o : over) note_over_budget(jobs[o.first], o.more, o.reached, o.per_run ? budget.run_bytes : budget.runbook_bytes, o.per_run);
  jobs = std::move(kept);
}

void check_shellcheck(std::vector<ShellJob>& all, unsigned threads, std::chrono::seconds limit, ShellcheckCache* cache) {
  // shellcheck takes seconds per 10 KB (215 KB: 21 s at its memory cap): larger scripts are left
  // to bash -n, each with a finding.
  std::vector<ShellJob> jobs;
  for (ShellJob& job : all) {
    const ShellScript& sc = job.script;
    if (sc.text.size() <= k_max_shellcheck_bytes) {
      jobs.push_back(job);
      continue;
    }
    job.sink->add("check-failed", sc.snippet->line, 0,
                  "not checked by shellcheck: the script is " + std::to_string(sc.text.size()) + " bytes, over its bound of " + std::to_string(k_max_shellcheck_bytes) +
                      " bytes (bash -n still checks it)",
                  "split it into smaller snippets, or check it by hand and mark it {check=skip}", sc.snippet->id);
  }
  std::string tool = cache ? tool_key() : "";
  if (tool.empty()) cache = nullptr;
  if (cache) {  // scripts checked before (same text, shellcheck, options): their findings, no run
    cache->set_tool(tool);
    std::vector<ShellcheckComment> comments;
    std::erase_if(jobs, [&](ShellJob& job) {
      if (!cache->find(job.script.text, comments)) return false;
      for (const auto& c : comments) add_shellcheck_finding(job, c);
      return true;
    });
    if (jobs.empty()) return;
  }
  // Up to 200 scripts a run, but at least four runs per core so that both cores stay busy.
  unsigned cores = threads ? threads : model::default_jobs();
  const size_t k_batch = std::clamp<size_t>((jobs.size() + 4 * cores - 1) / (4 * cores), 1, batch_limit(cores));
  std::mutex mutex;
  // The whole phase gets three limits (each core, for its share): real runbooks need a fraction.
  Bounds bounds{limit, Clock::now() + 3 * limit, model::program_available("prlimit")};
  model::parallel_for((jobs.size() + k_batch - 1) / k_batch, threads, [&](size_t b) {
    std::vector<ShellJob*> chunk;
    for (size_t k = b * k_batch; k < std::min(jobs.size(), (b + 1) * k_batch); ++k) chunk.push_back(&jobs[k]);
    run_shellcheck(chunk, bounds, mutex, cache);
  });
}

}  // namespace opsbook::validator
