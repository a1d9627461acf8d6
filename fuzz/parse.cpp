// Fuzz target: the parser with HTML rendering on. Any bytes in, a Runbook out, never a crash or a
// hang; and the oracle of the portal's promise: no <script element, no on* attribute and no
// javascript:/vbscript:/data:text/html URL in the rendered body, whatever the markdown.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "fuzz/html_oracle.hpp"
#include "model/model_json.hpp"
#include "model/parser.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string source(reinterpret_cast<const char*>(data), size);
  opsbook::model::ParseOptions options;
  options.html = true;
  opsbook::model::Runbook rb = opsbook::model::parse_runbook("fuzz.md", "fuzz", std::move(source), options);
  opsbook::fuzz::check_html(rb.html);
  std::string json = opsbook::model::runbook_to_json(rb);
  if (json.empty()) std::abort();
  return 0;
}
