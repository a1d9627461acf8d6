// Groups past rows by check and counts outcomes, as the store streams them.
#include "history/summary.hpp"

#include <algorithm>
#include <cstdio>
#include <tuple>

namespace opsbook::history {

std::string passed_text(size_t passed, size_t failed) {
  char rate[16];
  std::snprintf(rate, sizeof rate, "%.0f%%", passed + failed ? 100.0 * static_cast<double>(passed) / static_cast<double>(passed + failed) : 0.0);
  return "passed " + std::to_string(passed) + " of " + std::to_string(passed + failed) + " (" + rate + ")";
}

void Summarizer::add(const PastCheckView& v) {
  // The check's key: each part behind its length, so that no text can stand for two checks.
  m_key.clear();
  for (std::string_view part : {v.env, v.file, v.kind, v.snippet, v.target, v.expectation, v.digest}) {
    size_t n = part.size();
    m_key.append(reinterpret_cast<const char*>(&n), sizeof n).append(part);
  }
  auto [it, fresh] = m_index.try_emplace(m_key, m_summaries.size());
  if (fresh) {
    CheckSummary s;
    s.latest = {std::string(v.file),    v.line, std::string(v.kind),   std::string(v.snippet), std::string(v.target), std::string(v.expectation),
                std::string(v.outcome), std::string(v.detail), v.latency_ms, std::string(v.digest)};
    s.latest_at = v.started_at;
    s.env = v.env;
    m_summaries.push_back(std::move(s));
    m_last_run.push_back(v.run);
  } else if (m_last_run[it->second] == v.run) {
    return;  // documented twice in the runbook: one outcome per run
  }
  m_last_run[it->second] = v.run;
  CheckSummary& s = m_summaries[it->second];
  s.outcomes.emplace_back(v.outcome);
  if (v.outcome == "pass") {
    ++s.passed;
    if (s.last_pass_at.empty()) s.last_pass_at = v.started_at;
  } else if (v.outcome == "fail") {
    ++s.failed;
  }
}

std::vector<CheckSummary> Summarizer::take() {
  auto order = [](const CheckSummary& s) {
    const CheckRow& r = s.latest;
    return std::tie(r.file, r.line, s.env, r.kind, r.snippet, r.target, r.expectation);
  };
  std::sort(m_summaries.begin(), m_summaries.end(), [&](const CheckSummary& a, const CheckSummary& b) { return order(a) < order(b); });
  m_index.clear();
  m_last_run.clear();
  return std::move(m_summaries);
}

std::vector<CheckSummary> summarize(const std::vector<PastCheck>& rows) {
  Summarizer summaries;
  size_t run = 0;
  for (size_t i = 0; i < rows.size(); ++i) {
    const PastCheck& p = rows[i];
    if (i > 0 && rows[i - 1].run_id != p.run_id) ++run;
    const CheckRow& r = p.row;
    summaries.add({r.file, r.line, r.kind, r.snippet, r.target, r.expectation, r.outcome, r.detail, r.latency_ms, run, p.run_id, p.started_at, p.env, r.digest});
  }
  return summaries.take();
}

std::vector<CheckSummary> summarize(Store& store, const std::string& file, size_t last_runs) {
  Summarizer summaries;
  store.each_check(file, last_runs, [&](const PastCheckView& v) { summaries.add(v); });
  return summaries.take();
}

}  // namespace opsbook::history
