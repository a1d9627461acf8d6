// What a live check checked, as a digest of the runbook text it came from: a snippet's kind,
// language, code and attributes (all but its name), an endpoint's URL, method, expected statuses
// and TLS check, a port row's service and port, a front-matter service's name. The checker
// writes it into every live result; the portal shows a result beside a snippet, row or page only
// while the runbook's text still gives the same digest (s11b review B3: results keyed by snippet
// id went to whatever snippet held the id later).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "model/runbook.hpp"

namespace opsbook::model {

// 32 hex digits (the first 16 bytes of a SHA-256 over the framed parts).
std::string check_digest(const Snippet& s);
std::string check_digest(const Endpoint& ep);
std::string check_digest(const Port& port);
std::string service_check_digest(std::string_view service);  // a service of the front matter

// An endpoint's check: its snippet's digest when it comes from one, else its own.
std::string endpoint_check_digest(const Runbook& rb, const Endpoint& ep);

// Whether a live check probes this port row in environment `env` ("" = none): a TCP row with a
// service and a port, of that environment's column when the table has one per environment.
bool port_is_probed(const Port& port, std::string_view env);

// A doc-test: a snippet with run=auto and expect-exit or expect-stdout.
bool is_doctest(const Snippet& s);

// Something in a runbook that a live check reads, by its digest. `required`: a live run of an
// environment `env` ("" = every environment) always gives it a result (passed, failed, skipped or
// refused), so a page is verified only when a result covers it: endpoints, probed port rows,
// SQL snippets and doc-tests. The others (snippets, services) give results only for some
// commands or stacks.
struct CheckSource {
  std::string digest;
  std::string env;
  bool required = false;
};
std::vector<CheckSource> check_sources(const Runbook& rb);  // sorted by digest

// Whether `checks` (as check_sources gives them) hold `digest` ("" never).
bool has_check(const std::vector<CheckSource>& checks, std::string_view digest);

}  // namespace opsbook::model
