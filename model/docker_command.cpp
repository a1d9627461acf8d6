// Docker command reading: global options, the subcommand table (which options take a value,
// which positionals are services or containers, which need a running container), and what
// keeps a docker command out of a doc-test (unbounded output, another daemon).
#include "docker_command.hpp"

#include <algorithm>
#include <array>

#include "safety_table.hpp"
#include "shell_lexer.hpp"

namespace opsbook::model {

namespace {

enum class Targets { none, all, first, colon, scale };

struct SubSpec {
  std::string_view name;
  Targets targets;
  std::string_view valued;  // options that take a value, space separated
  bool needs_running;
};

// docker compose / docker-compose subcommands.
constexpr std::array k_compose_subs = {
    SubSpec{"attach", Targets::first, "--detach-keys --index", true},
    SubSpec{"build", Targets::all, "--build-arg --builder --progress --ssh -m --memory", false},
    SubSpec{"config", Targets::none, "--format --hash -o --output", false},
    SubSpec{"cp", Targets::colon, "--index", false},
    SubSpec{"create", Targets::all, "--pull --scale", false},
    SubSpec{"down", Targets::all, "--rmi -t --timeout", false},
    SubSpec{"events", Targets::all, "", false},
    SubSpec{"exec", Targets::first, "-e --env -u --user -w --workdir --index", true},
    SubSpec{"images", Targets::all, "--format", false},
    SubSpec{"kill", Targets::all, "-s --signal", true},
    SubSpec{"logs", Targets::all, "--tail -n --since --until --index", false},
    SubSpec{"ls", Targets::none, "--format --filter", false},
    SubSpec{"pause", Targets::all, "", true},
    SubSpec{"port", Targets::first, "--protocol --index", false},
    SubSpec{"ps", Targets::all, "--format --filter --status", false},
    SubSpec{"pull", Targets::all, "--policy", false},
    SubSpec{"push", Targets::all, "", false},
    SubSpec{"restart", Targets::all, "-t --timeout", false},
    SubSpec{"rm", Targets::all, "", false},
    SubSpec{"run", Targets::first,
            "-e --env -l --label -u --user -w --workdir -v --volume -p --publish --name --entrypoint --cap-add --cap-drop --env-from-file --pull",
            false},
    SubSpec{"scale", Targets::scale, "", false},
    SubSpec{"start", Targets::all, "", false},
    SubSpec{"stats", Targets::all, "--format", false},
    SubSpec{"stop", Targets::all, "-t --timeout", false},
    SubSpec{"top", Targets::all, "", true},
    SubSpec{"unpause", Targets::all, "", false},
    SubSpec{"up", Targets::all, "--scale -t --timeout --exit-code-from --wait-timeout --pull --attach --no-attach", false},
    SubSpec{"version", Targets::none, "-f --format", false},
    SubSpec{"wait", Targets::all, "", false},
    SubSpec{"watch", Targets::all, "", false},
};

// docker SUB and docker container SUB.
constexpr std::array k_container_subs = {
    SubSpec{"attach", Targets::first, "--detach-keys", true},
    SubSpec{"cp", Targets::colon, "", false},
    SubSpec{"diff", Targets::first, "", false},
    SubSpec{"events", Targets::none, "-f --filter --format --since --until", false},
    SubSpec{"exec", Targets::first, "-e --env --env-file -u --user -w --workdir --detach-keys", true},
    SubSpec{"export", Targets::first, "-o --output", false},
    SubSpec{"images", Targets::none, "-f --filter --format", false},
    SubSpec{"info", Targets::none, "-f --format", false},
    SubSpec{"inspect", Targets::all, "-f --format --type", false},
    SubSpec{"kill", Targets::all, "-s --signal", true},
    SubSpec{"logs", Targets::first, "--since --until -n --tail", false},
    SubSpec{"ls", Targets::none, "-f --filter --format -n --last", false},
    SubSpec{"pause", Targets::all, "", true},
    SubSpec{"port", Targets::first, "", false},
    SubSpec{"ps", Targets::none, "-f --filter --format -n --last", false},
    SubSpec{"rename", Targets::first, "", false},
    SubSpec{"restart", Targets::all, "-t --time -s --signal", false},
    SubSpec{"rm", Targets::all, "", false},
    SubSpec{"start", Targets::all, "--detach-keys", false},
    SubSpec{"stats", Targets::all, "--format", false},
    SubSpec{"stop", Targets::all, "-t --time -s --signal", false},
    SubSpec{"top", Targets::first, "", true},
    SubSpec{"unpause", Targets::all, "", false},
    SubSpec{"version", Targets::none, "-f --format", false},
    SubSpec{"wait", Targets::all, "", false},
};

constexpr std::string_view k_docker_valued = "-H --host -c --context --config -l --log-level --tlscacert --tlscert --tlskey";
constexpr std::string_view k_compose_valued =
    "-f --file -p --project-name --project-directory --env-file --profile --ansi --parallel --progress --log-level -c --context -H --host "
    "--tlscacert --tlscert --tlskey";

bool listed(std::string_view list, std::string_view word) {
  size_t pos = 0;
  while (pos < list.size()) {
    size_t end = list.find(' ', pos);
    if (end == std::string_view::npos) end = list.size();
    if (list.substr(pos, end - pos) == word) return true;
    pos = end + 1;
  }
  return false;
}

template <size_t N>
const SubSpec* find_sub(const std::array<SubSpec, N>& table, std::string_view name) {
  for (const auto& s : table) {
    if (s.name == name) return &s;
  }
  return nullptr;
}

// One option word: its name ("--tail" of "--tail=5") and whether it carries its value.
struct Option {
  std::string_view name;
  bool inline_value = false;
  std::string_view value;
};
Option read_option(std::string_view word) {
  size_t eq = word.find('=');
  if (word.starts_with("--") && eq != std::string_view::npos) return {word.substr(0, eq), true, word.substr(eq + 1)};
  return {word, false, {}};
}

// -H, --host, -c, --context, --config, also with the value attached (-Hunix:///x.sock, -cprod).
bool is_daemon_option(std::string_view name) {
  return name.starts_with("-H") || name.starts_with("-c") || name == "--host" || name == "--context" || name == "--config";
}

// Fills the subcommand part of `c` from words[i...] according to `spec`.
void read_arguments(DockerCommand& c, const SubSpec& spec, const std::vector<std::string>& words, size_t i) {
  c.needs_running = spec.needs_running;
  c.one_off = c.form == DockerCommand::Form::compose && spec.name == "run";
  bool follow = false, tail = false, no_stream = false, until = false, type_container = false, options_end = false;
  for (; i < words.size(); ++i) {
    const std::string& w = words[i];
    if (!options_end && w == "--") {
      options_end = true;
      continue;
    }
    if (!options_end && w.size() > 1 && w[0] == '-') {
      Option o = read_option(w);
      std::string_view value = o.value;
      if (!o.inline_value && listed(spec.valued, o.name) && i + 1 < words.size()) value = words[++i];
      bool short_cluster = o.name[1] != '-' && !listed(spec.valued, o.name);
      follow = follow || o.name == "--follow" || (short_cluster && o.name.find('f') != std::string_view::npos);
      bool count = !value.empty() && std::all_of(value.begin(), value.end(), [](char ch) { return ch >= '0' && ch <= '9'; });
      if ((o.name == "--tail" || o.name == "-n") && count) tail = true;  // -1, all or a word: the whole log
      if (o.name == "--no-stream") no_stream = !o.inline_value || value == "true" || value == "1";  // the last one wins, as in docker
      // --until 10m is ten minutes ago; a timestamp may lie in the future and never come
      bool relative = value.size() > 1 && std::string_view("smh").find(value.back()) != std::string_view::npos &&
                      std::all_of(value.begin(), value.end() - 1, [](char ch) { return ch >= '0' && ch <= '9'; });
      if (o.name == "--until") until = relative;
      if (o.name == "--type" && value == "container") type_container = true;
      continue;
    }
    if (spec.targets == Targets::none) break;
    if (spec.targets == Targets::colon) {
      size_t colon = w.find(':');
      if (colon != std::string::npos && colon > 0 && w.find('/') > colon) c.targets.push_back(w.substr(0, colon));
      continue;
    }
    if (spec.targets == Targets::scale) {
      c.targets.push_back(w.substr(0, w.find('=')));
      continue;
    }
    c.targets.push_back(w);
    // exec, run: the rest is the command to run; logs web --follow: options still follow
    if (spec.targets == Targets::first && spec.name != "logs" && spec.name != "port") break;
  }
  c.any_object = spec.name == "inspect" && c.form == DockerCommand::Form::container && !type_container;
  if (spec.name == "logs" && follow) c.unbounded = "follows the log until stopped";
  else if (spec.name == "logs" && !tail) c.unbounded = "prints the whole log: add --tail N";
  else if (spec.name == "stats" && !no_stream) c.unbounded = "streams until stopped: add --no-stream";
  else if (spec.name == "events" && !(c.form == DockerCommand::Form::container && until)) c.unbounded = "streams events until stopped";
  else if (spec.name == "wait") c.unbounded = "waits until the container stops";
  else if (spec.name == "exec" || spec.name == "attach" || spec.name == "run") c.unbounded = "runs a process in a container (the Engine API's exec and start are writes)";
}

// Reads one simple command: `env` are the NAME=value words it runs with (its own and those of
// wrappers such as env), `words` the command itself; false when it is no docker command.
bool read_one(const std::vector<std::string_view>& env, const std::vector<std::string>& words, DockerCommand& c) {
  for (std::string_view w : env) {
    // DOCKER_HOST=, DOCKER_CONTEXT=; env -i and env -u DOCKER_HOST drop the environment's daemon
    if (w.starts_with("DOCKER_HOST=") || w.starts_with("DOCKER_CONTEXT=") || w.starts_with("DOCKER_CONFIG=") || w == "-i" || w == "--ignore-environment" || w == "-" ||
        w == "DOCKER_HOST" || w == "-uDOCKER_HOST" || w == "--unset=DOCKER_HOST")
      c.other_daemon = true;
    if (w.starts_with("COMPOSE_PROJECT_NAME=")) c.project = std::string(w.substr(21));
    if (w.starts_with("COMPOSE_FILE=")) c.other_file = true;
  }
  std::string tool = words[0].substr(words[0].rfind('/') + 1);
  if (tool != "docker" && tool != "docker-compose") return false;
  size_t i = 1;
  auto skip_options = [&](std::string_view valued, bool compose) {
    while (i < words.size() && words[i].size() > 1 && words[i][0] == '-') {
      Option o = read_option(words[i]);
      std::string value = o.inline_value ? std::string(o.value) : std::string();
      if (!o.inline_value && listed(valued, o.name) && i + 1 < words.size()) value = words[++i];
      if (is_daemon_option(o.name)) c.other_daemon = true;
      if (compose) {
        if (o.name == "-p" || o.name == "--project-name") c.project = value;
        if (o.name == "-f" || o.name == "--file") c.other_file = true;
        if (o.name == "--profile") c.profile = true;
      }
      ++i;
    }
  };
  if (tool == "docker") {
    skip_options(k_docker_valued, false);
    if (i < words.size() && words[i] == "compose") {
      c.form = DockerCommand::Form::compose;
      ++i;
    }
  } else {
    c.form = DockerCommand::Form::compose;
  }
  if (c.form == DockerCommand::Form::compose) skip_options(k_compose_valued, true);
  if (i >= words.size()) return true;
  std::string sub = words[i++];
  if (c.form == DockerCommand::Form::container && sub == "container" && i < words.size()) sub = words[i++];
  c.subcommand = sub;
  const SubSpec* spec = c.form == DockerCommand::Form::compose ? find_sub(k_compose_subs, sub) : find_sub(k_container_subs, sub);
  static constexpr std::string_view k_objects = " image volume network context system builder plugin node service secret config ";
  static constexpr std::string_view k_listings = " ls list inspect df info history ";
  bool listing = i < words.size() && k_objects.find(" " + sub + " ") != std::string_view::npos && k_listings.find(" " + words[i] + " ") != std::string_view::npos;
  if (spec) read_arguments(c, *spec, words, i);
  else if (!listing) c.unbounded = "is not known to end on its own";  // docker system events, docker image prune...
  return true;
}

}  // namespace

std::vector<DockerCommand> read_docker_commands(std::string_view command_line, int depth) {
  std::vector<DockerCommand> out;
  // Every simple command, also those in loops, lists and $(...); `<name>` placeholders are words.
  thread_local shell::Script script;
  shell::lex(command_line, script, shell::Placeholders::words);
  const SafetyTable& table = SafetyTable::builtin();
  std::vector<std::string_view> args;
  bool unset_host = false;  // unset DOCKER_HOST: docker falls back to the default daemon
  std::vector<std::string> inner;  // scripts given to sh -c / bash -c
  for (const auto& simple : script.commands()) {
    args.clear();
    for (std::uint32_t w : script.args(simple)) args.push_back(script.text(script.words()[w]));
    if (simple.assignments >= args.size()) continue;
    std::string_view name = args[simple.assignments].substr(args[simple.assignments].rfind('/') + 1);
    if (name == "unset" || name == "export") {
      for (size_t k = simple.assignments + 1; k < args.size(); ++k) unset_host = unset_host || args[k] == "DOCKER_HOST" || args[k] == "-n";
    }
    if (name == "sh" || name == "bash" || name == "dash" || name == "zsh" || name == "ksh") {
      for (size_t k = simple.assignments + 1; k + 1 < args.size(); ++k) {
        if (args[k].starts_with('-') && !args[k].starts_with("--") && args[k].find('c') != std::string_view::npos) inner.emplace_back(args[k + 1]);
      }
    }
    // The wrappers' own words (sudo -u x, env A=1, timeout 5) end where the table says.
    size_t start = simple.assignments + table.unwrap(Argv(args).subspan(simple.assignments));
    std::vector<std::string_view> env;
    for (size_t k = 0; k < start; ++k) {  // the wrappers' assignments and options (env -i, env -u NAME)
      if (k < simple.assignments || args[k].find('=') != std::string_view::npos || args[k].starts_with('-') || args[k] == "DOCKER_HOST") env.push_back(args[k]);
    }
    DockerCommand c;
    if (read_one(env, std::vector<std::string>(args.begin() + static_cast<long>(start), args.end()), c)) out.push_back(std::move(c));
  }
  for (const auto& text : inner) {  // after the loop: `script` is reused by the recursion
    if (depth < 4) {
      for (auto& c : read_docker_commands(text, depth + 1)) out.push_back(std::move(c));
    } else {
      DockerCommand c;
      c.subcommand = "(nested)";
      c.unbounded = "is nested in shells too deeply to read";
      out.push_back(std::move(c));
    }
  }
  if (unset_host) {
    for (auto& c : out) c.other_daemon = true;
  }
  return out;
}

std::string docker_doctest_refusal(const DockerCommand& c) {
  std::string label = (c.form == DockerCommand::Form::compose ? "docker compose " : "docker ") + c.subcommand;
  if (c.subcommand.empty()) return "";  // `docker --version`, `docker compose --help`
  if (c.other_daemon) return label + " addresses another Docker daemon (-H, --context or DOCKER_HOST=): not run as a doc-test";
  if (!c.unbounded.empty()) return label + " " + c.unbounded + ": not run as a doc-test";
  return "";
}

bool docker_name_has_placeholder(std::string_view name) { return name.find_first_of("<>{}$[]*`") != std::string_view::npos; }

}  // namespace opsbook::model
