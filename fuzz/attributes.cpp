// Fuzz target: fence info strings (language word and attributes, JSON or key=value). Never a
// crash or deep recursion, whatever the nesting; every parsed key is reported known or unknown.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "model/attributes.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view info(reinterpret_cast<const char*>(data), size);
  opsbook::model::InfoString parsed = opsbook::model::parse_info_string(info, 64);
  size_t unknown = 0;
  for (const auto& [key, value] : parsed.attrs) unknown += !opsbook::model::is_known_attribute(key);
  if (unknown != parsed.unknown.size()) std::abort();
  if (parsed.too_deep && !parsed.attrs.empty()) std::abort();
  return 0;
}
