// Fuzz target: the one SQL splitter. Statements come in order, within the input, on lines that
// exist; never a crash or a hang.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "model/sql.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view code(reinterpret_cast<const char*>(data), size);
  size_t lines = 1;
  for (char c : code) lines += c == '\n';
  int previous = 0;
  for (const auto& st : opsbook::model::split_sql(code)) {
    if (st.line_offset < previous || static_cast<size_t>(st.line_offset) >= lines) std::abort();
    if (st.text.size() > code.size()) std::abort();
    previous = st.line_offset;
  }
  return 0;
}
