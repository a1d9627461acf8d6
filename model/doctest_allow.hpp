// The doc-test allow list (model/doctest_allow.txt, embedded at build time): the tools,
// subcommands, options and operands a doc-test may use because they only read and end. Parsed
// once; model/doctest_policy checks a script against it.
#pragma once

#include <map>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace opsbook::model {

// What an option value or an operand may be: one of `allow` (empty: anything) and none of `deny`.
struct ValueSpec {
  std::vector<std::string> allow;  // "*", "<int>", "<int:20>", "<num:10>", "+<int>", a literal, a glob
  std::vector<std::string> deny;   // globs
  [[nodiscard]] bool open() const { return allow.empty() || (allow.size() == 1 && allow[0] == "*"); }  // only `deny` limits it
  [[nodiscard]] bool any() const { return deny.empty() && open(); }
  [[nodiscard]] bool accepts(std::string_view value) const;
  // A word decided at run time whose literal start (`http://x/` of `http://x/$P`) already
  // matches a prefix glob of the spec (http://*), and no deny: what follows cannot change that.
  [[nodiscard]] bool accepts_start(std::string_view start) const;
  [[nodiscard]] std::string describe() const;  // "GET, HEAD", "a count"
};

struct AllowedOption {
  enum class Arity { none, one, optional, two };
  std::vector<std::string> names;  // "-X", "--request"
  Arity arity = Arity::none;
  ValueSpec values;
};

struct AllowRow {
  std::string label;  // "kubectl get", for messages
  std::vector<AllowedOption> options;
  bool runnable = false;  // has `operands` or `words`; else a subcommand row must follow
  bool words = false;     // no options: every word is an operand
  bool single_dash = false;
  bool options_first = false;  // options end at the first operand (command -v NAME: the rest is NAME's)
  int max_operands = -1;  // -1: any number
  ValueSpec operands;
  std::vector<std::vector<std::string>> require;  // of each group, one option must be given
  std::string vet;                                // "", "redis", "sql", "awk", "sed", "test"
  std::string connects;  // "", or where its words say it connects (model/doctest_targets)
  std::map<std::string, size_t, std::less<>> children;  // subcommand word -> row
  int parent = -1;
  int line = 0;
};

class DoctestAllowList {
 public:
  static const DoctestAllowList& builtin();
  explicit DoctestAllowList(std::string_view text);

  // The row of a tool (by its bare name), or nullptr.
  [[nodiscard]] const AllowRow* tool(std::string_view name) const;
  [[nodiscard]] const AllowRow* child(const AllowRow& row, std::string_view word) const;
  // The option `name` as allowed at `row` or a row above it, or nullptr (-<int> rows: -5, -20).
  [[nodiscard]] const AllowedOption* option(const AllowRow& row, std::string_view name) const;
  // The words a tool name stands for (docker-compose: docker compose); empty when none.
  [[nodiscard]] std::span<const std::string> alias(std::string_view name) const;
  [[nodiscard]] std::span<const AllowRow> rows() const { return m_rows; }
  [[nodiscard]] std::span<const std::string> errors() const { return m_errors; }

 private:
  size_t node(int parent, std::string label);  // the row `label` below `parent`, made when new
  void parse_row_line(AllowRow& row, std::string_view keyword, std::string_view rest, int number);

  std::vector<AllowRow> m_rows;
  std::map<std::string, size_t, std::less<>> m_tools;
  std::map<std::string, std::vector<std::string>, std::less<>> m_aliases;
  std::vector<std::string> m_errors;
};

}  // namespace opsbook::model
