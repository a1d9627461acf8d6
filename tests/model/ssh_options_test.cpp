// ssh -o options read the way ssh reads them: every spelling that real ssh (ssh -G, which prints
// the configuration it made and connects nowhere) takes as a harmful option is not read-only.
#include <catch2/catch.hpp>

#include <cctype>
#include <map>
#include <sstream>

#include "model/process.hpp"
#include "model/safety.hpp"

using opsbook::model::classify_shell_command;
using opsbook::model::Safety;

namespace {

std::string quoted(const std::string& word) {
  std::string out = "'";
  for (char c : word) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

// What ssh makes of `args` (before the host web1 and the remote command `command`): its -G
// keyword/value lines, or {} when it refuses.
std::map<std::string, std::string> ssh_config(const std::vector<std::string>& args, const std::string& command = "true") {
  std::vector<std::string> argv{"ssh", "-F", "/dev/null", "-G"};
  argv.insert(argv.end(), args.begin(), args.end());
  argv.push_back("web1");
  if (!command.empty()) argv.push_back(command);
  auto r = opsbook::model::run_process(argv, "", std::chrono::seconds(10));
  std::map<std::string, std::string> out;
  if (r.exit_code != 0) return out;
  std::istringstream lines(r.out);
  for (std::string line; std::getline(lines, line);) {
    size_t space = line.find(' ');
    if (space == std::string::npos) continue;
    std::string& value = out[line.substr(0, space)];
    value += (value.empty() ? "" : "\n") + line.substr(space + 1);
  }
  return out;
}

}  // namespace

TEST_CASE("ssh: every spelling ssh accepts of an option that forks, runs or keeps a master is not read-only (against ssh -G)", "[model][safety][ssh]") {
  if (!opsbook::model::program_available("ssh")) {
    WARN("no ssh on PATH: the spellings are not checked against it");
    return;
  }
  auto base = ssh_config({});
  REQUIRE(base.count("forkafterauthentication") == 1);
  // keyword as ssh -G prints it, a harmful value
  const std::vector<std::pair<std::string, std::string>> harmful{
      {"ForkAfterAuthentication", "yes"}, {"ForkAfterAuthentication", "true"}, {"ProxyCommand", "touch /tmp/opsbook-canary"},
      {"LocalCommand", "touch /tmp/opsbook-canary"}, {"PermitLocalCommand", "yes"}, {"KnownHostsCommand", "/bin/true"},
      {"ControlMaster", "auto"}, {"ControlMaster", "yes"}, {"ControlPath", "/tmp/opsbook-mux"}, {"ControlPersist", "10m"},
      {"SessionType", "none"}, {"PKCS11Provider", "/tmp/evil.so"}, {"SecurityKeyProvider", "/tmp/evil.so"},
      {"XAuthLocation", "/tmp/evil"}, {"LocalForward", "0.0.0.0:8080 db:5432"}, {"RemoteForward", "9000 localhost:22"},
      {"DynamicForward", "0.0.0.0:1080"}, {"GatewayPorts", "yes"}, {"Tunnel", "yes"}, {"SendEnv", "AWS_*"}, {"SetEnv", "LD_PRELOAD=/x"},
      {"UserKnownHostsFile", "./known_hosts"}, {"ForwardX11", "yes"}, {"ForwardAgent", "./agent.sock"}, {"IgnoreUnknown", "*"},
      {"StreamLocalBindUnlink", "yes"}, {"AddKeysToAgent", "yes"}};
  auto spellings = [](std::string k, const std::string& v) {
    std::string lower, upper;
    for (char c : k) lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c))), upper += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    std::vector<std::vector<std::string>> out;
    for (const std::string& line : {k + "=" + v, k + " " + v, lower + "=" + v, upper + "\t=  " + v, " " + k + " = " + v + " ", "\"" + k + "\" " + v,
                                     "=" + k + " " + v, k + "=\"" + v + "\"", k.substr(0, 3) + "\"" + k.substr(3) + "\" " + v}) {
      out.push_back({"-o", line});
      out.push_back({"-o" + line});
      out.push_back({"-vo", line});
      out.push_back({"-4vo" + line});
    }
    return out;
  };
  int taken = 0;
  for (const auto& [keyword, value] : harmful) {
    std::string key = keyword;
    for (char& c : key) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    for (const auto& args : spellings(keyword, value)) {
      auto got = ssh_config(args);
      if (got.empty() || got[key] == base[key]) continue;  // ssh refused or ignored this spelling
      ++taken;
      std::string command = "ssh";
      for (const auto& a : args) command += " " + quoted(a);
      command += " web1 uptime";
      INFO(command << "  (ssh -G: " << key << " " << got[key] << ")");
      CHECK(classify_shell_command(command).level != Safety::read_only);
      // Options ssh reads after the host too, up to the remote command.
      std::string after = "ssh web1";
      for (const auto& a : args) after += " " + quoted(a);
      CHECK(classify_shell_command(after + " uptime").level != Safety::read_only);
    }
  }
  CHECK(taken > 200);  // the spellings do reach ssh: the test cannot pass by ssh refusing them all
}

TEST_CASE("ssh: RemoteCommand in any spelling ssh accepts is classified as the remote command", "[model][safety][ssh]") {
  if (!opsbook::model::program_available("ssh")) return;
  for (const std::string line : {"RemoteCommand=rm -rf /data", "remotecommand rm -rf /data", "\"RemoteCommand\" rm -rf /data", "=RemoteCommand rm -rf /data",
                                  " REMOTECOMMAND == rm -rf /data"}) {
    auto got = ssh_config({"-o", line}, "");
    std::string command = "ssh -o " + quoted(line) + " web1";
    INFO(command);
    REQUIRE(got["remotecommand"] == "rm -rf /data");  // ssh runs this on web1
    CHECK(classify_shell_command(command).level == Safety::destructive);
  }
}

TEST_CASE("ssh: options that only choose how to connect stay read-only, as ssh reads them", "[model][safety][ssh]") {
  for (const char* cmd : {"ssh -o ConnectTimeout=5 web1 uptime", "ssh -oStrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null web1 uptime",
                          "ssh -o 'BatchMode yes' -o LogLevel=ERROR web1 uptime", "ssh -o ForkAfterAuthentication=no web1 uptime",
                          "ssh -o ControlMaster=no -o ControlPath=none web1 uptime", "ssh -o ProxyJump=bastion web1 uptime", "ssh -O check web1",
                          "ssh -o ServerAliveInterval=30 -o SERVERALIVECOUNTMAX=3 web1 uptime", "ssh -o ForwardAgent=no web1 uptime"}) {
    INFO(cmd);
    CHECK(classify_shell_command(cmd).level == Safety::read_only);
  }
  for (const char* cmd : {"ssh -o NoSuchOption=1 web1 uptime", "ssh -o \"$SSH_OPTS\" web1 uptime", "ssh -o '#ProxyCommand x' web1 uptime",
                          "ssh -o '\"ProxyCommand x' web1 uptime", "ssh -O exit web1", "ssh -O stop web1", "scp -o ProxyCommand=x a web1:/tmp",
                          "sftp -oForkAfterAuthentication=yes web1", "ssh -o UserKnownHostsFile='/dev/null ./hosts' web1 uptime",
                          "ssh -o 'ControlMaster \"no\"' web1 uptime"}) {
    INFO(cmd);
    CHECK(classify_shell_command(cmd).level == Safety::mutating);
  }
}

// A new host's key written into the user's known_hosts unasked is a change (trust on first use:
// the next `ssh host` trusts whatever answered this time): StrictHostKeyChecking no/off/accept-new,
// UpdateHostKeys yes, CheckHostIP yes. ssh takes the first UserKnownHostsFile, so /dev/null after
// another file does not discard the write.
// s10a review B9: -o ForwardX11=yes was mutating, its short forms -X and -Y read-only.
TEST_CASE("ssh: -X and -Y forward X11 as ForwardX11=yes does: not read-only (s10a B9)", "[model][safety][ssh]") {
  for (const char* cmd : {"ssh -X web1 uptime", "ssh -Y web1 uptime", "ssh -vX web1 uptime", "ssh -o ForwardX11=yes web1 uptime"}) {
    INFO(cmd);
    CHECK(classify_shell_command(cmd).level == Safety::mutating);
  }
  CHECK(classify_shell_command("ssh -x web1 uptime").level == Safety::read_only);  // -x turns forwarding off
}

TEST_CASE("ssh: options that write the user's known_hosts are not read-only unless it is /dev/null", "[model][safety][ssh]") {
  for (const char* cmd : {"ssh -o StrictHostKeyChecking=accept-new web1 uptime", "ssh -oStrictHostKeyChecking=no web1 uptime",
                          "ssh -o 'StrictHostKeyChecking off' web1 uptime", "ssh -o UpdateHostKeys=yes web1 uptime", "ssh -o CheckHostIP=yes web1 uptime",
                          "scp -o StrictHostKeyChecking=accept-new web1:/etc/hostname /dev/stdout",
                          "ssh -o UserKnownHostsFile=/DEV/NULL -o StrictHostKeyChecking=no web1 uptime"}) {  // s10c B9: a path as written
    INFO(cmd);
    auto v = classify_shell_command(cmd);
    CHECK(v.level == Safety::mutating);
    CHECK_THAT(v.reason, Catch::Contains("known_hosts"));
  }
  CHECK(classify_shell_command("ssh -o UserKnownHostsFile=~/.ssh/known_hosts -o UserKnownHostsFile=/dev/null -o StrictHostKeyChecking=no web1 uptime").level ==
        Safety::mutating);
  for (const char* cmd : {"ssh -o StrictHostKeyChecking=yes web1 uptime", "ssh -o StrictHostKeyChecking=ask web1 uptime", "ssh -o UpdateHostKeys=no web1 uptime",
                          "ssh -o StrictHostKeyChecking=accept-new -o UserKnownHostsFile=/dev/null web1 uptime",
                          "ssh -o UserKnownHostsFile=none -o UpdateHostKeys=yes -o CheckHostIP=yes web1 uptime"}) {
    INFO(cmd);
    CHECK(classify_shell_command(cmd).level == Safety::read_only);
  }
}

// s9a review B1: OpenSSH pastes a jump host's user into an `sh -c` ProxyCommand unquoted, so
// `ssh -J 'ops$(touch F)@h' web1 uptime` ran touch with no prompt; B8: %-tokens in RemoteCommand
// are filled from HostKeyAlias, User... before the host runs it. Proved against real ssh -G: the
// jump host it keeps holds the value (the reviewer saw the file appear under opsbook run), and opsbook does not rate the line read-only.
TEST_CASE("ssh: a jump host or a value that is not plain is not read-only: a %-token in RemoteCommand is not read (s9a B1, B8)", "[model][safety][ssh]") {
  const std::string jump = "ops$(touch${IFS}/tmp/pwn)@127.0.0.1";
  if (opsbook::model::program_available("ssh")) {
    auto got = ssh_config({"-J", jump});
    REQUIRE(got["proxyjump"].find("$(touch") != std::string::npos);  // taken whole: ssh builds its ProxyCommand from it
    auto alias = ssh_config({"-o", "HostKeyAlias=web1;{rm,-rf,/srv/data}", "-o", "RemoteCommand=uptime %k"}, "");
    REQUIRE(alias["remotecommand"] == "uptime web1;{rm,-rf,/srv/data}");
  }
  for (const std::string& cmd : std::vector<std::string>{"ssh -J " + quoted(jump) + " web1 uptime", "ssh -J" + quoted(jump) + " web1 uptime",
                                "ssh -o " + quoted("ProxyJump=" + jump) + " web1 uptime", "ssh -oProxyJump=" + quoted(jump) + " web1 uptime",
                                "ssh -o 'ProxyJump `id`@h' web1 uptime", "scp -J " + quoted(jump) + " a web1:/tmp",
                                "ssh -o 'HostKeyAlias=web1;{rm,-rf,/srv/data}' -o 'RemoteCommand=uptime %k' web1",
                                "ssh -o 'RemoteCommand=uptime %n' rm", "ssh -o 'User=a$(id)' web1 uptime"}) {
    INFO(cmd);
    CHECK(classify_shell_command(cmd).level != Safety::read_only);
  }
  for (const char* cmd : {"ssh -J ops@bastion:2222 web1 uptime", "ssh -J bastion1,bastion2 web1 uptime", "ssh -o ProxyJump=ops@bastion web1 uptime",
                          "ssh -o IdentityFile=~/.ssh/id_ed25519 web1 uptime"}) {
    INFO(cmd);
    CHECK(classify_shell_command(cmd).level == Safety::read_only);
  }
}
