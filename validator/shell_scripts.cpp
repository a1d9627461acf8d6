// Shell scripts for the shell checkers: placeholder filling, line maps, de-duplication.
#include "validator/shell_scripts.hpp"

#include <algorithm>
#include <optional>
#include <string_view>
#include <unordered_map>

#include "model/params.hpp"
#include "model/shell_lexer.hpp"
#include "model/text.hpp"
#include "validator/finding_sink.hpp"

namespace opsbook::validator {

namespace {

// Placeholders replaced by words (<service> -> PLACEHOLDER_service), in one pass over the text.
class Filler {
 public:
  Filler(const Filler&) = delete;  // m_find refers to m_spellings
  Filler& operator=(const Filler&) = delete;
  explicit Filler(const model::Snippet& s) : m_spellings(spellings(s)), m_find(m_spellings) {
    for (const auto& p : s.params) {
      if (p.kind != model::ParamKind::placeholder) continue;
      std::string& word = m_words.emplace_back("PLACEHOLDER_");
      for (char c : p.name) word += model::is_ident_char(c) ? c : '_';
    }
  }

  std::string operator()(std::string_view code) const {
    std::string out;
    size_t at = 0;
    for (const auto& hit : m_find.find(code)) {
      out.append(code.substr(at, hit.begin - at)).append(m_words[hit.spelling]);
      at = hit.end;
    }
    return out.append(code.substr(at));
  }

 private:
  static std::vector<std::string> spellings(const model::Snippet& s) {
    std::vector<std::string> out;
    for (const auto& p : s.params) {
      if (p.kind == model::ParamKind::placeholder) out.push_back(p.syntax);
    }
    return out;
  }

  std::vector<std::string> m_spellings;
  model::Spellings m_find;  // sorted once, for every command of the snippet
  std::vector<std::string> m_words;
};

// The whole block is shell as written: no prompt, no output, no line read as something else, no
// command in another language (SQL after a psql prompt, a PromQL query).
bool plain_script(const model::Snippet& s) {
  if (s.is_inline || !s.expected_output.empty() || !s.notes.empty() || s.lang == "console" || s.code.rfind("$ ", 0) == 0) return false;
  return std::all_of(s.commands.begin(), s.commands.end(), [](const model::Command& c) {
    return c.lang == model::CommandLang::shell && c.prompt.empty();
  });
}

ShellScript shell_script(const model::Snippet& s) {
  ShellScript sc;
  sc.snippet = &s;
  const Filler fill_placeholders(s);
  if (!plain_script(s)) {
    // Only the shell commands, each at its lines: SQL, Redis, queries and output never reach bash.
    for (const auto& c : s.commands) {
      if (c.lang != model::CommandLang::shell) continue;
      std::string text = fill_placeholders(c.text);
      int lines = static_cast<int>(std::count(text.begin(), text.end(), '\n')) + 1;
      for (int i = 0; i < lines; ++i) sc.lines.push_back(c.line + i);
      sc.text += text + "\n";
    }
    return sc;
  }
  sc.text = fill_placeholders(s.code);
  int n = static_cast<int>(std::count(sc.text.begin(), sc.text.end(), '\n')) + 1;
  for (int i = 0; i < n; ++i) sc.lines.push_back(s.code_line + i);
  return sc;
}

// The lexer stops at its nesting or size bound: what lies past it is unread. The bound hit, if any.
std::optional<model::shell::ErrorKind> beyond_bounds(std::string_view text) {
  model::shell::Script script = model::shell::lex(text);
  for (const auto& e : script.errors()) {
    if (e.kind == model::shell::ErrorKind::too_deep || e.kind == model::shell::ErrorKind::too_large) return e.kind;
  }
  return std::nullopt;
}

}  // namespace

void collect_shell(FindingSink& sink, const model::Runbook& rb, std::vector<ShellJob>& out) {
  for (const auto& s : rb.snippets) {
    // Unlabeled blocks often show a command and its output: only declared shell is checked.
    if (s.kind != model::SnippetKind::shell || check_skipped(s) || s.lang == "zsh" || (s.lang.empty() && !s.is_inline)) continue;
    ShellScript sc = shell_script(s);
    if (sc.text.empty()) continue;
    if (beyond_bounds(sc.text)) continue;  // reported by report_too_deep; the checkers would take seconds and hundreds of MB
    out.push_back({&sink, std::move(sc)});
  }
}

void report_too_deep(FindingSink& sink, const model::Snippet& s) {
  if (s.kind != model::SnippetKind::shell) return;
  auto bound = beyond_bounds(s.code);
  if (!bound) return;
  std::string what = *bound == model::shell::ErrorKind::too_large
                         ? "the snippet is larger than " + std::to_string(model::shell::Script::k_max_size >> 10) + " KiB"
                         : "the snippet nests $(...), quotes or compound commands deeper than " + std::to_string(model::shell::Script::k_max_depth) + " levels";
  sink.add("shell-too-deep", s.code_line, 0, what + ": opsbook reads no further, rates it destructive and does not run the shell checkers on it",
           *bound == model::shell::ErrorKind::too_large ? "move the data into a file the command reads" : "flatten it: put inner commands into variables or functions", s.id);
}

void check_each_distinct(std::vector<ShellJob>& jobs, const std::function<void(std::vector<ShellJob>&)>& check) {
  std::unordered_map<std::string_view, size_t> group_of_text;
  std::vector<size_t> group(jobs.size()), first;
  for (size_t i = 0; i < jobs.size(); ++i) {
    auto [it, added] = group_of_text.emplace(jobs[i].script.text, first.size());
    if (added) first.push_back(i);
    group[i] = it->second;
  }
  std::vector<std::vector<Finding>> recorded(first.size());
  std::vector<FindingSink> recorders;
  recorders.reserve(first.size());
  std::vector<ShellJob> distinct;
  distinct.reserve(first.size());
  for (size_t g = 0; g < first.size(); ++g) {
    recorders.emplace_back(jobs[first[g]].sink->runbook(), jobs[first[g]].sink->lines(), recorded[g]);
    distinct.push_back({&recorders[g], jobs[first[g]].script});
  }
  check(distinct);
  for (size_t i = 0; i < jobs.size(); ++i) {
    const ShellScript& model_script = jobs[first[group[i]]].script;
    const ShellScript& own = jobs[i].script;
    for (const Finding& f : recorded[group[i]]) {
      auto at = std::find(model_script.lines.begin(), model_script.lines.end(), f.line);
      int line = at == model_script.lines.end() ? own.snippet->line : own.lines[static_cast<size_t>(at - model_script.lines.begin())];
      jobs[i].sink->add(f.rule, line, f.col, f.message, f.hint, own.snippet->id, f.severity);
    }
  }
}

}  // namespace opsbook::validator
