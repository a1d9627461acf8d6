// destructive-unguarded and unexplained-placeholder.
#include "validator/snippet_rules.hpp"

#include <algorithm>
#include <string>
#include <unordered_map>
#include <vector>

#include "model/text.hpp"
#include "validator/finding_sink.hpp"

namespace opsbook::validator {

// Counts whole-word occurrences (case-insensitive; neighbours not identifier characters) of
// words in one text. Identifier runs are indexed once; a word is counted at the starts of the
// runs equal to its own leading run, so each distinct word costs only its own occurrences.
class WordIndex {
 public:
  explicit WordIndex(std::string_view text) : m_text(model::to_lower(text)) {
    for (size_t i = 0; i < m_text.size();) {
      if (!model::is_ident_char(m_text[i])) {
        ++i;
        continue;
      }
      size_t end = i;
      while (end < m_text.size() && model::is_ident_char(m_text[end])) ++end;
      m_runs[std::string_view(m_text).substr(i, end - i)].push_back(i);
      i = end;
    }
  }

  size_t count(std::string_view word) {
    std::string w = model::to_lower(word);
    auto [memo, added] = m_counts.emplace(w, 0);
    if (added) memo->second = w.empty() ? 0 : model::is_ident_char(w[0]) ? count_at_runs(w) : count_anywhere(w);
    return memo->second;
  }

 private:
  bool right_bounded(size_t end) const { return end >= m_text.size() || !model::is_ident_char(m_text[end]); }

  size_t count_at_runs(const std::string& w) const {
    size_t lead = 0;
    while (lead < w.size() && model::is_ident_char(w[lead])) ++lead;
    auto it = m_runs.find(std::string_view(w).substr(0, lead));
    if (it == m_runs.end()) return 0;
    size_t n = 0;
    for (size_t pos : it->second) n += m_text.compare(pos, w.size(), w) == 0 && right_bounded(pos + w.size());
    return n;
  }

  // A word that starts with punctuation (rare): one scan of the text, remembered by count().
  size_t count_anywhere(const std::string& w) const {
    size_t n = 0;
    for (size_t pos = m_text.find(w); pos != std::string::npos; pos = m_text.find(w, pos + 1)) {
      bool left = pos == 0 || !model::is_ident_char(m_text[pos - 1]);
      n += left && right_bounded(pos + w.size());
    }
    return n;
  }

  std::string m_text;
  std::unordered_map<std::string_view, std::vector<size_t>> m_runs;
  std::unordered_map<std::string, size_t> m_counts;
};

SnippetRules::SnippetRules(FindingSink& sink, const model::Runbook& rb) : m_sink(sink), m_rb(rb) {}
SnippetRules::~SnippetRules() = default;

void SnippetRules::check(const model::Snippet& s) {
  check_destructive_guard(s);
  check_placeholders(s);
}

// Reported at the first destructive command (or statement), naming it and why.
void SnippetRules::check_destructive_guard(const model::Snippet& s) {
  if (s.safety != model::Safety::destructive || s.attr("run") != nullptr) return;
  static constexpr std::string_view k_words[] = {"warning", "danger", "caution", "destructive", "irreversible", "data loss", "never run", "⚠"};
  for (int l = std::max(1, s.line - 6); l < s.line; ++l) {
    std::string_view text = m_sink.lines().line(l);
    for (auto w : k_words) {
      if (model::icontains(text, w)) return;  // warned nearby
    }
  }
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
  m_sink.add("destructive-unguarded", line, 0, what + " (" + why + ") has no run attribute and no warning next to it",
             "add {run=never} or {run=confirm} to the fence, or a warning line above it", s.id);
}

void SnippetRules::check_placeholders(const model::Snippet& s) {
  for (const auto& p : s.params) {
    if (p.kind != model::ParamKind::placeholder) continue;
    if (!m_text) {
      std::string inline_code;
      for (const auto& other : m_rb.snippets) {
        if (other.is_inline) inline_code.append(other.code).push_back('\n');
      }
      m_text = std::make_unique<WordIndex>(m_rb.text);
      m_inline_code = std::make_unique<WordIndex>(inline_code);
    }
    // Explained when the page names it outside its inline commands.
    if (m_text->count(p.name) <= m_inline_code->count(p.name)) {
      m_sink.add("unexplained-placeholder", p.line, 0, "placeholder " + p.syntax + " in snippet '" + s.id + "' is not explained on the page",
                 "say what to put in place of " + p.syntax + " near the command", s.id);
    }
  }
}

}  // namespace opsbook::validator
