// Diagnostic sink and compiler-style rendering.
#include "diagnostic.hpp"

#include <algorithm>

#include "line_index.hpp"
#include "terminal_text.hpp"

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

std::string render_excerpt(int line, int col, std::string_view text) {
  if (text.empty()) return {};
  // A long line is shown as a window around the column (a minified or hostile line can be MBs).
  constexpr size_t k_width = 160;
  size_t caret = col > 0 ? static_cast<size_t>(col - 1) : 0;
  size_t begin = 0, end = text.size();
  if (text.size() > k_width) {
    begin = caret > k_width / 2 ? std::min(caret - k_width / 2, text.size() - k_width) : 0;
    while (begin > 0 && (static_cast<unsigned char>(text[begin]) & 0xC0) == 0x80) --begin;  // not inside a UTF-8 sequence
    end = std::min(text.size(), begin + k_width);
    while (end < text.size() && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) ++end;
  }
  std::string gutter = std::to_string(line);
  std::string out = ' ' + gutter + " | " + (begin > 0 ? "..." : "");
  // Tabs would misplace the caret; show them as single spaces. Control characters are shown
  // escaped (a runbook's ESC[8m must not hide the line), which moves the caret by their width.
  std::string shown = terminal_text(text.substr(begin, end - begin));
  for (char& c : shown) c = c == '\t' ? ' ' : c;
  out += shown;
  out += end < text.size() ? "...\n" : "\n";
  if (col > 0 && caret <= text.size() && caret >= begin && caret <= end) {
    size_t at = terminal_text(text.substr(begin, caret - begin)).size();
    out += ' ' + std::string(gutter.size(), ' ') + " | " + std::string(at + (begin > 0 ? 3 : 0), ' ') + "^\n";
  }
  return out;
}

namespace {

std::string render_at(const Diagnostic& d, std::string_view text) {
  std::string out = terminal_text(d.file);
  if (d.loc.line > 0) {
    out += ':' + std::to_string(d.loc.line);
    if (d.loc.col > 0) out += ':' + std::to_string(d.loc.col);
  }
  out += ": ";
  out += to_string(d.severity);
  out += '[' + d.rule + "]: " + terminal_text(d.message) + '\n';
  out += render_excerpt(d.loc.line, d.loc.col, text);
  if (!d.hint.empty()) out += "  hint: " + terminal_text(d.hint) + '\n';
  return out;
}

}  // namespace

std::string render(const Diagnostic& d, std::string_view source) { return render_at(d, source_line(source, d.loc.line)); }

std::string render(const Diagnostics& diagnostics, std::string_view source, Severity at_least) {
  std::string out;
  LineIndex lines;
  for (const auto& d : diagnostics.items()) {
    if (static_cast<int>(d.severity) < static_cast<int>(at_least)) continue;
    if (lines.lines() == 0) lines = LineIndex(source);
    out += render_at(d, lines.line(d.loc.line));
  }
  return out;
}

}  // namespace opsbook::model
