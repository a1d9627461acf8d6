// The git work tree around a folder.
#include "model/work_tree.hpp"

namespace opsbook::model {

std::filesystem::path work_tree_around(const std::filesystem::path& folder) {
  namespace fs = std::filesystem;
  std::error_code ec;
  fs::path at = fs::weakly_canonical(fs::absolute(folder, ec), ec);
  for (; !at.empty(); at = at.parent_path()) {
    if (at == at.root_path()) return {};
    if (fs::exists(fs::symlink_status(at / ".git", ec))) return at;
  }
  return {};
}

}  // namespace opsbook::model
