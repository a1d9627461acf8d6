// Static validation: the parser's diagnostics, then each runbook's rules (in parallel), then the
// shell checkers over the shell snippets of every runbook at once; findings sorted by line.
#include "validator/static_checks.hpp"

#include <algorithm>
#include <filesystem>
#include <map>

#include "model/parallel.hpp"
#include "model/process.hpp"
#include "validator/bash_syntax.hpp"
#include "validator/data_syntax.hpp"
#include "validator/finding_sink.hpp"
#include "validator/link_checks.hpp"
#include "validator/powershell_syntax.hpp"
#include "validator/secrets.hpp"
#include "validator/shell_scripts.hpp"
#include "validator/shellcheck.hpp"
#include "validator/snippet_rules.hpp"
#include "validator/sql_syntax.hpp"

namespace opsbook::validator {

namespace fs = std::filesystem;
using model::Severity;

namespace {

void check_runbook(FindingSink& sink, const model::Runbook& rb, const std::map<std::string, const model::Runbook*>& by_path) {
  for (const auto& d : rb.diagnostics.items()) sink.add_diagnostic(d);
  std::map<std::string, int> names;
  SnippetRules snippet_rules(sink, rb);
  for (const auto& s : rb.snippets) {
    if (s.attr("name") != nullptr || s.attr("id") != nullptr) {
      if (names.count(s.id)) {
        sink.add("duplicate-name", s.line, 0, "snippet name '" + s.id + "' is already used on line " + std::to_string(names[s.id]),
                 "give each snippet its own name", s.id);
      } else {
        names[s.id] = s.line;
      }
    }
    if (check_skipped(s)) continue;
    if (s.kind == model::SnippetKind::data) check_data(sink, s);
    if (s.kind == model::SnippetKind::sql) check_sql(sink, s);
    if (s.kind == model::SnippetKind::powershell) check_powershell(sink, s);
    report_too_deep(sink, s);
    snippet_rules.check(s);
  }
  check_links(sink, rb, by_path);
  check_secrets(sink, rb);
}

Finding shellcheck_missing() {
  Finding note;
  note.rule = "tool-missing";
  note.severity = Severity::info;
  note.file = "shellcheck";
  note.message = "shellcheck is not installed: shell snippets were checked with bash -n only";
  note.hint = "install shellcheck (apt-get install shellcheck) for deeper checks";
  return note;
}

}  // namespace

std::vector<Finding> check_static(const std::vector<model::Runbook>& runbooks, const StaticOptions& options) {
  std::map<std::string, const model::Runbook*> by_path;
  for (const auto& rb : runbooks) by_path[fs::path(rb.path).lexically_normal().string()] = &rb;
  auto selected = [&](size_t i) { return options.only.empty() || options.only.count(runbooks[i].path) > 0; };
  std::vector<std::vector<Finding>> per(runbooks.size());
  std::vector<model::LineIndex> lines(runbooks.size());
  std::vector<FindingSink> sinks;
  sinks.reserve(runbooks.size());
  for (size_t i = 0; i < runbooks.size(); ++i) sinks.emplace_back(runbooks[i], lines[i], per[i]).limit(options.findings);
  model::parallel_for(runbooks.size(), options.jobs, [&](size_t i) {
    if (!selected(i)) return;
    lines[i] = model::LineIndex(runbooks[i].source);
    check_runbook(sinks[i], runbooks[i], by_path);
  });
  auto shell_jobs = [&] {
    std::vector<ShellJob> jobs;
    for (size_t i = 0; i < runbooks.size(); ++i) {
      if (selected(i)) collect_shell(sinks[i], runbooks[i], jobs);
    }
    return jobs;
  };
  if (options.shell && model::program_available("bash")) {
    std::vector<ShellJob> jobs = shell_jobs();
    check_each_distinct(jobs, [&](std::vector<ShellJob>& distinct) { check_bash_syntax(distinct, options.jobs); });
  }
  if (options.shellcheck) {
    if (!model::program_available("shellcheck")) {
      per.emplace_back().push_back(shellcheck_missing());
    } else {
      std::vector<ShellJob> jobs = shell_jobs();
      keep_within_budget(jobs, {options.shellcheck_runbook_bytes, options.shellcheck_run_bytes});
      check_each_distinct(jobs, [&](std::vector<ShellJob>& distinct) { check_shellcheck(distinct, options.jobs, options.shellcheck_timeout, options.shellcheck_cache); });
    }
  }
  for (size_t i = 0; options.left_out != nullptr && i < sinks.size(); ++i) {
    if (!sinks[i].left_out().empty()) (*options.left_out)[runbooks[i].path] = sinks[i].left_out();
  }
  for (auto& v : per) std::stable_sort(v.begin(), v.end(), [](const Finding& a, const Finding& b) { return a.line < b.line; });
  std::vector<Finding> out;
  for (auto& v : per) out.insert(out.end(), std::make_move_iterator(v.begin()), std::make_move_iterator(v.end()));
  return out;
}

}  // namespace opsbook::validator
