// For targets whose code under test reads a file: the input written to one private file per
// process (mkstemp), rewritten for every input.
#pragma once

#include <unistd.h>

#include <cstdint>
#include <cstdlib>
#include <string>

namespace opsbook::fuzz {

inline const std::string& input_file(const uint8_t* data, size_t size, const char* suffix = "") {
  static const std::string path = [suffix] {
    std::string p = std::string(std::getenv("TMPDIR") ? std::getenv("TMPDIR") : "/tmp") + "/opsbook-fuzz-XXXXXX" + suffix;
    int fd = ::mkstemps(p.data(), static_cast<int>(std::string(suffix).size()));
    if (fd < 0) std::abort();
    ::close(fd);
    std::atexit([] { ::unlink(path.c_str()); });
    return p;
  }();
  FILE* f = std::fopen(path.c_str(), "wb");
  if (f == nullptr || std::fwrite(data, 1, size, f) != size || std::fclose(f) != 0) std::abort();
  return path;
}

}  // namespace opsbook::fuzz
