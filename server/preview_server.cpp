// The preview server: httplib on 127.0.0.1, pages from the in-memory site, one event stream per
// open page.
#include "server/preview_server.hpp"

#include <httplib.h>
#include <sys/socket.h>

#include <chrono>
#include <cstdio>
#include <functional>
#include <memory>
#include <string_view>

#include "model/error.hpp"
#include "server/bounded_http.hpp"
#include "generator/nav_script.hpp"
#include "model/json_writer.hpp"

namespace opsbook::server {

namespace {

constexpr size_t k_max_listed = 500;  // more changed files than this: every page reloads
// Each open page's event stream holds one of the 256 workers while it lasts: at most this many
// listen at once, so that pages always find a worker (s9 review R11: 300 held streams took every
// worker and no page was served). A page past it gets 503 and works on without reloading.
constexpr size_t k_max_listeners = 64;
// A stream ends after this long; the page's EventSource opens a new one (within `retry`), so no
// client holds a worker for ever.
constexpr auto k_stream_lifetime = std::chrono::minutes(5);

const char* content_type(const std::string& rel) {
  auto ends = [&](const char* ext) { return rel.ends_with(ext); };
  if (ends(".html")) return "text/html; charset=utf-8";
  if (ends(".css")) return "text/css; charset=utf-8";
  if (ends(".js")) return "text/javascript; charset=utf-8";
  if (ends(".json")) return "application/json";
  if (ends(".svg")) return "image/svg+xml";
  if (ends(".png")) return "image/png";
  if (ends(".txt") || ends(".md")) return "text/plain; charset=utf-8";
  return "application/octet-stream";
}

// Scripts, styles, search shards: the browser keeps them and asks again on every load, answered
// "not modified" (304) while unchanged, so a reload after an edit fetches and compiles none of
// them again (with no-store, a page of this portal took twice as long to reload). Pages are never
// kept: each carries the build it shows.
bool not_modified(const httplib::Request& req, httplib::Response& res, std::string_view data) {
  char etag[24];
  std::snprintf(etag, sizeof etag, "\"%016zx\"", std::hash<std::string_view>{}(data));
  res.set_header("Cache-Control", "no-cache");
  res.set_header("ETag", etag);
  if (req.get_header_value("If-None-Match") != etag) return false;
  res.status = 304;
  return true;
}

// Sends `data` as it is, without a copy: never compressed (httplib compresses a body it was given
// for every browser, which on loopback cost more than it saved: brotli took 33 ms for a 16 KB
// script, sending it 1 ms), which a content provider of known length is not.
void send(httplib::Response& res, std::shared_ptr<const std::string> data, const char* type) {
  if (data->empty()) return res.set_content("", type);
  size_t size = data->size();
  res.set_content_provider(size, type, [data = std::move(data)](size_t offset, size_t length, httplib::DataSink& sink) {
    return sink.write(data->data() + offset, length);
  });
}

// A runbook page's sidebar loads the chunk of each folder that holds the page, one after the
// other (opsbook.js learns from each chunk whether the next folder has one): the page asks for
// them with itself instead, so a reload waits for one round trip, not one per folder.
std::string nav_preloads(const generator::MemorySite& site, const std::string& rel) {
  constexpr std::string_view prefix = "runbooks/", suffix = ".html";
  if (!rel.starts_with(prefix) || !rel.ends_with(suffix)) return {};
  std::string slug = rel.substr(prefix.size(), rel.size() - prefix.size() - suffix.size());
  std::string links;
  for (size_t cut = slug.find('/'); cut != std::string::npos; cut = slug.find('/', cut + 1)) {
    // (page names are letters, digits, "-", "_" and "/": nothing to escape)
    std::string file = generator::nav_chunk_file(slug.substr(0, cut));
    if (site.find(file)) links += "<link rel=\"preload\" as=\"script\" href=\"/" + file + "\">\n";
  }
  return links;
}

std::string sse(const char* name, const std::string& data) { return std::string("event: ") + name + "\ndata: " + data + "\n\n"; }

}  // namespace

PreviewServer::PreviewServer(const generator::MemorySite& site, std::string reload_js)
    : m_site(site), m_reload_js(std::move(reload_js)), m_http(bounded_server()) {
  // Ids above the start time in ms: a page left open from an earlier run is older than any of these.
  m_base = static_cast<uint64_t>(std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch()).count());
  m_build = m_base;
  // Every open page holds a connection for its event stream, and each connection a thread while
  // it sends a request. Idle local connections trickling headers held all 64 threads (about 128
  // of them stalled every other request): a request whose next bytes take over 1 s is dropped,
  // and 256 threads serve at once.
  m_http->new_task_queue = [] { return new httplib::ThreadPool(256); };
  m_http->set_read_timeout(std::chrono::seconds(1));
  m_http->set_keep_alive_timeout(2);
  // bounded_server() serves one request a connection, of at most 100 lines and 64 KiB.
  // httplib listens with a backlog of 5: with many connections arriving, a page's connection was
  // refused again and again (its SYN dropped, retried after 1, 3, 7 s). bind() raises it.
  m_http->set_socket_options([this](int sock) {
    httplib::default_socket_options(sock);
    m_listen_fd = sock;
  });
  // A response goes out as headers, then body: with Nagle's algorithm the body waited for the
  // browser's delayed ACK of the headers (40 ms per file on Linux; a page and its scripts took
  // 200 ms to reload on loopback).
  m_http->set_tcp_nodelay(true);
  route();
}

PreviewServer::~PreviewServer() { stop(); }

int PreviewServer::bind(int port) {
  // Loopback only: the preview shows runbooks as they are being written.
  m_port = port == 0 ? m_http->bind_to_any_port("127.0.0.1") : (m_http->bind_to_port("127.0.0.1", port) ? port : -1);
  if (m_port <= 0) throw Error("cannot listen on 127.0.0.1:" + std::to_string(port) + " (in use?); pick another with --port");
  if (m_listen_fd >= 0) ::listen(m_listen_fd, SOMAXCONN);
  return m_port;
}

void PreviewServer::run() { m_http->listen_after_bind(); }

void PreviewServer::stop() {
  {
    std::lock_guard lock(m_mutex);
    m_closing = true;
  }
  m_changed.notify_all();
  m_http->stop();
}

void PreviewServer::publish(const BuildEvent& event) {
  {
    std::lock_guard lock(m_mutex);
    m_build = m_base + event.id;
    bool all = event.all || event.changed.size() > k_max_listed;
    if (all) m_all_at = m_build;
    for (const auto& rel : event.changed) m_changed_at[rel] = m_build;
    if (event.fatal.empty()) m_problems = event.problems;
    m_fatal = event.fatal;
    std::string json;
    model::JsonWriter w(json);
    w.begin_object().field("build", std::to_string(m_build)).field("all", all).key("changed").begin_array();
    if (!all) {
      for (const auto& rel : event.changed) w.value(rel);
    }
    w.end_array().field("problems", m_problems).field("fatal", m_fatal).end_object();
    m_event = sse("build", json);
  }
  m_changed.notify_all();
}

// What a page that connects learns: whether it is out of date (a build changed it after the one it
// was served from, or it is from an earlier run), and the current problems.
std::string PreviewServer::hello(const std::string& page, uint64_t seen) {
  auto it = m_changed_at.find(page);
  bool stale = seen <= m_base || seen > m_build || m_all_at > seen || (it != m_changed_at.end() && it->second > seen);
  for (auto a = m_changed_at.lower_bound("assets/"); !stale && a != m_changed_at.end() && a->first.starts_with("assets/"); ++a) {
    stale = a->second > seen;
  }
  std::string json;
  model::JsonWriter w(json);
  w.begin_object().field("build", std::to_string(m_build)).field("reload", stale).field("problems", m_problems).field("fatal", m_fatal).end_object();
  return sse("hello", json);
}

void PreviewServer::route() {
  // Only requests addressed to this machine's name for us: a web page elsewhere cannot read the
  // preview through DNS rebinding.
  m_http->set_pre_routing_handler([this](const httplib::Request& req, httplib::Response& res) {
    std::string host = req.get_header_value("Host");
    std::string port = ":" + std::to_string(m_port);
    if (host == "127.0.0.1" + port || host == "localhost" + port) return httplib::Server::HandlerResponse::Unhandled;
    res.status = 403;
    res.set_content("opsbook serve answers requests for 127.0.0.1 and localhost only\n", "text/plain");
    return httplib::Server::HandlerResponse::Handled;
  });

  m_http->Get("/__opsbook/events", [this](const httplib::Request& req, httplib::Response& res) {
    std::string page = req.get_param_value("page");
    uint64_t seen = 0;
    try {
      seen = std::stoull(req.get_param_value("build"));
    } catch (const std::exception&) {
      seen = 0;
    }
    res.set_header("Cache-Control", "no-store");
    {
      std::lock_guard lock(m_mutex);
      if (m_listeners >= k_max_listeners) {
        res.status = 503;
        res.set_header("Retry-After", "10");
        res.set_content("opsbook serve: " + std::to_string(k_max_listeners) + " pages already listen for reloads; close some and reload this one\n", "text/plain");
        return;
      }
      ++m_listeners;
    }
    auto last = std::make_shared<uint64_t>(0);
    auto ends = std::chrono::steady_clock::now() + k_stream_lifetime;
    res.set_chunked_content_provider(
        "text/event-stream",
        [this, page, seen, last, ends](size_t, httplib::DataSink& sink) {
          std::string message;
          {
            std::unique_lock lock(m_mutex);
            if (*last == 0) {
              *last = m_build;
              message = "retry: 1000\n" + hello(page, seen);
            } else {
              m_changed.wait_for(lock, std::chrono::seconds(20), [&] { return m_closing || m_build != *last; });
              if (m_closing || std::chrono::steady_clock::now() >= ends) return false;
              message = m_build != *last ? m_event : std::string(": still here\n\n");
              *last = m_build;
            }
          }
          return sink.write(message.data(), message.size());  // a client that reads nothing: false after the write timeout
        },
        [this](bool) {
          std::lock_guard lock(m_mutex);
          --m_listeners;
        });
  });

  m_http->Get("/__opsbook/reload.js", [this](const httplib::Request& req, httplib::Response& res) {
    // (the server outlives its requests: the script is not copied)
    if (!not_modified(req, res, m_reload_js)) send(res, std::shared_ptr<const std::string>(std::shared_ptr<void>(), &m_reload_js), "text/javascript; charset=utf-8");
  });

  m_http->Get(R"(/.*)", [this](const httplib::Request& req, httplib::Response& res) {
    std::string rel = req.path.substr(1);
    if (rel.empty() || rel.ends_with('/')) rel += "index.html";
    generator::MemorySite::File file = m_site.find(rel);
    std::string script;
    {
      std::lock_guard lock(m_mutex);
      script = "<script src=\"/__opsbook/reload.js\" data-page=\"" + std::string(file ? rel : "") + "\" data-build=\"" +
               std::to_string(m_build) + "\"></script>\n";
    }
    if (!file || rel.ends_with(".html")) res.set_header("Cache-Control", "no-store");
    if (!file) {
      res.status = 404;
      res.set_content("<!doctype html><title>Not found</title><p>No page at " + std::string(rel.find_first_of("<>&\"") == std::string::npos ? rel : "this address") +
                          " in this portal. <a href=\"/index.html\">All runbooks</a></p>\n" + script,
                      "text/html; charset=utf-8");
      return;
    }
    if (!rel.ends_with(".html")) {
      if (!not_modified(req, res, *file)) send(res, file, content_type(rel));
      return;
    }
    // The reload script goes in before </body>, the sidebar's preloads before </head>.
    auto html = std::make_shared<std::string>(*file);
    size_t at = html->rfind("</body>");
    html->insert(at == std::string::npos ? html->size() : at, script);
    std::string preloads = nav_preloads(m_site, rel);
    if (size_t head = html->find("</head>"); head != std::string::npos && !preloads.empty()) html->insert(head, preloads);
    send(res, std::move(html), content_type(rel));
  });
}

}  // namespace opsbook::server
