// The settings under which git runs nothing a repository's configuration names: for the git of
// every snippet (as GIT_CONFIG_* variables) and for opsbook's own git (as -c options).
#pragma once

#include <string>
#include <utility>
#include <vector>

namespace opsbook::model {

// GIT_CONFIG_COUNT, GIT_CONFIG_KEY_n, GIT_CONFIG_VALUE_n and GIT_PAGER, for a snippet's environment.
std::vector<std::pair<std::string, std::string>> git_guard_variables();

// The same settings as `-c key=value` options, to put right after "git" in opsbook's own calls.
std::vector<std::string> git_guard_options();

}  // namespace opsbook::model
