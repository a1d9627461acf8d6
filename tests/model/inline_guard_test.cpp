// Inline shapes that libcmark-gfm 0.29.0.gfm.6 parses in quadratic time are refused before it sees
// them, naming the paragraph; the same shapes at the size people write them are read.
#include <catch2/catch.hpp>

#include "model/diagnostic.hpp"
#include "model/inline_guard.hpp"
#include "support.hpp"

using namespace opsbook;

namespace {

std::string refusal(const std::string& md) {
  model::Runbook rb = test::parse(md, "slow.md");
  REQUIRE(rb.diagnostics.items().size() == 1);
  CHECK(rb.sections.empty());
  return model::render(rb.diagnostics.items()[0], "");
}

}  // namespace

TEST_CASE("unclosed <? and CDATA sections (cmark-gfm: 300 KB took 31 s and 9.5 s) are refused at their paragraph", "[model][limits]") {
  CHECK(refusal("# Slow\n\nIntro.\n\n" + test::repeat("a <?", 75000) + "\n") ==
        "slow.md:5: error[limit]: the markdown parser would take 11250075000 steps scanning its unclosed `<?`, `<!X` and `<![CDATA[`, over the bound of 50000000 (its time grows with their square), from this paragraph on; the runbook is not read\n"
        "  hint: close each `<?` with `?>`, `<!X` with `>` and `<![CDATA[` with `]]>`, or put the text in a code block\n");
  CHECK(model::find_inline_blowup(test::repeat("a <![CDATA[", 27000)));
  // Many short ones, each closed, cost what they scan: read.
  CHECK_FALSE(model::find_inline_blowup(test::repeat("a <?php echo 1 ?> b\n", 20000)));
  CHECK_FALSE(model::find_inline_blowup(test::repeat("a <![CDATA[x]]> b <? c\n\n", 20000)));
}

TEST_CASE("unclosed <!A declarations (cmark-gfm: 600 KB took 12 s) share the bound of <? and CDATA", "[model][limits]") {
  // s7b review B3: each `<!` and a letter scans for `>` to the end of its paragraph.
  CHECK(refusal("# Slow\n\n" + test::repeat("a <!A ", 100000) + "\n") ==
        "slow.md:3: error[limit]: the markdown parser would take 30000200000 steps scanning its unclosed `<?`, `<!X` and `<![CDATA[`, over the bound of 50000000 (its time grows with their square), from this paragraph on; the runbook is not read\n"
        "  hint: close each `<?` with `?>`, `<!X` with `>` and `<![CDATA[` with `]]>`, or put the text in a code block\n");
  CHECK(model::find_inline_blowup(test::repeat("x <!ab ", 60000)));
  // One paragraph inside a block quote: the `>` markers close nothing.
  CHECK(model::find_inline_blowup(test::repeat("> a <!A\n", 40000)));
  // Closed ones (a doctype, comments in HTML) cost what they scan; `<!-` and `<!1` are no declarations.
  CHECK_FALSE(model::find_inline_blowup(test::repeat("a <!DOCTYPE html> b <!-- c --> <!1\n", 20000)));
  CHECK_FALSE(model::find_inline_blowup(test::repeat("a <!A\n\n", 40000)));
}

TEST_CASE("links after an unclosed image opener (300 KB took over a minute) and `@` in long words are refused", "[model][limits]") {
  CHECK(refusal("# Slow\n\n" + test::repeat("![[]()", 50000) + "\n") ==
        "slow.md:3: error[limit]: the markdown parser would take 1250025000 steps matching links past the image openers `![` before them, over the bound of 10000000 (its time grows with their square), from this paragraph on; the runbook is not read\n"
        "  hint: close each `![` as an image (`![text](url)`), or split long paragraphs with blank lines\n");
  CHECK(model::find_inline_blowup(test::repeat("a@", 150000)));
  CHECK(model::find_inline_blowup(test::repeat(std::string(50, 'a') + "@", 3000)));
  // A list of 2,000 links and images, and 20,000 paragraphs of links: read.
  CHECK_FALSE(model::find_inline_blowup(test::repeat("- [link](https://example.invalid/a) and [ref][r] ops@example.invalid ![logo](l.png)\n", 2000)));
  CHECK_FALSE(model::find_inline_blowup(test::repeat("[link](https://example.invalid/a) [b](c)\n\n", 20000)));
}

TEST_CASE("many lines inside deeply nested block quotes or list items are refused (s5c review: 120 KB took 10 s)", "[model][limits]") {
  for (const std::string& open : {std::string(">"), std::string("- "), std::string("1. "), std::string("> - ")}) {
    std::string deep;
    for (int i = 0; i < 20000; ++i) deep += open;
    std::string text = "# T\n\n" + deep + " a\n";
    for (int i = 0; i < 20000; ++i) text += "b\n";
    model::Runbook rb = test::parse(text);
    INFO(open);
    REQUIRE(rb.diagnostics.items().size() == 1);
    CHECK(rb.diagnostics.items()[0].loc.line == 3);
    CHECK(rb.diagnostics.items()[0].message.find("walking the block quotes and list items open around each line, over the bound of 10000000") != std::string::npos);
  }
  // Ordinary nesting, long lists and quotes pass.
  std::string ok = "# T\n\n";
  for (int i = 0; i < 5000; ++i) ok += "> - > 1. line " + std::to_string(i) + "\n";
  CHECK(test::parse(ok).diagnostics.items().empty());
}
