// The shell lexer against bash itself: generated scripts (seeded) run in a sandboxed bash whose
// only command is a function printing its arguments and stdin; real runbook snippets are compared
// on syntax (`bash -n`) and on quote removal of their literal words (in a restricted bash).
#include <catch2/catch.hpp>

#include <filesystem>
#include <map>
#include <random>
#include <set>

#include "model/loader.hpp"
#include "model/process.hpp"
#include "model/shell_lexer.hpp"
#include "model/text.hpp"
#include "support.hpp"

namespace shell = opsbook::model::shell;
using opsbook::model::ProcessOptions;
using opsbook::model::run_process;

namespace {

// Writes scripts from a fixed seed. Every simple command is `p cN ...` (or `p hN ...` when it
// reads a heredoc or here-string); `p` is the only thing that can run.
class Generator {
 public:
  explicit Generator(unsigned seed) : m_rng(seed) {}

  struct Script {
    std::string text;
    std::vector<std::string> units;  // expected text of each top-level command
    std::set<std::string> ids;       // every command id written
  };

  Script script() {
    m_out = Script{};
    m_pending.clear();
    int statements = 1 + pick(4);
    for (int i = 0; i < statements; ++i) {
      if (pick(6) == 0) m_out.text += pick(2) == 0 ? "# a comment; with 'quotes\n" : "\n";
      std::string stmt = statement(0);
      m_out.text += stmt;
      std::string unit = stmt;
      if (pick(5) == 0) {
        m_out.text += "  # trailing ) comment";
        if (!m_pending.empty()) unit += "  # trailing ) comment";
      }
      if (!m_pending.empty()) unit += "\n" + m_pending.substr(0, m_pending.size() - 1);
      m_out.units.push_back(unit);
      newline(m_out.text);
    }
    return m_out;
  }

 private:
  int pick(int n) { return static_cast<int>(m_rng() % static_cast<unsigned>(n)); }
  char one_of(std::string_view chars) { return chars[static_cast<size_t>(pick(static_cast<int>(chars.size())))]; }

  // A newline token: pending heredoc bodies follow it.
  void newline(std::string& out) {
    out += '\n';
    out += m_pending;
    m_pending.clear();
  }

  std::string id(char kind) {
    std::string s = std::string(1, kind) + std::to_string(m_next++);
    m_out.ids.insert(s);
    return s;
  }

  // Parts are built in order (one statement each): heredoc bodies must follow in that order.
  std::string statement(int depth) {
    int choice = depth >= 3 ? 0 : pick(16);
    std::string s;
    switch (choice) {
      case 5: s = simple(depth) + " | "; return s + simple(depth);
      case 6: {  // one draw per statement: the order of operands of + is the compiler's choice
        const char* op = pick(2) == 0 ? " && " : " || ";
        s = simple(depth) + op;
        return s + simple(depth);
      }
      case 7: s = "{ " + list(depth + 1); return s + "; }";
      case 8: s = "( " + list(depth + 1); return s + " )";
      case 9:
        if (pick(2) == 0) {
          s = "if " + simple(depth);
          s += "; then " + list(depth + 1);
          return s + "; fi";
        }
        s = "if " + simple(depth);
        newline(s);
        s += "then";
        newline(s);
        s += "  " + list(depth + 1);
        newline(s);
        if (pick(2) == 0) {
          s += "else " + list(depth + 1);
          newline(s);
        }
        return s + "fi";
      case 10: s = "for v in x; do " + list(depth + 1); return s + "; done";
      case 11:
        s = "case x in x) " + list(depth + 1);
        s += ";; y|z) " + list(depth + 1);
        return s + ";; esac";
      case 12: {
        std::string name = "fn" + std::to_string(m_next++);
        s = name + "() { " + list(depth + 1);
        return s + "; }; " + name;
      }
      case 13:
        s = "until " + simple(depth);
        s += "; do " + list(depth + 1);
        return s + "; done";
      case 14: return "[[ -n \"a b\" && x == x ]] && " + simple(depth);
      case 15:  // in the background only at the top, where the final `wait` waits for it
        s = "(( 1 + 2 )) && " + simple(depth) + (depth == 0 ? " & " : "; ");
        return s + simple(depth);
      default: return simple(depth);
    }
  }

  std::string list(int depth) {
    std::string s = statement(depth);
    if (pick(3) == 0) {
      if (pick(2) == 0) {
        s += "; ";
      } else {
        newline(s);
      }
      s += statement(depth);
    }
    return s;
  }

  // Heredocs only where a newline can follow (not inside $(...)).
  std::string simple(int depth, bool nested = false) {
    std::string s;
    if (pick(6) == 0) s += "v=" + word(depth) + " ";
    int input = pick(7);  // 0: heredoc, 1: here-string
    if (nested && input == 0) input = 2;
    s += "p " + id(input <= 1 ? 'h' : 'c');
    int args = pick(4);
    for (int i = 0; i < args; ++i) {
      s += pick(8) == 0 ? "\\\n  " : " ";
      s += word(depth);
      if (pick(10) == 0) s += std::vector<std::string>{" 2>/dev/null", " >/dev/null", " 2>&1", " >&2"}[static_cast<size_t>(pick(4))];
    }
    if (input == 0) s += heredoc();
    if (input == 1) s += " <<< " + word(depth + 2);
    return s;
  }

  std::string heredoc() {
    static const std::vector<std::pair<std::string, std::string>> k_delims = {
        {"EOF", "EOF"}, {"'EOF'", "EOF"}, {"\"END\"", "END"}, {"\\EOF", "EOF"}, {"E'O'F", "EOF"}, {"SQL", "SQL"}};
    const auto& [written, delim] = k_delims[static_cast<size_t>(pick(static_cast<int>(k_delims.size())))];
    bool tabs = pick(3) == 0;
    bool quoted = written != delim;
    std::string body;
    int lines = pick(4);
    for (int i = 0; i < lines; ++i) {
      if (tabs) body += "\t";
      int parts = 1 + pick(5);
      for (int j = 0; j < parts; ++j) {
        int k = pick(10);
        if (k == 0 && !quoted) body += one_of("$`\\") == '\\' ? "\\\\" : (pick(2) == 0 ? "\\$x" : "\\`");
        else if (k == 1) body += "DROP TABLE t; ";
        else if (k == 2) body += " 'q' \"d\" ";
        else body += one_of("abc xyz;|&<>(){}#*!~'\"-=");
      }
      body += "\n";
    }
    m_pending += body + (tabs ? "\t\t" : "") + delim + "\n";
    return (tabs ? " <<-" : " <<") + written;
  }

  std::string word(int depth) {
    std::string w;
    int parts = 1 + pick(3);
    for (int i = 0; i < parts; ++i) w += part(depth, i == 0);
    return w;
  }

  std::string part(int depth, bool first) {
    static constexpr std::string_view k_plain = "abcxyz019._/-=+:,@%]^";
    static constexpr std::string_view k_special = " ;|&<>()$'\"\\#*?[]{}~!`\t";
    switch (pick(depth >= 2 ? 7 : 12)) {
      case 0: case 1: {
        std::string s;
        int n = 1 + pick(4);
        for (int i = 0; i < n; ++i) s += one_of(k_plain);
        return s;
      }
      case 2: return std::string("\\") + one_of(k_special);
      case 3: {
        std::string s = "'";
        int n = pick(6);
        for (int i = 0; i < n; ++i) s += pick(3) == 0 ? one_of(k_plain) : (pick(8) == 0 ? '\n' : one_of(" ;|&<>()$\"\\#*?{}~!`"));
        return s + "'";
      }
      case 4: {
        std::string s = "\"";
        int n = pick(6);
        for (int i = 0; i < n; ++i) {
          int k = pick(9);
          if (k == 0) s += std::string("\\") + one_of("\"\\$`a'");
          else if (k == 1) s += "\\\n";
          else if (k == 2) s += one_of("';|&<>()#*?{}~! ");
          else s += one_of(k_plain);
        }
        return s + "\"";
      }
      case 5: {
        static const std::vector<std::string> k_escapes = {"\\n", "\\t", "\\\\", "\\'", "\\\"", "\\x41", "\\101", "\\e", "\\q", "\\x7e", "\\cA"};
        std::string s = "$'";
        int n = pick(5);
        for (int i = 0; i < n; ++i) s += pick(2) == 0 ? k_escapes[static_cast<size_t>(pick(static_cast<int>(k_escapes.size())))] : std::string(1, one_of("ab \";|"));
        return s + "'";
      }
      case 6: return first ? "x\\\ny" : "\\\n";
      case 7: return "$\"loc " + std::string(1, one_of(k_plain)) + "\"";
      case 8: return "\"a $(" + simple(depth + 1, true) + ") b\"";
      case 9: return "$(" + simple(depth + 1, true) + ")";
      case 10: return pick(2) == 0 ? "${v:-\"x y\"}" : "`p " + id('c') + " x`";
      default: return pick(2) == 0 ? "$((1+(2)))" : "{a,b}";
    }
  }

  std::mt19937 m_rng;
  Script m_out;
  std::string m_pending;
  int m_next = 0;
};

// p writes its arguments and its stdin (for hN ids) as NUL-separated fields to the file rec.<id>
// (one file each: pipeline members run at once); nothing else can run (no PATH), and a missing
// command leaves a cnf file.
constexpr std::string_view k_preamble =
    "p() { local s=; if [[ $1 == h* ]]; then IFS= read -r -d '' s; fi; printf '%s\\0' \"$@\" \"$s\" > \"rec.$1\"; }\n"
    "command_not_found_handle() { : > cnf; return 127; }\n";

std::vector<std::string> sandbox_env(const std::filesystem::path& home) {
  return {"PATH=/nonexistent-opsbook-test", "HOME=" + home.string(), "LC_ALL=C"};
}

struct Record {
  std::vector<std::string> args;  // without "p"
  std::string input;
};

// Runs the script in a sandboxed bash; returns the records of the ids that ran.
std::map<std::string, Record> run_in_bash(const std::string& script, const opsbook::test::TempDir& dir) {
  for (const auto& entry : std::filesystem::directory_iterator(dir.path())) std::filesystem::remove(entry.path());
  opsbook::test::write_file(dir.path() / "script.sh", std::string(k_preamble) + script + "\nwait\n");
  std::vector<std::string> env = sandbox_env(dir.path());
  ProcessOptions options;
  options.env = &env;
  options.cwd = dir.path().string();
  options.limit = std::chrono::milliseconds(10000);
  auto result = run_process({"/bin/bash", "--norc", "--noprofile", "script.sh"}, options);
  INFO(result.err);
  REQUIRE(result.exit_code == 0);
  REQUIRE_FALSE(std::filesystem::exists(dir.path() / "cnf"));
  std::map<std::string, Record> records;
  for (const auto& entry : std::filesystem::directory_iterator(dir.path())) {
    std::string name = entry.path().filename().string();
    if (!name.starts_with("rec.")) continue;
    std::string out = opsbook::test::read_file(entry.path().string());
    std::vector<std::string> fields;
    for (size_t f = 0; f < out.size();) {
      size_t nul = out.find('\0', f);
      REQUIRE(nul != std::string::npos);
      fields.push_back(out.substr(f, nul - f));
      f = nul + 1;
    }
    REQUIRE(fields.size() >= 2);
    Record r;
    r.input = fields.back();
    r.args.assign(fields.begin() + 1, fields.end() - 1);
    records[fields[0]] = r;
  }
  return records;
}

bool bash_syntax_ok(const std::string& script, const opsbook::test::TempDir& dir) {
  opsbook::test::write_file(dir.path() / "check.sh", script);
  std::vector<std::string> env = sandbox_env(dir.path());
  ProcessOptions options;
  options.env = &env;
  options.cwd = dir.path().string();
  options.limit = std::chrono::milliseconds(10000);
  // bash -n prints errors in [[ ]] without failing: any message but a warning is an error.
  auto result = run_process({"/bin/bash", "--norc", "--noprofile", "-n", "check.sh"}, options);
  if (result.exit_code != 0) return false;
  for (std::string_view line : opsbook::model::split_lines(result.err)) {
    if (!line.empty() && line.find("warning: ") == std::string_view::npos) return false;
  }
  return true;
}

}  // namespace

TEST_CASE("shell lexer: generated scripts read as bash reads them", "[model][shell][bash]") {
  opsbook::test::TempDir dir;
  Generator gen(20240611);
  int compared_words = 0, compared_inputs = 0;
  for (int n = 0; n < 200; ++n) {
    Generator::Script g = gen.script();
    INFO("script:\n" << g.text);
    shell::Script s = shell::lex(g.text);
    REQUIRE(s.syntax_ok());
    // Units: one per top-level statement, with its heredoc bodies.
    REQUIRE(s.units().size() == g.units.size());
    for (size_t i = 0; i < g.units.size(); ++i) CHECK(std::string(s.raw(s.units()[i])) == g.units[i]);
    // Commands: every id, with bash's words and stdin.
    std::map<std::string, Record> ran = run_in_bash(g.text, dir);
    std::set<std::string> found;
    for (const auto& c : s.commands()) {
      auto args = s.args(c);
      REQUIRE(args.size() > c.assignments);
      std::string_view name = s.text(s.words()[args[c.assignments]]);
      if (name.starts_with("fn")) continue;  // calling a function defined in the script
      CHECK(name == "p");
      REQUIRE(args.size() >= c.assignments + 2);
      std::string id(s.text(s.words()[args[c.assignments + 1]]));
      found.insert(id);
      auto it = ran.find(id);
      if (it == ran.end()) continue;
      const Record& r = it->second;
      // Words up to the first that expands: after it, bash's fields no longer line up.
      size_t i = 0;
      for (; i < r.args.size() && c.assignments + 2 + i < args.size(); ++i) {
        const shell::Word& w = s.words()[args[c.assignments + 2 + i]];
        if (!w.literal()) break;
        CHECK(std::string(s.text(w)) == r.args[i]);
        ++compared_words;
      }
      if (c.assignments + 2 + i == args.size()) CHECK(r.args.size() == i);
      for (auto ri : s.redirects(c)) {
        const shell::Redirect& rd = s.all_redirects()[ri];
        if (rd.heredoc >= 0) {
          bool complete = false;
          std::string text = s.heredoc_text(s.heredocs()[static_cast<size_t>(rd.heredoc)], &complete);
          if (complete) {
            CHECK(text == r.input);
            ++compared_inputs;
          }
        } else if (rd.op == shell::RedirectOp::herestring && s.words()[static_cast<size_t>(rd.target)].literal()) {
          CHECK(std::string(s.text(s.words()[static_cast<size_t>(rd.target)])) + "\n" == r.input);
          ++compared_inputs;
        }
      }
    }
    CHECK(found == g.ids);
  }
  CHECK(compared_words > 1000);
  CHECK(compared_inputs > 50);
}

TEST_CASE("shell lexer: syntax errors agree with bash -n on damaged scripts", "[model][shell][bash]") {
  opsbook::test::TempDir dir;
  Generator gen(7);
  std::mt19937 rng(99);
  int errors = 0;
  for (int n = 0; n < 400; ++n) {
    std::string text = gen.script().text;
    size_t at = rng() % (text.size() + 1);
    switch (rng() % 3) {
      case 0: text.erase(at, 1); break;
      case 1: text.insert(at, 1, "'\"`$(){};|&<>\n"[rng() % 14]); break;
      default: text.resize(at); break;
    }
    INFO("script:\n" << text);
    bool bash_ok = bash_syntax_ok(text, dir);
    CHECK(shell::lex(text).syntax_ok() == bash_ok);
    errors += bash_ok ? 0 : 1;
  }
  CHECK(errors > 40);
}

namespace {

// The fenced shell snippets of the samples and of every fourth corpus runbook (sorted by path).
std::vector<std::string> real_snippets() {
  std::vector<std::string> files;
  for (std::string dir : {opsbook::test::samples_dir(), opsbook::test::shared_dir() + "/corpus"}) {
    for (const auto& entry : std::filesystem::recursive_directory_iterator(dir)) {
      if (entry.path().extension() == ".md" && entry.path().filename() != "README.md") files.push_back(entry.path().string());
    }
  }
  std::sort(files.begin(), files.end());
  std::vector<std::string> out;
  for (size_t i = 0; i < files.size(); ++i) {
    bool sample = files[i].find("/samples/") != std::string::npos;
    if (!sample && i % 4 != 0) continue;
    auto rb = opsbook::test::parse(opsbook::test::read_file(files[i]), files[i]);
    for (const auto& s : rb.snippets) {
      if (s.kind == opsbook::model::SnippetKind::shell && !s.is_inline) out.push_back(s.code);
    }
  }
  return out;
}

}  // namespace

TEST_CASE("shell lexer: real runbook snippets read as bash reads them", "[model][shell][bash]") {
  opsbook::test::TempDir dir;
  std::vector<std::string> snippets = real_snippets();
  REQUIRE(snippets.size() > 150);
  // Words of commands whose words are all literal, printed by a restricted bash that cannot run
  // anything but builtins (and no raw word holds $ or a backtick, whatever the lexer says).
  std::string script = "enable -n kill ulimit umask exec\nset -r\n";
  std::vector<std::vector<std::string>> expected;
  int syntax_errors = 0;
  for (const std::string& code : snippets) {
    INFO("snippet:\n" << code);
    shell::Script s = shell::lex(code);
    bool bash_ok = bash_syntax_ok(code, dir);
    CHECK(s.syntax_ok() == bash_ok);
    if (!bash_ok) {
      ++syntax_errors;
      continue;
    }
    for (const auto& c : s.commands()) {
      auto args = s.args(c);
      std::vector<std::string> words;
      std::string line = "printf '%s\\0'";
      bool usable = !args.empty();
      for (auto a : args) {
        const shell::Word& w = s.words()[a];
        std::string_view raw = s.raw(w);
        usable = usable && w.literal() && raw.find_first_of("$`") == std::string_view::npos && !raw.ends_with('\\');
        line += ' ';
        line += raw;
        words.emplace_back(s.text(w));
      }
      if (!usable) continue;
      script += line + "\nprintf '\\377R\\377\\0'\n";
      expected.push_back(words);
    }
  }
  CHECK(syntax_errors < static_cast<int>(snippets.size()) / 4);
  REQUIRE(expected.size() > 300);
  opsbook::test::write_file(dir.path() / "words.sh", script);
  std::vector<std::string> env = sandbox_env(dir.path());
  ProcessOptions options;
  options.env = &env;
  options.cwd = dir.path().string();
  auto result = run_process({"/bin/bash", "--norc", "--noprofile", "words.sh"}, options);
  INFO(result.err);
  REQUIRE(result.exit_code == 0);
  size_t pos = 0;
  for (const auto& words : expected) {
    std::vector<std::string> got;
    for (;;) {
      size_t nul = result.out.find('\0', pos);
      REQUIRE(nul != std::string::npos);
      std::string field = result.out.substr(pos, nul - pos);
      pos = nul + 1;
      if (field == "\377R\377") break;
      got.push_back(field);
    }
    CHECK(got == words);
  }
}
