// The caches' binary encoding (the build caches, the shellcheck cache): length-prefixed fields in
// host byte order, read back without a parser. A cache is only ever read by the binary that wrote
// it (its key holds the version), and
// every read is bounds-checked: a truncated or foreign file reads as "not ok", never as garbage.
// Each cache file ends with a seal (checksum, format version, end marker): a file whose seal does
// not hold is unusable as a whole, so damaged bytes are never read as data.
#pragma once

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdint>
#include <cstring>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

namespace opsbook::model {

// Appends the seal to a cache's bytes: the HMAC-SHA256 under the machine's seal key
// (model/seal_key; 32 bytes) of a domain tag, the cache's `kind` (its file name), its layout
// version `format` and everything before the seal; then `format` and an end marker. A cache
// committed to a repository, copied from elsewhere or from a cache of another kind does not unseal.
void seal_cache(std::string& bytes, std::string_view kind, uint64_t format);

// The bytes before the seal of a cache file; nullopt with `why` ("truncated", "damaged, or not
// sealed ... under this machine's key", "written by another version of opsbook") when the seal does not hold or was made
// for another `kind` or `format`.
std::optional<std::string_view> unseal_cache(std::string_view file, std::string_view kind, uint64_t format, std::string& why);

class CacheWriter {
 public:
  void u64(uint64_t v) { pod(v); }
  void u32(uint32_t v) { pod(v); }
  void f32(float v) { pod(v); }
  void str(std::string_view s) {
    u64(s.size());
    m_out.append(s);
  }
  void strs(const std::vector<std::string>& v) {
    u64(v.size());
    for (const auto& s : v) str(s);
  }
  // A vector of trivially copyable values, in one piece.
  template <typename T>
  void array(const std::vector<T>& v) {
    static_assert(std::is_trivially_copyable_v<T>);
    u64(v.size());
    m_out.append(reinterpret_cast<const char*>(v.data()), v.size() * sizeof(T));
  }
  std::string& data() { return m_out; }

 private:
  template <typename T>
  void pod(T v) {
    m_out.append(reinterpret_cast<const char*>(&v), sizeof v);
  }
  std::string m_out;
};

class CacheReader {
 public:
  explicit CacheReader(std::string_view data) : m_data(data) {}
  [[nodiscard]] bool ok() const { return m_ok; }
  uint64_t u64() { return pod<uint64_t>(); }
  uint32_t u32() { return pod<uint32_t>(); }
  float f32() { return pod<float>(); }
  // A view into the cache's bytes (valid while they are).
  std::string_view view() {
    uint64_t n = u64();
    if (!m_ok || n > m_data.size() - m_pos) {
      m_ok = false;
      return {};
    }
    std::string_view s = m_data.substr(m_pos, n);
    m_pos += n;
    return s;
  }
  std::string str() { return std::string(view()); }
  std::vector<std::string> strs() {
    uint64_t n = u64();
    std::vector<std::string> v;
    for (uint64_t i = 0; i < n && m_ok; ++i) v.push_back(str());
    return v;
  }
  template <typename T>
  std::vector<T> array() {
    static_assert(std::is_trivially_copyable_v<T>);
    uint64_t n = u64();
    std::vector<T> v;
    if (!m_ok || n > (m_data.size() - m_pos) / sizeof(T)) {
      m_ok = false;
      return v;
    }
    v.resize(n);
    std::memcpy(v.data(), m_data.data() + m_pos, n * sizeof(T));
    m_pos += n * sizeof(T);
    return v;
  }

 private:
  template <typename T>
  T pod() {
    T v{};
    if (!m_ok || sizeof v > m_data.size() - m_pos) {
      m_ok = false;
      return v;
    }
    std::memcpy(&v, m_data.data() + m_pos, sizeof v);
    m_pos += sizeof v;
    return v;
  }
  std::string_view m_data;
  size_t m_pos = 0;
  bool m_ok = true;
};

// A file's bytes mapped read-only: caches of tens of MB are read without a copy. The build replaces
// cache files by rename, so the mapped (old) file stays intact while it is read.
class MappedFile {
 public:
  explicit MappedFile(const std::string& path) {
    // O_NONBLOCK: a FIFO put in the cache's place never blocks the open (it is then refused as
    // not a regular file); O_NOFOLLOW: nor does a symlink to one.
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOFOLLOW);
    if (fd < 0) return;
    struct stat st {};
    if (::fstat(fd, &st) == 0 && S_ISREG(st.st_mode)) {
      m_size = static_cast<size_t>(st.st_size);
      if (m_size == 0) {
        m_ok = true;
      } else {
        void* p = ::mmap(nullptr, m_size, PROT_READ, MAP_PRIVATE, fd, 0);
        if (p != MAP_FAILED) m_data = static_cast<const char*>(p), m_ok = true;
      }
    }
    ::close(fd);
  }
  ~MappedFile() {
    if (m_data) ::munmap(const_cast<char*>(m_data), m_size);
  }
  MappedFile(const MappedFile&) = delete;
  MappedFile& operator=(const MappedFile&) = delete;

  [[nodiscard]] bool ok() const { return m_ok; }
  [[nodiscard]] std::string_view bytes() const { return m_data ? std::string_view(m_data, m_size) : std::string_view(); }

 private:
  const char* m_data = nullptr;
  size_t m_size = 0;
  bool m_ok = false;
};

}  // namespace opsbook::model
