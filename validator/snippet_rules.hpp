// Rules on one snippet and its page: destructive-unguarded (no run attribute and no warning
// nearby) and unexplained-placeholder (a placeholder the page's text never mentions).
#pragma once

#include <memory>

#include "model/runbook.hpp"

namespace opsbook::validator {

class FindingSink;
class WordIndex;

// One per runbook: the page's words are indexed once, on first use, so that checking stays
// linear in the size of the page whatever the number of snippets and placeholders.
class SnippetRules {
 public:
  SnippetRules(FindingSink& sink, const model::Runbook& rb);
  ~SnippetRules();
  SnippetRules(const SnippetRules&) = delete;
  SnippetRules& operator=(const SnippetRules&) = delete;
  // destructive-unguarded, then unexplained-placeholder.
  void check(const model::Snippet& s);

 private:
  void check_destructive_guard(const model::Snippet& s);
  void check_placeholders(const model::Snippet& s);

  FindingSink& m_sink;
  const model::Runbook& m_rb;
  std::unique_ptr<WordIndex> m_text, m_inline_code;  // the page's text, its inline commands
};

}  // namespace opsbook::validator
