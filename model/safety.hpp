// Safety classification of commands: read-only, mutating or destructive, with the reasons, and
// whether a command opens an interactive session. Shell commands are read through the shell
// lexer and the classification table (safety_table.txt); SQL through model/sql.
#pragma once

#include <optional>
#include <string_view>
#include <vector>

#include "runbook.hpp"

namespace opsbook::model {

struct Verdict {
  Safety level = Safety::read_only;
  std::string reason;        // the reason for `level` ("" for plain reads)
  bool interactive = false;  // opens a session (ssh host, psql without -c, a console)
};

// One command in its language; for shell a whole top-level command (lists, compound statements,
// heredocs with their bodies). When `reasons` is given, every reason that raised the class is
// appended with its markdown line (`line` is the command's first line).
Verdict classify_command(std::string_view text, CommandLang lang, std::vector<SafetyReason>* reasons = nullptr, int line = 0);

// classify_command(text, CommandLang::shell).
Verdict classify_shell_command(std::string_view command_line);

// Environment variables through which a value chooses a program, a daemon or a configuration that
// tools then run or obey (PAGER for git log, LD_PRELOAD for anything, HOME for every tool's rc file,
// PATH for every name, DOCKER_HOST for docker): setting one is at least mutating, and opsbook run
// never takes one from a parameter value.
bool env_var_runs_programs(std::string_view name);

// Environment variables through which a value picks the server a tool sends its requests and
// credentials to (http_proxy, ALL_PROXY, AWS_ENDPOINT_URL*, PGHOST, VAULT_ADDR, CONTAINER_HOST...):
// opsbook run never takes one from a parameter value; an author setting one is not a change.
bool env_var_picks_server(std::string_view name);

// A variable a parameter value never sets: one that picks programs, a server, or that bash obeys.
bool value_may_not_set(std::string_view name);

// Variables whose value changes what bash itself does, exported or not: PATH picks programs, IFS
// splits words, CDPATH moves cd, GLOBIGNORE and EXECIGNORE change patterns and lookups, TMPDIR
// places heredocs, BASH_LOADABLES_PATH loads builtins, PS4 runs $(...) under set -x. opsbook run
// never sets one from a parameter value, even as a variable of the snippet's shell only.
bool shell_reads_variable(std::string_view name);

// Why an expansion `${...}` evaluates text as code (a subscript or offset that is not a number,
// ${!x}, ${x@...}), or nothing.
std::optional<std::string> evaluating_expansion(std::string_view param);

// /dev/tcp/HOST/PORT and /dev/udp/...: bash opens a network connection for a redirection there
// (also written //dev//tcp/...).
bool bash_network_path(std::string_view path);

// Classifies every command of the snippet (its safety, reasons, interactive flag), fills the
// snippet's reasons and returns the most dangerous class: the snippet's.
Safety classify_snippet(Snippet& snippet);

}  // namespace opsbook::model
