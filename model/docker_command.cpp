// Docker command reading: global options, the subcommand table (which options take a value,
// which positionals are services or containers), and the doc-test allow list.
#include "docker_command.hpp"

#include <algorithm>
#include <array>

#include "shell_lexer.hpp"
#include "shell_words.hpp"

namespace opsbook::model {

namespace {

enum class Targets { none, all, first, colon, scale };

struct SubSpec {
  std::string_view name;
  Targets targets;
  std::string_view valued;  // options that take a value, space separated
  bool needs_running;
  bool read_only;
};

// docker compose / docker-compose subcommands.
constexpr std::array k_compose_subs = {
    SubSpec{"attach", Targets::first, "--detach-keys --index", true, false},
    SubSpec{"build", Targets::all, "--build-arg --builder --progress --ssh -m --memory", false, false},
    SubSpec{"config", Targets::none, "--format --hash -o --output", false, true},
    SubSpec{"cp", Targets::colon, "--index", false, false},
    SubSpec{"create", Targets::all, "--pull --scale", false, false},
    SubSpec{"down", Targets::all, "--rmi -t --timeout", false, false},
    SubSpec{"events", Targets::all, "", false, true},
    SubSpec{"exec", Targets::first, "-e --env -u --user -w --workdir --index", true, false},
    SubSpec{"images", Targets::all, "--format", false, true},
    SubSpec{"kill", Targets::all, "-s --signal", true, false},
    SubSpec{"logs", Targets::all, "--tail -n --since --until --index", false, true},
    SubSpec{"ls", Targets::none, "--format --filter", false, true},
    SubSpec{"pause", Targets::all, "", true, false},
    SubSpec{"port", Targets::first, "--protocol --index", false, true},
    SubSpec{"ps", Targets::all, "--format --filter --status", false, true},
    SubSpec{"pull", Targets::all, "--policy", false, false},
    SubSpec{"push", Targets::all, "", false, false},
    SubSpec{"restart", Targets::all, "-t --timeout", false, false},
    SubSpec{"rm", Targets::all, "", false, false},
    SubSpec{"run", Targets::first,
            "-e --env -l --label -u --user -w --workdir -v --volume -p --publish --name --entrypoint --cap-add --cap-drop --env-from-file --pull",
            false, false},
    SubSpec{"scale", Targets::scale, "", false, false},
    SubSpec{"start", Targets::all, "", false, false},
    SubSpec{"stats", Targets::all, "--format", false, true},
    SubSpec{"stop", Targets::all, "-t --timeout", false, false},
    SubSpec{"top", Targets::all, "", true, true},
    SubSpec{"unpause", Targets::all, "", false, false},
    SubSpec{"up", Targets::all, "--scale -t --timeout --exit-code-from --wait-timeout --pull --attach --no-attach", false, false},
    SubSpec{"version", Targets::none, "-f --format", false, true},
    SubSpec{"wait", Targets::all, "", false, true},
    SubSpec{"watch", Targets::all, "", false, false},
};

// docker SUB and docker container SUB.
constexpr std::array k_container_subs = {
    SubSpec{"attach", Targets::first, "--detach-keys", true, false},
    SubSpec{"cp", Targets::colon, "", false, false},
    SubSpec{"diff", Targets::first, "", false, true},
    SubSpec{"events", Targets::none, "-f --filter --format --since --until", false, true},
    SubSpec{"exec", Targets::first, "-e --env --env-file -u --user -w --workdir --detach-keys", true, false},
    SubSpec{"export", Targets::first, "-o --output", false, false},
    SubSpec{"images", Targets::none, "-f --filter --format", false, true},
    SubSpec{"info", Targets::none, "-f --format", false, true},
    SubSpec{"inspect", Targets::all, "-f --format --type", false, true},
    SubSpec{"kill", Targets::all, "-s --signal", true, false},
    SubSpec{"logs", Targets::first, "--since --until -n --tail", false, true},
    SubSpec{"ls", Targets::none, "-f --filter --format -n --last", false, true},
    SubSpec{"pause", Targets::all, "", true, false},
    SubSpec{"port", Targets::first, "", false, true},
    SubSpec{"ps", Targets::none, "-f --filter --format -n --last", false, true},
    SubSpec{"rename", Targets::first, "", false, false},
    SubSpec{"restart", Targets::all, "-t --time -s --signal", false, false},
    SubSpec{"rm", Targets::all, "", false, false},
    SubSpec{"start", Targets::all, "--detach-keys", false, false},
    SubSpec{"stats", Targets::all, "--format", false, true},
    SubSpec{"stop", Targets::all, "-t --time -s --signal", false, false},
    SubSpec{"top", Targets::first, "", true, true},
    SubSpec{"unpause", Targets::all, "", false, false},
    SubSpec{"version", Targets::none, "-f --format", false, true},
    SubSpec{"wait", Targets::all, "", false, true},
};

// Object groups whose listing and inspection only read (`docker image ls`, `docker system df`).
struct GroupSpec {
  std::string_view group;
  std::string_view read_only;  // actions, space separated
};
constexpr std::array k_groups = {
    GroupSpec{"image", "ls list inspect history"}, GroupSpec{"network", "ls list inspect"},
    GroupSpec{"volume", "ls list inspect"},         GroupSpec{"system", "df info"},
    GroupSpec{"context", "ls list inspect show"},   GroupSpec{"plugin", "ls list inspect"},
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

bool is_daemon_option(std::string_view name) { return name == "-H" || name == "--host" || name == "-c" || name == "--context"; }

// Fills the subcommand part of `c` from words[i...] according to `spec`.
void read_arguments(DockerCommand& c, const SubSpec& spec, const std::vector<std::string>& words, size_t i) {
  c.needs_running = spec.needs_running;
  c.read_only = spec.read_only;
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
      if ((o.name == "--tail" || o.name == "-n") && value != "all") tail = true;
      no_stream = no_stream || o.name == "--no-stream";
      until = until || o.name == "--until";
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
    if (spec.targets == Targets::first) break;  // the rest is the command to run, or its options
  }
  c.any_object = spec.name == "inspect" && c.form == DockerCommand::Form::container && !type_container;
  if (spec.name == "logs" && follow) c.unbounded = "follows the log until stopped";
  else if (spec.name == "logs" && !tail) c.unbounded = "prints the whole log: add --tail N";
  else if (spec.name == "stats" && !no_stream) c.unbounded = "streams until stopped: add --no-stream";
  else if (spec.name == "events" && !(c.form == DockerCommand::Form::container && until)) c.unbounded = "streams events until stopped";
  else if (spec.name == "wait") c.unbounded = "waits until the container stops";
}

// Reads one simple command; false when it is no docker command.
bool read_one(const std::vector<ShellToken>& tokens, DockerCommand& c) {
  size_t start = skip_command_wrappers(tokens);
  if (start >= tokens.size() || tokens[start].type != ShellToken::Type::word) return false;
  for (size_t k = 0; k < start; ++k) {
    const std::string& w = tokens[k].text;
    if (w.starts_with("DOCKER_HOST=") || w.starts_with("DOCKER_CONTEXT=")) c.other_daemon = true;
    if (w.starts_with("COMPOSE_PROJECT_NAME=")) c.project = w.substr(21);
    if (w.starts_with("COMPOSE_FILE=")) c.other_file = true;
  }
  std::vector<std::string> words;
  for (size_t k = start; k < tokens.size(); ++k) words.push_back(tokens[k].text);
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
  if (spec) {
    read_arguments(c, *spec, words, i);
    return true;
  }
  for (const auto& g : k_groups) {
    if (c.form != DockerCommand::Form::container || g.group != sub) continue;
    while (i < words.size() && words[i].starts_with('-')) ++i;
    if (i < words.size()) {
      c.subcommand += " " + words[i];
      c.read_only = listed(g.read_only, words[i]);
    }
  }
  return true;
}

}  // namespace

std::vector<DockerCommand> read_docker_commands(std::string_view command_line) {
  std::vector<DockerCommand> out;
  // Every simple command, also those in loops, lists and $(...); `<name>` placeholders are words.
  shell::Script script = shell::lex(command_line, shell::Placeholders::words);
  for (const auto& simple : script.commands()) {
    std::vector<ShellToken> tokens;  // the form skip_command_wrappers reads
    for (std::uint32_t w : script.args(simple)) {
      const shell::Word& word = script.words()[w];
      tokens.push_back({ShellToken::Type::word, std::string(script.text(word)), std::string(script.raw(word)), word.quoted});
    }
    DockerCommand c;
    if (read_one(tokens, c)) out.push_back(std::move(c));
  }
  return out;
}

std::string docker_doctest_refusal(const DockerCommand& c) {
  std::string label = (c.form == DockerCommand::Form::compose ? "docker compose " : "docker ") + c.subcommand;
  if (c.subcommand.empty()) return "";  // `docker --version`, `docker compose --help`
  if (c.other_daemon) return label + " addresses another Docker daemon (-H, --context or DOCKER_HOST=): not run as a doc-test";
  if (!c.read_only) {
    return label + " changes or runs something in the stack: docker commands run as doc-tests only when they only read "
                   "(ps, inspect, logs --tail N, stats --no-stream, top, port, images)";
  }
  if (!c.unbounded.empty()) return label + " " + c.unbounded + ": not run as a doc-test";
  return "";
}

bool docker_name_has_placeholder(std::string_view name) { return name.find_first_of("<>{}$[]*`") != std::string_view::npos; }

}  // namespace opsbook::model
