// PowerShell lines and the names of commands runbooks use (sessions: model/prompts).
#include "shell_words.hpp"

#include <algorithm>
#include <array>

#include "text.hpp"

namespace opsbook::model {

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
