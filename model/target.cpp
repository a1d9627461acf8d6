// Targets of live probes: URL parsing, host rewrites, allow list, params, expected statuses.
#include "model/target.hpp"

#include <cctype>
#include <algorithm>
#include <charconv>
#include <functional>

#include "model/network_target.hpp"
#include "model/text.hpp"

namespace opsbook::model {

namespace {

bool parse_port(std::string_view text, int& port) {
  if (text.empty() || text.size() > 5) return false;
  auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), port);
  return ec == std::errc() && p == text.data() + text.size() && port > 0 && port < 65536;
}

// "host", "host:port", "[v6]:port"
bool split_host_port(std::string_view text, std::string& host, int& port) {
  port = 0;
  if (!text.empty() && text[0] == '[') {
    size_t close = text.find(']');
    if (close == std::string_view::npos) return false;
    host = std::string(text.substr(1, close - 1));
    std::string_view rest = text.substr(close + 1);
    if (rest.empty()) return true;
    return rest[0] == ':' && parse_port(rest.substr(1), port);
  }
  size_t colon = text.rfind(':');
  if (colon != std::string_view::npos && text.find(':') == colon) {
    host = std::string(text.substr(0, colon));
    return parse_port(text.substr(colon + 1), port) && !host.empty();
  }
  host = std::string(text);
  return !host.empty();
}


bool ident_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }

}  // namespace

int Url::effective_port() const {
  if (port) return port;
  if (scheme == "http") return 80;
  if (scheme == "https") return 443;
  if (scheme == "redis") return 6379;
  if (scheme == "rediss") return 6380;
  if (scheme == "postgres" || scheme == "postgresql") return 5432;
  return 0;
}

std::string Url::authority() const {
  std::string out = host.find(':') != std::string::npos ? "[" + host + "]" : host;
  if (port) out += ":" + std::to_string(port);
  return out;
}

std::string Url::str() const { return scheme + "://" + (user.empty() ? "" : user + "@") + authority() + path; }

std::string Url::with_credentials() const {
  std::string creds;
  if (!user.empty() || !password.empty()) creds = user + (password.empty() ? "" : ":" + password) + "@";
  return scheme + "://" + creds + authority() + path;
}

std::optional<Url> parse_url(std::string_view text) {
  size_t sep = text.find("://");
  if (sep == std::string_view::npos || sep == 0) return std::nullopt;
  Url url;
  for (char c : text.substr(0, sep)) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '+' && c != '-' && c != '.') return std::nullopt;
    url.scheme += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  std::string_view rest = text.substr(sep + 3);
  size_t end = rest.find_first_of("/?#");
  std::string_view authority = rest.substr(0, end);
  url.path = end == std::string_view::npos ? "/" : std::string(rest.substr(end));
  if (!url.path.empty() && url.path[0] != '/') url.path = "/" + url.path;
  size_t at = authority.rfind('@');
  if (at != std::string_view::npos) {
    std::string_view userinfo = authority.substr(0, at);
    size_t colon = userinfo.find(':');
    url.user = std::string(userinfo.substr(0, colon));
    if (colon != std::string_view::npos) url.password = std::string(userinfo.substr(colon + 1));
    authority = authority.substr(at + 1);
  }
  if (!split_host_port(authority, url.host, url.port)) return std::nullopt;
  for (char c : url.host) {
    if (std::isspace(static_cast<unsigned char>(c)) || c == '<' || c == '>' || c == '{' || c == '}' || c == '$') return std::nullopt;
  }
  return url;
}

TargetPolicy::TargetPolicy(const EnvironmentConfig* env) : m_env(env) {}

TargetPolicy::Rewritten TargetPolicy::rewrite(std::string_view host, int port) const {
  Rewritten out{std::string(host), port, {}, false};
  if (!m_env) return out;
  const std::string* value = nullptr;
  std::string with_port = std::string(host) + ":" + std::to_string(port);
  for (const auto& [k, v] : m_env->hosts) {
    if (port && iequals(k, with_port)) value = &v;
  }
  if (!value) {
    for (const auto& [k, v] : m_env->hosts) {
      if (iequals(k, host)) value = &v;
    }
  }
  if (!value) return out;
  out.rewritten = true;
  std::string_view target = *value;
  if (auto url = parse_url(target)) {
    out.scheme = url->scheme;
    out.host = url->host;
    out.port = url->port ? url->port : url->effective_port();
    return out;
  }
  std::string h;
  int p = 0;
  if (split_host_port(target, h, p)) {
    out.host = h;
    if (p) out.port = p;
  }
  return out;
}

Url TargetPolicy::rewrite(const Url& url) const {
  Rewritten r = rewrite(url.host, url.effective_port());
  if (!r.rewritten) return url;
  Url out = url;
  out.host = r.host;
  if (!r.scheme.empty()) out.scheme = r.scheme;
  out.port = r.port;
  Url bare = out;
  bare.port = 0;
  if (out.port == bare.effective_port()) out.port = 0;  // no ":80" after http
  return out;
}

bool TargetPolicy::allowed(std::string_view host) const {
  if (host.empty()) return false;
  if (!m_env || m_env->allow_hosts.empty()) return is_loopback_host(host);
  for (const auto& a : m_env->allow_hosts) {
    if (iequals(a, host)) return true;
    if (a.starts_with("*.") && host.size() > a.size() - 1 && iequals(host.substr(host.size() - (a.size() - 1)), std::string_view(a).substr(1))) return true;
  }
  return false;
}

std::string TargetPolicy::allow_list() const {
  if (!m_env || m_env->allow_hosts.empty()) return "loopback only (no allow_hosts)";
  std::string out;
  for (const auto& a : m_env->allow_hosts) out += (out.empty() ? "" : ", ") + a;
  return out;
}

const std::string* find_value(const std::vector<std::pair<std::string, std::string>>& params, std::string_view name) {
  for (const auto& [k, v] : params) {
    if (k == name) return &v;
  }
  for (const auto& [k, v] : params) {
    if (iequals(k, name)) return &v;
  }
  return nullptr;
}

std::string rewrite_hosts_in_text(std::string_view text, const EnvironmentConfig* env) {
  if (!env || env->hosts.empty()) return std::string(text);
  // Longest keys first, so "db:5432" wins over "db".
  std::vector<const std::pair<std::string, std::string>*> keys;
  for (const auto& kv : env->hosts) keys.push_back(&kv);
  std::stable_sort(keys.begin(), keys.end(), [](auto* a, auto* b) { return a->first.size() > b->first.size(); });
  auto host_char = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-' || c == '_'; };
  std::string out;
  size_t i = 0;
  while (i < text.size()) {
    bool replaced = false;
    if (i == 0 || !host_char(text[i - 1])) {
      for (const auto* kv : keys) {
        const std::string& key = kv->first;
        if (key.empty() || text.size() - i < key.size() || !iequals(text.substr(i, key.size()), key)) continue;
        size_t end = i + key.size();
        if (end < text.size() && host_char(text[end])) continue;
        // A bare-host key must not eat the port of a more specific spelling: "db" in "db:6432"
        // still matches (the port stays), which is what a host rewrite means.
        std::string value = kv->second;
        if (auto url = parse_url(value)) {
          for (std::string_view scheme : {"https://", "http://"}) {
            if (out.size() >= scheme.size() && out.compare(out.size() - scheme.size(), scheme.size(), scheme) == 0) {
              out.resize(out.size() - scheme.size());
              out += url->scheme + "://";
              break;
            }
          }
          value = url->authority();
          if (url->port == 0 && url->effective_port()) value += ":" + std::to_string(url->effective_port());
        }
        // "host" -> "127.0.0.1:8080" when the text gives its own port keeps the text's port.
        if (key.find(':') == std::string::npos && end < text.size() && text[end] == ':' && value.find(':') != std::string::npos && value.find(']') == std::string::npos) {
          value = value.substr(0, value.rfind(':'));
        }
        out += value;
        i = end;
        replaced = true;
        break;
      }
    }
    if (!replaced) out += text[i++];
  }
  return out;
}

namespace {

// How a value goes into the text: `name`, the value, and where in the output it starts.
using PutValue = std::function<std::string(std::string_view name, std::string_view value, size_t at)>;

std::string fill_with(std::string_view text, const EnvironmentConfig* env, std::vector<std::string>& missing, const PutValue& put) {
  std::string out;
  out.reserve(text.size());
  auto use = [&](std::string_view name, std::string_view fallback, bool has_fallback, std::string_view as_written) {
    if (const std::string* v = env ? find_value(env->params, name) : nullptr) out += put(name, *v, out.size());
    else if (has_fallback) out += put(name, fallback, out.size());
    else {
      missing.emplace_back(name);
      out += as_written;
    }
  };
  size_t i = 0;
  while (i < text.size()) {
    char c = text[i];
    if (c == '<') {
      size_t close = text.substr(0, std::min(text.size(), i + 66)).find('>', i + 1);  // names are under 64 bytes: look no further
      std::string_view name = close == std::string_view::npos ? std::string_view{} : text.substr(i + 1, close - i - 1);
      bool ok = !name.empty() && name.size() < 64 && (std::isalpha(static_cast<unsigned char>(name[0])) || name[0] == '_');
      for (char n : name) ok = ok && (ident_char(n) || n == '-' || n == '.');
      if (ok) {
        use(name, {}, false, text.substr(i, close - i + 1));
        i = close + 1;
        continue;
      }
    } else if (c == '{' && text.substr(i).starts_with("{{")) {
      size_t close = text.substr(0, std::min(text.size(), i + 130)).find("}}", i + 2);
      if (close != std::string_view::npos) {
        std::string_view name = trim(text.substr(i + 2, close - i - 2));
        bool ok = !name.empty();
        for (char n : name) ok = ok && (ident_char(n) || n == '-' || n == '.');
        if (ok) {
          use(name, {}, false, text.substr(i, close - i + 2));
          i = close + 2;
          continue;
        }
      }
    } else if (c == '$' && i + 1 < text.size()) {
      if (text[i + 1] == '{') {
        size_t close = text.find('}', i + 2);
        if (close != std::string_view::npos) {
          std::string_view inner = text.substr(i + 2, close - i - 2);
          size_t dflt = inner.find(":-");
          std::string_view name = inner.substr(0, dflt);
          bool ok = !name.empty();
          for (char n : name) ok = ok && ident_char(n);
          if (ok) {
            use(name, dflt == std::string_view::npos ? std::string_view{} : inner.substr(dflt + 2), dflt != std::string_view::npos,
                text.substr(i, close - i + 1));
            i = close + 1;
            continue;
          }
        }
      } else if (std::isalpha(static_cast<unsigned char>(text[i + 1])) || text[i + 1] == '_') {
        size_t j = i + 1;
        while (j < text.size() && ident_char(text[j])) ++j;
        use(text.substr(i + 1, j - i - 1), {}, false, text.substr(i, j - i));
        i = j;
        continue;
      }
    }
    out += c;
    ++i;
  }
  return out;
}

}  // namespace

std::string fill_params(std::string_view text, const EnvironmentConfig* env, std::vector<std::string>& missing) {
  return fill_with(text, env, missing, [](std::string_view, std::string_view value, size_t) { return std::string(value); });
}

std::string percent_encode(std::string_view value) {
  static const char* hex = "0123456789ABCDEF";
  std::string out;
  for (char c : value) {
    auto u = static_cast<unsigned char>(c);
    if (std::isalnum(u) || c == '-' || c == '.' || c == '_' || c == '~') out += c;
    else {
      out += '%';
      out += hex[u >> 4];
      out += hex[u & 15];
    }
  }
  return out;
}

std::string url_value(std::string_view value, std::string& why) {
  if (value == "." || value == "..") {
    why = "has the value " + std::string(value) + ", which would change the URL's path";
    return "";
  }
  return percent_encode(value);
}

std::string fill_url(std::string_view url, const EnvironmentConfig* env, std::vector<std::string>& missing, std::string& why) {
  return fill_with(url, env, missing, [&](std::string_view name, std::string_view value, size_t at) {
    if (at == 0) return std::string(value);
    std::string refused;
    std::string put = url_value(value, refused);
    if (!refused.empty() && why.empty()) why = "<" + std::string(name) + "> " + refused;
    return put;
  });
}

StatusSpec::StatusSpec(std::string_view spec) : m_text(trim(spec)) {
  std::string_view s = m_text;
  if (s.empty()) {
    m_ranges.emplace_back(200, 299);
    return;
  }
  size_t i = 0;
  while (i < s.size()) {
    while (i < s.size() && !std::isalnum(static_cast<unsigned char>(s[i]))) ++i;
    size_t j = i;
    while (j < s.size() && std::isalnum(static_cast<unsigned char>(s[j]))) ++j;
    std::string_view tok = s.substr(i, j - i);
    i = j;
    if (tok.empty()) break;
    if (tok.size() == 3 && std::isdigit(static_cast<unsigned char>(tok[0])) && (tok[1] == 'x' || tok[1] == 'X') && (tok[2] == 'x' || tok[2] == 'X')) {
      int base = (tok[0] - '0') * 100;
      m_ranges.emplace_back(base, base + 99);
      continue;
    }
    int lo = 0;
    if (tok.size() != 3 || std::from_chars(tok.data(), tok.data() + 3, lo).ec != std::errc() || lo < 100 || lo > 599) continue;  // words like "or", "OK"
    int hi = lo;
    // A range "200-204" or "200–204".
    size_t k = i;
    while (k < s.size() && s[k] == ' ') ++k;
    if (k < s.size() && (s[k] == '-' || s.substr(k).starts_with("\xe2\x80\x93"))) {
      k += s[k] == '-' ? 1 : 3;
      while (k < s.size() && s[k] == ' ') ++k;
      int h = 0;
      if (k + 3 <= s.size() && std::from_chars(s.data() + k, s.data() + k + 3, h).ec == std::errc() && h >= lo && h <= 599) {
        hi = h;
        i = k + 3;
      }
    }
    m_ranges.emplace_back(lo, hi);
  }
  if (m_ranges.empty()) {
    m_valid = false;
    m_ranges.emplace_back(200, 299);
  }
}

bool StatusSpec::matches(int status) const {
  for (auto [lo, hi] : m_ranges) {
    if (status >= lo && status <= hi) return true;
  }
  return false;
}

std::string StatusSpec::str() const { return m_text.empty() || !m_valid ? "2xx" : m_text; }

std::string redact_dsn(std::string_view dsn) {
  if (auto url = parse_url(dsn)) {
    std::string out = url->scheme + "://" + (url->user.empty() ? "" : url->user + "@") + url->authority() + url->path;
    // password=... may also sit in the query string
    size_t p = out.find("password=");
    if (p != std::string::npos) {
      size_t e = out.find('&', p);
      out.replace(p, (e == std::string::npos ? out.size() : e) - p, "password=***");
    }
    return out;
  }
  std::string out(dsn);
  size_t p = out.find("password");
  while (p != std::string::npos) {
    size_t eq = out.find('=', p);
    if (eq == std::string::npos) break;
    size_t v = eq + 1;
    while (v < out.size() && out[v] == ' ') ++v;
    size_t e = v;
    if (e < out.size() && out[e] == '\'') {
      ++e;
      while (e < out.size() && out[e] != '\'') e += out[e] == '\\' ? 2 : 1;
      if (e < out.size()) ++e;
    } else {
      while (e < out.size() && out[e] != ' ') ++e;
    }
    out.replace(v, e - v, "***");
    p = out.find("password", v + 3);
  }
  return out;
}

std::string dsn_password(std::string_view dsn) {
  // A URL's user information as generously as any client reads it: up to the last '@' (a token
  // may hold '/', which ends the authority for parse_url).
  if (size_t sep = dsn.find("://"), at = dsn.rfind('@'); sep != std::string_view::npos && at != std::string_view::npos && at > sep) {
    std::string_view userinfo = dsn.substr(sep + 3, at - sep - 3);
    if (size_t colon = userinfo.find(':'); colon != std::string_view::npos && colon + 1 < userinfo.size()) return std::string(userinfo.substr(colon + 1));
  }
  if (auto url = parse_url(dsn); url && !url->password.empty()) return url->password;
  size_t p = dsn.find("password=");
  if (p == std::string_view::npos) return "";
  std::string_view v = dsn.substr(p + 9);
  return std::string(v.substr(0, v.find_first_of(" &")));
}

std::string scrub(std::string text, std::string_view secret) {
  if (secret.size() < 3) return text;
  for (size_t p = text.find(secret); p != std::string::npos; p = text.find(secret, p + 3)) text.replace(p, secret.size(), "***");
  return text;
}

std::string dsn_host(std::string_view dsn) {
  if (auto url = parse_url(dsn)) return url->host.empty() || url->host[0] == '/' ? "" : url->host;
  size_t p = dsn.find("host=");
  while (p != std::string_view::npos && p > 0 && dsn[p - 1] != ' ') p = dsn.find("host=", p + 1);
  if (p == std::string_view::npos) return "";
  size_t v = p + 5;
  size_t e = dsn.find(' ', v);
  std::string host(dsn.substr(v, e == std::string_view::npos ? std::string_view::npos : e - v));
  if (!host.empty() && host[0] == '\'') host = host.substr(1, host.size() >= 2 ? host.size() - 2 : 0);
  return host.empty() || host[0] == '/' ? "" : host;
}

}  // namespace opsbook::model
