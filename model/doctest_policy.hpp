// Whether a shell doc-test may run unattended: every command in it is on the doc-test allow list
// (model/doctest_allow.txt) with only the options and operands its row allows, read through the
// one shell lexer. Everything else is refused with the first reason: which command, which word.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace opsbook::model {

struct DoctestRefusal {
  size_t offset = 0;  // byte offset in the script of the command (or construct) refused
  std::string reason;  // "'curl' option -O is not on the doc-test allow list"
};

// nullopt when every command of `script` (a filled shell snippet: values written in) is allowed.
std::optional<DoctestRefusal> doctest_refusal(std::string_view script);

}  // namespace opsbook::model
