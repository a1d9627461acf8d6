// Redis probes through hiredis: PING and the commands of the allow list (redis_read_only; the
// caller filters them and so does this adapter) on a small pool of connections per service,
// with connect and command timeouts and a bound on the bytes of each reply.
#include <hiredis/hiredis.h>

#include <algorithm>
#include <memory>
#include <mutex>
#include <thread>

#include "model/parallel.hpp"
#include "validator/connection_pool.hpp"
#include "validator/live_probe.hpp"
#include "model/redis_read_only.hpp"

namespace opsbook::validator {

namespace {

struct ContextFree {
  void operator()(redisContext* c) const { redisFree(c); }
};
using Context = std::unique_ptr<redisContext, ContextFree>;

struct ReplyFree {
  void operator()(redisReply* r) const { freeReplyObject(r); }
};
using Reply = std::unique_ptr<redisReply, ReplyFree>;

timeval to_timeval(std::chrono::milliseconds ms) {
  timeval tv{};
  tv.tv_sec = static_cast<time_t>(ms.count() / 1000);
  tv.tv_usec = static_cast<suseconds_t>((ms.count() % 1000) * 1000);
  return tv;
}

std::string describe(const redisReply& r) {
  switch (r.type) {
    case REDIS_REPLY_STATUS: return std::string(r.str, r.len);
    case REDIS_REPLY_INTEGER: return "integer " + std::to_string(r.integer);
    case REDIS_REPLY_NIL: return "nil";
    case REDIS_REPLY_ARRAY: return std::to_string(r.elements) + (r.elements == 1 ? " element" : " elements");
    case REDIS_REPLY_STRING: {
      size_t lines = static_cast<size_t>(std::count(r.str, r.str + r.len, '\n'));
      if (lines > 1) return std::to_string(lines) + " lines";
      return std::to_string(r.len) + " bytes";
    }
    default: return "reply";
  }
}

// Sends `argv` and reads its reply, at most k_redis_max_reply bytes of it; an empty reply with
// `too_large` set when it was bigger (the connection is then unusable).
Reply command(redisContext* c, const std::vector<std::string>& argv, bool* too_large = nullptr) {
  std::vector<const char*> args;
  std::vector<size_t> lens;
  for (const auto& a : argv) {
    args.push_back(a.data());
    lens.push_back(a.size());
  }
  if (redisAppendCommandArgv(c, static_cast<int>(args.size()), args.data(), lens.data()) != REDIS_OK) return nullptr;
  for (int done = 0; !done;) {
    if (redisBufferWrite(c, &done) != REDIS_OK) return nullptr;
  }
  size_t received = 0;
  for (;;) {
    void* reply = nullptr;
    if (redisGetReplyFromReader(c, &reply) != REDIS_OK) return nullptr;
    if (reply) return Reply(static_cast<redisReply*>(reply));
    size_t before = c->reader->len;
    if (redisBufferRead(c) != REDIS_OK) return nullptr;
    received += c->reader->len - before;
    if (received > model::k_redis_max_reply) {
      if (too_large) *too_large = true;
      return nullptr;
    }
  }
}

// AUTH and SELECT from the service URL; false with `error` set when refused.
bool handshake(redisContext* c, const Url& url, std::string& error) {
  if (!url.password.empty()) {
    std::vector<std::string> auth = {"AUTH"};
    if (!url.user.empty()) auth.push_back(url.user);
    auth.push_back(url.password);
    Reply r = command(c, auth);
    if (!r || r->type == REDIS_REPLY_ERROR) {
      error = "authentication failed" + (r ? ": " + std::string(r->str, r->len) : std::string());
      return false;
    }
  }
  std::string db = url.path.size() > 1 ? url.path.substr(1) : "";
  if (!db.empty() && db != "0") {
    Reply r = command(c, {"SELECT", db});
    if (!r || r->type == REDIS_REPLY_ERROR) {
      error = "cannot select database " + db;
      return false;
    }
  }
  return true;
}

// Reads that walk a whole key are measured first (HLEN, SCARD...) and not sent when they would
// walk more than k_redis_max_elements; false with `error` set then.
bool within_size(redisContext* c, const std::vector<std::string>& argv, std::string& error) {
  std::vector<std::string> measure = model::redis_size_query(argv);
  if (measure.empty()) return true;
  Reply size = command(c, measure);
  if (!size || size->type != REDIS_REPLY_INTEGER) return true;  // not a key of that type: the read itself fails fast
  if (std::string why = model::redis_size_refusal(argv, size->integer); !why.empty()) {
    error = why + ": never sent by live checks";
    return false;
  }
  return true;
}

std::unique_ptr<ConnectionPool<Context>> new_pool(const Url& url, const ProbeLimits& limits) {
  return std::make_unique<ConnectionPool<Context>>(
      [url, &limits](std::string& error) -> Context {
        auto left = std::min(limits.timeout, std::chrono::duration_cast<std::chrono::milliseconds>(limits.deadline - Clock::now()));
        Context c(redisConnectWithTimeout(url.host.c_str(), url.effective_port(), to_timeval(std::max(left, std::chrono::milliseconds(1)))));
        if (!c || c->err) {
          error = c ? c->errstr : "out of memory";
          return nullptr;
        }
        redisSetTimeout(c.get(), to_timeval(limits.timeout));
        if (!handshake(c.get(), url, error)) return nullptr;  // AUTH or SELECT refused: no retry helps
        return c;
      },
      [](const std::string& error) { return error.find("Connection refused") != std::string::npos; }, limits);
}

}  // namespace

std::vector<RedisResult> probe_redis(const std::vector<Url>& services, const std::vector<RedisTask>& tasks, const ProbeLimits& limits) {
  std::vector<RedisResult> results(tasks.size());
  std::vector<std::unique_ptr<ConnectionPool<Context>>> pools;
  for (const auto& url : services) pools.push_back(new_pool(url, limits));
  unsigned threads = std::clamp(limits.concurrency, 1u, 4u);
  model::parallel_for(tasks.size(), threads, [&](size_t i) {
    RedisResult& r = results[i];
    if (Clock::now() >= limits.deadline) {
      r.error = "not run: the global deadline was reached";
      return;
    }
    if (std::string why = model::redis_refusal(tasks[i].argv); !why.empty()) {
      r.error = "not sent: " + why;
      return;
    }
    HostSlot slot(limits.gate, services[tasks[i].service].host, limits.deadline);
    if (!slot.held()) {
      r.error = "not run: the global deadline was reached";
      return;
    }
    auto start = Clock::now();
    ConnectionPool<Context>& pool = *pools[tasks[i].service];
    int attempts = 1;
    Context c = pool.acquire(r.error, attempts);
    r.attempts = attempts;
    if (c && !within_size(c.get(), tasks[i].argv, r.error)) {
      r.refused = true;
      pool.release(std::move(c));
    } else if (c) {
      bool too_large = false;
      Reply reply = command(c.get(), tasks[i].argv, &too_large);
      if (too_large) {
        r.error = "the reply is larger than " + std::to_string(model::k_redis_max_reply >> 20) + " MiB: not read";
      } else if (!reply) {
        r.error = c->errstr[0] ? c->errstr : "no reply";
        r.connection_error = true;  // the context is unusable now: drop it
      } else {
        if (reply->type == REDIS_REPLY_ERROR) r.error = std::string(reply->str, reply->len);
        else r.reply = describe(*reply), r.ok = true;
        pool.release(std::move(c));
      }
    } else {
      r.connection_error = true;
    }
    r.latency_ms = std::chrono::duration<double, std::milli>(Clock::now() - start).count();
  });
  return results;
}

}  // namespace opsbook::validator
