// PowerShell lines, console transcripts and the names of commands runbooks use.
#include "shell_words.hpp"

#include <algorithm>
#include <array>

#include "text.hpp"

namespace opsbook::model {

namespace {

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

std::vector<LogicalLine> powershell_lines(std::string_view code) {
  std::vector<LogicalLine> out;
  std::vector<std::string_view> lines = split_lines(code);
  for (size_t i = 0; i < lines.size(); ++i) {
    std::string_view t = trim(lines[i]);
    if (t.empty() || t[0] == '#') continue;
    LogicalLine logical{std::string(t), static_cast<int>(i)};
    while ((logical.text.back() == '`' || logical.text.back() == '|') && i + 1 < lines.size()) {
      if (logical.text.back() == '`') logical.text.pop_back();
      while (!logical.text.empty() && logical.text.back() == ' ') logical.text.pop_back();
      logical.text += ' ';
      logical.text.append(trim(lines[++i]));
    }
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

}  // namespace opsbook::model
