// destructive-unguarded and unexplained-placeholder.
#include "validator/snippet_rules.hpp"

#include <algorithm>

#include "model/text.hpp"
#include "validator/finding_sink.hpp"

namespace opsbook::validator {

namespace {

bool warned_nearby(const model::Runbook& rb, int line) {
  static constexpr std::string_view k_words[] = {"warning", "danger", "caution", "destructive", "irreversible", "data loss", "never run", "⚠"};
  for (int l = std::max(1, line - 6); l < line; ++l) {
    std::string_view text = model::source_line(rb.source, l);
    for (auto w : k_words) {
      if (model::icontains(text, w)) return true;
    }
  }
  return false;
}

size_t count_word(std::string_view text, std::string_view word) {
  size_t n = 0;
  std::string lower = model::to_lower(text);
  std::string w = model::to_lower(word);
  for (size_t pos = lower.find(w); pos != std::string::npos; pos = lower.find(w, pos + 1)) {
    bool left = pos == 0 || !model::is_ident_char(lower[pos - 1]);
    bool right = pos + w.size() >= lower.size() || !model::is_ident_char(lower[pos + w.size()]);
    n += left && right;
  }
  return n;
}

}  // namespace

// Reported at the first destructive command (or statement), naming it and why.
void check_destructive_guard(FindingSink& sink, const model::Runbook& rb, const model::Snippet& s) {
  if (s.safety != model::Safety::destructive || s.attr("run") != nullptr || warned_nearby(rb, s.line)) return;
  std::string why = "classified destructive";
  int line = s.line;
  for (const auto& r : s.reasons) {
    if (r.level == model::Safety::destructive) {
      why = r.reason;
      line = r.line > 0 ? r.line : s.line;
      break;
    }
  }
  std::string what = "destructive snippet '" + s.id + "'";
  for (const auto& c : s.commands) {
    if (c.safety != model::Safety::destructive) continue;
    std::string_view first = std::string_view(c.text).substr(0, c.text.find('\n'));
    if (first.size() > 60) first = first.substr(0, 57);
    what = "destructive command `" + std::string(first) + (first.size() < c.text.size() ? "...`" : "`") + " in snippet '" + s.id + "'";
    line = c.line;
    break;
  }
  sink.add("destructive-unguarded", line, 0, what + " (" + why + ") has no run attribute and no warning next to it",
           "add {run=never} or {run=confirm} to the fence, or a warning line above it", s.id);
}

void check_placeholders(FindingSink& sink, const model::Runbook& rb, const model::Snippet& s) {
  for (const auto& p : s.params) {
    if (p.kind != model::ParamKind::placeholder) continue;
    size_t in_code = 0;
    for (const auto& other : rb.snippets) {
      if (other.is_inline) in_code += count_word(other.code, p.name);
    }
    if (count_word(rb.text, p.name) <= in_code) {
      sink.add("unexplained-placeholder", p.line, 0, "placeholder " + p.syntax + " in snippet '" + s.id + "' is not explained on the page",
               "say what to put in place of " + p.syntax + " near the command", s.id);
    }
  }
}

}  // namespace opsbook::validator
