// Table classification by header words and the label above the table.
#include "tables.hpp"

#include <algorithm>
#include <array>

#include "endpoints.hpp"
#include "text.hpp"

namespace opsbook::model {

namespace {

// Word match: "port" in "Host port" or "Ports", not in "Support" or "Report".
bool has_word(std::string_view text, std::string_view word) {
  std::string lower = to_lower(text);
  size_t pos = 0;
  while ((pos = lower.find(word, pos)) != std::string::npos) {
    bool left = pos == 0 || !is_ident_char(lower[pos - 1]);
    size_t end = pos + word.size();
    while (end < lower.size() && lower[end] == 's') ++end;  // plural
    bool right = end >= lower.size() || !is_ident_char(lower[end]);
    if (left && right) return true;
    pos += word.size();
  }
  return false;
}

bool any_header(const Table& t, std::initializer_list<std::string_view> words) {
  for (const auto& h : t.header) {
    for (auto w : words) {
      if (has_word(h, w)) return true;
    }
  }
  return false;
}

bool is_env_name(std::string_view h) {
  static constexpr std::array<std::string_view, 12> k_envs = {
      "dev", "development", "stage", "staging", "prod", "production", "local", "test", "qa", "uat", "preprod", "sandbox"};
  std::string lower = to_lower(trim(h));
  return std::find(k_envs.begin(), k_envs.end(), lower) != k_envs.end();
}

bool cell_has_port_number(std::string_view cell) { return !parse_ports(cell).empty(); }

int find_column(const Table& t, std::initializer_list<std::string_view> words) {
  for (size_t i = 0; i < t.header.size(); ++i) {
    for (auto w : words) {
      if (has_word(t.header[i], w)) return static_cast<int>(i);
    }
  }
  return -1;
}

std::string cell(const TableRow& row, int col) {
  if (col < 0 || static_cast<size_t>(col) >= row.cells.size()) return {};
  return row.cells[static_cast<size_t>(col)];
}

// "SEV1", "Sev 2", "P1 - Critical", "S3", "severity-4".
bool looks_like_severity(std::string_view cell_text) {
  std::string t = to_lower(trim(cell_text));
  size_t i = 0;
  while (i < t.size() && !is_ident_char(t[i])) ++i;
  std::string_view rest = std::string_view(t).substr(i);
  for (std::string_view prefix : {"severity", "priority", "sev", "p", "s"}) {
    if (!rest.starts_with(prefix)) continue;
    std::string_view after = rest.substr(prefix.size());
    while (!after.empty() && (after[0] == ' ' || after[0] == '-')) after.remove_prefix(1);
    return !after.empty() && after[0] >= '0' && after[0] <= '5' && (after.size() == 1 || !is_ident_char(after[1]));
  }
  return false;
}

}  // namespace

std::vector<int> parse_ports(std::string_view text) {
  std::vector<int> out;
  size_t i = 0;
  while (i < text.size()) {
    if (text[i] >= '0' && text[i] <= '9' && (i == 0 || !(is_ident_char(text[i - 1]) || text[i - 1] == '.'))) {
      size_t j = i;
      while (j < text.size() && text[j] >= '0' && text[j] <= '9') ++j;
      bool word_end = j >= text.size() || !(is_ident_char(text[j]) || text[j] == '.');
      if (word_end && j - i <= 5) {
        int v = std::stoi(std::string(text.substr(i, j - i)));
        if (v > 0 && v <= 65535) out.push_back(v);
      }
      i = j;
      continue;
    }
    ++i;
  }
  return out;
}

TableKind classify_table(const Table& t, std::string_view context) {
  // Ports: a Port column, or a port-ish label with numeric Internal/External/Host/Container or
  // per-environment columns.
  if (any_header(t, {"port"})) return TableKind::ports;
  bool port_context = has_word(context, "port") || has_word(context, "port mapping");
  if (port_context) {
    bool sided = any_header(t, {"internal", "external", "host", "container", "published", "target"}) ||
                 std::any_of(t.header.begin(), t.header.end(), is_env_name);
    bool numeric = std::any_of(t.rows.begin(), t.rows.end(), [](const TableRow& r) {
      return std::any_of(r.cells.begin() + (r.cells.empty() ? 0 : 1), r.cells.end(), cell_has_port_number);
    });
    if (sided && numeric) return TableKind::ports;
  }
  if (any_header(t, {"endpoint", "url", "uri", "path", "health", "healthcheck", "probe"}) &&
      std::any_of(t.rows.begin(), t.rows.end(), [](const TableRow& r) {
        return std::any_of(r.cells.begin(), r.cells.end(), [](const std::string& c) {
          std::string_view v = trim(c);
          return looks_like_url(v) || looks_like_path(v) || v.find("http://") != std::string_view::npos ||
                 v.find("https://") != std::string_view::npos;
        });
      })) {
    return TableKind::health;
  }
  if (has_word(context, "escalation") || any_header(t, {"escalation", "escalate"})) return TableKind::escalation;
  if ((!t.header.empty() && (has_word(t.header[0], "severity") || has_word(t.header[0], "sev") ||
                             has_word(t.header[0], "priority") || has_word(t.header[0], "level"))) ||
      (!t.rows.empty() && std::count_if(t.rows.begin(), t.rows.end(), [](const TableRow& r) {
                            return !r.cells.empty() && looks_like_severity(r.cells[0]);
                          }) * 2 >= static_cast<long>(t.rows.size()))) {
    if (has_word(context, "severity") || any_header(t, {"severity", "sev", "priority", "impact", "response"}) ||
        std::any_of(t.rows.begin(), t.rows.end(), [](const TableRow& r) { return !r.cells.empty() && looks_like_severity(r.cells[0]); })) {
      return TableKind::severity;
    }
  }
  if (any_header(t, {"contact", "phone", "email", "slack", "pager", "pagerduty", "on-call", "oncall"}) ||
      has_word(context, "contact")) {
    return TableKind::contacts;
  }
  return TableKind::generic;
}

void endpoints_from_table(const Table& t, std::vector<Endpoint>& out) {
  int col = find_column(t, {"endpoint", "url", "uri", "path"});
  if (col < 0) col = find_column(t, {"health", "healthcheck", "probe"});
  if (col < 0) return;
  int expect = find_column(t, {"expected", "expect", "status", "response", "code", "returns"});
  if (expect == col) expect = -1;
  int service = find_column(t, {"service", "component", "name", "app", "application", "system"});
  if (service == col) service = -1;
  if (service < 0 && col != 0) service = 0;
  for (const auto& row : t.rows) {
    std::string text = cell(row, col);
    // A cell may hold several URLs ("/healthz, /readyz"); take every URL-like word.
    size_t pos = 0;
    while (pos < text.size()) {
      size_t end = text.find_first_of(" \t,;", pos);
      if (end == std::string::npos) end = text.size();
      std::string_view word = trim(std::string_view(text).substr(pos, end - pos));
      while (!word.empty() && (word.back() == ')' || word.back() == '.')) word.remove_suffix(1);
      if (looks_like_url(word) || looks_like_path(word)) {
        Endpoint e;
        e.url = std::string(word);
        e.source = "table";
        e.line = row.line;
        e.service = std::string(trim(cell(row, service)));
        e.expect_status = expect >= 0 ? parse_expected_status(cell(row, expect)) : "";
        out.push_back(std::move(e));
      }
      pos = end + 1;
    }
  }
}

void ports_from_table(const Table& t, std::vector<Port>& out) {
  int service = find_column(t, {"service", "container", "component", "name", "app", "application"});
  int protocol = find_column(t, {"protocol", "proto", "type"});
  int host = find_column(t, {"external", "host", "published", "public"});
  int container = find_column(t, {"internal", "container port", "target", "private"});
  int port = find_column(t, {"port"});
  if (host >= 0 && service == host) service = -1;
  if (container >= 0 && service == container) service = -1;
  // "Container" may be the service column; only treat it as a port side when its cells are ports.
  if (service < 0) service = 0;
  std::vector<std::pair<int, std::string>> env_cols;
  for (size_t i = 0; i < t.header.size(); ++i) {
    if (is_env_name(t.header[i])) env_cols.emplace_back(static_cast<int>(i), std::string(trim(t.header[i])));
  }
  for (const auto& row : t.rows) {
    std::string svc(trim(cell(row, service)));
    std::string proto(trim(cell(row, protocol)));
    if (!env_cols.empty() && host < 0 && port < 0) {
      for (const auto& [col, env] : env_cols) {
        for (int p : parse_ports(cell(row, col))) out.push_back(Port{svc, p, 0, proto, env, row.line});
      }
      continue;
    }
    int primary = host >= 0 ? host : (port >= 0 && port != service ? port : container);
    if (primary < 0) continue;
    std::string primary_cell = cell(row, primary);
    std::vector<int> ports = parse_ports(primary_cell);
    std::vector<int> inner = (container >= 0 && container != primary) ? parse_ports(cell(row, container)) : std::vector<int>{};
    // "8080:80" in one cell: docker's host:container order.
    if (inner.empty() && ports.size() == 2 && primary_cell.find(':') != std::string::npos) {
      inner = {ports[1]};
      ports.resize(1);
    }
    for (size_t i = 0; i < ports.size(); ++i) {
      Port p{svc, ports[i], i < inner.size() ? inner[i] : 0, proto, "", row.line};
      out.push_back(std::move(p));
    }
  }
}

}  // namespace opsbook::model
