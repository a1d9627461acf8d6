// A small shell lexer: enough of POSIX quoting to find command words, options, operators and
// redirections in runbook commands. It never executes or expands anything.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace opsbook::model {

struct ShellToken {
  enum class Type { word, op, redirect } type = Type::word;
  std::string text;  // word with quotes removed; the operator itself for op/redirect
  std::string raw;   // as written
  bool quoted = false;
};

std::vector<ShellToken> lex_shell(std::string_view line);

// Splits tokens into simple commands at |, ||, &&, ;, & and newlines.
std::vector<std::vector<ShellToken>> split_pipeline(const std::vector<ShellToken>& tokens);

// Logical commands of a shell snippet: continuation lines joined, comments and blank lines
// skipped; heredoc bodies are kept as separate commands (they run on the far side, e.g. ssh).
struct LogicalLine {
  std::string text;
  int line_offset = 0;  // 0-based line index within the code
};
std::vector<LogicalLine> logical_shell_lines(std::string_view code);

// Console transcripts: lines after "$ ", "# " or "PS> " prompts (with continuations) are
// commands; the rest is expected output.
struct ConsoleSplit {
  std::vector<LogicalLine> commands;
  std::string output;
};
ConsoleSplit split_console(std::string_view code);

// True for the first word of commands that ops runbooks use ("docker", "kubectl", "psql"...).
bool is_known_command(std::string_view word);

// Skips wrappers that run another command (sudo, env, time, nohup, watch, VAR=value...):
// returns the index of the real command word in `words`.
size_t skip_command_wrappers(const std::vector<ShellToken>& words);

}  // namespace opsbook::model
