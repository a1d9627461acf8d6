// Fuzz target: the check report that `opsbook build --report` reads for its badges. Any bytes
// give a Report or an opsbook::Error naming the file, never a crash or another exception.
#include <cstddef>
#include <cstdint>

#include "fuzz/input_file.hpp"
#include "generator/report.hpp"
#include "model/error.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string& path = opsbook::fuzz::input_file(data, size, ".json");
  try {
    opsbook::generator::Report report = opsbook::generator::load_report(path);
    (void)report;
  } catch (const opsbook::Error&) {
  }
  return 0;
}
