// The git work tree that holds a folder, found without running git: a pull request commits
// anywhere in it, also above the folder opsbook was started in.
#pragma once

#include <filesystem>

namespace opsbook::model {

// The nearest folder at or above `folder` (made absolute, links resolved) that holds a `.git`
// entry (a folder, or a file of a worktree or submodule); empty when there is none below the root.
std::filesystem::path work_tree_around(const std::filesystem::path& folder);

}  // namespace opsbook::model
