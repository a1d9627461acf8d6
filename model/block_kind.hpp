// What a code block holds, decided from its fence tag and its text: a shell script (with the
// output pasted after its commands told apart), a pasted session, queries, SQL statements, or
// none of these (data, output, prose, program code).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "console_block.hpp"
#include "runbook.hpp"

namespace opsbook::model {

// The kind a fence tag names ("bash" -> shell, "yml" -> data, "" -> text, "dig" -> other).
SnippetKind kind_for_tag(std::string_view tag);

struct BlockReading {
  SnippetKind kind = SnippetKind::text;
  std::vector<Command> commands;  // with markdown lines
  std::string expected_output;    // what the terminal printed back (sessions, pasted output)
  std::vector<LineNote> notes;    // why lines are output or queries
};

// Reads the code of a fence whose first code line is markdown line `code_line`; the text around
// it tells console input from a program file where the code alone cannot.
BlockReading read_block(std::string_view tag, std::string_view code, int code_line, const BlockContext& around = {});

}  // namespace opsbook::model
