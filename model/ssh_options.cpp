// ssh, scp and sftp options as OpenSSH reads them (ssh.c's getopt clusters, readconf.c's -o
// lines), and which of them make ssh do more than connect: tests/model/ssh_options_test.cpp
// checks the spellings against ssh -G, which prints what ssh made of them.
#include "model/ssh_options.hpp"

#include <algorithm>
#include <optional>
#include <utility>

#include "model/network_target.hpp"
#include "model/text.hpp"

namespace opsbook::model {

namespace {

using Argv = std::span<const std::string_view>;

// The options of ssh, scp or sftp, as (letter, value) pairs; clusters like -vo X, -vEfile and
// -p22 read the way OpenSSH reads them. ssh reads options before and after the host, up to the
// remote command (`ssh web1 -o X uptime`); scp and sftp read them among their operands.
std::vector<std::pair<char, std::string_view>> options(Argv words) {
  std::string_view tool = program_name(words[0]);
  std::string_view valued = tool == "scp" ? "cDFiJlloPSX" : tool == "sftp" ? "BbcDFiJlPRSso" : "BbcDEeFIiJLlmOoPpQRSWw";
  std::vector<std::pair<char, std::string_view>> out;
  int operands = 0;
  for (size_t i = 1; i < words.size(); ++i) {
    std::string_view w = words[i];
    if (w == "--") break;
    if (!w.starts_with('-') || w.size() < 2) {
      if (tool == "ssh" && ++operands > 1) break;  // the remote command
      continue;
    }
    for (size_t k = 1; k < w.size(); ++k) {
      if (valued.find(w[k]) == std::string_view::npos) {
        out.emplace_back(w[k], std::string_view{});
        continue;
      }
      std::string_view value = k + 1 < w.size() ? w.substr(k + 1) : i + 1 < words.size() ? words[++i] : std::string_view{};
      out.emplace_back(w[k], value);
      break;
    }
  }
  return out;
}

constexpr std::string_view k_blanks = " \t\r\n";  // ssh's WHITESPACE

// ssh's strdelim (misc.c): the next word of `rest`, which becomes what follows it. A blank or one
// `=` ends the word (blanks, then one `=` and blanks after a blank, are skipped); a double quote
// in it is dropped and the word ends at the next one. nullopt where ssh gets NULL (an unmatched
// quote); `rest` nullopt when nothing follows.
std::optional<std::string> strdelim(std::optional<std::string>& rest) {
  if (!rest) return std::nullopt;
  std::string s = std::move(*rest);
  size_t at = s.find_first_of(" \t\r\n\"=");
  rest.reset();
  if (at == std::string::npos) return s;
  auto skip_blanks = [&](size_t from) { return std::min(s.size(), s.find_first_not_of(k_blanks, from)); };
  if (s[at] == '"') {
    s.erase(at, 1);
    size_t quote = s.find('"', at);
    if (quote == std::string::npos) return std::nullopt;
    rest = s.substr(skip_blanks(quote + 1));
    return s.substr(0, quote);
  }
  bool equals = s[at] == '=';
  size_t next = skip_blanks(at + 1);
  if (!equals && next < s.size() && s[next] == '=') next = skip_blanks(next + 1);
  rest = s.substr(next);
  return s.substr(0, at);
}

// One -o line as readconf.c reads a configuration line: trailing blanks (and \f) dropped, the
// keyword (after a leading empty word: `-o ' =ProxyCommand x'`), lowercased (ssh matches keywords
// in any case), then the value after blanks. nullopt: a line ssh ignores or cannot read.
struct Setting {
  std::string keyword;
  std::string rest;  // the value as ssh's line reader hands it on
};
std::optional<Setting> read_setting(std::string_view line) {
  while (line.size() > 1 && (k_blanks.find(line.back()) != std::string_view::npos || line.back() == '\f')) line.remove_suffix(1);
  std::optional<std::string> rest{std::string(line)};
  std::optional<std::string> keyword = strdelim(rest);
  if (keyword && keyword->empty()) keyword = strdelim(rest);
  if (!keyword || keyword->empty() || keyword->front() == '\n' || keyword->front() == '#') return std::nullopt;
  Setting s{to_lower(*keyword), rest ? *rest : std::string()};
  s.rest.erase(0, std::min(s.rest.size(), s.rest.find_first_not_of(k_blanks)));
  return s;
}

// The -o keywords that only choose how ssh connects, authenticates and reports, with the values
// that keep them so ("" = any value). Every other keyword may run a local program (ProxyCommand,
// LocalCommand, KnownHostsCommand, XAuthLocation, PKCS11Provider, SecurityKeyProvider), go to the
// background (ForkAfterAuthentication), keep or use a connection master (ControlMaster,
// ControlPath, ControlPersist), forward or listen (LocalForward, GatewayPorts, Tunnel...), send
// the environment (SendEnv, SetEnv), write a file (UserKnownHostsFile) or read more configuration
// (Include, Match): ssh reads the first value of each, so the first harmful one is taken.
struct Harmless {
  std::string_view keyword;
  std::string_view values;  // lowercase, each between blanks; the value must be one of them, whole
};
constexpr Harmless k_harmless[] = {
    {"addressfamily", ""}, {"batchmode", ""}, {"bindaddress", ""}, {"bindinterface", ""}, {"canonicaldomains", ""},
    {"canonicalizefallbacklocal", ""}, {"canonicalizehostname", ""}, {"canonicalizemaxdots", ""}, {"canonicalizepermittedcnames", ""},
    {"casignaturealgorithms", ""}, {"certificatefile", ""}, {"challengeresponseauthentication", ""}, {"ciphers", ""},
    {"clearallforwardings", ""}, {"compression", ""}, {"connectionattempts", ""}, {"connecttimeout", ""}, {"escapechar", ""},
    {"exitonforwardfailure", ""}, {"fingerprinthash", ""}, {"globalknownhostsfile", ""}, {"gssapiauthentication", ""},
    {"gssapidelegatecredentials", ""}, {"hashknownhosts", ""}, {"hostbasedacceptedalgorithms", ""}, {"hostbasedauthentication", ""},
    {"hostbasedkeytypes", ""}, {"hostkeyalgorithms", ""}, {"hostkeyalias", ""}, {"hostname", ""}, {"identitiesonly", ""},
    {"identityfile", ""}, {"ipqos", ""}, {"kbdinteractiveauthentication", ""}, {"kbdinteractivedevices", ""}, {"kexalgorithms", ""},
    {"loglevel", ""}, {"logverbose", ""}, {"macs", ""}, {"nohostauthenticationforlocalhost", ""}, {"numberofpasswordprompts", ""},
    {"passwordauthentication", ""}, {"port", ""}, {"preferredauthentications", ""}, {"proxyjump", ""}, {"pubkeyacceptedalgorithms", ""},
    {"pubkeyacceptedkeytypes", ""}, {"pubkeyauthentication", ""}, {"rekeylimit", ""}, {"requestty", ""}, {"requiredrsasize", ""},
    {"serveralivecountmax", ""}, {"serveraliveinterval", ""}, {"stdinnull", ""}, {"syslogfacility", ""},
    {"tcpkeepalive", ""}, {"user", ""}, {"verifyhostkeydns", ""}, {"visualhostkey", ""},
    // RemoteCommand runs on the host: the classifier reads it as a script (ssh_remote_commands).
    {"remotecommand", ""},
    {"forkafterauthentication", " no false "}, {"controlmaster", " no false "}, {"controlpersist", " no false "}, {"controlpath", " none "},
    {"permitlocalcommand", " no false "}, {"gatewayports", " no false "}, {"forwardx11", " no false "}, {"sessiontype", " default "},
    {"forwardagent", " no false "}, {"userknownhostsfile", " /dev/null none "},
    // These write the user's known_hosts: StrictHostKeyChecking no/off/accept-new adds a new
    // host's key unasked, UpdateHostKeys replaces keys, CheckHostIP adds addresses. Harmless
    // when known_hosts is /dev/null (k_known_hosts_writers).
    {"stricthostkeychecking", " yes ask true "}, {"updatehostkeys", " no false "}, {"checkhostip", " no false "},
};
constexpr std::string_view k_known_hosts_writers[] = {"stricthostkeychecking", "updatehostkeys", "checkhostip"};

// A value ssh can take without a shell or a %-token seeing anything but a word (not the filler's
// runner::plain_value, whose characters are those of a placeholder value): ProxyJump's user
// part goes into an `sh -c` ProxyCommand unquoted, HostKeyAlias and User fill %k and %r.
bool ssh_plain_word(std::string_view value) {
  return std::all_of(value.begin(), value.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || std::string_view("._-:/@+=,~ \t").find(c) != std::string_view::npos;
  });
}

// Why one -o line makes ssh do more than connect, or "". `discarded`: the first UserKnownHostsFile
// is /dev/null or none, so what ssh would write to known_hosts goes nowhere.
std::string option_risk(std::string_view line, bool discarded) {
  auto s = read_setting(line);
  if (!s) return "ssh -o: an option line opsbook cannot read as ssh does (an unmatched quote, a comment, no keyword)";
  auto rule = std::find_if(std::begin(k_harmless), std::end(k_harmless), [&](const Harmless& h) { return h.keyword == s->keyword; });
  if (rule == std::end(k_harmless)) {
    return "ssh -o " + s->keyword + ": not an option opsbook knows harmless (it may run a local program, go to the background, keep a connection master, forward or read configuration)";
  }
  if (s->keyword == "remotecommand") {
    if (s->rest.find('%') == std::string_view::npos) return "";
    return "ssh -o RemoteCommand with a %-token: ssh fills it in from other options before the host runs it, so opsbook cannot read the command";
  }
  std::string value = " " + to_lower(s->rest) + " ";
  bool writer = std::find(std::begin(k_known_hosts_writers), std::end(k_known_hosts_writers), s->keyword) != std::end(k_known_hosts_writers);
  if (writer && discarded && ssh_plain_word(s->rest)) return "";
  if (rule->values.empty() && ssh_plain_word(s->rest)) return "";
  if (!rule->values.empty() && s->rest.find_first_of(" \t") == std::string_view::npos && rule->values.find(value) != std::string_view::npos) return "";
  if (rule->values.empty()) {
    return "ssh -o " + s->keyword + " with a value that is not plain (letters, digits, . _ - : / @ + = , ~ and blanks): ssh pastes some values "
           "into a shell command (ProxyJump's user) or expands %-tokens with them";
  }
  if (writer) return "ssh -o " + s->keyword + " with that value writes host keys into the user's known_hosts (harmless with -o UserKnownHostsFile=/dev/null)";
  return "ssh -o " + s->keyword + " with that value goes to the background, keeps or uses a connection master, listens beyond loopback, forwards X11 or writes a file";
}

// Whether the first UserKnownHostsFile among the -o options is /dev/null or none (ssh takes the
// first value of each keyword).
bool known_hosts_discarded(const std::vector<std::pair<char, std::string_view>>& opts) {
  for (const auto& [letter, value] : opts) {
    if (letter != 'o') continue;
    auto s = read_setting(value);
    if (!s || s->keyword != "userknownhostsfile") continue;
    return s->rest == "/dev/null" || to_lower(s->rest) == "none";  // a path as written (s10c B9: /DEV/NULL is a file)
  }
  return false;
}

// An ssh -L or -D forward that listens on this machine's loopback only ([bind:]port...: with
// `parts` fields the first is the bind address; without, ssh binds loopback). A value known only
// at run time, or a socket path, is not proven to.
bool loopback_forward(std::string_view value, size_t parts) {
  if (value.empty() || value.find_first_of("$`<{/") != std::string_view::npos) return false;
  std::vector<std::string_view> fields;
  for (size_t at = 0; at <= value.size();) {
    size_t close = at < value.size() && value[at] == '[' ? value.find(']', at) : std::string_view::npos;  // [::1]
    size_t end = value.find(':', close == std::string_view::npos ? at : close);
    if (end == std::string_view::npos) end = value.size();
    fields.push_back(value.substr(at, end - at));
    at = end + 1;
  }
  if (fields.size() < parts) return true;  // no bind address: loopback
  return binds_loopback_only(fields[0]);
}

}  // namespace

std::string ssh_option_risk(Argv words) {
  // ssh: -E log, -S control socket, -M master, -w tunnel devices, -R and -g and -L/-D beyond loopback,
  // -f (the background), -A (the agent), -X/-Y (X11)
  // listeners others reach, -I PKCS#11 library, -O a command to a master (exit, stop, forward);
  // scp and sftp: -S and -D run a program; sftp -b reads commands (put, rm) from a file; all: -F
  // reads a configuration file, whose ProxyCommand or Match exec runs programs.
  std::string_view tool = program_name(words[0]);
  std::string_view risky = tool == "scp" ? "SDF" : tool == "sftp" ? "SDbF" : "ESMwIFRg";
  auto opts = options(words);
  bool discarded = known_hosts_discarded(opts);
  for (const auto& [letter, value] : opts) {
    if (risky.find(letter) != std::string_view::npos) return std::string(tool) + " options write a log, a control socket or a tunnel, or run a local command";
    if (tool == "ssh" && (letter == 'L' || letter == 'D') && !loopback_forward(value, letter == 'L' ? 4 : 2)) {
      return "ssh -" + std::string(1, letter) + " " + std::string(value) + ": listens beyond this machine's loopback";
    }
    if (tool == "ssh" && (letter == 'X' || letter == 'Y')) return "ssh -" + std::string(1, letter) + ": forwards X11, as -o ForwardX11=yes does (the host reaches this display)";
    // Its own options only, before the remote command: `ssh web1 tail -f log` does neither (s11a review B17).
    if (tool == "ssh" && letter == 'f') return "ssh -f goes to the background, where it outlives the snippet";
    if (tool == "ssh" && letter == 'A') return "ssh -A forwards the operator's ssh agent, as -o ForwardAgent=yes does: the host can sign in elsewhere with the operator's keys while the session lasts";
    if (tool == "ssh" && letter == 'O' && value != "check") return "ssh -O " + std::string(value) + ": tells a connection master to stop, exit or forward";
    if (letter == 'J' && (!ssh_plain_word(value) || value.find_first_of(" \t") != std::string_view::npos)) {
      return std::string(tool) + " -J " + std::string(value) + ": a jump host that is not plain [user@]host[:port]: ssh pastes it into a shell command";
    }
    if (letter != 'o') continue;
    if (std::string why = option_risk(value, discarded); !why.empty()) return why;
  }
  return "";
}

std::vector<std::string> ssh_remote_commands(Argv words) {
  std::vector<std::string> out;
  for (const auto& [letter, value] : options(words)) {
    if (letter != 'o') continue;
    auto s = read_setting(value);
    // readconf.c hands the rest of the line on, after any more blanks and `=`.
    if (s && s->keyword == "remotecommand") out.push_back(s->rest.substr(std::min(s->rest.size(), s->rest.find_first_not_of(" \t\r\n="))));
  }
  return out;
}

}  // namespace opsbook::model
