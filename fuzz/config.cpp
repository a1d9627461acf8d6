// Fuzz target: opsbook.yaml. Any bytes give a Config or an opsbook::Error naming the file, never a
// crash, a hang, or another exception.
#include <cstddef>
#include <cstdint>

#include "fuzz/input_file.hpp"
#include "model/config.hpp"
#include "model/error.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string& path = opsbook::fuzz::input_file(data, size, ".yaml");
  try {
    opsbook::model::Config config = opsbook::model::load_config(path, true);
    (void)config;
  } catch (const opsbook::Error&) {
  }
  return 0;
}
