// Procedures split by fences and written as bullet lists of actions (see procedures.hpp).
//
// How the bullet-list rule was decided, from the alert runbooks of the corpus: Mitigation sections
// are lists of instructions ("- Drain affected nodes, then upgrade or replace them",
// prometheus-operator KubeVersionMismatch.md:37; "- Add more nodes to the cluster",
// KubeCPUOvercommit.md:33) and "In general procedure is like this:" introduces lower-case action
// lists (KubePersistentVolumeFillingUp.md:125-146). Lists elsewhere describe (Diagnosis checks are
// labelled as checks, not steps) and lists of facts under such headings start with a noun, an
// article or a gerund ("- Your current Slow Log configuration...", "- Deleting, expiring or
// evicting", gitlab docs/redis/redis.md:214-220), so most items must be instructions.
#include "procedures.hpp"

#include <algorithm>
#include <array>
#include <string>

#include "text.hpp"

namespace opsbook::model {

size_t ProcedureJoin::continued_by(int start, bool ones) const {
  if (m_checklist == k_none) return k_none;
  bool next = start > 1 && start == m_next_number;
  bool all_ones = m_all_ones && start == 1 && ones;
  return next || all_ones ? m_checklist : k_none;
}

void ProcedureJoin::list_ended(size_t checklist, int start, int items, bool ones) {
  m_all_ones = (checklist != m_checklist || m_all_ones) && start == 1 && ones;
  m_checklist = checklist;
  m_next_number = start > 0 ? start + items : 0;
  m_fence_joins = true;
}

namespace {

// The words of a text, lower-cased, letters only.
std::vector<std::string> words_of(std::string_view text) {
  std::vector<std::string> out;
  std::string word;
  for (char c : text) {
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) {
      word += static_cast<char>(c | 0x20);
    } else if (!word.empty()) {
      out.push_back(std::move(word));
      word.clear();
    }
  }
  if (!word.empty()) out.push_back(std::move(word));
  return out;
}

}  // namespace

bool announces_actions(std::string_view section_title, std::string_view lead_in) {
  static constexpr std::array<std::string_view, 9> k_title_stems = {
      "mitigat", "resolution", "resolv", "remediat", "recover", "workaround", "steps", "procedure", "fix"};
  for (const std::string& w : words_of(section_title)) {
    for (std::string_view stem : k_title_stems) {
      if (w.starts_with(stem)) return true;
    }
  }
  for (const std::string& w : words_of(lead_in)) {
    if (w == "procedure" || w == "steps") return true;
  }
  return false;
}

bool announces_description(std::string_view section_title, std::string_view lead_in) {
  // A lead-in names what it lists in the plural ("possible causes:"); "to confirm the cause:"
  // introduces steps.
  static constexpr std::array<std::string_view, 12> k_plurals = {"symptoms", "causes", "reasons", "effects", "facts", "differences",
                                                                  "examples", "features", "limitations", "consequences", "signs", "indicators"};
  static constexpr std::array<std::string_view, 4> k_singulars = {"symptom", "cause", "reason", "effect"};
  auto has = [](std::string_view text, auto& words) {
    auto ws = words_of(text);
    return std::any_of(ws.begin(), ws.end(), [&](const std::string& w) { return std::find(words.begin(), words.end(), w) != words.end(); });
  };
  // "To confirm the cause, either:", "Do one of the following:": alternatives, not steps in turn.
  std::vector<std::string> lead = words_of(lead_in);
  bool alternatives = (!lead.empty() && lead.back() == "either") || to_lower(lead_in).find("one of the following") != std::string::npos;
  return alternatives || has(section_title, k_plurals) || has(section_title, k_singulars) || has(lead_in, k_plurals);
}

bool is_action_item(std::string_view text) {
  static constexpr std::array<std::string_view, 55> k_not_verbs = {
      "the", "a", "an", "this", "that", "these", "those", "it", "its", "there", "if", "when", "while", "for",
      "in", "on", "at", "by", "with", "from", "to", "of", "your", "our", "my", "we", "you", "they", "all", "some",
      "most", "many", "each", "every", "no", "not", "and", "or", "but", "because", "as", "see", "note", "is",
      "any", "both", "either", "neither", "several", "only", "also", "other", "such", "are", "too"};
  std::string_view t = trim(text);
  size_t end = t.find_first_of(" \t,:;.");
  std::string_view first = t.substr(0, end);
  if (first.empty() || !std::all_of(first.begin(), first.end(), [](char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '-'; })) {
    return false;
  }
  if (end != std::string_view::npos && t[end] == ':') return false;  // "Grafana: http://..."
  std::string w = to_lower(first);
  if (std::find(k_not_verbs.begin(), k_not_verbs.end(), w) != k_not_verbs.end()) return false;
  // Gerunds, past forms and third persons describe: "Deleting keys", "Failed jobs", "Runs nightly".
  if (w.size() > 4 && (w.ends_with("ing") || w.ends_with("ed"))) return false;
  return !(w.size() > 3 && w.ends_with('s') && !w.ends_with("ss"));
}

bool is_action_list(const std::vector<std::string>& items) {
  if (items.size() < 2) return false;
  auto actions = std::count_if(items.begin(), items.end(), [](const std::string& i) { return is_action_item(i); });
  return static_cast<size_t>(actions) * 2 > items.size();
}

namespace {

// A sentence whose second word is an auxiliary or a copula states a fact whatever its first
// word ("Data is replicated", "Retrying them is safe", "Non-API endpoints will only get...");
// a question asks one ("Are we down?", "Do we need DB team help? (every 5 min)"); a field
// definition defines one ("success (Boolean): true if ...").
bool shaped_as_statement(std::string_view t) {
  static constexpr std::array<std::string_view, 21> k_auxiliaries = {
      "is", "are", "was", "were", "will", "can", "could", "should", "would", "may", "might", "must", "has", "have", "had", "does",
      "isn't", "aren't", "won't", "can't", "doesn't"};
  size_t first_end = t.find(' ');
  if (first_end != std::string_view::npos) {
    std::string_view rest = t.substr(first_end + 1);
    std::string second = to_lower(rest.substr(0, rest.find_first_of(" ,;:")));
    if (std::find(k_auxiliaries.begin(), k_auxiliaries.end(), second) != k_auxiliaries.end()) return true;
    if (rest.starts_with('(') && rest.find("):") != std::string_view::npos && rest.find("):") < 40) return true;
  }
  // A question mark that ends a sentence before any full stop ("?q=" in a URL does not).
  size_t question = t.ends_with('?') ? t.size() - 1 : t.find("? ");
  return question != std::string_view::npos && question < t.find_first_of(".!");
}

// An item that states something: neither an action nor a step that starts with its condition,
// its place or its means ("If the applier is single threaded, raise...", "On the console, run",
// "`gcloud ... list`").
bool states(std::string_view item) {
  static constexpr std::array<std::string_view, 20> k_step_openers = {"if", "when", "once", "after", "before", "then", "on", "in", "from", "for",
                                                                      "to", "using", "with", "within", "while", "at", "via", "as", "next", "now"};
  std::string_view t = trim(item);
  if (!t.empty() && t[0] != '`' && shaped_as_statement(t)) return true;
  if (t.empty() || t[0] == '`' || is_action_item(t)) return false;
  std::vector<std::string> words = words_of(t.substr(0, t.find(' ')));
  return words.empty() || std::find(k_step_openers.begin(), k_step_openers.end(), words.front()) == k_step_openers.end();
}

}  // namespace

bool describes(const std::vector<std::string>& items) {
  if (items.size() < 2) return false;
  auto statements = std::count_if(items.begin(), items.end(), [](const std::string& i) { return states(i); });
  return statements * 4 > static_cast<long>(items.size()) * 3;
}

}  // namespace opsbook::model
