// A filled value never picks a connection target: where a placeholder stands in a URL's
// authority or in a libpq program's database name, its value could choose the server a request
// or a session (and the credentials with it) goes to. Each rule returns "" when the value may
// stand there, else why not, with the way forward.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace opsbook::runner {

// `before`, `after`: the text around the placeholder (in a shell word, its quote-removed text). In
// scheme://HOST:PORT, before the path, the value's part before a / ? or # may only name a host or
// a port. `url`: the word is a URL a URL-taking program reads (url_operand), where the host comes
// first: the value is in the authority unless a literal / ? or # precedes it (a variable before it
// may hold a scheme and host); a placeholder that is the whole word is a whole URL.
std::string url_authority_risk(std::string_view before, std::string_view after, std::string_view value, bool url);

// `args`: the command's quote-removed words, `first` its program. Is the word at `pos` a URL to a
// URL-taking program (curl, wget, httpie, xh..., also behind wrappers): an operand, or the value
// of an option that takes one (curl --url)?
bool url_operand(const std::vector<std::string>& args, size_t first, size_t pos);

// `args`: the command's words, `first` its program, `pos` the word the value is in. A libpq
// program (also behind wrappers: timeout 5 psql) reads its database name (-d, --dbname,
// --maintenance-db, or an operand: a word after no option known to take a value) as a connection
// string when it holds = or ://.
std::string libpq_dbname_risk(const std::vector<std::string>& args, size_t first, size_t pos, std::string_view value);

}  // namespace opsbook::runner
