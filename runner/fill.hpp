// Filling a snippet's placeholders with values so that no value can change what the snippet
// does: each value is quoted for the spot it lands in (shell: unquoted, '...' or "..."; HTTP: no
// line breaks). SQL values are bound parameters (model/sql_bind).
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "model/runbook.hpp"

namespace opsbook::runner {

enum class Dialect { shell, http };

// Replaces every placeholder param (`<name>`, `{{name}}`, `[name]` as written in `params`) with
// its value from `values`; environment-variable params are left for the environment.
// Throws opsbook::Error when an HTTP value holds a line break.
std::string fill_placeholders(std::string_view code, const std::vector<model::Param>& params, const std::map<std::string, std::string>& values,
                              Dialect dialect);

// 'value' with embedded single quotes spliced as '\''.
std::string shell_quote(std::string_view value);

// True for parameter names whose values must never be shown (password, token, secret, key...).
bool is_secret_name(std::string_view name);

}  // namespace opsbook::runner
