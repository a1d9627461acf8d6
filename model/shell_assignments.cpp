// Assignments of a bash script, from the shell lexer's words and spans: plain NAME=value words,
// the builtins that set names, and every place bash evaluates arithmetic.
#include "shell_assignments.hpp"

#include <algorithm>
#include <set>
#include <string_view>

#include "safety.hpp"
#include "text.hpp"

namespace opsbook::model {

namespace {

using shell::Script;
using shell::SpanKind;

constexpr std::string_view k_declares[] = {"declare", "typeset", "local", "readonly", "export"};

bool one_of(std::string_view word, std::span<const std::string_view> list) { return std::find(list.begin(), list.end(), word) != list.end(); }

// The leading identifier of a word (NAME of NAME=x, NAME[i]=x, NAME+=x), or "".
std::string_view leading_name(std::string_view word) {
  size_t end = 0;
  while (end < word.size() && is_ident_char(word[end])) ++end;
  return end > 0 && is_ident_start(word[0]) ? word.substr(0, end) : std::string_view{};
}

// The subscript of NAME[SUB]... ("" when there is none).
std::string_view subscript_of(std::string_view word) {
  std::string_view name = leading_name(word);
  if (name.empty() || name.size() >= word.size() || word[name.size()] != '[') return {};
  size_t close = word.find(']', name.size());
  return word.substr(name.size() + 1, close == std::string_view::npos ? std::string_view::npos : close - name.size() - 1);
}

// Arithmetic text: identifiers it assigns (X=0, X+=1, X++, --X, a[i]=1) and reads.
class ArithmeticScan {
 public:
  ArithmeticScan(std::vector<Assignment>* assigned, std::vector<std::string>* reads) : m_assigned(assigned), m_reads(reads) {}

  void scan(std::string_view t, std::string_view how) {
    for (size_t i = 0; i < t.size();) {
      bool dollar = i > 0 && t[i - 1] == '$';
      bool number = i > 0 && (std::isalnum(static_cast<unsigned char>(t[i - 1])) != 0 || t[i - 1] == '#' || t[i - 1] == '_');
      if (!is_ident_start(t[i]) || number) {
        ++i;
        continue;
      }
      size_t end = i;
      while (end < t.size() && is_ident_char(t[end])) ++end;
      std::string name(t.substr(i, end - i));
      if (m_reads != nullptr) m_reads->push_back(name);
      size_t after = end;
      if (after < t.size() && t[after] == '[') {  // a[i] = 1: the subscript is arithmetic too, scanned on
        int depth = 0;
        for (; after < t.size(); ++after) {
          depth += t[after] == '[' ? 1 : t[after] == ']' ? -1 : 0;
          if (depth == 0) break;
        }
        ++after;
      }
      if (assigns(t, i, after) && m_assigned != nullptr) {
        if (dollar) m_assigned->push_back(Assignment{"", AssignKind::dynamic_name, "$" + name, std::string(how), {}});
        else m_assigned->push_back(Assignment{name, AssignKind::arithmetic, "", std::string(how), {}});
      }
      i = end;
    }
  }

 private:
  // = (not ==), op= and ++/-- after the name (and its subscript), ++/-- before it.
  static bool assigns(std::string_view t, size_t begin, size_t after) {
    size_t p = after;
    while (p < t.size() && (t[p] == ' ' || t[p] == '\t' || t[p] == '\n')) ++p;
    std::string_view rest = t.substr(std::min(p, t.size()));
    if (rest.starts_with("++") || rest.starts_with("--")) return true;
    if (rest.starts_with('=') && !rest.starts_with("==")) return true;
    for (std::string_view op : {"+=", "-=", "*=", "/=", "%=", "&=", "^=", "|=", "<<=", ">>="}) {
      if (rest.starts_with(op)) return true;
    }
    size_t q = begin;
    if (q > 0 && t[q - 1] == '$') --q;
    while (q > 0 && (t[q - 1] == ' ' || t[q - 1] == '\t' || t[q - 1] == '\n')) --q;
    std::string_view before = t.substr(0, q);
    return before.ends_with("++") || before.ends_with("--");
  }

  std::vector<Assignment>* m_assigned;
  std::vector<std::string>* m_reads;
};

// The text of an arithmetic span with what it nests that is not arithmetic (a $(...), quotes)
// blanked out.
std::string arithmetic_text(const Script& s, size_t index) {
  const shell::Span& sp = s.spans()[index];
  std::string out(s.source().substr(sp.begin, sp.end - sp.begin));
  for (size_t k = index + 1; k < s.spans().size() && s.spans()[k].begin < sp.end; ++k) {
    const shell::Span& inner = s.spans()[k];
    bool other = inner.kind == SpanKind::command_sub || inner.kind == SpanKind::backtick || inner.kind == SpanKind::single_quote ||
                 inner.kind == SpanKind::ansi_c_quote || inner.kind == SpanKind::process_sub;
    if (!other) continue;
    for (size_t b = inner.begin; b < inner.end && b < sp.end; ++b) out[b - sp.begin] = ' ';
  }
  return out;
}

// [[ ... ]] with an arithmetic comparison or -v: bash evaluates its operands (or the subscript of
// the name) as arithmetic.
bool arithmetic_test(const Script& s, const shell::Span& sp) {
  for (const auto& w : s.words()) {
    if (w.begin < sp.begin || w.end > sp.end) continue;
    std::string_view t = s.text(w);
    if (t == "-eq" || t == "-ne" || t == "-lt" || t == "-le" || t == "-gt" || t == "-ge" || t == "-v") return true;
  }
  return false;
}

// Every arithmetic context of the script, scanned.
void scan_arithmetic(const Script& s, const std::set<std::string, std::less<>>& integers, ArithmeticScan& scan) {
  for (size_t i = 0; i < s.spans().size(); ++i) {
    const shell::Span& sp = s.spans()[i];
    if (sp.kind == SpanKind::arith) {
      std::string text = arithmetic_text(s, i);
      scan.scan(text, text.starts_with("$[") ? "$[...]" : text.starts_with("$") ? "$((...))" : "((...))");
    } else if (sp.kind == SpanKind::test && arithmetic_test(s, sp)) {
      for (const auto& w : s.words()) {
        if (w.begin >= sp.begin && w.end <= sp.end && w.role == shell::WordRole::operand) scan.scan(s.text(w), "[[ ... -eq ... ]]");
      }
    }
  }
  for (const auto& c : s.commands()) {
    const shell::Word* name = s.name(c);
    auto args = s.args(c);
    bool let = name != nullptr && s.text(*name) == "let";
    bool declares = name != nullptr && one_of(s.text(*name), k_declares);
    for (size_t k = 0; k < args.size(); ++k) {
      std::string_view t = s.text(s.words()[args[k]]);
      if (let && k > c.assignments) scan.scan(t, "let");
      bool assignment = k < c.assignments || (declares && k > c.assignments && !t.starts_with('-') && !t.starts_with('+'));
      if (!assignment) continue;
      if (std::string_view sub = subscript_of(t); !sub.empty()) scan.scan(sub, "an array subscript");
      size_t eq = t.find('=');
      if (eq != std::string_view::npos && integers.contains(leading_name(t))) scan.scan(t.substr(eq + 1), "declare -i " + std::string(leading_name(t)));
    }
  }
}

// Names given the integer attribute (declare -i, local -i...): what is assigned to them is
// evaluated as arithmetic.
std::set<std::string, std::less<>> integer_names(const Script& s) {
  std::set<std::string, std::less<>> out;
  for (const auto& c : s.commands()) {
    const shell::Word* name = s.name(c);
    if (name == nullptr || !one_of(s.text(*name), k_declares)) continue;
    bool integer = false;
    auto args = s.args(c);
    for (size_t k = c.assignments + 1; k < args.size(); ++k) {
      std::string_view t = s.text(s.words()[args[k]]);
      if (t.starts_with('-') && t != "--") integer = integer || t.find('i') != std::string_view::npos;
      else if (integer && !leading_name(t).empty()) out.emplace(leading_name(t));
    }
  }
  return out;
}

// Builtins that set, unset or unexport the names they are given: read -r X, printf -v X,
// declare/typeset/local/readonly X, export X=..., unset X, mapfile X, getopts OPTS X.
void builtin_assignments(const Script& s, std::vector<Assignment>& out) {
  static constexpr std::string_view k_builtins[] = {"read", "printf", "declare", "typeset", "local", "readonly", "export", "unset", "mapfile", "readarray", "getopts"};
  static constexpr std::string_view k_read_valued = " -d -i -n -N -p -t -u ";  // options with a value that is no name (read -a NAME names one)
  static constexpr std::string_view k_mapfile_valued = " -d -n -O -s -u -C -c ";
  for (const auto& c : s.commands()) {
    auto args = s.args(c);
    if (args.size() <= c.assignments + 1) continue;
    std::string name(s.text(s.words()[args[c.assignments]]));
    if (!one_of(name, k_builtins)) continue;
    bool reader = name == "read" || name == "mapfile" || name == "readarray";
    std::string_view valued = name == "read" ? k_read_valued : k_mapfile_valued;
    bool declares = one_of(name, k_declares);
    bool reference = false;  // declare -n: the names it declares refer to others
    for (size_t k = c.assignments + 1; k < args.size(); ++k) {
      const shell::Word& word = s.words()[args[k]];
      std::string_view t = s.text(word);
      std::string_view prev = s.text(s.words()[args[k - 1]]);
      if (declares && name != "export" && name != "readonly" && t.starts_with('-') && !t.starts_with("--") && t.find('n') != std::string_view::npos) {
        out.push_back(Assignment{"", AssignKind::name_reference, std::string(t), name + " " + std::string(t), {}});
        reference = true;
        continue;
      }
      if (declares && !t.starts_with('-') && t.substr(0, t.find('=')).find_first_of("$`") != std::string_view::npos) {
        out.push_back(Assignment{"", AssignKind::dynamic_name, std::string(t), name, {}});
        continue;
      }
      bool names = name == "printf" ? prev == "-v" || t.starts_with("-v")
                   : name == "getopts" ? k == c.assignments + 2
                   : reader ? !t.starts_with('-') && valued.find(" " + std::string(prev) + " ") == std::string_view::npos
                   : name == "export" ? t.find('=') != std::string_view::npos || prev == "-n"
                                      : !t.starts_with('-') && !t.starts_with('+');  // declare +x NAME
      if (!names) continue;
      std::string_view named = name == "printf" && t.starts_with("-v") ? t.substr(2) : t;
      std::string_view var = leading_name(named);
      if (var.empty()) continue;
      size_t eq = named.find('=');
      bool literal = declares && !reference && eq != std::string_view::npos && !word.expands && subscript_of(named).empty() && named[eq - 1] != '+';
      out.push_back(Assignment{std::string(var), literal ? AssignKind::literal : AssignKind::run_time, literal ? std::string(named.substr(eq + 1)) : "", name, {}});
    }
  }
}

}  // namespace

std::vector<Assignment> shell_assignments(const shell::Script& s) {
  std::vector<Assignment> out;
  auto words = s.words();
  for (std::uint32_t i = 0; i < words.size(); ++i) {
    const shell::Word& w = words[i];
    std::string_view t = s.text(w);
    if (w.role == shell::WordRole::name && w.command < 0) {  // for NAME in WORDS, select NAME
      Assignment a{std::string(leading_name(t)), AssignKind::run_time, "", "for", {}};
      std::uint32_t k = i + 1;
      bool in = k < words.size() && words[k].role == shell::WordRole::keyword && s.text(words[k]) == "in";
      for (k += 1; in && k < words.size() && words[k].role == shell::WordRole::list; ++k) a.words.push_back(k);
      if (in) out.push_back(std::move(a));
      else out.push_back(Assignment{std::string(leading_name(t)), AssignKind::run_time, "", "for NAME (the positional parameters)", {}});
      continue;
    }
    if (w.role != shell::WordRole::assignment) continue;
    std::string_view name = leading_name(t);
    size_t eq = t.find('=');
    if (name.empty() || eq == std::string_view::npos) continue;
    bool literal = !w.expands && eq == name.size();  // not NAME+=, NAME[i]=, NAME=(...)
    out.push_back(Assignment{std::string(name), literal ? AssignKind::literal : AssignKind::run_time, literal ? std::string(t.substr(eq + 1)) : "", std::string(name) + "=",
                             eq == name.size() ? std::vector<std::uint32_t>{i} : std::vector<std::uint32_t>{}});
  }
  builtin_assignments(s, out);
  std::set<std::string, std::less<>> integers = integer_names(s);
  for (Assignment& a : out) {  // declare -i n; n=X=1: the value is arithmetic, not text
    if (a.kind == AssignKind::literal && integers.contains(a.name)) a.kind = AssignKind::arithmetic, a.value.clear();
  }
  ArithmeticScan scan(&out, nullptr);
  scan_arithmetic(s, integers, scan);
  return out;
}

std::vector<std::string> arithmetic_reads(const shell::Script& s) {
  std::vector<std::string> reads;
  ArithmeticScan scan(nullptr, &reads);
  scan_arithmetic(s, integer_names(s), scan);
  std::sort(reads.begin(), reads.end());
  reads.erase(std::unique(reads.begin(), reads.end()), reads.end());
  return reads;
}

}  // namespace opsbook::model
