// Taint through shell variables: a fixed point over the snippet's assignments. A variable is
// tainted when the text assigned to it (or the input it reads) holds a placeholder or an
// expansion of a tainted variable; it carries the parameters it may hold.
#include "runner/taint.hpp"

#include <algorithm>
#include <map>

#include "model/text.hpp"

namespace opsbook::runner {

namespace {

namespace sh = model::shell;

constexpr std::string_view k_declare[] = {"declare", "typeset", "local", "readonly", "export"};

bool is_option(std::string_view a) { return a.size() > 1 && (a[0] == '-' || a[0] == '+'); }

// NAME of NAME=..., NAME+=..., NAME[i]=...; "" when the text is not an assignment.
std::string_view assigned_name(std::string_view text) {
  size_t eq = text.find('=');
  if (eq == std::string_view::npos) return {};
  std::string_view name = text.substr(0, std::min(eq, text.find_first_of("[+")));
  if (name.empty() || !std::all_of(name.begin(), name.end(), model::is_ident_char)) return {};
  return name;
}

class Tracker {
 public:
  Tracker(const sh::Script& script, const std::vector<TaintSource>& sources) : m_s(script), m_code(script.source()), m_sources(sources) {}

  std::vector<TaintedVariable> run(const std::vector<TaintedVariable>& given) {
    for (const auto& v : given) m_vars[v.name] = v;
    // Each round taints at least one more (variable, parameter) pair or stops.
    do {
      m_changed = false;
      for (size_t c = 0; c < m_s.commands().size(); ++c) command(c);
      loops();
      defaults();
    } while (m_changed);
    std::vector<TaintedVariable> out;
    for (auto& [name, v] : m_vars) out.push_back(v);
    return out;
  }

 private:
  // The parameters whose values may stand in bytes [b, e).
  std::vector<const model::Param*> in(size_t b, size_t e) const {
    std::vector<const model::Param*> out;
    auto add = [&](const model::Param* p) {
      if (std::find(out.begin(), out.end(), p) == out.end()) out.push_back(p);
    };
    for (const auto& s : m_sources) {
      if (s.begin < e && s.end > b) add(s.param);
    }
    std::string_view text = m_code.substr(b, e - b);
    for (const auto& [name, v] : m_vars) {
      if (references(text, name).empty()) continue;
      for (const auto* p : v.params) add(p);
    }
    return out;
  }

  void taint(std::string_view name, const std::vector<const model::Param*>& params, bool exported) {
    if (name.empty() || params.empty()) return;
    TaintedVariable& v = m_vars[std::string(name)];
    v.name = name;
    for (const auto* p : params) {
      if (std::find(v.params.begin(), v.params.end(), p) != v.params.end()) continue;
      v.params.push_back(p);
      m_changed = true;
    }
    if (exported && !v.exported) {
      v.exported = true;
      m_changed = true;
    }
  }

  // The bytes a word assigns: the word itself and, for NAME=( ... ), the array after it.
  size_t assignment_end(const sh::Word& w) const {
    for (const auto& sp : m_s.spans()) {
      if (sp.kind == sh::SpanKind::array && sp.begin == w.end) return sp.end;
    }
    return w.end;
  }

  void assignment(const sh::Word& w, bool exported) {
    std::string_view name = assigned_name(m_s.text(w));
    if (!name.empty()) taint(name, in(w.begin, assignment_end(w)), exported);
  }

  // Input a command reads (read, mapfile): its pipe, here-string, heredocs and redirections;
  // inside a loop or other compound, anything in its top-level command (what pipes into the
  // loop or is redirected into it).
  std::vector<const model::Param*> input(const sh::SimpleCommand& c) const {
    if (c.span >= 0 && c.unit >= 0) {
      const sh::Unit& u = m_s.units()[static_cast<size_t>(c.unit)];
      return in(u.begin, u.end);
    }
    const sh::SimpleCommand* first = &c;
    while (first->pipe_prev >= 0) first = &m_s.commands()[static_cast<size_t>(first->pipe_prev)];
    std::vector<const model::Param*> out = in(first->begin, c.end);
    for (uint32_t r : m_s.redirects(c)) {
      int h = m_s.all_redirects()[r].heredoc;
      if (h < 0) continue;
      const sh::Heredoc& d = m_s.heredocs()[static_cast<size_t>(h)];
      for (const auto* p : in(d.body_begin, d.body_end)) {
        if (std::find(out.begin(), out.end(), p) == out.end()) out.push_back(p);
      }
    }
    return out;
  }

  void command(size_t index) {
    const sh::SimpleCommand& c = m_s.commands()[index];
    auto ids = m_s.args(c);
    bool has_name = ids.size() > c.assignments;
    for (size_t k = 0; k < c.assignments && k < ids.size(); ++k) assignment(m_s.words()[ids[k]], has_name);
    if (!has_name) return;
    std::vector<const sh::Word*> args;
    for (size_t k = c.assignments; k < ids.size(); ++k) args.push_back(&m_s.words()[ids[k]]);
    std::string_view name = model::program_name(m_s.text(*args[0]));
    if (std::find(std::begin(k_declare), std::end(k_declare), name) != std::end(k_declare)) return declaration(name, args);
    if (name == "read") return names_read(c, args, "-d -i -n -N -p -t -u", false);
    if (name == "mapfile" || name == "readarray") return names_read(c, args, "-d -n -O -s -u -C -c", true);
    if (name == "env" || name == "sudo") {  // env NAME=VALUE cmd: exported to cmd
      for (size_t k = 1; k < args.size(); ++k) {
        if (!assigned_name(m_s.text(*args[k])).empty()) assignment(*args[k], true);
      }
      return;
    }
    if (name == "set") {  // set -- WORDS: the positional parameters
      size_t k = 1;
      while (k < args.size() && is_option(m_s.text(*args[k])) && m_s.text(*args[k]) != "--") ++k;
      if (k < args.size()) {
        auto from = in(args[k]->begin, c.end);
        for (std::string_view n : {"1", "2", "3", "4", "5", "6", "7", "8", "9", "@", "*"}) taint(n, from, false);
      }
      return;
    }
    if (name == "printf") {
      for (size_t k = 1; k + 1 < args.size() && is_option(m_s.text(*args[k])); ++k) {
        if (m_s.text(*args[k]) == "-v") taint(assigned_name(std::string(m_s.text(*args[k + 1])) + "="), in(args[k + 1]->end, c.end), false);
      }
    }
  }

  // declare/export/local... NAME=value, and declare -n REF=NAME (a reference to a tainted one).
  void declaration(std::string_view cmd, const std::vector<const sh::Word*>& args) {
    bool exported = cmd == "export", nameref = false;
    for (size_t k = 1; k < args.size(); ++k) {
      std::string_view t = m_s.text(*args[k]);
      if (is_option(t)) {
        exported = exported || (t[0] == '-' && t.find('x') != std::string_view::npos);
        nameref = nameref || (t[0] == '-' && t.find('n') != std::string_view::npos);
        continue;
      }
      std::string_view name = assigned_name(t);
      if (name.empty()) {  // export NAME: an already tainted variable goes to child processes
        auto v = m_vars.find(std::string(t));
        if (exported && v != m_vars.end()) taint(t, v->second.params, true);
        continue;
      }
      assignment(*args[k], exported);
      auto target = m_vars.find(std::string(t.substr(t.find('=') + 1)));
      if (nameref && target != m_vars.end()) taint(name, target->second.params, target->second.exported);
    }
  }

  // read NAMES / mapfile NAME: every name gets what the input may hold.
  void names_read(const sh::SimpleCommand& c, const std::vector<const sh::Word*>& args, std::string_view with_value, bool one_array) {
    std::vector<const model::Param*> from = input(c);
    if (from.empty()) return;
    std::vector<std::string_view> names;
    for (size_t k = 1; k < args.size(); ++k) {
      std::string_view t = m_s.text(*args[k]);
      if (t == "-a" && k + 1 < args.size()) {
        names.push_back(m_s.text(*args[++k]));
      } else if (is_option(t)) {
        if ((" " + std::string(with_value) + " ").find(" " + std::string(t) + " ") != std::string::npos) ++k;
      } else {
        names.push_back(t);
      }
    }
    if (names.empty()) names.push_back(one_array ? "MAPFILE" : "REPLY");
    for (auto n : names) taint(n, from, false);
  }

  // ${NAME=...} and ${NAME:=...} assign NAME when it is unset (or empty).
  void defaults() {
    for (const auto& sp : m_s.spans()) {
      if (sp.kind != sh::SpanKind::param) continue;
      std::string_view t = m_code.substr(sp.begin, sp.end - sp.begin);
      size_t p = 2;
      while (p < t.size() && model::is_ident_char(t[p])) ++p;
      if (p > 2 && (t.substr(p, 1) == "=" || t.substr(p, 2) == ":=")) taint(t.substr(2, p - 2), in(sp.begin + p, sp.end), false);
    }
  }

  // for NAME in WORDS; do (also select): NAME takes each word.
  void loops() {
    const auto words = m_s.words();
    for (size_t k = 1; k < words.size(); ++k) {
      if (words[k].role != sh::WordRole::name || words[k - 1].role != sh::WordRole::keyword) continue;
      std::string_view kw = m_s.text(words[k - 1]);
      if (kw != "for" && kw != "select") continue;
      size_t end = words[k].end;
      for (size_t j = k + 1; j < words.size() && !(words[j].role == sh::WordRole::keyword && m_s.text(words[j]) == "do"); ++j) end = words[j].end;
      taint(m_s.text(words[k]), in(words[k].end, end), false);
    }
  }

  const sh::Script& m_s;
  std::string_view m_code;
  const std::vector<TaintSource>& m_sources;
  std::map<std::string, TaintedVariable> m_vars;
  bool m_changed = false;
};

}  // namespace

std::vector<TaintedVariable> tainted_variables(const sh::Script& script, const std::vector<TaintSource>& sources, const std::vector<TaintedVariable>& given) {
  return Tracker(script, sources).run(given);
}

std::vector<size_t> references(std::string_view code, std::string_view name) {
  std::vector<size_t> out;
  if (name.empty()) return out;
  for (size_t p = code.find('$'); p != std::string_view::npos; p = code.find('$', p + 1)) {
    size_t n = p + 1;
    if (n < code.size() && code[n] == '{') {
      ++n;
      if (n < code.size() && code[n] == '!' && code.substr(n + 1, name.size()) == name) ++n;
    }
    if (code.substr(n, name.size()) != name) continue;
    size_t after = n + name.size();
    if (after < code.size() && model::is_ident_char(code[after])) continue;
    out.push_back(p);
  }
  return out;
}

std::vector<size_t> bare_names(std::string_view code, std::string_view name) {
  std::vector<size_t> out;
  if (name.empty()) return out;
  for (size_t p = code.find(name); p != std::string_view::npos; p = code.find(name, p + 1)) {
    size_t after = p + name.size();
    if (after < code.size() && model::is_ident_char(code[after])) continue;
    if (p > 0 && (model::is_ident_char(code[p - 1]) || code[p - 1] == '$')) continue;
    if (p > 1 && code[p - 2] == '$' && code[p - 1] == '{') continue;
    if (p > 2 && code[p - 3] == '$' && code[p - 2] == '{' && (code[p - 1] == '!' || code[p - 1] == '#')) continue;
    out.push_back(p);
  }
  return out;
}

}  // namespace opsbook::runner
