// Reading where a doc-test command connects: one reader per `connects` kind of the allow list.
#include "model/doctest_targets.hpp"

#include <arpa/inet.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <set>

#include "model/target.hpp"
#include "model/text.hpp"

namespace opsbook::model {

namespace {

std::string shown(const TargetWord& w) { return model::shown(w.written.empty() ? w.text : w.written); }

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

size_t given(const ToolCall& call, std::string_view name) {
  return static_cast<size_t>(std::count_if(call.options.begin(), call.options.end(), [&](const auto& o) {
    return std::find(o.first->begin(), o.first->end(), name) != o.first->end();
  }));
}

// redis-cli ends the user information at the first '@' anywhere in the URI; opsbook reads it only
// where both agree: one '@' at most, before any '/', '?' or '#', and host[:port][/digits] after.
std::optional<Url> redis_uri(std::string_view text) {
  size_t sep = text.find("://");
  if (sep == std::string_view::npos) return std::nullopt;
  std::string_view scheme = text.substr(0, sep), rest = text.substr(sep + 3);
  if (scheme != "redis" && scheme != "rediss") return std::nullopt;
  if (size_t at = rest.find('@'); at != std::string_view::npos) {
    if (rest.substr(0, at).find_first_of("/?#") != std::string_view::npos) return std::nullopt;
    rest.remove_prefix(at + 1);
  }
  size_t slash = rest.find('/');
  std::string_view where = rest.substr(0, slash), db = slash == std::string_view::npos ? std::string_view() : rest.substr(slash + 1);
  if ((!db.empty() && !all_digits(db)) || where.empty()) return std::nullopt;
  bool plain = std::all_of(where.begin(), where.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-' || c == '_' || c == ':' || c == '[' || c == ']';
  });
  if (!plain) return std::nullopt;
  std::optional<Url> url = parse_url(std::string(scheme) + "://" + std::string(where));
  if (!url || url->host.empty()) return std::nullopt;
  return url;
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
  // A host the connection string sets (even to "", libpq's socket) wins over -h; a port alone
  // goes with -h's hosts.
  std::string h = host ? std::string(host->text) : "";
  std::vector<std::string_view> option_hosts = host ? split_on(h, ',') : std::vector<std::string_view>{""};
  bool named = false;
  for (const TargetWord* c : conninfos) {
    if (auto why = run_time(call, "connection string", *c)) return why;
    PostgresEndpoints e = postgres_endpoints(c->text);
    if (!e.readable) return what + " has a connection string libpq does not read";
    named = named || e.names_host;
    for (const auto& [name, p] : e.hosts) {
      if (e.names_host) out.push_back(NetTarget{NetTarget::Kind::connect, name, p ? p : default_port, what});
      else for (std::string_view one : option_hosts) out.push_back(NetTarget{NetTarget::Kind::connect, std::string(one), p ? p : default_port, what});
    }
  }
  if (!named) {
    for (std::string_view one : option_hosts) out.push_back(NetTarget{NetTarget::Kind::connect, std::string(one), default_port, what});
  }
  return std::nullopt;
}

std::optional<std::string> redis_targets(const ToolCall& call, std::vector<NetTarget>& out) {
  const TargetWord* host = value_of(call, "-h");
  const TargetWord* port = value_of(call, "-p");
  const TargetWord* uri = value_of(call, "-u");
  std::string what = quoted(call.label);
  for (const char* option : {"-h", "-p", "-u"}) {  // redis-cli applies them in order: a later -u keeps an earlier port
    if (given(call, option) > 1) return what + " option " + option + " is given twice: give the place once";
  }
  if (uri && (host || port)) return what + " takes -u with -h or -p, which redis-cli combines in order: give the place once";
  for (const TargetWord* w : {host, port, uri}) {
    if (w) {
      if (auto why = run_time(call, w == host ? "host" : w == port ? "port" : "URI", *w)) return why;
    }
  }
  if (uri) {
    std::optional<Url> url = redis_uri(uri->text);
    if (!url) return what + " URI " + shown(*uri) + " is not redis[s]://[user:password@]host[:port][/db] as opsbook and redis-cli both read it";
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

// dig's + options that change neither the server nor the name asked.
bool plain_dig_option(std::string_view w) {
  static constexpr std::array<std::string_view, 16> k_plain = {"+short", "+noall", "+answer", "+noanswer", "+nocmd", "+nostats", "+nocomments",
                                                               "+noquestion", "+noauthority", "+noadditional", "+authority", "+additional",
                                                               "+question", "+comments", "+stats", "+nocookie"};
  if (std::find(k_plain.begin(), k_plain.end(), w) != k_plain.end()) return true;
  for (std::string_view prefix : {"+time=", "+tries=", "+retry="}) {
    if (w.starts_with(prefix) && all_digits(w.substr(prefix.size()))) return true;
  }
  return false;
}

bool dns_word(std::string_view w) {
  static constexpr std::array<std::string_view, 22> k_words = {"a",  "aaaa", "any", "caa", "cname", "dnskey", "ds", "mx",  "ns",  "ptr", "soa",
                                                               "srv", "txt", "in",  "ch",  "hs",    "axfr",   "ixfr", "naptr", "tlsa", "https", "svcb"};
  std::string lower = to_lower(w);
  return std::find(k_words.begin(), k_words.end(), lower) != k_words.end();
}

// An address as ss writes it: 10.0.0.1, 10.0.0.0/8, 10.0.0.1:22, [::1]:22, *, *:22.
bool is_address_word(std::string_view t) {
  if (t.starts_with('[')) {
    size_t close = t.find(']');
    if (close == std::string_view::npos) return false;
    t = t.substr(1, close - 1);
  } else if (std::count(t.begin(), t.end(), ':') == 1) {
    t = t.substr(0, t.find(':'));
  }
  t = t.substr(0, t.find('/'));
  if (t == "*") return true;
  std::string text(t);
  unsigned char buf[16];
  return inet_pton(AF_INET, text.c_str(), buf) == 1 || inet_pton(AF_INET6, text.c_str(), buf) == 1;
}

// ss filters name hosts (`dst db.internal`): each word that is not a keyword, a state, a number,
// a :port or an address is a name ss looks up.
std::optional<std::string> ss_names(const ToolCall& call, std::vector<NetTarget>& out) {
  static const std::set<std::string, std::less<>> k_words = {
      "state", "exclude", "dst", "src", "dport", "sport", "and", "or", "not", "eq", "neq", "ne", "gt", "lt", "ge", "le", "=", "!=", "<", ">", "<=", ">=",
      "==", "!", "&&", "||", "&", "|", "established", "syn-sent", "syn-recv", "fin-wait-1", "fin-wait-2", "time-wait", "closed", "close-wait",
      "last-ack", "listening", "listen", "closing", "all", "connected", "synchronized", "bucket", "big", "autobound", "dev", "fwmark", "cgroup"};
  for (const auto& w : call.operands) {
    if (auto why = run_time(call, "filter", w)) return why;
    std::string words(w.text);
    std::replace_if(words.begin(), words.end(), [](char c) { return c == '(' || c == ')' || c == '\t'; }, ' ');
    for (const auto& token : split_words(words)) {
      std::string_view t = token;
      if (k_words.count(to_lower(t)) || t.starts_with(':') || all_digits(t) || is_address_word(t)) continue;
      std::string_view host = t.substr(0, t.find(':'));
      out.push_back(NetTarget{NetTarget::Kind::lookup, std::string(host), 0, quoted(call.label)});
    }
  }
  return std::nullopt;
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
  if (call.label == "ss") return ss_names(call, out);
  for (const auto& w : call.operands) {  // dig's +options change where it asks and what (+domain=, +trace, +tls): a few only
    if (call.label == "dig" && w.text.starts_with('+') && !plain_dig_option(w.text)) {
      return what + " option " + shown(w) + " is not on the doc-test allow list (+short, +noall, +answer, +time=N, +tries=N... only)";
    }
  }
  for (const char* option : {"-x", "-q"}) {
    if (const TargetWord* w = call.label == "dig" ? value_of(call, option) : nullptr) {
      if (auto why = name(*w)) return why;
    }
  }
  // A name server (dig @server, host NAME SERVER) is a connection to its port 53.
  auto server = [&](const TargetWord& w, std::string_view host) -> std::optional<std::string> {
    if (auto why = run_time(call, "name server", w)) return why;
    out.push_back(NetTarget{NetTarget::Kind::connect, std::string(host), 53, what});
    return std::nullopt;
  };
  for (size_t i = first; i < call.operands.size(); ++i) {
    TargetWord w = call.operands[i];
    if (call.label == "dig" && w.literal && (w.text.starts_with('+') || dns_word(w.text))) continue;
    std::optional<std::string> why;
    if (call.label == "dig" && w.text.starts_with('@')) why = server(w, w.text.substr(1));
    else if (call.label == "host" && i == first + 1) why = server(w, w.text);
    else why = name(w);
    if (why) return why;
  }
  return std::nullopt;
}

}  // namespace

std::string quoted(std::string_view label) { return "'" + std::string(label) + "'"; }

std::string shown(std::string_view word) { return word.size() > 60 ? std::string(word.substr(0, 57)) + "..." : std::string(word); }

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
