// opsbook run: gates -> parameters -> fill and rewrite -> execute (bash, pwsh, SQL, HTTP) ->
// transcript. Doc-tests reuse the same preparation without a terminal.
#include "runner/run.hpp"

#include <algorithm>
#include <cstring>
#include <cctype>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>

#include "model/git_guard.hpp"
#include "model/docker_command.hpp"
#include "model/doctest_policy.hpp"
#include "model/error.hpp"
#include "model/http_request.hpp"
#include "model/json_writer.hpp"
#include "model/limits.hpp"
#include "model/numbers.hpp"
#include "model/pattern.hpp"
#include "model/process.hpp"
#include "model/sql.hpp"
#include "model/sql_bind.hpp"
#include "model/file_io.hpp"
#include "model/sql_read_only.hpp"
#include "model/sql_reading.hpp"
#include "model/target.hpp"
#include "model/text.hpp"
#include "runner/backends.hpp"
#include "runner/doctest_sandbox.hpp"
#include "model/safety.hpp"
#include "model/shell_commands.hpp"
#include "runner/fill.hpp"
#include "runner/http_fill.hpp"

extern char** environ;

namespace opsbook::runner {

namespace {

using Clock = std::chrono::system_clock;
constexpr std::chrono::minutes k_default_timeout{10};
constexpr std::chrono::hours k_max_timeout{24};
constexpr size_t k_capture = 1 << 20;  // per stream, for the transcript

enum class Stamp { iso, compact };

std::string utc(Clock::time_point t, Stamp stamp = Stamp::iso) {
  std::time_t tt = Clock::to_time_t(t);
  std::tm tm{};
  gmtime_r(&tt, &tm);
  char buf[32];
  if (stamp == Stamp::iso) std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  else std::strftime(buf, sizeof buf, "%Y%m%dT%H%M%SZ", &tm);
  return buf;
}

// Everything prepared for one run: the code to execute, its environment, its parameters.
struct Prepared {
  std::string kind;  // shell, powershell, sql, http
  std::string code;
  std::map<std::string, std::string> values;
  std::vector<std::string> env;  // NAME=value for processes
  std::vector<std::string> secrets;  // values never to show
  std::vector<std::string> missing;
  std::string dsn;
  std::string http_method, http_url, http_headers, http_body;
  // Run before `code` on its first line (bash): sets the given $NAME values as the shell's own
  // variables and takes every value's variable out of the environment.
  std::string prologue;
  std::string input;  // the snippet's standard input (a doc-test's secrets, read by the prologue)
  std::string shown;  // what is shown as the command, when not `code` itself
  std::vector<SqlStep> sql;
  SqlAccess sql_access = SqlAccess::read_write;
  // Classified again after filling: the gate uses the worse of this and the snippet's class.
  model::Safety filled = model::Safety::read_only;
  std::string filled_reason;
  std::string refusal;
  // With reads_only: why the filled snippet is not on the doc-test allow list ("" when it is).
  std::string not_allowed;

  void raise(model::Safety level, std::string reason) {
    if (level <= filled) return;
    filled = level;
    filled_reason = std::move(reason);
  }
};

// Commands of a shell or PowerShell script, for classifying it again.
std::vector<model::Command> commands_of(model::SnippetKind kind, std::string_view code) {
  std::vector<model::Command> out;
  if (kind == model::SnippetKind::shell) return model::split_shell_commands(code, 0);
  for (std::string_view line : model::split_lines(code)) {
    if (!model::trim(line).empty()) out.push_back(model::Command{std::string(model::trim(line)), 0});
  }
  return out;
}

// The first command that opens an interactive session (ssh host, psql without -c, a console).
const model::Command* interactive_command(const std::vector<model::Command>& commands) {
  for (const auto& c : commands) {
    if (c.interactive) return &c;
  }
  return nullptr;
}

// "FILE:LINE: NAME `command` opens an interactive session", the start of every refusal of one.
std::string session_opened(const model::Runbook& rb, const model::Snippet& s, const model::Command& c, std::string_view how) {
  std::string_view text = std::string_view(c.text).substr(0, c.text.find('\n'));
  return rb.path + ":" + std::to_string(c.line) + ": " + s.id + " `" + std::string(text) + "` opens an interactive session" + std::string(how);
}

// Classifies the code again with the values written in (a value may name a subcommand, as in
// `kubectl <verb> pod`, or the tool, as in `<client> status`); raises the class when the values
// made it worse, and refuses when they made a command open an interactive session.
void classify_filled(const model::Runbook& rb, const model::Snippet& s, std::string_view code, std::string_view literal, const std::function<int(int)>& line_of,
                     Prepared& p) {
  model::Snippet before = s, after = s;
  before.commands = commands_of(s.kind, code);
  after.commands = commands_of(s.kind, literal);
  model::Safety was = model::classify_snippet(before);
  model::Safety now = model::classify_snippet(after);
  if (const model::Command* c = interactive_command(after.commands); c && !interactive_command(before.commands)) {
    // Named as the runbook wrote it (a value may be a secret), at its markdown line.
    size_t i = static_cast<size_t>(c - after.commands.data());
    model::Command written = before.commands.empty() ? model::Command{std::string(model::trim(code)), 0} : before.commands[std::min(i, before.commands.size() - 1)];
    written.line = line_of(written.line);
    p.refusal = session_opened(rb, s, written, " with its values written in: opsbook run never runs one; run it by hand in a terminal (nothing ran)");
    return;
  }
  if (now <= was) return;
  for (const auto& r : after.reasons) {
    if (r.level == now) return p.raise(now, "with its values: " + r.reason);
  }
}

// SQL as it goes to the server: each statement, then its bound values as comments.
std::string show_sql(const std::vector<SqlStep>& steps, const std::vector<std::string>& secrets) {
  std::string out;
  for (const auto& st : steps) {
    out += st.text + (st.meta ? "\n" : ";\n");
    for (size_t i = 0; i < st.values.size(); ++i) {
      std::string v;
      for (char c : st.values[i]) v += c == '\n' ? std::string("\\n") : c == '\r' ? std::string("\\r") : std::string(1, c);
      if (std::find(secrets.begin(), secrets.end(), st.values[i]) != secrets.end()) v = "***";  // shown escaped, a scrub would miss it
      out += "--   $" + std::to_string(i + 1) + " = " + v + "\n";
    }
  }
  return out;
}

// Splits and binds a SQL snippet; classifies each bound statement again. False with the
// refusal set when a value cannot be bound.
bool prepare_sql(const model::Runbook& rb, const model::Snippet& s, const std::string& code, Prepared& p) {
  std::vector<model::SqlPlaceholder> placeholders = model::sql_placeholders(s, p.values);
  bool reads = s.safety == model::Safety::read_only && s.classified == model::Safety::read_only;
  for (const auto& st : model::split_sql(code)) {
    int line = s.code_line + st.line_offset;
    std::string where = "line " + std::to_string(line) + ": ";
    if (st.meta) {
      p.sql.push_back({st.text, {}, line, true});
      continue;
    }
    model::BoundSql b = model::bind_sql(st.text, placeholders);
    if (!b.refusal.empty()) {
      p.refusal = rb.path + ":" + std::to_string(line) + ": " + b.refusal + " (nothing ran)";
      return false;
    }
    model::SqlVerdict v = model::classify_sql_statement(b.text);
    p.raise(v.level, where + v.reason);
    model::ReadOnlyVerdict ro = model::vet_read_only(b.text);
    if (!ro.allowed) {
      reads = false;
      p.raise(model::Safety::mutating, where + ro.reason);
    }
    p.sql.push_back({std::move(b.text), std::move(b.values), line, false});
  }
  p.sql_access = reads ? SqlAccess::read_only : SqlAccess::read_write;
  p.code = show_sql(p.sql, p.secrets);
  return true;
}

// The service of `kind` the snippet runs against; when there is none, `why` names what is missing
// (an environment, or the service in it) and how to give it.
const model::ServiceConfig* pick_service(const model::Runbook& rb, const model::Snippet& s, const model::EnvironmentConfig* env,
                                         std::string_view kind, std::string& why) {
  const std::string* named = s.attr("service");
  if (!env) {
    std::string any = kind == "http" ? "an HTTP service" : kind == "postgres" ? "a PostgreSQL service" : "a " + std::string(kind) + " service";
    why = "snippet " + s.id + " runs against " + (named ? "service '" + *named + "'" : any) +
          " of an environment, and none was chosen: name one with --env NAME (or set default_env in opsbook.yaml)";
    return nullptr;
  }
  const model::ServiceConfig* svc = env->service_for(kind, named ? *named : "", named != nullptr, rb.meta.services, why);
  if (!svc) why = "snippet " + s.id + ": " + why + (named ? "" : " (the snippet can name one with the service attribute)");
  return svc;
}

// DOCKER_HOST and COMPOSE_PROJECT_NAME of the environment's stack: docker and docker compose
// in a snippet address it, not whatever daemon our own environment names.
std::vector<std::pair<std::string, std::string>> compose_variables(const model::EnvironmentConfig* env) {
  std::vector<std::pair<std::string, std::string>> out;
  if (!env || !env->compose) return out;
  // Always set, as the probe resolves it: left unset, a .env file or --env-file of the pull request
  // could choose the daemon for docker-compose.
  std::string host = env->compose->docker_host;
  if (host.empty()) {
    const char* ours = std::getenv("DOCKER_HOST");
    host = ours && *ours ? ours : "unix:///var/run/docker.sock";
  }
  out.emplace_back("DOCKER_HOST", host);
  if (!env->compose->project.empty()) out.emplace_back("COMPOSE_PROJECT_NAME", env->compose->project);
  return out;
}

// The process environment: a safe base from ours, the environment's params, the DSN variables
// its services name, and the snippet's environment-variable params.
std::vector<std::string> scrubbed_environment(const model::EnvironmentConfig* env, const std::map<std::string, std::string>& env_params) {
  static const std::set<std::string> k_keep = {"PATH", "HOME", "USER", "LOGNAME", "LANG", "LANGUAGE", "TERM", "TZ", "TMPDIR", "SHELL",
                                               "SSH_AUTH_SOCK", "KUBECONFIG", "DOCKER_HOST", "DOCKER_CONFIG", "XDG_RUNTIME_DIR"};
  std::set<std::string> dsn_vars;
  if (env) {
    for (const auto& svc : env->services) {
      if (!svc.dsn_env.empty()) dsn_vars.insert(svc.dsn_env);
    }
  }
  std::map<std::string, std::string> vars;
  for (char** e = environ; *e; ++e) {
    std::string_view kv(*e);
    size_t eq = kv.find('=');
    if (eq == std::string_view::npos) continue;
    std::string name(kv.substr(0, eq));
    if (k_keep.count(name) || name.rfind("LC_", 0) == 0 || dsn_vars.count(name)) vars[name] = std::string(kv.substr(eq + 1));
  }
  // Values never choose the programs or the daemon (DOCKER_HOST...): the environment's compose:
  // daemon comes last and wins.
  // The environment's params reach the process only as the snippet's own $NAME params (env_params):
  // a param the snippet does not name is no variable of it (OPENSSL_CONF, SYSTEM_WGETRC...).
  if (env) vars["OPSBOOK_ENV"] = env->name;
  for (const auto& [k, v] : env_params) vars[k] = v;
  for (const auto& [k, v] : compose_variables(env)) vars[k] = v;
  for (const auto& [k, v] : model::git_guard_variables()) vars[k] = v;
  std::vector<std::string> out;
  for (const auto& [k, v] : vars) out.push_back(k + "=" + v);
  return out;
}

// What a doc-test's output must never show: the DSNs of the environment's services (the
// snippet's process has their variables) and their passwords, and its secret params' values.
std::vector<std::string> environment_secrets(const model::EnvironmentConfig* env) {
  std::vector<std::string> out;
  if (!env) return out;
  auto add = [&](const std::string& dsn) {
    if (std::string pw = model::dsn_password(dsn); !pw.empty()) out.push_back(pw);
  };
  for (const auto& svc : env->services) {
    const char* value = svc.dsn_env.empty() ? nullptr : std::getenv(svc.dsn_env.c_str());
    if (value && *value) out.emplace_back(value), add(value);
    add(svc.dsn);
    add(svc.url);
  }
  for (const auto& [name, value] : env->params) {
    if (is_secret_name(name) && !value.empty()) out.push_back(value);
  }
  return out;
}

constexpr std::string_view k_doctest_way = " (run it with opsbook run, or see docs/safety.md#doc-tests)";

// Why a filled shell or PowerShell doc-test is not on the allow list, as FILE:LINE: ..., or "".
// A doc-test reaches only the environment's targets (model/network_target).
std::string doctest_not_allowed(const model::Runbook& rb, const model::Snippet& s, std::string_view kind, std::string_view code, std::string_view literal,
                                const std::function<int(int)>& markdown_line, const model::EnvironmentConfig* env,
                                const std::map<std::string, std::string, std::less<>>& variables) {
  std::string where = rb.path + ":";
  if (kind == "powershell") return where + std::to_string(s.code_line) + ": doc-test not run: PowerShell has no doc-test allow list" + std::string(k_doctest_way);
  model::NetworkGate gate;
  gate.variable = [&](std::string_view name) -> const std::string* {
    auto it = variables.find(name);
    return it == variables.end() ? nullptr : &it->second;
  };
  gate.refusal = [env](const model::NetTarget& t) { return model::network_refusal(t, env); };
  std::vector<std::string> secrets = environment_secrets(env);
  gate.secrets = secrets;
  gate.secret = [&](std::string_view name) {
    if (is_secret_name(name)) return true;
    auto it = variables.find(name);
    const char* value = it != variables.end() ? it->second.c_str() : std::getenv(std::string(name).c_str());
    return value != nullptr && std::any_of(secrets.begin(), secrets.end(), [&](const std::string& x) { return !x.empty() && std::strstr(value, x.c_str()) != nullptr; });
  };
  // The secrets check first on the code as written ($GITHUB_TOKEN by its name), then everything
  // on the code with its values written in.
  std::string_view checked = code;
  std::optional<model::DoctestRefusal> r = model::doctest_secret_use(code, gate);
  if (!r) r = model::doctest_refusal(checked = literal, &gate);
  if (!r) return "";
  auto line = static_cast<int>(std::count(checked.begin(), checked.begin() + static_cast<long>(std::min(r->offset, checked.size())), '\n'));
  return where + std::to_string(markdown_line(line)) + ": doc-test not run: " + r->reason + std::string(k_doctest_way);
}

// The given $NAME values and every value's variable (OPSBOOK_P_x) are variables of the snippet's
// bash, not of its programs' environment (http_proxy, LESSOPEN, make's makefile variables...):
// they reach bash under names of ours and the prologue takes them out of the environment. Only a
// $NAME that a shell the snippet starts reads from its environment is exported.
void set_shell_variables(const std::map<std::string, std::string>& shell_only, const ShellFill& f, Prepared& p) {
  std::string carriers, assignments;
  for (const auto& [k, v] : f.env) carriers += " " + k;
  for (const auto& [name, value] : shell_only) {
    std::erase_if(p.env, [&, &key = name](const std::string& kv) { return kv.starts_with(key + "="); });
    if (f.environment.count(name)) {
      p.env.push_back(name + "=" + value);
      continue;
    }
    p.env.push_back("OPSBOOK_V_" + name + "=" + value);
    carriers += " OPSBOOK_V_" + name;
    assignments += name + "=\"${OPSBOOK_V_" + name + "}\"; ";
  }
  if (!carriers.empty()) p.prologue = "export -n" + carriers + "; " + assignments;
}

// Is `cwd`, with links followed, the folder opsbook runs in, the runbook's, or one below them?
bool inside_checkout(const model::Runbook& rb, const std::string& cwd) {
  namespace fs = std::filesystem;
  std::error_code ec;
  fs::path where = fs::weakly_canonical(cwd, ec);
  if (ec) return false;
  for (const fs::path& base : {fs::current_path(ec), fs::path(rb.path).parent_path()}) {
    fs::path root = fs::weakly_canonical(base.empty() ? fs::path(".") : base, ec);
    if (ec) continue;
    auto [r, w] = std::mismatch(root.begin(), root.end(), where.begin(), where.end());
    if (r == root.end()) return true;
  }
  return false;
}

// A doc-test's bash gets the environment's secrets (its services' DSN variables, secret-named
// params) as variables of its own, read from its standard input before the snippet runs, never in
// an environment a program could read back (awk's ENVIRON, /proc/PID/environ): those leaked a
// DSN through an oracle. The snippet itself may use them only as connection strings.
void secrets_through_stdin(const model::EnvironmentConfig* env, Prepared& p) {
  std::set<std::string, std::less<>> dsn_vars;
  if (env) {
    for (const auto& svc : env->services) dsn_vars.insert(svc.dsn_env);
  }
  std::string reads;
  std::erase_if(p.env, [&](const std::string& kv) {
    std::string_view name = std::string_view(kv).substr(0, kv.find('='));
    std::string_view param = name.starts_with("OPSBOOK_V_") ? name.substr(10) : name;
    bool identifier = !name.empty() && model::is_ident_start(name[0]) && std::all_of(name.begin(), name.end(), model::is_ident_char);
    if (!identifier || (!dsn_vars.count(name) && !(is_secret_name(param) && p.values.count(std::string(param))))) return false;
    p.input.append(kv, name.size() + 1).push_back('\0');
    reads += "IFS= read -r -d '' " + std::string(name) + " || true; ";
    return true;
  });
  p.prologue = reads + p.prologue;
}

Prepared prepare(const model::Runbook& rb, const model::Snippet& s, const RunOptions& o) {
  Prepared p;
  switch (s.kind) {
    case model::SnippetKind::shell: p.kind = "shell"; break;
    case model::SnippetKind::powershell: p.kind = "powershell"; break;
    case model::SnippetKind::sql: p.kind = "sql"; break;
    case model::SnippetKind::http: p.kind = "http"; break;
    default:
      p.refusal = "snippet " + s.id + " is " + std::string(model::to_string(s.kind)) + ", not something to run (shell, powershell, sql or http)";
      return p;
  }
  // Parameters: --param, then the environment's params, then (variables) our environment, then
  // the person at the terminal.
  std::map<std::string, std::string> env_params, shell_only;
  std::set<std::string> seen;
  const auto compose = compose_variables(o.env);
  for (const auto& param : s.params) {
    if (!seen.insert(param.name).second) continue;
    if (param.kind == model::ParamKind::env && (param.has_default || (param.name == "OPSBOOK_ENV" && o.env))) continue;
    bool chooses_programs = param.kind == model::ParamKind::env && model::value_may_not_set(param.name);
    const std::string* v = model::find_value(o.params, param.name);
    if (!v && o.env) v = model::find_value(o.env->params, param.name);
    if (v && chooses_programs) {
      p.refusal = rb.path + ":" + std::to_string(s.line) + ": parameter " + param.name +
                  " chooses the programs or the daemon the snippet's commands use: opsbook run does not take it from --param or opsbook.yaml "
                  "(the environment's compose: settings set DOCKER_HOST; for another value, export it in your shell) (nothing ran)";
      return p;
    }
    bool given = v != nullptr;  // by --param or opsbook.yaml: untrusted
    if (!v && param.kind == model::ParamKind::env) v = model::find_value(compose, param.name);
    std::string value;
    bool found = v != nullptr;
    if (found) value = *v;
    if (!found && param.kind == model::ParamKind::env) {
      if (const char* e = std::getenv(param.name.c_str())) value = e, found = true;
    }
    if (!found && o.ask) {
      if (auto answer = o.ask("value for " + param.syntax + ": ")) value = *answer, found = true, given = true;
    }
    if (!found) {
      p.missing.push_back(param.name);
      continue;
    }
    p.values[param.name] = value;
    // A given value is a variable of the snippet's bash only (exported below where a shell the
    // snippet starts reads it): no program reads it from its environment (http_proxy, LESSOPEN...).
    if (param.kind == model::ParamKind::env && given && p.kind == "shell") shell_only[param.name] = value;
    else if (param.kind == model::ParamKind::env) env_params[param.name] = value;
    if (is_secret_name(param.name) && !value.empty()) p.secrets.push_back(value);
  }
  if (!p.missing.empty()) return p;

  std::string code = s.code;
  std::vector<int> lines;  // markdown line of each line of `code`, for a transcript's commands
  if (!s.expected_output.empty() || s.lang == "console") {  // a transcript: only its commands run
    code.clear();
    for (const auto& c : s.commands) {
      code += c.text + "\n";
      for (int k = 0, n = static_cast<int>(std::count(c.text.begin(), c.text.end(), '\n')); k <= n; ++k) lines.push_back(c.line + k);
    }
  }
  code = model::rewrite_hosts_in_text(code, o.env);
  auto markdown_line = [&](int code_line) {  // a 0-based line of `code`, as a markdown line
    if (lines.empty()) return s.code_line + code_line;
    return lines[std::min(static_cast<size_t>(std::max(code_line, 0)), lines.size() - 1)];
  };
  LineOf line_of = [&](size_t offset) {
    auto n = static_cast<size_t>(std::count(code.begin(), code.begin() + static_cast<long>(std::min(offset, code.size())), '\n'));
    return markdown_line(static_cast<int>(n));
  };
  auto refused = [&](int line, const std::string& why) {
    p.refusal = rb.path + ":" + std::to_string(line) + ": " + why + " (nothing ran)";
    return p;
  };
  p.env = scrubbed_environment(o.env, env_params);
  // A doc-test's psql runs vetted reads; its sessions are read-only as well (the snippet cannot
  // set variables: the allow list refuses assignments).
  // Its docker reads no configuration folder: the CLI runs the plugins of $DOCKER_CONFIG (or
  // ~/.docker)/cli-plugins even for `docker info`, and a checkout may hold that folder. A path
  // under /dev/null can never exist.
  if (o.reads_only) {
    std::erase_if(p.env, [](const std::string& kv) { return kv.starts_with("PGOPTIONS=") || kv.starts_with("DOCKER_CONFIG="); });
    // Its statements and open transactions end with it on the server too (s9a review B6: a
    // pg_sleep(300) outlived a 2 s doc-test, holding its snapshot).
    long long ms = o.timeout ? std::max<long long>(1, o.timeout->count()) : 600000;
    p.env.push_back("PGOPTIONS=-c default_transaction_read_only=on -c statement_timeout=" + std::to_string(ms) +
                    " -c idle_in_transaction_session_timeout=" + std::to_string(ms));
    p.env.push_back("DOCKER_CONFIG=/dev/null/opsbook-doctest");
    // kubectl writes its discovery and HTTP caches under ~/.kube/cache: a read writes nothing.
    p.env.push_back("KUBECACHEDIR=/dev/null/opsbook-doctest");
  }
  // A snippet that switches how SQL is read reads values in that reading: in SJIS, BIG5 or GBK a
  // value's last byte can swallow the quote that ends its string (s10c review B3); the classifier's
  // rule, decoded spellings and names it cannot read included (s11a review B4).
  bool placeholders = std::any_of(s.params.begin(), s.params.end(), [](const model::Param& q) { return q.kind == model::ParamKind::placeholder; });
  if (model::ReadingSwitch r = placeholders ? model::sql_reading_switch(code) : model::ReadingSwitch{}; r.found()) {
    return refused(markdown_line(0), "the snippet changes how SQL is read (" + r.what + "; a client encoding, standard_conforming_strings, PGOPTIONS...), where a value's bytes "
                                  "can end the string it stands in: opsbook does not fill values there; write them in, or leave the reading to the environment");
  }
  if (p.kind == "shell" || p.kind == "powershell") {
    ShellFill f = p.kind == "shell" ? fill_shell(code, s.params, p.values, line_of) : fill_powershell(code, s.params, p.values, line_of);
    if (!f.refusal.empty()) return refused(f.refused_line, f.refusal);
    p.code = f.code;
    set_shell_variables(shell_only, f, p);
    for (const auto& [k, v] : f.env) {
      p.env.push_back(k + "=" + v);
      bool secret = std::find(p.secrets.begin(), p.secrets.end(), v) != p.secrets.end();
      p.shown += k + "=" + (secret ? std::string("'***'") : display_quote(v)) + "\n";  // quoted, a scrub would miss it
    }
    if (!p.shown.empty()) p.shown += p.code;
    if (f.literal != code) classify_filled(rb, s, code, f.literal, markdown_line, p);
    if (o.reads_only) {
      std::map<std::string, std::string, std::less<>> variables(shell_only.begin(), shell_only.end());  // what bash will see
      for (const auto& kv : p.env) variables.emplace(kv.substr(0, kv.find('=')), kv.substr(std::min(kv.find('='), kv.size() - 1) + 1));
      p.not_allowed = doctest_not_allowed(rb, s, p.kind, code, f.literal, markdown_line, o.env, variables);
      if (const std::string* cwd = s.attr("cwd"); cwd && p.not_allowed.empty() && !inside_checkout(rb, *cwd)) {
        p.not_allowed = rb.path + ":" + std::to_string(s.line) + ": doc-test not run: cwd=" + *cwd + " leaves the checkout (/proc/self, /dev, the home folder): a doc-test runs in a folder of it" +
                        std::string(k_doctest_way);
      }
      if (p.kind == "shell") secrets_through_stdin(o.env, p);
    }
  } else if (p.kind == "sql") {
    if (!prepare_sql(rb, s, code, p)) return p;
    std::string why;
    const model::ServiceConfig* svc = pick_service(rb, s, o.env, "postgres", why);
    if (!svc) {
      p.refusal = why;
      return p;
    }
    if (!svc->dsn_env.empty()) {
      const char* dsn = std::getenv(svc->dsn_env.c_str());
      if ((!dsn || !*dsn) && !o.dry_run) {
        p.refusal = "service '" + svc->name + "': environment variable " + svc->dsn_env + " is not set";
        return p;
      }
      p.dsn = dsn ? dsn : "";
    } else {
      p.dsn = !svc->dsn.empty() ? svc->dsn : svc->url;
    }
    if (std::string pw = model::dsn_password(p.dsn); !pw.empty()) p.secrets.push_back(pw);
  } else {
    // "METHOD URL" line, headers, blank line, body.
    HttpFill f = fill_http(code, s.params, p.values, line_of);
    if (!f.refusal.empty()) return refused(f.refused_line, f.refusal);
    model::HttpRequest request = model::parse_http_request(f.text);
    int at = 0;  // a header opsbook never sends as written (Content-Length smuggled a DELETE in a GET's body)
    if (std::string why = model::http_header_refusal(request, at); !why.empty()) return refused(markdown_line(at), "snippet " + s.id + ": " + why);
    p.http_method = request.method;
    std::string target = request.target;
    std::string rest = request.headers + (request.body.empty() ? "" : "\n\n" + request.body);
    p.http_headers = request.headers;
    p.http_body = request.body;
    if (!target.empty() && target[0] == '/') {
      std::string why;
      const model::ServiceConfig* svc = pick_service(rb, s, o.env, "http", why);
      if (!svc) {
        p.refusal = "no base URL for " + target + ": " + why;
        return p;
      }
      std::string base = svc->url;
      if (std::string pw = model::dsn_password(base); !pw.empty()) p.secrets.push_back(pw);  // transcripts and messages show the URL
      while (!base.empty() && base.back() == '/') base.pop_back();
      target = base + target;
    }
    p.http_url = target;
    p.code = p.http_method + " " + p.http_url + "\n" + rest;
    if (o.reads_only && p.http_method != "GET" && p.http_method != "HEAD") {
      p.not_allowed = rb.path + ":" + std::to_string(s.code_line) + ": doc-test not run: " + p.http_method + " requests are not on the doc-test allow list (only GET and HEAD)" + std::string(k_doctest_way);
    } else if (o.reads_only) {
      std::optional<model::Url> url = model::parse_url(p.http_url);
      std::string what = p.http_method + " " + (url ? url->str() : std::string("request"));  // never the URL as written: it may hold a password
      std::string why = url ? model::network_refusal(model::NetTarget{model::NetTarget::Kind::connect, url->host, url->effective_port(), what}, o.env)
                            : what + ": its URL is not one opsbook can read (check the service's url in opsbook.yaml)";
      if (!why.empty()) p.not_allowed = rb.path + ":" + std::to_string(s.code_line) + ": doc-test not run: " + why + std::string(k_doctest_way);
    }
  }
  return p;
}

std::string hide(std::string text, const Prepared& p, const RunOptions& o) {
  for (const auto& secret : p.secrets) text = model::scrub(std::move(text), secret);
  return o.redact(text);
}

std::string write_transcript(const model::Runbook& rb, const model::Snippet& s, const RunOptions& o, const Prepared& p, const RunResult& r,
                             Clock::time_point start, Clock::time_point end) {
  namespace fs = std::filesystem;
  std::string slug = rb.slug;
  std::replace(slug.begin(), slug.end(), '/', '-');
  std::string base = (fs::path(o.transcript_dir) / (utc(start, Stamp::compact) + "-" + slug + "-" + s.id)).string();
  // A transcripts folder committed as a symlink (or .opsbook as one) is never written through.
  if (std::string why = model::make_state_folder(base); !why.empty()) throw Error(base + ": " + why + ": a transcript is written only in a real folder");
  std::string json;
  model::JsonWriter w(json);
  w.begin_object().field("version", 1).field("runbook", rb.path).field("snippet", s.id).field("env", o.env ? o.env->name : "");
  w.field("kind", p.kind).field("safety", model::to_string(s.safety)).field("command", r.command);
  w.key("params").begin_object();
  for (const auto& [k, v] : p.values) w.field(k, is_secret_name(k) ? std::string("***") : hide(v, p, o));
  w.end_object();
  w.field("start", utc(start)).field("end", utc(end));
  w.field("duration_ms", static_cast<int64_t>(std::chrono::duration_cast<std::chrono::milliseconds>(end - start).count()));
  w.field("exit_code", r.exit_code).field("timed_out", r.timed_out);
  w.field("stdout", hide(r.out, p, o)).field("stderr", hide(r.err, p, o));
  w.end_object();
  json += "\n";
  // A new file (O_EXCL, O_NOFOLLOW): never one a link or an earlier transcript stands in.
  std::string path = base + ".json";
  for (int n = 2; !model::create_new_file(path, json); ++n) {
    if (n > 1000) throw Error(base + ".json: cannot write the transcript (1000 names taken)");
    path = base + "-" + std::to_string(n) + ".json";
  }
  return path;
}

// Executes a prepared snippet; output streamed through `out` and captured.
void execute(const model::Runbook& rb, const model::Snippet& s, const Prepared& p, const RunOptions& o, std::chrono::milliseconds timeout, RunResult& r) {
  const Output& out = o.on_output;
  bool allow_privileged_role = o.env && o.env->allow_privileged_role;
  auto capture = [&](int stream, std::string_view chunk) {
    std::string& sink = stream == 1 ? r.out : r.err;
    if (sink.size() < k_capture) sink.append(chunk.substr(0, k_capture - sink.size()));
    if (out) out(stream, chunk);
  };
  if (p.kind == "sql") {
    r.exit_code = exec_sql(p.dsn, p.sql, p.sql_access, allow_privileged_role, timeout, capture);
    return;
  }
  if (p.kind == "http") {
    const std::string* expect = s.attr("expect-status");
    r.exit_code = exec_http(p.http_method, p.http_url, p.http_headers, p.http_body, expect ? *expect : "", timeout, capture);
    return;
  }
  std::vector<std::string> argv;
  if (p.kind == "powershell") {
    if (!model::program_available("pwsh")) throw Error("pwsh is not installed: PowerShell snippets need it");
    argv = {"pwsh", "-NoProfile", "-NonInteractive", "-Command", p.code};
  } else {
    argv = {"bash", "--noprofile", "--norc", "-c", p.prologue + p.code, "opsbook-run"};
  }
  model::ProcessOptions po;
  po.limit = timeout;
  std::vector<std::string> env = p.env;
  std::optional<DoctestJail> jail;  // where the kernel has a sandbox: a doc-test's bash runs in it
  if (o.reads_only && p.kind == "shell" && doctest_sandbox_problem().empty()) {
    std::error_code ec;
    jail.emplace(std::filesystem::current_path(ec).string(), std::filesystem::path(rb.path).parent_path().string(), o.env);
    std::erase_if(env, [](const std::string& kv) { return kv.starts_with("TMPDIR=") || kv.starts_with("PATH="); });
    env.push_back("TMPDIR=" + jail->temp());
    env.push_back("PATH=" + jail->path());
    po.confine_fd = jail->ruleset_fd();
  }
  po.env = &env;
  po.input = p.input;
  if (const std::string* cwd = s.attr("cwd")) po.cwd = *cwd;
  po.on_output = capture;
  po.capture_limit = 0;  // captured above
  model::ProcessResult pr = model::run_process(argv, po);
  if (!pr.started) throw Error("cannot start " + argv[0] + ": " + pr.error);
  r.exit_code = pr.exit_code;
  r.timed_out = pr.timed_out;
  if (pr.timed_out) capture(2, "opsbook: timed out after " + std::to_string(timeout.count() / 1000) + " s; the snippet and its children were stopped\n");
}

}  // namespace

std::optional<std::chrono::milliseconds> parse_timeout(std::string_view text) { return model::parse_duration(text, k_max_timeout); }

// The first command of the snippet at `level`, as "line N `text`: reason", for gate messages.
std::string deciding_command(const model::Snippet& s, model::Safety level) {
  for (const auto& c : s.commands) {
    if (c.safety != level) continue;
    std::string_view text = std::string_view(c.text).substr(0, c.text.find('\n'));
    std::string out = "line " + std::to_string(c.line) + " `" + std::string(text.substr(0, 60)) + (text.size() > 60 || text.size() < c.text.size() ? "...`" : "`");
    for (const auto& reason : c.reasons) {
      if (reason.level == level) return out + ": " + reason.reason;
    }
    return out;
  }
  return {};
}

RunResult run_snippet(const model::Runbook& rb, const model::Snippet& s, const RunOptions& o) {
  RunResult r;
  r.exit_code = 2;
  auto refuse = [&](std::string why) {
    r.refusal = std::move(why);
    return r;
  };
  // Gates that need nobody's answer come first.
  const std::string* run_attr = s.attr("run");
  if (run_attr && *run_attr == "never") return refuse("the runbook marks " + s.id + " run=never: opsbook never runs it (copy it by hand if you must)");
  if (const std::string* t = s.attr("timeout"); t && !parse_timeout(*t)) {
    return refuse(rb.path + ":" + std::to_string(s.line) + ": timeout '" + *t + "' of " + s.id + " is not a duration up to 24h (e.g. 30s, 5m): fix the attribute");
  }
  if (const std::string* envs = s.attr("env"); envs && o.env) {
    std::string list = *envs;
    std::replace(list.begin(), list.end(), ',', ' ');
    bool listed = false;
    std::stringstream ss(list);
    for (std::string e; ss >> e;) listed = listed || model::iequals(e, o.env->name);
    if (!listed) return refuse(s.id + " is for env=" + *envs + ", not " + o.env->name);
  }
  if (const model::Command* c = interactive_command(s.commands)) {
    return refuse(session_opened(rb, s, *c, ": opsbook run never runs one; run it by hand in a terminal"));
  }
  if (!o.validation_errors.empty() && !o.force) {
    std::string list;
    for (const auto& e : o.validation_errors) list += "\n  " + e;
    return refuse(s.id + " failed static validation; fix it, or pass --force to run it anyway:" + list);
  }
  Prepared p = prepare(rb, s, o);
  if (!p.refusal.empty()) return refuse(p.refusal);
  if (!p.missing.empty()) {
    std::string names;
    for (const auto& m : p.missing) names += (names.empty() ? "" : ", ") + m;
    return refuse("missing parameter" + std::string(p.missing.size() > 1 ? "s " : " ") + names +
                  ": pass --param NAME=VALUE (or set it under params: of the environment)");
  }
  r.command = hide(p.shown.empty() ? p.code : p.shown, p, o);
  // Confirmation: mutating needs a yes, destructive needs its name typed back. A declared class
  // may raise the classifier's, never lower it; the class after filling counts too.
  model::Safety level = std::max({s.safety, s.classified, p.filled});
  std::string why = p.filled > std::max(s.safety, s.classified) ? hide(" (" + p.filled_reason + ")", p, o) : "";
  if (std::string at = deciding_command(s, level); why.empty() && !at.empty()) why = " (" + at + ")";
  if (run_attr && *run_attr == "confirm" && level == model::Safety::read_only) level = model::Safety::mutating;
  r.safety = level;
  r.safety_reason = level == model::Safety::read_only ? "" : why;
  if (o.dry_run) {
    r.exit_code = 0;
    return r;
  }
  if (o.reads_only && level != model::Safety::read_only) {
    return refuse(std::string(model::to_string(level)) + why + ": a live check runs only read-only doc-tests (run it with opsbook run)");
  }
  if (o.reads_only && !p.not_allowed.empty()) return refuse(hide(p.not_allowed, p, o));
  std::string where = o.env ? "environment '" + o.env->name + "'" : "no environment";
  if (level == model::Safety::mutating && !o.yes) {
    if (o.note) o.note(r.command);
    auto answer = o.ask ? o.ask(s.id + " is mutating" + why + ". Run it on " + where + "? [y/N] ") : std::nullopt;
    if (!answer) return refuse(s.id + " is mutating" + why + ": pass --yes to run it without a terminal to confirm on");
    std::string a = model::to_lower(model::trim(*answer));
    if (a != "y" && a != "yes") return refuse("not confirmed: " + s.id + " did not run");
  }
  if (level == model::Safety::destructive && !(o.yes && o.allow_destructive)) {
    if (o.note) o.note(r.command);
    auto answer = o.ask ? o.ask(s.id + " is DESTRUCTIVE" + why + ". Type its name (" + s.id + ") to run it on " + where + ": ") : std::nullopt;
    if (!answer) return refuse(s.id + " is destructive" + why + ": type its name on a terminal, or pass --yes --allow-destructive");
    if (model::trim(*answer) != s.id) return refuse("name not typed back: " + s.id + " did not run");
  }
  std::chrono::milliseconds timeout = k_default_timeout;
  if (const std::string* t = s.attr("timeout"); t && parse_timeout(*t)) timeout = *parse_timeout(*t);
  if (o.timeout) timeout = *o.timeout;
  auto start = Clock::now();
  execute(rb, s, p, o, timeout, r);
  r.ran = true;
  if (!o.transcript_dir.empty()) r.transcript = write_transcript(rb, s, o, p, r, start, Clock::now());
  return r;
}

namespace {

constexpr std::string_view k_see_output = " (its output is not shown in reports: run it with opsbook run to see it)";

DocTestResult doctest(const model::Runbook& rb, const model::Snippet& s, const model::EnvironmentConfig* env, std::chrono::milliseconds timeout);

}  // namespace

DocTestResult run_doctest(const model::Runbook& rb, const model::Snippet& s, const model::EnvironmentConfig* env, std::chrono::milliseconds timeout) {
  DocTestResult d = doctest(rb, s, env, timeout);
  for (const auto& secret : environment_secrets(env)) d.detail = model::scrub(std::move(d.detail), secret);
  return d;
}

namespace {

DocTestResult doctest(const model::Runbook& rb, const model::Snippet& s, const model::EnvironmentConfig* env, std::chrono::milliseconds timeout) {
  DocTestResult d;
  d.line = s.line;
  if (s.safety == model::Safety::destructive || s.classified == model::Safety::destructive) {
    d.detail = "destructive: never run as a doc-test";
    return d;
  }
  if (const model::Command* c = interactive_command(s.commands)) {
    d.detail = session_opened(rb, s, *c, ": never run as a doc-test (run it by hand in a terminal)");
    return d;
  }
  // Docker commands run only against the environment's stack, and only when they read and end
  // on their own (ps, inspect, logs --tail N).
  for (const auto& c : s.commands) {
    for (const auto& docker : model::read_docker_commands(c.text)) {
      std::string why = model::docker_doctest_refusal(docker);
      if (why.empty() && (!env || !env->compose || !env->compose->probe)) {
        why = env && env->compose ? "compose.probe is false in environment '" + env->name + "': docker commands are not run"
                                  : std::string("no compose: settings in ") + (env ? "environment '" + env->name + "'" : "no environment") +
                                        ": docker commands are not run (they would address whatever daemon DOCKER_HOST names)";
      }
      if (!why.empty()) {
        d.detail = why;
        return d;
      }
    }
  }
  RunOptions o;
  o.env = env;
  o.reads_only = true;  // a pull request's run=auto must not make a live check change anything
  o.timeout = timeout;
  if (const std::string* t = s.attr("timeout"); t && parse_timeout(*t)) o.timeout = std::min(*parse_timeout(*t), timeout);
  auto start = std::chrono::steady_clock::now();
  RunResult r;
  try {
    r = run_snippet(rb, s, o);
  } catch (const Error& e) {
    d.outcome = DocTestResult::Outcome::fail;
    d.detail = e.what();
    return d;
  }
  d.ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  if (!r.ran) {
    d.detail = r.refusal;
    return d;
  }
  int expected = 0;
  if (const std::string* e = s.attr("expect-exit")) {
    std::optional<long long> code = model::parse_integer(*e, 0, 255);
    if (!code) {
      d.outcome = DocTestResult::Outcome::fail;
      d.detail = "expect-exit '" + *e + "' is not an exit status (0-255)";
      return d;
    }
    expected = static_cast<int>(*code);
  }
  if (r.timed_out) {
    d.outcome = DocTestResult::Outcome::fail;
    d.detail = "timed out";
    return d;
  }
  // The output stays out of the report: what a pull request's snippet prints can hold any secret
  // of the machine, in any encoding (base64 of a DSN), which no scrubbing finds.
  if (r.exit_code != expected) {
    d.outcome = DocTestResult::Outcome::fail;
    d.detail = "exit " + std::to_string(r.exit_code) + ", expected " + std::to_string(expected) + std::string(k_see_output);
    return d;
  }
  if (const std::string* pattern = s.attr("expect-stdout")) {
    // A secret opsbook knows (a service's DSN or password, a secret param) is matched as ***: a
    // read that prints one (Redis CONFIG GET, a service's debug page) gives the pattern nothing
    // to test it bit by bit with.
    std::string out = std::move(r.out);
    for (const auto& secret : environment_secrets(env)) out = model::scrub(std::move(out), secret);
    std::string error;
    std::optional<bool> matched = model::pattern_search(*pattern, out, model::Limits{}.regex_bytes, error);
    if (!matched) {
      d.outcome = DocTestResult::Outcome::fail;
      d.detail = "expect-stdout /" + *pattern + "/: " + error;
      return d;
    }
    if (!*matched) {
      d.outcome = DocTestResult::Outcome::fail;
      d.detail = "stdout does not match /" + *pattern + "/" + std::string(k_see_output);
      return d;
    }
  }
  d.outcome = DocTestResult::Outcome::pass;
  d.detail = "exit " + std::to_string(r.exit_code) + (s.attr("expect-stdout") ? ", stdout matches" : "");
  return d;
}

}  // namespace

}  // namespace opsbook::runner
