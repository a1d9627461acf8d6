// Fuzz target: the one shell lexer, and the doc-test allow list read on it. Every offset and index
// they report lies within the script and its tables; never a crash, a hang or deep recursion.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "model/doctest_policy.hpp"
#include "model/shell_lexer.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  namespace shell = opsbook::model::shell;
  std::string_view source(reinterpret_cast<const char*>(data), size);
  shell::Script s = shell::lex(source);
  for (const auto& w : s.words()) {
    if (w.begin > w.end || w.end > size) std::abort();
    (void)s.text(w);
  }
  const auto spans = s.spans();
  for (const auto& sp : spans) {
    if (sp.begin > sp.end || sp.end > size) std::abort();
    if (sp.parent >= static_cast<int>(spans.size())) std::abort();
  }
  for (const auto& u : s.units()) {
    if (u.begin > u.end || u.end > size) std::abort();
    for (const auto& c : s.commands(u)) (void)s.name(c);
  }
  for (const auto& h : s.heredocs()) (void)s.heredoc_text(h);
  for (const auto& e : s.errors()) {
    if (e.offset > size) std::abort();
  }
  if (auto refusal = opsbook::model::doctest_refusal(source); refusal && refusal->offset > size) std::abort();
  return 0;
}
