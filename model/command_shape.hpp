// Whether a line of text reads as a shell command a person would type, from its words alone:
// tells commands from prose, output, YAML, JSON and logs in unlabelled fences, in inline code
// and after an ambiguous "# " prompt.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace opsbook::model {

enum class ShellEvidence {
  none,    // prose, output, data: nothing says "command"
  weak,    // could be a command: an unknown lower-case tool with options, an assignment
  strong,  // a known tool, a path to an executable, sudo/cd/export, a shell keyword
};

// The evidence one line gives (comments and blank lines give none).
ShellEvidence shell_evidence(std::string_view line);

// A PowerShell command: a cmdlet `Verb-Noun` with an approved verb (`Get-Service -Name x`,
// `Get-ComputerInfo | Select-Object ...`), a script call (`.\scripts\check.ps1 -Detailed`), a
// Windows program (`curl.exe -s http://x`) or a
// `$variable = ...` assignment.
bool is_powershell_command(std::string_view line);

// A Redis command as typed in redis-cli ("INFO replication", "CONFIG GET maxmemory").
bool is_redis_command(std::string_view line);

// A Redis command complete without an argument ("INFO", "ping", "ROLE"), any case.
bool is_redis_command_alone(std::string_view word);

// An SQL statement or psql meta-command ("SELECT pg_is_in_recovery();", "\\dt").
bool is_sql_statement(std::string_view line);

// "./run.sh", "/opt/gitlab/bin/gitlab-ctl", "bin/rails", "~/bin/x", ".\scripts\check.ps1".
bool is_executable_path(std::string_view word);

// A site-specific tool name: lower-case words joined by '-' ("gitlab-patronictl",
// "gitlab-redis-cli") or a name ending in ctl/adm/cli ("patronictl", "pgbadm").
bool is_tool_like_name(std::string_view word);

// The last line of a command whose quoted string, opened on line `first`, closes on a later line
// (`psql -c "SELECT ...` over five lines); `first` when it opens none or closes in no line of
// the next k_quoted_lines.
size_t quoted_until(const std::vector<std::string_view>& lines, size_t first);

// The delimiter of the last heredoc a line of shell opens ("<<EOF", "<<-'EOF'"), or "".
std::string opened_heredoc(std::string_view text);

// Keywords and builtins that only shell text has at the start of a line ("cd", "export", "for").
bool is_shell_builtin(std::string_view word);

// Tools whose bare name, with no arguments, is a complete diagnostic command (`uptime`, `df`).
bool runs_without_arguments(std::string_view word);

}  // namespace opsbook::model
