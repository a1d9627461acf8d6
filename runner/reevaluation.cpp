// Commands that read some of their arguments, or their standard input, as code. Wrappers are
// looked through; a wrapper this table does not know is still searched for `sh -c`, `eval` and
// the like further along its arguments, so an unknown wrapper errs on the side of "evaluated".
#include "runner/reevaluation.hpp"

#include <algorithm>
#include <array>
#include <string>
#include <vector>

#include "model/program_text.hpp"
#include "model/text.hpp"

namespace opsbook::runner {

namespace {

constexpr size_t k_none = static_cast<size_t>(-1);
constexpr size_t k_all = static_cast<size_t>(-2);  // every argument after the wrapper is evaluated

// An awk or sed command line whose program may run a command (system(), a pipe, sed's e): what
// reaches it as data (its input, -v values, operands, variables) can become a command line.
bool program_runs_commands(const std::vector<std::string>& args, size_t i) {
  std::string_view name = model::program_name(args[i]);
  bool awk = name == "awk" || name == "gawk" || name == "mawk" || name == "nawk";
  if (!awk && name != "sed") return false;
  std::vector<std::string_view> argv(args.begin() + static_cast<long>(i), args.end());
  std::string effect = awk ? model::awk_command_side_effect(argv) : model::sed_command_side_effect(argv);
  return !effect.empty() && !effect.starts_with("writes a file");
}

template <size_t N>
bool one_of(std::string_view word, const std::array<std::string_view, N>& list) {
  return std::find(list.begin(), list.end(), word) != list.end();
}

constexpr std::array<std::string_view, 9> k_shells = {"bash", "sh", "zsh", "dash", "ksh", "ash", "mksh", "busybox", "fish"};
constexpr std::array<std::string_view, 6> k_remote = {"ssh", "autossh", "mosh", "rsh", "dbclient", "sshpass"};
constexpr std::array<std::string_view, 5> k_names = {"read", "unset", "mapfile", "readarray", "getopts"};
constexpr std::array<std::string_view, 5> k_declare = {"declare", "typeset", "local", "readonly", "export"};

bool is_option(std::string_view a) { return a.size() > 1 && a[0] == '-'; }

// NAME=value
bool assignment(std::string_view a) {
  size_t eq = a.find('=');
  return eq != std::string_view::npos && eq > 0 && std::all_of(a.begin(), a.begin() + static_cast<long>(eq), [](char c) {
    return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
  }) && !(a[0] >= '0' && a[0] <= '9');
}

// Index of the argument after option `i` and, when `with_value` lists it, its value.
size_t skip_option(const std::vector<std::string>& args, size_t i, std::string_view with_value) {
  std::string_view a = args[i];
  bool takes = a.find('=') == std::string_view::npos && (" " + std::string(with_value) + " ").find(" " + std::string(a) + " ") != std::string::npos;
  return i + (takes ? 2 : 1);
}

// First argument after the options (listed ones take a value) of the command at `i`.
size_t after_options(const std::vector<std::string>& args, size_t i, std::string_view with_value) {
  size_t j = i + 1;
  while (j < args.size() && is_option(args[j])) {
    if (args[j] == "--") return j + 1;
    j = skip_option(args, j, with_value);
  }
  return j;
}

// The value of option `flag` (or `long_flag` / `long_flag=...`), by argument index; k_none.
size_t option_value(const std::vector<std::string>& args, size_t i, std::string_view flag, std::string_view long_flag) {
  for (size_t j = i + 1; j < args.size(); ++j) {
    if (args[j] == "--") break;
    if (args[j] == flag || (!long_flag.empty() && args[j] == long_flag)) return j + 1;
    if (!long_flag.empty() && args[j].starts_with(std::string(long_flag) + "=")) return j;
  }
  return k_none;
}

// bash -c SCRIPT [NAME ARGS...]: the index of SCRIPT, which is code (the arguments after it are
// positional); k_none without -c.
size_t script_index(const std::vector<std::string>& args, size_t i) {
  bool has_c = false;
  size_t j = i + 1;
  for (; j < args.size(); ++j) {
    std::string_view a = args[j];
    if (a == "--") {
      ++j;
      break;
    }
    if (a.size() < 2 || (a[0] != '-' && a[0] != '+')) break;
    if (a[1] != '-' && a.find('c') != std::string_view::npos) has_c = true;
    if (a == "-o" || a == "+o" || a == "-O" || a == "+O") ++j;
  }
  return has_c && j < args.size() ? j : k_none;
}

bool shell_script(const std::vector<std::string>& args, size_t i, size_t pos) { return script_index(args, i) == pos; }

// Has the command at `i` the short option `flag` (alone or among others: -qc) or `long_flag`
// (also --long=value) among its options?
bool short_or_long(const std::vector<std::string>& args, size_t i, char flag, std::string_view long_flag) {
  for (size_t j = i + 1; j < args.size() && is_option(args[j]) && args[j] != "--"; ++j) {
    std::string_view a = args[j];
    if (a == long_flag || a.starts_with(std::string(long_flag) + "=") || (a[1] != '-' && a.find(flag) != std::string_view::npos)) return true;
  }
  return false;
}

// The inner command of a wrapper at `i`: its index, k_all when everything after the wrapper is
// evaluated by a shell, k_none when `name` is no wrapper.
size_t wrapped(const std::vector<std::string>& args, size_t i, std::string_view name) {
  auto has = [&](std::initializer_list<std::string_view> flags) {
    for (size_t j = i + 1; j < args.size() && is_option(args[j]); ++j) {
      if (std::find(flags.begin(), flags.end(), args[j]) != flags.end()) return true;
    }
    return false;
  };
  if (name == "sudo" || name == "doas") {
    if (has({"-s", "-i", "--shell", "--login"})) return k_all;
    return after_options(args, i, "-u -g -p -h -C -D -r -t -T -U --user --group --prompt --host --close-from --chdir --role --type");
  }
  if (name == "env") {
    if (has({"-S", "--split-string"})) return k_all;
    size_t j = after_options(args, i, "-u --unset -C --chdir");
    while (j < args.size() && args[j].find('=') != std::string::npos && !is_option(args[j])) ++j;
    return j;
  }
  if (name == "timeout") return after_options(args, i, "-s -k --signal --kill-after") + 1;  // the duration
  if (name == "nohup" || name == "setsid" || name == "time" || name == "command" || name == "builtin" || name == "exec" ||
      name == "unbuffer" || name == "nice" || name == "ionice" || name == "stdbuf" || name == "strace" || name == "ltrace") {
    return after_options(args, i, "-a -n -c -t -i -o -e --adjustment --class --classdata");
  }
  if (name == "runuser" || name == "su") return after_options(args, i, "-u -g -G -s --user --group --shell");
  if (name == "script" && short_or_long(args, i, 'c', "--command")) return k_all;  // script -qc 'cmd' log
  if (name == "chroot" || name == "flock" || name == "taskset" || name == "chrt") {
    // flock LOCKFILE -c 'cmd': the -c comes after the lock file.
    if (name == "flock" && std::any_of(args.begin() + static_cast<long>(i) + 1, args.end(), [](const std::string& a) { return a == "-c" || a == "--command"; })) {
      return k_all;
    }
    return after_options(args, i, "-w -E --timeout --conflict-exit-code --userspec --groups") + 1;  // the folder, lock file, mask
  }
  if (name == "xargs" || name == "parallel") {
    return after_options(args, i, "-I -i -n -P -d -L -l -s -E -e -a --max-args --max-procs --delimiter --arg-file --max-lines --max-chars");
  }
  if (name == "kubectl" || name == "oc" || name == "docker" || name == "podman" || name == "nerdctl" || name == "crictl") {
    auto sub = std::find_if(args.begin() + static_cast<long>(i) + 1, args.end(), [](const std::string& a) { return !a.empty() && a[0] != '-'; });
    if (sub == args.end()) return k_none;
    auto dashes = std::find(sub, args.end(), "--");
    if (*sub == "exec" || *sub == "debug" || *sub == "run" || *sub == "rsh") {
      if (dashes != args.end()) return static_cast<size_t>(dashes - args.begin()) + 1;
      return *sub == "run" ? k_none : k_all;  // without "--" the command's start is a guess: treat it all as code
    }
    return k_none;
  }
  if (name == "find") {
    for (size_t j = i + 1; j < args.size(); ++j) {
      if (args[j] == "-exec" || args[j] == "-execdir" || args[j] == "-ok" || args[j] == "-okdir") return j + 1;
    }
  }
  return k_none;
}

// Is the argument at `pos` directives of nginx -g: the word after -g or a cluster ending in g
// (-tg), or the rest of -gTEXT, -tgTEXT (nginx reads its options letter by letter)?
bool nginx_directives(const std::vector<std::string>& args, size_t i, size_t pos) {
  for (size_t j = i + 1; j <= pos && j < args.size(); ++j) {
    std::string_view a = args[j];
    if (a.size() < 2 || a[0] != '-' || a[1] == '-') continue;
    size_t g = a.find('g');
    if (g != std::string_view::npos && (j == pos ? g + 1 < a.size() : j + 1 == pos && g + 1 == a.size())) return true;
  }
  return false;
}

// What the command at `i` itself does with the argument at `pos` (no unwrapping).
Reevaluation direct(const std::vector<std::string>& args, size_t i, size_t pos) {
  std::string name(model::program_name(args[i]));
  // sg GROUP 'cmd' runs cmd with sh -c; tmux and screen run their commands (and send-keys) through a shell.
  if (name == "eval" || name == "watch" || name == "alias" || name == "source" || name == "." || name == "sg" || name == "tmux" || name == "screen" ||
      one_of(name, k_remote)) {
    return {Evaluation::shell, name};
  }
  if (name == "trap" && pos == after_options(args, i, "")) return {Evaluation::shell, "trap"};
  if ((name == "knife" || name == "tsh" || name == "gcloud") && std::find(args.begin() + static_cast<long>(i), args.end(), "ssh") != args.end()) {
    return {Evaluation::shell, name + " ssh"};
  }
  // bash <(...), python3 <(...): the process substitution's output is the script.
  bool generated = args[pos].starts_with("<(") && pos == after_options(args, i, "-o +o -O +O");
  if (one_of(name, k_shells)) {
    if (generated && script_index(args, i) == k_none) return {Evaluation::shell, name};
    return shell_script(args, i, pos) ? Reevaluation{Evaluation::shell, name + " -c"} : Reevaluation{};
  }
  if (generated && (name.starts_with("python") || name == "perl" || name == "ruby" || name == "node" || name == "php" || name == "lua")) return {Evaluation::program, name};
  if ((name == "su" || name == "runuser") && option_value(args, i, "-c", "--command") == pos) return {Evaluation::shell, name + " -c"};
  auto value_of = [&](std::string_view flag, std::string_view long_flag) {
    size_t v = option_value(args, i, flag, long_flag);
    return v == pos;
  };
  // Options whose value the program runs as a command.
  if (name == "rsync" && value_of("-e", "--rsh")) return {Evaluation::shell, "rsync -e"};
  if (name == "tar" && (value_of("-I", "--use-compress-program") || value_of("-F", "--info-script") || value_of("", "--to-command") ||
                        value_of("", "--new-volume-script"))) {
    return {Evaluation::shell, "tar"};
  }
  if (name == "git" && (value_of("-c", "") || value_of("", "--config-env"))) return {Evaluation::shell, "git -c"};  // core.sshCommand=...
  // -P CMD and -PCMD: a pager, browser, preprocessor or handler run for the tool.
  auto runs = [&](std::string_view flag, std::string_view long_flag) {
    return value_of(flag, long_flag) || (!flag.empty() && args[pos].size() > flag.size() && args[pos].starts_with(flag));
  };
  if (name == "man" && (runs("-P", "--pager") || runs("-H", "--html"))) return {Evaluation::shell, "man"};
  if ((name == "nc" || name == "ncat" || name == "netcat") && (runs("-e", "--exec") || runs("-c", "--sh-exec") || runs("", "--lua-exec"))) return {Evaluation::shell, name};
  if (name == "fzf" && (runs("", "--preview") || runs("", "--bind"))) return {Evaluation::shell, "fzf"};
  if ((name == "rg" && runs("", "--pre")) || (name == "helm" && runs("", "--post-renderer")) || (name == "tcpdump" && runs("-z", ""))) {
    return {Evaluation::program, name};
  }
  if (name == "consul" && pos > i + 1 && args[i + 1] == "watch") return {Evaluation::shell, "consul watch"};  // its handler
  // Header lines and the like: curl -H "X-Trace: <v>", wget --header, user agents, referers, users.
  if ((name == "curl" || name == "curl.exe") && (runs("-H", "--header") || runs("-A", "--user-agent") || runs("-e", "--referer") || runs("-u", "--user") ||
                                                 runs("-b", "--cookie") || runs("", "--proxy-header") || runs("", "--mail-from") || runs("", "--mail-rcpt"))) {
    return {Evaluation::line, "a curl header line"};
  }
  if (name == "wget" && (runs("", "--header") || runs("-U", "--user-agent") || runs("", "--referer") || runs("", "--user") || runs("", "--password"))) {
    return {Evaluation::line, "a wget header line"};
  }
  if (name == "nginx" && nginx_directives(args, i, pos)) return {Evaluation::program, "nginx -g"};
  // make expands $(shell ...) in a command-line variable (VAR=value, even quoted for the shell)
  // and runs --eval text; any argument may be a variable (a value holding `=` makes one).
  if (name == "make" || name == "gmake") return {Evaluation::program, name};
  if (name == "psql" && value_of("-c", "--command")) return {Evaluation::sql, "psql -c"};
  if ((name == "mysql" || name == "mariadb") && value_of("-e", "--execute")) return {Evaluation::sql, name + " -e"};
  if (name == "clickhouse-client" && value_of("-q", "--query")) return {Evaluation::sql, name + " --query"};
  if (name == "sqlite3") {  // sqlite3 [-cmd SQL]... DB [SQL]...
    size_t db = after_options(args, i, "-cmd --cmd -separator -newline -nullvalue");
    if (pos > db) return {Evaluation::sql, "sqlite3"};
    if (pos < db && (args[pos - 1] == "-cmd" || args[pos - 1] == "--cmd")) return {Evaluation::sql, "sqlite3 -cmd"};
  }
  if ((name.starts_with("python") && value_of("-c", "")) || ((name == "perl" || name == "ruby" || name == "lua") && (value_of("-e", "") || value_of("-E", ""))) ||
      (name == "node" && (value_of("-e", "--eval") || value_of("-p", "--print"))) || (name == "php" && value_of("-r", ""))) {
    return {Evaluation::program, name};
  }
  Reevaluation commands = program_runs_commands(args, i) ? Reevaluation{Evaluation::program, name + " (its program runs commands with what it reads)"} : Reevaluation{};
  if (name == "awk" || name == "gawk" || name == "mawk" || name == "nawk") {
    if (option_value(args, i, "-f", "--file") != k_none) return commands;
    return pos == after_options(args, i, "-F -v -f --field-separator --assign") ? Reevaluation{Evaluation::program, name} : commands;
  }
  if (name == "sed") {
    bool scripts = option_value(args, i, "-e", "--expression") != k_none || option_value(args, i, "-f", "--file") != k_none;
    if (value_of("-e", "--expression") || (!scripts && pos == after_options(args, i, "-e -f -l --expression --file --line-length"))) {
      return {Evaluation::program, "sed"};
    }
    return commands;
  }
  if (name == "jq" && pos == after_options(args, i, "--arg --argjson --slurpfile --rawfile --args --indent -f --from-file")) return {Evaluation::program, "jq"};
  if (name == "let") return {Evaluation::arithmetic, "let"};
  if (one_of(name, k_names) || ((name == "printf" || name == "test" || name == "[" || name == "wait") && option_value(args, i, "-v", "") != k_none) ||
      (name == "wait" && option_value(args, i, "-p", "") != k_none)) {
    return {Evaluation::names, name};
  }
  if (one_of(name, k_declare)) {
    for (size_t j = i + 1; j < args.size() && is_option(args[j]); ++j) {
      if (args[j].find('i') != std::string::npos) return {Evaluation::arithmetic, name + " " + args[j]};
      if (args[j].find_first_of("aAn") != std::string::npos) return {Evaluation::names, name + " " + args[j]};
    }
  }
  return {};
}

// The commands whose standard input is code.
Reevaluation direct_stdin(const std::vector<std::string>& args, size_t i) {
  std::string name(model::program_name(args[i]));
  auto has = [&](std::initializer_list<std::string_view> flags) {
    return std::any_of(args.begin() + static_cast<long>(i) + 1, args.end(), [&](const std::string& a) { return std::find(flags.begin(), flags.end(), a) != flags.end(); });
  };
  if (one_of(name, k_shells)) {
    // bash -s, or bash alone, runs its input; bash -c '...' and bash script.sh do not.
    bool c_flag = false;
    for (size_t j = i + 1; j < args.size() && is_option(args[j]); ++j) c_flag = c_flag || (args[j][1] != '-' && args[j].find('c') != std::string::npos);
    size_t first = after_options(args, i, "-o +o -O +O");
    // bash /dev/stdin, bash - read the script from standard input too.
    bool script = first < args.size() && args[first] != "/dev/stdin" && args[first] != "/dev/fd/0" && args[first] != "-";
    return !has({"-s"}) && (c_flag || script) ? Reevaluation{} : Reevaluation{Evaluation::shell, name};
  }
  if (one_of(name, k_remote) || name == "source" || name == "." || name == "su" || name == "runuser") return {Evaluation::shell, name};
  // `exec 3<<EOF` keeps the text on a descriptor that any later command (`bash <&3`) may read as code.
  if (name == "exec" && after_options(args, i, "-a") >= args.size()) return {Evaluation::shell, "a descriptor that exec keeps open"};
  if (name == "psql" || name == "mysql" || name == "mariadb" || name == "sqlite3" || name == "clickhouse-client" || name == "cockroach") {
    return has({"-c", "--command", "-e", "--execute", "-q", "--query", "-f", "--file"}) ? Reevaluation{} : Reevaluation{Evaluation::sql, name};
  }
  if (program_runs_commands(args, i)) return {Evaluation::program, name + " (its program runs commands with what it reads)"};
  if (name == "redis-cli" || name == "mongo" || name == "mongosh" || name == "xargs" || name == "parallel" || name.starts_with("python") ||
      name == "perl" || name == "ruby" || name == "node" || name == "php" || name == "lua" || name == "irb" || name == "rails" ||
      name == "gitlab-rails" || name == "kubectl" || name == "oc" || name == "helm" || name == "at" || name == "batch" || name == "crontab") {
    return {Evaluation::program, name};
  }
  return {};
}

// Looks for an evaluating command further along the arguments of a wrapper this file does not
// know (docker run IMAGE sh -c '...', ansible -a '...').
Reevaluation search_further(const std::vector<std::string>& args, size_t i, size_t pos) {
  for (size_t j = i + 1; j < pos && j < args.size(); ++j) {
    std::string_view n = model::program_name(args[j]);
    if (n == "eval" || n == "watch" || one_of(n, k_remote) || one_of(n, k_shells) || n == "psql" || n == "mysql") {
      Reevaluation r = direct(args, j, pos);
      if (r.kind != Evaluation::none) return r;
    }
  }
  return {};
}

}  // namespace

std::vector<std::string> integer_variables(const std::vector<std::string>& args, size_t first) {
  std::vector<std::string> out;
  if (first >= args.size() || !one_of(model::program_name(args[first]), k_declare)) return out;
  bool integer = false;
  size_t j = first + 1;
  for (; j < args.size() && is_option(args[j]) && args[j] != "--"; ++j) integer = integer || (args[j][0] == '-' && args[j].find('i') != std::string::npos);
  if (!integer) return out;
  for (; j < args.size(); ++j) out.push_back(args[j].substr(0, args[j].find_first_of("=[+")));
  return out;
}

Reevaluation reevaluated_argument(const std::vector<std::string>& args, size_t first, size_t pos) {
  if (pos < first) return environment_evaluation(args, first);  // NAME=value cmd
  size_t i = first;
  for (int depth = 0; depth < 16 && i < args.size() && i < pos; ++depth) {
    Reevaluation r = direct(args, i, pos);
    if (r.kind != Evaluation::none) return r;
    std::string name(model::program_name(args[i]));
    size_t inner = wrapped(args, i, name);
    if (inner == k_all) return {Evaluation::shell, name};
    if (inner == k_none) return search_further(args, i, pos);
    if (pos < inner) return assignment(args[pos]) ? environment_evaluation(args, inner) : Reevaluation{};  // an option of the wrapper, or env's NAME=value
    size_t cmd = inner;  // env NAME=value cmd, sudo NAME=value cmd
    while (cmd < args.size() && assignment(args[cmd])) ++cmd;
    if (pos < cmd) return environment_evaluation(args, cmd);
    i = cmd;
  }
  return {};
}

Reevaluation stdin_evaluation(const std::vector<std::string>& args, size_t first) {
  size_t i = first;
  for (int depth = 0; depth < 16 && i < args.size(); ++depth) {
    Reevaluation r = direct_stdin(args, i);
    if (r.kind != Evaluation::none) return r;
    std::string name(model::program_name(args[i]));
    size_t inner = wrapped(args, i, name);
    if (inner == k_all) return {Evaluation::shell, name};
    if (inner == k_none || inner <= i) return {};
    i = inner;
  }
  return {};
}

Reevaluation environment_evaluation(const std::vector<std::string>& args, size_t first) {
  size_t i = first;
  for (int depth = 0; depth < 16 && i < args.size(); ++depth) {
    while (i + 1 < args.size() && assignment(args[i])) ++i;  // sudo NAME=value cmd
    std::string name(model::program_name(args[i]));
    if (name == "make" || name == "gmake") return {Evaluation::program, name + " (as a variable of its environment)"};
    size_t inner = wrapped(args, i, name);
    if (inner == k_none || inner == k_all || inner <= i) return {};
    i = inner;
  }
  return {};
}

ShellArgument shell_argument(const std::vector<std::string>& args, size_t first, size_t pos) {
  for (size_t j = first; j < pos && j < args.size(); ++j) {
    if (!one_of(model::program_name(args[j]), k_shells)) continue;
    size_t script = script_index(args, j);
    if (script != k_none && script < pos) return {std::to_string(pos - script - 1), script, std::string(model::program_name(args[j])) + " -c"};
  }
  return {};
}

}  // namespace opsbook::runner
