// The sealing key: from the environment, from the user's state folder, or this process's own.
#include "model/seal_key.hpp"

#include <fcntl.h>
#include <pwd.h>
#include <openssl/crypto.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <optional>
#include <stdexcept>

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

Key load_key() {
  const char* given = std::getenv("OPSBOOK_CACHE_KEY");
  if (given != nullptr && given[0] != '\0') {
    if (std::strlen(given) >= 16) return {given, ""};
    return {random_key(), "OPSBOOK_CACHE_KEY is shorter than 16 bytes, too easy to guess: caches and kept reports of this run are not usable by the next; set a longer secret"};
  }
  std::string folder = key_folder();
  std::string why = "no home folder: neither XDG_STATE_HOME nor HOME is an absolute path";
  if (!folder.empty()) {
    std::string file = folder + "/seal-key";
    for (int attempt = 0; attempt < 2; ++attempt) {
      if (std::optional<std::string> key = read_key(file, why)) return {*key, ""};
      if (!why.empty() || !make_folder(folder) || !create_key(folder, file, why)) break;
    }
    if (why.empty()) why = folder + ": " + std::strerror(errno);
  }
  return {random_key(), "the key that seals opsbook's caches cannot be kept (" + why + "): caches and kept reports of this run are not usable by the next; set OPSBOOK_CACHE_KEY or fix it"};
}

const Key& key() {
  static const Key k = load_key();
  return k;
}

}  // namespace

const std::string& seal_key() { return key().key; }

const std::string& seal_key_problem() { return key().problem; }

Sha256 seal_digest(std::initializer_list<std::string_view> parts) { return PartsMac(seal_mac()).parts(parts).finish(); }

const PartsMac& seal_mac() {
  static const PartsMac mac(seal_key());
  return mac;
}

std::string seal_hex(std::initializer_list<std::string_view> parts) {
  static constexpr char k_digits[] = "0123456789abcdef";
  std::string out;
  for (unsigned char b : seal_digest(parts)) out += k_digits[b >> 4], out += k_digits[b & 15];
  return out;
}

bool seal_holds(std::initializer_list<std::string_view> parts, std::string_view hex) {
  std::string want = seal_hex(parts);
  return hex.size() == want.size() && CRYPTO_memcmp(hex.data(), want.data(), want.size()) == 0;
}

}  // namespace opsbook::model
