// Staging folder and atomic swap.
#include "generator/output_dir.hpp"

#include <fcntl.h>
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "model/error.hpp"

namespace opsbook::generator {

namespace fs = std::filesystem;

StagingDir::StagingDir(const std::string& target) : m_target(fs::absolute(target).lexically_normal()) {
  if (m_target.filename().empty()) m_target = m_target.parent_path();
  m_staging = m_target.parent_path() / ("." + m_target.filename().string() + ".tmp-" + std::to_string(::getpid()));
  std::error_code ec;
  fs::remove_all(m_staging, ec);
  fs::create_directories(m_staging, ec);
  if (ec) throw Error(m_staging.string() + ": cannot create the staging folder: " + ec.message());
}

StagingDir::~StagingDir() {
  if (!m_committed) {
    std::error_code ec;
    fs::remove_all(m_staging, ec);
  }
}

void StagingDir::ensure_parent(const fs::path& file) {
  fs::path dir = file.parent_path();
  std::string key = dir.string();
  std::lock_guard lock(m_mutex);
  if (m_dirs.count(key)) return;
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) throw Error(key + ": cannot create folder: " + ec.message());
  m_dirs.insert(key);
}

void StagingDir::write(const std::string& rel, std::string_view data) {
  fs::path file = m_staging / rel;
  ensure_parent(file);
  int fd = ::open(file.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) throw Error(file.string() + ": cannot write: " + std::strerror(errno));
  size_t done = 0;
  while (done < data.size()) {
    ssize_t n = ::write(fd, data.data() + done, data.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      int err = errno;
      ::close(fd);
      throw Error(file.string() + ": write failed: " + std::strerror(err));
    }
    done += static_cast<size_t>(n);
  }
  if (::close(fd) != 0) throw Error(file.string() + ": write failed: " + std::strerror(errno));
}

bool StagingDir::reuse(const std::string& rel) {
  fs::path from = m_target / rel;
  fs::path to = m_staging / rel;
  ensure_parent(to);
  if (::link(from.c_str(), to.c_str()) == 0) return true;
  std::error_code ec;
  return fs::copy_file(from, to, fs::copy_options::overwrite_existing, ec);
}

bool StagingDir::reuse_tree(const std::string& rel_dir) {
  std::error_code ec;
  fs::path from = m_target / rel_dir;
  if (!fs::is_directory(from, ec)) return false;
  for (auto it = fs::recursive_directory_iterator(from, ec); !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
    if (!it->is_regular_file()) continue;
    if (!reuse(fs::relative(it->path(), m_target).string())) return false;
  }
  return !ec;
}

namespace {

// Removes `dir` from a grandchild process that outlives us. Called when no other thread runs.
void remove_detached(const fs::path& dir) {
  pid_t child = ::fork();
  if (child < 0) {
    std::error_code ec;
    fs::remove_all(dir, ec);
    return;
  }
  if (child == 0) {
    ::setsid();
    if (::fork() == 0) {
      std::error_code ec;
      fs::remove_all(dir, ec);
    }
    ::_exit(0);
  }
  int status = 0;
  ::waitpid(child, &status, 0);
}

}  // namespace

void StagingDir::commit() {
  std::error_code ec;
  if (fs::exists(m_target, ec)) {
    if (::renameat2(AT_FDCWD, m_staging.c_str(), AT_FDCWD, m_target.c_str(), RENAME_EXCHANGE) != 0) {
      throw Error(m_target.string() + ": cannot swap in the new site: " + std::strerror(errno));
    }
    m_committed = true;
    // The staging path now holds the previous site: rename it out of the way, delete it later.
    fs::path old = m_staging;
    old += ".old";
    fs::rename(m_staging, old, ec);
    remove_detached(ec ? m_staging : old);
    return;
  }
  if (::rename(m_staging.c_str(), m_target.c_str()) != 0) {
    throw Error(m_target.string() + ": cannot move the new site into place: " + std::strerror(errno));
  }
  m_committed = true;
}

}  // namespace opsbook::generator
