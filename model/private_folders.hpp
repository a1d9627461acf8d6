// The folders that hold the user's secrets: the seal key, ssh keys, cloud and kube credentials.
// The doc-test rules (model/doctest_policy) and the doc-test sandbox (runner/doctest_sandbox)
// keep doc-tests out of them.
#pragma once

#include <string>
#include <vector>

namespace opsbook::model {

// $HOME, the user's home folder from the password database (the seal key's folder when HOME is
// unset: s10b review B7), $XDG_STATE_HOME and $XDG_CONFIG_HOME: each absolute one, without
// trailing slashes, once.
std::vector<std::string> private_folders();

}  // namespace opsbook::model
