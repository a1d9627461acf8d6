// Commands that start the command they wrap with an environment opsbook did not give it (env -i,
// exec -c, setpriv --reset-env, sudo, su, a login shell...), and the tools whose safety rests on a
// variable opsbook sets for every snippet (git's GIT_CONFIG_* guard, model/git_guard).
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace opsbook::model {

// `words`: a command, its program first. How it starts the command it wraps with an environment
// other than its own ("env -i", "exec -c", "sudo"...), or nullopt when it passes its own on.
std::optional<std::string> environment_reset(std::span<const std::string_view> words);

// The variables opsbook sets that `tool` (a program name) relies on to run nothing a checkout
// names, for a message; empty when it relies on none.
std::string_view environment_guard(std::string_view tool);

}  // namespace opsbook::model
