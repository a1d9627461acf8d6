// Reading where a doc-test command connects: one reader per `connects` kind of the allow list.
#include "model/doctest_targets.hpp"

#include <algorithm>
#include <array>
#include <charconv>

#include "model/target.hpp"
#include "model/text.hpp"

namespace opsbook::model {

namespace {

std::string quoted(std::string_view s) { return "'" + std::string(s) + "'"; }

std::string shown(std::string_view word) { return word.size() > 60 ? std::string(word.substr(0, 57)) + "..." : std::string(word); }

std::string shown(const TargetWord& w) { return shown(w.written.empty() ? w.text : w.written); }

int port_of(std::string_view text) {
  int port = 0;
  auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), port);
  return ec == std::errc() && p == text.data() + text.size() && port > 0 && port < 65536 ? port : -1;
}

// The last value given for an option named `name` (any of its names), or nullptr.
const TargetWord* value_of(const ToolCall& call, std::string_view name) {
  const TargetWord* found = nullptr;
  for (const auto& [names, value] : call.options) {
    if (std::find(names->begin(), names->end(), name) != names->end()) found = &value;
  }
  return found;
}

std::optional<std::string> run_time(const ToolCall& call, std::string_view what, const TargetWord& w) {
  if (w.literal) return std::nullopt;
  return quoted(call.label) + " " + std::string(what) + " " + shown(w) + " is decided at run time: doc-tests reach only places written out";
}

// A URL curl and wget read as opsbook does: scheme://[user@]host[:port], the host plain letters,
// digits, dots, dashes or an IPv6 address (no %-escapes, backslashes or a second @).
std::optional<std::string> url_target(const ToolCall& call, const TargetWord& w, std::vector<NetTarget>& out) {
  std::string what = quoted(call.label) + " URL " + shown(w);
  std::string_view text = w.text;
  size_t sep = text.find("://");
  std::string_view authority = sep == std::string_view::npos ? std::string_view() : text.substr(sep + 3);
  authority = authority.substr(0, authority.find_first_of("/?#"));
  if (!w.literal && authority.find_first_of("$`") != std::string_view::npos) return what + ": its host is decided at run time";
  if (size_t at = authority.find('@'); at != std::string_view::npos) return what + " has user information: give it with -u";
  bool plain = std::all_of(authority.begin(), authority.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-' || c == '_' || c == ':' || c == '[' || c == ']';
  });
  std::optional<Url> url = plain ? parse_url(text.substr(0, sep + 3 + authority.size())) : std::nullopt;
  if (!url || url->host.empty()) return what + " has a host opsbook cannot read as " + std::string(call.label) + " does";
  out.push_back(NetTarget{NetTarget::Kind::connect, url->host, url->effective_port(), what});
  return std::nullopt;
}

std::optional<std::string> postgres_targets(const ToolCall& call, std::vector<NetTarget>& out) {
  const TargetWord* host = value_of(call, "-h");
  const TargetWord* port = value_of(call, "-p");
  std::vector<const TargetWord*> conninfos;
  if (const TargetWord* d = value_of(call, "-d")) conninfos.push_back(d);
  if (call.label == "psql" && !call.operands.empty()) conninfos.push_back(&call.operands[0]);
  for (const TargetWord* w : {host, port}) {
    if (w) {
      if (auto why = run_time(call, w == host ? "host" : "port", *w)) return why;
    }
  }
  int default_port = port ? port_of(port->text) : 5432;
  std::string what = quoted(call.label);
  bool named = false;
  for (const TargetWord* c : conninfos) {
    if (auto why = run_time(call, "connection string", *c)) return why;
    for (const auto& [h, p] : postgres_endpoints(c->text)) {
      named = named || !h.empty();
      out.push_back(NetTarget{NetTarget::Kind::connect, h.empty() && host ? std::string(host->text) : h, p ? p : default_port, what});
    }
  }
  if (!named) {
    std::string h = host ? std::string(host->text) : "";
    std::vector<std::string_view> hosts = {h};
    if (host) hosts = split_on(h, ',');
    for (std::string_view one : hosts) out.push_back(NetTarget{NetTarget::Kind::connect, std::string(one), default_port, what});
  }
  return std::nullopt;
}

std::optional<std::string> redis_targets(const ToolCall& call, std::vector<NetTarget>& out) {
  const TargetWord* host = value_of(call, "-h");
  const TargetWord* port = value_of(call, "-p");
  const TargetWord* uri = value_of(call, "-u");
  for (const TargetWord* w : {host, port, uri}) {
    if (w) {
      if (auto why = run_time(call, w == host ? "host" : w == port ? "port" : "URI", *w)) return why;
    }
  }
  std::string what = quoted(call.label);
  if (uri) {
    std::optional<Url> url = parse_url(uri->text);
    if (!url || (url->scheme != "redis" && url->scheme != "rediss")) return what + " URI " + shown(*uri) + " is not a redis:// URL opsbook can read";
    out.push_back(NetTarget{NetTarget::Kind::connect, url->host, url->effective_port(), what});
  }
  if (!uri || host || port) out.push_back(NetTarget{NetTarget::Kind::connect, host ? std::string(host->text) : "127.0.0.1", port ? port_of(port->text) : 6379, what});
  return std::nullopt;
}

std::optional<std::string> tcp_targets(const ToolCall& call, std::vector<NetTarget>& out) {
  for (const auto& w : call.operands) {
    if (auto why = run_time(call, "operand", w)) return why;
  }
  std::string what = quoted(call.label);
  if (call.operands.size() < 2) return what + " without a host and a port";
  for (size_t i = 1; i < call.operands.size(); ++i) {
    out.push_back(NetTarget{NetTarget::Kind::connect, std::string(call.operands[0].text), port_of(call.operands[i].text), what});
  }
  return std::nullopt;
}

bool dns_word(std::string_view w) {
  static constexpr std::array<std::string_view, 22> k_words = {"a",  "aaaa", "any", "caa", "cname", "dnskey", "ds", "mx",  "ns",  "ptr", "soa",
                                                               "srv", "txt", "in",  "ch",  "hs",    "axfr",   "ixfr", "naptr", "tlsa", "https", "svcb"};
  std::string lower = to_lower(w);
  return std::find(k_words.begin(), k_words.end(), lower) != k_words.end();
}

std::optional<std::string> lookup_targets(const ToolCall& call, std::vector<NetTarget>& out) {
  std::string what = quoted(call.label);
  auto name = [&](const TargetWord& w) -> std::optional<std::string> {
    if (auto why = run_time(call, "name", w)) return why;
    out.push_back(NetTarget{NetTarget::Kind::lookup, std::string(w.text), 0, what});
    return std::nullopt;
  };
  size_t first = 0;
  if (call.label == "getent") {
    if (call.operands.empty()) return std::nullopt;
    if (auto why = run_time(call, "database", call.operands[0])) return why;
    static constexpr std::array<std::string_view, 5> k_dns = {"hosts", "ahosts", "ahostsv4", "ahostsv6", "networks"};
    if (std::find(k_dns.begin(), k_dns.end(), call.operands[0].text) == k_dns.end()) return std::nullopt;  // passwd, group: local files
    first = 1;
  }
  for (const char* option : {"-x", "-q"}) {
    if (const TargetWord* w = call.label == "dig" ? value_of(call, option) : nullptr) {
      if (auto why = name(*w)) return why;
    }
  }
  for (size_t i = first; i < call.operands.size(); ++i) {
    TargetWord w = call.operands[i];
    if (call.label == "dig" && w.literal && (w.text.starts_with('+') || dns_word(w.text))) continue;
    if (call.label == "dig" && w.text.starts_with('@')) w.text.remove_prefix(1);
    if (auto why = name(w)) return why;
  }
  return std::nullopt;
}

}  // namespace

bool is_connects_kind(std::string_view kind) { return kind == "url" || kind == "postgres" || kind == "redis" || kind == "tcp" || kind == "lookup"; }

std::optional<std::string> doctest_targets(std::string_view kind, const ToolCall& call, std::vector<NetTarget>& out) {
  if (kind == "url") {
    for (const auto& w : call.operands) {
      if (auto why = url_target(call, w, out)) return why;
    }
    return std::nullopt;
  }
  if (kind == "postgres") return postgres_targets(call, out);
  if (kind == "redis") return redis_targets(call, out);
  if (kind == "tcp") return tcp_targets(call, out);
  if (kind == "lookup") return lookup_targets(call, out);
  return std::nullopt;
}

}  // namespace opsbook::model
