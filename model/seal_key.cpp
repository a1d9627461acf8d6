// The sealing key: from the environment, from the user's state folder, or this process's own.
#include "model/seal_key.hpp"
#include "model/work_tree.hpp"

#include <fcntl.h>
#include <pwd.h>
#include <openssl/crypto.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <optional>
#include <stdexcept>
#include <vector>

namespace opsbook::model {

namespace {

constexpr size_t k_key_size = 32;

std::string random_key() {
  std::string key(k_key_size, '\0');
  for (size_t got = 0; got < key.size();) {
    ssize_t n = ::getrandom(key.data() + got, key.size() - got, 0);
    if (n < 0 && errno != EINTR) throw std::runtime_error(std::string("getrandom failed: ") + std::strerror(errno));
    if (n > 0) got += static_cast<size_t>(n);
  }
  return key;
}

// $XDG_STATE_HOME/opsbook, else ~/.local/state/opsbook (HOME, else the user's home folder).
std::string key_folder() {
  const char* state = std::getenv("XDG_STATE_HOME");
  if (state != nullptr && state[0] == '/') return std::string(state) + "/opsbook";
  const char* home = std::getenv("HOME");
  if (home != nullptr && home[0] == '/') return std::string(home) + "/.local/state/opsbook";
  const passwd* user = ::getpwuid(::geteuid());  // HOME unset (some CI containers): the user's folder
  if (user != nullptr && user->pw_dir != nullptr && user->pw_dir[0] == '/') return std::string(user->pw_dir) + "/.local/state/opsbook";
  return "";
}

std::vector<std::string>& checkouts() {
  static std::vector<std::string> folders;
  return folders;
}

// `path` with symlinks resolved as far as it exists, then the rest as written.
std::string resolved(const std::string& path) {
  std::error_code ec;
  std::filesystem::path p = std::filesystem::weakly_canonical(path, ec);
  return ec ? path : p.lexically_normal().string();
}

// Why `folder` may not hold the key: inside a checkout (a pull request could commit the key it
// chooses when HOME is there), "" when it may.
std::string inside_checkout(const std::string& folder) {
  std::string real = resolved(folder) + "/";
  for (const std::string& checkout : checkouts()) {
    std::string root = resolved(checkout);
    if (real.starts_with(root.ends_with('/') ? root : root + "/")) {
      return folder + " is inside " + checkout + ", where a pull request could commit a key of its choosing; set XDG_STATE_HOME (or HOME) to a folder outside it";
    }
  }
  return "";
}

// Like ssh for ~/.ssh: the key's folder is the user's and nobody else may write it (they could
// replace or remove the key). "" when it holds.
std::string folder_problem(const std::string& folder) {
  int fd = ::open(folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW);
  if (fd < 0) return folder + ": " + std::strerror(errno);
  struct stat st {};
  bool ok = ::fstat(fd, &st) == 0 && st.st_uid == ::geteuid() && (st.st_mode & 022) == 0;
  ::close(fd);
  if (ok) return "";
  char mode[8];
  std::snprintf(mode, sizeof mode, "%04o", static_cast<unsigned>(st.st_mode & 07777));
  return folder + " is not a folder of this user's that only it may write (owner uid " + std::to_string(st.st_uid) + ", mode " + mode +
         "); make it the user's and run 'chmod go-w " + folder + "'";
}

// mkdir -p, the last folder private to the user.
bool make_folder(const std::string& path) {
  for (size_t at = path.find('/', 1);; at = path.find('/', at + 1)) {
    std::string part = path.substr(0, at);
    if (::mkdir(part.c_str(), at == std::string::npos ? 0700 : 0755) != 0 && errno != EEXIST) return false;
    if (at == std::string::npos) return true;
  }
}

// The key in `file`: a regular file of the user's, that nobody else may write, of k_key_size bytes.
std::optional<std::string> read_key(const std::string& file, std::string& why) {
  int fd = ::open(file.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
  if (fd < 0) {
    why = errno == ENOENT ? "" : file + ": " + std::strerror(errno);
    return std::nullopt;
  }
  struct stat st {};
  std::string key(k_key_size + 1, '\0');
  ssize_t n = ::fstat(fd, &st) == 0 && S_ISREG(st.st_mode) ? ::read(fd, key.data(), key.size()) : -1;
  ::close(fd);
  if (n != static_cast<ssize_t>(k_key_size) || st.st_uid != ::geteuid() || (st.st_mode & 077) != 0) {
    why = file + " is not a " + std::to_string(k_key_size) + "-byte file of this user's that only it may read and write";
    return std::nullopt;
  }
  key.resize(k_key_size);
  return key;
}

// Writes a new key where none is, atomically (link fails when another process was first).
bool create_key(const std::string& folder, const std::string& file, std::string& why) {
  std::string temp = folder + "/.seal-key.XXXXXX";
  int fd = ::mkstemp(temp.data());
  if (fd < 0) {
    why = folder + ": " + std::strerror(errno);
    return false;
  }
  std::string key = random_key();
  bool written = ::fchmod(fd, 0600) == 0 && ::write(fd, key.data(), key.size()) == static_cast<ssize_t>(key.size()) && ::fsync(fd) == 0;
  ::close(fd);
  bool linked = written && (::link(temp.c_str(), file.c_str()) == 0 || errno == EEXIST);
  if (!linked) why = file + ": " + std::strerror(errno);
  ::unlink(temp.c_str());
  return linked;
}

struct Key {
  std::string key, problem;
};

std::string problem(const std::string& why) {
  return "the key that seals opsbook's caches cannot be kept (" + why + "): caches, kept reports and history of this run are not usable by the next; set OPSBOOK_CACHE_KEY or fix it";
}

Key load_key() {
  const char* given = std::getenv("OPSBOOK_CACHE_KEY");
  if (given != nullptr && given[0] != '\0') {
    if (std::strlen(given) >= 16) return {given, ""};
    return {random_key(), "OPSBOOK_CACHE_KEY is shorter than 16 bytes, too easy to guess: caches and kept reports of this run are not usable by the next; set a longer secret"};
  }
  std::string folder = key_folder();
  std::string why = "no home folder: neither XDG_STATE_HOME nor HOME is an absolute path";
  if (!folder.empty() && (why = inside_checkout(folder)).empty()) {
    std::string file = folder + "/seal-key";
    if (!make_folder(folder) && errno != EEXIST) return {random_key(), problem(folder + ": " + std::strerror(errno))};
    if (why = folder_problem(folder); !why.empty()) return {random_key(), problem(why)};
    for (int attempt = 0; attempt < 2; ++attempt) {
      if (std::optional<std::string> key = read_key(file, why)) return {*key, ""};
      if (!why.empty() || !make_folder(folder) || !create_key(folder, file, why)) break;
    }
    if (why.empty()) why = folder + ": " + std::strerror(errno);
  }
  return {random_key(), problem(why)};
}

const Key& key() {
  static const Key k = load_key();
  return k;
}

}  // namespace

void keep_seal_key_out_of(const std::string& folder, Inside inside) {
  if (folder.empty()) return;
  if (inside == Inside::folder_and_work_tree) checkouts().push_back(resolved(folder));
  // And the git work tree that holds it: a pull request commits anywhere in it, also above the
  // content or the configuration (s9 review R10: HOME inside the checkout, opsbook.yaml outside).
  if (std::filesystem::path top = work_tree_around(resolved(folder)); !top.empty()) checkouts().push_back(top.string());
}

const std::string& seal_key() { return key().key; }

const std::string& seal_key_problem() { return key().problem; }

Sha256 seal_digest(std::initializer_list<std::string_view> parts) { return PartsMac(seal_mac()).parts(parts).finish(); }

const PartsMac& seal_mac() {
  static const PartsMac mac(seal_key());
  return mac;
}

std::string seal_hex(std::initializer_list<std::string_view> parts) { return digest_hex(seal_digest(parts)); }

bool seal_holds(std::initializer_list<std::string_view> parts, std::string_view hex) {
  std::string want = seal_hex(parts);
  return hex.size() == want.size() && CRYPTO_memcmp(hex.data(), want.data(), want.size()) == 0;
}

}  // namespace opsbook::model
