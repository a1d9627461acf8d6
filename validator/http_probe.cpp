// HTTP probes on libcurl's multi interface: one thread keeps up to `concurrency` GETs in flight
// over shared connections; retries with backoff on connection errors and unexpected 5xx;
// redirects followed by hand so that every hop passes the allow list.
#include <curl/curl.h>

#include <algorithm>
#include <deque>
#include <map>
#include <mutex>
#include <thread>

#include "validator/live_probe.hpp"

namespace opsbook::validator {

namespace {

struct Transfer {
  size_t index = 0;
  CURL* easy = nullptr;
  std::string url;
  std::string host;        // of `url`: the key of the per-host limits
  bool holds_slot = false;  // counted by the host gate while in flight
  int attempts = 0;
  int redirects = 0;
  bool finished = false;
  Clock::time_point not_before;
  Clock::time_point started;
  char error[CURL_ERROR_SIZE] = {};
};

size_t discard_body(char*, size_t size, size_t count, void*) { return size * count; }

bool retryable(CURLcode code) {
  switch (code) {
    case CURLE_COULDNT_CONNECT:
    case CURLE_RECV_ERROR:
    case CURLE_SEND_ERROR:
    case CURLE_GOT_NOTHING:
    case CURLE_PARTIAL_FILE:
      return true;
    default:
      return false;  // a timeout is not retried: it already cost the whole budget
  }
}

// Transfers waiting to start, one queue per host, so that a host at its limit does not hold up
// the others and a pass over them costs one step per host, not per transfer.
class ReadyQueues {
 public:
  void push_back(const Transfer& t) { queue(t).push_back(t.index); }
  void push_front(const Transfer& t) { queue(t).push_front(t.index); }
  [[nodiscard]] bool empty() const { return m_count == 0; }

  // Starts what the concurrency and the host gate allow; `retry_at` is when a rate limit next
  // lets a waiting transfer start.
  template <typename Start>
  void start_allowed(std::vector<Transfer>& transfers, size_t& in_flight, size_t concurrency, HostGate* gate, Clock::time_point& retry_at, Start&& start) {
    Clock::time_point now = Clock::now();
    for (auto& [host, q] : m_by_host) {
      while (!q.empty() && in_flight < concurrency) {
        Clock::time_point next;
        if (gate && !gate->try_acquire(host, now, next)) {
          retry_at = std::min(retry_at, next);
          break;
        }
        Transfer& t = transfers[q.front()];
        q.pop_front();
        --m_count;
        t.holds_slot = gate != nullptr;
        start(t);
      }
    }
  }

 private:
  std::deque<size_t>& queue(const Transfer& t) {
    ++m_count;
    return m_by_host[t.host];
  }
  std::map<std::string, std::deque<size_t>> m_by_host;
  size_t m_count = 0;
};

std::string host_of(const std::string& url) {
  auto u = parse_url(url);
  return u ? u->host : std::string();
}

double ms_since(Clock::time_point t) { return std::chrono::duration<double, std::milli>(Clock::now() - t).count(); }

void init_curl_once() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

}  // namespace

std::vector<HttpResult> probe_http(const std::vector<HttpRequest>& requests, const TargetPolicy& policy, const ProbeLimits& limits) {
  init_curl_once();
  std::vector<HttpResult> results(requests.size());
  std::vector<Transfer> transfers(requests.size());
  ReadyQueues ready;
  std::vector<size_t> delayed;
  for (size_t i = 0; i < requests.size(); ++i) {
    transfers[i].index = i;
    transfers[i].url = requests[i].url;
    transfers[i].host = host_of(requests[i].url);
    ready.push_back(transfers[i]);
  }
  CURLM* multi = curl_multi_init();
  long concurrency = static_cast<long>(std::max(1u, limits.concurrency));
  curl_multi_setopt(multi, CURLMOPT_MAX_TOTAL_CONNECTIONS, concurrency);
  curl_multi_setopt(multi, CURLMOPT_MAXCONNECTS, concurrency);
  size_t in_flight = 0;
  size_t done = 0;

  auto start = [&](Transfer& t) {
    if (!t.easy) t.easy = curl_easy_init();
    else curl_easy_reset(t.easy);
    auto remaining = std::chrono::duration_cast<std::chrono::milliseconds>(limits.deadline - Clock::now());
    long timeout_ms = static_cast<long>(std::max<long long>(1, std::min<long long>(limits.timeout.count(), remaining.count())));
    CURL* e = t.easy;
    curl_easy_setopt(e, CURLOPT_URL, t.url.c_str());
    curl_easy_setopt(e, CURLOPT_HTTPGET, 1L);
    curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION, 0L);  // by hand, through the allow list
    curl_easy_setopt(e, CURLOPT_NOPROXY, "*");         // a proxy would take traffic elsewhere
    curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, timeout_ms);
    curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS, timeout_ms);
    curl_easy_setopt(e, CURLOPT_USERAGENT, "opsbook/" OPSBOOK_VERSION " (live check)");
    curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, discard_body);
    curl_easy_setopt(e, CURLOPT_ERRORBUFFER, t.error);
    long verify = requests[t.index].insecure ? 0L : 1L;
    curl_easy_setopt(e, CURLOPT_SSL_VERIFYPEER, verify);
    curl_easy_setopt(e, CURLOPT_SSL_VERIFYHOST, verify ? 2L : 0L);
    curl_easy_setopt(e, CURLOPT_PRIVATE, &t);
    ++t.attempts;
    t.error[0] = 0;
    t.started = Clock::now();
    curl_multi_add_handle(multi, e);
    ++in_flight;
  };
  auto release = [&](Transfer& t) {
    if (!t.holds_slot) return;
    limits.gate->release(t.host);
    t.holds_slot = false;
  };
  auto retry_later = [&](Transfer& t) {
    t.not_before = Clock::now() + limits.backoff * (1 << std::min(t.attempts - 1, 6));
    delayed.push_back(t.index);
  };
  auto finish = [&](Transfer& t) {
    results[t.index].attempts = t.attempts;
    results[t.index].redirects = t.redirects;
    t.finished = true;
    ++done;
  };
  auto on_done = [&](Transfer& t, CURLcode code) {
    HttpResult& r = results[t.index];
    const HttpRequest& req = requests[t.index];
    r.latency_ms = ms_since(t.started);
    curl_multi_remove_handle(multi, t.easy);
    --in_flight;
    release(t);
    if (code != CURLE_OK) {
      if (retryable(code) && t.attempts <= limits.retries && Clock::now() + limits.backoff < limits.deadline) return retry_later(t);
      r.status = 0;
      r.error = t.error[0] ? t.error : curl_easy_strerror(code);
      if (code == CURLE_OPERATION_TIMEDOUT && Clock::now() + std::chrono::milliseconds(50) >= limits.deadline) r.error = "not finished before the global deadline";
      r.final_url = t.url;
      return finish(t);
    }
    long status = 0;
    curl_easy_getinfo(t.easy, CURLINFO_RESPONSE_CODE, &status);
    r.status = static_cast<int>(status);
    r.final_url = t.url;
    r.error.clear();
    char* location = nullptr;
    if (status >= 300 && status < 400 && !req.expect.matches(r.status) &&
        curl_easy_getinfo(t.easy, CURLINFO_REDIRECT_URL, &location) == CURLE_OK && location) {
      if (t.redirects >= limits.max_redirects) {
        r.error = "more than " + std::to_string(limits.max_redirects) + " redirects";
        return finish(t);
      }
      auto next = parse_url(location);
      if (!next) {
        r.error = "redirect to an unreadable location";
        return finish(t);
      }
      Url target = policy.rewrite(*next);
      if (!policy.allowed(target.host)) {
        r.refused = true;
        r.error = "redirect to " + target.str() + " not followed: " + target.host + " is not in allow_hosts";
        return finish(t);
      }
      t.url = target.str();
      t.host = target.host;
      ++t.redirects;
      --t.attempts;  // a hop is not a retry
      ready.push_front(t);
      return;
    }
    if (status >= 500 && !req.expect.matches(r.status) && t.attempts <= limits.retries && Clock::now() + limits.backoff < limits.deadline) {
      return retry_later(t);
    }
    finish(t);
  };

  while (done < transfers.size()) {
    auto now = Clock::now();
    if (now >= limits.deadline) break;
    for (size_t k = 0; k < delayed.size();) {
      if (transfers[delayed[k]].not_before <= now) {
        ready.push_back(transfers[delayed[k]]);
        delayed[k] = delayed.back();
        delayed.pop_back();
      } else {
        ++k;
      }
    }
    Clock::time_point gate_retry = Clock::time_point::max();
    ready.start_allowed(transfers, in_flight, static_cast<size_t>(concurrency), limits.gate, gate_retry, start);
    int running = 0;
    curl_multi_perform(multi, &running);
    int queued = 0;
    bool finished_some = false;
    while (CURLMsg* msg = curl_multi_info_read(multi, &queued)) {
      if (msg->msg != CURLMSG_DONE) continue;
      Transfer* t = nullptr;
      curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, &t);
      on_done(*t, msg->data.result);
      finished_some = true;
    }
    if (done == transfers.size() || (finished_some && !ready.empty())) continue;  // freed slots: start more at once
    auto wait = std::chrono::milliseconds(100);
    if (gate_retry != Clock::time_point::max()) wait = std::min(wait, std::chrono::duration_cast<std::chrono::milliseconds>(gate_retry - Clock::now()) + std::chrono::milliseconds(1));
    for (size_t k : delayed) wait = std::min(wait, std::chrono::duration_cast<std::chrono::milliseconds>(transfers[k].not_before - Clock::now()));
    wait = std::min(wait, std::chrono::duration_cast<std::chrono::milliseconds>(limits.deadline - Clock::now()));
    if (in_flight > 0) curl_multi_poll(multi, nullptr, 0, static_cast<int>(std::max<long long>(0, wait.count())), nullptr);
    else if (wait.count() > 0) std::this_thread::sleep_for(wait);
  }
  // Whatever is left did not finish before the global deadline.
  for (auto& t : transfers) {
    HttpResult& r = results[t.index];
    if (!t.finished) {
      r.status = 0;
      r.error = "not finished before the global deadline";
      r.attempts = t.attempts;
      r.final_url = t.url;
    }
    if (t.easy) {
      curl_multi_remove_handle(multi, t.easy);
      curl_easy_cleanup(t.easy);
    }
    release(t);
  }
  curl_multi_cleanup(multi);
  return results;
}

}  // namespace opsbook::validator
