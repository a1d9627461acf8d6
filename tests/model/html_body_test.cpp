// Runbook bodies as HTML: GitHub alerts become callouts; ordinary quotes stay quotes.
#include <catch2/catch.hpp>

#include "model/parser.hpp"

using namespace opsbook;

namespace {

std::string body(const std::string& markdown) {
  model::ParseOptions options;
  options.html = true;
  return model::parse_runbook("x.md", "x", markdown, options).html;
}

}  // namespace

TEST_CASE("GitHub alerts render as callouts with their title", "[model][html]") {
  CHECK(body("> [!WARNING]\n> Stop the **writers** first.\n") ==
        "<div class=\"callout callout-warning\" role=\"note\"><p class=\"callout-title\">Warning</p>\n"
        "<p>Stop the <strong>writers</strong> first.</p>\n</div>\n");
  for (auto [marker, css, title] : {std::tuple{"NOTE", "note", "Note"}, {"tip", "tip", "Tip"}, {"Important", "important", "Important"},
                                    {"CAUTION", "caution", "Caution"}}) {
    INFO(marker);
    std::string html = body(std::string("> [!") + marker + "]\n> text\n");
    CHECK(html.starts_with(std::string("<div class=\"callout callout-") + css + "\" role=\"note\"><p class=\"callout-title\">" + title + "</p>"));
    CHECK(html.find("[!") == std::string::npos);
  }
}

TEST_CASE("an alert keeps every block of its quote: paragraphs, lists, code", "[model][html]") {
  std::string html = body("> [!CAUTION]\n>\n> First.\n>\n> - one\n> - two\n>\n> ```bash {name=wipe}\n> rm -rf /var/tmp/x\n> ```\n");
  CHECK(html.starts_with("<div class=\"callout callout-caution\" role=\"note\"><p class=\"callout-title\">Caution</p>\n<p>First.</p>\n<ul>"));
  CHECK(html.find("id=\"snippet-wipe\"") != std::string::npos);
  CHECK(html.ends_with("</div>\n"));
  CHECK(html.find("<blockquote>") == std::string::npos);
}

TEST_CASE("quotes that are not alerts stay quotes", "[model][html]") {
  // Unknown kind, text after the marker on its line, a marker that is not first: GitHub shows
  // these as quotes too.
  for (const char* md : {"> [!DANGER]\n> x\n", "> [!NOTE] inline text\n", "> Some text\n> [!NOTE]\n", "> [!NOTE\n> x\n", "> [x]\n"}) {
    INFO(md);
    std::string html = body(md);
    CHECK(html.starts_with("<blockquote>"));
    CHECK(html.find("callout") == std::string::npos);
  }
}

TEST_CASE("alerts nest and sit in lists", "[model][html]") {
  std::string html = body("- step\n\n  > [!TIP]\n  > outer\n  >\n  > > [!NOTE]\n  > > inner\n");
  CHECK(html.find("<li>") != std::string::npos);
  CHECK(html.find("callout-tip") != std::string::npos);
  CHECK(html.find("callout-note") != std::string::npos);
  CHECK(html.find("<blockquote>") == std::string::npos);
}
