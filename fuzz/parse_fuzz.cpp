// libFuzzer target for the parser: any bytes in, a Runbook out, never a crash or a hang.
// Also serialises the model so that the JSON writer sees hostile text too.
#include <cstddef>
#include <cstdint>
#include <string>

#include "model/model_json.hpp"
#include "model/parser.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string source(reinterpret_cast<const char*>(data), size);
  opsbook::model::Runbook rb = opsbook::model::parse_runbook("fuzz.md", "fuzz", std::move(source));
  std::string json = opsbook::model::runbook_to_json(rb);
  return json.empty() ? 1 : 0;
}
