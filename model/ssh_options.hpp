// The options of ssh, scp and sftp read the way OpenSSH reads them: option clusters (-vo X,
// -p22), and each -o option as ssh's configuration reader takes it (a case-insensitive keyword,
// then `=` or blanks, then the value). What they make ssh do besides connecting and reading.
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace opsbook::model {

// Why the options of an ssh, scp or sftp command (words[0]) make it do more than connect and
// run the remote command: write a file, run a local program, go to the background, keep a
// connection master, listen beyond loopback, read more configuration. An -o option counts as
// harmless only when its keyword is one opsbook knows harmless (with a harmless value where the
// value decides), so an unknown or unreadable -o is never read-only. "" when none.
std::string ssh_option_risk(std::span<const std::string_view> words);

// The commands of ssh -o RemoteCommand=CMD ("RemoteCommand CMD" too): they run on the host.
std::vector<std::string> ssh_remote_commands(std::span<const std::string_view> words);

}  // namespace opsbook::model
