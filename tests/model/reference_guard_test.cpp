// Link reference definitions used so often that their copies would swamp the page (or abort
// cmark-gfm) are refused before the markdown parser sees them; real reference links are read.
#include <catch2/catch.hpp>

#include "model/diagnostic.hpp"
#include "model/parser.hpp"
#include "model/reference_guard.hpp"
#include "support.hpp"

using namespace opsbook;

TEST_CASE("600 KB of 50 KB reference definitions used 100,000 times is refused before cmark (final review B2: SIGABRT at 3.8 GB)", "[model][limits]") {
  // Each of the 12 definitions is charged its own 50 KB (not the rest of the block).
  std::string md = "# Refs\n\n" + test::repeat("[a]: <" + std::string(50000, 'u') + ">\n", 12) + "\n" + test::repeat("![a] ", 100000) + "\n";
  model::Runbook rb = test::parse(md, "refs.md");
  REQUIRE(rb.diagnostics.items().size() == 1);
  CHECK(model::render(rb.diagnostics.items()[0], "") ==
        "refs.md:16:922: error[limit]: the text its link references expand to is 4769.7 MiB, over the limit of 9.4 MiB (9849424 bytes), 8 times the file plus 1 MiB, from this use on; the runbook is not read\n"
        "  hint: define each long link once and use it fewer times, or write the links inline\n");
  CHECK(rb.sections.empty());
  CHECK(rb.title == "refs");
}

TEST_CASE("reference expansion: 50 KB that would write a 100 MB page, and labels that match only after case folding or across lines", "[model][limits]") {
  std::string page = "[a]: <" + std::string(25000, 'u') + ">\n\n" + test::repeat("[a]", 6000) + "\n";
  CHECK(model::find_reference_blowup(page, model::reference_expansion_bound(page.size())));
  // cmark-gfm folds "ſ" (U+017F) to "s": [S] uses [ſ]. Letters never decide a match here.
  std::string folded = "[\xC5\xBF]: <" + std::string(60000, 'u') + ">\n\n" + test::repeat("[S] ", 100) + "\n";
  CHECK(model::find_reference_blowup(folded, model::reference_expansion_bound(folded.size())));
  std::string split = "[a\nb]: <" + std::string(60000, 'u') + ">\n\n" + test::repeat("[a b] ", 100) + "\n";
  CHECK(model::find_reference_blowup(split, model::reference_expansion_bound(split.size())));
  std::string escaped = "[a\\]b]: <" + std::string(60000, 'u') + ">\n\n" + test::repeat("[a\\]b] ", 100) + "\n";
  CHECK(model::find_reference_blowup(escaped, model::reference_expansion_bound(escaped.size())));
}

TEST_CASE("reference expansion: runbooks that use reference links as people write them are read", "[model][limits]") {
  std::string md = "# Links\n\n";
  for (int i = 0; i < 40; ++i) md += "See [the guide][g" + std::to_string(i) + "], [docs] and [x] - [ ] task\n";
  md += "\n- [ ] one\n- [x] two\n\n";
  for (int i = 0; i < 40; ++i) md += "[g" + std::to_string(i) + "]: https://docs.example.invalid/guide/" + std::to_string(i) + " \"Guide\"\n";
  md += "[docs]: https://docs.example.invalid/\n";
  model::ParseOptions options;
  options.html = true;
  model::Runbook rb = model::parse_runbook("links.md", "links", md, options);
  CHECK(rb.diagnostics.empty());
  CHECK(rb.html.find("href=\"https://docs.example.invalid/guide/39\" title=\"Guide\"") != std::string::npos);
}

TEST_CASE("reference expansion: a block of 800 definitions is charged once each (s7b review B13: 200 in 12 KB were refused)", "[model][limits]") {
  // Each definition used to reach to the end of the block: quadratic in their number.
  for (int n : {200, 800}) {
    std::string md = "# T\n\n";
    for (int i = 0; i < n; ++i) md += "See [doc " + std::to_string(i) + "][d" + std::to_string(i) + "].\n";
    md += "\n";
    for (int i = 0; i < n; ++i) {
      md += "[d" + std::to_string(i) + "]: https://example.com/docs/page" + std::to_string(i) + (i % 3 == 0 ? " \"Page\"" : i % 3 == 1 ? "\n  'Its title'" : "") + "\n";
    }
    INFO(n);
    CHECK_FALSE(model::find_reference_blowup(md, model::reference_expansion_bound(md.size())));
    model::ParseOptions options;
    options.html = true;
    model::Runbook rb = model::parse_runbook("refs.md", "refs", md, options);
    CHECK(rb.diagnostics.empty());
    CHECK(rb.html.find("href=\"https://example.com/docs/page" + std::to_string(n - 1) + "\"") != std::string::npos);
  }
}

TEST_CASE("reference expansion: a title that runs over the next definition lines is charged to its end", "[model][limits]") {
  // cmark reads [a]'s title across the lines that look like definitions: every use copies it all.
  for (const std::string& open : {std::string("\""), std::string("'"), std::string("(")}) {
    std::string close = open == "(" ? ")" : open;
    std::string md = "[a]: /u " + open + "\n" + test::repeat("[b]: <" + std::string(200, 'v') + ">\n", 300) + close + "\n\n" + test::repeat("[a] ", 400) + "\n";
    INFO(open);
    CHECK(model::find_reference_blowup(md, model::reference_expansion_bound(md.size())));
  }
  // Nor does a destination that the next label could continue, or one on the next line.
  for (const std::string& def : {std::string("[a]: /u"), std::string("[a]:")}) {
    std::string md = def + "[" + std::string(60000, 'v') + "]: x\n\n" + test::repeat("[a] ", 200) + "\n";
    INFO(def);
    CHECK(model::find_reference_blowup(md, model::reference_expansion_bound(md.size())));
  }
}
