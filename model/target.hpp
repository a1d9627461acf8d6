// Targets of an environment: URL parsing, the environment's host rewrites, the allow list (a
// target outside it is never contacted), parameter filling and expected HTTP statuses. Read by
// the live checks and by the snippet runner. Pure functions: no network here.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "config.hpp"

namespace opsbook::model {

struct Url {
  std::string scheme;  // lower case
  std::string user, password;
  std::string host;    // without brackets for IPv6
  int port = 0;        // 0 = scheme default
  std::string path;    // path, query and fragment as written ("/" when empty)

  [[nodiscard]] int effective_port() const;
  // host:port as it appears in a URL (IPv6 in brackets; port omitted when default).
  [[nodiscard]] std::string authority() const;
  // Without user and password: safe to print.
  [[nodiscard]] std::string str() const;
  // With credentials, for the client library only.
  [[nodiscard]] std::string with_credentials() const;
};

// Parses scheme://[user[:password]@]host[:port][/path]; nullopt when it is not such a URL.
std::optional<Url> parse_url(std::string_view text);

// The environment's view of targets: host rewrites and the allow list.
class TargetPolicy {
 public:
  explicit TargetPolicy(const EnvironmentConfig* env);

  struct Rewritten {
    std::string host;
    int port = 0;
    std::string scheme;  // "" = keep the documented scheme
    bool rewritten = false;
  };
  // Applies `hosts:` (keys "host:port" first, then "host"); values are "host", "host:port" or
  // a base URL "http://host:port".
  [[nodiscard]] Rewritten rewrite(std::string_view host, int port) const;
  // True when the host may be contacted: listed in allow_hosts (exact, or "*.example.com"),
  // or, without an allow list, a loopback address or localhost.
  [[nodiscard]] bool allowed(std::string_view host) const;
  // Rewrites a whole URL; the result's host may still be disallowed.
  [[nodiscard]] Url rewrite(const Url& url) const;
  [[nodiscard]] std::string allow_list() const;

 private:
  const EnvironmentConfig* m_env;
};

// Applies the environment's host rewrites inside free text (a command): every documented
// `host` or `host:port` that stands alone (not part of a longer name) becomes its target; a
// target given as a base URL also replaces a preceding "http://" or "https://".
std::string rewrite_hosts_in_text(std::string_view text, const EnvironmentConfig* env);

// The value of `name` in a list of params: an exact match, else one ignoring case.
const std::string* find_value(const std::vector<std::pair<std::string, std::string>>& params, std::string_view name);

// Fills `<name>`, `{{name}}`, `${NAME}` and `$NAME` from the environment's params. Returns the
// names left unfilled in `missing` (empty = fully filled).
std::string fill_params(std::string_view text, const EnvironmentConfig* env, std::vector<std::string>& missing);

// RFC 3986 percent-encoding of everything but the unreserved characters.
std::string percent_encode(std::string_view value);

// A value as it goes into a URL's path or query: percent-encoded, so it stays one path segment or
// query value (`../../admin?x#` cannot climb, add a query or cut the rest off); "." and ".."
// (which encoding leaves as they are) are refused: `why` says so, and "" is returned.
std::string url_value(std::string_view value, std::string& why);

// fill_params for a URL (an HTTP probe's): each value goes in as url_value puts it, but for one
// that begins the URL (a base URL, `${API_URL}/health`), which stays as it is: where a probe may go
// is the environment's hosts' and allow_hosts' to say. `why`: the first refusal, "<name> ...".
std::string fill_url(std::string_view url, const EnvironmentConfig* env, std::vector<std::string>& missing, std::string& why);

// Expected HTTP status: "" (any 2xx), "200", "2xx", "200-204, 429", "301 or 302".
class StatusSpec {
 public:
  explicit StatusSpec(std::string_view spec);
  [[nodiscard]] bool matches(int status) const;
  [[nodiscard]] bool valid() const { return m_valid; }
  [[nodiscard]] std::string str() const;

 private:
  std::vector<std::pair<int, int>> m_ranges;
  std::string m_text;
  bool m_valid = true;
};

// Removes the password from a PostgreSQL DSN (URI or key=value form) for display.
std::string redact_dsn(std::string_view dsn);
// The password of a DSN (URI or key=value form), "" when it has none.
std::string dsn_password(std::string_view dsn);
// `text` with every occurrence of `secret` (3 bytes or more) replaced by "***".
std::string scrub(std::string text, std::string_view secret);

// Host of a PostgreSQL DSN ("" when it names none: a Unix socket).
std::string dsn_host(std::string_view dsn);

}  // namespace opsbook::model
