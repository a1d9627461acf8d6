// Endpoints: URLs that curl/wget/httpie commands fetch, and URLs or paths in health-check lists.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "runbook.hpp"

namespace opsbook::model {

// Appends the endpoints that one logical shell command requests.
void endpoints_from_command(std::string_view command, int line, const std::string& snippet_id,
                            std::vector<Endpoint>& out);

// True for "http(s)://..." and for absolute URL paths like "/healthz" (no spaces).
bool looks_like_url(std::string_view text);
bool looks_like_path(std::string_view text);

// Status expectations written in prose or tables ("200 OK", "`204`", "2xx", "200-204 or 429")
// normalised to "200", "2xx", "200-204, 429"; "" when none is given.
std::string parse_expected_status(std::string_view text);

}  // namespace opsbook::model
