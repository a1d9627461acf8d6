// Shapes of command output: tables with aligned columns, numbers, addresses, JSON, key: value
// lines, log lines, file listings, capitalised messages, kubectl's "pod/x deleted" answers.
#include "shell_output.hpp"

#include <algorithm>

#include "command_shape.hpp"
#include "text.hpp"

namespace opsbook::model {

namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }

bool is_number_like(std::string_view t) {
  return !t.empty() && std::all_of(t.begin(), t.end(), [](char c) { return is_digit(c) || c == '.' || c == ',' || c == '%' || c == ' '; });
}

// "10.0.0.1", "db1.example.com", "fe80::1", "patroni-01-db-gprd.c.gitlab-production.internal".
bool is_host_or_address(std::string_view t) {
  if (t.find(' ') != std::string_view::npos || t.find('/') != std::string_view::npos) return false;
  size_t dots = static_cast<size_t>(std::count(t.begin(), t.end(), '.'));
  size_t colons = static_cast<size_t>(std::count(t.begin(), t.end(), ':'));
  if (dots < 2 && colons < 2) return false;
  return std::all_of(t.begin(), t.end(), [](char c) { return is_ident_char(c) || c == '.' || c == '-' || c == ':'; });
}

// "2024-01-31", "12:00:01", "I0131 12:00:01.000" (klog), "Jan 31 12:00:01" (syslog).
bool starts_with_timestamp(std::string_view t) {
  if (t.size() >= 10 && is_digit(t[0]) && is_digit(t[3]) && t[4] == '-' && t[7] == '-') return true;
  if (t.size() >= 8 && is_digit(t[0]) && is_digit(t[1]) && t[2] == ':' && is_digit(t[3]) && t[5] == ':') return true;
  if (t.size() >= 6 && (t[0] == 'I' || t[0] == 'W' || t[0] == 'E' || t[0] == 'F') && std::all_of(t.begin() + 1, t.begin() + 5, is_digit)) return true;
  static constexpr std::string_view k_months[] = {"Jan ", "Feb ", "Mar ", "Apr ", "May ", "Jun ", "Jul ", "Aug ", "Sep ", "Oct ", "Nov ", "Dec "};
  return std::any_of(std::begin(k_months), std::end(k_months), [&](std::string_view m) { return t.starts_with(m) && t.size() > 6 && (is_digit(t[4]) || t[4] == ' '); });
}

// "drwxr-xr-x", "-rw-r--r--": ls -l.
bool is_file_mode(std::string_view t) {
  if (t.size() < 10) return false;
  if (std::string_view("-dlcbps").find(t[0]) == std::string_view::npos) return false;
  return std::all_of(t.begin() + 1, t.begin() + 10, [](char c) { return std::string_view("-rwxsStT").find(c) != std::string_view::npos; });
}

// "pod/web-1 deleted", "deployment.apps/api restarted", "node/n1 cordoned": kubectl's answers.
bool is_resource_answer(std::string_view t) {
  size_t sp = t.find(' ');
  std::string_view name = t.substr(0, sp);
  size_t slash = name.find('/');
  if (slash == std::string_view::npos || slash == 0 || slash + 1 >= name.size()) return false;
  std::string_view kind = name.substr(0, slash);
  if (!std::all_of(kind.begin(), kind.end(), [](char c) { return (c >= 'a' && c <= 'z') || c == '.' || c == '-'; })) return false;
  if (sp == std::string_view::npos) return true;
  std::string_view rest = trim(t.substr(sp));
  return rest.find(' ') == std::string_view::npos || rest.starts_with('(');
}

// "Status: Running", "Name:         web-1", "replication_lag_bytes: 0".
bool is_key_value(std::string_view t) {
  size_t colon = t.find(':');
  if (colon == std::string_view::npos || colon == 0 || colon + 1 >= t.size() || (t[colon + 1] != ' ' && t[colon + 1] != '\t')) return false;
  std::string_view key = t.substr(0, colon);
  return std::all_of(key.begin(), key.end(), [](char c) { return is_ident_char(c) || c == ' ' || c == '-' || c == '.' || c == '(' || c == ')'; });
}

// curl -v's request lines: "> GET / HTTP/1.1", "> Host: pages.gitlab.io", "> User-Agent: curl/7.58".
bool is_request_trace(std::string_view t) {
  if (!t.starts_with("> ")) return false;
  std::string_view rest = trim(t.substr(2));
  size_t colon = rest.find(": ");
  bool header = colon != std::string_view::npos && colon > 0 &&
                std::all_of(rest.begin(), rest.begin() + static_cast<long>(colon), [](char c) { return is_ident_char(c) || c == '-'; });
  return header || rest.ends_with("HTTP/1.1") || rest.ends_with("HTTP/1.0") || rest.ends_with("HTTP/2");
}

// docker compose logs: "wiki-wiki-1  | Error: migration failed", "web_1 | GET /".
bool is_compose_log_line(std::string_view t) {
  size_t bar = t.find(" | ");
  if (bar == std::string_view::npos || bar == 0) return false;
  std::string_view name = trim(t.substr(0, bar));
  return !name.empty() && name.find(' ') == std::string_view::npos && is_digit(name.back()) &&
         std::all_of(name.begin(), name.end(), [](char c) { return is_ident_char(c) || c == '-' || c == '.'; });
}

// redis-cli's "1) \"master\"", "2) 1) (integer) 5", "(integer) 0"; gpg's menu "(1) RSA and RSA".
bool is_numbered_reply(std::string_view t) {
  if (t.starts_with("(integer) ") || t.starts_with("(nil)") || t.starts_with("(empty ")) return true;
  size_t i = t.starts_with('(') ? 1 : 0;
  size_t start = i;
  while (i < t.size() && (is_digit(t[i]) || (i == start && t[i] >= 'A' && t[i] <= 'Z'))) ++i;
  if (i == start || i >= t.size() || t[i] != ')') return false;
  if (start == 0 && !is_digit(t[0])) return false;
  return i + 1 < t.size() && t[i + 1] == ' ';
}

// "slave0:ip=10.45.2.8,port=6379,state=online": no blank, and what stands before the first '=' is
// no shell variable name.
bool is_key_value_record(std::string_view t) {
  size_t eq = t.find('=');
  if (eq == std::string_view::npos || t.find(' ') != std::string_view::npos || t.find(',') == std::string_view::npos) return false;
  return t.substr(0, eq).find(':') != std::string_view::npos;
}

// Shell that only looks like output: a group `{ cmd; }` (a JSON key is quoted, a YAML flow key
// ends with ':'), a test `[ -f x ]` or `[[ ... ]]`, a quoted program `"$HOME/bin/x" --all` (a JSON
// string is followed by ':', ',' or nothing), the null command `: > file` (truncates it).
bool shell_despite_shape(std::string_view t) {
  if (t.starts_with("[[ ") || t == ":" || t.starts_with(": ") || t.starts_with(":>") || t.starts_with(":;")) return true;
  if (t.size() > 2 && (t[0] == '{' || t[0] == '[') && (t[1] == ' ' || t[1] == '\t')) {
    std::string_view rest = trim(t.substr(1));
    std::string_view word = rest.substr(0, rest.find_first_of(" \t"));
    if (rest.empty() || word.ends_with(':') || rest[0] == '"' || rest[0] == '\'' || rest[0] == '}' || rest[0] == ']') return false;
    if (t[0] == '{') return true;
    return rest[0] == '-' || rest[0] == '!' || rest[0] == '$' || (t.ends_with(" ]") && t.find(',') == std::string_view::npos);
  }
  if (t[0] != '"') return false;
  size_t close = 1;
  while (close < t.size() && t[close] != '"') close += t[close] == '\\' ? 2 : 1;
  if (close + 1 >= t.size() || t[close + 1] != ' ') return false;
  std::string_view after = trim(t.substr(close + 1));
  return !after.empty() && after[0] != ':' && after[0] != ',' && after[0] != '"';
}

}  // namespace

std::string_view output_shape(std::string_view line) {
  std::string_view t = trim(line);
  if (t.empty() || t[0] == '#') return {};
  if (shell_evidence(t) == ShellEvidence::strong) return {};
  unsigned char first = static_cast<unsigned char>(t[0]);
  if (shell_despite_shape(t)) return {};
  if (t[0] == '{' || t[0] == '}' || t[0] == '[' || t[0] == ']' || t[0] == '"') return "JSON or a bracketed value";
  if (t.starts_with("+-") || t.starts_with("---") || t.starts_with("===") || t.starts_with("***") || t.starts_with("|")) return "a table rule or cell";
  if (first >= 0x80) return "text with symbols a terminal prints";
  if (starts_with_timestamp(t)) return "a log line";
  if (is_number_like(t)) return "a number";
  if (is_host_or_address(t)) return "a host name or address";
  if (is_file_mode(t)) return "a file listing";
  if (is_resource_answer(t)) return "a resource name or kubectl's answer";
  if (t.starts_with("* ") || t.starts_with("< ") || t == ">" || t == "<" || is_request_trace(t)) return "a curl -v trace line";
  if (t.starts_with("- ")) return "a list item";
  if (is_compose_log_line(t)) return "a docker compose log line (service | text)";
  if (is_numbered_reply(t)) return "a numbered reply or menu line (redis-cli, gpg)";
  if (is_key_value_record(t)) return "a record of key=value pairs";
  if (shell_evidence(t) != ShellEvidence::none) return {};
  std::string_view first_word = t.substr(0, t.find_first_of(" \t"));
  bool tabular = false;
  for (size_t i = 0, gaps = 0; i + 1 < t.size(); ++i) {
    if ((t[i] == ' ' && t[i + 1] == ' ') || t[i] == '\t') {
      if (++gaps >= 1 && t.find_first_not_of(" \t", i) != std::string_view::npos) tabular = true;
      while (i + 1 < t.size() && (t[i + 1] == ' ' || t[i + 1] == '\t')) ++i;
    }
  }
  if (tabular && first_word.find('=') == std::string_view::npos) return "a table row (columns aligned with blanks)";
  if (is_key_value(t)) return "a key: value line";
  if (first >= 'A' && first <= 'Z' && !first_word.ends_with(".ps1")) return "a message (capitalised text)";
  if (first_word.ends_with(':') || t.back() == ':' || t.back() == '.') return "a message";
  if (is_resource_answer(first_word) || (t.find(' ') == std::string_view::npos && is_digit(t.back()) && t.find('-') != std::string_view::npos)) {
    return "a resource name";
  }
  return {};
}

}  // namespace opsbook::model
