// The safety classification table (model/safety_table.txt, embedded at build time): rows keyed
// by tool and subcommand, and the options that take a value per tool. Parsed once.
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "runbook.hpp"

namespace opsbook::model {

enum class RuleClass { read_only, mutating, destructive, interactive, wrapper, consumer, by_verb, floor };
enum class WrapperKind { argv, dashdash, string, after };
enum class ConsumerKind { sql, redis, shell, http, awk, sed, mongo, ruby };

struct SafetyRule {
  std::vector<std::string> tools;               // alternatives; "Get-*" is a prefix
  std::vector<std::vector<std::string>> path;   // per position: alternatives, "*", "**", globs
  std::vector<std::string> flags;               // the command has one of these
  RuleClass cls = RuleClass::read_only;
  WrapperKind wrapper = WrapperKind::argv;
  int skip = 0;                                 // positional words before the wrapped command
  Safety floor = Safety::read_only;             // a wrapper's own class; a floor row's class
  ConsumerKind consumer = ConsumerKind::sql;
  std::vector<std::string> options;             // consumer: options whose value is the content;
                                                // wrapper after: the options it follows
  std::vector<std::string> file_options;        // consumer sql: options naming a file to run
  std::string reason;
  std::string example;
  Safety expected = Safety::read_only;          // the example's class
  bool expected_interactive = false;
  int line = 0;                                 // in safety_table.txt
  int specificity = 0;
};

// The options a tool reads before its subcommand (docker's own, `docker compose`'s): exactly
// these, so that a flag is never taken for an option with a value (docker -v is --version).
struct GlobalOptions {
  std::vector<std::string> valued;  // -H --host ...
  std::vector<std::string> flags;   // -D --debug -v --version ...
};

// A command's words as the table sees them: word 0 is the tool.
using Argv = std::span<const std::string_view>;

class SafetyTable {
 public:
  // The embedded table, parsed on first use.
  static const SafetyTable& builtin();
  explicit SafetyTable(std::string_view text);

  SafetyTable(const SafetyTable&) = delete;  // m_by_prefix points into m_rules
  SafetyTable& operator=(const SafetyTable&) = delete;

  // The most specific row for `argv`, or nullptr. Floor rows are not rows of this kind.
  [[nodiscard]] const SafetyRule* match(Argv argv) const;
  // The rows of argv's tool (floor rows included) that the command can still match when its
  // words from `at` on may be any words (an expansion or a pattern the shell turns into words
  // and options): those whose subcommand words agree with the positional words before `at`.
  [[nodiscard]] std::vector<const SafetyRule*> forms(Argv argv, size_t at) const;
  // The worst floor row that matches `argv` (an option that makes any subcommand at least
  // mutating: `git -c`), or nullptr. `input`: the file its standard input is read from (+<FILE).
  [[nodiscard]] const SafetyRule* floor(Argv argv, std::string_view input = {}) const;
  // Indices of the positional words of argv (after index 0): options and the values of the
  // tool's valued options skipped; stops at "--".
  // Before the subcommand, a tool with @globals reads its global options only (and `docker
  // compose`'s after `compose`); other tools read their @options list, clusters and prefixes too.
  [[nodiscard]] std::vector<size_t> positionals(Argv argv) const;
  // The first option word before the subcommand that the tool's global options do not read (not
  // one of them, or an abbreviation of several), or "": what the command runs is then not known.
  [[nodiscard]] std::string_view unread_option(Argv argv) const;
  // A wrapper's option before the command it wraps (after its subcommand words: `docker exec`)
  // when the table lists none of that wrapper's options (no @globals): its value may be read
  // as the command, so what runs is not known. "" when there is none, or when they are listed.
  [[nodiscard]] std::string_view unlisted_wrapper_option(const SafetyRule& rule, Argv argv) const;
  // The global options of a tool ("docker") or of its subcommands ("docker compose", "docker
  // compose exec": the options read after those words, up to the next one), or nullptr.
  [[nodiscard]] const GlobalOptions* globals(const std::string& key) const;
  [[nodiscard]] bool takes_value(std::string_view tool, std::string_view option) const;
  // The table has a row for this tool (named exactly, lower-case: "oc", "patronictl").
  [[nodiscard]] bool knows_tool(std::string_view tool) const;
  // Where the command wrapped by `rule` (argv, dashdash or string) starts in argv: after the
  // options, the subcommand words, `skip` more words and NAME=value words; argv.size() if none.
  // A `*` of the pattern is the wrapped command's first word (consul watch *).
  [[nodiscard]] size_t wrapped_start(const SafetyRule& rule, Argv argv) const;
  // The command run by plain wrappers (no subcommand: sudo, env, timeout, nohup, xargs...):
  // cmd's index in `sudo -u x env A=1 timeout 5 cmd ...`, 0 when there is no such wrapper.
  [[nodiscard]] size_t unwrap(Argv argv) const;
  [[nodiscard]] std::span<const SafetyRule> rules() const { return m_rules; }
  [[nodiscard]] std::span<const std::string> errors() const { return m_errors; }  // malformed lines
  // The first of the rule's +flags that argv has, or "".
  [[nodiscard]] std::string_view matched_flag(const SafetyRule& rule, Argv argv) const;

 private:
  void parse_line(std::string_view line, int number);
  void parse_options(std::string_view line, int number);
  void parse_globals(std::string_view line, int number);
  std::vector<size_t> scan(Argv argv, std::string_view* unread) const;
  [[nodiscard]] bool matches(const SafetyRule& rule, Argv argv, const std::vector<size_t>& pos, std::string_view input) const;

  std::vector<SafetyRule> m_rules;
  std::unordered_map<std::string, std::vector<size_t>> m_by_tool;  // lower-cased tool -> rules
  std::unordered_map<std::string_view, std::vector<size_t>> m_by_prefix;  // "get-" of "Get-*" -> rules
  size_t m_longest_prefix = 0;  // of m_by_prefix's keys: a tool name is looked up that far, not further
  std::unordered_map<std::string, std::vector<std::string>> m_valued;  // tool -> options with values
  std::unordered_map<std::string, GlobalOptions> m_globals;  // "docker", "docker compose" -> options
  std::vector<std::string> m_errors;
};

// The name rows are keyed by: lower case, without the path or a Windows .exe (curl.exe is curl).
std::string tool_key(std::string_view tool);

// Case-insensitive for ASCII; `*` matches any run of characters.
bool glob_match(std::string_view pattern, std::string_view text);

// An option value or word against a table pattern: numbers by value (00 and +0 are 0); with a
// `*`, a glob whose number after the last `=` compares by value (`*=0` matches web=00).
bool value_match(std::string_view pattern, std::string_view text);

}  // namespace opsbook::model
