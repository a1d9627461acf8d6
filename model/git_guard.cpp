// git's guard settings.
#include "model/git_guard.hpp"

namespace opsbook::model {

namespace {

// git runs the programs a repository's config names also for reads (core.fsmonitor for `git
// status`, core.pager, gpg.program with log.showSignature, core.sshCommand and hooks for the
// rest; filter drivers for a diff or a listing of a repository whose config a pull request
// commits); a checkout can hold a bare repository (HEAD, config, objects/), which git finds before
// the real `.git` above it when it starts in that folder, or a `.git` file pointing at one (s7d
// review D7, s9a review B2). Command-line config wins over every config file, so these hold
// whatever repository git finds; with safe.bareRepository=explicit git refuses a bare repository
// it finds by itself and reads none of its config. Only one named with --git-dir is used bare.
constexpr std::pair<const char*, const char*> k_settings[] = {
    {"safe.bareRepository", "explicit"}, {"core.fsmonitor", "false"},      {"core.hooksPath", "/dev/null"},  {"core.sshCommand", "ssh"},
    {"core.pager", "cat"},               {"protocol.ext.allow", "never"}, {"log.showSignature", "false"}, {"gpg.program", "gpg"},
    {"gpg.ssh.program", "ssh-keygen"},   {"gpg.x509.program", "gpgsm"},
};

}  // namespace

std::vector<std::pair<std::string, std::string>> git_guard_variables() {
  std::vector<std::pair<std::string, std::string>> out;
  size_t i = 0;
  for (const auto& [key, value] : k_settings) {
    out.emplace_back("GIT_CONFIG_KEY_" + std::to_string(i), key);
    out.emplace_back("GIT_CONFIG_VALUE_" + std::to_string(i++), value);
  }
  out.emplace_back("GIT_CONFIG_COUNT", std::to_string(i));
  out.emplace_back("GIT_PAGER", "cat");  // wins over pager.<command> of the config too
  return out;
}

std::vector<std::string> git_guard_options() {
  std::vector<std::string> out;
  for (const auto& [key, value] : k_settings) {
    out.push_back("-c");
    out.push_back(std::string(key) + "=" + value);
  }
  return out;
}

}  // namespace opsbook::model
