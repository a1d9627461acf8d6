// Docker command reading: global options, the subcommand table (which options take a value,
// which positionals are services or containers, which need a running container), and what
// keeps a docker command out of a doc-test (unbounded output, another daemon).
#include "docker_command.hpp"

#include <algorithm>
#include <array>
#include <optional>

#include "safety_table.hpp"
#include "shell_lexer.hpp"
#include "text.hpp"

namespace opsbook::model {

namespace {

enum class Targets { none, all, first, colon, scale };

struct SubSpec {
  std::string_view name;
  Targets targets;
  std::string_view valued;  // options that take a value, space separated
  bool needs_running;
  std::string_view flags = "";  // options that take none; an option in neither list is unknown
};

// docker compose / docker-compose subcommands.
constexpr std::array k_compose_subs = {
    SubSpec{"attach", Targets::first, "--detach-keys --index", true},
    SubSpec{"build", Targets::all, "--build-arg --builder --progress --ssh -m --memory", false},
    SubSpec{"config", Targets::none, "--format --hash -o --output", false, "-q --quiet --services --volumes --images --profiles --resolve-image-digests --no-interpolate --no-normalize --no-path-resolution --no-consistency --environment --variables"},
    SubSpec{"cp", Targets::colon, "--index", false},
    SubSpec{"create", Targets::all, "--pull --scale", false},
    SubSpec{"down", Targets::all, "--rmi -t --timeout", false},
    SubSpec{"events", Targets::all, "", false, "--json"},
    SubSpec{"exec", Targets::first, "-e --env -u --user -w --workdir --index", true},
    SubSpec{"images", Targets::all, "--format", false, "-q --quiet"},
    SubSpec{"kill", Targets::all, "-s --signal", true},
    SubSpec{"logs", Targets::all, "--tail -n --since --until --index", false, "-f --follow -t --timestamps --no-color --no-log-prefix"},
    SubSpec{"ls", Targets::none, "--format --filter", false, "-a --all -q --quiet"},
    SubSpec{"pause", Targets::all, "", true},
    SubSpec{"port", Targets::first, "--protocol --index", false},
    SubSpec{"ps", Targets::all, "--format --filter --status", false, "-a --all -q --quiet --services --orphans --no-trunc"},
    SubSpec{"pull", Targets::all, "--policy", false},
    SubSpec{"push", Targets::all, "", false},
    SubSpec{"restart", Targets::all, "-t --timeout", false},
    SubSpec{"rm", Targets::all, "", false},
    SubSpec{"run", Targets::first,
            "-e --env -l --label -u --user -w --workdir -v --volume -p --publish --name --entrypoint --cap-add --cap-drop --env-from-file --pull",
            false},
    SubSpec{"scale", Targets::scale, "", false},
    SubSpec{"start", Targets::all, "", false},
    SubSpec{"stats", Targets::all, "--format", false, "-a --all --no-stream --no-trunc"},
    SubSpec{"stop", Targets::all, "-t --timeout", false},
    SubSpec{"top", Targets::all, "", true},
    SubSpec{"unpause", Targets::all, "", false},
    SubSpec{"up", Targets::all, "--scale -t --timeout --exit-code-from --wait-timeout --pull --attach --no-attach", false},
    SubSpec{"version", Targets::none, "-f --format", false, "--short"},
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
    SubSpec{"images", Targets::none, "-f --filter --format", false, "-a --all -q --quiet --no-trunc --digests --tree"},
    SubSpec{"info", Targets::none, "-f --format", false},
    SubSpec{"inspect", Targets::all, "-f --format --type", false, "-s --size"},
    SubSpec{"kill", Targets::all, "-s --signal", true},
    SubSpec{"logs", Targets::first, "--since --until -n --tail", false, "-f --follow -t --timestamps --details"},
    SubSpec{"ls", Targets::none, "-f --filter --format -n --last", false, "-a --all -q --quiet -s --size --no-trunc -l --latest"},
    SubSpec{"pause", Targets::all, "", true},
    SubSpec{"port", Targets::first, "", false},
    SubSpec{"ps", Targets::none, "-f --filter --format -n --last", false, "-a --all -q --quiet -s --size --no-trunc -l --latest"},
    SubSpec{"rename", Targets::first, "", false},
    SubSpec{"restart", Targets::all, "-t --time -s --signal", false},
    SubSpec{"rm", Targets::all, "", false},
    SubSpec{"start", Targets::all, "--detach-keys", false},
    SubSpec{"stats", Targets::all, "--format", false, "-a --all --no-stream --no-trunc"},
    SubSpec{"stop", Targets::all, "-t --time -s --signal", false},
    SubSpec{"top", Targets::first, "", true},
    SubSpec{"unpause", Targets::all, "", false},
    SubSpec{"version", Targets::none, "-f --format", false},
    SubSpec{"wait", Targets::all, "", false},
};

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

// The global options of docker or of its compose, as the safety table lists them (@globals): one
// list for the classifier and for doc-tests, space separated as read_options reads lists.
struct GlobalLists {
  std::string valued, flags;
};

GlobalLists global_lists(const std::string& key) {
  GlobalLists out;
  if (const GlobalOptions* g = SafetyTable::builtin().globals(key)) {
    for (const auto& o : g->valued) out.valued += (out.valued.empty() ? "" : " ") + o;
    for (const auto& o : g->flags) out.flags += (out.flags.empty() ? "" : " ") + o;
  }
  return out;
}

template <size_t N>
const SubSpec* find_sub(const std::array<SubSpec, N>& table, std::string_view name) {
  for (const auto& s : table) {
    if (s.name == name) return &s;
  }
  return nullptr;
}

// One option as docker's parser reads it: --tail=5, --tail 5, -n5, -n=5, -n 5, and each option of
// a cluster (-aq, -Dl info).
struct Option {
  std::string name;  // "--tail", "-n"
  bool has_value = false;
  std::string value;
};

// Reads the option word at words[i] (and its separate value: i then points at it) against the
// options that take a value and those that take none. An option in neither list ends the word and
// is kept in `unknown` (the first one only): what it does to the words after it is not known.
std::vector<Option> read_options(const std::vector<std::string>& words, size_t& i, std::string_view valued, std::string_view flags,
                                 std::string& unknown) {
  std::vector<Option> out;
  const std::string& w = words[i];
  auto take_next = [&](Option& o) {
    if (i + 1 >= words.size()) return;
    o.value = words[++i];
    o.has_value = true;
  };
  if (w.starts_with("--")) {
    size_t eq = w.find('=');
    Option o;
    o.name = w.substr(0, eq);
    if (eq != std::string::npos) o.value = w.substr(eq + 1), o.has_value = true;
    else if (listed(valued, o.name)) take_next(o);
    if (!listed(valued, o.name) && !listed(flags, o.name) && unknown.empty()) unknown = o.name;
    out.push_back(std::move(o));
    return out;
  }
  for (size_t k = 1; k < w.size(); ++k) {
    Option o;
    o.name = std::string("-") + w[k];
    bool takes_value = listed(valued, o.name), known = takes_value || listed(flags, o.name);
    if (!known && unknown.empty()) unknown = o.name;
    // A value option takes the rest of the word (-n5, -n=5) or the next word; so does any option
    // followed by = (-f=false); an unknown one ends the word.
    if (takes_value || !known || k + 1 == w.size() || w[k + 1] == '=') {
      std::string rest = w.substr(k + 1);
      if (!rest.empty()) o.value = rest.starts_with('=') ? rest.substr(1) : rest, o.has_value = true;
      else if (takes_value) take_next(o);
      out.push_back(std::move(o));
      break;
    }
    out.push_back(std::move(o));
  }
  return out;
}

std::string unknown_option(const std::string& name) {
  return "has option " + name + ", which opsbook does not know (what it does to the command is not known)";
}

// A boolean option's value as docker reads it (--no-stream, --no-stream=false); nullopt when it is
// not one docker accepts.
std::optional<bool> bool_value(const Option& o) {
  if (!o.has_value) return true;
  static constexpr std::string_view k_true[] = {"1", "t", "T", "true", "TRUE", "True"};
  static constexpr std::string_view k_false[] = {"0", "f", "F", "false", "FALSE", "False"};
  if (std::find(std::begin(k_true), std::end(k_true), o.value) != std::end(k_true)) return true;
  if (std::find(std::begin(k_false), std::end(k_false), o.value) != std::end(k_false)) return false;
  return std::nullopt;
}

// --until 10m is ten minutes ago; a timestamp may lie in the future and never come.
bool relative_time(std::string_view v) {
  return v.size() > 1 && std::string_view("smh").find(v.back()) != std::string_view::npos && all_digits(v.substr(0, v.size() - 1));
}

// Fills the subcommand part of `c` from words[i...] according to `spec`.
void read_arguments(DockerCommand& c, const SubSpec& spec, const std::vector<std::string>& words, size_t i) {
  c.needs_running = spec.needs_running;
  c.one_off = c.form == DockerCommand::Form::compose && spec.name == "run";
  bool follow = false, tail = false, no_stream = false, until = false, type_container = false, options_end = false;
  std::string unknown;
  for (; i < words.size(); ++i) {
    const std::string& w = words[i];
    if (!options_end && w == "--") {
      options_end = true;
      continue;
    }
    if (!options_end && w.size() > 1 && w[0] == '-') {
      // The last of repeated options counts, as in docker.
      for (const Option& o : read_options(words, i, spec.valued, spec.flags, unknown)) {
        if (o.name == "--follow" || o.name == "-f") follow = bool_value(o).value_or(true);
        if (o.name == "--tail" || o.name == "-n") tail = all_digits(o.value);  // -1, all or a word: the whole log
        if (o.name == "--no-stream") no_stream = bool_value(o).value_or(false);
        if (o.name == "--until") until = relative_time(o.value);
        if (o.name == "--type") type_container = o.value == "container";
        if (spec.name == "config" && (o.name == "-o" || o.name == "--output") && c.doubtful.empty()) c.doubtful = "writes to " + o.value;
      }
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
  if (!unknown.empty() && c.doubtful.empty()) c.doubtful = unknown_option(unknown);
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
  std::string_view tool = program_name(words[0]);
  if (tool != "docker" && tool != "docker-compose") return false;
  size_t i = 1;
  std::string unknown;
  auto skip_options = [&](std::string_view valued, std::string_view flags, bool compose) {
    for (; i < words.size() && words[i].size() > 1 && words[i][0] == '-'; ++i) {
      for (const Option& o : read_options(words, i, valued, flags, unknown)) {
        if (o.name == "-H" || o.name == "--host" || o.name == "-c" || o.name == "--context" || o.name == "--config") c.other_daemon = true;
        if (!compose) continue;
        if (o.name == "-p" || o.name == "--project-name") c.project = o.value;
        if (o.name == "-f" || o.name == "--file") c.other_file = true;
        if (o.name == "--profile") c.profile = true;
        if (o.name == "--env-file" && c.doubtful.empty()) c.doubtful = "reads variables from " + o.value + ", which may choose another daemon";
      }
    }
  };
  static const GlobalLists k_docker = global_lists("docker"), k_compose = global_lists("docker compose");
  if (tool == "docker") {
    skip_options(k_docker.valued, k_docker.flags, false);
    if (i < words.size() && words[i] == "compose") {
      c.form = DockerCommand::Form::compose;
      ++i;
    }
  } else {
    c.form = DockerCommand::Form::compose;
  }
  if (c.form == DockerCommand::Form::compose) skip_options(k_compose.valued, k_compose.flags, true);
  if (!unknown.empty() && c.doubtful.empty()) c.doubtful = unknown_option(unknown);
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
    std::vector<bool> literals;
    for (std::uint32_t w : script.args(simple)) {
      args.push_back(script.text(script.words()[w]));
      literals.push_back(script.words()[w].literal());
    }
    auto literal = [&](size_t k) { return static_cast<bool>(literals[k]); };
    if (simple.assignments >= args.size()) continue;
    std::string_view name = program_name(args[simple.assignments]);
    if (name == "unset" || name == "export") {  // also unset DOCKER_{HOST,X}, unset $name
      for (size_t k = simple.assignments + 1; k < args.size(); ++k) unset_host = unset_host || args[k] == "DOCKER_HOST" || args[k] == "-n" || !literal(k);
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
    if (!read_one(env, std::vector<std::string>(args.begin() + static_cast<long>(start), args.end()), c)) {
      // docker as an argument of a command that runs it (watch -n 1 docker ps, parallel docker ...)
      // or prlimit env docker ...: any command but those the table knows only read (echo docker).
      const SafetyRule* rule = table.match(Argv(args).subspan(start));
      if (rule != nullptr && rule->cls == RuleClass::read_only) continue;
      auto docker = std::find_if(args.begin() + static_cast<long>(start) + 1, args.end(), [](std::string_view w) {
        std::string_view base = program_name(w);
        return base == "docker" || base == "docker-compose";
      });
      if (docker == args.end()) continue;
      start = static_cast<size_t>(docker - args.begin());
      read_one(env, std::vector<std::string>(docker, args.end()), c);
    }
    // What the shell or a wrapper makes of the words is not what was read: {-f,web}, $(echo -f),
    // xargs appending words, watch repeating the command, env -vi dropping DOCKER_HOST.
    if (start > simple.assignments) c.doubtful = "runs behind " + std::string(args[simple.assignments]) + ", which may change what it does";
    if (simple.assignments > 0 && !c.other_daemon) {  // PYTHONUSERBASE=pub docker-compose ps loads the pull request's code
      c.doubtful = "runs with " + std::string(args[0].substr(0, args[0].find('='))) + " set, which may change what it does";
    }
    for (size_t k = start; k < args.size(); ++k) {
      if (literal(k)) continue;
      c.doubtful = "has a word the shell expands at run time (" + std::string(args[k]) + ")";
      break;
    }
    out.push_back(std::move(c));
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
  if (c.other_daemon) return label + " addresses another Docker daemon or configuration (-H, --context, --config or DOCKER_HOST=): not run as a doc-test";
  if (!c.doubtful.empty()) return label + " " + c.doubtful + ": not run as a doc-test";
  if (!c.unbounded.empty()) return label + " " + c.unbounded + ": not run as a doc-test";
  return "";
}

bool docker_name_has_placeholder(std::string_view name) { return name.find_first_of("<>{}$[]*`") != std::string_view::npos; }

}  // namespace opsbook::model
