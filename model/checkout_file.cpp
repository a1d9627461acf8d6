// Files of the checkout that opsbook reads besides runbooks.
#include "model/checkout_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "model/work_tree.hpp"

namespace opsbook::model {

namespace fs = std::filesystem;

namespace {

// Why the opened file at `real` may not be read, or "".
std::string outside(const fs::path& real, const fs::path& root) {
  fs::path rel = real.lexically_relative(root);
  if (rel.empty() || *rel.begin() == "..") return "it is " + real.string() + ", outside the checkout " + root.string();
  fs::path folder = rel.parent_path();
  for (const auto& part : folder) {
    if (part.string().starts_with('.')) return "it is " + real.string() + ", in the hidden folder " + part.string() + " of the checkout";
  }
  if (rel.filename() == ".git") return "it is the checkout's .git";
  return "";
}

struct Fd {
  int fd;
  ~Fd() {
    if (fd >= 0) ::close(fd);
  }
};

}  // namespace

fs::path checkout_root(const fs::path& base) {
  fs::path tree = work_tree_around(base);
  if (!tree.empty()) return tree;
  std::error_code ec;
  return fs::weakly_canonical(fs::absolute(base, ec), ec);
}

CheckoutFile read_checkout_file(const std::string& path, const fs::path& root, size_t limit) {
  // O_NONBLOCK: opening a FIFO must not wait for a writer; the type is checked before any read.
  Fd f{::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC)};
  if (f.fd < 0) return {"", std::string("cannot be read: ") + std::strerror(errno)};
  std::error_code ec;
  fs::path real = fs::read_symlink("/proc/self/fd/" + std::to_string(f.fd), ec);
  if (ec) return {"", "cannot be read: its real path is unknown"};
  if (std::string why = outside(real, root); !why.empty()) return {"", why};
  struct stat st {};
  if (::fstat(f.fd, &st) != 0 || !S_ISREG(st.st_mode)) return {"", "it is not a regular file"};
  if (static_cast<unsigned long long>(st.st_size) > limit) {
    return {"", "it holds " + std::to_string(st.st_size) + " bytes, more than the limit of " + std::to_string(limit)};
  }
  ::fcntl(f.fd, F_SETFL, 0);
  CheckoutFile out;
  out.text.resize(static_cast<size_t>(st.st_size));
  size_t got = 0;
  while (got < out.text.size()) {
    ssize_t n = ::read(f.fd, out.text.data() + got, out.text.size() - got);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    got += static_cast<size_t>(n);
  }
  out.text.resize(got);  // a file that shrank while read: what was there
  return out;
}

}  // namespace opsbook::model
