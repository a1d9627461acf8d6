// The project's own user documentation (docs/) is a runbook folder too: opsbook checks it clean
// and builds it into a portal, so the portal is used on real prose every day.
#include <catch2/catch.hpp>
#include <filesystem>

#include "support.hpp"

using namespace opsbook;
using test::run_opsbook;
namespace fs = std::filesystem;

namespace {

std::string docs_dir() { return (fs::path(OPSBOOK_TEST_DATA) / ".." / ".." / "docs").lexically_normal().string(); }

}  // namespace

TEST_CASE("opsbook check docs/ passes", "[cli][docs]") {
  auto r = run_opsbook({"check", docs_dir(), "--no-shellcheck"});
  INFO(r.out << r.err);
  CHECK(r.exit_code == 0);
  CHECK(r.out.find("error[") == std::string::npos);
}

TEST_CASE("opsbook builds docs/ into a portal with every page", "[cli][docs]") {
  test::TempDir dir;
  auto r = run_opsbook({"build", docs_dir(), "-o", (dir.path() / "site").string(), "--no-report"});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  for (const char* page : {"readme", "runbooks", "configuration", "commands", "github-workflow"}) {
    INFO(page);
    CHECK(fs::exists(dir.path() / "site/runbooks" / (std::string(page) + ".html")));
  }
  // Links between the documents point at their pages.
  std::string index = test::read_file((dir.path() / "site/runbooks/readme.html").string());
  CHECK(index.find("href=\"commands.html\"") != std::string::npos);
}

namespace {

// The `## opsbook COMMAND` section of docs/commands.md (the text before the first one for the
// global options).
std::string section_of(const std::string& doc, const std::string& command) {
  std::string heading = "\n## opsbook " + command + "\n";
  std::size_t start = command.empty() ? 0 : doc.find(heading);
  if (start == std::string::npos) return {};
  std::size_t end = doc.find("\n## ", start + 1);
  return doc.substr(start, end == std::string::npos ? std::string::npos : end - start);
}

// The options a help text lists, each with its names ("  -o,--output TEXT  ..." gives -o and --output).
std::vector<std::vector<std::string>> options_in(const std::string& help) {
  std::vector<std::vector<std::string>> out;
  std::size_t at = 0;
  while ((at = help.find("\n  -", at)) != std::string::npos) {
    at += 3;
    std::string names = help.substr(at, help.find_first_of(" \n", at) - at);
    std::vector<std::string> option;
    for (std::size_t from = 0; from <= names.size();) {
      std::size_t comma = std::min(names.find(',', from), names.size());
      option.push_back(names.substr(from, comma - from));
      from = comma + 1;
    }
    if (option.back() != "--help") out.push_back(option);
  }
  return out;
}

// `name` as a word of `text`: followed by a space, a backtick, a bracket, a comma or '='.
bool mentions(const std::string& text, const std::string& name) {
  for (std::size_t at = text.find(name); at != std::string::npos; at = text.find(name, at + 1)) {
    char next = at + name.size() < text.size() ? text[at + name.size()] : ' ';
    bool starts_word = at == 0 || std::string(" `[(|\n").find(text[at - 1]) != std::string::npos;
    if (starts_word && std::string(" `]),=|\\\n").find(next) != std::string::npos) return true;
  }
  return false;
}

}  // namespace

TEST_CASE("docs/commands.md describes every command and every option opsbook help lists", "[cli][docs]") {
  std::string doc = test::read_file(docs_dir() + "/commands.md");
  struct Topic {
    std::vector<std::string> help;
    std::string section;
  };
  for (const Topic& t : std::vector<Topic>{{{}, ""}, {{"check"}, "check"}, {{"report", "merge"}, "report merge"}, {{"build"}, "build"},
                                            {{"serve"}, "serve"}, {{"run"}, "run"}, {{"inspect"}, "inspect"}, {{"checklist"}, "checklist"},
                                            {{"incident", "new"}, "incident"}, {{"incident", "list"}, "incident"}, {{"init"}, "init"},
                                            {{"history", "record"}, "history"}, {{"history", "show"}, "history"}}) {
    std::vector<std::string> args = {"help"};
    args.insert(args.end(), t.help.begin(), t.help.end());
    auto help = run_opsbook(args);
    REQUIRE(help.exit_code == 0);
    std::string section = section_of(doc, t.section);
    INFO("docs/commands.md, section 'opsbook " << t.section << "'");
    REQUIRE(!section.empty());
    auto options = options_in(help.out);
    if (t.section == "check") CHECK(options.size() >= 15);  // the help text is read, not skipped
    for (const auto& option : options) {
      INFO(option.back());
      bool found = false;
      for (const auto& name : option) found = found || mentions(section, name);
      CHECK(found);
    }
  }
}
