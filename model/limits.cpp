// Wording shared by the size limits.
#include "model/limits.hpp"

#include <cstdio>

namespace opsbook::model {

namespace {

std::string human_size(size_t bytes) {
  char buf[32];
  if (bytes >= (size_t{1} << 20)) std::snprintf(buf, sizeof buf, "%.1f MiB", static_cast<double>(bytes) / (1 << 20));
  else if (bytes >= 1024) std::snprintf(buf, sizeof buf, "%.1f KiB", static_cast<double>(bytes) / 1024);
  else std::snprintf(buf, sizeof buf, "%zu bytes", bytes);
  return buf;
}

}  // namespace

std::string size_over_limit(std::string_view what, size_t size, size_t limit) {
  std::string out = std::string(what) + " is " + human_size(size) + ", over the limit of " + human_size(limit);
  if (limit >= 1024) out += " (" + std::to_string(limit) + " bytes)";
  return out;
}

}  // namespace opsbook::model
