// The classifier: every simple command of a shell command (nested ones included) is looked up in
// the classification table; wrappers hand their inner command on with their own class as a
// floor, consumers classify what they are given (SQL, Redis, a script, an HTTP request),
// redirections that write files mutate. Unknown tools are read-only only with a read verb.
#include "safety.hpp"

#include <algorithm>
#include <cctype>
#include <array>
#include <deque>
#include <map>
#include <optional>
#include <utility>

#include "params.hpp"
#include "program_text.hpp"
#include "redis_cli_line.hpp"
#include "environment_reset.hpp"
#include "psql_variables.hpp"
#include "http_request.hpp"
#include "network_target.hpp"
#include "safety_table.hpp"
#include "shell_assignments.hpp"
#include "shell_lexer.hpp"
#include "sql.hpp"
#include "sql_read_only.hpp"
#include "sql_reading.hpp"
#include "ssh_options.hpp"
#include "text.hpp"

namespace opsbook::model {

namespace {

// Gives a member a value for a scope and puts the old one back after it.
template <typename T>
class Scoped {
 public:
  Scoped(T& slot, T value) : m_slot(slot), m_saved(std::exchange(slot, std::move(value))) {}
  ~Scoped() { m_slot = std::move(m_saved); }
  Scoped(const Scoped&) = delete;
  Scoped& operator=(const Scoped&) = delete;

 private:
  T& m_slot;
  T m_saved;
};
using FreshEnvironment = Scoped<std::string>;

constexpr int k_max_depth = 6;  // wrappers within wrappers (sudo ssh bash -c ...)
constexpr size_t k_max_reason = 200;  // bytes of a reason, quoted words included
// What opsbook cannot read, it cannot prove harmless: the strongest gate applies.
constexpr std::string_view k_too_deep = "nested too deeply or too large for opsbook to read all of it: it cannot tell what it does";

Verdict worse(Verdict a, const Verdict& b) {
  bool interactive = a.interactive || b.interactive;
  if (static_cast<int>(b.level) > static_cast<int>(a.level) || (a.reason.empty() && b.level == a.level && !b.reason.empty())) a = b;
  a.interactive = interactive;
  return a;
}

// What a command reads on stdin.
struct Input {
  enum class Kind { none, text, file, pipe } kind = Kind::none;
  std::string text;  // heredoc body or here-string
  int line = 0;      // markdown line of the text's first line, 0 when unknown
};

// Words of an unknown tool's name and arguments that say what it does: "db-reset" says reset;
// "restart" says it changes something, which outweighs any read word beside it (supervisorctl
// restart status restarts a program named status).
enum class Says { nothing, reads, changes, destroys };

// Whether a token of a word says it changes something: a verb of starting, stopping, writing...
bool changes_word(std::string_view token) {
  static constexpr std::string_view k_changes[] = {
      "restart", "start", "stop", "reload", "kill", "set", "update", "apply", "create", "write", "edit", "install", "enable", "disable",
      "add", "put", "patch", "scale", "deploy", "run", "exec", "execute", "send", "push", "upgrade", "migrate", "repair", "fix", "move",
      "rename", "signal", "sync", "import", "load", "mount", "unmount", "umount", "attach", "detach", "promote", "failover", "switchover",
      "rotate", "approve", "cancel", "pause", "resume", "suspend", "shutdown", "reboot", "rebuild", "reindex", "vacuum", "compact",
      "evict", "drain", "cordon", "uncordon", "register", "deregister", "join", "leave", "commit", "save", "insert", "upload", "force"};
  return std::find(std::begin(k_changes), std::end(k_changes), token) != std::end(k_changes);
}

Says says(std::string_view word) {
  static constexpr std::array<std::string_view, 26> k_reads = {
      "status", "list", "ls", "show", "get", "describe", "inspect", "version", "help", "info", "check", "diff", "top",
      "logs", "health", "verify", "ping", "lint", "stats", "whoami", "plan", "validate", "query", "search", "view", "find"};
  static constexpr std::array<std::string_view, 17> k_destroys = {
      "delete", "destroy", "drop", "purge", "wipe", "erase", "remove", "prune", "flush", "flushall", "downgrade",
      "uninstall", "rm", "reset", "restore", "truncate", "rollback"};
  if (word == "-h" || word == "--help" || word == "--version" || word == "-V") return Says::reads;
  Says out = Says::nothing;
  size_t start = 0;
  for (size_t i = 0; i <= word.size(); ++i) {  // tokens between - _ : . /
    if (i < word.size() && std::string_view("-_:./").find(word[i]) == std::string_view::npos) continue;
    std::string token = to_lower(word.substr(start, i - start));
    start = i + 1;
    if (std::find(k_destroys.begin(), k_destroys.end(), token) != k_destroys.end()) return Says::destroys;
    if (changes_word(token)) out = Says::changes;
    if (out != Says::changes && std::find(k_reads.begin(), k_reads.end(), token) != k_reads.end()) out = Says::reads;
  }
  return out;
}

// An option whose name says it repairs, fixes, applies, forces, writes or deletes (btrfs check
// --repair, tool status --apply=yes): the subcommand beside it no longer only reads. Options
// after `--` are operands.
std::optional<std::string_view> writing_option(Argv words) {
  static constexpr std::string_view k_writes[] = {"repair", "fix", "apply", "force", "write", "commit", "execute", "exec", "yes", "in-place",
                                                  "inplace", "kill", "delete", "remove", "purge", "destroy", "drop", "wipe", "prune", "reset", "truncate"};
  for (size_t i = 1; i < words.size(); ++i) {
    std::string_view w = words[i];
    if (w == "--") break;
    if (w.size() < 3 || w[0] != '-') continue;
    std::string name = to_lower(w.substr(w[1] == '-' ? 2 : 1, w.find('=') == std::string_view::npos ? std::string_view::npos : w.find('=') - (w[1] == '-' ? 2 : 1)));
    if (std::find(std::begin(k_writes), std::end(k_writes), name) != std::end(k_writes)) return w;
    for (size_t start = 0, i2 = 0; i2 <= name.size(); ++i2) {  // --force-update, --auto-repair
      if (i2 < name.size() && name[i2] != '-' && name[i2] != '_') continue;
      std::string_view token = std::string_view(name).substr(start, i2 - start);
      start = i2 + 1;
      if (std::find(std::begin(k_writes), std::end(k_writes), token) != std::end(k_writes)) return w;
    }
  }
  return std::nullopt;
}

// Wrappers that, given no command, open a shell or a session: sudo -i, nsenter -t 1 -a,
// docker exec -it CTR (an error without one, never a silent read), oc rsh POD, screen.
bool opens_session(std::string_view tool) {
  static constexpr std::string_view k_sessions[] = {"sudo", "doas", "runuser", "nsenter", "chroot", "unshare", "firejail", "screen", "machinectl",
                                                    "kubectl", "oc", "docker", "podman", "docker-compose", "podman-compose", "tsh", "knife", "gcloud", "ip"};
  return std::find(std::begin(k_sessions), std::end(k_sessions), tool) != std::end(k_sessions);
}


bool writes_file(std::string_view target) {
  return !(target.empty() || target == "/dev/null" || target == "/dev/stderr" || target == "/dev/stdout" || target == "/dev/tty" ||
           target.starts_with("/dev/fd/") || std::all_of(target.begin(), target.end(), [](char c) { return (c >= '0' && c <= '9') || c == '-'; }));
}

// Writing there loses data or takes the machine down: block devices, memory, the SysRq trigger.
bool overwrites_device(std::string_view target) {
  static constexpr std::string_view k_prefixes[] = {"/dev/sd", "/dev/hd", "/dev/vd", "/dev/xvd", "/dev/nvme", "/dev/mmcblk", "/dev/md", "/dev/dm-",
                                                     "/dev/mapper/", "/dev/disk/", "/dev/mem", "/dev/kmem", "/dev/port", "/proc/sysrq-trigger"};
  return std::any_of(std::begin(k_prefixes), std::end(k_prefixes), [&](std::string_view p) { return target.starts_with(p); });
}

// The words of a simple brace list `{a,b,c}` (no quotes, expansions or nesting); empty otherwise.
std::vector<std::string_view> brace_list(std::string_view raw) {
  std::vector<std::string_view> out;
  if (raw.size() < 3 || raw.front() != '{' || raw.back() != '}' || raw.find_first_of("{}'\"\\$`", 1) != raw.size() - 1) return out;
  std::string_view inner = raw.substr(1, raw.size() - 2);
  if (inner.find(',') == std::string_view::npos) return out;
  for (size_t start = 0;;) {
    size_t comma = inner.find(',', start);
    out.push_back(inner.substr(start, comma - start));
    if (comma == std::string_view::npos) break;
    start = comma + 1;
  }
  return out;
}

// Whether a word holds a brace group the shell expands into several words ({a,b} or {1..3}).
bool brace_group(std::string_view raw) {
  for (size_t open = raw.find('{'); open != std::string_view::npos; open = raw.find('{', open + 1)) {
    size_t close = raw.find('}', open);
    if (close == std::string_view::npos) return false;
    std::string_view inner = raw.substr(open + 1, close - open - 1);
    if (inner.find(',') != std::string_view::npos || inner.find("..") != std::string_view::npos) return true;
  }
  return false;
}

// Every value of the options `opts`, in order (psql -c A -c B runs both).
std::vector<std::string_view> option_values(Argv argv, const std::vector<std::string>& opts) {
  std::vector<std::string_view> out;
  for (size_t i = 1; i < argv.size(); ++i) {
    std::string_view w = argv[i];
    if (w == "--") break;
    for (const auto& o : opts) {
      if (w == o || (o.size() == 2 && o[0] == '-' && w.size() > 2 && w[0] == '-' && w[1] != '-' && w.back() == o[1])) {
        if (i + 1 < argv.size()) out.push_back(argv[++i]);
        break;
      }
      if (o.size() > 2 && w.size() > o.size() && w.starts_with(o) && w[o.size()] == '=') {
        out.push_back(w.substr(o.size() + 1));
        break;
      }
    }
  }
  return out;
}

// The first value of the options `opts` ("-c X", "--command=X", "-lc X"), kept in *joined; nullptr when none.
const std::string_view* option_value(Argv argv, const std::vector<std::string>& opts, std::string_view* joined) {
  std::vector<std::string_view> all = option_values(argv, opts);
  if (all.empty()) return nullptr;
  *joined = all.front();
  return joined;
}

// A plain word: letters, digits and - _ : . only.
bool verb_shaped(std::string_view w) {
  return !w.empty() && std::all_of(w.begin(), w.end(), [](char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '-' || c == '_' || c == ':' || c == '.'; });
}

// A command name known only at run time: an expansion ($cmd, $(...), `...`) or a placeholder
// (<tool>, {{tool}}) that a parameter fills.
bool decided_at_run_time(std::string_view name) {
  return name.find('$') != std::string_view::npos || name.find('`') != std::string_view::npos || (name.starts_with('<') && name.ends_with('>')) ||
         (name.starts_with("{{") && name.ends_with("}}"));
}

// strace's qualifying expressions that change what a traced system call does instead of showing
// it: -e inject=..., -e fault=..., --expr=inject=... (before the traced command).
bool strace_tampers(Argv words) {
  static constexpr std::string_view k_valued = " -a -b -e -E -I -o -O -p -P -s -S -u -X -U --expr ";
  for (size_t i = 1; i < words.size(); ++i) {
    std::string_view w = words[i], value;
    if (w == "--" || !w.starts_with('-')) break;
    if ((w == "-e" || w == "--expr") && i + 1 < words.size()) value = words[i + 1];
    else if (w.starts_with("--expr=")) value = w.substr(7);
    else if (w.starts_with("-e") && !w.starts_with("--")) value = w.substr(2);
    if (value.starts_with("inject") || value.starts_with("fault")) return true;
    if (k_valued.find(" " + std::string(w) + " ") != std::string_view::npos) ++i;
  }
  return false;
}

// script writes its typescript (the operand, else ./typescript) unless that is /dev/null, and logs
// to the files -O, -I, -B and -T name (util-linux script; -qc CMD is a cluster with a value).
bool script_writes_file(Argv words) {
  static constexpr std::string_view k_valued = "cEmoOIBT", k_files = "OIBT";
  static constexpr std::string_view k_long[] = {"--log-out", "--log-in", "--log-io", "--log-timing"};
  bool output_null = false;
  auto writes = [](std::string_view file) { return file != "/dev/null"; };
  for (size_t i = 1; i < words.size(); ++i) {
    std::string_view w = words[i];
    if (w.starts_with("--") && w.size() > 2) {
      std::string_view name = w.substr(0, w.find('='));
      bool file = std::any_of(std::begin(k_long), std::end(k_long), [&](std::string_view o) { return o.starts_with(name); });
      bool valued = file || std::string_view("--command--echo--logging-format--output-limit").find(name) != std::string_view::npos;
      std::string_view value = name != w ? w.substr(name.size() + 1) : (valued && i + 1 < words.size() ? words[++i] : std::string_view{});
      if (file && writes(value)) return true;
      if (file && name.starts_with("--log-o")) output_null = true;
    } else if (w.starts_with('-') && w.size() > 1) {
      for (size_t k = 1; k < w.size(); ++k) {
        if (k_valued.find(w[k]) == std::string_view::npos) continue;
        std::string_view value = k + 1 < w.size() ? w.substr(k + 1) : (i + 1 < words.size() ? words[++i] : std::string_view{});
        if (k_files.find(w[k]) != std::string_view::npos && writes(value)) return true;
        if (w[k] == 'O') output_null = true;
        break;
      }
    } else {
      if (writes(w)) return true;
      output_null = true;
    }
  }
  return !output_null;
}

// env -S STRING (-vS'...', --split-string=..., --sp ...): the command line env splits STRING
// into, followed by the words after it; nullopt without -S.
std::optional<std::string> env_split_string(Argv words) {
  for (size_t i = 1; i < words.size(); ++i) {
    std::string_view w = words[i], value;
    bool found = false;
    if (w == "--" || !w.starts_with('-') || w.size() < 2) return std::nullopt;  // the command: env's options end
    if (w.starts_with("--")) {
      std::string_view name = w.substr(0, w.find('='));
      found = name.size() > 3 && std::string_view("--split-string").starts_with(name);
      if (found) value = name != w ? w.substr(name.size() + 1) : (i + 1 < words.size() ? words[++i] : std::string_view{});
      else if (name == w && (std::string_view("--unset").starts_with(name) || std::string_view("--chdir").starts_with(name)) && name.size() > 3) ++i;
    } else {
      for (size_t k = 1; k < w.size(); ++k) {
        if (w[k] != 'S' && w[k] != 'u' && w[k] != 'C') continue;
        std::string_view rest = k + 1 < w.size() ? w.substr(k + 1) : (i + 1 < words.size() ? words[++i] : std::string_view{});
        if (w[k] == 'S') found = true, value = rest;
        break;
      }
    }
    if (!found) continue;
    std::string text(value);
    for (size_t j = i + 1; j < words.size(); ++j) text += " " + std::string(words[j]);
    return text;
  }
  return std::nullopt;
}

// git -C DIR with a relative DIR other than `.`: the repository there is one a pull request can
// commit (a gitfile to a folder of its own): its configuration's filter drivers, fsmonitor and
// uploadpack run programs (s8c review R2). An absolute DIR (/srv/app) is left to its row.
bool git_in_nested_repository(Argv words) {
  for (size_t i = 1; i < words.size(); ++i) {
    std::string_view w = words[i];
    if (!w.starts_with('-')) return false;  // the subcommand: git's own options end
    std::string_view dir;
    if (w == "-C" && i + 1 < words.size()) dir = words[++i];
    else if (w.starts_with("-C") && w.size() > 2) dir = w.substr(2);
    else if (w == "-c" || w == "--namespace" || w == "--exec-path" || w == "--config-env") ++i;  // a value
    if (dir.empty() || dir.find_first_of("$`") != std::string_view::npos) continue;  // a value: classified again once filled
    while (dir.size() > 1 && (dir.front() == '"' || dir.front() == '\'')) dir.remove_prefix(1);
    while (dir.size() > 1 && (dir.back() == '/' || dir.back() == '"' || dir.back() == '\'')) dir.remove_suffix(1);
    if (!dir.starts_with('/') && !dir.starts_with('~') && dir != ".") return true;
  }
  return false;
}

// An openssl option that names a file it writes: every option whose name ends in "out"
// (-out, -keyout, -reqout, -respout, -certsout, -extracertsout, -rspout...) but -noout and
// -timeout; nullopt when there is none.
std::optional<std::string_view> openssl_output_option(Argv words) {
  for (auto w : words.subspan(1)) {
    if (w.size() < 4 || w[0] != '-') continue;
    std::string name = to_lower(w.substr(w[1] == '-' ? 2 : 1, w.find('=') == std::string_view::npos ? std::string_view::npos : w.find('=') - (w[1] == '-' ? 2 : 1)));
    if (name.ends_with("out") && name != "noout" && name != "timeout") return w;
  }
  return std::nullopt;
}

// kubectl proxy or port-forward that listens beyond the loopback interface, or lets any host,
// path or method through: it exposes the cluster (with the operator's credentials) or a pod's
// port to the network until stopped. The reason, or nullopt.
std::optional<std::string> kubectl_exposes(Argv words, const std::vector<size_t>& pos) {
  if (pos.empty() || (words[pos[0]] != "proxy" && words[pos[0]] != "port-forward")) return std::nullopt;
  for (size_t i = 1; i < words.size(); ++i) {
    std::string_view w = words[i];
    if (w == "--") break;
    size_t eq = w.find('=');
    std::string_view name = w.substr(0, eq);
    bool joined = eq != std::string_view::npos;
    std::string_view value = joined ? w.substr(eq + 1) : (i + 1 < words.size() ? words[i + 1] : std::string_view{});
    if (name == "--address") {
      for (size_t start = 0; start <= value.size();) {
        size_t comma = value.find(',', start);
        std::string_view a = value.substr(start, comma - start);
        if (!binds_loopback_only(a)) return "kubectl " + std::string(words[pos[0]]) + " listens on " + std::string(a.empty() ? "an empty address" : a) + ", beyond this machine: it exposes the cluster or the pod to the network";
        if (comma == std::string_view::npos) break;
        start = comma + 1;
      }
    }
    if (name == "--accept-hosts" || name == "--accept-paths" || name == "--reject-paths" || name == "--reject-methods") {
      return "kubectl proxy " + std::string(name) + " widens what the proxy lets through with the operator's credentials";
    }
    if (name == "--disable-filter" && (!joined || value != "false")) return "kubectl proxy --disable-filter lets any host, path and method through with the operator's credentials";
  }
  return std::nullopt;
}

// tar -f HOST:FILE reads or writes the archive on HOST through rsh, unless --force-local.
bool tar_remote_archive(Argv words) {
  auto remote = [](std::string_view file) {
    size_t colon = file.find(':');
    return colon != std::string_view::npos && colon > 0 && file.substr(0, colon).find('/') == std::string_view::npos;
  };
  if (std::find(words.begin(), words.end(), std::string_view("--force-local")) != words.end()) return false;
  for (size_t i = 1; i < words.size(); ++i) {
    std::string_view w = words[i];
    if (w == "--") break;
    std::string_view value;
    if (w.starts_with("--")) {
      std::string_view name = w.substr(0, w.find('='));
      if (name.size() < 4 || !std::string_view("--file").starts_with(name)) continue;
      value = name != w ? w.substr(name.size() + 1) : (i + 1 < words.size() ? words[i + 1] : std::string_view{});
    } else if (size_t f = w.find('f'); f != std::string_view::npos && (w.starts_with('-') || (i == 1 && w.find_first_not_of("Acdtrux" "vfzjJpPkSOmhlWwBGginN") == std::string_view::npos))) {
      value = w.starts_with('-') && f + 1 < w.size() ? w.substr(f + 1) : (i + 1 < words.size() ? words[i + 1] : std::string_view{});
    }
    if (remote(value)) return true;
  }
  return false;
}

// Cron lines ("0 3 * * * cmd", "@daily cmd") document a schedule: the command part is classified.
std::string_view strip_cron_schedule(std::string_view line) {
  if (line.starts_with('@')) {
    size_t sp = line.find(' ');
    return sp == std::string_view::npos ? line : trim(line.substr(sp));
  }
  size_t pos = 0;
  for (int field = 0; field < 5; ++field) {
    while (pos < line.size() && line[pos] == ' ') ++pos;
    size_t start = pos;
    while (pos < line.size() && line[pos] != ' ') {
      char c = line[pos];
      if (!((c >= '0' && c <= '9') || c == '*' || c == '/' || c == ',' || c == '-')) return line;
      ++pos;
    }
    if (pos == start) return line;
  }
  return trim(line.substr(pos));
}


// The text the first command of a pipe writes, when the runbook shows all of it: `echo` or
// `printf` of words without expansions, `cat` of such a heredoc or here-string.
// `echo "DROP TABLE t;" | psql` feeds psql that SQL.
std::optional<std::string> piped_text(const shell::Script& s, const shell::SimpleCommand& c) {
  auto args = s.args(c);
  if (c.pipe_prev >= 0 || c.assignments >= args.size()) return std::nullopt;
  std::string_view tool = program_name(s.text(s.words()[args[c.assignments]]));
  if (tool == "cat" && args.size() == c.assignments + 1) {
    for (auto ri : s.redirects(c)) {
      const shell::Redirect& r = s.all_redirects()[ri];
      bool complete = true;
      if (r.heredoc >= 0) {
        std::string text = s.heredoc_text(s.heredocs()[static_cast<size_t>(r.heredoc)], &complete);
        return complete ? std::optional<std::string>(std::move(text)) : std::nullopt;
      }
      if (r.op == shell::RedirectOp::herestring && r.target >= 0 && !s.words()[static_cast<size_t>(r.target)].expands) {
        return std::string(s.text(s.words()[static_cast<size_t>(r.target)])) + "\n";
      }
    }
    return std::nullopt;
  }
  if (tool != "echo" && tool != "printf") return std::nullopt;
  for (size_t i = c.assignments + 1; i < args.size(); ++i) {
    if (s.words()[args[i]].expands) return std::nullopt;
  }
  std::string out;
  size_t i = c.assignments + 1;
  while (tool == "echo" && i < args.size() && (s.text(s.words()[args[i]]) == "-n" || s.text(s.words()[args[i]]) == "-e" || s.text(s.words()[args[i]]) == "-E")) ++i;
  for (; i < args.size(); ++i) out.append(out.empty() ? "" : " ").append(s.text(s.words()[args[i]]));
  for (size_t at; (at = out.find("\\n")) != std::string::npos;) out.replace(at, 2, "\n");  // echo -e, printf
  return out + "\n";
}

// What the shell makes of an expansion in a command's word when it runs.
enum class Expansion {
  safe,     // one word that is never an option: a number, $#, a value opsbook run fills and checks
  literal,  // the value of a variable the runbook sets to text it writes out
  unknown,  // text known only at run time
  list,     // any number of words ("$@", "${a[@]}")
};

bool expansion_span(shell::SpanKind k) {
  using shell::SpanKind;
  return k == SpanKind::variable || k == SpanKind::param || k == SpanKind::command_sub || k == SpanKind::backtick || k == SpanKind::arith ||
         k == SpanKind::process_sub;
}

// Whether a pattern at a word's start can match a name that starts with '-' (a committed file
// named -ofile): * and ? can, a bracket when it is negated or holds '-', a brace group when one of
// its words starts with '-' or a pattern.
bool pattern_may_be_option(std::string_view raw) {
  if (raw.starts_with('*') || raw.starts_with('?')) return true;
  size_t close = raw.find(raw.starts_with('[') ? ']' : '}', 1);
  if (close == std::string_view::npos || !(raw.starts_with('[') || raw.starts_with('{'))) return false;
  std::string_view inner = raw.substr(1, close - 1);
  if (raw.starts_with('{')) return inner.find_first_of("-*?[{") != std::string_view::npos;
  if (inner.starts_with('!') || inner.starts_with('^') || inner.starts_with('-') || inner.ends_with('-')) return true;
  for (size_t i = 1; i + 1 < inner.size(); ++i) {
    if (inner[i] == '-' && inner[i - 1] <= '-' && inner[i + 1] >= '-') return true;  // a range over '-': +-/
  }
  return false;
}

// Splits a value as bash splits an unquoted expansion with the default IFS.
std::vector<std::string_view> split_blanks(std::string_view value) {
  std::vector<std::string_view> out;
  for (size_t i = 0; i < value.size();) {
    size_t end = value.find_first_of(" \t\n", i);
    if (end == std::string_view::npos) end = value.size();
    if (end > i) out.push_back(value.substr(i, end - i));
    i = end + 1;
  }
  return out;
}

// The class a command can take in a row's form: a wrapper runs a command opsbook cannot read, a
// consumer any SQL, request or program it is given.
Safety form_level(const SafetyRule& r) {
  switch (r.cls) {
    case RuleClass::read_only:
    case RuleClass::interactive: return Safety::read_only;
    case RuleClass::mutating: return Safety::mutating;
    case RuleClass::destructive: return Safety::destructive;
    case RuleClass::floor: return r.floor;
    case RuleClass::by_verb: return Safety::mutating;
    case RuleClass::wrapper: return r.floor == Safety::destructive ? Safety::destructive : Safety::mutating;
    case RuleClass::consumer:
      return r.consumer == ConsumerKind::shell || r.consumer == ConsumerKind::awk || r.consumer == ConsumerKind::sed ? Safety::mutating : Safety::destructive;
  }
  return Safety::mutating;
}

// What a row's form does, for a message.
std::string form_reason(const SafetyRule& r) {
  if (r.cls == RuleClass::consumer) {
    switch (r.consumer) {
      case ConsumerKind::sql: return "runs any SQL it is given (-c 'DROP TABLE t')";
      case ConsumerKind::redis: return "runs any Redis command (FLUSHALL)";
      case ConsumerKind::http: return "sends any request (-X DELETE) or writes a file (-o FILE)";
      case ConsumerKind::shell: return "runs any command it is given (-c CMD)";
      case ConsumerKind::awk:
      case ConsumerKind::sed: return "runs any program it is given (system(), w FILE)";
      case ConsumerKind::mongo:
      case ConsumerKind::ruby: return "runs any code it is given";
    }
  }
  if (r.cls == RuleClass::wrapper) return r.reason + ", which opsbook cannot read";
  return r.reason + " (" + r.example.substr(0, r.example.find(" => ")) + ")";
}

class Classifier {
 public:
  Classifier(std::vector<SafetyReason>* reasons, std::string_view top, int line) : m_reasons(reasons), m_top(top), m_line(line), m_current_line(line) {}

  Verdict script(std::string_view text, const Input& input, int depth);
  Verdict in_language(std::string_view text, CommandLang lang);

 private:
  // What the runbook shows of a variable its scripts set.
  struct Known {
    std::vector<std::string> values;  // the texts it may hold, as the runbook writes them
    bool system = false;              // or what a command that asks a system prints (system_output)
  };
  using Variables = std::map<std::string, std::optional<Known>, std::less<>>;  // nullopt: not known
  Verdict simple(const shell::Script& s, const shell::SimpleCommand& c, const Input& input, int depth);
  Verdict argv(Argv words, const Input& in, int depth);
  Verdict matched(Argv words, const Input& in, int depth);
  Verdict guard_dropped(Argv words);
  Verdict wrapper(const SafetyRule& rule, Argv words, const Input& in, int depth);
  Verdict consumer(const SafetyRule& rule, Argv words, const Input& in, int depth);
  // `postgres`: psql runs it, so a call to a function the database defines counts too.
  Verdict sql(std::string_view text, int line, int depth, SqlText from = SqlText::client_input, SqlClient client = SqlClient::other, std::vector<std::string> numbers = {},
              PsqlVariables vars = PsqlVariables::known);
  Verdict evaluated_text(const shell::Script& s);
  Verdict mysql_commands(std::string_view text, int line, int depth);
  Verdict redis_lines(std::string_view text);
  Verdict redis(Argv words);
  Verdict http(Argv words);
  Verdict by_verb(Argv words, bool name_counts, int depth);
  Verdict names_set(const shell::Script& s, const std::vector<Assignment>& assigned);
  Expansion expansion(const shell::Script& s, const shell::Span& sp, bool quoted, std::vector<std::string>* values) const;
  Variables with_assignments(const shell::Script& s, const std::vector<Assignment>& assigned) const;
  std::optional<Known> word_value(const shell::Script& s, const shell::Word& w, size_t skip, const Variables& here) const;
  [[nodiscard]] bool system_output(std::string_view code) const;
  void read_words(const shell::Script& s, const shell::SimpleCommand& c, std::vector<std::string_view>& words);
  Verdict unread_words(Argv words);
  // A command that, named alone, the table rates as changing something or running another.
  [[nodiscard]] bool runs_or_changes(std::string_view tool) const;
  Verdict program(const SafetyRule& rule, Argv words);
  Verdict console(const SafetyRule& rule, Argv words, const std::string_view* value, const Input& in);
  Verdict hidden_code(const shell::Script& s);
  Verdict output_redirect(shell::RedirectOp op, std::string_view target);
  Verdict powershell(std::string_view text);
  Verdict console_methods(std::string_view text, CommandLang lang);
  std::string label(const SafetyRule& rule, Argv words) const;
  Verdict note(Verdict v, int line = 0);
  int line_of(size_t offset);

  const SafetyTable& m_table = SafetyTable::builtin();
  std::vector<SafetyReason>* m_reasons;
  std::string_view m_top;  // the command's own text: offsets into it give lines
  int m_line;
  int m_current_line;
  std::vector<size_t> m_newlines;  // line starts in m_top, for line_of
  std::string m_fresh_env;  // the wrapper that replaced the environment of the command classified, if any
  // The variables the scripts being read assign (outer scripts' too): a value the runbook writes
  // out, or nullopt for one made at run time.
  Variables m_vars;
  // Words of the commands being read that the shell may turn into any words or options when it
  // runs (an expansion or a pattern), by the address of their text.
  struct Unread {
    const char* data;
    size_t size;
    bool spills;  // may become several words: no option's value holds all of it
  };
  std::vector<Unread> m_unread;
  std::deque<std::string> m_held;  // the words of variables the runbook sets, read in their place
};

// What an output redirection does: >&2 duplicates a descriptor, > /dev/null writes nothing,
// > FILE and >&FILE write a file, > /dev/sda or /proc/sysrq-trigger destroy. Input ones: nothing.
Verdict Classifier::output_redirect(shell::RedirectOp op, std::string_view target) {
  using shell::RedirectOp;
  if (bash_network_path(target)) return note(Verdict{Safety::mutating, "connects to " + std::string(target) + " (bash's /dev/tcp): the command can send any bytes to that server"});
  if (op == RedirectOp::in || op == RedirectOp::dup_in || op == RedirectOp::heredoc || op == RedirectOp::heredoc_tabs || op == RedirectOp::herestring) return {};
  if (overwrites_device(target)) return note(Verdict{Safety::destructive, "writes to " + std::string(target) + ": a disk, memory or the kernel's trigger"});
  if (writes_file(target)) return note(Verdict{Safety::mutating, "writes the file " + std::string(target)});
  return {};
}

Verdict Classifier::note(Verdict v, int line) {
  if (v.reason.size() > k_max_reason) {  // a reason quotes words: a 1 MB word must not make a 1 MB reason per level
    size_t cut = k_max_reason;
    while (cut > 0 && (static_cast<unsigned char>(v.reason[cut]) & 0xC0) == 0x80) --cut;  // not inside a UTF-8 sequence
    v.reason = v.reason.substr(0, cut) + "…";
  }
  if (m_reasons != nullptr && (v.level != Safety::read_only || v.interactive) && !v.reason.empty()) {
    int at = line > 0 ? line : m_current_line;
    bool seen = std::any_of(m_reasons->begin(), m_reasons->end(), [&](const SafetyReason& r) { return r.line == at && r.reason == v.reason; });
    if (!seen) m_reasons->push_back(SafetyReason{at, v.level, v.reason});
  }
  return v;
}

int Classifier::line_of(size_t offset) {
  if (m_newlines.empty() && !m_top.empty()) {  // offsets of the command's newlines, found once: O(log n) per lookup
    m_newlines.push_back(0);
    for (size_t i = m_top.find('\n'); i != std::string_view::npos; i = m_top.find('\n', i + 1)) m_newlines.push_back(i + 1);
  }
  auto past = std::upper_bound(m_newlines.begin(), m_newlines.end(), std::min(offset, m_top.size()));
  return m_line + static_cast<int>(past - m_newlines.begin()) - 1 + (m_newlines.empty() ? 1 : 0);
}

// What a script does beyond its commands' words: variables through which tools pick programs
// (PAGER='touch x' git log, BASH_CMDS[ls]=/bin/rm), quoted code that bash evaluates later
// (x='a[$(touch f)]'; echo $((x)); PS4='$(id)'; printf -v 'a[$(id)]'). Background commands (cmd &)
// are the runner's: it kills the snippet's process group when the snippet ends.
Verdict Classifier::hidden_code(const shell::Script& s) {
  Verdict v;
  // Arguments of tools that print, match or send them (echo path=x, curl -d PATH=x, kubectl -l
  // app=x) set no variable; any other tool's may (env, sudo, export, make, ssh host...).
  static constexpr std::string_view k_no_assignments[] = {"echo", "printf", "logger", "grep", "egrep", "fgrep", "jq", "cut",
                                                          "column", "test", "[", "curl", "wget", "kubectl", "oc", "helm"};
  std::vector<bool> data_word(s.words().size(), false);
  for (const auto& c : s.commands()) {
    auto ids = s.args(c);
    if (ids.size() <= c.assignments || !s.words()[ids[c.assignments]].literal()) continue;
    std::string_view name = s.text(s.words()[ids[c.assignments]]);
    if (std::find(std::begin(k_no_assignments), std::end(k_no_assignments), name) == std::end(k_no_assignments)) continue;
    for (size_t k = c.assignments + 1; k < ids.size(); ++k) data_word[ids[k]] = true;
  }
  for (size_t i = 0; i < s.words().size(); ++i) {
    const auto& w = s.words()[i];
    std::string_view t = s.text(w);
    if (w.role == shell::WordRole::assignment || (w.role == shell::WordRole::arg && !data_word[i])) {
      size_t end = 0;
      while (end < t.size() && is_ident_char(t[end])) ++end;
      std::string_view name = t.substr(0, end);
      bool sets = end > 0 && end < t.size() && std::string_view("=[+%").find(t[end]) != std::string_view::npos && t.find('=') != std::string_view::npos;
      if (sets && !std::isdigit(static_cast<unsigned char>(name[0])) && env_var_runs_programs(name)) {
        v = worse(v, note(Verdict{Safety::mutating, "sets " + std::string(name) + ", through which the commands it reaches run programs of its choosing"}));
      }
    }
    if (w.role == shell::WordRole::name && env_var_runs_programs(t)) {  // for PATH in pub:/usr/bin; do ...
      v = worse(v, note(Verdict{Safety::mutating, "sets " + std::string(t) + ", through which the commands it reaches run programs of its choosing"}));
    }
    bool code = t.find("$(") != std::string_view::npos || t.find('`') != std::string_view::npos;
    bool subscript = t.find('[') != std::string_view::npos && t.find('[') < std::min(t.find("$("), t.find('`'));
    if (code && w.quoted && (w.role == shell::WordRole::assignment || subscript)) {
      v = worse(v, note(Verdict{Safety::mutating, "holds quoted code (" + std::string(t.substr(0, 40)) + ") that bash may run later, in arithmetic, a subscript, PS4 or a name reference"}));
    }
  }
  return v;
}

// Names the script assigns other than by NAME=value words (hidden_code's): builtins (read -r
// DOCKER_HOST, printf -v HOME, declare -n r=PATH, declare +x DOCKER_HOST, mapfile, getopts, unset)
// and arithmetic ((( GIT_CONFIG_COUNT = 0 )), $((X++)), [[ X=0 -eq 0 ]], let, declare -i), and
// arithmetic that evaluates a value made at run time again (n=$(cat f); $((n)): a[$(cmd)], X=0).
Verdict Classifier::names_set(const shell::Script& s, const std::vector<Assignment>& assigned) {
  for (const Assignment& a : assigned) {
    if (a.how.starts_with("for") || a.how.ends_with('=')) continue;  // for NAME and NAME=value: hidden_code reads them
    if (a.kind == AssignKind::name_reference) {
      return note(Verdict{Safety::mutating, a.how + " makes a name reference: what is assigned through it sets a variable named elsewhere"});
    }
    if (a.kind == AssignKind::dynamic_name) return note(Verdict{Safety::mutating, a.how + " " + a.value.substr(0, 40) + " sets a variable whose name is decided at run time"});
    if (env_var_runs_programs(a.name)) return note(Verdict{Safety::mutating, a.how + " sets " + a.name + ", through which the commands it reaches run programs of its choosing"});
  }
  for (const std::string& name : arithmetic_reads(s)) {
    auto it = m_vars.find(name);
    bool numbers = it != m_vars.end() && it->second && !it->second->system && std::all_of(it->second->values.begin(), it->second->values.end(), [](const std::string& x) { return all_digits(x); });
    if (it == m_vars.end() || numbers) continue;  // not the snippet's, or a number
    return note(Verdict{Safety::mutating, "arithmetic evaluates the value of " + name + ", which the snippet sets" +
                                              (it->second && !it->second->system ? " to text" : " at run time") + ", as arithmetic again: it can assign any variable (X=0) or run a command (a[$(cmd)])"});
  }
  return {};
}

// Expansions that evaluate text made at run time as code: ${a[i]}, ${x:i}, ${!x}, ${x@P} (their
// subscript, offset, name or prompt), and $_, the last word of the previous command, which a
// script can build (`tr % '$'`) where no reader sees it.
Verdict Classifier::evaluated_text(const shell::Script& s) {
  for (const auto& sp : s.spans()) {
    std::string_view t = s.source().substr(sp.begin, sp.end - sp.begin);
    if (sp.kind == shell::SpanKind::param) {
      if (auto why = evaluating_expansion(t)) return note(Verdict{Safety::mutating, *why});
      if (t.starts_with("${_") && (t.size() == 4 || !is_ident_char(t[3]))) return note(Verdict{Safety::mutating, "uses $_, text the previous command made at run time"});
    }
    if (sp.kind == shell::SpanKind::variable && t == "$_") return note(Verdict{Safety::mutating, "uses $_, text the previous command made at run time"});
  }
  return {};
}

Verdict Classifier::script(std::string_view text, const Input& input, int depth) {
  if (depth > k_max_depth) return note(Verdict{Safety::destructive, std::string(k_too_deep)});
  thread_local std::array<shell::Script, k_max_depth + 1> t_scripts;  // one per depth: reused, not reallocated
  shell::Script& s = t_scripts[static_cast<size_t>(depth)];
  shell::lex(text, s, shell::Placeholders::words);
  Verdict v;
  for (const auto& e : s.errors()) {
    if (e.kind == shell::ErrorKind::too_deep || e.kind == shell::ErrorKind::too_large) v = note(Verdict{Safety::destructive, std::string(k_too_deep)});
  }
  std::vector<Assignment> assigned = shell_assignments(s);
  Scoped<Variables> vars(m_vars, with_assignments(s, assigned));
  v = worse(v, hidden_code(s));
  v = worse(v, names_set(s, assigned));
  v = worse(v, evaluated_text(s));
  bool top = text.data() == m_top.data();
  bool first = true;
  for (const auto& c : s.commands()) {
    if (top) m_current_line = line_of(c.begin);
    // Input handed down (ssh host bash -s <<X) goes to the first command that reads stdin.
    Input in = first && c.pipe_prev < 0 ? input : Input{};
    first = false;
    v = worse(v, simple(s, c, in, depth));
  }
  for (const auto& r : s.all_redirects()) {  // done > file, } 2> log
    if (r.command < 0 && r.target >= 0) v = worse(v, output_redirect(r.op, s.text(s.words()[static_cast<size_t>(r.target)])));
  }
  return v;
}

Verdict Classifier::simple(const shell::Script& s, const shell::SimpleCommand& c, const Input& outer, int depth) {
  Verdict v;
  Input in = outer;
  if (c.pipe_prev >= 0) {
    in.kind = Input::Kind::pipe;
    if (auto fed = piped_text(s, s.commands()[static_cast<size_t>(c.pipe_prev)])) in = Input{Input::Kind::text, std::move(*fed), 0};
  }
  for (auto ri : s.redirects(c)) {
    const shell::Redirect& r = s.all_redirects()[ri];
    std::string_view target = r.target >= 0 ? s.text(s.words()[static_cast<size_t>(r.target)]) : std::string_view{};
    switch (r.op) {
      case shell::RedirectOp::heredoc:
      case shell::RedirectOp::heredoc_tabs:
        if (r.heredoc >= 0) {
          const shell::Heredoc& h = s.heredocs()[static_cast<size_t>(r.heredoc)];
          in = Input{Input::Kind::text, s.heredoc_text(h), s.source().data() == m_top.data() ? line_of(h.body_begin) : 0};
        }
        break;
      case shell::RedirectOp::herestring: in = Input{Input::Kind::text, std::string(target) + "\n", 0}; break;
      case shell::RedirectOp::in:
        v = worse(v, output_redirect(r.op, target));  // < /dev/tcp/... connects
        if (target == "/dev/tty") v = worse(v, note(Verdict{Safety::read_only, "reads the terminal (< /dev/tty) (interactive)", true}));
        in = Input{Input::Kind::file, std::string(target), 0};
        break;
      case shell::RedirectOp::dup_in: break;
      default: v = worse(v, output_redirect(r.op, target)); break;
    }
  }
  std::vector<std::string_view> words;
  auto args = s.args(c);
  Scoped<std::vector<Unread>> unread(m_unread, m_unread);
  read_words(s, c, words);
  if (args.size() <= c.assignments) return v;  // NAME=value only
  if (words.empty()) return worse(v, note(Verdict{Safety::mutating, "the command `" + std::string(s.text(s.words()[args[c.assignments]])) + "` is decided at run time"}));
  const shell::Word& name = s.words()[args[c.assignments]];
  std::vector<std::string_view> braced = brace_list(s.raw(name));
  if (name.globs && !braced.empty()) {  // {rm,-rf,/x}: the shell makes words of the list
    braced.insert(braced.end(), words.begin() + 1, words.end());
    return worse(v, argv(braced, in, depth));
  }
  if (name.globs && words[0] != "[" && words[0].find_first_of("*?[") != std::string_view::npos) {
    return worse(v, note(Verdict{Safety::destructive, "the command name " + std::string(words[0]) + " is a pattern the shell expands: opsbook cannot tell which program runs"}));
  }
  return worse(v, argv(words, in, depth));
}

// What a command substitution prints is the system's, not the runbook's, when a command that
// asks a system for names and numbers (kubectl get, date, hostname, seq...) and only reads prints
// it, through filters that read nothing but that output (| awk PROGRAM, | jq FILTER, | head -1),
// and no word the runbook writes chooses text it prints (date +-x, -o jsonpath=-x, seq -s ' -x ',
// awk 'BEGIN{print "-x"}' would): no '-', quote or '+' in an operand, a program or a format.
// `$(cat f)`, `$(ls)`, `$(echo -x)` and `$(curl URL)` are the runbook's or the checkout's.
bool Classifier::system_output(std::string_view code) const {
  static constexpr std::string_view k_producers[] = {"kubectl", "oc", "seq", "date", "hostname", "whoami", "id", "uname", "nproc", "pgrep", "pidof",
                                                     "gcloud", "aws", "az", "crictl", "systemctl"};
  struct Filter {
    std::string_view tool;
    size_t operands;  // its program or pattern: any more would be files
  };
  static constexpr Filter k_filters[] = {{"awk", 1}, {"gawk", 1}, {"jq", 1}, {"grep", 1}, {"egrep", 1}, {"sed", 1}, {"cut", 0}, {"head", 0},
                                         {"tail", 0}, {"tr", 2},  {"sort", 0}, {"uniq", 0}, {"wc", 0},   {"column", 0}};
  // Options whose values name what to ask (a namespace, a label), never text to print.
  static constexpr std::string_view k_names[] = {"-n", "--namespace", "-l", "--selector", "--field-selector", "-c", "--container", "--context", "--zone", "--project", "--region", "--cluster"};
  auto runbook_text = [](std::string_view w) { return w.find_first_of("-\"'") != std::string_view::npos || w.starts_with('+'); };
  shell::Script s = shell::lex(code, shell::Placeholders::words);
  if (!s.syntax_ok() || s.units().size() != 1 || s.commands().empty() || !s.heredocs().empty()) return false;
  for (const auto& c : s.commands()) {
    auto args = s.args(c);
    if (c.assignments > 0 || args.empty() || c.span >= 0 || !s.redirects(c).empty()) return false;  // one plain pipeline
    if (&c != &s.commands().front() && c.pipe_prev < 0) return false;
    std::vector<std::string_view> words;
    for (auto a : args) words.push_back(s.text(s.words()[a]));
    std::string_view tool = program_name(words[0]);
    auto filter = std::find_if(std::begin(k_filters), std::end(k_filters), [&](const Filter& x) { return x.tool == tool; });
    if (c.pipe_prev < 0) {
      if (std::find(std::begin(k_producers), std::end(k_producers), tool) == std::end(k_producers)) return false;
      const SafetyRule* rule = m_table.match(words);
      if (rule == nullptr || rule->cls != RuleClass::read_only || m_table.floor(words) != nullptr || !m_table.unread_option(words).empty()) return false;
    } else if (filter == std::end(k_filters)) {
      return false;
    }
    size_t operands = 0;
    for (size_t i = 1; i < words.size(); ++i) {
      std::string_view w = words[i];
      if (w == "-e" || w == "-f" || w.find("file") != std::string_view::npos || w == "--") return false;  // a program from a file, a format
      if (tool == "seq" && w.starts_with('-') && w != "-w") return false;  // -s SEP, --format: text it prints
      if (w.starts_with('<') && w.ends_with('>')) continue;                // a placeholder: opsbook run fills a name there
      if (tool == "date" && w.starts_with('+')) {                          // +%F, not +-x, '+%F -x', +%n-x
        std::string_view f = w.substr(1);
        if (f.starts_with('-') || f.find_first_of("\"'") != std::string_view::npos || f.find(" -") != std::string_view::npos || f.find("\t-") != std::string_view::npos ||
            f.find("%n-") != std::string_view::npos || f.find("%t-") != std::string_view::npos) {
          return false;
        }
        continue;
      }
      bool names = std::find(std::begin(k_names), std::end(k_names), w.substr(0, w.find('='))) != std::end(k_names);
      if (w.starts_with('-') && w.size() > 1) {
        if (size_t eq = w.find('='); eq != std::string_view::npos && !names && runbook_text(w.substr(eq + 1))) return false;  // -o=jsonpath=-x
        bool valued = w.size() == 2 && std::string_view("nFdcklot").find(w[1]) != std::string_view::npos;  // -n 1, -F /, -d /, -o name
        if ((valued || (w.starts_with("--") && w.find('=') == std::string_view::npos && names)) && i + 1 < words.size()) {
          if (!names && w != "-F" && w != "-d" && runbook_text(words[i + 1])) return false;
          ++i;
        }
        if (w.size() > 2 && w[1] == 'o' && runbook_text(w.substr(2))) return false;  // -ojsonpath=-x
        continue;
      }
      if (runbook_text(w)) return false;  // an operand, a program, a format
      ++operands;
    }
    if (filter != std::end(k_filters) && operands > filter->operands) return false;
  }
  return true;
}

// What an expansion gives when it runs. A variable the snippet does not set is one opsbook run
// fills (one word, never an option: runner/fill refuses a value starting with '-' there, and
// blanks where it is unquoted) or one of the shell's own ($HOME, $?, $#).
Expansion Classifier::expansion(const shell::Script& s, const shell::Span& sp, bool quoted, std::vector<std::string>* values) const {
  using shell::SpanKind;
  std::string_view text = s.source().substr(sp.begin, sp.end - sp.begin);
  if (sp.kind == SpanKind::arith || sp.kind == SpanKind::process_sub) return Expansion::safe;  // a number, a /dev/fd path
  if (sp.kind == SpanKind::command_sub || sp.kind == SpanKind::backtick) {
    bool open = std::any_of(s.errors().begin(), s.errors().end(), [&](const shell::LexError& e) {  // bash runs no script it cannot close
      return e.offset == sp.begin && (e.kind == shell::ErrorKind::unterminated_backtick || e.kind == shell::ErrorKind::unterminated_command_sub);
    });
    std::string_view inner = sp.kind == SpanKind::backtick ? text.substr(1, text.size() >= 2 ? text.size() - 2 : 0) : text.substr(2, text.size() >= 3 ? text.size() - 3 : 0);
    return open || system_output(inner) ? Expansion::safe : Expansion::unknown;
  }
  std::string_view name = text.substr(1);
  if (sp.kind == SpanKind::param) {
    std::string_view body = text.substr(2, text.size() >= 3 ? text.size() - 3 : 0);
    bool name_like = !body.empty() && std::all_of(body.begin(), body.end(), is_ident_char);
    if (body.starts_with('#') && body.size() > 1 && std::all_of(body.begin() + 1, body.end(), is_ident_char)) return Expansion::safe;  // a length
    if (body.ends_with("[@]") || (body.starts_with('!') && body.ends_with('@'))) return quoted ? Expansion::list : Expansion::unknown;
    if (!name_like && body != "@" && body != "*") return Expansion::unknown;  // ${x:-...}, ${x/a/b}, ${a[1]}...
    name = body;
  }
  if (name == "@") return quoted ? Expansion::list : Expansion::unknown;
  if (name == "0" || name == "#" || name == "?" || name == "$" || name == "!" || name == "-") return Expansion::safe;
  if (name.empty() || name == "*" || std::isdigit(static_cast<unsigned char>(name[0])) != 0) return Expansion::unknown;  // set -- -delete
  auto it = m_vars.find(name);
  if (it == m_vars.end() || (it->second && it->second->system)) return Expansion::safe;
  if (!it->second) return Expansion::unknown;
  *values = it->second->values;
  return Expansion::literal;
}

// What a word assigns: its text when the runbook writes it out, what a system prints
// (system_output), or a variable's knowledge when it is just `$x`; nullopt when not known.
// `skip`: the bytes of NAME= before the value.
std::optional<Classifier::Known> Classifier::word_value(const shell::Script& s, const shell::Word& w, size_t skip, const Variables& here) const {
  std::string_view raw = s.raw(w).substr(skip);
  if (!w.expands) {
    if (w.globs && w.role == shell::WordRole::list) return std::nullopt;  // for f in *.log: the checkout's names
    return Known{{std::string(s.text(w).substr(std::min(skip, s.text(w).size())))}, false};
  }
  int span = s.span_at(w.begin + skip + (raw.starts_with('"') ? 1 : 0));
  if (span < 0) return std::nullopt;
  const shell::Span& sp = s.spans()[static_cast<size_t>(span)];
  std::string_view t = s.source().substr(sp.begin, sp.end - sp.begin);
  bool alone = raw == t || (raw.size() == t.size() + 2 && raw.front() == '"' && raw.back() == '"' && raw.substr(1, t.size()) == t);
  if (!alone) return std::nullopt;
  if (sp.kind == shell::SpanKind::variable || sp.kind == shell::SpanKind::param) {
    std::string_view name = t.substr(t.starts_with("${") ? 2 : 1, t.starts_with("${") ? t.size() - 3 : std::string_view::npos);
    if (auto it = here.find(name); it != here.end()) return it->second;
    if (auto it = m_vars.find(name); it != m_vars.end()) return it->second;
  }
  std::vector<std::string> values;
  Expansion e = expansion(s, sp, true, &values);
  if (e == Expansion::safe) return Known{{}, true};
  if (e == Expansion::literal) return Known{values, false};
  return std::nullopt;
}

// The variables of the scripts around with those this one assigns: what every assignment of a
// name gives, when each is known (the runbook's text, a system's output, a number).
Classifier::Variables Classifier::with_assignments(const shell::Script& s, const std::vector<Assignment>& assigned) const {
  Variables here;
  for (const Assignment& a : assigned) {
    if (a.name.empty()) continue;
    std::optional<Known> value;
    if (a.kind == AssignKind::literal) value = Known{{a.value}, false};
    else if (a.kind == AssignKind::arithmetic) value = Known{{"0"}, false};
    else if (a.how.starts_with("for") && !a.how.starts_with("for NAME")) {
      value = Known{};
      for (auto i : a.words) {
        std::optional<Known> one = word_value(s, s.words()[i], 0, here);
        if (!one) value = std::nullopt;
        if (!value) break;
        value->values.insert(value->values.end(), one->values.begin(), one->values.end());
        value->system = value->system || one->system;
      }
    } else if (a.how.ends_with('=') && a.words.size() == 1) {
      value = word_value(s, s.words()[a.words[0]], a.name.size() + 1, here);
    }
    auto [it, fresh] = here.emplace(a.name, value);
    if (fresh) continue;
    if (!it->second || !value) {
      it->second = std::nullopt;
      continue;
    }
    it->second->values.insert(it->second->values.end(), value->values.begin(), value->values.end());
    it->second->system = it->second->system || value->system;
  }
  Variables out = m_vars;
  for (auto& [name, value] : here) out[name] = std::move(value);
  return out;
}

// A command's words as bash passes them, as far as the runbook shows them (s11a review B6): a
// variable the snippet sets to text it writes out is read as that text (split where it is
// unquoted); a word the shell may turn into any words or options when it runs is noted in
// m_unread: an unquoted expansion of a value made at run time, "$@" or "${a[@]}", "$(cmd)" or "$x"
// where an option starts, `-"$x"`, and a pattern at a word's start (`sort *` beside a file named
// -ofile).
void Classifier::read_words(const shell::Script& s, const shell::SimpleCommand& c, std::vector<std::string_view>& words) {
  auto args = s.args(c);
  auto spans = s.spans();
  for (size_t i = c.assignments; i < args.size(); ++i) {
    const shell::Word& w = s.words()[args[i]];
    std::string_view text = s.text(w), raw = s.raw(w);
    // /{a,b}, x{1..2}, v*: the shell may make several words of one; counted as two, so that a
    // tool whose second operand is written (uniq IN OUT) is read as such.
    bool several = i > c.assignments && w.globs && (brace_group(raw) || text.find_first_of("*?[") != std::string_view::npos);
    bool spills = several, option = several && pattern_may_be_option(raw);
    std::optional<std::string> whole;  // the word is one expansion of a variable the runbook sets
    bool whole_quoted = false;
    size_t first = std::string_view::npos;  // offset in raw of the first expansion
    auto k = std::lower_bound(spans.begin(), spans.end(), w.begin, [](const shell::Span& sp, std::uint32_t b) { return sp.begin < b; });
    for (; w.expands && k != spans.end() && k->begin < w.end; ++k) {
      if (!expansion_span(k->kind)) continue;
      bool quoted = false, nested = false;
      for (int p = k->parent; p >= 0 && spans[static_cast<size_t>(p)].begin >= w.begin; p = spans[static_cast<size_t>(p)].parent) {
        const shell::Span& up = spans[static_cast<size_t>(p)];
        nested = nested || expansion_span(up.kind);
        quoted = quoted || up.kind == shell::SpanKind::double_quote || up.kind == shell::SpanKind::locale_quote;
      }
      if (nested) continue;
      std::string_view t = s.source().substr(k->begin, k->end - k->begin);
      bool at_start = first == std::string_view::npos && raw.substr(0, k->begin - w.begin).find_first_not_of('"') == std::string_view::npos;
      if (first == std::string_view::npos) first = k->begin - w.begin;
      std::vector<std::string> values;
      switch (expansion(s, *k, quoted, &values)) {
        case Expansion::safe: break;
        case Expansion::list: spills = option = true; break;
        case Expansion::unknown:
          spills = spills || !quoted;
          option = option || !quoted || at_start;
          break;
        case Expansion::literal: {
          for (const std::string& value : values) {
            std::vector<std::string_view> pieces = quoted ? std::vector<std::string_view>{value} : split_blanks(value);
            if (!quoted && value.find_first_of("*?[") != std::string_view::npos) spills = option = true;
            spills = spills || pieces.size() > 1;
            for (size_t p = 0; p < pieces.size(); ++p) option = option || ((p > 0 || at_start) && pieces[p].starts_with('-'));
          }
          bool alone = raw == t || (raw.size() == t.size() + 2 && raw.front() == '"' && raw.back() == '"' && raw.substr(1, t.size()) == t);
          if (alone && values.size() == 1) whole = std::move(values[0]), whole_quoted = quoted;
          break;
        }
      }
    }
    // -"$x", --"$x"=1: an option whose name opsbook cannot read.
    if (i > c.assignments && raw.starts_with('-') && first != std::string_view::npos && first < raw.find('=')) option = true;
    if (whole) {  // read in its place: the words it splits into, or the one quoted word
      for (std::string_view piece : whole_quoted ? std::vector<std::string_view>{*whole} : split_blanks(*whole)) {
        words.push_back(m_held.emplace_back(piece));
        if (!whole_quoted && piece.find_first_of("*?[") != std::string_view::npos) m_unread.push_back(Unread{words.back().data(), words.back().size(), true});
      }
      continue;
    }
    words.push_back(text);
    if (i > c.assignments && option) m_unread.push_back(Unread{text.data(), text.size(), spills});
    if (several) words.push_back(text);
  }
}

// A word the shell may turn into any words or options (read_words) gives the command at least
// the class of the worst form its tool has in the table from there on (s11a review B6: find
// $opts is find -delete, curl $m is curl -X DELETE, sort "$@" is sort -o): unless it stands after
// `--`, or is one word in the value slot of an option that takes one (kubectl -n "$ns").
Verdict Classifier::unread_words(Argv words) {
  if (m_unread.empty()) return {};
  std::string_view tool = program_name(words[0]);
  const SafetyRule* rule = m_table.match(words);
  size_t end = words.size(), skip_begin = end, skip_end = end;  // its own words: not a wrapped command's
  if (rule != nullptr && rule->cls == RuleClass::wrapper && rule->wrapper != WrapperKind::after) end = std::min(end, m_table.wrapped_start(*rule, words));
  if (rule != nullptr && rule->cls == RuleClass::wrapper && rule->wrapper == WrapperKind::after) {  // find -exec CMD ;
    for (size_t i = 1; i < words.size() && skip_begin == words.size(); ++i) {
      if (std::find(rule->options.begin(), rule->options.end(), words[i]) != rule->options.end()) skip_begin = i + 1;
    }
    for (skip_end = skip_begin; skip_end < words.size() && words[skip_end] != ";" && words[skip_end] != "+";) ++skip_end;
  }
  for (size_t i = 1; i < end; ++i) {
    if (words[i] == "--") break;
    auto u = std::find_if(m_unread.begin(), m_unread.end(), [&](const Unread& x) { return x.data == words[i].data() && x.size == words[i].size(); });
    if (u == m_unread.end() || (!u->spills && m_table.takes_value(tool, words[i - 1]))) continue;
    if (i >= skip_begin && i < skip_end && !u->spills) continue;  // the -exec command's word; split, it may hold the `;` that ends it
    std::vector<std::string_view> redis{"redis"};  // redis-cli CMD ARGS: the words after CMD are its arguments
    if (rule != nullptr && rule->cls == RuleClass::consumer && rule->consumer == ConsumerKind::redis) {
      std::vector<size_t> pos = m_table.positionals(words);
      if (!pos.empty() && i > pos[0] && !u->spills) continue;
      if (!pos.empty() && i > pos[0]) redis.insert(redis.end(), words.begin() + static_cast<long>(pos[0]), words.end());
    }
    const SafetyRule* worst = nullptr;
    for (const SafetyRule* r : redis.size() > 1 ? m_table.forms(redis, i - (words.size() - redis.size())) : m_table.forms(words, i)) {
      if (worst == nullptr || static_cast<int>(form_level(*r)) > static_cast<int>(form_level(*worst))) worst = r;
    }
    if (worst == nullptr || form_level(*worst) == Safety::read_only) return {};
    std::string word(words[i].substr(0, 40));
    return note(Verdict{form_level(*worst), std::string(tool) + " " + word + ": " + word + " may become any words or options when it runs (an expansion or a pattern opsbook cannot read), and " +
                                                std::string(tool) + " " + form_reason(*worst)});
  }
  return {};
}

std::string Classifier::label(const SafetyRule& rule, Argv words) const {
  std::string out(program_name(words[0]));
  std::vector<size_t> pos = m_table.positionals(words);
  size_t n = std::min(pos.size(), rule.path.size());
  for (const auto& alts : rule.path) {
    if (alts.size() == 1 && alts[0] == "**") n = std::min<size_t>(pos.size(), 3);
  }
  for (size_t i = 0; i < n; ++i) out += " " + std::string(words[pos[i]]);
  if (std::string_view flag = m_table.matched_flag(rule, words); !flag.empty()) out += " " + std::string(flag);
  return out;
}

// A command started by a wrapper that replaced the environment (m_fresh_env): a tool that relies
// on a variable opsbook sets is not read-only there.
Verdict Classifier::guard_dropped(Argv words) {
  std::string_view tool = program_name(words[0]);
  std::string_view guard = environment_guard(tool);
  if (guard.empty()) return {};
  return note(Verdict{Safety::mutating, m_fresh_env + " starts " + std::string(tool) + " without opsbook's " + std::string(guard) + ": a repository in the checkout runs the programs its config names"});
}

Verdict Classifier::argv(Argv words, const Input& in, int depth) {
  if (depth > k_max_depth) return note(Verdict{Safety::destructive, std::string(k_too_deep)});
  if (words.empty()) return {};
  if (decided_at_run_time(words[0])) return note(Verdict{Safety::mutating, "the command `" + std::string(words[0]) + "` is decided at run time"});
  if (program_name(words[0]) == "tar" && words.size() > 1 && !words[1].empty() && words[1].find_first_not_of("Acdtrux" "vfzjJpPkSOmhlWwBGginN") == std::string_view::npos &&
      words[1].find_first_of("Acdtrux") != std::string_view::npos) {  // tar tf a.tar: old-style options without a dash, read as -tf
    std::string dashed = "-" + std::string(words[1]);
    std::vector<std::string_view> read(words.begin(), words.end());
    read[1] = dashed;
    return argv(read, in, depth);
  }
  Verdict floor;
  if (const SafetyRule* f = m_table.floor(words, in.kind == Input::Kind::file ? std::string_view(in.text) : std::string_view{})) {
    floor = note(Verdict{f->floor, label(*f, words) + ": " + f->reason});
  }
  floor = worse(floor, unread_words(words));
  std::string_view tool = program_name(words[0]);
  if (std::string_view option = m_table.unread_option(words); !option.empty()) {
    const SafetyRule* rule = m_table.match(words);
    bool wraps = rule != nullptr && rule->cls == RuleClass::wrapper;
    floor = worse(floor, note(Verdict{Safety::mutating, std::string(tool) + " " + std::string(option) +
                                                            (wraps ? ": an option of the wrapper that opsbook cannot read (not one of its own, or an abbreviation of several): its value may be read as the command, so what runs is not known"
                                                                   : ": an option opsbook cannot read before the subcommand (not one of the tool's, or an abbreviation of several): which subcommand runs is not known")}));
  }
  if (tool == "ssh" || tool == "scp" || tool == "sftp") {
    if (std::string why = ssh_option_risk(words); !why.empty()) floor = worse(floor, note(Verdict{Safety::mutating, why}));
  }
  if (tool == "kubectl" || tool == "oc") {
    if (auto why = kubectl_exposes(words, m_table.positionals(words))) floor = worse(floor, note(Verdict{Safety::mutating, *why}));
  }
  if (tool == "openssl") {  // any option ending in out writes, unless a row of its own already says so (-out)
    const SafetyRule* row = m_table.match(words);
    auto option = openssl_output_option(words);
    if (option && (row == nullptr || row->cls == RuleClass::read_only)) floor = worse(floor, note(Verdict{Safety::mutating, "openssl " + std::string(*option) + " writes the file it names"}));
  }
  if ((tool == "strace" || tool == "ltrace") && strace_tampers(words)) {
    floor = worse(floor, note(Verdict{Safety::mutating, std::string(tool) + " -e inject/fault changes what the traced system calls do (a signal, an error, a return value)"}));
  }
  if (tool == "tar" && tar_remote_archive(words)) {
    floor = worse(floor, note(Verdict{Safety::mutating, "tar reads HOST:FILE as an archive on another host, through rsh (--force-local for a local file)"}));
  }
  if (tool == "git" && git_in_nested_repository(words)) {
    floor = worse(floor, note(Verdict{Safety::mutating, "git -C a folder of the checkout reads a repository a pull request can commit, whose configuration runs programs (filters, fsmonitor, uploadpack)"}));
  }
  if (!m_fresh_env.empty()) floor = worse(floor, guard_dropped(words));
  // What this command runs, it runs with the environment it makes (s10a review B5).
  std::optional<std::string> reset = environment_reset(words);
  FreshEnvironment scope(m_fresh_env, reset ? *reset : m_fresh_env);
  if (tool == "env" && reset == "env -") {  // env - is env -i: the lone dash is no command
    std::vector<std::string_view> as_i(words.begin(), words.end());
    *std::find(as_i.begin() + 1, as_i.end(), std::string_view("-")) = "-i";
    return worse(floor, argv(as_i, in, depth + 1));
  }
  if (tool == "env") {
    // Its words are env's own again (env -S'-i git status' is env -i git status).
    if (auto split = env_split_string(words)) return worse(floor, script("env " + *split, in, depth + 1));
  }
  if (tool == "ssh") {
    FreshEnvironment remote_env(m_fresh_env, "");  // the remote host's environment is not opsbook's to give
    std::vector<std::string> remotes = ssh_remote_commands(words);
    // With no command on the line (ssh refuses both), the first RemoteCommand is the command and
    // reads what ssh forwards: `ssh -o RemoteCommand='psql shop' db1 <<SQL` is `ssh db1 'psql shop'
    // <<SQL`, its heredoc SQL (s10a review B10).
    const SafetyRule* rule = m_table.match(words);
    if (!remotes.empty() && in.kind != Input::Kind::none && rule != nullptr && rule->cls == RuleClass::wrapper && m_table.wrapped_start(*rule, words) >= words.size()) {
      std::vector<std::string_view> with(words.begin(), words.end());
      with.push_back(remotes.front());
      return worse(floor, matched(with, in, depth + 1));  // this command's floors are the ones above
    }
    for (const std::string& remote : remotes) floor = worse(floor, script(remote, Input{}, depth + 1));
  }
  if (tool == "script" && script_writes_file(words)) {
    floor = worse(floor, note(Verdict{Safety::mutating, "script writes the session to a file (its operand, -O, or ./typescript)"}));
  }
  return worse(floor, matched(words, in, depth));
}

// `consul operator --help`, `kubectl delete --help`: the tool prints its help and exits, whatever
// the subcommand says. Only before any operand past the subcommand (`subcommand_words`): with
// POSIXLY_CORRECT set, GNU tools read `rm -rf /data --help` as three operands.
bool asks_for_help(Argv words, const std::vector<size_t>& positionals, size_t subcommand_words) {
  for (size_t i = 1; i < words.size() && words[i] != "--"; ++i) {
    if (words[i] != "--help" && words[i] != "-help") continue;
    auto before = std::count_if(positionals.begin(), positionals.end(), [&](size_t p) { return p < i; });
    return static_cast<size_t>(before) <= subcommand_words;
  }
  return false;
}

Verdict Classifier::matched(Argv words, const Input& in, int depth) {
  const SafetyRule* rule = m_table.match(words);
  // Not for wrappers and consumers: the words after them belong to what they run or send.
  bool runs_others = rule != nullptr && (rule->cls == RuleClass::wrapper || rule->cls == RuleClass::consumer || rule->cls == RuleClass::interactive);
  size_t subcommand_words = rule != nullptr ? static_cast<size_t>(std::count_if(rule->path.begin(), rule->path.end(), [](const auto& alternatives) {
                                                 return std::find(alternatives.begin(), alternatives.end(), "**") == alternatives.end();
                                               }))
                                           : (m_table.knows_tool(tool_key(words[0])) ? 2 : 0);
  if (!runs_others && in.kind == Input::Kind::none && asks_for_help(words, m_table.positionals(words), subcommand_words)) return {};
  if (rule == nullptr && m_table.knows_tool(tool_key(words[0]))) {
    // A subcommand of a known tool that no row names: its own words decide (two: knife node show),
    // never a later operand or option value (docker container stop web status, docker -l info
    // container stop web).
    std::vector<size_t> pos = m_table.positionals(words);
    if (!pos.empty()) {
      std::string_view sub[] = {words[0], words[pos[0]], pos.size() > 1 ? words[pos[1]] : std::string_view{}};
      Verdict v = by_verb(Argv(sub).first(pos.size() > 1 ? 3 : 2), false, depth);
      if (auto option = writing_option(words); option && v.level == Safety::read_only) {
        v = note(Verdict{Safety::mutating, "`" + std::string(program_name(words[0])) + " " + std::string(words[pos[0]]) + " " + std::string(*option) + "`: the option says it repairs, applies, forces, writes or deletes"});
      }
      return v;
    }
  }
  if (rule == nullptr) return by_verb(words, true, depth);
  switch (rule->cls) {
    case RuleClass::wrapper: return wrapper(*rule, words, in, depth);
    case RuleClass::consumer: return consumer(*rule, words, in, depth);
    case RuleClass::interactive:
      if (in.kind != Input::Kind::none) return note(Verdict{Safety::mutating, label(*rule, words) + " runs what it is given on its input"});
      return note(Verdict{Safety::read_only, label(*rule, words) + ": " + rule->reason + " (interactive)", true});
    case RuleClass::by_verb: return by_verb(words, false, depth);
    case RuleClass::floor: return {};  // never matched
    case RuleClass::read_only: return Verdict{Safety::read_only, ""};
    case RuleClass::mutating: return note(Verdict{Safety::mutating, label(*rule, words) + ": " + rule->reason});
    case RuleClass::destructive: return note(Verdict{Safety::destructive, label(*rule, words) + ": " + rule->reason});
  }
  return {};
}

// Unknown tools (and by-verb rows like make): the words of the first arguments decide, then the
// tool's own name ("check_disk.sh"); neither: mutating. Only a plain word says it reads
// ("status", "db:status"), never a path or code ("/tmp/status", "puts :status"). A known command
// that changes something, among those arguments (`cpulimit -l 5 touch f`), is classified as well.
bool Classifier::runs_or_changes(std::string_view tool) const {
  std::string_view alone[] = {tool};
  const SafetyRule* r = m_table.match(alone);
  return r != nullptr && (r->cls == RuleClass::mutating || r->cls == RuleClass::destructive || r->cls == RuleClass::wrapper);
}

// "--describe", "--list": a long option that is a read verb alone, the way some tools spell their
// subcommand (kafka-topics.sh --bootstrap-server k:9092 --describe); "--show-progress" is not.
bool read_verb_option(std::string_view a) {
  static constexpr std::array<std::string_view, 9> k_verbs = {"describe", "list", "status", "show", "get", "info", "inspect", "stats", "check"};
  return a.starts_with("--") && std::find(k_verbs.begin(), k_verbs.end(), a.substr(2)) != k_verbs.end();
}

// A long option that says it changes or deletes something ("--alter", "--add-config", "--delete").
bool changing_option(Argv words) {
  static constexpr std::array<std::string_view, 3> k_more = {"alter", "modify", "change"};
  for (size_t i = 1; i < words.size() && words[i] != "--"; ++i) {
    std::string_view w = words[i];
    if (!w.starts_with("--")) continue;
    std::string_view name = w.substr(2, w.find('=') == std::string_view::npos ? std::string_view::npos : w.find('=') - 2);
    if (says(name) == Says::changes || says(name) == Says::destroys) return true;
    for (std::string_view more : k_more) {
      if (name == more || name.starts_with(std::string(more) + "-")) return true;
    }
  }
  return false;
}

Verdict Classifier::by_verb(Argv words, bool name_counts, int depth) {
  std::vector<size_t> considered;
  for (size_t i = 1; i < words.size() && considered.size() < 4; ++i) {
    std::string_view a = words[i];
    if (a != "--" && (!a.starts_with('-') || a == "-h" || a == "--help" || a == "--version" || a == "-V" || read_verb_option(a))) considered.push_back(i);
  }
  std::string name(program_name(words[0]));
  std::string first = words.size() > 1 ? " " + std::string(words[1]) : "";
  Says verdict = name_counts && says(name) == Says::reads ? Says::reads : Says::nothing;  // find_pids, check_disk.sh
  bool changes = name_counts && says(name) == Says::changes;
  Verdict inner;
  bool wrapped = false;
  for (size_t i : considered) {
    std::string_view w = words[i];
    Says s = says(w);
    if (s == Says::destroys) return note(Verdict{Safety::destructive, "`" + name + " " + std::string(w) + "` says it deletes or resets data"});
    if (s == Says::reads && verb_shaped(w)) verdict = s;
    if (s == Says::changes && verb_shaped(w)) changes = true;
    // An option as the verb: any other option that says it changes something outweighs it
    // (kafka-configs.sh --describe --alter --add-config x=1).
    if (s == Says::reads && read_verb_option(w)) changes = changes || changing_option(words);
    // Before the verb: a wrapped command (`cpulimit -l 5 touch f status`); after it, an object (`kubelet describe Service`).
    if (name_counts && !wrapped && verdict != Says::reads && verb_shaped(w) && runs_or_changes(w)) {
      inner = argv(words.subspan(i), Input{}, depth + 1);
      wrapped = true;
    }
  }
  if (auto option = writing_option(words)) {
    return worse(note(Verdict{Safety::mutating, "`" + name + " " + std::string(*option) + "`: the option says it repairs, applies, forces, writes or deletes"}), inner);
  }
  if (verdict == Says::reads && !changes) return inner;
  return worse(note(Verdict{Safety::mutating, "`" + name + first + "` is not known to be read-only"}), inner);
}

// awk and sed: read-only when their program provably only prints.
Verdict Classifier::program(const SafetyRule& rule, Argv words) {
  std::string effect = rule.consumer == ConsumerKind::awk ? awk_command_side_effect(words) : sed_command_side_effect(words);
  if (effect.empty()) return {};
  return note(Verdict{Safety::mutating, std::string(program_name(words[0])) + " " + effect});
}

// A console that runs code (mongosh --eval, rails runner): the code is classified by its methods,
// and is at least mutating; a script from a file too; nothing to run opens a session.
Verdict Classifier::console(const SafetyRule& rule, Argv words, const std::string_view* value, const Input& in) {
  CommandLang lang = rule.consumer == ConsumerKind::mongo ? CommandLang::mongo : CommandLang::ruby;
  std::string name = label(rule, words);
  std::string code;
  std::vector<size_t> pos = m_table.positionals(words);
  if (value != nullptr) {
    code = std::string(*value);
  } else if (rule.options.empty() && pos.size() > rule.path.size()) {  // rails runner CODE
    for (size_t i = pos[rule.path.size()]; i < words.size(); ++i) code.append(code.empty() ? "" : " ").append(words[i]);
  } else if (in.kind == Input::Kind::text) {
    code = in.text;
  } else if (in.kind != Input::Kind::none || (!pos.empty() && words[pos[0]].ends_with(".js"))) {
    return note(Verdict{Safety::mutating, name + " runs a script opsbook cannot read"});
  } else {
    return note(Verdict{Safety::read_only, name + " opens a session (interactive)", true});
  }
  return worse(note(Verdict{Safety::mutating, name + ": " + rule.reason}), console_methods(code, lang));
}

Verdict Classifier::wrapper(const SafetyRule& rule, Argv words, const Input& in, int depth) {
  Verdict own;
  if (rule.floor != Safety::read_only) own = note(Verdict{rule.floor, label(rule, words) + ": " + rule.reason});
  else if (std::string_view option = m_table.unlisted_wrapper_option(rule, words); !option.empty()) {
    own = note(Verdict{Safety::mutating, label(rule, words) + " " + std::string(option) +
                                             ": an option of the wrapper that opsbook does not know: its value may be read as the command, so what runs is not known"});
  }
  if (rule.wrapper == WrapperKind::after) {
    for (size_t i = 1; i < words.size(); ++i) {
      if (std::find(rule.options.begin(), rule.options.end(), words[i]) == rule.options.end()) continue;
      size_t end = i + 1;
      while (end < words.size() && words[end] != ";" && words[end] != "+") ++end;
      return worse(own, argv(words.subspan(i + 1, end - i - 1), Input{}, depth + 1));
    }
    return own;
  }
  size_t start = m_table.wrapped_start(rule, words);
  Verdict inner;
  if (rule.wrapper == WrapperKind::string) {
    std::string text;
    for (size_t i = start; i < words.size(); ++i) text += (i > start ? " " : "") + std::string(words[i]);
    if (!text.empty()) inner = script(text, in, depth + 1);
    else if (in.kind == Input::Kind::text) inner = script(in.text, Input{}, depth + 1);
    else if (in.kind != Input::Kind::none) inner = note(Verdict{Safety::mutating, label(rule, words) + " runs the commands it is given on its input"});
    else inner = note(Verdict{Safety::read_only, label(rule, words) + " opens an interactive session", true});
  } else if (start < words.size()) {
    inner = argv(words.subspan(start), in, depth + 1);
  } else if (opens_session(program_name(words[0]))) {  // not `exec 3<file`, `env`, `ionice -p PID`, `strace -p PID`
    // The session is a shell: it runs what it reads (ssh db1 sudo -i <<EOF ... EOF, s11a review B16).
    if (in.kind == Input::Kind::text) inner = script(in.text, Input{}, depth + 1);
    else if (in.kind != Input::Kind::none) inner = note(Verdict{Safety::mutating, label(rule, words) + " runs the commands it is given on its input"});
    else inner = note(Verdict{Safety::read_only, label(rule, words) + " opens an interactive session", true});
  }
  return worse(own, inner);
}

// A value psql can splice into a statement without changing it: a whole number, or a lone
// placeholder (the filler lets only a number into a variable psql splices as it stands).
bool number_text(std::string_view value) {
  if (all_digits(value)) return true;  // not -1: after a '-' it makes `1--1`, a comment (s10c B7)
  std::vector<Param> params;
  extract_params(value, 1, SnippetKind::shell, BracketPlaceholders::no, params);
  return params.size() == 1 && params[0].syntax == value;
}

// The psql variables a psql command line sets to a number (-v N=5, --set=N=<n>, -XvN=5...).
// `digit_text`: set when a variable named by digits gets text: psql splices :1 where SQL has an
// array slice (a[1:1]), which opsbook reads as a slice.
std::vector<std::string> psql_number_variables(Argv words, bool& digit_text) {
  std::vector<std::string> args(words.begin(), words.end()), out;
  for (size_t pos = 1; pos < args.size(); ++pos) {
    PsqlSet set = psql_set_variable(args, 0, pos, args[pos].size());
    if (!set.found) continue;
    size_t named = args[pos].find(set.name + "=");
    // The last assignment wins (s10c B5: -v n=5 -v 'n=1; drop table t').
    std::erase(out, set.name);
    bool number = named != std::string::npos && number_text(std::string_view(args[pos]).substr(named + set.name.size() + 1));
    if (number) out.push_back(set.name);
    else if (all_digits(set.name)) digit_text = true;
  }
  return out;
}

// After a backslash command: `\set N 5` adds N; any other one that is not a plain show may set
// variables (\gset, \set N text, \prompt...), so none is known any more.
// True when it gives a variable named by digits text (see psql_number_variables).
bool update_number_variables(std::string_view meta, bool shows, std::vector<std::string>& numbers) {
  PsqlSet set = psql_meta_set(meta, meta.size());
  if (set.found) {
    std::string_view value = trim(meta.substr(meta.find(set.name, 4) + set.name.size()));
    std::erase(numbers, set.name);
    if (number_text(value)) numbers.push_back(set.name);
    return !number_text(value) && all_digits(set.name);
  }
  if (!shows) numbers.clear();
  return false;
}

// Does SQL given to psql hold a backslash command that sets variables from data (\gset...)?
bool sets_variables_from_data(std::string_view text, SqlText from = SqlText::client_input) {
  std::vector<SqlStatement> statements = split_sql(text, from);
  return std::any_of(statements.begin(), statements.end(), [](const SqlStatement& st) { return st.meta && psql_sets_variables_from_data(st.text); });
}

constexpr std::string_view k_digit_text = "a psql variable named by digits holds text, which psql splices in where SQL has an array slice (a[1:1]): SQL the text does not show";

Verdict Classifier::consumer(const SafetyRule& rule, Argv words, const Input& in, int depth) {
  std::string name = label(rule, words);
  std::string_view joined;
  const std::string_view* value = rule.options.empty() ? nullptr : option_value(words, rule.options, &joined);
  switch (rule.consumer) {
    case ConsumerKind::sql: {
      std::vector<std::string_view> texts = option_values(words, rule.options);
      std::vector<size_t> pos = m_table.positionals(words);
      if (!rule.path.empty() && rule.path.back().size() == 1 && rule.path.back()[0] == "*" && pos.size() > rule.path.size()) {
        for (size_t k = rule.path.size(); k < pos.size(); ++k) texts.push_back(words[pos[k]]);  // sqlite3 DB SQL...
      }
      Verdict all;  // psql -c A -f B runs both
      bool postgres = program_name(words[0]) == "psql";
      SqlClient client = postgres ? SqlClient::psql : program_name(words[0]) == "mysql" || program_name(words[0]) == "mariadb" ? SqlClient::mysql : SqlClient::other;
      bool digit_text = false;
      std::vector<std::string> numbers = postgres ? psql_number_variables(words, digit_text) : std::vector<std::string>{};
      if (digit_text) return note(Verdict{Safety::destructive, name + ": " + std::string(k_digit_text)});
      // A connection string, URI or option that switches how SQL is read (s10c review B3: in SJIS a
      // value's byte ended a string and a DROP ran; s11a B4: ?client%5Fencoding=SJIS), or the
      // libpq environment of the snippet (PGOPTIONS, PGCLIENTENCODING).
      for (auto w : words.subspan(1)) {
        if (ReadingSwitch r = postgres ? sql_reading_switch(w) : ReadingSwitch{}; r.found()) return note(Verdict{Safety::destructive, name + ": " + reading_reason(r)});
      }
      if (ReadingSwitch r = postgres ? libpq_environment_switch(m_top) : ReadingSwitch{}; r.found()) return note(Verdict{Safety::destructive, name + ": " + reading_reason(r)});
      // -f - and -f /dev/stdin read the standard input: a heredoc there is the SQL (s11a review B9).
      // A file opsbook does not read may set any psql variable.
      std::vector<std::string_view> files = rule.file_options.empty() ? std::vector<std::string_view>{} : option_values(words, rule.file_options);
      auto is_stdin = [](std::string_view f) { return f == "-" || f == "/dev/stdin" || f == "/dev/fd/0" || f == "/proc/self/fd/0"; };
      bool reads_stdin = std::any_of(files.begin(), files.end(), is_stdin);
      auto hidden = std::find_if_not(files.begin(), files.end(), is_stdin);
      // One session: a \gset in one -c sets variables for the SQL of the others too.
      bool from_data = hidden != files.end() || (in.kind == Input::Kind::text && sets_variables_from_data(in.text));
      for (std::string_view text : texts) from_data = from_data || sets_variables_from_data(text);
      PsqlVariables vars = from_data ? PsqlVariables::any : PsqlVariables::known;
      for (std::string_view text : texts) all = worse(all, sql(text, 0, depth, SqlText::client_input, client, numbers, vars));
      if (hidden != files.end()) all = worse(all, note(Verdict{Safety::mutating, name + " runs the SQL file " + std::string(*hidden)}));
      if ((!texts.empty() || !files.empty()) && !reads_stdin) return all;
      if (in.kind == Input::Kind::text) return worse(all, sql(in.text, in.line, depth, SqlText::client_input, client, numbers, vars));
      if (in.kind == Input::Kind::file) return worse(all, note(Verdict{Safety::mutating, name + " runs the SQL in " + in.text}));
      if (in.kind == Input::Kind::pipe) return worse(all, note(Verdict{Safety::mutating, name + " runs the SQL it is piped"}));
      if (!texts.empty() || !files.empty()) return worse(all, note(Verdict{Safety::read_only, name + " reads SQL from the terminal (interactive)", true}));
      for (auto w : words.subspan(1)) {
        if (w == "-l" || w == "--list" || w == "--version" || w == "-V" || w == "--help") return {};
      }
      return note(Verdict{Safety::read_only, name + " opens a SQL session (interactive)", true});
    }
    case ConsumerKind::redis: {
      std::vector<size_t> pos = m_table.positionals(words);
      for (auto w : words.subspan(1, (pos.empty() ? words.size() : pos[0]) - 1)) {  // its options: a command's arguments are data (SET --stat 1)
        if (w == "--eval") return note(Verdict{Safety::mutating, name + " --eval runs a Lua script"});
      }
      for (auto w : words.subspan(1, (pos.empty() ? words.size() : pos[0]) - 1)) {
        if (w == "--bigkeys" || w == "--memkeys" || w == "--keystats" || w == "--stat" || w.starts_with("--latency") || w == "--scan" || w == "--hotkeys" ||
            w == "--intrinsic-latency" || w == "--version" || w == "--help" || w == "--replica" || w == "--rdb" || w == "--functions-rdb" ||
            w == "--lru-test") return {};  // modes that end by themselves (the writing ones have a floor)
      }
      if (!pos.empty()) {
        std::vector<std::string_view> cmd{"redis"};
        for (size_t i = pos[0]; i < words.size(); ++i) cmd.push_back(words[i]);
        return redis(cmd);
      }
      if (in.kind == Input::Kind::text) return redis_lines(in.text);
      if (in.kind != Input::Kind::none) return note(Verdict{Safety::mutating, name + " runs the Redis commands it is given"});
      return note(Verdict{Safety::read_only, name + " opens a Redis session (interactive)", true});
    }
    case ConsumerKind::shell: {
      if (value != nullptr) return script(*value, in, depth + 1);  // its commands read the input (script -c bash <<EOF)
      if (in.kind == Input::Kind::text) return script(in.text, Input{}, depth + 1);
      if (in.kind == Input::Kind::file) return note(Verdict{Safety::mutating, name + " runs the script " + in.text});
      if (in.kind == Input::Kind::pipe) return note(Verdict{Safety::mutating, name + " runs the script it is piped"});
      std::vector<size_t> pos = m_table.positionals(words);
      if (!pos.empty() && program_name(words[0]) != "su") return by_verb(words.subspan(pos[0]), true, depth);  // sh check.sh -m status
      return note(Verdict{Safety::read_only, name + " opens a shell (interactive)", true});
    }
    case ConsumerKind::http: return http(words);
    case ConsumerKind::awk:
    case ConsumerKind::sed: return program(rule, words);
    case ConsumerKind::mongo:
    case ConsumerKind::ruby: return console(rule, words, value, in);
  }
  return {};
}

// The shell command a SQL client runs for a statement: psql \! CMD and the pipe of \g |CMD, \gx,
// \o and \w (also quoted: '|CMD'); sqlite3 .shell CMD and .system CMD in every abbreviation
// sqlite3 accepts (.sh, .sy: s11a review B8); mysql \! CMD, \P CMD (pager).
std::optional<std::string_view> shell_escape(std::string_view statement) {
  statement = trim(statement);
  if (statement.starts_with("\\!")) return trim(statement.substr(2));
  size_t end = std::min(statement.find_first_of(" \t\n"), statement.size());
  std::string_view name = statement.substr(0, end), rest = trim(statement.substr(end));
  if (name.size() > 1 && name[0] == '.' && (std::string_view("shell").starts_with(name.substr(1)) || std::string_view("system").starts_with(name.substr(1)))) return rest;
  if (name == "\\P") return rest;
  static constexpr std::string_view k_pipes[] = {"\\g", "\\gx", "\\o", "\\out", "\\w", "\\write"};
  if (std::find(std::begin(k_pipes), std::end(k_pipes), name) == std::end(k_pipes)) return std::nullopt;
  if (rest.starts_with('(')) rest = trim(rest.substr(std::min(rest.find(')'), rest.size() - 1) + 1));  // \g (format=csv) |cmd
  if (rest.starts_with('|')) return trim(rest.substr(1));
  if (rest.size() > 1 && (rest[0] == '\'' || rest[0] == '"') && rest[1] == '|') return trim(rest.substr(2, rest.find(rest[0], 2) - 2));
  return std::nullopt;
}

// mysql's own commands in their long form at a line's start (s11a review B13): `system CMD` and
// `pager CMD` run CMD, `tee FILE` writes, `charset X` changes how the text is read...
Verdict Classifier::mysql_commands(std::string_view text, int line, int depth) {
  Verdict v;
  std::vector<std::string_view> lines = split_lines(text);
  for (size_t k = 0; k < lines.size(); ++k) {
    std::string_view l = trim(lines[k]);
    size_t end = std::min(l.find_first_of(" \t"), l.size());
    std::string word = to_lower(l.substr(0, end));
    std::string_view rest = trim(l.substr(end));
    if (rest.ends_with(';')) rest.remove_suffix(1);
    if (word == "system" || word == "pager") v = worse(v, script(rest, Input{}, depth + 1));
    static constexpr std::pair<std::string_view, std::string_view> k_short[] = {{"system", "\\!"}, {"pager", "\\P"}, {"tee", "\\T"}, {"charset", "\\C"},
                                                                                 {"source", "\\."}, {"edit", "\\e"}, {"connect", "\\r"}};
    auto form = std::find_if(std::begin(k_short), std::end(k_short), [&](const auto& p) { return p.first == word; });
    if (form == std::end(k_short)) continue;
    SqlVerdict m = classify_mysql_command(form->second);
    v = worse(v, note(Verdict{m.level, "mysql " + word + ": " + m.reason}, line > 0 ? line + static_cast<int>(k) : 0));
  }
  return v;
}

Verdict Classifier::sql(std::string_view text, int line, int depth, SqlText from, SqlClient client, std::vector<std::string> numbers, PsqlVariables vars) {
  Verdict v;
  bool postgres = client == SqlClient::psql;
  // After a \gset, \prompt, \i... any variable may hold anything: no :NAME of the session is
  // exempt, before or after it (s11a review B2: \gset into "2", then a[1:2] dropped a table).
  if (sets_variables_from_data(text, from)) vars = PsqlVariables::any;
  if (client == SqlClient::mysql) v = mysql_commands(text, line, depth);
  std::string unseen;  // server code that ran before: it may have switched the reading (DO, CALL...)
  for (const auto& st : split_sql(text, from)) {
    if (auto command = shell_escape(st.text)) v = worse(v, script(*command, Input{}, depth + 1));
    // mysql reads backslash commands of its own (\T FILE tees the output, \C a charset).
    SqlVerdict sv = client == SqlClient::mysql && st.meta ? classify_mysql_command(st.text) : classify_sql_statement(st.text, numbers, vars);
    if (st.meta && update_number_variables(st.text, sv.level == Safety::read_only, numbers)) {
      v = worse(v, note(Verdict{Safety::destructive, std::string(k_digit_text)}, line > 0 ? line + st.line_offset : 0));
    }
    std::string call = postgres && !st.meta ? user_function_call(st.text) : "";
    if (!call.empty() && sv.level == Safety::read_only) {
      sv = {Safety::mutating, "calls " + call + ", a function of the database's own that may change data (only a sql snippet's live check asks the server whether it can)"};
    }
    if (postgres && !unseen.empty() && !st.meta && reads_by_settings(st.text)) {
      sv = {Safety::destructive, "reads otherwise once " + unseen + " has switched standard_conforming_strings or the client encoding, which code the server builds from text can do unseen "
                                 "(a backslash in a string, a byte past ASCII): what runs is not what opsbook reads"};
    }
    std::string_view verb = st.meta ? std::string_view() : trim(st.text).substr(0, trim(st.text).find_first_of(" \t\n("));
    if (postgres && (iequals(verb, "DO") || iequals(verb, "CALL") || iequals(verb, "EXECUTE") || !call.empty()) && unseen.empty()) unseen = !call.empty() ? call : to_upper(verb);
    if (sv.level == Safety::read_only) continue;
    v = worse(v, note(Verdict{sv.level, sv.reason}, line > 0 ? line + st.line_offset : 0));
  }
  return v;
}

Verdict Classifier::redis(Argv raw) {
  // Redis reads command and option words in any case (sort k Store dst): the table's are upper case.
  std::vector<std::string> upper;
  upper.reserve(raw.size());
  for (auto w : raw) upper.push_back(to_upper(w));
  std::vector<std::string_view> cased(upper.begin(), upper.end());
  cased[0] = raw[0];
  Argv words = cased;
  const SafetyRule* rule = m_table.match(words);
  std::string command = words.size() > 1 ? to_upper(words[1]) : "";
  if (rule == nullptr) return note(Verdict{Safety::mutating, "Redis " + command + " is not known to be read-only"});
  if (rule->cls == RuleClass::read_only) return {};
  Safety level = rule->cls == RuleClass::destructive ? Safety::destructive : Safety::mutating;
  std::string sub = words.size() > 2 && rule->path.size() > 1 ? " " + to_upper(words[2]) : "";
  return note(Verdict{level, "Redis " + command + sub + ": " + rule->reason});
}

// Each line as redis-cli reads it: its own word splitting ("\x46LUSHALL" is FLUSHALL, s11a review
// B12), and a leading number repeats the command (`3 FLUSHALL`); and, for a Redis block whose
// reader opsbook does not know, as the shell splits it too.
Verdict Classifier::redis_lines(std::string_view text) {
  Verdict v;
  for (std::string_view line : split_lines(text)) {
    std::vector<std::string_view> read{"redis"};
    std::optional<std::vector<std::string>> words = redis_cli_words(line);
    if (words && !words->empty()) {
      size_t first = words->size() > 1 && all_digits((*words)[0]) ? 1 : 0;
      read.insert(read.end(), words->begin() + static_cast<long>(first), words->end());
      v = worse(v, redis(read));
    }
    shell::Script s = shell::lex(line, shell::Placeholders::words);
    for (const auto& c : s.commands()) {
      std::vector<std::string_view> cmd{"redis"};
      for (auto a : s.args(c)) cmd.push_back(s.text(s.words()[a]));
      if (cmd.size() > 1 && cmd != read) v = worse(v, redis(cmd));
    }
  }
  return v;
}

// curl, wget, httpie and PowerShell's web cmdlets: the method decides; keeping a file mutates.
// HTTPie (http, https, xh): `http [OPTIONS] [METHOD] URL [ITEM...]`; an item `a=b`, `a:=1` or
// `f@file` is data, which makes the default method POST (`Name:value` is a header, `a==b` a query).
void httpie_request(Argv words, std::string& method, bool& data, std::string& file) {
  static constexpr std::string_view k_with_value[] = {"-a", "--auth", "-A", "--auth-type", "-o", "--output", "--session", "--session-read-only", "--verify",
                                                      "--cert", "--cert-key", "--timeout", "-p", "--print", "--pretty", "-s", "--style", "--max-redirects",
                                                      "--proxy", "--format-options", "--response-charset", "--response-mime", "--boundary", "--ssl", "--ciphers",
                                                      "--default-scheme"};
  bool url_seen = false;
  for (size_t i = 1; i < words.size(); ++i) {
    std::string_view w = words[i];
    if (w.size() > 1 && w[0] == '-') {
      if (w == "-o" || w == "--output") file = i + 1 < words.size() ? std::string(words[i + 1]) : "";
      if (w == "-d" || w == "--download") file = "(downloaded file)";
      if (w == "--raw" || w.starts_with("--raw=")) data = true;
      if (std::find(std::begin(k_with_value), std::end(k_with_value), w) != std::end(k_with_value)) ++i;
      continue;
    }
    if (!url_seen) {
      bool is_method = !w.empty() && std::all_of(w.begin(), w.end(), [](char ch) { return ch >= 'A' && ch <= 'Z'; });
      if (is_method && method.empty()) method = std::string(w);
      else url_seen = true;
      continue;
    }
    size_t sep = w.find_first_of(":=@");
    if (sep == std::string_view::npos) continue;
    bool query = w[sep] == '=' && sep + 1 < w.size() && w[sep + 1] == '=';
    bool header = w[sep] == ':' && (sep + 1 >= w.size() || w[sep + 1] != '=');
    if (!query && !header) data = true;
  }
}

// The option that a shortened long option of curl or wget stands for (--cookie-j is
// --cookie-jar), among those that change what is sent, written or run; "" for none.
std::string abbreviated_option(std::string_view tool, Argv words) {
  static constexpr std::string_view k_curl[] = {"--request", "--data", "--data-raw", "--data-binary", "--data-urlencode", "--data-ascii", "--form",
                                                "--upload-file", "--json", "--output", "--dump-header", "--trace", "--trace-ascii", "--stderr",
                                                "--cookie-jar", "--libcurl", "--etag-save", "--hsts", "--alt-svc", "--config", "--quote",
                                                "--remote-name", "--remote-name-all", "--url", "--proto-default", "--output-dir"};
  static constexpr std::string_view k_wget[] = {"--method", "--execute", "--post-data", "--post-file", "--body-data", "--body-file",
                                                "--output-document", "--output-file", "--append-output", "--directory-prefix", "--save-cookies"};
  std::span<const std::string_view> names = tool == "curl" ? std::span<const std::string_view>(k_curl) : tool == "wget" ? std::span<const std::string_view>(k_wget) : std::span<const std::string_view>();
  for (auto w : words.subspan(1)) {
    if (w == "--") break;
    std::string_view name = w.substr(0, w.find('='));
    if (name.size() <= 2 || !name.starts_with("--") || std::find(names.begin(), names.end(), name) != names.end()) continue;
    for (auto full : names) {
      if (full.starts_with(name)) return std::string(full);
    }
  }
  return "";
}

// curl's options that write the file they name.
bool curl_writes(std::string_view option) {
  static constexpr std::string_view k_writes[] = {"-o", "--output", "-D", "--dump-header", "--trace", "--trace-ascii", "--stderr",
                                                  "-c", "--cookie-jar", "--libcurl", "--etag-save", "--hsts", "--alt-svc"};
  return std::find(std::begin(k_writes), std::end(k_writes), option) != std::end(k_writes);
}

// "gopher" of "gopher://host/x", lower-cased; "" when the word is no URL.
std::string url_scheme(std::string_view word) {
  size_t sep = word.find("://");
  if (sep == std::string_view::npos || sep == 0) return "";
  std::string_view scheme = word.substr(0, sep);
  if (size_t eq = scheme.rfind('='); eq != std::string_view::npos) scheme = scheme.substr(eq + 1);  // --url=gopher://
  bool plain = !scheme.empty() && std::all_of(scheme.begin(), scheme.end(), [](char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '+' || c == '-' || c == '.'; });
  return plain ? to_lower(scheme) : "";
}

// The scheme curl picks for a word it may read as a URL, when the word does not write one: a
// glob in the scheme or host ({dict,x}://, [d-d]ict://: curl expands it unless -g) is "glob";
// a host named ftp., dict., ldap., imap., smtp. or pop3. makes curl guess that protocol;
// --proto-default sets it. "" for http or no URL.
std::string curl_guessed_scheme(std::string_view word, std::string_view previous) {
  if (previous == "--proto-default") return to_lower(word);
  std::string_view head = word.substr(0, word.find('/'));
  bool hostlike = !head.empty() && head[0] != '-' && std::all_of(head.begin(), head.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) != 0 || std::string_view(".,:_-{}[]").find(c) != std::string_view::npos;
  });
  if (!hostlike) return "";
  if (head.find_first_of("{[") != std::string_view::npos) return "glob";
  for (std::string_view guess : {"ftp.", "dict.", "ldap.", "imap.", "smtp.", "pop3."}) {
    if (to_lower(head).starts_with(guess)) return std::string(guess.substr(0, guess.size() - 1));
  }
  return "";
}

// Short options in clusters, one word each: the letters in `valued` take a value, which is the
// rest of the word (curl -sSfXDELETE, -sSo/tmp/x; wget -qemethod=DELETE) or the next word.
std::vector<std::string_view> split_clusters(Argv words, std::string_view k_valued) {
  static const std::array<std::string, 128> k_single = [] {  // "-a", "-B"...: views into these stay valid
    std::array<std::string, 128> out;
    for (size_t c = 0; c < out.size(); ++c) out[c] = std::string{'-', static_cast<char>(c)};
    return out;
  }();
  std::vector<std::string_view> out{words[0]};
  for (size_t i = 1; i < words.size(); ++i) {
    std::string_view w = words[i];
    if (w.size() < 3 || w[0] != '-' || w[1] == '-') {
      out.push_back(w);
      continue;
    }
    for (size_t k = 1; k < w.size(); ++k) {
      unsigned char c = static_cast<unsigned char>(w[k]);
      if (c >= 128) {  // not an option letter: leave the word as it is
        out.push_back(w.substr(k));
        break;
      }
      out.push_back(k_single[c]);
      if (k_valued.find(w[k]) != std::string_view::npos) {
        if (k + 1 < w.size()) out.push_back(w.substr(k + 1));
        break;
      }
    }
  }
  return out;
}

// A long option as getopt_long reads it: `--meth=X` is --method when at least `min` characters
// are given.
bool long_option(std::string_view word, std::string_view option, size_t min) {
  std::string_view name = word.substr(0, word.find('='));
  return name.size() >= min && option.starts_with(name);
}

// A wgetrc command (wget -e 'method = DELETE'): names ignore case, '_' and '-'.
void wgetrc_command(std::string_view command, std::string& method, bool& data) {
  size_t eq = command.find('=');
  if (eq == std::string_view::npos) return;
  std::string name;
  for (char c : command.substr(0, eq)) {
    if (c != ' ' && c != '\t' && c != '_' && c != '-') name += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  if (name == "method") method = to_upper(trim(command.substr(eq + 1)));
  if (name == "bodydata" || name == "bodyfile" || name == "postdata" || name == "postfile") data = true;
}

Verdict Classifier::http(Argv raw) {
  std::string tool = tool_key(raw[0]);  // curl.exe is curl
  std::vector<std::string_view> split = tool == "curl" ? split_clusters(raw, "AbcCdDeEFHKmoPQrtTuUwxXyYz")
                                        : tool == "wget" ? split_clusters(raw, "aABDeiIlOoPQRtTUwX")
                                                         : std::vector<std::string_view>(raw.begin(), raw.end());
  Argv words = split;
  if (tool == "curl") {  // curl A --next B: every transfer is its own request
    auto next = std::find_if(words.begin() + 1, words.end(), [](std::string_view w) { return w == "-:" || (w.size() >= 5 && std::string_view("--next").starts_with(w)); });
    if (next != words.end()) {
      std::vector<std::string_view> rest{words[0]};
      rest.insert(rest.end(), next + 1, words.end());
      return worse(http(words.first(static_cast<size_t>(next - words.begin()))), http(rest));
    }
  }
  bool powershell = tool.starts_with("invoke-") || tool == "iwr" || tool == "irm";
  bool httpie = tool == "http" || tool == "https" || tool == "xh" || tool == "xhs";
  std::string method;
  bool data = false, saves = tool == "wget";
  std::string file;
  if (httpie) httpie_request(words, method, data, file);
  std::string abbreviated = abbreviated_option(tool, words);
  for (size_t i = 1; i < words.size() && !httpie; ++i) {
    std::string_view w = words[i];
    std::string_view next = i + 1 < words.size() ? words[i + 1] : std::string_view{};
    std::string lw = to_lower(w);
    if (w == "-X" || w == "--request" || (powershell && lw == "-method")) method = to_upper(next);
    else if (tool == "wget" && long_option(w, "--method", 4)) method = to_upper(w.find('=') != std::string_view::npos ? w.substr(w.find('=') + 1) : next);
    else if (tool == "wget" && (w == "-e" || long_option(w, "--execute", 5))) wgetrc_command(w.find('=') != std::string_view::npos && w.starts_with("--") ? w.substr(w.find('=') + 1) : next, method, data);
    else if (w.starts_with("-X") && w.size() > 2) method = to_upper(w.substr(2));
    else if (w.starts_with("--request=") || w.starts_with("--method=")) method = to_upper(w.substr(w.find('=') + 1));
    else if (w == "-d" || w.starts_with("--data") || w == "-F" || w == "--form" || w == "-T" || w == "--upload-file" || w == "--json" || w.starts_with("--post-")) data = true;
    else if ((tool == "curl" && curl_writes(w)) || (powershell && lw == "-outfile")) file = writes_file(next) && next != "-" ? std::string(next) : file;
    else if (tool == "curl" && (w == "-K" || w == "--config" || w == "-Q" || w == "--quote")) return note(Verdict{Safety::mutating, "curl " + std::string(w) + " takes options or commands opsbook does not see"});
    else if (tool == "curl" && (w == "-O" || w == "--remote-name")) file = "(remote name)";
    else if (tool == "wget" && (w == "-O" || w == "--output-document")) saves = writes_file(next) && next != "-";
    else if (tool == "wget" && (w == "-O-" || w == "-qO-" || w == "--spider" || w == "-O/dev/null")) saves = false;
  }
  if (method.empty()) method = data ? "POST" : "GET";
  Verdict v;
  // A line break in a header, URL or method ends that line of the request: what follows is a
  // request of its own, any method (s11a review B11: a CRLF in -H sent a DELETE).
  if (std::any_of(words.begin() + 1, words.end(), [](std::string_view w) { return w.find_first_of("\r\n") != std::string_view::npos; })) {
    v = note(Verdict{Safety::mutating, tool + " gets an argument with a line break, which can end the request line or a header and start another request"});
  }
  if (!abbreviated.empty()) v = note(Verdict{Safety::mutating, tool + " reads a shortened option as " + abbreviated + ", which sends, writes or runs something"});
  for (size_t i = 1; i < words.size(); ++i) {  // gopher://, dict://, telnet:// ... send any bytes to any port
    std::string_view w = words[i];
    std::string scheme = url_scheme(w);
    if (tool == "curl" && scheme.empty()) scheme = curl_guessed_scheme(w, words[i - 1]);
    if (scheme == "glob") {
      v = worse(v, note(Verdict{Safety::mutating, "curl expands {...} and [...] in " + std::string(w) + ": its protocol and host are known only when it runs (write each URL out)"}));
    } else if (!scheme.empty() && scheme != "http" && scheme != "https" && scheme != "file") {
      v = worse(v, note(Verdict{Safety::mutating, tool + " speaks " + scheme + "://, not HTTP: it can send any bytes to the server"}));
    }
  }
  if (!file.empty() && writes_file(file) && file != "-") v = note(Verdict{Safety::mutating, tool + " saves the response to " + file});
  if (saves) v = worse(v, note(Verdict{Safety::mutating, "wget saves the download to a file"}));
  if (data && (method == "GET" || method == "HEAD" || method == "OPTIONS")) v = worse(v, note(Verdict{Safety::mutating, tool + " sends a body with " + method + ": the server may act on it"}));
  if (method == "DELETE") return worse(v, note(Verdict{Safety::destructive, tool + " sends DELETE: deletes a resource"}));
  if (method != "GET" && method != "HEAD" && method != "OPTIONS") return worse(v, note(Verdict{Safety::mutating, tool + " sends " + method}));
  return v;
}

// PowerShell, read through the shell lexer (quotes and pipelines agree closely enough for
// words): `$x = Get-X` assigns, `{ ... }` script blocks hold commands of their own.
Verdict Classifier::powershell(std::string_view text) {
  Verdict v;
  shell::Script s = shell::lex(text, shell::Placeholders::words);
  for (const auto& c : s.commands()) {
    std::vector<std::string_view> words;
    for (auto a : s.args(c)) words.push_back(s.text(s.words()[a]));
    size_t from = words.size() > 2 && words[0].starts_with('$') && words[1] == "=" ? 2 : 0;
    size_t i = from;
    while (i < words.size()) {  // the command, then each script block's command
      size_t end = i;
      while (end < words.size() && words[end] != "{" && words[end] != "}") ++end;
      if (end > i && !words[i].starts_with('$')) v = worse(v, argv(Argv(words).subspan(i, end - i), Input{}, 1));
      i = end + 1;
    }
  }
  return v;
}

// A method whose name starts with a verb that acts, in snake_case or camelCase (`.cancel_job(`,
// `.delay(`, `.requeueAll(`): the first such method and the class its verb gives. Verbs that also
// read (start, load, run) are not counted, nor names that end like an attribute (`.retry_count`).
std::pair<std::string, Safety> changing_method(std::string_view text) {
  static constexpr std::array<std::string_view, 7> k_destroys = {"delete", "destroy", "drop", "purge", "wipe", "truncate", "remove"};
  static constexpr std::array<std::string_view, 37> k_changes = {
      "cancel", "kill", "update", "create", "insert", "save", "set", "enqueue", "schedule", "retry", "requeue", "publish", "send",
      "restart", "stop", "terminate", "revoke", "expire", "evict", "migrate", "import", "delay", "apply", "perform", "execute", "reset",
      "unlock", "lock", "enable", "disable", "toggle", "increment", "decrement", "push", "rename", "archive", "restore"};
  // Names that end on one of these are attributes: `.delete_error`, `.cancel_reason`, `.retry_count`.
  static constexpr std::array<std::string_view, 20> k_attributes = {"error", "errors", "at", "by", "count", "status", "id", "time", "state", "version",
                                                                   "date", "shared", "type", "name", "reason", "message", "url", "path", "size", "enabled"};
  auto in = [](const auto& list, const std::string& w) { return std::find(list.begin(), list.end(), w) != list.end(); };
  for (size_t dot = text.find('.'); dot != std::string_view::npos; dot = text.find('.', dot + 1)) {
    size_t end = dot + 1;
    while (end < text.size() && (std::isalnum(static_cast<unsigned char>(text[end])) != 0 || text[end] == '_')) ++end;
    std::string_view name = text.substr(dot + 1, end - dot - 1);
    if (name.empty() || std::isdigit(static_cast<unsigned char>(name[0])) != 0) continue;
    std::vector<std::string> words(1);
    for (size_t i = 0; i < name.size(); ++i) {
      bool upper = std::isupper(static_cast<unsigned char>(name[i])) != 0;
      if ((name[i] == '_' || upper) && !words.back().empty()) words.emplace_back();
      if (name[i] != '_') words.back() += static_cast<char>(std::tolower(static_cast<unsigned char>(name[i])));
    }
    if (words.size() > 1 && in(k_attributes, words.back())) continue;  // `.delete_error`, `.import_export_shared`
    if (in(k_destroys, words.front())) return {std::string(name), Safety::destructive};
    if (in(k_changes, words.front())) return {std::string(name), Safety::mutating};
  }
  return {"", Safety::read_only};
}

// Ruby, Python and Mongo console lines: method names that change or delete data.
Verdict Classifier::console_methods(std::string_view text, CommandLang lang) {
  struct Method {
    std::string_view token;
    Safety level;
  };
  static constexpr std::array<Method, 42> k_methods = {{
      {".destroy", Safety::destructive}, {".delete_all", Safety::destructive}, {".delete(", Safety::destructive},
      {".delete ", Safety::destructive}, {"drop_table", Safety::destructive}, {".truncate", Safety::destructive},
      {"FileUtils.rm", Safety::destructive}, {".drop(", Safety::destructive}, {".dropDatabase", Safety::destructive},
      {".deleteMany", Safety::destructive}, {".deleteOne", Safety::destructive}, {".remove(", Safety::destructive},
      {".flushall", Safety::destructive}, {".flushdb", Safety::destructive}, {".update", Safety::mutating},
      {".save", Safety::mutating}, {".create", Safety::mutating}, {".insert", Safety::mutating},
      {".replaceOne", Safety::mutating}, {".enqueue", Safety::mutating}, {"perform_async", Safety::mutating},
      {".perform", Safety::mutating}, {".toggle", Safety::mutating}, {".increment", Safety::mutating},
      {".lock", Safety::mutating}, {".unlock", Safety::mutating}, {"Feature.enable", Safety::mutating},
      {"Feature.disable", Safety::mutating}, {".execute", Safety::mutating}, {".set(", Safety::mutating},
      {"stepDown", Safety::mutating}, {".renameCollection", Safety::mutating}, {".findAndModify", Safety::mutating},
      {".reset", Safety::mutating},      {".clear", Safety::destructive},    {".enable(", Safety::mutating},
      {".enable_", Safety::mutating},    {".disable(", Safety::mutating},    {".disable_", Safety::mutating},
      {".block!", Safety::mutating},     {".kill", Safety::destructive},
  }};
  Verdict v;
  std::string_view lang_name = lang == CommandLang::ruby ? "Ruby" : lang == CommandLang::python ? "Python" : "Mongo";
  for (const Method& m : k_methods) {
    if (text.find(m.token) == std::string_view::npos) continue;
    v = worse(v, note(Verdict{m.level, std::string(lang_name) + " " + std::string(m.token) + (m.level == Safety::destructive ? " deletes data" : " changes data")}));
  }
  if (v.level == Safety::read_only) {
    if (auto [name, level] = changing_method(text); !name.empty()) {
      v = note(Verdict{level, std::string(lang_name) + " ." + name + (level == Safety::destructive ? " says it deletes data" : " says it changes something")});
    }
  }
  return v;
}

Verdict Classifier::in_language(std::string_view text, CommandLang lang) {
  switch (lang) {
    case CommandLang::shell: return script(strip_cron_schedule(text), Input{}, 0);
    case CommandLang::powershell: return powershell(text);
    case CommandLang::sql: return sql(text, m_line, 0, SqlText::block);
    case CommandLang::redis: return redis_lines(text);
    case CommandLang::ruby:
    case CommandLang::python:
    case CommandLang::mongo: return console_methods(text, lang);
    case CommandLang::query:
    case CommandLang::other: return {};
  }
  return {};
}

}  // namespace

Verdict classify_command(std::string_view text, CommandLang lang, std::vector<SafetyReason>* reasons, int line) {
  if (lang == CommandLang::shell) {
    std::string_view command = strip_cron_schedule(trim(text));
    Classifier c(reasons, command, line + static_cast<int>(std::count(text.data(), command.data(), '\n')));
    return c.script(command, Input{}, 0);
  }
  Classifier c(reasons, text, line);
  return c.in_language(text, lang);
}

Verdict classify_shell_command(std::string_view command_line) { return classify_command(command_line, CommandLang::shell); }

Safety classify_snippet(Snippet& s) {
  Safety level = Safety::read_only;
  auto raise = [&](Safety l) {
    if (static_cast<int>(l) > static_cast<int>(level)) level = l;
  };
  s.reasons.clear();
  if (s.commands.empty() && s.kind == SnippetKind::sql) {  // statements, each at its line
    Verdict v = classify_command(s.code, CommandLang::sql, &s.reasons, s.code_line);
    raise(v.level);
  } else if (s.commands.empty() && s.kind == SnippetKind::http) {
    HttpRequest request = parse_http_request(s.code);
    const std::string& method = request.method;
    if (!request.body.empty() && (method == "GET" || method == "HEAD" || method == "OPTIONS")) {
      s.reasons.push_back(SafetyReason{s.code_line, Safety::mutating, "HTTP " + method + " with a body: what the server does with the body is not known"});
    }
    if (method == "DELETE") s.reasons.push_back(SafetyReason{s.code_line, Safety::destructive, "HTTP DELETE deletes a resource"});
    else if (method != "GET" && method != "HEAD" && method != "OPTIONS" && !method.empty()) s.reasons.push_back(SafetyReason{s.code_line, Safety::mutating, "HTTP " + method + " changes state"});
    for (const auto& r : s.reasons) raise(r.level);
  }
  for (auto& c : s.commands) {
    CommandLang lang = c.lang == CommandLang::shell && s.kind == SnippetKind::powershell ? CommandLang::powershell : c.lang;
    c.reasons.clear();
    Verdict v = classify_command(c.text, lang, &c.reasons, c.line);
    c.safety = v.level;
    c.interactive = v.interactive;
    raise(v.level);
    for (const auto& r : c.reasons) {
      if (r.level != Safety::read_only) s.reasons.push_back(r);
    }
  }
  return level;
}

// ${a[i]}, ${x:i:n}, ${!x}, ${x@P}: bash evaluates the subscript or offset as arithmetic, the name
// an indirection holds, or the value as a prompt, and each runs $(...) held in a variable
// (`${#PWD[_]}` with $_ set to 'a[$(cmd)]'). Literal numbers, @ and * only.
std::optional<std::string> evaluating_expansion(std::string_view text) {
  std::string_view body = text.substr(2, text.size() >= 3 ? text.size() - 3 : 0);  // inside ${ }
  if (body.starts_with('!') && body.size() > 1) return "${!...} expands the variable another one names, and evaluates its subscript";
  if (body.starts_with('#') && body.size() > 1) body.remove_prefix(1);
  size_t end = 0;
  while (end < body.size() && (is_ident_char(body[end]) || (end == 0 && std::string_view("@*#?$!-").find(body[end]) != std::string_view::npos))) {
    ++end;
    if (end == 1 && !is_ident_char(body[0])) break;
  }
  std::string_view rest = body.substr(end);
  auto literal = [](std::string_view v) { return std::all_of(v.begin(), v.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)) || c == ' ' || c == '-' || c == ':'; }); };
  if (rest.starts_with('[')) {
    std::string_view sub = rest.substr(1, rest.find(']') == std::string_view::npos ? std::string_view::npos : rest.find(']') - 1);
    if (sub != "@" && sub != "*" && (sub.empty() || !all_digits(sub))) return "${...[" + std::string(sub) + "]} evaluates its subscript as arithmetic, which runs code held in variables";
    rest.remove_prefix(std::min(rest.size(), sub.size() + 2));
  }
  if (rest.starts_with(':') && (rest.size() < 2 || std::string_view("-=+?").find(rest[1]) == std::string_view::npos) && !literal(rest.substr(1))) {
    return "${...:" + std::string(rest.substr(1)) + "} evaluates its offset as arithmetic, which runs code held in variables";
  }
  if (rest.starts_with('@')) return "${...@...} transforms the value (@P runs the $(...) it holds)";
  return std::nullopt;
}

bool bash_network_path(std::string_view path) {
  std::string collapsed;
  for (char c : path) {
    if (c != '/' || collapsed.empty() || collapsed.back() != '/') collapsed += c;
  }
  return collapsed.starts_with("/dev/tcp/") || collapsed.starts_with("/dev/udp/");
}

bool shell_reads_variable(std::string_view name) {
  static constexpr std::string_view k_exact[] = {"PATH", "IFS", "HOME", "CDPATH", "ENV", "SHELLOPTS", "POSIXLY_CORRECT", "GLOBIGNORE", "EXECIGNORE",
                                                 "FIGNORE", "PS0", "PS1", "PS2", "PS3", "PS4", "PROMPT_COMMAND", "TMPDIR", "TMOUT", "FUNCNEST",
                                                 "HOSTFILE", "INPUTRC", "MAILPATH", "HISTFILE", "HISTFILESIZE", "HISTSIZE", "OPTIND", "DIRSTACK",
                                                 "COPROC"};
  return std::find(std::begin(k_exact), std::end(k_exact), name) != std::end(k_exact) || name.starts_with("BASH");
}

bool env_var_picks_server(std::string_view name) {
  static constexpr std::string_view k_exact[] = {"PGHOST", "PGHOSTADDR", "PGPORT", "CONTAINER_HOST", "KUBERNETES_SERVICE_HOST", "REDISCLI_AUTH", "KAFKA_BROKERS"};
  static constexpr std::string_view k_suffixes[] = {"_PROXY", "_ENDPOINT", "_ENDPOINTS", "_ENDPOINT_URL", "_ADDR", "_ADDRESS"};
  std::string upper = to_upper(name);
  return std::find(std::begin(k_exact), std::end(k_exact), upper) != std::end(k_exact) || upper.starts_with("AWS_ENDPOINT_URL") ||
         std::any_of(std::begin(k_suffixes), std::end(k_suffixes), [&](std::string_view x) { return upper.ends_with(x); });
}

bool value_may_not_set(std::string_view name) { return env_var_runs_programs(name) || env_var_picks_server(name) || shell_reads_variable(name); }

bool env_var_runs_programs(std::string_view name) {
  static constexpr std::string_view k_exact[] = {
      "PATH", "HOME", "ENV", "BASH_ENV", "SHELLOPTS", "BASHOPTS", "PROMPT_COMMAND", "VISUAL", "BROWSER", "SHELL", "ZDOTDIR", "XDG_CONFIG_HOME",
      "XDG_CONFIG_DIRS", "KUBECONFIG", "IFS", "PSQLRC", "WGETRC", "CURL_HOME", "AWKPATH", "TAR_OPTIONS", "GZIP", "PYTHONPATH", "PYTHONSTARTUP",
      "PYTHONHOME", "PERL5OPT", "PERL5LIB", "PERLLIB", "RUBYOPT", "RUBYLIB", "NODE_OPTIONS", "NODE_PATH", "JAVA_TOOL_OPTIONS", "_JAVA_OPTIONS",
      "JDK_JAVA_OPTIONS", "JAVA_HOME", "LESSOPEN", "LESSCLOSE", "LESSKEY", "DOCKER_CONFIG", "DOCKER_HOST", "GNUPGHOME", "SSH_AUTH_SOCK",
      "PS4", "BASH_CMDS", "BASH_ALIASES", "BASH_XTRACEFD", "EXECIGNORE", "FIGNORE", "HISTFILE", "GLOBIGNORE", "MANOPT", "SCREENRC", "SYSSCREENRC", "PGOPTIONS", "PGCLIENTENCODING", "PGSERVICE", "PGSERVICEFILE", "PGSYSCONFDIR", "LOCPATH", "NLSPATH", "TERMINFO",
      "TERMCAP", "GLIBC_TUNABLES", "HOSTALIASES", "RES_OPTIONS", "LOCALDOMAIN", "SSLKEYLOGFILE", "REDISCLI_RCFILE", "MYSQL_HOME", "MYSQL_TEST_LOGIN_FILE",
      // options and programs read from the environment: less -O writes a log, rsync -e runs a shell
      "LESS", "MORE", "SYSTEMD_LESS", "BZIP", "BZIP2", "ZIPOPT", "UNZIP", "UNZIPOPT", "ZIPINFO", "MANPATH", "INFOPATH", "GOPATH", "GOFLAGS", "CLASSPATH",
      "VIMINIT", "EXINIT", "MYVIMRC", "GVIMINIT", "EMACSLOADPATH", "AWS_CONFIG_FILE", "AWS_SHARED_CREDENTIALS_FILE", "CLOUDSDK_CONFIG",
      "AZURE_CONFIG_DIR"};
  static constexpr std::string_view k_prefixes[] = {"LD_", "DYLD_", "GIT_", "BASH_FUNC_", "GCONV", "HELM_", "NPM_CONFIG_", "DOCKER_", "PYTHON", "PERL", "RUBY", "JAVA", "LUA_", "GEM_", "BUNDLE_", "PIP_", "CONDA", "OPENSSL_", "SSL_", "SYSTEM_", "GNUTLS_", "NSS_", "KRB5", "MALLOC_", "XDG_", "CURL_", "WGET", "HGRC"};
  static constexpr std::string_view k_suffixes[] = {"PAGER", "EDITOR", "ASKPASS", "RCFILE", "_EXTERNAL_DIFF", "RC", "_CONF", "_CONFIG", "_CONFIG_FILE", "_CONFIG_PATH", "_PLUGINS", "_PLUGIN_PATH", "_PRELOAD", "_HOOK", "_HOOKS", "KEYLOGFILE",
                                                    "_OPTS", "_OPT", "_OPTIONS", "_FLAGS", "_DEFAULTS", "_COMMAND", "_CMD", "_RSH", "_PROG", "_PROGRAM", "_CONFIG_DIR", "_CONFIG_HOME",
                                                    "_PYTHON", "_SSH"};  // CLOUDSDK_PYTHON, SVN_SSH: the interpreter or transport they run
  std::string upper = to_upper(name);
  auto any = [](const auto& list, auto pred) { return std::any_of(std::begin(list), std::end(list), pred); };
  return any(k_exact, [&](std::string_view e) { return upper == e; }) || any(k_prefixes, [&](std::string_view p) { return upper.starts_with(p); }) ||
         any(k_suffixes, [&](std::string_view x) { return upper.ends_with(x); });
}

}  // namespace opsbook::model
