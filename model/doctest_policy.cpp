// The doc-test allow list applied to a script: constructs, redirections, then each simple command
// (nested ones included) against its row: subcommands, options and their values, operands, and
// the readers of SQL, Redis, awk, sed and test expressions.
#include "doctest_policy.hpp"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <array>
#include <deque>
#include <vector>

#include "doctest_allow.hpp"
#include "doctest_targets.hpp"
#include "private_folders.hpp"
#include "program_text.hpp"
#include "redis_read_only.hpp"
#include "safety.hpp"
#include "shell_lexer.hpp"
#include "sql.hpp"
#include "sql_read_only.hpp"
#include "text.hpp"

namespace opsbook::model {

namespace {

using shell::SpanKind;

constexpr std::string_view k_not_listed = " is not on the doc-test allow list";

// A word as the tool will see it, and what opsbook cannot know about it before it runs.
struct Arg {
  std::string_view text;  // quote-removed; expansions as written
  bool literal = true;
  bool splits = false;  // an unquoted $(...) whose output bash splits into words opsbook never sees
  bool risky_start = false;  // may begin with '-' decided at run time: $(...), ${X:-...}, a glob
  bool untrusted = false;    // holds text a command or a parameter operator makes at run time
  bool globs = false;        // a pattern or {a,b}: the shell may make several words of it
};

bool is_nesting(SpanKind k) { return k == SpanKind::command_sub || k == SpanKind::backtick || k == SpanKind::process_sub || k == SpanKind::param || k == SpanKind::arith; }

// Variables bash sets from what the snippet ran, so text the runbook built at run time: $_ (the
// last word of the previous command: `echo -ofile >/dev/null; sort "$_"`), $BASH_COMMAND...
bool set_by_commands(std::string_view name) { return name == "_" || name.starts_with("BASH"); }

// ${NAME}, ${#NAME}, ${1}: the value of a variable of the environment opsbook runs the snippet
// in (assignments are refused), never text the runbook chose.
bool plain_param(std::string_view raw) {
  if (!raw.starts_with("${") || !raw.ends_with('}')) return false;
  std::string_view name = raw.substr(2, raw.size() - 3);
  if (name.starts_with('#') && name.size() > 1) name.remove_prefix(1);
  return !name.empty() && std::all_of(name.begin(), name.end(), is_ident_char) && !set_by_commands(name);
}

Arg read_arg(const shell::Script& s, const shell::Word& w) {
  Arg a;
  a.text = s.text(w);
  a.literal = w.literal();
  a.globs = w.globs;
  if (a.literal) return a;
  auto spans = s.spans();
  auto first = std::lower_bound(spans.begin(), spans.end(), w.begin, [](const shell::Span& sp, std::uint32_t b) { return sp.begin < b; });
  bool first_untrusted = false, seen = false;
  for (auto it = first; it != spans.end() && it->begin < w.end; ++it) {
    bool nested = false;
    for (int p = it->parent; p >= 0 && spans[static_cast<size_t>(p)].begin >= w.begin; p = spans[static_cast<size_t>(p)].parent) {
      nested = nested || is_nesting(spans[static_cast<size_t>(p)].kind);
    }
    if (nested) continue;
    bool untrusted = false;
    if (it->kind == SpanKind::command_sub || it->kind == SpanKind::backtick || it->kind == SpanKind::arith) untrusted = true;
    else if (it->kind == SpanKind::param) untrusted = !plain_param(s.source().substr(it->begin, it->end - it->begin));
    else if (it->kind == SpanKind::variable) untrusted = set_by_commands(s.source().substr(it->begin + 1, it->end - it->begin - 1));
    else if (it->kind != SpanKind::variable && it->kind != SpanKind::process_sub) continue;  // quotes
    bool quoted = it->parent >= 0 && spans[static_cast<size_t>(it->parent)].begin >= w.begin &&
                  (spans[static_cast<size_t>(it->parent)].kind == SpanKind::double_quote || spans[static_cast<size_t>(it->parent)].kind == SpanKind::locale_quote);
    a.untrusted = a.untrusted || untrusted;
    a.splits = a.splits || (untrusted && !quoted);
    if (!seen) first_untrusted = untrusted, seen = true;
  }
  bool starts_expanding = !a.text.empty() && (a.text[0] == '$' || a.text[0] == '`');
  bool starts_glob = w.globs && !a.text.empty() && std::string_view("*?[{").find(a.text[0]) != std::string_view::npos;
  a.risky_start = (starts_expanding && first_untrusted) || starts_glob;
  return a;
}


// Why a tool that is not on the list is not, where people ask.
std::string_view why_not(std::string_view tool) {
  static constexpr std::array<std::pair<std::string_view, std::string_view>, 17> k_why = {{
      {"eval", " (it runs text as code)"}, {"source", " (it runs a script)"}, {".", " (it runs a script)"}, {"exec", " (it replaces the shell)"},
      {"bash", " (it runs a script)"}, {"sh", " (it runs a script)"}, {"env", " (it prints the environment, secrets included, or runs a command)"},
      {"printenv", " (it prints the environment, secrets included)"}, {"export", " (it changes the environment)"}, {"set", " (it changes the shell)"},
      {"sudo", " (it runs a command as another user)"}, {"timeout", " (it runs another command)"}, {"xargs", " (it runs another command)"},
      {"watch", " (it runs another command until stopped)"}, {"tee", " (it writes files)"}, {"find", " (it can delete files and run commands)"},
      {"ssh", " (it runs commands on another host)"},
  }};
  for (const auto& [name, why] : k_why) {
    if (name == tool) return why;
  }
  return "";
}

struct Reading;

class Checker {
 public:
  Checker(const shell::Script& s, const NetworkGate* gate) : m_s(s), m_gate(gate) {}
  std::optional<DoctestRefusal> run();
  std::optional<DoctestRefusal> secrets() const;

 private:
  std::optional<DoctestRefusal> constructs() const;
  std::optional<DoctestRefusal> background() const;
  std::optional<std::string> redirect(const shell::Redirect& r) const;
  std::optional<std::string> command(const shell::SimpleCommand& c) const;
  std::optional<std::string> arguments(const AllowRow& top, std::vector<Arg> args, const shell::SimpleCommand& c) const;
  std::optional<std::string> whole_option(Reading& r, const std::vector<Arg>& args, size_t& i) const;
  std::optional<std::string> cluster(Reading& r, const std::vector<Arg>& args, size_t& i) const;
  std::optional<std::string> value(const std::string& label, std::string_view option, const AllowedOption& o, const Arg& a, std::string_view text) const;
  std::optional<std::string> operand(const AllowRow& row, const Arg& a, int count) const;
  std::optional<std::string> vet(const AllowRow& row, const std::vector<Arg>& words, const std::vector<Arg>& operands,
                                 const std::vector<Arg>& sql, bool sql_listing, const shell::SimpleCommand& c) const;
  std::optional<std::string> reaches(const AllowRow& row, const Reading& r) const;

  const shell::Script& m_s;
  const NetworkGate* m_gate;
  const DoctestAllowList& m_list = DoctestAllowList::builtin();
};

std::optional<DoctestRefusal> Checker::run() {
  for (const auto& e : m_s.errors()) {
    if (e.kind != shell::ErrorKind::unterminated_heredoc) return DoctestRefusal{e.offset, "the script does not parse (" + std::string(shell::to_string(e.kind)) + ")"};
  }
  if (auto r = constructs()) return r;
  if (auto r = background()) return r;
  if (auto r = secrets()) return r;
  for (const auto& r : m_s.all_redirects()) {
    if (auto why = redirect(r)) return DoctestRefusal{r.begin, *why};
  }
  for (const auto& c : m_s.commands()) {
    if (auto why = command(c)) return DoctestRefusal{c.begin, *why};
  }
  return std::nullopt;
}

// Every use of a secret variable of the environment is a whole argument of a tool that takes a
// connection string (psql "$APP_DSN", redis-cli -u "$REDIS_URL"); anywhere else its value would
// reach a URL, a log, the output or an oracle: http://target/$APP_DSN landed in a server's log.
std::optional<DoctestRefusal> Checker::secrets() const {
  if (m_gate == nullptr) return std::nullopt;
  // The words where a tool reads a connection string: psql's first argument or the value of
  // -d/--dbname, pg_isready -d/--dbname, redis-cli -u. Never -F, -U, -h or a Redis argument,
  // which would print the secret or send it as a name.
  std::vector<bool> connection_word(m_s.words().size(), false);
  for (const auto& c : m_s.commands()) {
    auto ids = m_s.args(c);
    if (ids.size() <= c.assignments + 1) continue;
    std::string_view tool = m_s.text(m_s.words()[ids[c.assignments]]);
    if (tool != "psql" && tool != "pg_isready" && tool != "redis-cli") continue;
    for (size_t k = c.assignments + 1; k < ids.size(); ++k) {
      std::string_view prev = m_s.text(m_s.words()[ids[k - 1]]);
      bool database = (tool != "redis-cli" && (prev == "-d" || prev == "--dbname")) || (tool == "psql" && k == c.assignments + 1);
      if (database || (tool == "redis-cli" && prev == "-u")) connection_word[ids[k]] = true;
    }
  }
  auto refusal = [](size_t at, std::string_view what) {
    return DoctestRefusal{at, "uses " + std::string(what) + " other than as a whole connection string of psql, pg_isready or redis-cli (its value would reach a URL, "
                                                            "a log or the output)"};
  };
  // Values written in: each occurrence lies in a connection word that is exactly one secret. A
  // secret shorter than 8 characters counts only as a token of its own (a password `p` is not in
  // `ping` or `-p`): as a substring it would switch off doc-tests that never use it.
  std::string_view source = m_s.source();
  auto token_char = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-'; };
  auto occurs = [&](size_t at, size_t n) {
    return n >= 8 || ((at == 0 || !token_char(source[at - 1])) && (at + n == source.size() || !token_char(source[at + n])));
  };
  for (const std::string& secret : m_gate->secrets) {
    for (size_t at = secret.empty() ? std::string_view::npos : source.find(secret); at != std::string_view::npos; at = source.find(secret, at + 1)) {
      if (!occurs(at, secret.size())) continue;
      int w = m_s.word_at(at);
      std::string_view text = w >= 0 ? m_s.text(m_s.words()[static_cast<size_t>(w)]) : std::string_view();
      bool whole = w >= 0 && connection_word[static_cast<size_t>(w)] &&
                   std::find(m_gate->secrets.begin(), m_gate->secrets.end(), text) != m_gate->secrets.end();
      if (!whole) return refusal(at, "a secret of the environment (a DSN or a password)");
    }
  }
  if (!m_gate->secret) return std::nullopt;
  for (const auto& sp : m_s.spans()) {
    if (sp.kind != SpanKind::variable && sp.kind != SpanKind::param) continue;
    std::string_view t = m_s.source().substr(sp.begin, sp.end - sp.begin);
    size_t start = t.starts_with("${") ? 2 : 1, end = start;
    while (end < t.size() && is_ident_char(t[end])) ++end;
    std::string_view var = t.substr(start, end - start);
    if (var.empty() || !m_gate->secret(var)) continue;
    int w = m_s.word_at(sp.begin);
    bool whole = end == t.size() || (t.starts_with("${") && end + 1 == t.size());
    if (w >= 0 && connection_word[static_cast<size_t>(w)] && whole && m_s.text(m_s.words()[static_cast<size_t>(w)]) == t) continue;
    return refusal(sp.begin, "$" + std::string(var) + ", a secret of the environment,");
  }
  return std::nullopt;
}

std::optional<DoctestRefusal> Checker::constructs() const {
  for (const auto& sp : m_s.spans()) {
    switch (sp.kind) {
      case SpanKind::function: return DoctestRefusal{sp.begin, "defines a function (doc-tests run only commands of the allow list)"};
      case SpanKind::while_loop: return DoctestRefusal{sp.begin, "a while or until loop may never end"};
      case SpanKind::for_loop: return DoctestRefusal{sp.begin, "a for loop sets a variable from words opsbook does not follow"};
      case SpanKind::arith: return DoctestRefusal{sp.begin, "arithmetic runs code held in its variables ($((x)) with x='a[$(cmd)]')"};
      case SpanKind::test: return DoctestRefusal{sp.begin, "[[ ]] evaluates arithmetic in its operands, which can run code: use [ ] (test)"};
      case SpanKind::array: return DoctestRefusal{sp.begin, "sets an array"};
      case SpanKind::param:
        if (auto why = evaluating_expansion(m_s.source().substr(sp.begin, sp.end - sp.begin))) return DoctestRefusal{sp.begin, *why};
        break;
      default: break;
    }
  }
  return std::nullopt;
}

// `cmd &`: a process that outlives its command. Not `&&`, `2>&1`, `&>`, `|&`, `;&` or a quoted &.
std::optional<DoctestRefusal> Checker::background() const {
  std::string_view src = m_s.source();
  for (size_t i = src.find('&'); i != std::string_view::npos; i = src.find('&', i + 1)) {
    char prev = i > 0 ? src[i - 1] : ' ', next = i + 1 < src.size() ? src[i + 1] : ' ';
    if (prev == '&' || next == '&' || prev == '>' || prev == '<' || next == '>' || prev == '|' || prev == ';') continue;
    int sp = m_s.span_at(i);
    SpanKind k = sp >= 0 ? m_s.spans()[static_cast<size_t>(sp)].kind : SpanKind::group;
    if (k == SpanKind::single_quote || k == SpanKind::double_quote || k == SpanKind::ansi_c_quote || k == SpanKind::locale_quote || k == SpanKind::comment ||
        k == SpanKind::heredoc || k == SpanKind::heredoc_literal || prev == '\\') continue;
    // Part of a word (a\&b), unless the word holds a $(...) the & stands in.
    int w = m_s.word_at(i);
    if (w >= 0 && !(sp >= 0 && m_s.spans()[static_cast<size_t>(sp)].begin >= m_s.words()[static_cast<size_t>(w)].begin)) continue;
    return DoctestRefusal{i, "runs a command in the background (&), which may outlive the doc-test"};
  }
  return std::nullopt;
}

// Output goes to the terminal, the other stream or /dev/null only; input may come from any file.
namespace {

// A device or kernel file whose reading may never end (/dev/zero, /dev/urandom, /dev/tty,
// /proc/kmsg, trace_pipe), however the path is spelled (//dev/./zero), or a /proc path that
// leads to one or to secrets (/proc/self/root/..., /proc/1/environ); /dev/null and the standard
// streams are files that end.
bool endless_file(std::string_view path) {
  if (!path.starts_with('/')) return false;
  std::vector<std::string_view> parts;  // lexically normal: no empty, . or .. parts
  for (std::string_view rest = path; !rest.empty();) {
    std::string_view part = rest.substr(0, rest.find('/'));
    rest.remove_prefix(std::min(rest.size(), part.size() + 1));
    if (part == "..") {
      if (!parts.empty()) parts.pop_back();
    } else if (!part.empty() && part != ".") {
      parts.push_back(part);
    }
  }
  std::string normal;
  for (std::string_view part : parts) normal.append("/").append(part);
  static constexpr std::string_view k_ending[] = {"/dev/null", "/dev/stdin", "/dev/stdout", "/dev/stderr", "/dev/fd/0", "/dev/fd/1", "/dev/fd/2"};
  if (std::find(std::begin(k_ending), std::end(k_ending), normal) != std::end(k_ending)) return false;
  if (normal.starts_with("/dev/") || normal == "/proc/kmsg" || normal.ends_with("/trace_pipe") || normal.starts_with("/sys/kernel/debug/")) return true;
  // /proc/PID/root, cwd, fd and map_files lead anywhere (/proc/self/root/dev/zero), and a
  // process's environ holds the environment's secrets.
  if (!normal.starts_with("/proc/")) return false;
  for (std::string_view part : {"/root", "/cwd", "/fd", "/fdinfo", "/map_files", "/environ", "/mem", "/cmdline"}) {
    size_t at = normal.find(part);
    if (at != std::string::npos && (at + part.size() == normal.size() || normal[at + part.size()] == '/')) return true;
  }
  return false;
}

// A file that holds credentials or opsbook's own keys: under the home folder (the seal key, ssh
// and cloud credentials), or in a .git or .opsbook folder (a checkout's token, caches, history).
bool private_file(std::string_view path) {
  auto has_part = [&](std::string_view part) {
    for (size_t at = path.find(part); at != std::string_view::npos; at = path.find(part, at + 1)) {
      bool starts = at == 0 || path[at - 1] == '/', ends = at + part.size() == path.size() || path[at + part.size()] == '/';
      if (starts && ends) return true;
    }
    return false;
  };
  if (has_part(".git") || has_part(".opsbook") || path.starts_with('~')) return true;
  // As the kernel resolves it: //root and /tmp/../root are /root (s10c review B15).
  std::string normal(path);
  if (path.starts_with('/')) {
    std::vector<std::string_view> parts;
    for (std::string_view part : split_on(path, '/')) {
      if (part == "..") {
        if (!parts.empty()) parts.pop_back();
      } else if (!part.empty() && part != ".") {
        parts.push_back(part);
      }
    }
    normal.clear();
    for (std::string_view part : parts) normal.append("/").append(part);
    if (normal.empty()) normal = "/";
  }
  for (const std::string& home : private_folders()) {
    if (normal.starts_with(home) && (normal.size() == home.size() || normal[home.size()] == '/')) return true;
  }
  return false;
}

// The part of a word known before it runs (up to its first expansion) names a place where files
// are processes, devices or the kernel, or climbs out of the folder: what follows it is not known.
bool system_path_prefix(std::string_view word) {
  std::string_view prefix = word.substr(0, word.find_first_of("$`"));
  while (prefix.starts_with("//")) prefix.remove_prefix(1);
  return prefix.starts_with("/proc") || prefix.starts_with("/dev") || prefix.starts_with("/sys") || prefix.find("..") != std::string_view::npos;
}

// An awk program that reads a file by name: `getline < FILE`, `getline var < FILE`.
bool awk_reads_named_file(std::string_view program) {
  for (size_t at = program.find("getline"); at != std::string_view::npos; at = program.find("getline", at + 7)) {
    size_t end = program.find_first_of(";}\n|", at + 7);
    if (program.substr(at + 7, end == std::string_view::npos ? std::string_view::npos : end - at - 7).find('<') != std::string_view::npos) return true;
  }
  return false;
}

}  // namespace

std::optional<std::string> Checker::redirect(const shell::Redirect& r) const {
  using shell::RedirectOp;
  if (r.op == RedirectOp::dup_in || r.op == RedirectOp::heredoc || r.op == RedirectOp::heredoc_tabs || r.op == RedirectOp::herestring) return std::nullopt;
  std::string_view op = m_s.source().substr(r.begin, r.end - r.begin);
  if (r.target < 0) return "redirection " + std::string(op) + " without a target";
  const shell::Word& w = m_s.words()[static_cast<size_t>(r.target)];
  std::string_view target = m_s.text(w);
  if (r.op == RedirectOp::in) {  // any file, but never a connection bash opens (< /dev/tcp/HOST/PORT)
    if (!w.literal()) return "input redirection " + std::string(op) + " " + shown(m_s.raw(w)) + " reads a file named at run time (it may be /dev/tcp/...)";
    if (bash_network_path(target)) return "input redirection from " + shown(target) + " opens a network connection (bash's /dev/tcp)";
    if (private_file(target)) return "input redirection from " + shown(target) + " reads the home folder, .git or .opsbook, where credentials and opsbook's keys are";
    if (endless_file(target)) return "input redirection from " + shown(target) + " reads a device, a path through /proc to anywhere, or a process's environment (doc-tests read files)";
    return std::nullopt;
  }
  // >&1, >&2 only: >&0 writes to whatever the standard input is (a /dev/tcp connection).
  bool fd = r.op == RedirectOp::dup_out && (target == "-" || target == "1" || target == "2");
  if (w.literal() && (fd || target == "/dev/null")) return std::nullopt;
  if (r.op == RedirectOp::in_out) return "<> " + shown(target) + " opens a file for writing";
  return "output redirection " + std::string(op) + " " + shown(target) + " writes a file (only > /dev/null, 2>&1 and >&2 are allowed)";
}

std::optional<std::string> Checker::command(const shell::SimpleCommand& c) const {
  auto ids = m_s.args(c);
  if (c.assignments > 0) {
    std::string_view a = m_s.text(m_s.words()[ids[0]]);
    return "sets " + shown(a.substr(0, a.find('=') + 1)) + " (assignments of environment variables are not run in doc-tests)";
  }
  if (ids.empty()) return std::nullopt;
  const shell::Word& name = m_s.words()[ids[0]];
  std::string_view tool = m_s.text(name);
  if (name.expands || (name.globs && tool != "[")) return "the command name " + shown(m_s.raw(name)) + " is decided at run time";
  for (std::string_view dir : {"/usr/local/bin/", "/usr/bin/", "/bin/", "/usr/sbin/", "/sbin/"}) {
    if (tool.starts_with(dir) && tool.find('/', dir.size()) == std::string_view::npos) tool.remove_prefix(dir.size());
  }
  if (tool.find('/') != std::string_view::npos) return quoted(shown(tool)) + " runs a program by its path, not a tool of the doc-test allow list";
  std::vector<Arg> args;
  std::span<const std::string> alias = m_list.alias(tool);
  for (size_t i = 1; i < alias.size(); ++i) args.push_back(Arg{alias[i]});
  if (!alias.empty()) tool = alias[0];
  for (size_t i = 1; i < ids.size(); ++i) args.push_back(read_arg(m_s, m_s.words()[ids[i]]));
  const AllowRow* row = m_list.tool(tool);
  if (row == nullptr) return quoted(shown(tool)) + std::string(k_not_listed) + std::string(why_not(tool));
  return arguments(*row, std::move(args), c);
}

std::optional<std::string> Checker::value(const std::string& label, std::string_view option, const AllowedOption& o, const Arg& a, std::string_view text) const {
  std::string what = quoted(label) + " option " + std::string(option);
  if (a.splits) return what + ": the output of $(...) unquoted splits into words opsbook cannot read";
  if (!a.literal && (!o.values.any() || a.untrusted)) {
    if (!o.values.any() || a.risky_start) return what + " has a value decided at run time (" + shown(text) + ")";
  }
  if (a.literal && !o.values.accepts(text)) return what + " value " + shown(text) + " is not allowed (" + o.values.describe() + ")";
  if (a.literal && endless_file(text)) return what + " value " + shown(text) + " is a device, a path through /proc to anywhere, or a process's environment (doc-tests read files)";
  if (private_file(text)) return what + " value " + shown(text) + " is in the home folder, .git or .opsbook, where credentials and opsbook's keys are";
  if (!a.literal && system_path_prefix(text)) return what + " value " + shown(text) + " is a path under /proc, /dev or /sys, or through .., that is decided at run time";
  return std::nullopt;
}

std::optional<std::string> Checker::operand(const AllowRow& row, const Arg& a, int count) const {
  std::string what = quoted(row.label) + " operand " + shown(a.text);
  if (row.max_operands >= 0 && count >= row.max_operands) {
    return row.max_operands == 0 ? what + " is not allowed (it takes none on the doc-test allow list)" : what + " is one too many (at most " + std::to_string(row.max_operands) + ")";
  }
  if (a.splits) return what + ": the output of $(...) unquoted splits into words opsbook cannot read";
  if (a.risky_start) return what + " may begin with '-' when it runs, and be read as an option";
  if (a.globs && row.max_operands >= 0) return what + " is a pattern the shell may make several words of (at most " + std::to_string(row.max_operands) + " operands)";
  // A pattern names files only when bash expands it: /pro?/self/environ, /de?/zero. Within the
  // snippet's folder it is fine (*.log); a path from the root or through .. is checked as written.
  if (a.globs && (a.text.starts_with('/') || a.text.find("..") != std::string_view::npos)) {
    return what + " is a pattern over a path outside the runbook's folder, whose files opsbook cannot check before bash names them (write the path out)";
  }
  // A variable of the environment may stand where only a deny list limits the word, not $(...).
  bool fixed_start = row.operands.accepts_start(a.text.substr(0, a.text.find_first_of("$`")));
  if (!a.literal && !(row.operands.any() || (row.operands.open() && !a.untrusted) || fixed_start)) return what + " is decided at run time (allowed: " + row.operands.describe() + ")";
  if (a.literal && !row.operands.accepts(a.text)) return what + " is not allowed (" + row.operands.describe() + ")";
  if (a.literal && endless_file(a.text)) return what + " is a device, a path through /proc to anywhere, or a process's environment (doc-tests read files)";
  if (private_file(a.text)) return what + " is in the home folder, .git or .opsbook, where credentials and opsbook's keys are (doc-tests read the runbooks' files)";
  if (!a.literal && system_path_prefix(a.text)) {
    return what + " is a path under /proc, /dev or /sys, or through .., that is decided at run time (/proc/$PPID/environ is opsbook's own environment)";
  }
  return std::nullopt;
}

// What the words of one command read so far: the row (a subcommand moves it), the options given,
// psql's SQL, the operands.
struct Reading {
  const AllowRow* row = nullptr;
  std::vector<std::string> given;  // option names seen, for `require`
  std::vector<Arg> sql;            // values of psql -c
  bool sql_listing = false;        // psql -l / -V: no SQL to run
  std::vector<Arg> operands;
  std::vector<std::pair<const AllowedOption*, Arg>> values;  // options with a value, in order
  bool options_end = false;

  void note(const AllowedOption& o, std::string_view v, const Arg& from) {
    given.insert(given.end(), o.names.begin(), o.names.end());
    if (o.arity != AllowedOption::Arity::none) {
      Arg value = from;
      value.text = v;
      values.emplace_back(&o, value);
    }
    auto named = [&](std::string_view n) { return std::find(o.names.begin(), o.names.end(), n) != o.names.end(); };
    if (row->vet == "sql" && named("-c")) sql.push_back(Arg{v, from.literal});
    if (row->vet == "sql" && (named("-l") || named("-V"))) sql_listing = true;
  }
};

// --name, --name=value, -name (single-dash rows), -5: one option, its value joined or next.
std::optional<std::string> Checker::whole_option(Reading& r, const std::vector<Arg>& args, size_t& i) const {
  const Arg& a = args[i];
  const std::string& label = r.row->label;
  size_t eq = a.text.find('=');
  std::string_view name = a.text.substr(0, eq);
  const AllowedOption* o = m_list.option(*r.row, name);
  if (o == nullptr) return quoted(label) + " option " + shown(name) + std::string(k_not_listed);
  if (o->arity == AllowedOption::Arity::none && eq != std::string_view::npos) return quoted(label) + " option " + shown(name) + " takes no value";
  std::string_view v;
  if (o->arity == AllowedOption::Arity::one || o->arity == AllowedOption::Arity::two) {
    size_t n = o->arity == AllowedOption::Arity::two ? 2 : 1;
    if (eq == std::string_view::npos || n == 2) {  // the next word(s)
      if (eq != std::string_view::npos || i + n >= args.size()) return quoted(label) + " option " + shown(name) + " needs " + (n == 1 ? "a value" : "two values");
      for (size_t k = 1; k <= n; ++k) {
        if (auto why = value(label, name, *o, args[i + k], args[i + k].text)) return why;
      }
      r.note(*o, args[i + 1].text, args[i + 1]);
      i += n;
      return std::nullopt;
    }
  }
  if (eq != std::string_view::npos && o->arity != AllowedOption::Arity::none) {
    v = a.text.substr(eq + 1);
    if (auto why = value(label, name, *o, a, v)) return why;
  }
  r.note(*o, v, a);
  return std::nullopt;
}

// A cluster of short options (-sSf, -n5, -qO-): a valued one takes the rest, else the next word.
std::optional<std::string> Checker::cluster(Reading& r, const std::vector<Arg>& args, size_t& i) const {
  const Arg& a = args[i];
  const std::string& label = r.row->label;
  for (size_t j = 1; j < a.text.size(); ++j) {
    std::string name = "-" + std::string(1, a.text[j]);
    const AllowedOption* o = m_list.option(*r.row, name);
    if (o == nullptr) return quoted(label) + " option " + shown(name) + std::string(k_not_listed) + (a.text.size() > 2 ? " (in " + shown(a.text) + ")" : "");
    if (o->arity == AllowedOption::Arity::none) {
      r.note(*o, {}, a);
      continue;
    }
    std::string_view v = a.text.substr(j + 1);
    if (o->arity == AllowedOption::Arity::two) return quoted(label) + " option " + name + " needs two values";
    const Arg* from = &a;
    if (v.empty() && o->arity == AllowedOption::Arity::one) {  // the next word
      if (i + 1 >= args.size()) return quoted(label) + " option " + name + " needs a value";
      from = &args[++i];
      v = from->text;
    }
    if (!v.empty() || o->arity == AllowedOption::Arity::one) {
      if (auto why = value(label, name, *o, *from, v)) return why;
    }
    r.note(*o, v, *from);
    break;
  }
  return std::nullopt;
}

std::optional<std::string> Checker::arguments(const AllowRow& top, std::vector<Arg> args, const shell::SimpleCommand& c) const {
  Reading r;
  r.row = &top;
  for (size_t i = 0; i < args.size(); ++i) {
    const Arg& a = args[i];
    if (r.row->words) {
      r.operands.push_back(a);
      continue;
    }
    if (!r.options_end && a.text == "--") {
      r.options_end = true;
      continue;
    }
    if (r.options_end || a.text.size() < 2 || a.text[0] != '-') {
      if (r.operands.empty() && a.literal) {
        if (const AllowRow* sub = m_list.child(*r.row, a.text)) {
          r.row = sub;
          continue;
        }
      }
      if (!r.row->runnable) return quoted(r.row->label + " " + shown(a.text)) + std::string(k_not_listed);
      if (auto why = operand(*r.row, a, static_cast<int>(r.operands.size()))) return why;
      r.operands.push_back(a);
      r.options_end = r.options_end || r.row->options_first;
      continue;
    }
    bool whole = a.text.starts_with("--") || r.row->single_dash || m_list.option(*r.row, a.text.substr(0, a.text.find('=')));  // --x, -nv, -5
    if (auto why = whole ? whole_option(r, args, i) : cluster(r, args, i)) return why;
  }
  const AllowRow& row = *r.row;
  if (!row.runnable) return quoted(row.label) + " needs a subcommand on the doc-test allow list";
  auto given = [&](const std::string& name) { return std::find(r.given.begin(), r.given.end(), name) != r.given.end(); };
  for (const auto& group : row.require) {
    if (std::any_of(group.begin(), group.end(), given)) continue;
    std::string list;
    for (const auto& name : group) list += (list.empty() ? "" : ", ") + name;
    return quoted(row.label) + " runs as a doc-test only with " + (group.size() > 1 ? "one of " : "") + list;
  }
  if (auto why = vet(row, args, r.operands, r.sql, r.sql_listing, c)) return why;
  return reaches(row, r);
}

// `text` with each $NAME and ${NAME} replaced by the environment's value; nullopt when it holds
// anything else decided at run time ($(...), `...`, ${x:-y}, $1) or a variable the environment
// does not have.
std::optional<std::string> expand_variables(std::string_view text, const NetworkGate& gate) {
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '`') return std::nullopt;
    if (text[i] != '$') {
      out += text[i];
      continue;
    }
    bool braced = i + 1 < text.size() && text[i + 1] == '{';
    size_t start = i + (braced ? 2 : 1), end = start;
    while (end < text.size() && is_ident_char(text[end])) ++end;
    if (end == start || !is_ident_start(text[start]) || (braced && (end >= text.size() || text[end] != '}'))) return std::nullopt;
    const std::string* value = gate.variable ? gate.variable(text.substr(start, end - start)) : nullptr;
    if (value == nullptr) return std::nullopt;
    out += *value;
    i = braced ? end : end - 1;
  }
  return out;
}

// Where the command connects or looks names up, each place let through by the gate.
std::optional<std::string> Checker::reaches(const AllowRow& row, const Reading& r) const {
  if (row.connects.empty() || m_gate == nullptr) return std::nullopt;
  for (const auto& a : r.operands) {
    if (a.globs) return quoted(row.label) + " word " + shown(a.text) + " is a pattern bash may replace with file names (quote it)";
  }
  for (const auto& [option, value] : r.values) {
    if (value.globs) return quoted(row.label) + " word " + shown(value.text) + " is a pattern bash may replace with file names (quote it)";
  }
  std::deque<std::string> expanded;  // values of the environment's variables, written in
  auto word = [&](const Arg& a) {
    if (a.literal || a.untrusted) return TargetWord{a.text, a.literal};
    std::optional<std::string> text = expand_variables(a.text, *m_gate);
    if (!text) return TargetWord{a.text, false};
    return TargetWord{expanded.emplace_back(std::move(*text)), true, a.text};
  };
  ToolCall call;
  call.label = row.label;
  for (const auto& [option, value] : r.values) call.options.emplace_back(&option->names, word(value));
  for (const auto& a : r.operands) call.operands.push_back(word(a));
  std::vector<NetTarget> targets;
  if (auto why = doctest_targets(row.connects, call, targets)) return why;
  for (const auto& t : targets) {
    if (std::string why = m_gate->refusal(t); !why.empty()) return why;
  }
  return std::nullopt;
}

std::optional<std::string> vet_sql(std::string_view text) {
  for (const auto& st : split_sql(text, SqlText::client_input)) {
    if (st.meta) {
      std::string_view m = trim(st.text);
      std::string_view name = m.substr(0, m.find_first_of(" \t\n"));
      bool listed = name.starts_with("\\d") || name == "\\l" || name == "\\l+" || name == "\\list" || name == "\\list+" || name == "\\conninfo";
      bool describe = listed && m.find('\\', 1) == std::string_view::npos && classify_sql_statement(m).level == Safety::read_only;
      if (!describe) return "psql meta-command " + shown(m) + " is not on the doc-test allow list (only \\d..., \\l and \\conninfo)";
      continue;
    }
    ReadOnlyVerdict v = vet_read_only(st.text);
    if (!v.allowed) return "psql: " + v.reason;
    if (std::string call = user_function_call(st.text); !call.empty()) {
      return "psql: calls " + call + ", a function of the database's own (a doc-test calls only PostgreSQL's; a sql snippet's live check asks the server about others)";
    }
  }
  return std::nullopt;
}

// [ A ], [ OP A ], [ A OP B ], [ ! ... ]: one test, never -v or -R (they evaluate a subscript).
std::optional<std::string> vet_test(std::string_view label, std::vector<Arg> words) {
  if (label == "[") {
    if (words.empty() || !words.back().literal || words.back().text != "]") return std::string("'[' without its closing ]");
    words.pop_back();
  }
  static constexpr std::string_view k_unary = " -n -z -e -f -d -s -r -w -x -L -h -b -c -p -S -t -O -G -N -u -g -k -a ";
  static constexpr std::string_view k_binary = " = == != -eq -ne -lt -le -gt -ge -nt -ot -ef < > ";
  auto is = [](const Arg& a, std::string_view set) { return a.literal && !a.text.empty() && set.find(" " + std::string(a.text) + " ") != std::string_view::npos; };
  size_t start = !words.empty() && words[0].literal && words[0].text == "!" && words.size() > 1 ? 1 : 0;
  size_t n = words.size() - start;
  bool ok = n == 1 || (n == 2 && is(words[start], k_unary)) || (n == 3 && is(words[start + 1], k_binary));
  if (ok) return std::nullopt;
  return quoted(label) + " runs as a doc-test only as one comparison or file test ([ A = B ], [ -f F ]; never -v, -a/-o: join tests with && or ||)";
}

std::optional<std::string> Checker::vet(const AllowRow& row, const std::vector<Arg>& words, const std::vector<Arg>& operands,
                                        const std::vector<Arg>& sql, bool sql_listing, const shell::SimpleCommand& c) const {
  if (row.label == "cd" && operands.empty()) return std::string("'cd' without a folder goes to the home folder (doc-tests stay in the runbook's folder)");
  if (row.vet == "test") return vet_test(row.label, words);
  if (row.vet == "awk" || row.vet == "sed") {
    std::vector<std::string_view> argv = {row.label};
    bool program = false;  // a literal program word came: later words are files
    for (const auto& w : words) {
      if (!w.literal && (!program || w.untrusted)) return quoted(row.label) + " word " + shown(w.text) + " is decided at run time: its program is read only when written out";
      // After the program: the files it reads, held to the same rules as any operand.
      if (program && ((w.literal && endless_file(w.text)) || (!w.literal && system_path_prefix(w.text)) || private_file(w.text) ||
                      (w.globs && (w.text.starts_with('/') || w.text.find("..") != std::string_view::npos)))) {
        return quoted(row.label) + " file " + shown(w.text) + " is a device, a path through /proc, or a path decided or expanded at run time outside the runbook's folder";
      }
      if (!program && w.literal && !w.text.starts_with('-') && row.vet == "awk" && awk_reads_named_file(w.text)) {
        return quoted(row.label) + " program reads a file it names (getline < FILE), which opsbook does not check";
      }
      program = program || (w.literal && !w.text.starts_with('-'));
      argv.push_back(w.text);
    }
    for (std::string_view w : argv) {  // gawk connects for /inet/tcp/0/HOST/PORT (an operand, getline <, print >)
      if (row.vet == "awk" && (w.find("/inet/") != std::string_view::npos || w.find("/inet4/") != std::string_view::npos || w.find("/inet6/") != std::string_view::npos)) {
        return quoted(row.label) + " names a /inet/ special file, through which gawk opens a network connection";
      }
    }
    std::string effect = row.vet == "awk" ? awk_command_side_effect(argv) : sed_command_side_effect(argv);
    if (!effect.empty()) return quoted(row.label) + " " + effect;
    return std::nullopt;
  }
  if (row.vet == "redis") {
    if (operands.empty()) return quoted(row.label) + " without a command reads Redis commands from its input";
    std::vector<std::string> argv;
    for (const auto& o : operands) argv.emplace_back(o.text);
    if (!operands[0].literal) return quoted(row.label) + " command " + shown(operands[0].text) + " is decided at run time";
    if (std::string why = redis_refusal(argv); !why.empty()) return "Redis " + why;
    // Reads that show the server's own secrets (requirepass, masterauth, ACL users): an oracle on
    // a doc-test's output would give them to the pull request's author.
    if (iequals(argv[0], "CONFIG") || iequals(argv[0], "ACL")) {
      return "Redis " + to_upper(argv[0]) + " shows the server's configuration, passwords included: not run as a doc-test";
    }
    return std::nullopt;
  }
  if (row.vet == "sql") {
    if (!sql.empty()) {
      for (const Arg& text : sql) {  // vetted as it will run: written out
        if (!text.literal) return quoted(row.label) + " -c SQL is decided at run time";
        if (auto why = vet_sql(text.text)) return why;
      }
      return std::nullopt;
    }
    if (sql_listing) return std::nullopt;
    for (auto ri : m_s.redirects(c)) {
      const shell::Redirect& r = m_s.all_redirects()[ri];
      if (r.heredoc >= 0) {
        bool complete = true;
        std::string text = m_s.heredoc_text(m_s.heredocs()[static_cast<size_t>(r.heredoc)], &complete);
        if (!complete) return quoted(row.label) + " heredoc SQL holds an expansion decided at run time";
        return vet_sql(text);
      }
      if (r.op == shell::RedirectOp::herestring && r.target >= 0) {
        const shell::Word& w = m_s.words()[static_cast<size_t>(r.target)];
        if (!w.literal()) return quoted(row.label) + " here-string SQL is decided at run time";
        return vet_sql(m_s.text(w));
      }
    }
    return quoted(row.label) + " without -c reads SQL from its input or a terminal";
  }
  return std::nullopt;
}

}  // namespace

std::optional<DoctestRefusal> doctest_secret_use(std::string_view script, const NetworkGate& gate) {
  shell::Script s;
  shell::lex(script, s, shell::Placeholders::shell);
  return Checker(s, &gate).secrets();
}

std::optional<DoctestRefusal> doctest_refusal(std::string_view script, const NetworkGate* gate) {
  thread_local shell::Script s;
  shell::lex(script, s, shell::Placeholders::shell);
  return Checker(s, gate).run();
}

}  // namespace opsbook::model
