// Parsing the embedded doc-test allow list, and the value specs of its options and operands.
#include "doctest_allow.hpp"

#include <algorithm>

#include "doctest_targets.hpp"
#include "numbers.hpp"
#include "safety_table.hpp"
#include "text.hpp"

namespace opsbook::model {

extern const std::string_view k_doctest_allow_text;  // generated from doctest_allow.txt

namespace {

std::vector<std::string> alternatives(std::string_view word) {
  std::vector<std::string> out;
  for (size_t start = 0;;) {
    size_t comma = word.find(',', start);
    if (comma > start) out.emplace_back(word.substr(start, comma - start));
    if (comma == std::string_view::npos) return out;
    start = comma + 1;
  }
}

// "<int>", "<int:20>", "<num:10>" after an optional one-character prefix (+<int>, -<int>).
bool typed_match(std::string_view spec, std::string_view value, bool& typed) {
  typed = false;
  size_t open = spec.find('<');
  if (open > 1 || !spec.ends_with('>')) return false;
  if (open == 1) {
    if (!value.starts_with(spec[0])) return typed = true, false;
    value.remove_prefix(1);
  }
  std::string_view type = spec.substr(open + 1, spec.size() - open - 2);
  size_t colon = type.find(':');
  std::string_view kind = type.substr(0, colon);
  double max = 1e15;
  if (colon != std::string_view::npos) {
    auto m = parse_integer(type.substr(colon + 1), 0, 1000000000);
    if (!m) return false;
    max = static_cast<double>(*m);
  }
  typed = true;
  if (kind == "line") {  // one line of text: no line break or other control character (a header value)
    return std::none_of(value.begin(), value.end(), [](char c) { return static_cast<unsigned char>(c) < 0x20 || c == 0x7f; });
  }
  if (kind == "int") return all_digits(value) && value.size() < 16 && std::stod(std::string(value)) <= max;
  if (kind == "num") {
    if (value.ends_with('s')) value.remove_suffix(1);
    return parse_number(value, 0, max).has_value();
  }
  typed = false;
  return false;
}

}  // namespace

bool ValueSpec::accepts(std::string_view value) const {
  for (const auto& d : deny) {
    if (glob_match(d, value)) return false;
  }
  if (allow.empty()) return true;
  for (const auto& a : allow) {
    bool typed = false;
    if (typed_match(a, value, typed)) return true;
    if (!typed && (a.find('*') != std::string::npos ? glob_match(a, value) : a == value)) return true;
  }
  return false;
}

bool ValueSpec::accepts_start(std::string_view start) const {
  for (const auto& d : deny) {
    if (glob_match(d, start)) return false;
  }
  return std::any_of(allow.begin(), allow.end(), [&](const std::string& a) {
    return a.size() > 1 && a.find('*') == a.size() - 1 && start.size() >= a.size() - 1 && glob_match(a, start);
  });
}

std::string ValueSpec::describe() const {
  std::string out;
  for (const auto& a : allow) {
    std::string one = a;
    if (a == "<int>") one = "a count";
    else if (a.starts_with("<int:")) one = "a count up to " + a.substr(5, a.size() - 6);
    else if (a.starts_with("<num:")) one = "up to " + a.substr(5, a.size() - 6) + " seconds";
    else if (a == "<line>") one = "one line of text";
    else if (a.size() > 1 && a.substr(1) == "<int>") one = a.substr(0, 1) + "COUNT";
    out += (out.empty() ? "" : ", ") + one;
  }
  for (size_t i = 0; i < deny.size(); ++i) out += (i > 0 ? ", " : out.empty() ? "not " : "; not ") + deny[i];
  return out;
}

const DoctestAllowList& DoctestAllowList::builtin() {
  static const DoctestAllowList k_list(k_doctest_allow_text);
  return k_list;
}

size_t DoctestAllowList::node(int parent, std::string label) {
  auto& index = parent < 0 ? m_tools : m_rows[static_cast<size_t>(parent)].children;
  std::string word = label.substr(label.rfind(' ') + 1);
  if (auto it = index.find(word); it != index.end()) return it->second;
  AllowRow row;
  row.label = std::move(label);
  row.parent = parent;
  m_rows.push_back(std::move(row));
  size_t at = m_rows.size() - 1;
  (parent < 0 ? m_tools : m_rows[static_cast<size_t>(parent)].children)[word] = at;
  return at;
}

DoctestAllowList::DoctestAllowList(std::string_view text) {
  std::vector<size_t> current;  // the rows the indented lines below a `tool` line describe
  int number = 0;
  for (std::string_view raw : split_lines(text)) {
    ++number;
    std::string_view line = trim(raw);
    if (line.empty() || line[0] == '#') continue;
    std::vector<std::string> w = split_words(line);
    if (w[0] == "alias") {
      if (w.size() < 4 || w[2] != "=") m_errors.push_back("line " + std::to_string(number) + ": alias NAME = WORDS");
      else m_aliases[w[1]] = std::vector<std::string>(w.begin() + 3, w.end());
      continue;
    }
    if (w[0] == "tool") {
      if (raw.starts_with(' ') || w.size() < 2) m_errors.push_back("line " + std::to_string(number) + ": tool NAME [SUBCOMMAND...] at the start of a line");
      std::vector<std::vector<std::string>> path;
      for (size_t i = 1; i < w.size(); ++i) path.push_back(alternatives(w[i]));
      current.clear();
      // Every combination of the alternatives is a row; rows above it are made as needed.
      std::vector<std::pair<int, std::string>> level = {{-1, ""}};
      for (const auto& alts : path) {
        std::vector<std::pair<int, std::string>> next;
        for (const auto& [parent, label] : level) {
          for (const auto& a : alts) {
            std::string l = label.empty() ? a : label + " " + a;
            next.emplace_back(static_cast<int>(node(parent, l)), l);
          }
        }
        level = std::move(next);
      }
      for (const auto& [at, label] : level) {
        current.push_back(static_cast<size_t>(at));
        m_rows[static_cast<size_t>(at)].line = number;
      }
      continue;
    }
    if (current.empty() || !raw.starts_with(' ')) {
      m_errors.push_back("line " + std::to_string(number) + ": '" + w[0] + "' outside a tool row");
      continue;
    }
    std::string_view rest = trim(line.substr(w[0].size()));
    for (size_t at : current) parse_row_line(m_rows[at], w[0], rest, number);
  }
}

void DoctestAllowList::parse_row_line(AllowRow& row, std::string_view keyword, std::string_view rest, int number) {
  std::vector<std::string> w = split_words(rest);
  auto spec_of = [](std::vector<std::string>::const_iterator from, std::vector<std::string>::const_iterator to) {
    ValueSpec s;
    for (auto it = from; it != to; ++it) {
      if (it->starts_with('!')) s.deny.push_back(it->substr(1));
      else s.allow.push_back(*it);
    }
    return s;
  };
  if (keyword == "flags") {
    for (const auto& name : w) row.options.push_back(AllowedOption{{name}, AllowedOption::Arity::none, {}});
  } else if (keyword == "value" || keyword == "optional" || keyword == "value2") {
    auto eq = std::find(w.begin(), w.end(), "=");
    if (eq == w.end() || eq == w.begin() || eq + 1 == w.end()) {
      m_errors.push_back("line " + std::to_string(number) + ": " + std::string(keyword) + " OPT... = SPEC...");
      return;
    }
    AllowedOption o;
    o.names.assign(w.begin(), eq);
    o.arity = keyword == "value" ? AllowedOption::Arity::one : keyword == "optional" ? AllowedOption::Arity::optional : AllowedOption::Arity::two;
    o.values = spec_of(eq + 1, w.end());
    row.options.push_back(std::move(o));
  } else if (keyword == "operands" || keyword == "words") {
    row.runnable = true;
    row.words = keyword == "words";
    auto from = w.begin();
    if (w.size() == 1 && w[0] == "none") {
      row.max_operands = 0;
      return;
    }
    if (w.size() >= 3 && w[0] == "max") {
      auto n = parse_integer(w[1], 0, 100);
      if (!n) m_errors.push_back("line " + std::to_string(number) + ": max N");
      row.max_operands = n ? static_cast<int>(*n) : 0;
      from += 2;
    }
    row.operands = spec_of(from, w.end());
  } else if (keyword == "require") {
    row.require.push_back(w);
  } else if (keyword == "connects" && w.size() == 1) {
    if (!is_connects_kind(w[0])) m_errors.push_back("line " + std::to_string(number) + ": unknown connects " + w[0]);
    row.connects = w[0];
  } else if (keyword == "single-dash") {
    row.single_dash = true;
  } else if (keyword == "options-first") {
    row.options_first = true;
  } else if (keyword == "vet" && w.size() == 1) {
    static const std::vector<std::string> k_kinds = {"redis", "sql", "awk", "sed", "test"};
    if (std::find(k_kinds.begin(), k_kinds.end(), w[0]) == k_kinds.end()) m_errors.push_back("line " + std::to_string(number) + ": unknown vet " + w[0]);
    row.vet = w[0];
  } else {
    m_errors.push_back("line " + std::to_string(number) + ": unknown keyword " + std::string(keyword));
  }
}

const AllowRow* DoctestAllowList::tool(std::string_view name) const {
  auto it = m_tools.find(name);
  return it == m_tools.end() ? nullptr : &m_rows[it->second];
}

const AllowRow* DoctestAllowList::child(const AllowRow& row, std::string_view word) const {
  auto it = row.children.find(word);
  return it == row.children.end() ? nullptr : &m_rows[it->second];
}

const AllowedOption* DoctestAllowList::option(const AllowRow& row, std::string_view name) const {
  bool number = name.size() > 1 && name[0] == '-' && all_digits(name.substr(1));
  for (const AllowRow* r = &row; r != nullptr; r = r->parent < 0 ? nullptr : &m_rows[static_cast<size_t>(r->parent)]) {
    for (const auto& o : r->options) {
      for (const auto& n : o.names) {
        if (n == name || (number && n == "-<int>")) return &o;
      }
    }
  }
  return nullptr;
}

std::span<const std::string> DoctestAllowList::alias(std::string_view name) const {
  auto it = m_aliases.find(name);
  return it == m_aliases.end() ? std::span<const std::string>{} : std::span<const std::string>(it->second);
}

}  // namespace opsbook::model
