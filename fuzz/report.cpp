// Fuzz target: the check report, read by both readers of the streamed JSON (model/json_stream):
// `opsbook build --report` for its badges and `report merge` / `history record`. Any bytes give a
// report or an opsbook::Error naming the file, never a crash or another exception.
#include <cstddef>
#include <cstdint>

#include "fuzz/input_file.hpp"
#include "generator/report.hpp"
#include "model/error.hpp"
#include "validator/report_reader.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string& path = opsbook::fuzz::input_file(data, size, ".json");
  try {
    opsbook::generator::Report report = opsbook::generator::load_report(path);
    (void)report;
  } catch (const opsbook::Error&) {
  }
  try {
    opsbook::validator::LoadedReport report = opsbook::validator::read_report(path);
    (void)report;
  } catch (const opsbook::Error&) {
  }
  return 0;
}
