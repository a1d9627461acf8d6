// Static rules. Each check appends Findings with exact markdown lines; the source line is copied
// into the finding (redacted when it holds a secret) so that no writer ever re-reads the file.
#include "validator/static_checks.hpp"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <map>

#include <unistd.h>
#include <mutex>
#include <unordered_map>
#include <nlohmann/json.hpp>
#include <set>

#include "model/front_matter.hpp"
#include "model/parallel.hpp"
#include "model/slug.hpp"
#include "model/sql.hpp"
#include "model/text.hpp"
#include "model/process.hpp"

namespace opsbook::validator {

using model::ProcessResult;
using model::program_available;
using model::run_process;

namespace fs = std::filesystem;
using model::Severity;

namespace {

// bash by absolute path when it is there: spawning through PATH costs a failed exec per entry.
const std::string& bash_path() {
  static const std::string path = ::access("/bin/bash", X_OK) == 0 ? "/bin/bash" : "bash";
  return path;
}

class Sink {
 public:
  Sink(const model::Runbook& rb, std::vector<Finding>& out) : m_rb(rb), m_out(out) {}
  void add(const std::string& rule, int line, int col, std::string message, std::string hint, const std::string& snippet = {}) {
    const RuleInfo* info = find_rule(rule);
    Finding f;
    f.rule = rule;
    f.severity = info != nullptr ? info->severity : Severity::warning;
    f.file = m_rb.path;
    f.line = line;
    f.col = col;
    f.message = std::move(message);
    f.hint = std::move(hint);
    f.snippet = snippet;
    std::string_view text = model::source_line(m_rb.source, line);
    f.source_line = redact_line(text, find_secrets(text));  // never show a secret, whatever the rule
    m_out.push_back(std::move(f));
  }
  void add_diagnostic(const model::Diagnostic& d) {
    add(d.rule, d.loc.line, d.loc.col, d.message, d.hint);
    m_out.back().severity = d.severity;  // the parser knows how bad it is (e.g. fence closed by its list item)
  }
  const model::Runbook& runbook() const { return m_rb; }
  Finding& last() { return m_out.back(); }

 private:
  const model::Runbook& m_rb;
  std::vector<Finding>& m_out;
};

bool skipped(const model::Snippet& s) {
  const std::string* check = s.attr("check");
  return check != nullptr && *check == "skip";
}

// ---- shell syntax (bash -n) ----

// The script bash checks, and for each of its lines the markdown line it came from.
struct ShellScript {
  const model::Snippet* snippet = nullptr;
  std::string text;
  std::vector<int> lines;
};

std::string fill_placeholders(std::string_view code, const model::Snippet& s) {
  std::string out(code);
  for (const auto& p : s.params) {
    if (p.kind != model::ParamKind::placeholder) continue;
    std::string word = "PLACEHOLDER_";
    for (char c : p.name) word += model::is_ident_char(c) ? c : '_';
    size_t pos = 0;
    while ((pos = out.find(p.syntax, pos)) != std::string::npos) {
      out.replace(pos, p.syntax.size(), word);
      pos += word.size();
    }
  }
  return out;
}

ShellScript shell_script(const model::Snippet& s) {
  ShellScript sc;
  sc.snippet = &s;
  if (s.is_inline || !s.expected_output.empty() || s.lang == "console" || s.code.rfind("$ ", 0) == 0) {
    for (const auto& c : s.commands) {
      sc.text += fill_placeholders(c.text, s) + "\n";
      sc.lines.push_back(c.line);
    }
    return sc;
  }
  sc.text = fill_placeholders(s.code, s);
  int n = static_cast<int>(std::count(sc.text.begin(), sc.text.end(), '\n')) + 1;
  for (int i = 0; i < n; ++i) sc.lines.push_back(s.code_line + i);
  return sc;
}

// "bash: line 3: syntax error near unexpected token `fi'" -> line 3 and the message.
bool parse_bash_error(const std::string& err, int& line, std::string& message) {
  size_t at = err.find("line ");
  while (at != std::string::npos) {
    size_t end = at + 5;
    while (end < err.size() && std::isdigit(static_cast<unsigned char>(err[end]))) ++end;
    if (end > at + 5 && end + 1 < err.size() && err[end] == ':') {
      line = std::stoi(err.substr(at + 5, end - at - 5));
      size_t nl = err.find('\n', end);
      message = std::string(model::trim(err.substr(end + 1, nl == std::string::npos ? std::string::npos : nl - end - 1)));
      return true;
    }
    at = err.find("line ", at + 5);
  }
  return false;
}

// bash -n runs outside the lock; only adding to the runbook's sink (shared by batches) takes it.
void check_shell_one(Sink& sink, const ShellScript& sc, std::mutex& mutex) {
  ProcessResult r = run_process({bash_path(), "-n"}, sc.text, std::chrono::seconds(10));
  if (!r.started) return;
  std::lock_guard lock(mutex);
  if (r.timed_out) {
    sink.add("check-failed", sc.snippet->line, 0, "bash -n did not finish within 10 s; the snippet was not checked", "report this snippet", sc.snippet->id);
    return;
  }
  if (r.exit_code == 0) return;
  int line = 0;
  std::string message;
  if (!parse_bash_error(r.err, line, message)) {
    sink.add("shell-syntax", sc.snippet->line, 0, "bash -n: " + std::string(model::trim(r.err)), "fix the shell syntax", sc.snippet->id);
    return;
  }
  int md_line = (line >= 1 && static_cast<size_t>(line) <= sc.lines.size()) ? sc.lines[static_cast<size_t>(line) - 1] : sc.snippet->line;
  sink.add("shell-syntax", md_line, 0, message, "fix the shell syntax (bash -n reports it); mark non-bash code with its language", sc.snippet->id);
}

// Shell snippets of every runbook are checked in large bash -n batches. Each snippet stands in
// its own "( ... )" so an open `if` or `{` cannot reach into the next one; snippets that leave a
// quote or heredoc open (which could pair with the next snippet's) are checked alone. bash stops
// at the first error: the snippet holding that line is reported and the batch resumes after it.
struct ShellJob {
  Sink* sink;
  ShellScript script;
};

// True when quotes, backticks and heredocs all close within the script.
bool self_contained(std::string_view code) {
  char quote = 0;
  std::string heredoc;
  for (std::string_view line : model::split_lines(code)) {
    if (!heredoc.empty()) {
      if (model::trim(line) == heredoc) heredoc.clear();
      continue;
    }
    for (size_t i = 0; i < line.size(); ++i) {
      char c = line[i];
      if (quote == '\'') {
        if (c == '\'') quote = 0;
        continue;
      }
      if (c == '\\') {
        ++i;
        continue;
      }
      if (quote != 0) {
        if (c == quote) quote = 0;
        continue;
      }
      if (c == '#' && (i == 0 || line[i - 1] == ' ' || line[i - 1] == '\t')) break;
      if (c == '\'' || c == '"' || c == '`') quote = c;
      if (c == '<' && i + 2 < line.size() && line[i + 1] == '<' && line[i + 2] != '<') {
        size_t k = i + 2;
        if (k < line.size() && line[k] == '-') ++k;
        while (k < line.size() && line[k] == ' ') ++k;
        std::string word;
        while (k < line.size() && line[k] != ' ' && line[k] != ';' && line[k] != '|' && line[k] != '>' && line[k] != ')') {
          if (line[k] != '\'' && line[k] != '"' && line[k] != '\\') word += line[k];
          ++k;
        }
        if (!word.empty()) heredoc = word;
      }
    }
  }
  return quote == 0 && heredoc.empty();
}

void check_shell_batch(std::vector<ShellJob*> jobs, std::mutex& mutex) {
  while (!jobs.empty()) {
    std::string batch;
    std::vector<std::pair<int, int>> ranges;  // batch lines of each job's script (1-based, inclusive)
    int line = 1;
    for (const auto* j : jobs) {
      batch += "(:\n" + j->script.text;  // ":" so that a comment-only snippet is not an empty ( )
      if (batch.back() != '\n') batch += '\n';
      batch += ")\n";
      int n = static_cast<int>(std::count(j->script.text.begin(), j->script.text.end(), '\n')) + (j->script.text.back() == '\n' ? 0 : 1);
      ranges.emplace_back(line + 1, line + n);
      line += n + 2;
    }
    ProcessResult r = run_process({bash_path(), "-n"}, batch, std::chrono::seconds(30));
    if (!r.started) return;
    if (!r.timed_out && r.exit_code == 0) return;
    int err_line = 0;
    std::string message;
    size_t bad = jobs.size();
    if (!r.timed_out && parse_bash_error(r.err, err_line, message)) {
      for (size_t k = 0; k < ranges.size(); ++k) {
        if (err_line >= ranges[k].first - 1 && err_line <= ranges[k].second + 1) {
          bad = k;
          break;
        }
      }
    }
    if (bad == jobs.size()) {  // could not place the error: check each alone
      for (auto* j : jobs) check_shell_one(*j->sink, j->script, mutex);
      return;
    }
    {
      // The error lies in this snippet: map bash's batch line to its markdown line.
      const ShellScript& sc = jobs[bad]->script;
      int index = std::clamp(err_line - ranges[bad].first, 0, static_cast<int>(sc.lines.size()) - 1);
      int md_line = sc.lines.empty() ? sc.snippet->line : sc.lines[static_cast<size_t>(index)];
      std::lock_guard lock(mutex);
      jobs[bad]->sink->add("shell-syntax", md_line, 0, message, "fix the shell syntax (bash -n reports it); mark non-bash code with its language",
                           sc.snippet->id);
    }
    jobs.erase(jobs.begin(), jobs.begin() + static_cast<long>(bad) + 1);
  }
}

// shellcheck over the same scripts: files in a temp folder, one shellcheck run per batch of files
// (json1 output), SC1xxx parse errors left to bash -n, fragments' usual noise excluded.
// A batch that times out or crashes is split; a single script that still fails gets a
// check-failed finding instead of hanging the run.
void run_shellcheck(std::vector<ShellJob*> jobs, const fs::path& dir, size_t first_id, std::chrono::seconds limit, std::mutex& mutex) {
  if (jobs.empty()) return;
  std::vector<std::string> argv = {"shellcheck", "-f", "json1", "-s", "bash", "-S", "warning", "-e", "SC2154,SC2034,SC1090,SC1091,SC2164,SC2155"};
  std::map<std::string, ShellJob*> by_file;
  for (size_t k = 0; k < jobs.size(); ++k) {
    std::string file = (dir / ("s" + std::to_string(first_id + k) + ".sh")).string();
    argv.push_back(file);
    by_file[file] = jobs[k];
  }
  ProcessResult r = run_process(argv, "", limit);
  nlohmann::json j = nlohmann::json::parse(r.out, nullptr, false);
  bool ok = r.started && !r.timed_out && (r.exit_code == 0 || r.exit_code == 1) && j.is_object();
  if (!ok) {
    if (jobs.size() > 1) {
      size_t half = jobs.size() / 2;
      run_shellcheck(std::vector<ShellJob*>(jobs.begin(), jobs.begin() + static_cast<long>(half)), dir, first_id, limit, mutex);
      run_shellcheck(std::vector<ShellJob*>(jobs.begin() + static_cast<long>(half), jobs.end()), dir, first_id + half, limit, mutex);
      return;
    }
    std::lock_guard lock(mutex);
    const ShellScript& sc = jobs[0]->script;
    jobs[0]->sink->add("check-failed", sc.snippet->line, 0,
                       r.timed_out ? "shellcheck did not finish within " + std::to_string(limit.count()) + " s; the snippet was not checked"
                                   : "shellcheck could not check the snippet (exit " + std::to_string(r.exit_code) + ")",
                       "check it by hand, or mark it {check=skip}", sc.snippet->id);
    return;
  }
  if (!j.contains("comments") || !j["comments"].is_array()) return;
  std::lock_guard lock(mutex);
  for (const auto& c : j["comments"]) {
    auto it = by_file.find(c.value("file", ""));
    if (it == by_file.end()) continue;
    int code = c.value("code", 0);
    if (code >= 1000 && code < 2000) continue;  // parse errors: bash -n reports those
    const ShellScript& sc = it->second->script;
    int line = c.value("line", 1);
    int md_line = (line >= 1 && static_cast<size_t>(line) <= sc.lines.size()) ? sc.lines[static_cast<size_t>(line) - 1] : sc.snippet->line;
    std::string level = c.value("level", "warning");
    it->second->sink->add("shellcheck", md_line, 0, "SC" + std::to_string(code) + ": " + c.value("message", ""),
                          "see https://www.shellcheck.net/wiki/SC" + std::to_string(code) + ", or add # shellcheck disable=SC" + std::to_string(code) + " in the snippet",
                          sc.snippet->id);
    if (level == "error") it->second->sink->last().severity = Severity::error;  // shellcheck's own level
  }
}

// Identical scripts (the same command in many runbooks) are checked once: the first of each
// group runs against a recording sink, and its findings are replayed onto every member at the
// member's own markdown lines.
template <typename Check>
void check_each_distinct(std::vector<ShellJob>& jobs, Check check) {
  std::unordered_map<std::string_view, size_t> group_of_text;
  std::vector<size_t> group(jobs.size()), first;
  for (size_t i = 0; i < jobs.size(); ++i) {
    auto [it, added] = group_of_text.emplace(jobs[i].script.text, first.size());
    if (added) first.push_back(i);
    group[i] = it->second;
  }
  std::vector<std::vector<Finding>> recorded(first.size());
  std::vector<Sink> recorders;
  recorders.reserve(first.size());
  std::vector<ShellJob> distinct;
  distinct.reserve(first.size());
  for (size_t g = 0; g < first.size(); ++g) {
    recorders.emplace_back(jobs[first[g]].sink->runbook(), recorded[g]);
    distinct.push_back({&recorders[g], jobs[first[g]].script});
  }
  check(distinct);
  for (size_t i = 0; i < jobs.size(); ++i) {
    const ShellScript& model_script = jobs[first[group[i]]].script;
    const ShellScript& own = jobs[i].script;
    for (const Finding& f : recorded[group[i]]) {
      auto at = std::find(model_script.lines.begin(), model_script.lines.end(), f.line);
      int line = at == model_script.lines.end() ? own.snippet->line : own.lines[static_cast<size_t>(at - model_script.lines.begin())];
      jobs[i].sink->add(f.rule, line, f.col, f.message, f.hint, own.snippet->id);
      jobs[i].sink->last().severity = f.severity;
    }
  }
}

void collect_shell(Sink& sink, const model::Runbook& rb, std::vector<ShellJob>& out) {
  for (const auto& s : rb.snippets) {
    // Unlabeled blocks often show a command and its output: only declared shell is checked.
    if (s.kind != model::SnippetKind::shell || skipped(s) || s.lang == "zsh" || (s.lang.empty() && !s.is_inline)) continue;
    ShellScript sc = shell_script(s);
    if (!sc.text.empty()) out.push_back({&sink, std::move(sc)});
  }
}

// ---- data blocks ----

// An excerpt: "..." standing for elided content.
bool elided(std::string_view code) {
  for (std::string_view l : model::split_lines(code)) {
    std::string_view t = model::trim(l);
    if (t == "..." || t == "\xE2\x80\xA6" || t == "[...]" || t.starts_with("...") || t.ends_with("...") || t.find(": ...") != std::string_view::npos) return true;
  }
  return false;
}

void check_data(Sink& sink, const model::Snippet& s) {
  if (elided(s.code)) return;
  if (s.lang == "json" || s.lang == "jsonc") {
    if (s.lang == "jsonc") return;  // comments are allowed there
    // An object's body ("key": value lines without the braces) is a fragment, not an error.
    if (nlohmann::json::accept(s.code) || nlohmann::json::accept("{" + s.code + "}")) return;
    try {
      nlohmann::json parsed = nlohmann::json::parse(s.code);
      (void)parsed;
    } catch (const nlohmann::json::parse_error& e) {
      auto [line, col] = model::line_col_at(s.code, e.byte > 0 ? e.byte - 1 : 0);
      std::string what = e.what();
      size_t cut = what.find("syntax error");
      sink.add("data-syntax", s.code_line + line - 1, col, "invalid JSON: " + (cut == std::string::npos ? what : what.substr(cut)),
               "fix the JSON, or mark the block as text if it is an excerpt", s.id);
    }
  } else if (s.lang == "yaml" || s.lang == "yml") {
    int line = 0, col = 0;
    std::string message;
    if (!model::check_yaml(s.code, line, col, message)) {
      sink.add("data-syntax", s.code_line + line - 1, col, "invalid YAML: " + message, "fix the YAML (indentation, quoting of ':' and '#')", s.id);
    }
  } else if (s.lang == "env" || s.lang == "dotenv" || s.lang == "ini") {
    int line = s.code_line;
    for (std::string_view l : model::split_lines(s.code)) {
      std::string_view t = model::trim(l);
      bool ok = t.empty() || t[0] == '#' || t[0] == ';' || (s.lang == "ini" && t.front() == '[' && t.back() == ']');
      if (!ok) {
        if (t.starts_with("export ")) t = model::trim(t.substr(7));
        size_t eq = t.find('=');
        ok = eq != std::string_view::npos && eq > 0 &&
             std::all_of(t.begin(), t.begin() + static_cast<long>(eq), [&](char c) { return model::is_ident_char(c) || c == '.' || c == '-' || (s.lang == "ini" && c == ' '); });
      }
      if (!ok) sink.add("data-syntax", line, 1, "not a KEY=value line in a " + s.lang + " block", "write KEY=value, or mark the block as text", s.id);
      ++line;
    }
  }
}

// ---- SQL and PowerShell ----

void check_sql(Sink& sink, const model::Snippet& s) {
  for (const auto& st : model::split_sql(s.code)) {
    int line = s.code_line + st.line_offset;
    if (st.unterminated) {
      std::string what = st.open_quote == '*' ? "a /* comment" : st.open_quote == '$' ? "a $$ quoted string" : std::string("a ") + st.open_quote + " quoted string";
      sink.add("sql-syntax", line, 0, what + " is never closed", "close it; the statement would swallow the rest of the snippet", s.id);
      continue;
    }
    int depth = 0;
    bool in_quote = false;
    char q = 0;
    for (char c : st.text) {
      if (in_quote) {
        if (c == q) in_quote = false;
        continue;
      }
      if (c == '\'' || c == '"') in_quote = true, q = c;
      else if (c == '(') ++depth;
      else if (c == ')' && --depth < 0) break;
    }
    if (depth != 0) {
      sink.add("sql-syntax", line, 0, depth > 0 ? "unbalanced parentheses: " + std::to_string(depth) + " '(' not closed" : "unbalanced parentheses: ')' without '('",
               "balance the parentheses", s.id);
    }
  }
}

void check_powershell(Sink& sink, const model::Snippet& s) {
  std::vector<std::pair<char, int>> stack;
  int line = s.code_line;
  const std::string& c = s.code;
  for (size_t i = 0; i < c.size(); ++i) {
    char ch = c[i];
    if (ch == '\n') {
      ++line;
      continue;
    }
    if (ch == '#' && (i == 0 || c[i - 1] == ' ' || c[i - 1] == '\n')) {
      while (i < c.size() && c[i] != '\n') ++i;
      --i;
      continue;
    }
    if (ch == '@' && i + 1 < c.size() && (c[i + 1] == '"' || c[i + 1] == '\'')) {  // here-string
      std::string close = std::string("\n") + c[i + 1] + "@";
      size_t end = c.find(close, i + 2);
      if (end == std::string::npos) {
        sink.add("powershell-syntax", line, 0, "here-string is never closed", "end it with " + close.substr(1) + " at the start of a line", s.id);
        return;
      }
      line += static_cast<int>(std::count(c.begin() + static_cast<long>(i), c.begin() + static_cast<long>(end) + 2, '\n'));
      i = end + 2;
      continue;
    }
    if (ch == '"' || ch == '\'') {
      size_t j = i + 1;
      while (j < c.size() && c[j] != ch && c[j] != '\n') {
        if (ch == '"' && c[j] == '`') ++j;  // backtick escape
        ++j;
      }
      if (j >= c.size() || c[j] != ch) {
        sink.add("powershell-syntax", line, 0, std::string("unterminated ") + (ch == '"' ? "double" : "single") + "-quoted string", "close the quote", s.id);
        return;
      }
      i = j;
      continue;
    }
    if (ch == '{' || ch == '(' || ch == '[') stack.emplace_back(ch, line);
    if (ch == '}' || ch == ')' || ch == ']') {
      char open = ch == '}' ? '{' : ch == ')' ? '(' : '[';
      if (stack.empty() || stack.back().first != open) {
        sink.add("powershell-syntax", line, 0, std::string("unmatched '") + ch + "'", "balance the brackets", s.id);
        return;
      }
      stack.pop_back();
    }
  }
  if (!stack.empty()) {
    sink.add("powershell-syntax", stack.back().second, 0, std::string("'") + stack.back().first + "' is never closed", "balance the brackets", s.id);
  }
}

// ---- links ----

// Slug of only the ASCII words of a heading: "🏗️ Environment" -> "environment".
std::string ascii_slug(std::string_view title) {
  std::string ascii;
  for (char c : title) {
    if (static_cast<unsigned char>(c) < 0x80) ascii += c;
  }
  return model::slugify(ascii);
}

bool has_anchor(const model::Runbook& rb, std::string anchor) {
  anchor = model::to_lower(anchor);
  for (const auto& s : rb.sections) {
    if (s.slug == anchor || model::to_lower(s.slug) == anchor || ascii_slug(s.title) == anchor) return true;
  }
  for (const auto& s : rb.snippets) {
    if ("snippet-" + s.id == anchor) return true;
  }
  return false;
}

std::string percent_decode(std::string_view s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size() && std::isxdigit(static_cast<unsigned char>(s[i + 1])) && std::isxdigit(static_cast<unsigned char>(s[i + 2]))) {
      out += static_cast<char>(std::stoi(std::string(s.substr(i + 1, 2)), nullptr, 16));
      i += 2;
    } else {
      out += s[i];
    }
  }
  return out;
}

void check_links(Sink& sink, const model::Runbook& rb, const std::map<std::string, const model::Runbook*>& by_path) {
  for (const auto& l : rb.links) {
    std::string_view url = model::trim(l.url);
    if (url.empty()) continue;
    size_t colon = url.find(':');
    size_t slash = url.find_first_of("/?#");
    bool has_scheme = colon != std::string_view::npos && (slash == std::string_view::npos || colon < slash);
    if (has_scheme) {
      std::string scheme = model::to_lower(url.substr(0, colon));
      if (scheme == "http" || scheme == "https") {
        std::string_view rest = url.substr(colon + 1);
        bool ok = rest.starts_with("//") && rest.size() > 2 && rest.find_first_of(" \t<>\"") == std::string_view::npos;
        std::string_view host = ok ? rest.substr(2, rest.find_first_of("/?#", 2) == std::string_view::npos ? std::string_view::npos : rest.find_first_of("/?#", 2) - 2) : std::string_view{};
        if (!ok || host.empty() || host.front() == '.' || host.find("..") != std::string_view::npos) {
          sink.add("malformed-url", l.line, l.col, "malformed URL '" + std::string(url) + "'", "write a full URL like https://host/path");
        }
      }
      continue;
    }
    if (url.front() == '/') continue;  // site-absolute: depends on where the docs are served
    size_t hash = url.find('#');
    std::string path = percent_decode(url.substr(0, std::min(hash, url.find('?'))));
    std::string anchor = hash == std::string_view::npos ? "" : percent_decode(url.substr(hash + 1));
    const model::Runbook* target = &rb;
    if (!path.empty()) {
      fs::path resolved = (fs::path(rb.path).parent_path() / path).lexically_normal();
      std::error_code ec;
      if (!fs::exists(resolved, ec)) {
        sink.add("broken-link", l.line, l.col, "link to '" + path + "': no such file", "fix the path (relative to " + fs::path(rb.path).parent_path().string() + "/)");
        continue;
      }
      auto it = by_path.find(resolved.string());
      target = it == by_path.end() ? nullptr : it->second;
    }
    if (!anchor.empty() && target != nullptr && !has_anchor(*target, anchor)) {
      sink.add("broken-link", l.line, l.col, "link to '#" + anchor + "'" + (path.empty() ? "" : " in " + path) + ": no such heading",
               "link to a heading's slug (lower case, spaces as '-')");
    }
  }
}

// ---- the rest ----

bool key_material(std::string_view text) {
  text = model::trim(text);
  return text.size() >= 40 && std::all_of(text.begin(), text.end(), [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '+' || c == '/' || c == '='; });
}

void check_secrets(Sink& sink, const model::Runbook& rb) {
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

bool warned_nearby(const model::Runbook& rb, int line) {
  static constexpr std::string_view k_words[] = {"warning", "danger", "caution", "destructive", "irreversible", "data loss", "never run", "⚠"};
  for (int l = std::max(1, line - 6); l < line; ++l) {
    std::string_view text = model::source_line(rb.source, l);
    for (auto w : k_words) {
      if (model::icontains(text, w)) return true;
    }
  }
  return false;
}

size_t count_word(std::string_view text, std::string_view word) {
  size_t n = 0;
  std::string lower = model::to_lower(text);
  std::string w = model::to_lower(word);
  for (size_t pos = lower.find(w); pos != std::string::npos; pos = lower.find(w, pos + 1)) {
    bool left = pos == 0 || !model::is_ident_char(lower[pos - 1]);
    bool right = pos + w.size() >= lower.size() || !model::is_ident_char(lower[pos + w.size()]);
    n += left && right;
  }
  return n;
}

void check_runbook(Sink& sink, const model::Runbook& rb, const std::map<std::string, const model::Runbook*>& by_path) {
  for (const auto& d : rb.diagnostics.items()) sink.add_diagnostic(d);
  std::map<std::string, int> names;
  for (const auto& s : rb.snippets) {
    if (s.attr("name") != nullptr || s.attr("id") != nullptr) {
      if (names.count(s.id)) {
        sink.add("duplicate-name", s.line, 0, "snippet name '" + s.id + "' is already used on line " + std::to_string(names[s.id]),
                 "give each snippet its own name", s.id);
      } else {
        names[s.id] = s.line;
      }
    }
    if (skipped(s)) continue;
    if (s.kind == model::SnippetKind::data) check_data(sink, s);
    if (s.kind == model::SnippetKind::sql) check_sql(sink, s);
    if (s.kind == model::SnippetKind::powershell) check_powershell(sink, s);
    if (s.safety == model::Safety::destructive && s.attr("run") == nullptr && !warned_nearby(rb, s.line)) {
      std::string why = "classified destructive";
      for (const auto& r : s.reasons) {
        if (r.level == model::Safety::destructive) {
          why = r.reason;
          break;
        }
      }
      sink.add("destructive-unguarded", s.line, 0, "destructive snippet '" + s.id + "' (" + why + ") has no run attribute and no warning next to it",
               "add {run=never} or {run=confirm} to the fence, or a warning line above it", s.id);
    }
    for (const auto& p : s.params) {
      if (p.kind != model::ParamKind::placeholder) continue;
      size_t in_code = 0;
      for (const auto& other : rb.snippets) {
        if (other.is_inline) in_code += count_word(other.code, p.name);
      }
      if (count_word(rb.text, p.name) <= in_code) {
        sink.add("unexplained-placeholder", p.line, 0, "placeholder " + p.syntax + " in snippet '" + s.id + "' is not explained on the page",
                 "say what to put in place of " + p.syntax + " near the command", s.id);
      }
    }
  }
  check_links(sink, rb, by_path);
  check_secrets(sink, rb);
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

std::vector<Finding> check_static(const std::vector<model::Runbook>& runbooks, const StaticOptions& options) {
  std::map<std::string, const model::Runbook*> by_path;
  for (const auto& rb : runbooks) by_path[fs::path(rb.path).lexically_normal().string()] = &rb;
  bool bash = options.shell && program_available("bash");
  std::vector<std::vector<Finding>> per(runbooks.size());
  std::vector<Sink> sinks;
  sinks.reserve(runbooks.size());
  for (size_t i = 0; i < runbooks.size(); ++i) sinks.emplace_back(runbooks[i], per[i]);
  auto selected = [&](size_t i) { return options.only.empty() || options.only.count(runbooks[i].path) > 0; };
  model::parallel_for(runbooks.size(), options.jobs, [&](size_t i) {
    if (selected(i)) check_runbook(sinks[i], runbooks[i], by_path);
  });
  if (bash) {
    std::vector<ShellJob> jobs;
    for (size_t i = 0; i < runbooks.size(); ++i) {
      if (selected(i)) collect_shell(sinks[i], runbooks[i], jobs);
    }
    check_each_distinct(jobs, [&](std::vector<ShellJob>& distinct) {
      constexpr size_t k_batch = 256;
      std::mutex mutex;
      std::vector<ShellJob*> batched, alone;
      for (auto& j : distinct) (self_contained(j.script.text) ? batched : alone).push_back(&j);
      size_t chunks = (batched.size() + k_batch - 1) / k_batch;
      model::parallel_for(chunks + alone.size(), options.jobs, [&](size_t b) {
        if (b >= chunks) {
          ShellJob* j = alone[b - chunks];
          check_shell_one(*j->sink, j->script, mutex);
          return;
        }
        std::vector<ShellJob*> chunk(batched.begin() + static_cast<long>(b * k_batch),
                                     batched.begin() + static_cast<long>(std::min(batched.size(), (b + 1) * k_batch)));
        check_shell_batch(chunk, mutex);
      });
    });
  }
  if (options.shellcheck) {
    if (!program_available("shellcheck")) {
      Finding note;
      note.rule = "tool-missing";
      note.severity = Severity::info;
      note.file = "shellcheck";
      note.message = "shellcheck is not installed: shell snippets were checked with bash -n only";
      note.hint = "install shellcheck (apt-get install shellcheck) for deeper checks";
      per.emplace_back().push_back(std::move(note));
    } else {
      std::vector<ShellJob> jobs;
      for (size_t i = 0; i < runbooks.size(); ++i) {
        if (selected(i)) collect_shell(sinks[i], runbooks[i], jobs);
      }
      std::error_code ec;
      fs::path dir = fs::temp_directory_path() / ("opsbook-shellcheck-" + std::to_string(::getpid()));
      fs::create_directories(dir, ec);
      check_each_distinct(jobs, [&](std::vector<ShellJob>& distinct) {
        for (size_t k = 0; k < distinct.size(); ++k) {
          std::ofstream((dir / ("s" + std::to_string(k) + ".sh")).string()) << distinct[k].script.text;
        }
        // Up to 200 scripts a run, but at least four runs per core so that both cores stay busy.
        unsigned cores = options.jobs ? options.jobs : model::default_jobs();
        const size_t k_batch = std::clamp<size_t>((distinct.size() + 4 * cores - 1) / (4 * cores), 1, 200);
        std::mutex mutex;
        model::parallel_for((distinct.size() + k_batch - 1) / k_batch, options.jobs, [&](size_t b) {
          std::vector<ShellJob*> chunk;
          for (size_t k = b * k_batch; k < std::min(distinct.size(), (b + 1) * k_batch); ++k) chunk.push_back(&distinct[k]);
          run_shellcheck(chunk, dir, b * k_batch, options.shellcheck_timeout, mutex);
        });
      });
      fs::remove_all(dir, ec);
    }
  }
  for (auto& v : per) std::stable_sort(v.begin(), v.end(), [](const Finding& a, const Finding& b) { return a.line < b.line; });
  std::vector<Finding> out;
  for (auto& v : per) out.insert(out.end(), std::make_move_iterator(v.begin()), std::make_move_iterator(v.end()));
  return out;
}

}  // namespace opsbook::validator
