// The kernel's Landlock sandbox: what a process may open, run, connect to and signal once it
// confines itself. opsbook builds the ruleset in its own process and a child it starts enforces it
// on itself between fork and exec (model/process: ProcessOptions::confine_fd), so the doc-test's
// bash and everything it starts can reach only what the ruleset grants, whatever their words say.
// Reads and writes of paths outside the grants fail with EACCES, /proc included (a grant on /proc
// would open other processes' environ to the same user: measured on 6.18), and so does sending a
// signal to a process outside the sandbox (ABI 6). Older kernels get what their ABI has.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace opsbook::model {

struct Confinement {
  std::vector<std::string> run;    // read and execute at or below (files or folders)
  std::vector<std::string> list;   // folders at or below that can be listed (not their files read)
  std::vector<std::string> read;   // read at or below
  std::vector<std::string> write;  // read, write, create and remove at or below
  std::vector<std::string> device;  // files read and written in place (/dev/null)
  std::optional<std::vector<int>> connect_ports;  // TCP ports it may connect to; nullopt: any
};

// The Landlock ABI of the running kernel; 0 when it has none (or a seccomp filter hides it).
int landlock_abi();

// A ruleset file descriptor for `c` (closed with the object), or why there is none.
class Ruleset {
 public:
  Ruleset() = default;
  explicit Ruleset(int fd) : m_fd(fd) {}
  ~Ruleset();
  Ruleset(Ruleset&& other) noexcept : m_fd(other.m_fd) { other.m_fd = -1; }
  Ruleset& operator=(Ruleset&& other) noexcept;
  Ruleset(const Ruleset&) = delete;
  Ruleset& operator=(const Ruleset&) = delete;
  [[nodiscard]] int fd() const { return m_fd; }

 private:
  int m_fd = -1;
};

// Grants that name a path which does not exist are left out; any other failure is an error.
std::optional<Ruleset> make_ruleset(const Confinement& c, std::string& why);

// Enforces the ruleset on the calling process (no_new_privs first). Async-signal-safe: called in a
// forked child. 0 on success, else errno.
int enforce_ruleset(int fd);

}  // namespace opsbook::model
