// Ruby typed into a console (rails console, irb) without prompts: whether a `ruby` or untagged
// block holds console input rather than a program file, a Chef recipe or configuration, and its
// split into statements (a `do ... end` block, brackets and chained calls stay in theirs).
#pragma once

#include <string_view>
#include <vector>

#include "runbook.hpp"

namespace opsbook::model {

// What the text around a block says: the paragraph just before it and the open section titles.
struct BlockContext {
  std::string_view lead_in;
  std::string_view topic;
};

// True when the block reads as statements typed into a Ruby console: the text around names a
// console, or every statement has a console's shape (`User.find_by(...)`, `u = Upload.find(1)`,
// `u.path`) and none a file's (a shebang, `def`, a Chef resource `file '/x' do`, `node['x']`,
// `git_data_dirs({`); never when the text around names a `.rb` file to write.
bool reads_as_ruby_console(std::string_view code, const BlockContext& around);

// The top-level statements of Ruby console input, with markdown lines from `code_line` (the
// block's first code line); `=> value` output lines are not statements.
std::vector<Command> ruby_statements(std::string_view code, int code_line);

// A whole Ruby console statement written inline: a call on a constant (`Rails.cache.clear`,
// `Project.find(42).destroy`), never a file name such as `README.md`.
bool is_ruby_console_call(std::string_view span);

// Whether the text names a Ruby or Rails console ("rails console", "gitlab-rails console", "irb").
bool names_ruby_console(std::string_view text);

}  // namespace opsbook::model
