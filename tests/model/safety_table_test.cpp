// The classification table: well-formed, and every row proved by its own example: the example
// is matched by that row and classified as the row says.
#include <catch2/catch.hpp>

#include <set>

#include "model/safety.hpp"
#include "model/safety_table.hpp"
#include "model/shell_lexer.hpp"
#include "model/text.hpp"

using namespace opsbook::model;

namespace {

// The words of the first simple command of `example` (assignments skipped); `input`: the file
// it reads with < FILE.
std::vector<std::string> first_command(const std::string& example, std::string* input = nullptr) {
  shell::Script s = shell::lex(example, shell::Placeholders::words);
  std::vector<std::string> out;
  if (s.commands().empty()) return out;
  const auto& c = s.commands()[0];
  auto args = s.args(c);
  for (size_t i = c.assignments; i < args.size(); ++i) out.emplace_back(s.text(s.words()[args[i]]));
  for (auto ri : s.redirects(c)) {
    const shell::Redirect& r = s.all_redirects()[ri];
    if (input != nullptr && r.op == shell::RedirectOp::in && r.target >= 0) *input = s.text(s.words()[static_cast<size_t>(r.target)]);
  }
  return out;
}

}  // namespace

TEST_CASE("safety table: every line parses and no pattern appears twice", "[model][safety]") {
  const SafetyTable& table = SafetyTable::builtin();
  for (const auto& e : table.errors()) FAIL_CHECK(e);
  REQUIRE(table.rules().size() > 150);
  std::set<std::string> patterns;
  for (const auto& r : table.rules()) {
    std::string key;
    for (const auto& t : r.tools) key += t + ",";
    for (const auto& p : r.path) {
      key += " ";
      for (const auto& a : p) key += a + ",";
    }
    for (const auto& f : r.flags) key += " +" + f;
    INFO("line " << r.line << ": " << key);
    CHECK(patterns.insert(key).second);
  }
}

TEST_CASE("safety table: each row's example is matched by the row and classified as it says", "[model][safety]") {
  const SafetyTable& table = SafetyTable::builtin();
  for (const auto& r : table.rules()) {
    INFO("safety_table.txt line " << r.line << ": " << r.example);
    std::string input;
    std::vector<std::string> words = first_command(r.example, &input);
    REQUIRE_FALSE(words.empty());
    bool redis = r.tools.size() == 1 && r.tools[0] == "redis";
    if (redis) {  // redis-cli [options] COMMAND ...: the Redis command set
      std::vector<std::string_view> all(words.begin(), words.end());
      std::vector<size_t> pos = table.positionals(all);
      REQUIRE_FALSE(pos.empty());
      words.erase(words.begin(), words.begin() + static_cast<long>(pos[0]));
      words.insert(words.begin(), "redis");
      for (size_t i = 1; i < words.size(); ++i) words[i] = to_upper(words[i]);  // as Redis reads them
    }
    std::vector<std::string_view> argv(words.begin(), words.end());
    CHECK((r.cls == RuleClass::floor ? table.floor(argv, input) : table.match(argv)) == &r);
    bool powershell = r.tools[0].find('-') != std::string::npos || r.tools[0] == "iwr";
    Verdict v = classify_command(r.example, powershell ? CommandLang::powershell : CommandLang::shell);
    CHECK(v.level == r.expected);
    CHECK(v.interactive == r.expected_interactive);
    if (r.cls == RuleClass::mutating || r.cls == RuleClass::destructive || r.cls == RuleClass::interactive || r.cls == RuleClass::floor) {
      CHECK(v.reason.find(r.reason) != std::string::npos);
    }
  }
}

TEST_CASE("safety table: the most specific row wins: tools named exactly beat verb prefixes", "[model][safety]") {
  SafetyTable t(
      "@options tool -n\n"
      "tool              | mutating | changes | tool x\n"
      "tool get          | read-only | reads | tool get\n"
      "tool get +--all   | destructive | all | tool get --all\n"
      "tool * purge      | destructive | purges | tool a purge\n"
      "Get-*             | read-only | reads | Get-Thing\n"
      "Get-Secret        | mutating | audited | Get-Secret\n"
      "broken line\n");
  REQUIRE(t.errors().size() == 1);
  auto reason = [&](std::initializer_list<std::string_view> argv) {
    std::vector<std::string_view> v(argv);
    const SafetyRule* r = t.match(v);
    return r == nullptr ? std::string("none") : r->reason;
  };
  CHECK(reason({"tool", "-n", "ns", "get", "pods"}) == "reads");
  CHECK(reason({"tool", "get", "-a", "--all"}) == "all");
  CHECK(reason({"tool", "x", "purge"}) == "purges");
  CHECK(reason({"tool", "set"}) == "changes");
  CHECK(reason({"get-thing"}) == "reads");
  CHECK(reason({"Get-Secret", "-Name", "x"}) == "audited");
  CHECK(reason({"other"}) == "none");
  CHECK(glob_match("describe-*", "DESCRIBE-instances"));
  CHECK_FALSE(glob_match("describe-*", "list"));
  CHECK(glob_match("gitlab:*:check", "gitlab:ldap:check"));
}

TEST_CASE("safety table: every wrapper without a floor of its own lists its options", "[model][safety]") {
  // A wrapper whose options are not listed reads any option's value as the command (env -u cat
  // rm): each one the table names has @globals for itself (or for its subcommand words).
  const SafetyTable& table = SafetyTable::builtin();
  for (const auto& r : table.rules()) {
    if (r.cls != RuleClass::wrapper || r.floor != Safety::read_only || r.wrapper == WrapperKind::dashdash || r.wrapper == WrapperKind::after) continue;
    for (const auto& tool : r.tools) {
      std::vector<std::string> keys{tool};
      for (const auto& alts : r.path) {
        std::vector<std::string> next;
        for (const auto& k : keys) {
          for (const auto& a : alts) {
            if (a != "*") next.push_back(k + " " + a);
          }
        }
        if (!next.empty()) keys = next;
      }
      for (const auto& key : keys) {
        INFO("safety_table.txt line " << r.line << ": @globals " << key);
        CHECK(table.globals(key) != nullptr);
      }
    }
  }
}
