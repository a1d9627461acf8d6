// Wrappers that replace the environment: the rule is about the class (clearing, unsetting,
// splitting a string into options, a new login, another user's session), not about spellings, so
// every cluster, abbreviation and option order is read as the program reads it.
#include "model/environment_reset.hpp"

#include <algorithm>

#include "model/text.hpp"

namespace opsbook::model {

namespace {

using Words = std::span<const std::string_view>;

bool is_option(std::string_view w) { return w.size() > 1 && w[0] == '-' && w != "--"; }

// --name or --name=value abbreviating `full` (getopt_long takes any unambiguous prefix).
bool long_option(std::string_view word, std::string_view full) {
  std::string_view name = word.substr(0, word.find('='));
  return name.size() >= 3 && full.starts_with(name);
}

// env [OPTION]... [-] [NAME=VALUE]... COMMAND: -i, -, -u NAME (any name: what the command then
// lacks is not opsbook's to know) and -S STRING (its words are read as env's options again).
std::optional<std::string> env_reset(Words w) {
  for (size_t i = 1; i < w.size(); ++i) {
    std::string_view a = w[i];
    if (a == "-") return "env -";
    if (!is_option(a)) return std::nullopt;  // a NAME=VALUE, the command, or --: env's options end
    if (a.starts_with("--")) {
      if (long_option(a, "--ignore-environment")) return "env --ignore-environment";
      if (long_option(a, "--unset")) return "env --unset";
      if (long_option(a, "--split-string")) return "env --split-string";
      if ((long_option(a, "--chdir") || long_option(a, "--argv0")) && a.find('=') == std::string_view::npos) ++i;  // its value
      continue;
    }
    for (size_t k = 1; k < a.size(); ++k) {
      if (a[k] == 'i') return "env -i";
      if (a[k] == 'u') return "env -u";
      if (a[k] == 'S') return "env -S";
      if (a[k] == 'C' || a[k] == 'a') {  // the value is the rest of the word, or the next word
        if (k + 1 == a.size()) ++i;
        break;
      }
    }
  }
  return std::nullopt;
}

// bash's exec [-cl] [-a NAME] COMMAND: -c in any cluster (-cl, -lc, -a NAME -c).
std::optional<std::string> exec_reset(Words w) {
  for (size_t i = 1; i < w.size() && is_option(w[i]); ++i) {
    std::string_view a = w[i];
    for (size_t k = 1; k < a.size(); ++k) {
      if (a[k] == 'c') return "exec -c";
      if (a[k] == 'a') {
        if (k + 1 == a.size()) ++i;
        break;
      }
    }
  }
  return std::nullopt;
}

// A shell started as a login shell (-l, --login, a cluster holding l, before or after -c: bash
// reads every option before the script) reads the profile files, which set the environment anew.
std::optional<std::string> login_shell(std::string_view tool, Words w) {
  for (size_t i = 1; i < w.size(); ++i) {
    std::string_view a = w[i];
    if (a == "+O" || a == "+o") {
      ++i;
      continue;
    }
    if (!is_option(a)) break;  // the script or the file: the shell's options end
    if (a == "--login") return std::string(tool) + " --login";
    if (a.starts_with("--")) {
      if (a == "--rcfile" || a == "--init-file") ++i;
      continue;
    }
    if (a.find('l') != std::string_view::npos) return std::string(tool) + " -l";
    if (a.back() == 'o' || a.back() == 'O') ++i;  // -o NAME, -O NAME
  }
  return std::nullopt;
}

}  // namespace

std::optional<std::string> environment_reset(Words words) {
  if (words.empty()) return std::nullopt;
  std::string_view tool = program_name(words[0]);
  if (tool == "env") return env_reset(words);
  if (tool == "exec") return exec_reset(words);
  if (tool == "bwrap") {  // bubblewrap: --clearenv empties the environment, --unsetenv drops a variable
    for (auto w : words.subspan(1)) {
      if (w == "--clearenv" || w == "--unsetenv") return "bwrap " + std::string(w);
    }
    return std::nullopt;
  }
  if (tool == "setpriv") {
    for (auto w : words.subspan(1)) {
      std::string_view name = w.substr(0, w.find('='));
      if (name.size() >= 5 && std::string_view("--reset-env").starts_with(name)) return "setpriv --reset-env";
    }
    return std::nullopt;
  }
  // Another user's session, a service manager's unit, a folder of variable files: the command's
  // environment is theirs (sudo's env_reset, su, runuser, pkexec, run0, systemd-run, machinectl
  // shell; envdir and chpst -e read variables from files a checkout may hold).
  static constexpr std::string_view k_replace[] = {"sudo", "doas", "su", "runuser", "pkexec", "run0", "systemd-run", "machinectl", "envdir", "chpst"};
  if (std::find(std::begin(k_replace), std::end(k_replace), tool) != std::end(k_replace)) return std::string(tool);
  static constexpr std::string_view k_shells[] = {"bash", "sh", "zsh", "dash", "ksh", "mksh", "yash", "posh", "ash"};
  if (std::find(std::begin(k_shells), std::end(k_shells), tool) != std::end(k_shells)) return login_shell(tool, words);
  return std::nullopt;
}

std::string_view environment_guard(std::string_view tool) {
  // git runs the programs a repository's config names (fsmonitor, hooks, pager, ssh, gpg) also
  // for reads; so do the tools that run git in the folder they start in.
  static constexpr std::string_view k_git[] = {"git", "tig", "gitk", "git-gui", "lazygit", "gh", "glab", "hub"};
  if (tool.starts_with("git-") || std::find(std::begin(k_git), std::end(k_git), tool) != std::end(k_git)) {
    return "GIT_CONFIG_* guard (safe.bareRepository=explicit, core.fsmonitor=false...)";
  }
  return {};
}

}  // namespace opsbook::model
