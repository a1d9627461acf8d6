// Prompts of pasted terminal sessions: one table of prompt shapes (shell, root shell, zsh themes,
// PowerShell, psql, mysql, redis-cli, Ruby and Python consoles, mongo...), each giving the
// language of the text after it, and the split of a session block into commands and output.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "runbook.hpp"

namespace opsbook::model {

// Where a prompt is looked for. Two shapes are also ordinary text: "# " starts a shell comment and
// "> " a quoted line, so they count as prompts only inside a block already known to be a session.
enum class PromptScope { any_block, session };

struct PromptMatch {
  CommandLang lang = CommandLang::shell;
  size_t length = 0;          // bytes from the start of the line to the command text
  bool continuation = false;  // a continuation prompt ("db-# ", "... ", "> "): the command goes on
  std::string_view shape;     // the table entry, e.g. "{user}@{host}:{path}$ "
};

// The prompt the line starts with (leading blanks allowed), if any.
std::optional<PromptMatch> match_prompt(std::string_view line, PromptScope scope);

// True when some line of the block starts with an unambiguous prompt followed by text.
bool has_session_prompt(std::string_view code);
// True when some line starts with a prompt followed by text, counting the shapes that are prompts
// only in a block known to be a session ("# " with a command after it, "> "): a `console` block.
bool has_prompted_line(std::string_view code);

// One command typed in a session: prompt(s) stripped, continuation lines joined.
struct SessionCommand {
  std::string text;
  int line_offset = 0;  // 0-based line of the first line within the code
  int end_offset = 0;   // 0-based line of the last line
  CommandLang lang = CommandLang::shell;
  std::string prompt;   // the prompt as written, trailing blanks trimmed
};

struct Session {
  std::vector<SessionCommand> commands;
  std::vector<int> output_lines;  // 0-based lines that are output (blank lines excluded)
  std::string output;             // the output lines' text
};

// Splits a session block: prompted lines (with their continuations: continuation prompts, a
// trailing backslash, heredoc bodies, unterminated SQL) are commands; the rest is output.
Session split_session(std::string_view code);

}  // namespace opsbook::model
