// A filled value never picks a connection target: where a placeholder stands in a URL's
// authority or in a libpq program's database name, its value could choose the server a request
// or a session (and the credentials with it) goes to. Each rule returns "" when the value may
// stand there, else why not, with the way forward.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace opsbook::runner {

// `before`: the word's text up to the placeholder (as written). In scheme://HOST:PORT, before the
// path, the value's part before a / ? or # may only name a host or a port.
std::string url_authority_risk(std::string_view before, std::string_view value);

// `args`: the command's words, `first` its program, `pos` the word the value is in. A libpq
// program reads its database name (-d, --dbname, or an operand not after an option that takes a
// value) as a connection string when it holds = or ://.
std::string libpq_dbname_risk(const std::vector<std::string>& args, size_t first, size_t pos, std::string_view value);

}  // namespace opsbook::runner
