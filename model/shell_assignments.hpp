// Every way a bash script assigns a variable: NAME=value words, the builtins that set the names
// they are given (read, printf -v, declare, mapfile, getopts...), and arithmetic, which assigns
// wherever bash evaluates it (((X=0)), $((X++)), $[...], [[ X=0 -eq 0 ]], let, values given to
// a declare -i name, array subscripts). The classifier reads it to know which variables a
// runbook sets itself (their literal values, or values made at run time) and which names a
// script may change (the git guard's GIT_CONFIG_*).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "shell_lexer.hpp"

namespace opsbook::model {

enum class AssignKind {
  literal,         // NAME=value with a value the runbook writes out (value holds it)
  run_time,        // a value known only when it runs (read NAME, for NAME in, NAME=$(cmd)...)
  arithmetic,      // assigned by arithmetic (((NAME=0)), NAME++ ...)
  name_reference,  // declare -n: what is assigned through it sets a variable named elsewhere
  dynamic_name,    // the name itself is decided at run time (export "$n"=1); name is empty
};

struct Assignment {
  std::string name;
  AssignKind kind = AssignKind::run_time;
  std::string value;  // literal: the value; dynamic_name: the word as written
  std::string how;    // what assigns it, for a message: "read", "printf -v", "((...))", "declare -n"...
  // The words whose values it takes: the NAME=value word, or the words after `for NAME in`.
  std::vector<std::uint32_t> words;
};

// Every assignment of the script, nested commands and heredoc bodies included, in no
// particular order.
std::vector<Assignment> shell_assignments(const shell::Script& s);

// The variables arithmetic reads by name (n of $((n + 1)), of ((n)) or of $(( $n ))): bash
// evaluates a variable's value as arithmetic again, so a value made at run time can assign any
// variable (X=0) or run a command (a[$(cmd)]) there.
std::vector<std::string> arithmetic_reads(const shell::Script& s);

}  // namespace opsbook::model
