// Parsing the embedded safety table and finding the most specific row for a command.
#include "safety_table.hpp"

#include <algorithm>
#include <optional>

#include "text.hpp"

namespace opsbook::model {

extern const std::string_view k_safety_table_text;  // generated from safety_table.txt

namespace {

std::vector<std::string> split(std::string_view s, char sep) {
  std::vector<std::string> out;
  size_t start = 0;
  for (size_t i = 0; i <= s.size(); ++i) {
    if (i == s.size() || s[i] == sep) {
      std::string_view part = trim(s.substr(start, i - start));
      if (!part.empty()) out.emplace_back(part);
      start = i + 1;
    }
  }
  return out;
}

std::vector<std::string_view> fields(std::string_view line) {
  std::vector<std::string_view> out;
  size_t start = 0, at = 0;
  while ((at = line.find(" | ", start)) != std::string_view::npos) {
    out.push_back(trim(line.substr(start, at - start)));
    start = at + 3;
  }
  out.push_back(trim(line.substr(start)));
  return out;
}

bool parse_level(std::string_view s, Safety& out) { return parse_safety(s, out); }

bool has_flag(std::string_view flag, Argv argv, std::string_view input);

// "-d&-f": every one of the options (git branch --delete --force is -D).
bool has_flags(std::string_view flags, Argv argv, std::string_view input) {
  for (size_t start = 0;;) {
    size_t amp = flags.find('&', start);
    std::string_view one = flags.substr(start, amp - start);
    if (!one.empty() && !has_flag(one, argv, input)) return false;
    if (amp == std::string_view::npos) return true;
    start = amp + 1;
  }
}

// Option values as the tool reads them: numbers by value (00 and +0 are 0). A count of zero in a
// pattern (--replicas=0) matches every value that is not a plain positive decimal: kubectl reads
// counts with Go's ParseInt base 0 (0x0, 0b0, 0o0, 0_0, -0 are zero), and a value opsbook cannot
// read ($N, an empty one) may be zero.
bool same_value(std::string_view a, std::string_view b) {
  auto number = [](std::string_view v) -> std::optional<std::string_view> {
    if (v.starts_with('+')) v.remove_prefix(1);
    if (v.empty() || !std::all_of(v.begin(), v.end(), [](char c) { return c >= '0' && c <= '9'; })) return std::nullopt;
    while (v.size() > 1 && v[0] == '0') v.remove_prefix(1);
    return v;
  };
  auto na = number(a), nb = number(b);
  if (nb && *nb == "0") return !na || *na == "0";
  return na && nb ? *na == *nb : a == b;
}

// -x also matches a cluster like -rx; --opt also --opt=v; of= any of=...; --n=0 also "--n 0";
// ~GLOB any argument; <FILE the standard input read from FILE.
bool has_flag(std::string_view flag, Argv argv, std::string_view input) {
  if (flag.starts_with('<')) return !input.empty() && flag.substr(1) == input;
  if (flag.starts_with('~')) return std::any_of(argv.begin() + (argv.empty() ? 0 : 1), argv.end(), [&](std::string_view w) { return value_match(flag.substr(1), w); });
  // getopt_long takes a unique prefix of a long option: --outp=F is --output=F, --har is --hard.
  auto abbreviates = [](std::string_view word, std::string_view full) {
    return word.size() > 2 && word.size() < full.size() && word.starts_with("--") && full.starts_with(word);
  };
  for (size_t i = 1; i < argv.size(); ++i) {
    std::string_view w = argv[i];
    if (w == "--") return flag == "--";  // options end here; `git checkout -- .` has the flag --
    if (w == flag) return true;
    std::string_view name = w.substr(0, w.find('='));
    if (flag.find('=') == std::string_view::npos && abbreviates(name, flag)) return true;
    if (flag.ends_with('=') && name != w && abbreviates(name, flag.substr(0, flag.size() - 1))) return true;
    if (flag.ends_with('=')) {
      if (w.starts_with(flag)) return true;
      continue;
    }
    if (size_t eq = flag.find('='); eq != std::string_view::npos) {
      std::string_view value = flag.substr(eq + 1);
      if (w.starts_with(flag.substr(0, eq + 1)) && value_match(value, w.substr(eq + 1))) return true;
      if (w == flag.substr(0, eq) && i + 1 < argv.size() && value_match(value, argv[i + 1])) return true;
      continue;
    }
    if (flag.size() > 2 && w.size() > flag.size() && w.starts_with(flag) && w[flag.size()] == '=') return true;
    if (flag.size() == 2 && flag[0] == '-' && flag[1] != '-' && w.size() > 2 && w[0] == '-' && w[1] != '-') {
      for (size_t k = 1; k < w.size(); ++k) {  // -4DF holds -D: digits are options too (ss -4)
        char c = w[k];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))) break;
        if (c == flag[1]) return true;
      }
    }
  }
  return false;
}

int alternative_weight(const std::vector<std::string>& alts) {
  if (alts.size() == 1 && alts[0] == "**") return 0;
  if (alts.size() == 1 && alts[0] == "*") return 2;
  for (const auto& a : alts) {
    if (a.find('*') != std::string::npos) return 6;
  }
  return 10;
}

}  // namespace

std::string tool_key(std::string_view tool) {
  std::string key = to_lower(program_name(tool));
  if (key.size() > 4 && key.ends_with(".exe")) key.resize(key.size() - 4);
  return key;
}

bool value_match(std::string_view pattern, std::string_view text) {
  if (pattern.find('*') == std::string_view::npos) return same_value(text, pattern);
  size_t pe = pattern.rfind('='), te = text.rfind('=');
  if (pe != std::string_view::npos && te != std::string_view::npos && pattern.find('*', pe) == std::string_view::npos) {
    return glob_match(pattern.substr(0, pe), text.substr(0, te)) && same_value(text.substr(te + 1), pattern.substr(pe + 1));
  }
  return glob_match(pattern, text);
}

bool glob_match(std::string_view pattern, std::string_view text) {
  // Iterative matcher for `*` only: linear in practice for the table's short patterns.
  size_t p = 0, t = 0, star = std::string_view::npos, mark = 0;
  auto lower = [](char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; };
  while (t < text.size()) {
    if (p < pattern.size() && pattern[p] == '*') {
      star = p++;
      mark = t;
    } else if (p < pattern.size() && lower(pattern[p]) == lower(text[t])) {
      ++p;
      ++t;
    } else if (star != std::string_view::npos) {
      p = star + 1;
      t = ++mark;
    } else {
      return false;
    }
  }
  while (p < pattern.size() && pattern[p] == '*') ++p;
  return p == pattern.size();
}

const SafetyTable& SafetyTable::builtin() {
  static const SafetyTable k_table(k_safety_table_text);
  return k_table;
}

SafetyTable::SafetyTable(std::string_view text) {
  int number = 0;
  for (std::string_view line : split_lines(text)) {
    ++number;
    std::string_view t = trim(line);
    if (t.empty() || t[0] == '#') continue;
    if (t.starts_with("@options ")) parse_options(t, number);
    else if (t.starts_with("@globals ")) parse_globals(t, number);
    else parse_line(t, number);
  }
  for (auto& rule : m_rules) {
    for (auto& tool : rule.tools) tool = to_lower(tool);
  }
  for (size_t i = 0; i < m_rules.size(); ++i) {
    for (const auto& tool : m_rules[i].tools) {
      size_t star = tool.find('*');
      if (star == std::string::npos) m_by_tool[tool].push_back(i);
      else if (star + 1 == tool.size()) {
        m_by_prefix[std::string_view(tool).substr(0, star)].push_back(i);
        m_longest_prefix = std::max(m_longest_prefix, star);
      }
      else m_errors.push_back("line " + std::to_string(m_rules[i].line) + ": a tool pattern may only end in *");
    }
  }
}

void SafetyTable::parse_options(std::string_view line, int number) {
  std::vector<std::string> w = split_words(line.substr(9));
  if (w.empty()) {
    m_errors.push_back("line " + std::to_string(number) + ": @options without a tool");
    return;
  }
  for (const auto& tool : split(w[0], ',')) {
    auto& list = m_valued[to_lower(tool)];
    list.insert(list.end(), w.begin() + 1, w.end());
  }
}

// @globals TOOL [SUBCOMMAND][,TOOL [SUBCOMMAND]...] | OPTIONS WITH A VALUE | FLAGS
void SafetyTable::parse_globals(std::string_view line, int number) {
  std::vector<std::string_view> f = fields(line.substr(9));
  if (f.size() != 3 || f[0].empty()) {
    m_errors.push_back("line " + std::to_string(number) + ": expected @globals TOOL [SUBCOMMAND] | VALUED | FLAGS");
    return;
  }
  for (const auto& key : split(f[0], ',')) {
    std::vector<std::string> words = split_words(key);
    std::string name = to_lower(words[0]);
    for (size_t i = 1; i < words.size(); ++i) name += " " + words[i];  // docker compose exec
    GlobalOptions& g = m_globals[name];
    g.valued = split_words(f[1]);
    g.flags = split_words(f[2]);
  }
}

void SafetyTable::parse_line(std::string_view line, int number) {
  auto bad = [&](const std::string& why) { m_errors.push_back("line " + std::to_string(number) + ": " + why); };
  std::vector<std::string_view> f = fields(line);
  if (f.size() != 4) return bad("expected PATTERN | CLASS | REASON | EXAMPLE");
  SafetyRule r;
  r.line = number;
  r.reason = std::string(f[2]);
  std::vector<std::string> pattern = split_words(f[0]);
  if (pattern.empty()) return bad("no tool");
  r.tools = split(pattern[0], ',');
  for (size_t i = 1; i < pattern.size(); ++i) {
    if (pattern[i][0] == '+') {
      for (auto& flag : split(std::string_view(pattern[i]).substr(1), ',')) r.flags.push_back(flag);
      r.specificity += 5;
    } else {
      if (!r.flags.empty()) return bad("subcommand words go before +flags");
      if (pattern[i].starts_with("\\+")) pattern[i].erase(0, 1);  // \+* : a word that starts with +
      r.path.push_back(split(pattern[i], ','));
      r.specificity += alternative_weight(r.path.back());
    }
  }
  std::vector<std::string> cls = split_words(f[1]);
  if (cls.empty()) return bad("no class");
  Safety level = Safety::read_only;
  if (cls[0] == "interactive") {
    r.cls = RuleClass::interactive;
  } else if (cls[0] == "floor" && cls.size() == 2) {
    r.cls = RuleClass::floor;
    if (!parse_level(cls[1], r.floor) || r.floor == Safety::read_only) return bad("a floor is mutating or destructive");
    level = r.floor;
  } else if (cls[0] == "by-verb") {
    r.cls = RuleClass::by_verb;
  } else if (cls[0] == "wrapper" && cls.size() >= 2) {
    r.cls = RuleClass::wrapper;
    size_t next = 2;
    if (cls[1] == "argv" || cls[1] == "string") {
      r.wrapper = cls[1] == "argv" ? WrapperKind::argv : WrapperKind::string;
      if (cls.size() < 3 || cls[2].empty() || !std::all_of(cls[2].begin(), cls[2].end(), [](char c) { return c >= '0' && c <= '9'; })) return bad("wrapper argv|string needs a count");
      r.skip = std::stoi(cls[2]);
      next = 3;
    } else if (cls[1] == "after" && cls.size() >= 3) {
      r.wrapper = WrapperKind::after;
      r.options = split(cls[2], ',');
      next = 3;
    } else if (cls[1] == "dashdash") {
      r.wrapper = WrapperKind::dashdash;
    } else {
      return bad("unknown wrapper kind " + cls[1]);
    }
    if (cls.size() > next && !parse_level(cls[next], r.floor)) return bad("unknown floor " + cls[next]);
  } else if (cls[0] == "consumer" && cls.size() >= 2) {
    r.cls = RuleClass::consumer;
    if (cls[1] == "sql") r.consumer = ConsumerKind::sql;
    else if (cls[1] == "redis") r.consumer = ConsumerKind::redis;
    else if (cls[1] == "shell") r.consumer = ConsumerKind::shell;
    else if (cls[1] == "http") r.consumer = ConsumerKind::http;
    else if (cls[1] == "awk") r.consumer = ConsumerKind::awk;
    else if (cls[1] == "sed") r.consumer = ConsumerKind::sed;
    else if (cls[1] == "mongo") r.consumer = ConsumerKind::mongo;
    else if (cls[1] == "ruby") r.consumer = ConsumerKind::ruby;
    else return bad("unknown consumer kind " + cls[1]);
    if (cls.size() > 2) r.options = split(cls[2], ',');
    if (cls.size() > 3) r.file_options = split(cls[3], ',');
  } else if (parse_level(cls[0], level) && cls.size() == 1) {
    r.cls = level == Safety::read_only ? RuleClass::read_only : level == Safety::mutating ? RuleClass::mutating : RuleClass::destructive;
  } else {
    return bad("unknown class " + std::string(f[1]));
  }
  // EXAMPLE [=> EXPECTED]
  std::string_view example = f[3];
  r.expected = level;
  r.expected_interactive = r.cls == RuleClass::interactive;
  if (size_t arrow = example.find(" => "); arrow != std::string_view::npos) {
    std::string_view expected = trim(example.substr(arrow + 4));
    if (expected == "interactive") r.expected_interactive = true;
    else if (!parse_level(expected, r.expected)) return bad("unknown expected class " + std::string(expected));
    example = trim(example.substr(0, arrow));
  } else if (r.cls == RuleClass::wrapper || r.cls == RuleClass::consumer || r.cls == RuleClass::by_verb) {
    return bad("a wrapper, consumer or by-verb example needs => EXPECTED");
  }
  if (example.empty()) return bad("no example");
  r.example = std::string(example);
  m_rules.push_back(std::move(r));
}

std::string_view SafetyTable::matched_flag(const SafetyRule& rule, Argv argv) const {
  for (const auto& f : rule.flags) {
    if (has_flags(f, argv, {})) return f;
  }
  return {};
}

bool SafetyTable::takes_value(std::string_view tool, std::string_view option) const {
  auto it = m_valued.find(tool_key(tool));
  if (it == m_valued.end()) return false;
  return std::find(it->second.begin(), it->second.end(), option) != it->second.end();
}

bool SafetyTable::knows_tool(std::string_view tool) const {
  return !tool.empty() && to_lower(tool) == tool && m_by_tool.contains(std::string(tool));
}

namespace {

// Whether the option word `w` takes the next word as its value, given the tool's options that take
// one: a listed option (-n ns, --namespace ns), a cluster of short options ending in a listed one
// (docker -Dl info: -D, then -l info), or a prefix of a listed long option (docker-compose
// --profil ps: getopt_long and docopt accept any unambiguous prefix).
bool takes_next_word(std::string_view w, const std::vector<std::string>& valued) {
  if (w.find('=') != std::string_view::npos) return false;
  auto listed = [&](std::string_view o) { return std::find(valued.begin(), valued.end(), o) != valued.end(); };
  if (listed(w)) return true;
  if (w.starts_with("--")) {
    return w.size() > 3 && std::any_of(valued.begin(), valued.end(), [&](const std::string& o) { return o.starts_with("--") && o.starts_with(w); });
  }
  for (size_t k = 1; k < w.size(); ++k) {  // the first listed letter takes the rest of the word, or the next word
    if (listed(std::string{'-', w[k]})) return k + 1 == w.size();
  }
  return false;
}

// One option word before the subcommand as a tool with @globals reads it (pflag, docopt): an
// exact name first (docker-compose --tls is a flag, not --tlscacert), then an abbreviation of
// exactly one long option; a cluster letter by letter (-Dl info: -D, then -l info).
enum class GlobalRead { alone, takes_next, unread };

GlobalRead read_global(std::string_view w, const GlobalOptions& g) {
  auto in = [](const std::vector<std::string>& list, std::string_view o) { return std::find(list.begin(), list.end(), o) != list.end(); };
  if (!w.starts_with("--")) {  // a single-dash word named whole: screen -ls, -Logfile F; valgrind-style -x=y
    std::string_view name = w.substr(0, w.find('='));
    if (name.size() > 2 && in(g.valued, name)) return name == w ? GlobalRead::takes_next : GlobalRead::alone;
    if (name.size() > 2 && in(g.flags, name)) return GlobalRead::alone;
  }
  if (w.starts_with("--")) {
    size_t eq = w.find('=');
    std::string_view name = w.substr(0, eq);
    bool valued = in(g.valued, name);
    if (!valued && !in(g.flags, name)) {
      const std::string* only = nullptr;
      for (const auto* list : {&g.valued, &g.flags}) {
        for (const auto& o : *list) {
          if (!o.starts_with("--") || !o.starts_with(name)) continue;
          if (only != nullptr) return GlobalRead::unread;  // --tlsc: --tlscacert or --tlscert
          only = &o;
        }
      }
      if (only == nullptr) return GlobalRead::unread;
      valued = in(g.valued, *only);
    }
    return valued && eq == std::string_view::npos ? GlobalRead::takes_next : GlobalRead::alone;
  }
  for (size_t k = 1; k < w.size(); ++k) {
    std::string letter{'-', w[k]};
    if (in(g.valued, letter)) return k + 1 == w.size() ? GlobalRead::takes_next : GlobalRead::alone;  // -l info, -linfo
    if (!in(g.flags, letter)) return GlobalRead::unread;
    if (k + 1 < w.size() && w[k + 1] == '=') return GlobalRead::alone;  // -D=true
  }
  return GlobalRead::alone;
}

}  // namespace

const GlobalOptions* SafetyTable::globals(const std::string& key) const {
  auto it = m_globals.find(key);
  return it == m_globals.end() ? nullptr : &it->second;
}

std::vector<size_t> SafetyTable::positionals(Argv argv) const { return scan(argv, nullptr); }

std::string_view SafetyTable::unread_option(Argv argv) const {
  std::string_view unread;
  scan(argv, &unread);
  return unread;
}

std::vector<size_t> SafetyTable::scan(Argv argv, std::string_view* unread) const {
  std::vector<size_t> out;
  if (argv.empty()) return out;
  std::string tool = tool_key(argv[0]);
  auto it = m_valued.find(tool);
  const std::vector<std::string>* valued = it == m_valued.end() ? nullptr : &it->second;
  const GlobalOptions* global = globals(tool);  // the options read before the (next) subcommand word
  std::string key = tool;
  for (size_t i = 1; i < argv.size(); ++i) {
    std::string_view w = argv[i];
    if (w == "--") break;
    if (w.size() > 1 && w[0] == '-') {
      if (global != nullptr) {
        GlobalRead r = read_global(w, *global);
        if (r == GlobalRead::takes_next) ++i;
        if (r == GlobalRead::unread && unread != nullptr && unread->empty()) *unread = w;
        continue;
      }
      // Without @globals, clusters and prefixes are read before the subcommand too; after it the
      // list is the tool's, not the subcommand's (docker -t: a value of build, a flag of exec).
      bool listed = valued != nullptr && w.find('=') == std::string_view::npos && std::find(valued->begin(), valued->end(), w) != valued->end();
      if (listed || (valued != nullptr && out.empty() && takes_next_word(w, *valued))) ++i;
      continue;
    }
    out.push_back(i);
    key += " " + std::string(w);
    global = out.size() <= 3 ? globals(key) : nullptr;  // docker compose -p x, docker compose exec -T db
  }
  return out;
}

std::string_view SafetyTable::unlisted_wrapper_option(const SafetyRule& rule, Argv argv) const {
  if (argv.empty() || rule.cls != RuleClass::wrapper || (rule.wrapper != WrapperKind::argv && rule.wrapper != WrapperKind::string)) return {};
  std::vector<size_t> pos = positionals(argv);
  size_t fixed = static_cast<size_t>(std::count_if(rule.path.begin(), rule.path.end(), [](const auto& alts) { return !(alts.size() == 1 && alts[0] == "*"); }));
  std::string key = tool_key(argv[0]);
  for (size_t k = 0; k < fixed && k < pos.size(); ++k) key += " " + std::string(argv[pos[k]]);
  if (globals(key) != nullptr) return {};  // its options are listed: scan() reports the unread ones
  size_t end = std::min(wrapped_start(rule, argv), argv.size());
  for (size_t i = fixed == 0 ? 1 : (fixed <= pos.size() ? pos[fixed - 1] + 1 : end); i < end; ++i) {
    std::string_view w = argv[i];
    if (w == "--") break;
    if (w.size() > 1 && w[0] == '-') return w;
  }
  return {};
}

size_t SafetyTable::wrapped_start(const SafetyRule& rule, Argv argv) const {
  size_t start = argv.size();
  if (rule.wrapper == WrapperKind::dashdash) {
    auto dd = std::find(argv.begin(), argv.end(), std::string_view("--"));
    if (dd != argv.end()) return static_cast<size_t>(dd - argv.begin()) + 1;
  }
  std::vector<size_t> pos = positionals(argv);
  size_t fixed = static_cast<size_t>(std::count_if(rule.path.begin(), rule.path.end(), [](const auto& alts) { return !(alts.size() == 1 && alts[0] == "*"); }));
  size_t k = fixed + static_cast<size_t>(rule.wrapper == WrapperKind::dashdash ? 1 : rule.skip);
  if (k < pos.size()) {
    start = pos[k];
  } else if (auto dd = std::find(argv.begin(), argv.end(), std::string_view("--")); dd != argv.end()) {  // sudo -- cmd: words after -- count too
    start = std::min(argv.size(), static_cast<size_t>(dd - argv.begin()) + 1 + (k - pos.size()));
  }
  // env A=1 cmd; in a string wrapper (eval 'x=1; ...') the assignments are part of the script.
  while (rule.wrapper != WrapperKind::string && start < argv.size() && argv[start].find('=') != std::string_view::npos && is_ident_start(argv[start][0])) ++start;
  return start;
}

size_t SafetyTable::unwrap(Argv argv) const {
  size_t at = 0;
  for (int depth = 0; depth < 8 && at < argv.size(); ++depth) {
    const SafetyRule* rule = match(argv.subspan(at));
    if (rule == nullptr || rule->cls != RuleClass::wrapper || rule->wrapper != WrapperKind::argv || !rule->path.empty()) break;
    size_t start = wrapped_start(*rule, argv.subspan(at));
    if (start >= argv.size() - at) break;
    at += start;
  }
  return at;
}

namespace {

// Pattern positions [p, end) against positional words [k, end); `**` takes any number.
bool match_path(const std::vector<std::vector<std::string>>& path, size_t p, Argv argv, const std::vector<size_t>& pos, size_t k) {
  if (p == path.size()) return true;
  const auto& alts = path[p];
  if (alts.size() == 1 && alts[0] == "**") {
    for (size_t skip = k; skip <= pos.size() && skip < k + 8; ++skip) {
      if (match_path(path, p + 1, argv, pos, skip)) return true;
    }
    return false;
  }
  if (k >= pos.size()) return false;
  std::string_view w = argv[pos[k]];
  for (const auto& a : alts) {
    if (a == "*" || (a.find('=') != std::string::npos ? value_match(a, w) : glob_match(a, w))) return match_path(path, p + 1, argv, pos, k + 1);
  }
  return false;
}

// The same with positional words [k, end) that may stop early: the words after them are not
// known, so they may be what the rest of the pattern asks for.
bool path_agrees(const std::vector<std::vector<std::string>>& path, size_t p, Argv argv, const std::vector<size_t>& pos, size_t k) {
  if (p == path.size() || k >= pos.size()) return true;
  const auto& alts = path[p];
  if (alts.size() == 1 && alts[0] == "**") return true;
  std::string_view w = argv[pos[k]];
  for (const auto& a : alts) {
    if (a == "*" || (a.find('=') != std::string::npos ? value_match(a, w) : glob_match(a, w))) return path_agrees(path, p + 1, argv, pos, k + 1);
  }
  return false;
}

}  // namespace

std::vector<const SafetyRule*> SafetyTable::forms(Argv argv, size_t at) const {
  std::vector<const SafetyRule*> out;
  if (argv.empty()) return out;
  auto it = m_by_tool.find(tool_key(argv[0]));
  if (it == m_by_tool.end()) return out;
  std::vector<size_t> pos = positionals(argv);
  std::erase_if(pos, [&](size_t p) { return p >= at; });
  for (size_t i : it->second) {
    if (path_agrees(m_rules[i].path, 0, argv, pos, 0)) out.push_back(&m_rules[i]);
  }
  return out;
}

bool SafetyTable::matches(const SafetyRule& rule, Argv argv, const std::vector<size_t>& pos, std::string_view input) const {
  if (!match_path(rule.path, 0, argv, pos, 0)) return false;
  if (rule.flags.empty()) return true;
  return std::any_of(rule.flags.begin(), rule.flags.end(), [&](const std::string& f) { return has_flags(f, argv, input); });
}

const SafetyRule* SafetyTable::match(Argv argv) const {
  if (argv.empty()) return nullptr;
  std::string tool = tool_key(argv[0]);
  std::vector<size_t> pos = positionals(argv);
  const SafetyRule* best = nullptr;
  int best_score = -1;
  auto consider = [&](size_t i, int tool_score) {  // a tool named exactly beats a Verb-* prefix
    const SafetyRule& r = m_rules[i];
    if (r.cls == RuleClass::floor) return;
    int score = tool_score + r.specificity;
    if ((score > best_score || (score == best_score && r.line < best->line)) && matches(r, argv, pos, {})) {
      best = &r;
      best_score = score;
    }
  };
  if (auto it = m_by_tool.find(tool); it != m_by_tool.end()) {
    for (size_t i : it->second) consider(i, 100);
  }
  if (!m_by_prefix.empty()) {
    for (size_t n = 1; n <= std::min(tool.size(), m_longest_prefix); ++n) {  // "Get-*" is keyed by "get-"
      if (auto it = m_by_prefix.find(std::string_view(tool).substr(0, n)); it != m_by_prefix.end()) {
        for (size_t i : it->second) consider(i, 50);
      }
    }
  }
  return best;
}

const SafetyRule* SafetyTable::floor(Argv argv, std::string_view input) const {
  if (argv.empty()) return nullptr;
  auto it = m_by_tool.find(tool_key(argv[0]));
  if (it == m_by_tool.end()) return nullptr;
  std::vector<size_t> pos = positionals(argv);
  const SafetyRule* worst = nullptr;
  for (size_t i : it->second) {
    const SafetyRule& r = m_rules[i];
    if (r.cls != RuleClass::floor || !matches(r, argv, pos, input)) continue;
    if (worst == nullptr || static_cast<int>(r.floor) > static_cast<int>(worst->floor)) worst = &r;
  }
  return worst;
}

}  // namespace opsbook::model
