// The classifier: known commands and their subcommands, SQL inside psql -c, redis-cli commands,
// redirections, and the `--force` flag. Unknown commands are assumed to change something.
#include "safety.hpp"

#include <algorithm>
#include <array>

#include "shell_words.hpp"
#include "sql.hpp"
#include "text.hpp"

namespace opsbook::model {

namespace {

using Words = std::vector<ShellToken>;

Verdict worse(Verdict a, Verdict b) { return static_cast<int>(b.level) > static_cast<int>(a.level) ? b : a; }

template <size_t N>
bool in(std::string_view word, const std::array<std::string_view, N>& set) {
  return std::find(set.begin(), set.end(), word) != set.end();
}

bool has_word(const Words& w, size_t from, std::string_view word) {
  for (size_t i = from; i < w.size(); ++i) {
    if (w[i].type == ShellToken::Type::word && w[i].text == word) return true;
  }
  return false;
}

// Short options like -rf: true when any of `letters` is set.
bool has_short_flag(const Words& w, size_t from, std::string_view letters) {
  for (size_t i = from; i < w.size(); ++i) {
    const std::string& t = w[i].text;
    if (t.size() >= 2 && t[0] == '-' && t[1] != '-') {
      for (char c : t.substr(1)) {
        if (letters.find(c) != std::string_view::npos) return true;
      }
    }
  }
  return false;
}

// Non-option words from `from`, skipping the values of options in `valued`.
std::vector<std::string> positionals(const Words& w, size_t from, std::initializer_list<std::string_view> valued = {}) {
  std::vector<std::string> out;
  for (size_t i = from; i < w.size(); ++i) {
    if (w[i].type != ShellToken::Type::word) {
      ++i;  // skip redirect target
      continue;
    }
    const std::string& t = w[i].text;
    if (t.starts_with('-') && t.size() > 1) {
      if (std::find(valued.begin(), valued.end(), t) != valued.end()) ++i;
      continue;
    }
    out.push_back(t);
  }
  return out;
}

Words sub(const Words& w, size_t from) { return Words(w.begin() + static_cast<long>(std::min(from, w.size())), w.end()); }

Verdict classify_simple(const Words& words, int depth);

Verdict classify_sql_text(std::string_view sql) {
  Verdict v;
  for (const auto& st : split_sql(sql)) {
    SqlVerdict sv = classify_sql_statement(st.text);
    v = worse(v, Verdict{sv.level, sv.reason});
  }
  return v;
}

constexpr std::array<std::string_view, 24> k_read_words = {
    "list", "ls", "get", "describe", "show", "status", "info", "version", "help", "inspect", "logs",
    "cat", "top", "check", "diff", "current", "history", "ping", "plan", "validate", "whoami", "search",
    "view", "explain"};
constexpr std::array<std::string_view, 12> k_destroy_words = {
    "delete", "destroy", "drop", "purge", "wipe", "erase", "remove", "prune", "flush", "downgrade",
    "uninstall", "rm"};

// Generic rule for CLIs with subcommands (aws, gcloud, terraform, celery, ...).
Verdict classify_by_subcommand(const Words& w, size_t cmd) {
  const std::string& name = w[cmd].text;
  std::vector<std::string> pos = positionals(w, cmd + 1);
  size_t limit = std::min<size_t>(pos.size(), 4);
  for (size_t i = 0; i < limit; ++i) {
    std::string p = to_lower(pos[i]);
    for (std::string_view d : k_destroy_words) {
      if (p == d || p.starts_with(std::string(d) + "-")) return {Safety::destructive, name + " " + pos[i] + " deletes data"};
    }
  }
  for (size_t i = 0; i < limit; ++i) {
    std::string p = to_lower(pos[i]);
    for (std::string_view r : k_read_words) {
      if (p == r || p.starts_with(std::string(r) + "-")) return {};
    }
  }
  return {Safety::mutating, "`" + name + (pos.empty() ? "" : " " + pos[0]) + "` is not known to be read-only"};
}

Verdict classify_docker(const Words& w, size_t cmd, int depth) {
  // docker [global opts] [compose [compose opts]] SUB [opts] ...
  size_t i = cmd + 1;
  bool compose = w[cmd].text == "docker-compose" || w[cmd].text == "podman-compose";
  auto skip_opts = [&](std::initializer_list<std::string_view> valued) {
    while (i < w.size() && w[i].text.starts_with('-')) {
      bool takes = std::find(valued.begin(), valued.end(), w[i].text) != valued.end();
      ++i;
      if (takes) ++i;
    }
  };
  if (!compose) skip_opts({"-H", "--host", "--context", "-c", "--config", "-l", "--log-level"});
  if (!compose && i < w.size() && w[i].text == "compose") {
    compose = true;
    ++i;
  }
  if (compose) skip_opts({"-f", "--file", "-p", "--project-name", "--env-file", "--profile", "--project-directory", "--ansi", "--parallel"});
  if (i >= w.size()) return {};
  std::string subcmd = w[i].text;
  std::string label = compose ? "docker compose " + subcmd : "docker " + subcmd;
  size_t rest = i + 1;
  static constexpr std::array<std::string_view, 18> reads = {
      "ps", "logs", "images", "inspect", "stats", "top", "port", "version", "info", "config", "events",
      "history", "ls", "search", "diff", "wait", "login", "context"};
  if (in(subcmd, reads)) return {};
  if (subcmd == "volume" || subcmd == "system" || subcmd == "image" || subcmd == "container" ||
      subcmd == "network" || subcmd == "builder" || subcmd == "buildx") {
    std::vector<std::string> pos = positionals(w, rest);
    std::string action = pos.empty() ? "" : pos[0];
    if (action == "ls" || action == "inspect" || action == "df" || action == "list" || action == "info") return {};
    if (subcmd == "volume" && (action == "rm" || action == "prune" || action == "remove")) {
      return {Safety::destructive, "docker volume " + action + " deletes volume data"};
    }
    if (subcmd == "system" && action == "prune") return {Safety::destructive, "docker system prune deletes containers, images and (with --volumes) data"};
    return {Safety::mutating, "docker " + subcmd + " " + action + " changes Docker state"};
  }
  if (subcmd == "down") {
    if (has_word(w, rest, "-v") || has_word(w, rest, "--volumes")) return {Safety::destructive, label + " -v deletes the volumes and their data"};
    return {Safety::mutating, label + " stops and removes containers"};
  }
  if (subcmd == "rm") {
    if (compose && (has_short_flag(w, rest, "v") || has_word(w, rest, "--volumes"))) return {Safety::destructive, label + " -v deletes anonymous volumes"};
    if (!compose && (has_short_flag(w, rest, "v") || has_word(w, rest, "--volumes"))) return {Safety::destructive, label + " -v deletes the container's volumes"};
    return {Safety::mutating, label + " removes containers"};
  }
  if (subcmd == "exec" || subcmd == "run") {
    // Options, then the service/container (run: image), then the inner command.
    size_t j = rest;
    while (j < w.size() && w[j].text.starts_with('-')) {
      const std::string& o = w[j].text;
      ++j;
      static constexpr std::array<std::string_view, 16> valued = {
          "-u", "--user", "-e", "--env", "-w", "--workdir", "--index", "-v", "--volume", "--name",
          "-p", "--publish", "--entrypoint", "--network", "-l", "--label"};
      if (in(o, valued) && o.find('=') == std::string::npos) ++j;
    }
    ++j;  // service / container / image
    Verdict inner;
    if (j < w.size() && depth < 4) {
      Words inner_words = sub(w, j);
      inner = classify_simple(inner_words, depth + 1);
    } else if (subcmd == "exec") {
      inner = {Safety::mutating, label + " without a command opens a shell"};
    }
    if (subcmd == "run") return worse(Verdict{Safety::mutating, label + " starts a new container"}, inner);
    return inner;
  }
  return {Safety::mutating, label + " changes running services"};
}

Verdict classify_kubectl(const Words& w, size_t cmd, int depth) {
  std::vector<std::string> pos = positionals(w, cmd + 1, {"-n", "--namespace", "--context", "-c", "--container", "-l", "--selector", "-o", "--output", "--kubeconfig", "--cluster", "--user"});
  if (pos.empty()) return {};
  const std::string& sub1 = pos[0];
  static constexpr std::array<std::string_view, 12> reads = {
      "get", "describe", "logs", "top", "explain", "version", "cluster-info", "api-resources",
      "api-versions", "port-forward", "diff", "events"};
  if (in(sub1, reads)) return {};
  if (sub1 == "auth" || sub1 == "config") {
    if (pos.size() > 1 && (pos[1] == "can-i" || pos[1] == "view" || pos[1] == "get-contexts" || pos[1] == "current-context")) return {};
    return {Safety::mutating, "kubectl " + sub1 + " changes configuration"};
  }
  if (sub1 == "delete") return {Safety::destructive, "kubectl delete removes resources"};
  if (sub1 == "exec") {
    for (size_t i = cmd + 1; i < w.size(); ++i) {
      if (w[i].text == "--" && depth < 4) return classify_simple(sub(w, i + 1), depth + 1);
    }
    return {Safety::mutating, "kubectl exec opens a shell in a pod"};
  }
  if (sub1 == "drain") return {Safety::mutating, "kubectl drain evicts every pod from the node"};
  return {Safety::mutating, "kubectl " + sub1 + " changes the cluster"};
}

Verdict classify_redis(const Words& w, size_t cmd) {
  // redis-cli [options] [command args...]
  size_t i = cmd + 1;
  static constexpr std::array<std::string_view, 14> valued = {"-h", "-p", "-a", "-n", "-u", "-s", "--user", "--pass", "-r", "-i", "--tls", "--cacert", "--cert", "--key"};
  static constexpr std::array<std::string_view, 14> read_modes = {"--bigkeys", "--memkeys", "--stat", "--latency", "--latency-history", "--scan", "--hotkeys", "--memkeys-samples", "--latency-dist", "--intrinsic-latency", "--cluster", "--no-auth-warning", "--raw", "--csv"};
  bool read_mode = false;
  while (i < w.size() && w[i].text.starts_with('-')) {
    const std::string& o = w[i].text;
    if (in(o, read_modes)) read_mode = true;
    ++i;
    if (in(o, valued) && i < w.size()) ++i;
  }
  if (i >= w.size()) {
    if (read_mode) return {};
    return {Safety::mutating, "interactive redis-cli session"};
  }
  std::string c;
  for (char ch : w[i].text) c += static_cast<char>((ch >= 'a' && ch <= 'z') ? ch - 'a' + 'A' : ch);
  std::string arg = i + 1 < w.size() ? to_lower(w[i + 1].text) : "";
  static constexpr std::array<std::string_view, 40> reads = {
      "PING", "INFO", "GET", "MGET", "EXISTS", "TTL", "PTTL", "TYPE", "KEYS", "SCAN", "HGET", "HGETALL",
      "HLEN", "HKEYS", "HVALS", "HMGET", "LLEN", "LRANGE", "LINDEX", "SCARD", "SMEMBERS", "SISMEMBER",
      "ZCARD", "ZRANGE", "ZSCORE", "ZCOUNT", "XLEN", "XINFO", "XRANGE", "XPENDING", "DBSIZE", "STRLEN",
      "ROLE", "TIME", "MONITOR", "SLOWLOG", "LATENCY", "MEMORY", "OBJECT", "ECHO"};
  if (in(std::string_view(c), reads)) {
    if (c == "SLOWLOG" && arg == "reset") return {Safety::mutating, "SLOWLOG RESET clears the slow log"};
    return {};
  }
  if (c == "CONFIG" || c == "CLIENT" || c == "CLUSTER" || c == "COMMAND" || c == "ACL" || c == "SENTINEL") {
    if (arg == "get" || arg == "list" || arg == "info" || arg == "nodes" || arg == "slots" || arg == "whoami" || arg == "getname" || arg == "count" || arg == "masters" || arg == "replicas" || arg.empty()) return {};
    return {Safety::mutating, c + " " + arg + " changes the server"};
  }
  if (c == "FLUSHALL" || c == "FLUSHDB") return {Safety::destructive, c + " deletes every key"};
  if (c == "DEL" || c == "UNLINK" || c == "HDEL" || c == "SREM" || c == "ZREM" || c == "LTRIM" || c == "XTRIM" || c == "XDEL") return {Safety::destructive, c + " deletes keys or members"};
  if (c == "SHUTDOWN" || c == "DEBUG") return {Safety::destructive, c + " stops or crashes the server"};
  return {Safety::mutating, c + " writes to Redis"};
}

Verdict classify_psql(const Words& w, size_t cmd) {
  Verdict v;
  bool has_query = false;
  for (size_t i = cmd + 1; i < w.size(); ++i) {
    const std::string& o = w[i].text;
    if ((o == "-c" || o == "--command") && i + 1 < w.size()) {
      has_query = true;
      v = worse(v, classify_sql_text(w[++i].text));
    } else if (o.starts_with("--command=")) {
      has_query = true;
      v = worse(v, classify_sql_text(o.substr(10)));
    } else if ((o == "-f" || o == "--file") && i + 1 < w.size()) {
      has_query = true;
      v = worse(v, Verdict{Safety::mutating, "psql -f runs the SQL file " + w[++i].text});
    }
  }
  if (!has_query) return {Safety::mutating, "psql without -c runs whatever SQL it is given"};
  return v;
}

Verdict classify_known(const Words& all, int depth);
Verdict classify_line(std::string_view command_line, int depth);

// A simple command: the specific rules first, then `--force` as a catch-all.
Verdict classify_simple(const Words& all, int depth) {
  Verdict v = classify_known(all, depth);
  if (v.level != Safety::destructive && has_word(all, 0, "--force")) {
    size_t cmd = skip_command_wrappers(all);
    std::string name = cmd < all.size() ? all[cmd].text : "command";
    v = Verdict{Safety::destructive, name + " --force skips safety checks"};
  }
  return v;
}

Verdict classify_known(const Words& all, int depth) {
  Verdict v;
  // Redirections that write files.
  for (size_t i = 0; i < all.size(); ++i) {
    if (all[i].type == ShellToken::Type::redirect && all[i].text.find('>') != std::string::npos &&
        all[i].text.find('&') == std::string::npos) {
      std::string target = i + 1 < all.size() ? all[i + 1].text : "";
      if (target != "/dev/null" && target != "/dev/stderr" && target != "/dev/stdout" && !target.empty()) {
        v = worse(v, Verdict{Safety::mutating, "writes the file " + target});
      }
    }
  }
  Words w;
  for (size_t i = 0; i < all.size(); ++i) {
    if (all[i].type == ShellToken::Type::redirect) {
      ++i;
      continue;
    }
    w.push_back(all[i]);
  }
  size_t cmd = skip_command_wrappers(w);
  if (cmd >= w.size()) return v;
  std::string name = w[cmd].text;
  if (size_t slash = name.rfind('/'); slash != std::string::npos && slash + 1 < name.size()) name = name.substr(slash + 1);

  static constexpr std::array<std::string_view, 70> reads = {
      "cat", "ls", "ll", "grep", "egrep", "fgrep", "rg", "ag", "head", "tail", "less", "more", "wc", "sort",
      "uniq", "cut", "awk", "jq", "yq", "echo", "printf", "date", "whoami", "id", "hostname", "uname",
      "uptime", "df", "du", "free", "top", "htop", "iotop", "vmstat", "iostat", "mpstat", "ps", "pgrep",
      "lsof", "netstat", "ss", "ping", "traceroute", "mtr", "dig", "nslookup", "host", "pg_isready",
      "pg_dump", "pg_dumpall", "env", "printenv", "which", "type", "stat", "file", "tree", "test", "true",
      "false", "sleep", "diff", "cmp", "md5sum", "sha256sum", "base64", "zcat", "zgrep", "open"};
  static constexpr std::array<std::string_view, 14> neutral = {
      "cd", "pushd", "popd", "export", "source", ".", "set", "unset", "alias", "read", "xdg-open",
      "clear", "history", "exit"};
  static constexpr std::array<std::string_view, 30> mutators = {
      "cp", "mv", "mkdir", "touch", "ln", "tee", "chmod", "chown", "chgrp", "vim", "vi", "nano", "emacs",
      "kill", "pkill", "killall", "reboot", "shutdown", "halt", "poweroff", "install", "useradd",
      "usermod", "passwd", "rsync", "scp", "tar", "unzip", "patch", "pg_ctl"};
  if (in(name, reads)) {
    if (name == "env" || name == "time") return v;
    return v;
  }
  if (in(name, neutral)) return v;
  if (name == "for" || name == "while" || name == "if" || name == "do" || name == "done" || name == "then" ||
      name == "fi" || name == "else" || name == "esac" || name == "case" || name == "{" || name == "}" ||
      name == "[" || name == "[[") {
    return v;
  }
  if (name == "rm" || name == "rmdir") {
    if (name == "rm" && (has_short_flag(w, cmd + 1, "rRf") || has_word(w, cmd + 1, "--recursive"))) {
      return worse(v, Verdict{Safety::destructive, "rm -r/-f deletes files irrecoverably"});
    }
    return worse(v, Verdict{Safety::destructive, name + " deletes files"});
  }
  if (name == "find") {
    if (has_word(w, cmd + 1, "-delete")) return worse(v, Verdict{Safety::destructive, "find -delete deletes files"});
    for (size_t i = cmd + 1; i + 1 < w.size(); ++i) {
      if ((w[i].text == "-exec" || w[i].text == "-execdir") && depth < 4) return worse(v, classify_simple(sub(w, i + 1), depth + 1));
    }
    return v;
  }
  if (name == "sed" || name == "perl") {
    if (has_short_flag(w, cmd + 1, "i") || has_word(w, cmd + 1, "--in-place")) return worse(v, Verdict{Safety::mutating, name + " -i edits files in place"});
    return v;
  }
  if (name == "dd") {
    for (size_t i = cmd + 1; i < w.size(); ++i) {
      if (w[i].text.starts_with("of=") && w[i].text != "of=/dev/null") return worse(v, Verdict{Safety::destructive, "dd of= overwrites " + w[i].text.substr(3)});
    }
    return v;
  }
  if (name.starts_with("mkfs") || name == "shred" || name == "wipefs" || name == "truncate" || name == "dropdb" || name == "dropuser" || name == "fdisk" || name == "parted") {
    return worse(v, Verdict{Safety::destructive, name + " destroys data"});
  }
  if (name == "curl" || name == "wget" || name == "http" || name == "https") {
    std::string method = "GET";
    for (size_t i = cmd + 1; i < w.size(); ++i) {
      const std::string& o = w[i].text;
      if ((o == "-X" || o == "--request") && i + 1 < w.size()) method = w[++i].text;
      else if (o.starts_with("-X") && o.size() > 2) method = o.substr(2);
      else if (o.starts_with("--request=")) method = o.substr(10);
      else if (o == "-d" || o.starts_with("--data") || o == "-F" || o == "--form" || o == "-T" || o == "--upload-file" || o == "--post-data" || o == "--json") {
        if (method == "GET") method = "POST";
      }
    }
    for (char& ch : method) ch = static_cast<char>((ch >= 'a' && ch <= 'z') ? ch - 'a' + 'A' : ch);
    if (method == "DELETE") return worse(v, Verdict{Safety::destructive, name + " -X DELETE deletes a resource"});
    if (method != "GET" && method != "HEAD" && method != "OPTIONS") return worse(v, Verdict{Safety::mutating, name + " sends " + method});
    if (name == "wget" && !has_word(w, cmd + 1, "--spider") && !has_word(w, cmd + 1, "-O-") && !has_word(w, cmd + 1, "-qO-")) {
      return worse(v, Verdict{Safety::mutating, "wget saves the download to a file"});
    }
    return v;
  }
  if (name == "docker" || name == "docker-compose" || name == "podman" || name == "podman-compose") return worse(v, classify_docker(w, cmd, depth));
  if (name == "kubectl" || name == "oc") return worse(v, classify_kubectl(w, cmd, depth));
  if (name == "redis-cli") return worse(v, classify_redis(w, cmd));
  if (name == "psql") return worse(v, classify_psql(w, cmd));
  if (name == "mysql") {
    for (size_t i = cmd + 1; i + 1 < w.size(); ++i) {
      if (w[i].text == "-e" || w[i].text == "--execute") return worse(v, classify_sql_text(w[i + 1].text));
    }
    return worse(v, Verdict{Safety::mutating, "mysql without -e runs whatever SQL it is given"});
  }
  if (name == "pg_restore") {
    if (has_word(w, cmd + 1, "--clean") || has_word(w, cmd + 1, "-c")) return worse(v, Verdict{Safety::destructive, "pg_restore --clean drops objects before restoring"});
    return worse(v, Verdict{Safety::mutating, "pg_restore writes into the database"});
  }
  if (name == "systemctl" || name == "service" || name == "rc-service") {
    std::vector<std::string> pos = positionals(w, cmd + 1);
    static constexpr std::array<std::string_view, 9> sreads = {"status", "is-active", "is-enabled", "is-failed", "list-units", "list-unit-files", "show", "cat", "list-timers"};
    for (const auto& p : pos) {
      if (in(std::string_view(p), sreads)) return v;
    }
    return worse(v, Verdict{Safety::mutating, name + (pos.empty() ? "" : " " + (name == "service" && pos.size() > 1 ? pos[1] : pos[0])) + " changes a running service"});
  }
  if (name == "journalctl") {
    for (size_t i = cmd + 1; i < w.size(); ++i) {
      if (w[i].text.starts_with("--vacuum") || w[i].text == "--rotate") return worse(v, Verdict{Safety::destructive, "journalctl " + w[i].text + " deletes logs"});
    }
    return v;
  }
  if (name == "git") {
    std::vector<std::string> pos = positionals(w, cmd + 1, {"-C", "-c"});
    std::string g = pos.empty() ? "" : pos[0];
    static constexpr std::array<std::string_view, 12> greads = {"status", "log", "diff", "show", "blame", "grep", "fetch", "remote", "branch", "describe", "rev-parse", "ls-files"};
    if (g == "push" && (has_short_flag(w, cmd + 1, "f") || has_word(w, cmd + 1, "--force"))) return worse(v, Verdict{Safety::destructive, "git push --force rewrites remote history"});
    if (g == "reset" && has_word(w, cmd + 1, "--hard")) return worse(v, Verdict{Safety::destructive, "git reset --hard discards local changes"});
    if (g == "clean" && has_short_flag(w, cmd + 1, "f")) return worse(v, Verdict{Safety::destructive, "git clean -f deletes untracked files"});
    if (in(std::string_view(g), greads)) return v;
    return worse(v, Verdict{Safety::mutating, "git " + g + " changes the repository"});
  }
  if (name == "crontab") {
    if (has_short_flag(w, cmd + 1, "r")) return worse(v, Verdict{Safety::destructive, "crontab -r deletes every cron job"});
    if (has_short_flag(w, cmd + 1, "l")) return v;
    return worse(v, Verdict{Safety::mutating, "crontab changes scheduled jobs"});
  }
  if (name == "ssh") {
    // ssh [opts] host [command...]
    size_t i = cmd + 1;
    while (i < w.size() && w[i].text.starts_with('-')) {
      const std::string& o = w[i].text;
      ++i;
      if (o.size() == 2 && std::string_view("bcDEeFIiJLlmOopQRSWw").find(o[1]) != std::string_view::npos) ++i;
    }
    if (i + 1 < w.size() && depth < 4) {
      // The remote command is often one quoted word: lex it again as the far side would.
      std::string remote;
      for (size_t k = i + 1; k < w.size(); ++k) remote += (k > i + 1 ? " " : "") + w[k].text;
      return worse(v, classify_line(remote, depth + 1));
    }
    return worse(v, Verdict{Safety::mutating, "ssh opens a remote shell"});
  }
  if (name == "xargs" && depth < 4) {
    size_t i = cmd + 1;
    while (i < w.size() && w[i].text.starts_with('-')) ++i;
    if (i < w.size()) return worse(v, classify_simple(sub(w, i), depth + 1));
    return v;
  }
  if (name == "bash" || name == "sh" || name == "zsh") {
    for (size_t i = cmd + 1; i + 1 < w.size(); ++i) {
      if (w[i].text == "-c" && depth < 4) {
        Verdict inner;
        for (const auto& line : logical_shell_lines(w[i + 1].text)) inner = worse(inner, classify_line(line.text, depth + 1));
        return worse(v, inner);
      }
    }
    return worse(v, Verdict{Safety::mutating, name + " runs a script"});
  }
  if (name == "make") return worse(v, Verdict{Safety::mutating, "make runs the target's recipe"});
  if (name == "nginx") {
    if (has_word(w, cmd + 1, "-t") || has_word(w, cmd + 1, "-T") || has_word(w, cmd + 1, "-v") || has_word(w, cmd + 1, "-V")) return v;
    return worse(v, Verdict{Safety::mutating, "nginx signals or starts the server"});
  }
  if (name == "openssl" || name == "nc" || name == "telnet" || name == "pgbench" || name == "sops") {
    if (name == "sops" && !has_short_flag(w, cmd + 1, "d")) return worse(v, Verdict{Safety::mutating, "sops writes encrypted files"});
    if (name == "pgbench" && has_short_flag(w, cmd + 1, "i")) return worse(v, Verdict{Safety::destructive, "pgbench -i drops and recreates its tables"});
    return v;
  }
  if (in(name, mutators)) return worse(v, Verdict{Safety::mutating, name + " changes files or processes"});
  return worse(v, classify_by_subcommand(w, cmd));
}

// Cron lines ("0 3 * * * cmd") document a schedule; classify the command part.
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

// `<name>` placeholders are words, not redirections: "echo <message>" writes no file.
std::string neutralise_placeholders(std::string_view line) {
  std::string out;
  size_t i = 0;
  while (i < line.size()) {
    if (line[i] == '<' && i + 1 < line.size() && is_ident_start(line[i + 1])) {
      size_t j = i + 1;
      while (j < line.size() && (is_ident_char(line[j]) || line[j] == '-' || line[j] == '.')) ++j;
      if (j < line.size() && line[j] == '>') {
        out += "PLACEHOLDER";
        i = j + 1;
        continue;
      }
    }
    out += line[i++];
  }
  return out;
}

Verdict classify_line(std::string_view command_line, int depth) {
  std::string line = neutralise_placeholders(strip_cron_schedule(trim(command_line)));
  Verdict v;
  for (const auto& simple : split_pipeline(lex_shell(line))) v = worse(v, classify_simple(simple, depth));
  return v;
}

}  // namespace

Verdict classify_shell_command(std::string_view command_line) { return classify_line(command_line, 0); }

Safety classify_snippet(const Snippet& s, std::vector<SafetyReason>& reasons) {
  Safety level = Safety::read_only;
  auto note = [&](int line, const Verdict& v) {
    if (v.level == Safety::read_only) return;
    reasons.push_back(SafetyReason{line, v.level, v.reason});
    if (static_cast<int>(v.level) > static_cast<int>(level)) level = v.level;
  };
  switch (s.kind) {
    case SnippetKind::shell:
      for (const auto& c : s.commands) note(c.line, classify_shell_command(c.text));
      break;
    case SnippetKind::sql:
      for (const auto& st : split_sql(s.code)) {
        SqlVerdict sv = classify_sql_statement(st.text);
        note(s.code_line + st.line_offset, Verdict{sv.level, sv.reason});
      }
      break;
    case SnippetKind::http: {
      std::string_view first = trim(s.code.substr(0, s.code.find('\n')));
      std::string method = to_lower(first.substr(0, first.find(' ')));
      if (method == "delete") note(s.code_line, Verdict{Safety::destructive, "HTTP DELETE deletes a resource"});
      else if (method != "get" && method != "head" && method != "options" && !method.empty()) note(s.code_line, Verdict{Safety::mutating, "HTTP " + std::string(first.substr(0, first.find(' '))) + " changes state"});
      break;
    }
    case SnippetKind::powershell:
      for (const auto& c : s.commands) {
        std::string lower = to_lower(c.text);
        if (lower.find("remove-item") != std::string::npos || lower.find("clear-content") != std::string::npos || lower.find("format-volume") != std::string::npos || lower.find("remove-") != std::string::npos) {
          note(c.line, Verdict{Safety::destructive, "PowerShell Remove-*/Clear-* deletes data"});
        } else if (!(lower.starts_with("get-") || lower.starts_with("test-") || lower.starts_with("write-") || lower.starts_with("select-") || lower.starts_with("$") || lower.starts_with("invoke-webrequest") || lower.starts_with("resolve-"))) {
          note(c.line, Verdict{Safety::mutating, "PowerShell command not known to be read-only"});
        }
        if (lower.find("-force") != std::string::npos && lower.find("remove") != std::string::npos) note(c.line, Verdict{Safety::destructive, "-Force skips confirmation"});
      }
      break;
    default:
      break;
  }
  return level;
}

}  // namespace opsbook::model
