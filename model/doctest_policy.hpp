// Whether a shell doc-test may run unattended: every command in it is on the doc-test allow list
// (model/doctest_allow.txt) with only the options and operands its row allows, read through the
// one shell lexer. Everything else is refused with the first reason: which command, which word.
#pragma once

#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "network_target.hpp"

namespace opsbook::model {

struct DoctestRefusal {
  size_t offset = 0;  // byte offset in the script of the command (or construct) refused
  std::string reason;  // "'curl' option -O is not on the doc-test allow list"
};

// Where a doc-test may connect: `variable` gives the value of a variable of the environment the
// snippet runs in (nullptr when it has none), so that `psql "$APP_DSN"` is read as it will run;
// `refusal` says whether the environment lets it reach a place ("" or why not: network_refusal).
// `secret` (optional) says whether a variable holds a secret of the environment (a DSN, a
// password), and `secrets` are such values (written into the script by filling): a doc-test may
// use one only as a whole connection string of psql, pg_isready or redis-cli, never in a URL, a
// message or an oracle that would carry it elsewhere.
struct NetworkGate {
  std::function<const std::string*(std::string_view name)> variable;
  std::function<std::string(const NetTarget&)> refusal;
  std::function<bool(std::string_view name)> secret;
  std::vector<std::string> secrets;
};

// nullopt when every command of `script` (a filled shell snippet: values written in) is allowed
// and, with a gate, every place its commands connect to or look up passes it. Without a gate the
// places are not read (the static view: what the allow list says of the words alone).
std::optional<DoctestRefusal> doctest_refusal(std::string_view script, const NetworkGate* gate = nullptr);

// The secrets check alone, on the snippet as written (before its $NAME values are filled in, so
// that `echo "$GITHUB_TOKEN"` is seen by the variable's name).
std::optional<DoctestRefusal> doctest_secret_use(std::string_view script, const NetworkGate& gate);

}  // namespace opsbook::model
