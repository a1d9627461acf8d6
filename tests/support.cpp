// Test helpers.
#include "support.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <random>
#include <sstream>
#include <stdexcept>
#include <thread>

#include "model/loader.hpp"
#include "model/parser.hpp"
#include "model/process.hpp"
#include "model/text.hpp"

namespace opsbook::test {

namespace fs = std::filesystem;

std::string shared_dir() {
  std::string dir = OPSBOOK_SHARED_DIR;
  if (!fs::is_directory(dir + "/samples")) {
    throw std::runtime_error("shared folder not found at " + dir + " (configure with -DOPSBOOK_SHARED_DIR=...)");
  }
  return dir;
}

std::string samples_dir() { return shared_dir() + "/samples"; }
std::string data_dir() { return OPSBOOK_TEST_DATA; }

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

void write_file(const fs::path& path, const std::string& text) {
  fs::create_directories(path.parent_path());
  std::ofstream out(path, std::ios::binary);
  out << text;
}

TempDir::TempDir() {
  std::random_device rd;
  m_path = fs::temp_directory_path() / ("opsbook-test-" + std::to_string(::getpid()) + "-" + std::to_string(rd()));
  fs::create_directories(m_path);
}

TempDir::~TempDir() {
  std::error_code ec;
  fs::permissions(m_path, fs::perms::owner_all, fs::perm_options::add, ec);
  for (auto it = fs::recursive_directory_iterator(m_path, fs::directory_options::skip_permission_denied, ec);
       it != fs::recursive_directory_iterator(); it.increment(ec)) {
    fs::permissions(it->path(), fs::perms::owner_all, fs::perm_options::add, ec);
  }
  fs::remove_all(m_path, ec);
}

int git(const std::filesystem::path& repo, std::vector<std::string> args) {
  args.insert(args.begin(), {"git", "-C", repo.string(), "-c", "user.email=t@t.invalid", "-c", "user.name=t"});
  std::string cmd;
  for (const auto& a : args) cmd += "'" + a + "' ";
  return std::system((cmd + ">/dev/null 2>&1").c_str());
}

RunResult run_opsbook(const std::vector<std::string>& args, const std::string& cwd, const Limits& limits) {
  // stdout and stderr go to temp files so that a large output can never dead-lock the pipes.
  TempDir tmp;
  std::string out_path = (tmp.path() / "out").string();
  std::string err_path = (tmp.path() / "err").string();
  pid_t pid = ::fork();
  if (pid < 0) throw std::runtime_error("fork failed");
  if (pid == 0) {
    if (!cwd.empty() && ::chdir(cwd.c_str()) != 0) ::_exit(127);
    FILE* o = std::freopen(out_path.c_str(), "w", stdout);
    FILE* e = std::freopen(err_path.c_str(), "w", stderr);
    if (o == nullptr || e == nullptr) ::_exit(127);
    auto limit = [](int resource, size_t bytes) {
      rlimit r{static_cast<rlim_t>(bytes), static_cast<rlim_t>(bytes)};
      if (bytes > 0 && ::setrlimit(resource, &r) != 0) ::_exit(127);
    };
#ifndef OPSBOOK_SANITIZED  // ASan reserves terabytes of address space for its shadow memory
    limit(RLIMIT_AS, limits.address_space);
#endif
    limit(RLIMIT_FSIZE, limits.file_size);
    std::vector<char*> argv;
    std::string bin = OPSBOOK_BINARY;
    argv.push_back(bin.data());
    std::vector<std::string> copy = args;
    for (auto& a : copy) argv.push_back(a.data());
    argv.push_back(nullptr);
    ::execv(bin.c_str(), argv.data());
    ::_exit(127);
  }
  RunResult r;
  int status = 0;
  rusage usage{};
  auto start = std::chrono::steady_clock::now();
  auto elapsed = [&] { return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count(); };
  while (::wait4(pid, &status, limits.seconds > 0 ? WNOHANG : 0, &usage) == 0) {
    if (elapsed() > limits.seconds) {
      r.timed_out = true;
      ::kill(pid, SIGKILL);
      ::wait4(pid, &status, 0, &usage);
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  r.seconds = elapsed();
  r.max_rss_kb = usage.ru_maxrss;
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  r.out = read_file(out_path);
  r.err = read_file(err_path);
  return r;
}

std::map<std::string, std::string> read_fixture_env(const char* variable, const std::string& file, const std::string& script) {
  const char* dir = std::getenv(variable);
  if (!dir) throw std::runtime_error(std::string(variable) + " is not set: run these tests through ctest (their fixture runs " + script + ")");
  std::ifstream in(std::string(dir) + "/" + file);
  if (!in) throw std::runtime_error("no " + file + " in " + dir + ": " + script + " start did not run");
  std::map<std::string, std::string> m;
  for (std::string line; std::getline(in, line);) {
    size_t eq = line.find('=');
    if (eq == std::string::npos) continue;
    std::string v = line.substr(eq + 1);
    if (v.size() >= 2 && v.front() == '"') v = v.substr(1, v.size() - 2);
    m[line.substr(0, eq)] = v;
  }
  return m;
}

TimedRun run_live_check(const TempDir& dir, const std::string& config, const std::string& runbook, const std::vector<std::string>& extra) {
  write_file(dir.path() / "opsbook.yaml", config);
  write_file(dir.path() / "rb.md", runbook);
  std::vector<std::string> args = {"--config", (dir.path() / "opsbook.yaml").string(), "check", "--live", "--no-shell", "--format", "json",
                                   (dir.path() / "rb.md").string()};
  args.insert(args.end(), extra.begin(), extra.end());
  auto start = std::chrono::steady_clock::now();
  TimedRun r;
  r.run = run_opsbook(args);
  r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return r;
}

const std::map<std::string, std::string>& stack() {
  static const std::map<std::string, std::string> values = [] {
    auto m = read_fixture_env("OPSBOOK_STACK_DIR", "stack.env", "scripts/stack.sh");
    for (const auto& [k, v] : m) ::setenv(k.c_str(), v.c_str(), 1);
    return m;
  }();
  return values;
}

std::string pg_admin(const std::string& sql) {
  auto r = model::run_process({"bash", "-c", stack().at("STACK_PG_ADMIN") + " -At -c \"$1\"", "pg_admin", sql}, "", std::chrono::seconds(30));
  if (r.exit_code != 0) throw std::runtime_error("psql failed: " + r.err);
  return std::string(model::trim(r.out));
}

std::map<std::string, std::string> site_files(const std::filesystem::path& root) {
  std::map<std::string, std::string> out;
  for (const auto& e : std::filesystem::recursive_directory_iterator(root)) {
    if (!e.is_regular_file()) continue;
    std::string rel = std::filesystem::relative(e.path(), root).generic_string();
    if (rel == ".opsbook-cache") continue;  // holds file times, not site content
    out[rel] = read_file(e.path().string());
  }
  return out;
}

int find_process(const std::string& cmdline) {
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator("/proc", ec)) {
    std::string name = entry.path().filename().string();
    if (name.find_first_not_of("0123456789") != std::string::npos) continue;
    std::ifstream in(entry.path() / "cmdline", std::ios::binary);
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (text == cmdline) return std::stoi(name);
  }
  return 0;
}

int listen_on_loopback(int& port) {
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof addr;
  if (fd < 0 || ::bind(fd, reinterpret_cast<sockaddr*>(&addr), len) != 0 || ::listen(fd, 64) != 0) {
    if (fd >= 0) ::close(fd);
    throw std::runtime_error("bind/listen on 127.0.0.1 failed");
  }
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  port = ntohs(addr.sin_port);
  return fd;
}

model::Runbook parse(const std::string& markdown, const std::string& path) {
  return model::parse_runbook(path, model::path_slug(path), markdown);
}

std::string repeat(const std::string& text, size_t times) {
  std::string out;
  out.reserve(text.size() * times);
  for (size_t i = 0; i < times; ++i) out += text;
  return out;
}

}  // namespace opsbook::test
