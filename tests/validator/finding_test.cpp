// The rule table: every rule id a finding or diagnostic is created with is in it, and an unknown
// id is a bug (an exception), never a finding of some default severity.
#include <catch2/catch.hpp>
#include <filesystem>
#include <regex>
#include <set>
#include <stdexcept>

#include "support.hpp"
#include "validator/finding.hpp"

using namespace opsbook;
namespace fs = std::filesystem;

TEST_CASE("an unknown rule id is a bug, not a finding", "[validator]") {
  CHECK(validator::rule_info("shell-syntax").severity == model::Severity::error);
  CHECK_THROWS_AS(validator::rule_info("no-such-rule"), std::logic_error);
  CHECK_THROWS_WITH(validator::rule_info("shel-syntax"), "finding with unknown rule id 'shel-syntax'");
}

TEST_CASE("every rule id used in the sources is in the rule table", "[validator]") {
  // The shapes a rule id takes where findings and diagnostics are made: sink.add("rule", ...),
  // add_finding(idx, "rule", ...), make("rule", ...), Finding{"rule", ...}, rule = "rule" and
  // diagnostics.add(path, loc, Severity::x, "rule", ...).
  const std::regex k_use(R"re((?:\badd|\bmake|Finding \w+\{|Finding\{|add_finding\(\w+,)\(?\s*"([a-z][a-z-]*)"|Severity::\w+,\s*"([a-z][a-z-]*)"|\brule = "([a-z][a-z-]*)")re");
  fs::path root = fs::path(test::data_dir()).parent_path().parent_path();
  std::set<std::string> used;
  for (const char* folder : {"model", "validator", "generator", "runner", "cli"}) {
    for (const auto& entry : fs::recursive_directory_iterator(root / folder)) {
      if (entry.path().extension() != ".cpp") continue;
      std::string text = test::read_file(entry.path().string());
      for (std::sregex_iterator it(text.begin(), text.end(), k_use), end; it != end; ++it) {
        for (size_t g = 1; g <= 3; ++g) {
          if ((*it)[g].matched) used.insert((*it)[g].str());
        }
      }
    }
  }
  // The scan must see the rules it is meant to see, or it proves nothing.
  for (const char* known : {"shell-syntax", "secret", "front-matter", "markdown", "live-http", "drift-port", "tool-missing", "io"}) {
    CHECK(used.count(known) == 1);
  }
  for (const auto& id : used) {
    INFO("rule id '" << id << "' is used in the sources");
    CHECK_NOTHROW(validator::rule_info(id));
  }
}
