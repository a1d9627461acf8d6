// Inline code spans that are whole commands: shell (a known tool or a path to an executable, with
// its arguments), PowerShell cmdlets and script calls, SQL and Redis commands in a passage about
// that service, PromQL/LogQL queries; never a bare path, a URL, a resource name or a program named
// as a noun.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "query_lang.hpp"
#include "runbook.hpp"

namespace opsbook::model {

// What surrounds the span.
struct InlineContext {
  std::string_view before;  // the text just before the span in the same paragraph
  std::string_view after;   // the text just after it
  std::string_view topic;   // the open section titles and the list item's text
  bool in_paragraph = false;  // an ordinary paragraph (not a list item or a table cell)
};

struct InlineCommand {
  std::string text;  // the command, prompt removed
  CommandLang lang = CommandLang::shell;
  std::string prompt;  // "$" when the span was written "$ cmd"
  QueryLang query = QueryLang::none;  // lang query: PromQL or LogQL
};

// The command the span holds, if it is one.
std::optional<InlineCommand> inline_command(std::string_view span, const InlineContext& around);

}  // namespace opsbook::model
