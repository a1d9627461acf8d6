// Endpoints: URLs that curl/wget/httpie commands and PowerShell web cmdlets fetch, request lines
// ("GET /api/health/ping"), service URL lists ("- **Grafana**: http://localhost:3000") and URLs or
// paths in health-check lists.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "runbook.hpp"

namespace opsbook::model {

// Appends the endpoints that one logical shell or PowerShell command requests (curl, wget, httpie,
// curl.exe, Invoke-WebRequest, Invoke-RestMethod).
void endpoints_from_command(std::string_view command, int line, const std::string& snippet_id,
                            std::vector<Endpoint>& out);

// An HTTP request line: "GET /api/health/ping", "HEAD https://x/healthz HTTP/1.1". Sets the
// endpoint's method and url (source "request").
bool request_line(std::string_view line, Endpoint& out);

// A service URL list item: "Grafana: http://localhost:3000 (admin only)", a short name, a colon
// (or a dash, or "at": "Kibana — <URL>", "Admin page at URL") and a URL of a running service
// (loopback, an IP address or an explicit port; never a page of documentation on a public site),
// or any URL when the name says the reader reaches the service there ("Access: URL", "Health
// check: URL").
// Sets url, service and the expectation: a status the note documents, else reachable (2xx, 3xx).
bool service_url_item(std::string_view item_text, Endpoint& out);

// The name of a list entry says its URL is where the service answers: "Access", "Health check",
// "Readiness endpoint" (whole words, any case).
bool names_access(std::string_view name);

// A URL of a running service: on loopback, an IP address or a host with an explicit port (not a
// page of a public site: documentation, dashboards).
bool names_running_service(std::string_view url);

// The words before a URL ask the reader to open it: "Open a browser and point it to", "browse
// to", "visit" (the clause after the last '.', ';', ':' or '(' has the verb and ends at the URL).
bool asks_to_open(std::string_view before);

// True for "http(s)://..." and for absolute URL paths like "/healthz" (no spaces).
bool looks_like_url(std::string_view text);
bool looks_like_path(std::string_view text);

// Status expectations written in prose or tables ("200 OK", "`204`", "2xx", "200-204 or 429")
// normalised to "200", "2xx", "200-204, 429"; "" when none is given.
std::string parse_expected_status(std::string_view text);

}  // namespace opsbook::model
