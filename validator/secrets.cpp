// Secret detection (the `secret` rule) and redaction of source lines.
#include "validator/secrets.hpp"

#include <algorithm>
#include <cctype>

#include "model/text.hpp"
#include "validator/finding_sink.hpp"

namespace opsbook::validator {

namespace {

bool key_material(std::string_view text) {
  text = model::trim(text);
  return text.size() >= 40 && std::all_of(text.begin(), text.end(), [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '+' || c == '/' || c == '='; });
}

// Values that are obviously not real secrets.
bool placeholder_value(std::string_view v) {
  std::string lower = model::to_lower(v);
  static constexpr std::string_view k_fake[] = {"your", "change", "example", "placeholder", "dummy", "redacted", "xxx", "***", "...", "<", "{", "$", "here", "secret", "password", "token", "sample", "fake", "test"};
  for (auto f : k_fake) {
    if (lower.find(f) != std::string::npos) return true;
  }
  return false;
}

bool looks_random(std::string_view v) {
  bool digit = std::any_of(v.begin(), v.end(), [](char c) { return c >= '0' && c <= '9'; });
  bool alpha = std::any_of(v.begin(), v.end(), [](char c) { return std::isalpha(static_cast<unsigned char>(c)); });
  return (v.size() >= 12 && digit && alpha) || v.size() >= 24;
}

}  // namespace

std::vector<SecretMatch> find_secrets(std::string_view line) {
  std::vector<SecretMatch> out;
  auto token_end = [&](size_t from, auto allowed) {
    size_t e = from;
    while (e < line.size() && allowed(line[e])) ++e;
    return e;
  };
  auto alnum = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0; };
  auto tokenish = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-'; };
  auto add = [&](size_t b, size_t e, std::string kind) {
    for (const auto& m : out) {
      if (b < m.end && e > m.begin) return;  // overlaps an earlier match
    }
    out.push_back({b, e, std::move(kind)});
  };
  struct Prefix {
    std::string_view prefix;
    size_t min_len;
    const char* kind;
  };
  static constexpr Prefix k_prefixes[] = {
      {"AKIA", 16, "AWS access key"},      {"ASIA", 16, "AWS access key"},       {"ghp_", 30, "GitHub token"},
      {"gho_", 30, "GitHub token"},        {"ghu_", 30, "GitHub token"},         {"ghs_", 30, "GitHub token"},
      {"ghr_", 30, "GitHub token"},        {"github_pat_", 22, "GitHub token"},  {"glpat-", 20, "GitLab token"},
      {"xoxb-", 10, "Slack token"},        {"xoxp-", 10, "Slack token"},         {"xoxa-", 10, "Slack token"},
      {"xoxs-", 10, "Slack token"},        {"sk-", 20, "API key"},              {"AIza", 35, "Google API key"},
      {"sk_live_", 16, "Stripe key"},      {"rk_live_", 16, "Stripe key"}};
  // One pass over the line: a prefix can only start a token, and only with one of few letters.
  for (size_t pos = 0; pos < line.size(); ++pos) {
    char c = line[pos];
    if ((c != 'A' && c != 'a' && c != 'g' && c != 'x' && c != 's' && c != 'r') || (pos > 0 && tokenish(line[pos - 1]))) continue;
    for (const auto& p : k_prefixes) {
      if (p.prefix[0] != c || line.compare(pos, p.prefix.size(), p.prefix) != 0) continue;
      size_t e = token_end(pos + p.prefix.size(), tokenish);
      std::string_view body = line.substr(pos + p.prefix.size(), e - pos - p.prefix.size());
      if (body.size() >= p.min_len && !placeholder_value(body) && std::any_of(body.begin(), body.end(), [](char d) { return d >= '0' && d <= '9'; })) {
        add(pos, e, p.kind);
      }
      break;
    }
  }
  // JSON Web Tokens: three base64url parts, the first two starting with "eyJ".
  for (size_t pos = line.find("eyJ"); pos != std::string_view::npos; pos = line.find("eyJ", pos + 1)) {
    size_t e = token_end(pos, [&](char c) { return tokenish(c) || c == '.'; });
    std::string_view tok = line.substr(pos, e - pos);
    if (std::count(tok.begin(), tok.end(), '.') == 2 && tok.find(".eyJ") != std::string_view::npos && tok.size() >= 40) add(pos, e, "JSON Web Token");
  }
  // Passwords inside DSNs: scheme://user:password@host
  for (size_t pos = line.find("://"); pos != std::string_view::npos; pos = line.find("://", pos + 3)) {
    size_t at = line.find('@', pos + 3);
    size_t end_auth = line.find_first_of("/ \t\"'`", pos + 3);
    if (at == std::string_view::npos || (end_auth != std::string_view::npos && end_auth < at)) continue;
    size_t colon = line.find(':', pos + 3);
    if (colon == std::string_view::npos || colon > at) continue;
    std::string_view password = line.substr(colon + 1, at - colon - 1);
    if (!password.empty() && !placeholder_value(password) && password != "pass" && password != "pw" && password != "postgres" && password != "root") {
      add(colon + 1, at, "password in a connection URL");
    }
  }
  // HTTP credentials: "Authorization: Basic <base64>" / "Bearer <token>" (git's http.extraheader,
  // curl -H): the credential after the scheme word (s11b review B2).
  std::string lowered = model::to_lower(line);
  for (size_t pos = lowered.find("authorization"); pos != std::string::npos; pos = lowered.find("authorization", pos + 13)) {
    size_t v = pos + 13;
    while (v < line.size() && (line[v] == ' ' || line[v] == '\t')) ++v;
    if (v >= line.size() || (line[v] != ':' && line[v] != '=')) continue;
    ++v;
    while (v < line.size() && (line[v] == ' ' || line[v] == '\t')) ++v;
    size_t scheme_end = token_end(v, alnum);
    std::string_view scheme = std::string_view(lowered).substr(v, scheme_end - v);
    if (scheme != "basic" && scheme != "bearer" && scheme != "token") continue;
    size_t b = scheme_end;
    while (b < line.size() && line[b] == ' ') ++b;
    size_t e = token_end(b, [&](char c) { return tokenish(c) || c == '+' || c == '/' || c == '=' || c == '.' || c == '~'; });
    std::string_view credential = line.substr(b, e - b);
    if (credential.size() >= 12 && !placeholder_value(credential)) add(b, e, "HTTP credential");
  }
  // KEY=value / KEY: value where KEY ends with a secret word (DB_PASSWORD, GITHUB_TOKEN...).
  static constexpr std::string_view k_names[] = {"PASSWORD", "PASSWD", "PASS", "SECRET", "TOKEN", "API_KEY", "APIKEY", "ACCESS_KEY", "PRIVATE_KEY", "SECRET_KEY"};
  // Only a line with "=" or ":" can assign a value to a name.
  bool assigns = line.find('=') != std::string_view::npos || line.find(':') != std::string_view::npos;
  for (size_t pos = 0; assigns && pos < line.size();) {
    if (!model::is_ident_start(line[pos]) || (pos > 0 && (model::is_ident_char(line[pos - 1]) || line[pos - 1] == '&' || line[pos - 1] == '?' || line[pos - 1] == '.'))) {
      ++pos;
      continue;
    }
    size_t e = pos;
    while (e < line.size() && model::is_ident_char(line[e])) ++e;
    std::string_view key = line.substr(pos, e - pos);
    size_t v = e;
    while (v < line.size() && line[v] == ' ') ++v;
    bool assign = v < line.size() && (line[v] == '=' || line[v] == ':') && !(v + 1 < line.size() && (line[v + 1] == '=' || line[v + 1] == ':'));
    bool secret_name = assign && std::any_of(std::begin(k_names), std::end(k_names), [&](std::string_view n) {
      return key.size() >= n.size() && model::iequals(key.substr(key.size() - n.size()), n);
    });
    if (assign && secret_name) {
      ++v;
      while (v < line.size() && (line[v] == ' ' || line[v] == '"' || line[v] == '\'')) ++v;
      size_t ve = token_end(v, [](char c) { return c != ' ' && c != '"' && c != '\'' && c != '#' && c != '\t' && c != ','; });
      std::string_view value = line.substr(v, ve - v);
      bool code_like = value.find('(') != std::string_view::npos || value.find("::") != std::string_view::npos;
      if (!value.empty() && !code_like && !placeholder_value(value) && looks_random(value) && alnum(value.front())) {
        add(v, ve, "credential in " + std::string(line.substr(pos, e - pos)));
      }
    }
    pos = e;
  }
  std::sort(out.begin(), out.end(), [](const SecretMatch& a, const SecretMatch& b) { return a.begin < b.begin; });
  return out;
}

std::string redact_line(std::string_view line, const std::vector<SecretMatch>& matches) {
  std::string out;
  size_t pos = 0;
  for (const auto& m : matches) {
    out.append(line.substr(pos, m.begin - pos));
    out += "****";
    pos = m.end;
  }
  out.append(line.substr(std::min(pos, line.size())));
  return out;
}

void check_secrets(FindingSink& sink, const model::Runbook& rb) {
  int line = 0;
  std::vector<std::string_view> lines = model::split_lines(rb.source);
  for (std::string_view text : lines) {
    ++line;
    std::string_view t = model::trim(text);
    if (t.starts_with("-----BEGIN") && t.ends_with("PRIVATE KEY-----") && static_cast<size_t>(line) < lines.size() && key_material(lines[static_cast<size_t>(line)])) {
      sink.add("secret", line + 1, 1, "private key material in the runbook (value redacted)", "remove it and rotate the key");
    }
    for (const auto& m : find_secrets(text)) {
      sink.add("secret", line, static_cast<int>(m.begin) + 1, m.kind + " in the runbook (value redacted)",
               "remove it, rotate it, and reference it instead (e.g. ${VAR} or a secret manager path)");
    }
  }
}

}  // namespace opsbook::validator
