// Shared command helpers.
#include "cli/common.hpp"

#include "model/error.hpp"

namespace opsbook::cli {

model::Config load_config(const GlobalOptions& globals) {
  return model::load_config(globals.config_path, globals.config_given);
}

std::string render_diagnostics(const model::Diagnostics& diagnostics, std::string_view source, model::Severity at_least) {
  std::string out;
  for (const auto& d : diagnostics.items()) {
    if (static_cast<int>(d.severity) >= static_cast<int>(at_least)) out += model::render(d, source);
  }
  return out;
}

void OutputBuffer::write(std::string_view data) {
  if (m_buffer.size() + data.size() > k_capacity) flush();
  if (data.size() >= k_capacity) {
    if (std::fwrite(data.data(), 1, data.size(), m_file) != data.size()) throw Error("cannot write output");
    return;
  }
  m_buffer.append(data);
}

void OutputBuffer::flush() {
  if (m_buffer.empty()) return;
  size_t written = std::fwrite(m_buffer.data(), 1, m_buffer.size(), m_file);
  m_buffer.clear();
  std::fflush(m_file);
  if (written == 0) return;  // e.g. a closed pipe: nothing sensible left to do
}

}  // namespace opsbook::cli
