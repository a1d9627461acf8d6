// Navigation scripts: no script grows with the site; a folder larger than a script is split.
#include <catch2/catch.hpp>
#include <map>

#include "generator/nav_script.hpp"

using namespace opsbook;

TEST_CASE("navigation scripts: bounded per script, every runbook in exactly one", "[generator][lists]") {
  std::vector<generator::Summary> s;
  for (int t = 0; t < 20; ++t) {
    for (int p = 0; p < 100; ++p) {
      generator::Summary sum;
      sum.slug = "team-" + std::to_string(t) + "/svc-" + std::to_string(p % 4) + "/page-" + std::to_string(p);
      sum.title = "Page " + std::to_string(p) + " of team " + std::to_string(t);
      s.push_back(sum);
    }
  }
  for (int p = 0; p < 900; ++p) {
    generator::Summary sum;
    sum.slug = "flat/f" + std::to_string(p);
    sum.title = "Flat " + std::to_string(p);
    s.push_back(sum);
  }
  generator::FolderTree tree(s);
  auto scripts = generator::nav_scripts(tree);
  std::map<std::string, std::string> files(scripts.begin(), scripts.end());
  REQUIRE(files.count("assets/nav.js"));
  CHECK(files.at("assets/nav.js").rfind("(window.OPSBOOK_NAV=window.OPSBOOK_NAV||{})[\"\"]={\"c\":2900,", 0) == 0);
  // The flat folder: k_nav_budget runbooks in its script, the rest in as many more as they need.
  const size_t parts = (900 + generator::k_nav_budget - 1) / generator::k_nav_budget;
  REQUIRE(parts > 2);
  REQUIRE(files.count("assets/nav/flat.js"));
  CHECK(files.at("assets/nav/flat.js").find("\"m\":" + std::to_string(parts)) != std::string::npos);
  for (size_t part = 2; part <= parts; ++part) CHECK(files.count("assets/nav/flat." + std::to_string(part) + ".js"));
  CHECK_FALSE(files.count("assets/nav/flat." + std::to_string(parts + 1) + ".js"));
  size_t titles = 0;
  for (const auto& [name, js] : files) {
    INFO(name);
    CHECK(js.size() < generator::k_nav_budget * 64);  // ~45 bytes an entry
    for (size_t at = js.find("\"Page "); at != std::string::npos; at = js.find("\"Page ", at + 1)) ++titles;
    for (size_t at = js.find("\"Flat "); at != std::string::npos; at = js.find("\"Flat ", at + 1)) ++titles;
  }
  CHECK(titles == 2900);
}
