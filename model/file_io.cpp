// Whole writes, new files, atomic replacement and the state folder check.
#include "model/file_io.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

#include "model/error.hpp"

namespace opsbook::model {

bool write_all(int fd, std::string_view data) {
  size_t done = 0;
  while (done < data.size()) {
    ssize_t w = ::write(fd, data.data() + done, data.size() - done);
    if (w < 0 && errno == EINTR) continue;
    if (w <= 0) return false;
    done += static_cast<size_t>(w);
  }
  return true;
}

bool create_new_file(const std::string& path, std::string_view text) {
  // O_EXCL and O_NOFOLLOW: an existing file or link (even a dangling one) is left alone, and two
  // writers at once never share a file.
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0644);
  if (fd < 0 && (errno == EEXIST || errno == ELOOP)) return false;
  if (fd < 0) throw Error(path + ": cannot create: " + std::strerror(errno));
  bool ok = write_all(fd, text);
  int err = errno;
  if (::close(fd) != 0 && ok) ok = false, err = errno;
  if (!ok) throw Error(path + ": cannot write: " + std::strerror(err));
  return true;
}

std::string replace_file(const std::string& path, std::string_view data) {
  std::string temp = path + ".tmp." + std::to_string(::getpid());
  ::unlink(temp.c_str());  // O_EXCL: a file (or hard link) left in its place is never written through
  int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0644);
  if (fd < 0) return std::strerror(errno);
  bool ok = write_all(fd, data);
  ok = ::close(fd) == 0 && ok;
  if (ok && ::rename(temp.c_str(), path.c_str()) == 0) return "";
  std::string why = std::strerror(errno);
  ::unlink(temp.c_str());
  return why;
}

std::string make_state_folder(const std::string& file) {
  namespace fs = std::filesystem;
  fs::path folder = fs::path(file).parent_path();
  if (folder.empty()) return "";
  fs::path at;  // the parts above the state folder are the user's: made, never checked
  bool state = false, has_state = false;
  for (const auto& part : folder) has_state = has_state || part == ".opsbook";
  size_t left = static_cast<size_t>(std::distance(folder.begin(), folder.end()));
  for (const auto& part : folder) {
    at /= part;
    --left;
    state = state || (has_state ? part == ".opsbook" : left == 0);
    struct stat st {};
    if (::lstat(at.c_str(), &st) == 0) {
      if (state && S_ISLNK(st.st_mode)) return at.string() + " is a symlink";
      continue;
    }
    if (errno != ENOENT) return at.string() + ": " + std::strerror(errno);
    if (::mkdir(at.c_str(), 0755) != 0 && errno != EEXIST) return at.string() + ": " + std::strerror(errno);
  }
  return "";
}

}  // namespace opsbook::model
