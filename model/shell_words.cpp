// Shell lexing for classification, endpoint and parameter extraction.
#include "shell_words.hpp"

#include <algorithm>
#include <array>

#include "text.hpp"

namespace opsbook::model {

std::vector<ShellToken> lex_shell(std::string_view s) {
  std::vector<ShellToken> out;
  size_t i = 0;
  const size_t n = s.size();
  while (i < n) {
    char c = s[i];
    if (c == ' ' || c == '\t' || c == '\r') {
      ++i;
      continue;
    }
    if (c == '\n') {
      out.push_back({ShellToken::Type::op, "\n", "\n", false});
      ++i;
      continue;
    }
    if (c == '#') {  // comment to end of line
      while (i < n && s[i] != '\n') ++i;
      continue;
    }
    // Operators.
    if (c == '|' || c == '&' || c == ';') {
      size_t len = (i + 1 < n && (s[i + 1] == c || (c == '|' && s[i + 1] == '&'))) ? 2 : 1;
      if (c == '&' && i + 1 < n && s[i + 1] == '>') {  // &> redirect
        size_t len2 = (i + 2 < n && s[i + 2] == '>') ? 3 : 2;
        out.push_back({ShellToken::Type::redirect, std::string(s.substr(i, len2)), std::string(s.substr(i, len2)), false});
        i += len2;
        continue;
      }
      std::string op(s.substr(i, len));
      out.push_back({ShellToken::Type::op, op, op, false});
      i += len;
      continue;
    }
    // Redirections: [n]>, [n]>>, <, <<, <<<, >|, [n]>&m. A digit run only counts as a file
    // descriptor when '>' or '<' follows it directly.
    {
      size_t j = i;
      while (j < n && j - i < 2 && s[j] >= '0' && s[j] <= '9') ++j;
      if (j < n && (s[j] == '>' || s[j] == '<')) {
        size_t k = j + 1;
        while (k < n && k - j < 3 && (s[k] == '>' || s[k] == '<' || s[k] == '&' || s[k] == '|')) ++k;
        if (s[k - 1] == '&') {
          while (k < n && ((s[k] >= '0' && s[k] <= '9') || s[k] == '-')) ++k;
        }
        std::string op(s.substr(i, k - i));
        out.push_back({ShellToken::Type::redirect, op, op, false});
        i = k;
        continue;
      }
    }
    // A word, with quotes.
    ShellToken tok;
    size_t start = i;
    while (i < n) {
      char ch = s[i];
      if (ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r' || ch == '|' || ch == ';' || ch == '&' ||
          ch == '<' || ch == '>') {
        break;
      }
      if (ch == '\\' && i + 1 < n) {
        tok.text += s[i + 1];
        i += 2;
        continue;
      }
      if (ch == '\'') {
        tok.quoted = true;
        size_t end = s.find('\'', i + 1);
        if (end == std::string_view::npos) end = n;
        tok.text.append(s.substr(i + 1, end - i - 1));
        i = std::min(n, end + 1);
        continue;
      }
      if (ch == '"') {
        tok.quoted = true;
        size_t j = i + 1;
        while (j < n && s[j] != '"') {
          if (s[j] == '\\' && j + 1 < n) {
            tok.text += s[j + 1];
            j += 2;
            continue;
          }
          tok.text += s[j++];
        }
        i = std::min(n, j + 1);
        continue;
      }
      if (ch == '$' && i + 1 < n && (s[i + 1] == '(' || s[i + 1] == '{')) {
        // Keep $(...) and ${...} whole, nested parentheses included.
        char open = s[i + 1];
        char close = open == '(' ? ')' : '}';
        int depth = 0;
        size_t j = i + 1;
        for (; j < n; ++j) {
          if (s[j] == open) ++depth;
          if (s[j] == close && --depth == 0) break;
        }
        j = std::min(n, j + 1);
        tok.text.append(s.substr(i, j - i));
        i = j;
        continue;
      }
      if (ch == '`') {
        size_t end = s.find('`', i + 1);
        if (end == std::string_view::npos) end = n - 1;
        tok.text.append(s.substr(i, end - i + 1));
        i = end + 1;
        continue;
      }
      tok.text += ch;
      ++i;
    }
    tok.raw = std::string(s.substr(start, i - start));
    if (!tok.raw.empty()) out.push_back(std::move(tok));
    else ++i;
  }
  return out;
}

std::vector<std::vector<ShellToken>> split_pipeline(const std::vector<ShellToken>& tokens) {
  std::vector<std::vector<ShellToken>> out(1);
  for (const auto& t : tokens) {
    if (t.type == ShellToken::Type::op) {
      if (!out.back().empty()) out.emplace_back();
      continue;
    }
    out.back().push_back(t);
  }
  if (out.back().empty()) out.pop_back();
  return out;
}

namespace {

// "<<EOF", "<< 'EOF'", "<<-EOF": returns the delimiter word, or "" when the line has no heredoc.
std::string heredoc_delimiter(std::string_view line) {
  size_t pos = 0;
  while ((pos = line.find("<<", pos)) != std::string_view::npos) {
    size_t i = pos + 2;
    if (i < line.size() && line[i] == '<') {  // here-string
      pos = i + 1;
      continue;
    }
    if (i < line.size() && line[i] == '-') ++i;
    while (i < line.size() && line[i] == ' ') ++i;
    std::string word;
    while (i < line.size() && line[i] != ' ' && line[i] != ';' && line[i] != '|' && line[i] != '>' &&
           line[i] != ')') {
      if (line[i] != '\'' && line[i] != '"' && line[i] != '\\') word += line[i];
      ++i;
    }
    if (!word.empty() && is_ident_start(word[0])) return word;
    pos = i;
  }
  return {};
}

bool ends_with_continuation(std::string_view line) {
  line = trim(line);
  return !line.empty() && line.back() == '\\';
}

// "cmd \\" + "next" -> "cmd next".
void join_continuation(std::string& text, std::string_view next) {
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.pop_back();
  if (!text.empty() && text.back() == '\\') text.pop_back();
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.pop_back();
  text += ' ';
  text.append(next);
}

}  // namespace

std::vector<LogicalLine> logical_shell_lines(std::string_view code) {
  std::vector<LogicalLine> out;
  std::vector<std::string_view> lines = split_lines(code);
  std::string heredoc;
  for (size_t i = 0; i < lines.size(); ++i) {
    std::string_view raw = lines[i];
    std::string_view t = trim(raw);
    if (!heredoc.empty()) {
      if (t == heredoc) {
        heredoc.clear();
        continue;
      }
      if (!t.empty() && t[0] != '#') out.push_back({std::string(t), static_cast<int>(i)});
      continue;
    }
    if (t.empty() || t[0] == '#') continue;
    LogicalLine logical{std::string(t), static_cast<int>(i)};
    while (ends_with_continuation(logical.text) && i + 1 < lines.size()) {
      join_continuation(logical.text, trim(lines[++i]));
    }
    heredoc = heredoc_delimiter(logical.text);
    out.push_back(std::move(logical));
  }
  return out;
}

ConsoleSplit split_console(std::string_view code) {
  ConsoleSplit out;
  std::vector<std::string_view> lines = split_lines(code);
  for (size_t i = 0; i < lines.size(); ++i) {
    std::string_view line = lines[i];
    std::string_view body;
    std::string_view lead = line.substr(0, line.find_first_not_of(' ') == std::string_view::npos ? 0 : line.find_first_not_of(' '));
    std::string_view rest = line.substr(lead.size());
    if (rest.starts_with("$ ") || rest == "$") {
      body = rest.substr(rest.size() > 1 ? 2 : 1);
    } else if (rest.starts_with("# ")) {
      body = rest.substr(2);
    } else if (rest.starts_with("PS> ") || rest.starts_with("PS ")) {
      size_t gt = rest.find("> ");
      body = gt == std::string_view::npos ? std::string_view{} : rest.substr(gt + 2);
    } else {
      out.output.append(line);
      out.output += '\n';
      continue;
    }
    LogicalLine logical{std::string(trim(body)), static_cast<int>(i)};
    while (ends_with_continuation(logical.text) && i + 1 < lines.size()) {
      std::string_view next = trim(lines[++i]);
      if (next.starts_with("> ")) next.remove_prefix(2);  // PS2 prompt
      join_continuation(logical.text, next);
    }
    if (!logical.text.empty()) out.commands.push_back(std::move(logical));
  }
  return out;
}

bool is_known_command(std::string_view word) {
  static constexpr std::array k_commands = {
      "alembic", "ansible", "ansible-playbook", "apt", "apt-get", "aws", "az", "bash", "bundle",
      "cat", "celery", "certbot", "chef-client", "chmod", "chown", "consul", "cp", "createdb",
      "crontab", "curl", "dig", "django-admin", "docker", "docker-compose", "dropdb", "du", "df",
      "dune", "echo", "etcdctl", "export", "find", "flask", "free", "gcloud", "git", "gitlab-ctl",
      "gitlab-rake", "gitlab-rails", "go", "grep", "gsutil", "gunzip", "gzip", "helm", "host", "htop",
      "iostat", "iptables", "jq", "journalctl", "kill", "killall", "knife", "kubectl", "kustomize",
      "less", "ln", "ls", "lsof", "make", "minikube", "mkdir", "mongo", "mongosh", "mv", "mysql",
      "mysqldump", "nc", "netstat", "nginx", "nomad", "npm", "npx", "nslookup", "openssl", "opsbook", "patronictl",
      "pg_basebackup", "pg_ctl", "pg_ctlcluster", "pg_dump", "pg_dumpall", "pg_isready", "pg_restore",
      "pgbench", "ping", "pip", "pkill", "podman", "podman-compose", "poetry", "ps", "psql", "python",
      "python3", "rails", "rake", "redis-cli", "rm", "rpk", "rsync", "scp", "sed", "service", "sh",
      "sops", "ss", "ssh", "sudo", "systemctl", "tail", "tar", "telnet", "terraform", "top", "tail",
      "traceroute", "uptime", "vault", "vim", "wget", "yarn", "zcat",
  };
  return std::find(k_commands.begin(), k_commands.end(), word) != k_commands.end();
}

size_t skip_command_wrappers(const std::vector<ShellToken>& words) {
  size_t i = 0;
  while (i < words.size()) {
    const std::string& w = words[i].text;
    if (words[i].type != ShellToken::Type::word) {
      // A leading redirect takes its target with it.
      i += 2;
      continue;
    }
    size_t eq = w.find('=');
    if (eq != std::string::npos && eq > 0 && is_ident_start(w[0]) &&
        std::all_of(w.begin(), w.begin() + static_cast<long>(eq), is_ident_char)) {
      ++i;  // VAR=value prefix
      continue;
    }
    if (w == "sudo" || w == "doas") {
      ++i;
      while (i < words.size() && words[i].text.starts_with('-')) {
        const std::string& opt = words[i].text;
        ++i;
        if ((opt == "-u" || opt == "-g" || opt == "-C" || opt == "-D") && i < words.size()) ++i;
      }
      continue;
    }
    if (w == "do" || w == "then" || w == "else" || w == "elif" || w == "!" || w == "{" || w == "(") {
      ++i;  // shell keywords in front of a command: "for x in y; do rm x"
      continue;
    }
    if (w == "env" || w == "time" || w == "nohup" || w == "exec" || w == "command" || w == "nice" ||
        w == "ionice" || w == "stdbuf") {
      ++i;
      // Options, and the numeric values of "-n 10" / "-c 3".
      while (i < words.size() && (words[i].text.starts_with('-') ||
                                  (!words[i].text.empty() && std::all_of(words[i].text.begin(), words[i].text.end(), [](char c) { return c >= '0' && c <= '9'; })))) {
        ++i;
      }
      continue;
    }
    if (w == "watch" || w == "timeout") {
      ++i;
      while (i < words.size() && words[i].text.starts_with('-')) {
        const std::string& opt = words[i].text;
        ++i;
        if ((opt == "-n" || opt == "-s" || opt == "-k") && i < words.size()) ++i;
      }
      if (w == "timeout" && i < words.size()) ++i;  // the duration
      continue;
    }
    break;
  }
  return i;
}

}  // namespace opsbook::model
