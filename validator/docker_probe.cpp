// The Docker probe: a snapshot of the daemon through its Engine API on the unix socket, with
// libcurl, GET requests only (version, containers, inspection of the project's containers,
// images, networks, volumes). It never creates, starts, stops, execs or deletes anything.
#include <curl/curl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>
#include <mutex>
#include <optional>
#include <nlohmann/json.hpp>
#include <thread>

#include "validator/live_probe.hpp"

namespace opsbook::validator {

namespace {

using nlohmann::json;

constexpr size_t k_max_answer = 32u << 20;  // bytes of one answer
constexpr size_t k_max_inspect = 512;       // containers inspected per snapshot
constexpr int k_max_depth = 64;             // JSON nesting accepted from the daemon

size_t append_body(char* data, size_t size, size_t count, void* user) {
  auto* body = static_cast<std::string*>(user);
  if (body->size() + size * count > k_max_answer) return 0;  // stops the transfer
  body->append(data, size * count);
  return size * count;
}

double ms_since(Clock::time_point t) { return std::chrono::duration<double, std::milli>(Clock::now() - t).count(); }

std::string seconds(std::chrono::milliseconds ms) {
  long long s = ms.count() / 1000, tenths = ms.count() % 1000 / 100;
  return std::to_string(s) + (tenths ? "." + std::to_string(tenths) : "") + " s";
}

// One connection to the daemon, reused for every request of a snapshot.
class EngineClient {
 public:
  EngineClient(std::string socket, const ProbeLimits& limits) : m_socket(std::move(socket)), m_limits(limits) {
    static std::once_flag once;
    std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
    m_easy = curl_easy_init();
  }
  ~EngineClient() { curl_easy_cleanup(m_easy); }
  EngineClient(const EngineClient&) = delete;
  EngineClient& operator=(const EngineClient&) = delete;

  // GET `path`; the parsed answer, or nullopt with `error` set.
  std::optional<json> get(const std::string& path, std::string& error, bool retry_connect, int& attempts) {
    for (;;) {
      ++attempts;
      CURLcode code = CURLE_OK;
      long status = 0;
      m_status = 0;
      std::string body;
      if (!transfer(path, body, code, status, error)) {
        bool again = retry_connect && code == CURLE_COULDNT_CONNECT && attempts <= m_limits.retries;
        auto wait = m_limits.backoff * (1 << std::min(attempts - 1, 6));
        if (!again || Clock::now() + wait >= m_limits.deadline) return std::nullopt;
        std::this_thread::sleep_for(wait);
        continue;
      }
      m_status = status;
      return parse(path, status, body, error);
    }
  }
  // HTTP status of the last answer (0 = none).
  [[nodiscard]] long last_status() const { return m_status; }

 private:
  bool transfer(const std::string& path, std::string& body, CURLcode& code, long& status, std::string& error) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(m_limits.deadline - Clock::now());
    if (left.count() <= 0) {
      error = "not finished before the global deadline";
      return false;
    }
    auto timeout = std::min(m_limits.timeout, left);
    std::string url = "http://localhost" + path;
    char message[CURL_ERROR_SIZE] = {};
    curl_easy_reset(m_easy);
    curl_easy_setopt(m_easy, CURLOPT_UNIX_SOCKET_PATH, m_socket.c_str());
    curl_easy_setopt(m_easy, CURLOPT_URL, url.c_str());
    curl_easy_setopt(m_easy, CURLOPT_HTTPGET, 1L);  // the only method this probe sends
    curl_easy_setopt(m_easy, CURLOPT_PROTOCOLS_STR, "http");
    curl_easy_setopt(m_easy, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(m_easy, CURLOPT_NOPROXY, "*");
    curl_easy_setopt(m_easy, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(m_easy, CURLOPT_TIMEOUT_MS, static_cast<long>(std::max<long long>(1, timeout.count())));
    curl_easy_setopt(m_easy, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(std::max<long long>(1, timeout.count())));
    curl_easy_setopt(m_easy, CURLOPT_USERAGENT, "opsbook/" OPSBOOK_VERSION " (live check)");
    curl_easy_setopt(m_easy, CURLOPT_WRITEFUNCTION, append_body);
    curl_easy_setopt(m_easy, CURLOPT_WRITEDATA, &body);
    curl_easy_setopt(m_easy, CURLOPT_ERRORBUFFER, message);
    code = curl_easy_perform(m_easy);
    if (code == CURLE_OK) {
      curl_easy_getinfo(m_easy, CURLINFO_RESPONSE_CODE, &status);
      return true;
    }
    if (code == CURLE_OPERATION_TIMEDOUT) {
      bool deadline = Clock::now() + std::chrono::milliseconds(50) >= m_limits.deadline;
      error = deadline ? "not finished before the global deadline" : "no answer to GET " + path + " within " + seconds(timeout) + " (the daemon hangs)";
    } else if (code == CURLE_COULDNT_CONNECT) {
      long os_errno = 0;
      curl_easy_getinfo(m_easy, CURLINFO_OS_ERRNO, &os_errno);
      error = "cannot connect to " + m_socket + ": " + (os_errno ? std::strerror(static_cast<int>(os_errno)) : std::string(message));
    } else if (code == CURLE_WRITE_ERROR) {
      error = "the answer to GET " + path + " is larger than " + std::to_string(k_max_answer >> 20) + " MB";
    } else {
      error = "GET " + path + ": " + (message[0] ? message : curl_easy_strerror(code));
    }
    return false;
  }

  static std::optional<json> parse(const std::string& path, long status, const std::string& body, std::string& error) {
    // The depth callback keeps a hostile answer from nesting without bound.
    auto bounded = [](int depth, json::parse_event_t, json&) { return depth <= k_max_depth; };
    json answer = json::parse(body, bounded, false);
    if (status != 200) {
      std::string why = answer.is_object() && answer.contains("message") && answer["message"].is_string() ? answer["message"].get<std::string>() : "";
      error = "GET " + path + " answered " + std::to_string(status) + (why.empty() ? "" : ": " + why.substr(0, 200));
      return std::nullopt;
    }
    if (answer.is_discarded()) {
      error = "GET " + path + ": the answer is not JSON (is this a Docker Engine socket?)";
      return std::nullopt;
    }
    return answer;
  }

  std::string m_socket;
  const ProbeLimits& m_limits;
  CURL* m_easy = nullptr;
  long m_status = 0;
};

std::string text(const json& object, const char* key) {
  auto it = object.find(key);
  return it != object.end() && it->is_string() ? it->get<std::string>() : std::string();
}

int port_number(const std::string& spec) {  // "18091/tcp" or "18091"
  int port = 0;
  for (char c : spec.substr(0, spec.find('/'))) {
    if (c < '0' || c > '9' || port > 65535) return 0;
    port = port * 10 + (c - '0');
  }
  return port <= 65535 ? port : 0;
}

void add_port(std::vector<int>& ports, int port) {
  if (port > 0 && std::find(ports.begin(), ports.end(), port) == ports.end()) ports.push_back(port);
}

DockerContainer read_summary(const json& item) {
  DockerContainer c;
  c.id = text(item, "Id");
  if (auto names = item.find("Names"); names != item.end() && names->is_array()) {
    for (const auto& n : *names) {
      if (!n.is_string()) continue;
      std::string name = n.get<std::string>();
      c.names.push_back(name.starts_with('/') ? name.substr(1) : name);
    }
  }
  if (auto labels = item.find("Labels"); labels != item.end() && labels->is_object()) {
    c.project = text(*labels, "com.docker.compose.project");
    c.service = text(*labels, "com.docker.compose.service");
    c.one_off = text(*labels, "com.docker.compose.oneoff") == "True";
  }
  c.state = text(item, "State");
  c.status = text(item, "Status");
  if (auto host = item.find("HostConfig"); host != item.end() && host->is_object()) c.host_network = text(*host, "NetworkMode") == "host";
  if (auto ports = item.find("Ports"); ports != item.end() && ports->is_array()) {
    for (const auto& p : *ports) {
      if (p.is_object() && p.contains("PublicPort") && p["PublicPort"].is_number_integer()) add_port(c.published, p["PublicPort"].get<int>());
    }
  }
  return c;
}

// Health and, on the host network, the exposed ports: from GET /containers/{id}/json.
void read_inspection(const json& item, DockerContainer& c) {
  c.inspected = true;
  if (auto state = item.find("State"); state != item.end() && state->is_object()) {
    if (auto health = state->find("Health"); health != state->end() && health->is_object()) {
      c.health = text(*health, "Status");
      auto log = health->find("Log");
      if (c.health != "healthy" && log != health->end() && log->is_array() && !log->empty() && log->back().is_object()) {
        std::string out = text(log->back(), "Output");
        while (!out.empty() && (out.back() == '\n' || out.back() == ' ')) out.pop_back();
        out = out.substr(out.rfind('\n') == std::string::npos ? 0 : out.rfind('\n') + 1);
        c.health_output = out.substr(0, 200);
      }
    }
  }
  if (auto host = item.find("HostConfig"); host != item.end() && host->is_object()) c.host_network = text(*host, "NetworkMode") == "host";
  if (!c.host_network) return;
  if (auto config = item.find("Config"); config != item.end() && config->is_object()) {
    if (auto exposed = config->find("ExposedPorts"); exposed != config->end() && exposed->is_object()) {
      for (const auto& [spec, unused] : exposed->items()) add_port(c.published, port_number(spec));
    }
  }
}

bool hex_id(const std::string& id) {
  return !id.empty() && id.size() <= 128 && std::all_of(id.begin(), id.end(), [](char ch) { return (ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'f'); });
}

void read_objects(EngineClient& client, DockerSnapshot& out) {
  for (const char* path : {"/images/json", "/networks", "/volumes"}) {
    auto answer = client.get(path, out.error, false, out.attempts);
    if (!answer) return;
    const json& list = std::string(path) == "/volumes" && answer->is_object() && answer->contains("Volumes") ? (*answer)["Volumes"] : *answer;
    if (!list.is_array()) continue;
    for (const auto& item : list) {
      if (!item.is_object()) continue;
      for (const char* key : {"Id", "Name"}) {
        if (std::string v = text(item, key); !v.empty()) out.objects.push_back(v);
      }
      if (auto tags = item.find("RepoTags"); tags != item.end() && tags->is_array()) {
        for (const auto& t : *tags) {
          if (t.is_string()) out.objects.push_back(t.get<std::string>());
        }
      }
    }
  }
}

// Fills `out`; stops at the first failure, which `out.error` names.
void take_snapshot(const DockerQuery& query, const ProbeLimits& limits, DockerSnapshot& out) {
  struct stat st {};
  if (::stat(query.socket.c_str(), &st) != 0) {
    out.error = "no socket at " + query.socket + " (" + std::strerror(errno) + "): is the Docker daemon running here?";
    return;
  }
  if (!S_ISSOCK(st.st_mode)) {
    out.error = query.socket + " is not a socket";
    return;
  }
  if (::access(query.socket.c_str(), R_OK | W_OK) != 0) {
    out.error = "no permission to use " + query.socket + " (run as a member of the docker group, or as root)";
    return;
  }
  EngineClient client(query.socket, limits);
  auto version = client.get("/version", out.error, true, out.attempts);
  if (!version) return;
  out.version = version->is_object() ? text(*version, "Version") : "";
  auto list = client.get("/containers/json?all=1", out.error, false, out.attempts);
  if (!list) return;
  if (!list->is_array()) {
    out.error = "GET /containers/json: the answer is not a list of containers";
    return;
  }
  for (const auto& item : *list) {
    if (item.is_object()) out.containers.push_back(read_summary(item));
  }
  size_t inspected = 0;
  for (auto& c : out.containers) {
    bool wanted = std::find(query.projects.begin(), query.projects.end(), c.project) != query.projects.end() && !c.project.empty();
    if (!wanted || !hex_id(c.id) || inspected++ >= k_max_inspect) continue;
    auto detail = client.get("/containers/" + c.id + "/json", out.error, false, out.attempts);
    if (!detail) {
      if (client.last_status() != 404) return;
      out.error.clear();  // removed since the listing: nothing to inspect
      continue;
    }
    if (detail->is_object()) read_inspection(*detail, c);
  }
  if (query.objects) read_objects(client, out);
}

}  // namespace

DockerSnapshot probe_docker(const DockerQuery& query, const ProbeLimits& limits) {
  DockerSnapshot out;
  auto start = Clock::now();
  take_snapshot(query, limits, out);
  out.latency_ms = ms_since(start);
  return out;
}

}  // namespace opsbook::validator
