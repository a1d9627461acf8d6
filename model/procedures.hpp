// Procedures written the way runbooks really write them: numbered lists that a fence, a table or
// a paragraph splits (the later list starts at the next number), fences right under a step, and
// alert runbooks' Mitigation/Resolution sections written as bullet lists of actions.
#pragma once

#include <cstddef>
#include <string_view>
#include <vector>

namespace opsbook::model {

// Follows the top-level blocks of one runbook in order and says which procedure a numbered list
// continues and which step a fence belongs to.
class ProcedureJoin {
 public:
  static constexpr size_t k_none = static_cast<size_t>(-1);

  // A heading: nothing before it continues after it.
  void heading() { *this = ProcedureJoin{}; }
  // A top-level block other than a list or a fence (a paragraph, a table, a quote): a later list
  // may still continue the procedure, a fence after it is no longer a step's.
  void other_block() { m_fence_joins = false; }
  // The procedure (checklist index) an ordered list starting at `start` continues, or k_none:
  // it starts at the number after the last step, or the procedure is written "1." "1." "1."
  // (every item of every list so far numbered 1, `ones`) and so is this list.
  [[nodiscard]] size_t continued_by(int start, bool ones) const;
  // A procedure's top-level list ended; it started at `start` and had `items` items (bullet
  // lists: start 0), each numbered 1 in the source when `ones`.
  void list_ended(size_t checklist, int start, int items, bool ones);
  // The procedure whose last step a top-level fence here belongs to, or k_none.
  [[nodiscard]] size_t fence_owner() const { return m_fence_joins ? m_checklist : k_none; }

 private:
  size_t m_checklist = k_none;
  int m_next_number = 0;
  bool m_all_ones = false;  // each list so far was a single "1." item
  bool m_fence_joins = false;
};

// A bullet list is a procedure when the passage announces actions (the open sections' titles:
// "Mitigation", "Resolution", "Remediation", "Recovery", "Workaround", "Steps", "Procedure", or a
// lead-in such as "In general procedure is like this:") and most items are actions.
bool announces_actions(std::string_view section_titles, std::string_view lead_in);
// Lists that describe rather than instruct, by the passage: "## Symptoms", "There are two possible
// causes:", "Two negative effects of the growing bloat are:"; and lists of alternatives: "To
// confirm the cause, either:", "Do one of the following:".
bool announces_description(std::string_view section_title, std::string_view lead_in);
// An item that starts with an instruction ("Drain affected nodes", "add new nodes", "Fine tune
// ...") rather than a description ("The node is...", "Deleting keys...", "`foo`: a tool").
bool is_action_item(std::string_view text);
bool is_action_list(const std::vector<std::string>& items);
// A numbered list that describes rather than instructs: more than three items in four state
// something ("We already agreed on", "HAProxy needs to determine...", "there's a problem with
// docker"); a step may start with its condition ("If the applier is single threaded, raise...").
bool describes(const std::vector<std::string>& items);

}  // namespace opsbook::model
