// Paged list pages: page files, the pager, and the entries on each page.
#include <catch2/catch.hpp>

#include "generator/memory_site.hpp"
#include "generator/paged_list.hpp"

using namespace opsbook;

TEST_CASE("paged lists: 200 entries a page, a pager linking every page", "[generator][lists]") {
  CHECK(generator::list_page_file("folders/a/b.html", 1) == "folders/a/b.html");
  CHECK(generator::list_page_file("folders/a/b.html", 3) == "folders/a/b.3.html");
  CHECK(generator::list_page_file("index.html", 2) == "lists/index.2.html");
  model::Config config;
  generator::Templates templates("");
  generator::Report report;
  generator::SiteContext ctx{config, templates, report};
  generator::MemorySite site;
  std::vector<generator::ListEntry> entries;
  for (int i = 0; i < 450; ++i) entries.push_back({i < 300 ? "First" : "Second", "runbooks/r" + std::to_string(i) + ".html", "R" + std::to_string(i), "", {}});
  generator::write_paged_list(ctx, site, {"folders/x.html", "X", "", {{"index.html", "Home"}}, {}}, entries);
  site.commit();
  REQUIRE(site.size() == 3);
  std::string second = *site.find("folders/x.2.html");
  CHECK(second.find("Page 2 of 3: 201–400 of 450.") != std::string::npos);
  CHECK(second.find("<a href=\"../runbooks/r200.html\">R200</a>") != std::string::npos);
  CHECK(second.find("R400<") == std::string::npos);
  CHECK(second.find("R199<") == std::string::npos);
  // Both groups are on page 2, each with its count there.
  CHECK(second.find("First <span class=\"count\">(100)</span>") != std::string::npos);
  CHECK(second.find("Second <span class=\"count\">(100)</span>") != std::string::npos);
  CHECK(second.find("<a rel=\"prev\" href=\"../folders/x.html\">") != std::string::npos);
  CHECK(second.find("<a rel=\"next\" href=\"../folders/x.3.html\">") != std::string::npos);
  CHECK(second.find("<span aria-current=\"page\">2</span>") != std::string::npos);
  CHECK(site.find("folders/x.html")->find("rel=\"prev\"") == std::string::npos);
}
