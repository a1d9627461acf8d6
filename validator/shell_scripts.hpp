// The scripts the shell checkers (bash -n, shellcheck) see: each declared shell snippet's text,
// placeholders replaced by words, with the markdown line of every script line.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "model/runbook.hpp"

namespace opsbook::validator {

class FindingSink;

struct ShellScript {
  const model::Snippet* snippet = nullptr;
  std::string text;
  std::vector<int> lines;  // markdown line of each script line
};

// One script to check and the sink of the runbook it came from.
struct ShellJob {
  FindingSink* sink;
  ShellScript script;
};

// Appends the runbook's checkable shell snippets (declared shell, not {check=skip}, not zsh).
// Snippets nested past the shell lexer's bound are left out.
void collect_shell(FindingSink& sink, const model::Runbook& rb, std::vector<ShellJob>& out);

// A shell snippet nested past the shell lexer's bound: one shell-too-deep error.
void report_too_deep(FindingSink& sink, const model::Snippet& s);

// Identical scripts (the same command in many runbooks) are checked once: `check` sees one job
// per distinct text, recording into its own sink, and the findings are replayed onto every copy
// at the copy's own markdown lines.
void check_each_distinct(std::vector<ShellJob>& jobs, const std::function<void(std::vector<ShellJob>&)>& check);

}  // namespace opsbook::validator
