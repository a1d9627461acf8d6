// Diagnostic sink and compiler-style rendering.
#include "diagnostic.hpp"

#include <algorithm>

namespace opsbook::model {

std::string_view to_string(Severity severity) {
  switch (severity) {
    case Severity::info: return "info";
    case Severity::warning: return "warning";
    case Severity::error: return "error";
  }
  return "error";
}

bool parse_severity(std::string_view text, Severity& out) {
  if (text == "info" || text == "note") {
    out = Severity::info;
  } else if (text == "warning") {
    out = Severity::warning;
  } else if (text == "error") {
    out = Severity::error;
  } else {
    return false;
  }
  return true;
}

void Diagnostics::add(std::string file, SourceLoc loc, Severity severity, std::string rule,
                      std::string message, std::string hint) {
  m_items.push_back(Diagnostic{std::move(file), loc, severity, std::move(rule),
                               std::move(message), std::move(hint)});
}

void Diagnostics::append(const Diagnostics& other) {
  m_items.insert(m_items.end(), other.m_items.begin(), other.m_items.end());
}

size_t Diagnostics::count(Severity at_least) const {
  return static_cast<size_t>(std::count_if(m_items.begin(), m_items.end(), [&](const Diagnostic& d) {
    return static_cast<int>(d.severity) >= static_cast<int>(at_least);
  }));
}

std::string_view source_line(std::string_view source, int line) {
  if (line <= 0) return {};
  size_t pos = 0;
  for (int i = 1; i < line; ++i) {
    pos = source.find('\n', pos);
    if (pos == std::string_view::npos) return {};
    ++pos;
  }
  size_t end = source.find('\n', pos);
  std::string_view text = source.substr(pos, end == std::string_view::npos ? source.size() - pos : end - pos);
  if (!text.empty() && text.back() == '\r') text.remove_suffix(1);
  return text;
}

std::string render(const Diagnostic& d, std::string_view source) {
  std::string out = d.file;
  if (d.loc.line > 0) {
    out += ':' + std::to_string(d.loc.line);
    if (d.loc.col > 0) out += ':' + std::to_string(d.loc.col);
  }
  out += ": ";
  out += to_string(d.severity);
  out += '[' + d.rule + "]: " + d.message + '\n';
  std::string_view text = source_line(source, d.loc.line);
  if (!text.empty()) {
    std::string gutter = std::to_string(d.loc.line);
    out += ' ' + gutter + " | ";
    // Tabs would misplace the caret; show them as single spaces.
    for (char c : text) out += (c == '\t') ? ' ' : c;
    out += '\n';
    if (d.loc.col > 0 && static_cast<size_t>(d.loc.col) <= text.size() + 1) {
      out += ' ' + std::string(gutter.size(), ' ') + " | " +
             std::string(static_cast<size_t>(d.loc.col - 1), ' ') + "^\n";
    }
  }
  if (!d.hint.empty()) out += "  hint: " + d.hint + '\n';
  return out;
}

}  // namespace opsbook::model
