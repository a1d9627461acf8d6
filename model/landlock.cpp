// Landlock through its three system calls. Debian's kernel headers (6.1) stop at ABI 2, the
// kernels CI runs on go further: the later parts of the interface (network ports, scopes, the
// truncate and device-ioctl rights) are declared here as the kernel's UAPI defines them.
#include "model/landlock.hpp"

#include <fcntl.h>
#include <linux/landlock.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstring>

namespace opsbook::model {

namespace {

// UAPI beyond Debian's header (include/uapi/linux/landlock.h).
struct RulesetAttr {
  uint64_t handled_access_fs;
  uint64_t handled_access_net;  // ABI 4
  uint64_t scoped;              // ABI 6
};
struct NetPortAttr {
  uint64_t allowed_access;
  uint64_t port;
};
constexpr int k_rule_net_port = 2;
constexpr uint64_t k_fs_truncate = 1ULL << 14;   // ABI 3
constexpr uint64_t k_fs_ioctl_dev = 1ULL << 15;  // ABI 5
constexpr uint64_t k_net_bind_tcp = 1ULL << 0;
constexpr uint64_t k_net_connect_tcp = 1ULL << 1;
constexpr uint64_t k_scope_abstract_unix = 1ULL << 0;
constexpr uint64_t k_scope_signal = 1ULL << 1;

constexpr uint64_t k_read_file = LANDLOCK_ACCESS_FS_READ_FILE;
constexpr uint64_t k_read_dir = LANDLOCK_ACCESS_FS_READ_DIR;
constexpr uint64_t k_execute = LANDLOCK_ACCESS_FS_EXECUTE;
constexpr uint64_t k_write_file = LANDLOCK_ACCESS_FS_WRITE_FILE;
constexpr uint64_t k_make = LANDLOCK_ACCESS_FS_REMOVE_DIR | LANDLOCK_ACCESS_FS_REMOVE_FILE | LANDLOCK_ACCESS_FS_MAKE_DIR |
                            LANDLOCK_ACCESS_FS_MAKE_REG | LANDLOCK_ACCESS_FS_MAKE_SYM;
// Rights that may be granted on a file (the rest only on folders).
constexpr uint64_t k_file_rights = k_read_file | k_execute | k_write_file | k_fs_truncate | k_fs_ioctl_dev;

// Every filesystem right the ABI knows: what is not granted is refused.
uint64_t handled_fs(int abi) {
  uint64_t all = (LANDLOCK_ACCESS_FS_MAKE_SYM << 1) - 1;  // ABI 1: bits 0-12
  if (abi >= 2) all |= LANDLOCK_ACCESS_FS_REFER;
  if (abi >= 3) all |= k_fs_truncate;
  if (abi >= 5) all |= k_fs_ioctl_dev;
  return all;
}

bool add_path(int ruleset, const std::string& path, uint64_t access, uint64_t handled, std::string& why) {
  int fd = ::open(path.c_str(), O_PATH | O_CLOEXEC);
  if (fd < 0) {
    if (errno == ENOENT || errno == ENOTDIR) return true;  // nothing there to grant
    why = path + ": " + std::strerror(errno);
    return false;
  }
  struct stat st {};
  if (::fstat(fd, &st) != 0 || !S_ISDIR(st.st_mode)) access &= k_file_rights;
  landlock_path_beneath_attr attr{};
  attr.allowed_access = access & handled;
  attr.parent_fd = fd;
  long rc = ::syscall(SYS_landlock_add_rule, ruleset, LANDLOCK_RULE_PATH_BENEATH, &attr, 0);
  int saved = errno;
  ::close(fd);
  if (rc != 0) why = path + ": landlock_add_rule: " + std::strerror(saved);
  return rc == 0;
}

bool add_port(int ruleset, int port, std::string& why) {
  NetPortAttr attr{k_net_connect_tcp, static_cast<uint64_t>(port)};
  if (::syscall(SYS_landlock_add_rule, ruleset, k_rule_net_port, &attr, 0) == 0) return true;
  why = "port " + std::to_string(port) + ": landlock_add_rule: " + std::strerror(errno);
  return false;
}

}  // namespace

int landlock_abi() {
  static const int abi = [] {
    long v = ::syscall(SYS_landlock_create_ruleset, nullptr, 0, LANDLOCK_CREATE_RULESET_VERSION);
    return v < 0 ? 0 : static_cast<int>(v);
  }();
  return abi;
}

Ruleset::~Ruleset() {
  if (m_fd >= 0) ::close(m_fd);
}

Ruleset& Ruleset::operator=(Ruleset&& other) noexcept {
  if (this != &other) {
    if (m_fd >= 0) ::close(m_fd);
    m_fd = other.m_fd;
    other.m_fd = -1;
  }
  return *this;
}

std::optional<Ruleset> make_ruleset(const Confinement& c, std::string& why) {
  int abi = landlock_abi();
  if (abi < 1) {
    why = "this kernel has no Landlock (Linux 5.13 or later with the landlock LSM enabled)";
    return std::nullopt;
  }
  RulesetAttr attr{handled_fs(abi), 0, 0};
  size_t size = sizeof(uint64_t);
  if (abi >= 4 && c.connect_ports) attr.handled_access_net = k_net_bind_tcp | k_net_connect_tcp;
  if (abi >= 4) size = 2 * sizeof(uint64_t);
  if (abi >= 6) attr.scoped = k_scope_abstract_unix | k_scope_signal, size = sizeof attr;
  long fd = ::syscall(SYS_landlock_create_ruleset, &attr, size, 0);
  if (fd < 0) {
    why = std::string("landlock_create_ruleset: ") + std::strerror(errno);
    return std::nullopt;
  }
  Ruleset ruleset(static_cast<int>(fd));
  uint64_t handled = attr.handled_access_fs;
  auto grant = [&](const std::vector<std::string>& paths, uint64_t access) {
    for (const auto& p : paths) {
      if (!add_path(ruleset.fd(), p, access, handled, why)) return false;
    }
    return true;
  };
  bool ok = grant(c.run, k_read_file | k_read_dir | k_execute) && grant(c.list, k_read_dir) && grant(c.read, k_read_file | k_read_dir) &&
            grant(c.write, k_read_file | k_read_dir | k_write_file | k_make | k_fs_truncate | LANDLOCK_ACCESS_FS_REFER) &&
            grant(c.device, k_read_file | k_write_file);
  if (ok && attr.handled_access_net != 0) {
    for (int port : *c.connect_ports) ok = ok && add_port(ruleset.fd(), port, why);
  }
  if (!ok) return std::nullopt;
  return ruleset;
}

int enforce_ruleset(int fd) {
  if (::prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) return errno;
  if (::syscall(SYS_landlock_restrict_self, fd, 0) != 0) return errno;
  return 0;
}

}  // namespace opsbook::model
