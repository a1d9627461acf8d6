// The user's secret folders, from the environment and the password database.
#include "model/private_folders.hpp"

#include <pwd.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>

namespace opsbook::model {

std::vector<std::string> private_folders() {
  std::vector<std::string> out;
  auto add = [&](const char* folder) {
    if (folder == nullptr || folder[0] != '/') return;
    std::string f(folder);
    while (f.size() > 1 && f.ends_with('/')) f.pop_back();
    if (f.size() > 1 && std::find(out.begin(), out.end(), f) == out.end()) out.push_back(f);
  };
  for (const char* name : {"HOME", "XDG_STATE_HOME", "XDG_CONFIG_HOME"}) add(std::getenv(name));
  if (const passwd* user = ::getpwuid(::geteuid())) add(user->pw_dir);
  return out;
}

}  // namespace opsbook::model
