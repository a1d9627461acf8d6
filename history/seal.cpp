// Seals of history rows under the machine's seal key, and the runs read back that hold.
#include "history/seal.hpp"

#include <openssl/crypto.h>

#include <algorithm>
#include <charconv>

#include "model/seal_key.hpp"

namespace opsbook::history {

namespace {

// A run may start this far after this machine's clock (another machine's clock, a shared store).
constexpr std::time_t k_clock_skew_s = 300;

std::string hex(const model::Sha256& d) { return model::digest_hex(d); }

bool same(std::string_view a, std::string_view b) { return a.size() == b.size() && CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0; }

std::string utc(std::time_t t) {
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

}  // namespace

std::string run_seal(std::string_view run_id, std::string_view started_at, std::string_view env, unsigned shard_count, std::string_view set_fingerprint) {
  std::string count = std::to_string(shard_count);
  return hex(model::seal_digest({"opsbook history run", run_id, started_at, env, count, set_fingerprint}));
}

void ShardDigest::add(std::string_view run_id, long long shard, std::string_view file, int line, std::string_view kind, std::string_view snippet,
                      std::string_view target, std::string_view expectation, std::string_view outcome, std::string_view detail, std::string_view digest) {
  // The parts framed into one buffer, given to the MAC at once: 1,000 runs of 20 results are
  // read by history show in one go (bench/history.sh).
  // One keyed context per thread, restarted for each row (a copy per row cost as much as the MAC).
  thread_local std::string framed;
  thread_local model::PartsMac keyed(model::seal_mac());
  framed.clear();
  char number[24];
  auto put = [](std::string& out, std::string_view part) {
    char size[8];
    for (size_t i = 0; i < 8; ++i) size[i] = static_cast<char>(static_cast<uint64_t>(part.size()) >> (8 * i));
    out.append(size, sizeof size).append(part);
  };
  auto decimal = [&](long long n) { return std::string_view(number, static_cast<size_t>(std::to_chars(number, number + sizeof number, n).ptr - number)); };
  put(framed, "opsbook history result"), put(framed, run_id), put(framed, decimal(shard)), put(framed, file), put(framed, decimal(line));
  for (std::string_view part : {kind, snippet, target, expectation, outcome, detail}) put(framed, part);
  if (!digest.empty()) put(framed, digest);
  model::Sha256 mac = keyed.restart().raw(framed).finish();
  unsigned carry = 0;
  for (size_t i = m_sum.size(); i-- > 0;) {
    unsigned v = m_sum[i] + mac[i] + carry;
    m_sum[i] = static_cast<unsigned char>(v);
    carry = v >> 8;
  }
  ++m_count;
}

std::string ShardDigest::seal(std::string_view run_id, long long shard) const {
  std::string shard_text = std::to_string(shard), count = std::to_string(m_count);
  std::string_view sum(reinterpret_cast<const char*>(m_sum.data()), m_sum.size());
  return hex(model::seal_digest({"opsbook history shard", run_id, shard_text, count, sum}));
}

std::string shard_seal(const ShardRecord& s) {
  ShardDigest d;
  auto shard = static_cast<long long>(s.shard);
  for (const CheckRow& r : s.results) d.add(s.run_id, shard, r.file, r.line, r.kind, r.snippet, r.target, r.expectation, r.outcome, r.detail, r.digest);
  return d.seal(s.run_id, shard);
}

void RunTrust::set_environments(std::set<std::string> names) {
  m_check_envs = true;
  m_envs = std::move(names);
}

std::string planted_run(std::string_view run_id) {
  return "history: run " + std::string(run_id) +
         " is already in the history, but not sealed with this machine's key (a row a pull request planted under this id, or a job with another "
         "OPSBOOK_CACHE_KEY): nothing was recorded; record under another --run-id, or give the jobs that share the history one OPSBOOK_CACHE_KEY";
}

bool run_sealed(const RunRow& run) { return run.typed && same(run.seal, run_seal(run.run_id, run.started_at, run.env, run.shard_count, run.set_fingerprint)); }

std::string RunTrust::distrust(const RunRow& run) const {
  if (!run_sealed(run)) return "unsealed";
  if (run.started_at > utc(std::time(nullptr) + k_clock_skew_s)) return "future";
  if (m_check_envs && !run.env.empty() && !m_envs.contains(run.env)) return "environment";
  return "";
}

void RunTrust::left_out(const RunRow& run, const std::string& why) {
  if (!m_seen.insert(run.key).second) return;
  (why == "future" ? m_future : why == "environment" ? m_unknown_env : m_unsealed)++;
}

std::string RunTrust::note(const std::string& where) const {
  size_t total = m_unsealed + m_future + m_unknown_env;
  if (total == 0) return "";
  std::string parts;
  auto part = [&](size_t n, const char* what) {
    if (n > 0) parts += (parts.empty() ? "" : ", ") + std::to_string(n) + " " + what;
  };
  part(m_unsealed, "not sealed by this machine's key (written or edited by something else than opsbook here, or recorded before opsbook sealed history rows)");
  part(m_future, "dated in the future");
  part(m_unknown_env, "on an environment opsbook.yaml does not have");
  return "history: " + std::to_string(total) + (total == 1 ? " run" : " runs") + " in " + where + " left out (" + parts +
         "): they never count as verified; record again with 'opsbook check --live --record' (a shared store needs the same OPSBOOK_CACHE_KEY on every machine)";
}

bool SealedRunReader::begin(RunRow run, std::vector<ShardRow> shards) {
  m_run = std::move(run);
  m_shards = std::move(shards);
  m_digests.assign(m_shards.size(), ShardDigest{});
  m_held = 0;
  m_why = m_trust.distrust(m_run);
  m_broken = m_why == "unsealed";
  return !m_broken;
}

void SealedRunReader::row(long long shard, const PastCheckView& v) {
  if (m_broken) return;
  auto it = std::find_if(m_shards.begin(), m_shards.end(), [&](const ShardRow& s) { return s.shard == shard; });
  if (it == m_shards.end()) {
    m_broken = true;  // a row of no recorded shard
    return;
  }
  m_digests[static_cast<size_t>(it - m_shards.begin())].add(m_run.run_id, shard, v.file, v.line, v.kind, v.snippet, v.target, v.expectation, v.outcome, v.detail, v.digest);
  if (!m_visit || !m_why.empty() || (!m_file.empty() && v.file != m_file)) return;
  if (m_held == m_rows.size()) m_rows.emplace_back();
  Held& h = m_rows[m_held++];
  h.file.assign(v.file), h.kind.assign(v.kind), h.snippet.assign(v.snippet), h.target.assign(v.target);
  h.expectation.assign(v.expectation), h.outcome.assign(v.outcome), h.detail.assign(v.detail), h.digest.assign(v.digest);
  h.line = v.line, h.latency_ms = v.latency_ms;
}

RunInfo SealedRunReader::figures() {
  RunInfo info{m_run.run_id, m_run.started_at, m_run.env, m_run.shard_count, 0, 0, m_why};
  for (size_t i = 0; m_why != "unsealed" && i < m_shards.size(); ++i) {
    const ShardRow& s = m_shards[i];
    bool complete = s.state == "complete";
    // A shard being recorded (or killed while recording) holds no rows that count.
    bool holds = s.typed && (complete ? same(s.seal, m_digests[i].seal(m_run.run_id, s.shard)) : m_digests[i].empty());
    m_broken |= !holds;
    if (holds && complete && s.shard >= 1 && s.shard <= m_run.shard_count) {
      ++info.shards_complete;
      info.results += static_cast<size_t>(m_digests[i].count());
    }
  }
  if (m_broken) info.left_out = "unsealed";
  return info;
}

bool SealedRunReader::end() {
  RunInfo info = figures();
  if (!info.left_out.empty()) {
    m_trust.left_out(m_run, info.left_out);
    return m_done(std::move(info));
  }
  PastCheckView v;
  v.run = m_place++, v.run_id = m_run.run_id, v.started_at = m_run.started_at, v.env = m_run.env;
  for (size_t i = 0; i < m_held; ++i) {
    const Held& h = m_rows[i];
    v.file = h.file, v.line = h.line, v.kind = h.kind, v.snippet = h.snippet, v.target = h.target;
    v.expectation = h.expectation, v.outcome = h.outcome, v.detail = h.detail, v.latency_ms = h.latency_ms, v.digest = h.digest;
    (*m_visit)(v);
  }
  return m_done(std::move(info));
}

}  // namespace opsbook::history
