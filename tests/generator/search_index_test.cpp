// Search documents: the description and title are searchable, and each term knows the section
// where most of its weight is, so that a result links there.
#include <catch2/catch.hpp>

#include "generator/search_index.hpp"
#include "model/parser.hpp"

using namespace opsbook;

namespace {

const generator::SearchTerm* term(const generator::SearchDoc& d, const std::string& t) {
  for (const auto& x : d.terms) {
    if (x.term == t) return &x;
  }
  return nullptr;
}

}  // namespace

TEST_CASE("search documents: terms carry the section that holds most of their weight", "[generator][search]") {
  model::ParseOptions options;
  auto rb = model::parse_runbook("x.md", "x",
                                 "---\ndescription: Recovers the quokka queue.\nservices: [billing]\n---\n"
                                 "# Payments\n\nIntro mentions zebra once.\n\n"
                                 "## Check health\n\nHealth of payments.\n\n"
                                 "## Rotate credentials\n\nRotate the zebra key. The zebra key again.\n\n"
                                 "#### Deep detail\n\nA walrus lives here.\n\n"
                                 "```bash\nvault write zebra/rotate\n```\n",
                                 options);
  auto d = generator::make_search_doc(rb, "runbooks/x.html");
  // The H1 is the title, not a section to link to.
  REQUIRE(d.sections.size() == 2);
  CHECK(d.sections[0] == std::pair<std::string, std::string>{"check-health", "Check health"});
  CHECK(d.sections[1] == std::pair<std::string, std::string>{"rotate-credentials", "Rotate credentials"});
  CHECK(d.description == "Recovers the quokka queue.");
  CHECK(d.services == std::vector<std::string>{"billing"});
  REQUIRE(term(d, "zebra"));
  CHECK(term(d, "zebra")->section == 2);          // twice in prose and once in a command there
  CHECK(term(d, "zebra")->weight == Approx(4.5));  // 1 + 2 + 1.5
  REQUIRE(term(d, "walrus"));
  CHECK(term(d, "walrus")->section == 2);  // an H4 belongs to its H2
  REQUIRE(term(d, "quokka"));
  CHECK(term(d, "quokka")->section == 0);  // the description: the page top
  CHECK(term(d, "quokka")->weight == Approx(2.0));
  CHECK(term(d, "payments")->section == 0);  // the title outweighs the health section
  // Postings carry the section: "term":[df,doc,score,section].
  auto out = generator::build_search_index({d}, 1);
  bool found = false;
  for (const auto& [name, js] : out.files) {
    size_t at = js.find("\"walrus\":[1,0,");
    if (at != std::string::npos) found = js.compare(js.find(']', at) - 2, 2, ",2") == 0;
  }
  CHECK(found);
  // The fragment lists the sections a result can link to.
  std::string fragment = generator::search_fragment(0, d);
  CHECK(fragment.find("\"h\":[[\"check-health\",\"Check health\"],[\"rotate-credentials\",\"Rotate credentials\"]]") != std::string::npos);
  CHECK(fragment.find("\"d\":\"Recovers the quokka queue.\"") != std::string::npos);
  CHECK(fragment.find("\"s\":[\"billing\"]") != std::string::npos);
}
