// What of a checkout a doc-test may read: the files git tracks there (the pull request's own),
// never what the CI job put beside them (a second checkout's .git/config with its token, a cloud
// credentials file, .npmrc) nor opsbook's .opsbook. As few sandbox grants as possible: a folder
// with nothing untracked in it is one grant.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace opsbook::runner {

// Paths to grant reading under `root`: the files git tracks there, unchanged since the checkout,
// never a submodule. Outside any git work tree, the visible top-level entries that are not links
// (the .opsbook and .env of the top level stay out); in a work tree git cannot list, nothing (with
// one note on stderr).
std::vector<std::string> checkout_grants(const std::filesystem::path& root);

}  // namespace opsbook::runner
