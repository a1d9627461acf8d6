// The HTTP side of `opsbook serve`: the in-memory site on 127.0.0.1 only, a small script in every
// page that reloads it when a build changed it, and the build's problems as Server-Sent Events.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "generator/memory_site.hpp"
#include "server/preview_build.hpp"

namespace httplib {
class Server;
}

namespace opsbook::server {

class PreviewServer {
 public:
  // `reload_js` is the script every HTML page gets (templates/serve/reload.js).
  PreviewServer(const generator::MemorySite& site, std::string reload_js);
  ~PreviewServer();
  PreviewServer(const PreviewServer&) = delete;
  PreviewServer& operator=(const PreviewServer&) = delete;

  // Listens on 127.0.0.1:`port` (0: a free port); returns the port. Throws opsbook::Error.
  int bind(int port);
  // Serves until stop() (call from a thread of its own).
  void run();
  void stop();
  // Tells every open page about a build (reload it, show or clear problems).
  void publish(const BuildEvent& event);

 private:
  void route();
  std::string hello(const std::string& page, uint64_t seen);

  const generator::MemorySite& m_site;
  std::string m_reload_js;
  std::unique_ptr<httplib::Server> m_http;
  int m_port = 0;
  int m_listen_fd = -1;  // the listening socket, to raise its backlog

  std::mutex m_mutex;
  std::condition_variable m_changed;
  bool m_closing = false;
  uint64_t m_base = 0;     // build ids of this server run start above it: pages of an earlier run reload
  uint64_t m_build = 0;    // id of the last build
  uint64_t m_all_at = 0;   // last build that changed every page
  std::map<std::string, uint64_t> m_changed_at;  // site file -> last build that changed it
  std::string m_problems, m_fatal;
  std::string m_event;     // the last build's event, as sent
  size_t m_listeners = 0;  // event streams open
};

}  // namespace opsbook::server
