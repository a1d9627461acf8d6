// Check digests: SHA-256 over length-framed parts, a domain tag first, so that no two lists of
// parts give the same input.
#include "model/check_digest.hpp"

#include <algorithm>
#include <tuple>

#include "model/checksum.hpp"
#include "model/text.hpp"

namespace opsbook::model {

namespace {

class Digest {
 public:
  explicit Digest(std::string_view tag) { part(tag); }
  Digest& part(std::string_view data) {
    uint64_t n = data.size();
    for (int i = 0; i < 8; ++i) m_input += static_cast<char>((n >> (8 * i)) & 0xff);
    m_input.append(data);
    return *this;
  }
  [[nodiscard]] std::string hex() const { return digest_hex(sha256(m_input), 16); }

 private:
  std::string m_input;
};

}  // namespace

std::string check_digest(const Snippet& s) {
  Digest d("opsbook snippet check");
  d.part(to_string(s.kind)).part(s.lang).part(s.is_inline ? "inline" : "block").part(s.code);
  // Every attribute but the name, in a fixed order: env, check, run, expect-*, timeout, service,
  // database, safety... each changes what is checked or how; the name only says where.
  Attributes attrs;
  for (const auto& a : s.attrs) {
    if (a.first != "name") attrs.push_back(a);
  }
  std::sort(attrs.begin(), attrs.end());
  for (const auto& [key, value] : attrs) d.part(key).part(value);
  return d.hex();
}

std::string check_digest(const Endpoint& ep) {
  return Digest("opsbook endpoint check").part(ep.url).part(ep.method).part(ep.expect_status).part(ep.insecure ? "insecure" : "verify").part(ep.service).hex();
}

std::string check_digest(const Port& port) {
  // What the TCP check probes (service and port, as add_tcp names it) and what the Docker check
  // compares: rows that give the same target share it.
  return Digest("opsbook port check").part(to_lower(trim(port.service))).part(std::to_string(port.port)).hex();
}

std::string service_check_digest(std::string_view service) { return Digest("opsbook service check").part(service).hex(); }

std::string endpoint_check_digest(const Runbook& rb, const Endpoint& ep) {
  if (!ep.snippet.empty()) {
    if (const Snippet* s = rb.find_snippet(ep.snippet)) return check_digest(*s);
  }
  return check_digest(ep);
}

bool port_is_probed(const Port& port, std::string_view env) {
  if (!port.environment.empty() && !env.empty() && !iequals(port.environment, env)) return false;
  if (port.protocol.size() >= 3 && iequals(port.protocol.substr(0, 3), "udp")) return false;
  return !port.service.empty() && port.port > 0;
}

bool is_doctest(const Snippet& s) {
  const std::string* run = s.attr("run");
  return run && *run == "auto" && (s.attr("expect-exit") || s.attr("expect-stdout"));
}

std::vector<CheckSource> check_sources(const Runbook& rb) {
  std::vector<CheckSource> out;
  for (const auto& s : rb.snippets) out.push_back({check_digest(s), "", s.kind == SnippetKind::sql || is_doctest(s)});
  for (const auto& ep : rb.endpoints) out.push_back({endpoint_check_digest(rb, ep), "", true});
  for (const auto& p : rb.ports) {
    bool probed = port_is_probed(p, "");
    out.push_back({check_digest(p), probed ? p.environment : "", probed});
  }
  for (const auto& name : rb.meta.services) out.push_back({service_check_digest(name), "", false});
  std::sort(out.begin(), out.end(), [](const CheckSource& a, const CheckSource& b) { return std::tie(a.digest, a.env, a.required) < std::tie(b.digest, b.env, b.required); });
  out.erase(std::unique(out.begin(), out.end(), [](const CheckSource& a, const CheckSource& b) { return a.digest == b.digest && a.env == b.env && a.required == b.required; }), out.end());
  return out;
}

bool has_check(const std::vector<CheckSource>& checks, std::string_view digest) {
  if (digest.empty()) return false;
  auto it = std::lower_bound(checks.begin(), checks.end(), digest, [](const CheckSource& a, std::string_view d) { return a.digest < d; });
  return it != checks.end() && it->digest == digest;
}

}  // namespace opsbook::model
