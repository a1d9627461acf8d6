// Endpoint extraction from commands, request lines and service lists. Option tables follow
// curl(1), wget(1), httpie and PowerShell's Invoke-WebRequest/Invoke-RestMethod.
#include "endpoints.hpp"

#include <algorithm>
#include <array>
#include <string>
#include <vector>

#include "shell_commands.hpp"
#include "text.hpp"

namespace opsbook::model {

bool looks_like_url(std::string_view t) {
  return (t.starts_with("http://") || t.starts_with("https://")) && t.size() > 8 &&
         t.find_first_of(" \t\n") == std::string_view::npos;
}

bool looks_like_path(std::string_view t) {
  return t.size() >= 2 && t[0] == '/' && t[1] != '/' && t.find_first_of(" \t\n|;") == std::string_view::npos &&
         !t.starts_with("/etc/") && !t.starts_with("/var/") && !t.starts_with("/opt/") && !t.starts_with("/usr/") &&
         !t.starts_with("/home/") && !t.starts_with("/tmp/") && !t.starts_with("/dev/");
}

namespace {

// "localhost:8000/health" or "example.com/x": curl assumes http://.
bool looks_like_bare_host_url(std::string_view t) {
  if (t.empty() || t[0] == '-' || t[0] == '@' || t[0] == '/' || t[0] == '.' || t[0] == '$' || t[0] == '<') return false;
  size_t host_end = t.find_first_of("/:");
  std::string_view host = t.substr(0, host_end);
  if (host.empty()) return false;
  bool hostish = host == "localhost" || (host.find('.') != std::string_view::npos &&
                                         std::all_of(host.begin(), host.end(), [](char c) { return is_ident_char(c) || c == '.' || c == '-'; }));
  if (!hostish) return false;
  if (host_end == std::string_view::npos) return host.find('.') != std::string_view::npos && host.back() != '.' && !host.ends_with(".json") && !host.ends_with(".txt") && !host.ends_with(".sh") && !host.ends_with(".yml") && !host.ends_with(".yaml");
  return true;
}

// One endpoint per URL: "localhost:8000/x" is http://, httpie's ":8000/x" is on localhost.
void append_urls(const Endpoint& ep, const std::vector<std::string>& urls, std::vector<Endpoint>& out) {
  for (const auto& u : urls) {
    Endpoint e = ep;
    e.url = looks_like_url(u) ? u : u.starts_with(':') ? "http://localhost" + u : "http://" + u;
    out.push_back(std::move(e));
  }
}

// Invoke-WebRequest / Invoke-RestMethod (and their aliases iwr, irm): -Uri or the first
// positional word is the URL, -Method the method; every other -Option takes a value except these.
bool powershell_web_request(const std::vector<std::string>& words, Endpoint& ep, std::vector<std::string>& urls) {
  static constexpr std::array<std::string_view, 14> k_switches = {
      "-usebasicparsing", "-skipcertificatecheck", "-usedefaultcredentials", "-disablekeepalive", "-passthru",
      "-allowunencryptedauthentication", "-skipheadervalidation", "-skiphttperrorcheck", "-noproxy", "-resume",
      "-preserveauthorizationonredirect", "-allowinsecureredirect", "-proxyusedefaultcredentials", "-followrellink"};
  std::string name = to_lower(words[0]);
  if (name != "invoke-webrequest" && name != "invoke-restmethod" && name != "iwr" && name != "irm") return false;
  for (size_t i = 1; i < words.size(); ++i) {
    std::string option = to_lower(words[i]);
    if (!option.starts_with('-')) {
      if (urls.empty() && (looks_like_url(words[i]) || looks_like_bare_host_url(words[i]))) urls.push_back(words[i]);
      continue;
    }
    if (option == "-skipcertificatecheck") ep.insecure = true;
    if (std::find(k_switches.begin(), k_switches.end(), option) != k_switches.end() || i + 1 >= words.size()) continue;
    if (option == "-uri" || option == "-url") urls.push_back(words[i + 1]);
    if (option == "-method") ep.method = to_upper(words[i + 1]);
    ++i;
  }
  return true;
}

// "curl -sSL https://get.rvm.io | bash -s stable": a shell that reads its script from the pipe
// (no operand, or `-s` / `-`) runs what was downloaded: an installer, not a service to probe.
bool shell_reads_stdin(const std::vector<std::string>& words) {
  static constexpr std::array<std::string_view, 5> k_shells = {"bash", "sh", "zsh", "dash", "ksh"};
  std::string_view name = program_name(words[0]);
  if (std::find(k_shells.begin(), k_shells.end(), name) == k_shells.end()) return false;
  for (size_t i = 1; i < words.size(); ++i) {
    if (words[i] == "-s" || words[i] == "-") return true;
    if (words[i] == "-c" || !words[i].starts_with('-')) return false;
  }
  return true;
}

// curl's options that send the request through a proxy: the URL is then resolved and reached
// from the proxy's side (often 127.0.0.1 of a remote host), not from where a live check runs.
bool is_proxy_option(std::string_view t) {
  static constexpr std::array<std::string_view, 7> k_proxy = {"-x", "--proxy", "--socks4", "--socks4a", "--socks5", "--socks5-hostname", "--preproxy"};
  std::string_view name = t.substr(0, t.find('='));
  return std::find(k_proxy.begin(), k_proxy.end(), name) != k_proxy.end();
}

}  // namespace

bool request_line(std::string_view line, Endpoint& out) {
  static constexpr std::array<std::string_view, 7> k_methods = {"GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS"};
  std::string_view t = trim(line);
  size_t space = t.find(' ');
  if (space == std::string_view::npos) return false;
  std::string_view method = t.substr(0, space);
  if (std::find(k_methods.begin(), k_methods.end(), method) == k_methods.end()) return false;
  std::string_view rest = trim(t.substr(space + 1));
  std::string_view target = rest.substr(0, rest.find(' '));
  std::string_view version = trim(rest.substr(target.size()));
  if (!version.empty() && !version.starts_with("HTTP/")) return false;
  bool path = target.size() >= 2 && target[0] == '/' && target[1] != '/';
  if (!path && !looks_like_url(target)) return false;
  out.method = std::string(method);
  out.url = std::string(target);
  out.source = "request";
  return true;
}

namespace {

// Where a service list item's name ends and its URL begins: "Grafana: URL", "Kibana — URL",
// "Kibana - URL", "Admin page at URL" (the first of them in the item); npos when none.
std::pair<size_t, size_t> name_separator(std::string_view t) {
  static constexpr std::array<std::string_view, 5> k_separators = {": ", " \xE2\x80\x94 ", " \xE2\x80\x93 ", " - ", " at "};
  std::pair<size_t, size_t> best{std::string_view::npos, 0};
  for (std::string_view sep : k_separators) {
    size_t at = t.find(sep);
    if (at < best.first) best = {at, sep.size()};
  }
  return best;
}

}  // namespace

bool names_running_service(std::string_view url) {
  if (!looks_like_url(url)) return false;
  std::string_view host = url.substr(url.find("://") + 3);
  host = host.substr(0, host.find('/'));
  bool port = host.find(':') != std::string_view::npos;
  std::string_view bare = host.substr(0, host.find(':'));
  bool ip = !bare.empty() && std::all_of(bare.begin(), bare.end(), [](char c) { return (c >= '0' && c <= '9') || c == '.'; });
  return port || ip || bare == "localhost";
}

bool asks_to_open(std::string_view before) {
  // Stems: "browse"/"browsing", "navigate"/"navigating", "access"/"accessible", "go to".
  static constexpr std::array<std::string_view, 10> k_verbs = {"open", "brows", "visit", "point", "navigat", "load", "access", "go to", "available", "reachable"};
  std::string_view t = trim(before);
  size_t cut = t.find_last_of(".;:(");
  std::string_view clause = cut == std::string_view::npos ? t : t.substr(cut + 1);
  std::string lower = to_lower(clause);
  // The clause ends where the URL goes: "open", "browse to", "point it to", "visit".
  bool ends_at_url = lower.ends_with(" to") || lower.ends_with(" at") || lower.ends_with("open") || lower.ends_with("visit") || lower.ends_with("access");
  if (!ends_at_url) return false;
  for (std::string_view verb : k_verbs) {
    for (size_t at = lower.find(verb); at != std::string::npos; at = lower.find(verb, at + 1)) {
      bool word_start = at == 0 || !is_ident_char(lower[at - 1]);
      if (word_start) return true;
    }
  }
  return false;
}

bool names_access(std::string_view name) {
  // "Health check", "Readiness endpoint", "Access": the last word names the way in; "Readiness
  // review is at URL" names a document.
  static constexpr std::array<std::string_view, 7> k_words = {"access", "endpoint", "health", "healthcheck", "liveness", "readiness", "ping"};
  static constexpr std::array<std::string_view, 8> k_last = {"access", "endpoint", "health", "healthcheck", "check", "probe", "ping", "url"};
  std::vector<std::string> words;
  std::string word;
  for (char c : to_lower(name) + " ") {
    if (is_ident_char(c) && c != '_') {
      word += c;
    } else if (!word.empty()) {
      words.push_back(std::move(word));
      word.clear();
    }
  }
  auto in = [](const auto& list, const std::string& w) { return std::find(list.begin(), list.end(), w) != list.end(); };
  if (words.empty() || !in(k_last, words.back())) return false;
  return std::any_of(words.begin(), words.end(), [&](const std::string& w) { return in(k_words, w); });
}

bool service_url_item(std::string_view item_text, Endpoint& out) {
  std::string_view t = trim(item_text);
  auto [colon, separator] = name_separator(t);
  if (colon == std::string_view::npos || colon == 0 || colon > 40) return false;
  std::string_view name = trim(t.substr(0, colon));
  if (std::count(name.begin(), name.end(), ' ') > 3 || name.find_first_of("`/") != std::string_view::npos) return false;
  std::string_view rest = trim(t.substr(colon + separator));
  std::string_view url = rest.substr(0, rest.find(' '));
  std::string_view after = trim(rest.substr(url.size()));
  if (url.size() > 2 && url.front() == '<' && url.back() == '>') url = url.substr(1, url.size() - 2);  // an autolink
  if (!looks_like_url(url) || (!after.empty() && after[0] != '(')) return false;  // "name: URL (note)" only
  if (!names_running_service(url) && !names_access(name)) return false;
  out.url = std::string(url);
  out.service = std::string(name);
  std::string documented = parse_expected_status(after);  // "(returns 200 when attached)"
  out.expect_status = documented.empty() ? "2xx, 3xx" : documented;
  out.source = "list";
  return true;
}

namespace {

// Programs that open a URL in a browser: the page is what the reader looks at.
bool opens_in_browser(std::string_view name) {
  static constexpr std::array<std::string_view, 8> k_browsers = {"open", "xdg-open", "sensible-browser", "firefox", "google-chrome",
                                                                 "chromium", "chromium-browser", "www-browser"};
  return std::find(k_browsers.begin(), k_browsers.end(), name) != k_browsers.end();
}

}  // namespace

void endpoints_from_command(std::string_view command, int line, const std::string& snippet_id, std::vector<Endpoint>& out) {
  // Only curl, wget and httpie request URLs: skip lexing everything else.
  if (command.find("curl") == std::string_view::npos && command.find("wget") == std::string_view::npos &&
      command.find("http") == std::string_view::npos && !icontains(command, "invoke-") && !icontains(command, "iwr") &&
      !icontains(command, "irm")) {
    return;
  }
  std::vector<std::vector<std::string>> commands = simple_commands(command);
  if (command.find('|') != std::string_view::npos && std::any_of(commands.begin(), commands.end(), shell_reads_stdin)) return;
  for (const auto& words : commands) {
    size_t cmd = 0;
    std::string name(program_name(words[cmd]));
    if (name.ends_with(".exe")) name.resize(name.size() - 4);  // curl.exe, wget.exe on Windows
    std::vector<std::string> urls;
    Endpoint ep;
    ep.source = "command";
    ep.snippet = snippet_id;
    ep.line = line;
    if (powershell_web_request(words, ep, urls)) {
      append_urls(ep, urls, out);
      continue;
    }
    if (opens_in_browser(name)) {  // "xdg-open http://localhost:9090", "firefox http://0.0.0.0:5000/"
      for (size_t i = cmd + 1; i < words.size(); ++i) {
        if (looks_like_url(words[i])) urls.push_back(words[i]);
      }
      ep.source = "open";
      ep.method = "GET";
      ep.expect_status = "2xx, 3xx";  // a page: reachable, redirects included
      append_urls(ep, urls, out);
      continue;
    }
    bool curl = name == "curl";
    bool wget = name == "wget";
    bool httpie = name == "http" || name == "https";
    if (!curl && !wget && !httpie) continue;
    static constexpr std::array<std::string_view, 60> k_valued = {
        "-X", "--request", "-H", "--header", "-d", "--data", "--data-raw", "--data-binary", "--data-urlencode",
        "-o", "--output", "-u", "--user", "-w", "--write-out", "-m", "--max-time", "--connect-timeout", "-A",
        "--user-agent", "-e", "--referer", "-b", "--cookie", "-c", "--cookie-jar", "-F", "--form", "-T",
        "--upload-file", "--resolve", "--cacert", "--cert", "--key", "-x", "--proxy", "--retry", "--retry-delay",
        "-r", "--range", "-O", "--output-document", "--post-data", "--json", "--socks4", "--socks4a", "--socks5",
        "--socks5-hostname", "--preproxy", "-U", "--proxy-user", "--interface", "--connect-to", "--unix-socket",
        "-D", "--dump-header", "-K", "--config", "--limit-rate", "--max-redirs"};
    ep.method = httpie ? "" : "GET";
    bool proxied = false;
    for (size_t i = cmd + 1; i < words.size(); ++i) {
      const std::string& t = words[i];
      if (curl && is_proxy_option(t)) proxied = true;
      if (t == "-k" || t == "--insecure" || t == "--no-check-certificate") ep.insecure = true;
      if (curl && t.size() > 2 && t[0] == '-' && t[1] != '-' && t.find('k') != std::string::npos &&
          std::all_of(t.begin() + 1, t.end(), [](char c) { return std::string_view("sSfLkvIiqN").find(c) != std::string_view::npos; })) {
        ep.insecure = true;
      }
      if (t == "-I" || t == "--head" || t == "--spider") ep.method = "HEAD";
      if ((t == "-X" || t == "--request") && i + 1 < words.size()) {
        ep.method = to_upper(words[++i]);
        continue;
      }
      if (t.starts_with("-X") && t.size() > 2 && curl) {
        ep.method = to_upper(t.substr(2));
        continue;
      }
      if (t == "--url" && i + 1 < words.size()) {
        urls.push_back(words[++i]);
        continue;
      }
      if ((t == "-d" || t.starts_with("--data") || t == "-F" || t == "--form" || t == "--post-data" || t == "--json") && ep.method == "GET") {
        ep.method = "POST";
      }
      if (t.starts_with('-') && t.size() > 1) {
        if (std::find(k_valued.begin(), k_valued.end(), t) != k_valued.end()) ++i;
        continue;
      }
      if (httpie && ep.method.empty() && (t == "GET" || t == "POST" || t == "PUT" || t == "DELETE" || t == "PATCH" || t == "HEAD")) {
        ep.method = t;
        continue;
      }
      if (looks_like_url(t) || looks_like_bare_host_url(t) || (httpie && t.starts_with(':'))) urls.push_back(t);
      else if (httpie) break;  // httpie: items after the URL are request fields
    }
    if (ep.method.empty()) ep.method = "GET";
    if (!proxied) append_urls(ep, urls, out);
  }
}

std::string parse_expected_status(std::string_view text) {
  std::string out;
  auto push = [&](std::string_view item) {
    if (!out.empty()) out += ", ";
    out.append(item);
  };
  size_t i = 0;
  while (i < text.size()) {
    if (text[i] >= '1' && text[i] <= '5' && (i == 0 || !is_ident_char(text[i - 1]))) {
      size_t j = i;
      while (j < text.size() && (is_ident_char(text[j]))) ++j;
      std::string_view tok = text.substr(i, j - i);
      bool code = tok.size() == 3 && std::all_of(tok.begin(), tok.end(), [](char c) { return c >= '0' && c <= '9'; });
      bool klass = tok.size() == 3 && (tok.substr(1) == "xx" || tok.substr(1) == "XX");
      if (code && j + 4 <= text.size() && text[j] == '-' && std::all_of(text.begin() + static_cast<long>(j) + 1, text.begin() + static_cast<long>(j) + 4, [](char c) { return c >= '0' && c <= '9'; }) &&
          (j + 4 == text.size() || !is_ident_char(text[j + 4]))) {
        push(text.substr(i, j + 4 - i));
        i = j + 4;
        continue;
      }
      if (code || klass) push(klass ? std::string(1, tok[0]) + "xx" : std::string(tok));
      i = j;
      continue;
    }
    ++i;
  }
  return out;
}

}  // namespace opsbook::model
