// Tables too large for cmark-gfm to lay out are read as text with a warning; the rest of the
// runbook, code fences and ordinary tables are read as usual.
#include <catch2/catch.hpp>

#include <algorithm>

#include "model/table_guard.hpp"
#include "support.hpp"

using namespace opsbook;

TEST_CASE("a table of 5000 columns is text with a warning, and the runbook around it is read (hostile review: 21 KB took 3.6 GB)", "[model][limits]") {
  std::string md = "# T\n\n|";
  for (int i = 0; i < 5000; ++i) md += "a|";
  md += "\n|";
  for (int i = 0; i < 5000; ++i) md += "-|";
  md += "\n";
  for (int i = 0; i < 5000; ++i) md += "|x\n";
  md += "\n## Check\n\n```bash\ncurl -fsS http://127.0.0.1/healthz\n```\n\n| Service | Health |\n|---|---|\n| api | http://127.0.0.1/healthz |\n";
  model::Runbook rb = test::parse(md);
  REQUIRE(rb.diagnostics.items().size() == 1);
  CHECK(rb.diagnostics.items()[0].loc.line == 4);
  CHECK(rb.diagnostics.items()[0].message == "a table of 5000 columns and 5000 rows is too large to lay out; it is shown as text");
  CHECK(rb.snippets.size() == 1);
  CHECK(rb.sections.size() == 2);
}

TEST_CASE("table guard: ordinary tables and code fences are left alone, tables in block quotes are sized", "[model][limits]") {
  model::Diagnostics d;
  CHECK_FALSE(model::tame_huge_tables("| a | b |\n|---|:-:|\n| 1 | 2 |\n", 1, "x.md", d));
  CHECK_FALSE(model::tame_huge_tables("```\n| a | b |\n|---|:-:|\n| 1 | 2 |\n```\n", 1, "x.md", d));
  std::string quoted = "> |";
  for (int i = 0; i < 300; ++i) quoted += "a|";
  quoted += "\n> |";
  for (int i = 0; i < 300; ++i) quoted += "-|";
  auto tamed = model::tame_huge_tables(quoted + "\n", 1, "x.md", d);
  REQUIRE(tamed);
  CHECK(tamed->size() == quoted.size() + 1);
  CHECK(tamed->find('-') == std::string::npos);
  CHECK(d.items().size() == 1);
}

TEST_CASE("a table row of 50,000 cells (cmark-gfm: 30 s), also in the header, is shown as text", "[model][limits]") {
  model::Runbook rb = test::parse("# T\n\na|b\n-|-\n" + std::string(50000, '|') + "\n\nAfter.\n");
  REQUIRE(rb.diagnostics.items().size() == 1);
  CHECK(rb.diagnostics.items()[0].loc.line == 4);
  CHECK(rb.diagnostics.items()[0].message == "a table of 2 columns, 1 rows and a row of 49999 cells is too large to lay out; it is shown as text");
  model::Diagnostics d;
  CHECK(model::tame_huge_tables(std::string(50000, '|') + "\n-|-\n", 1, "x.md", d));
  // Every body row like a delimiter row: a table of 1000 such rows is left as it is.
  std::string rows = "a|b\n-|-\n";
  for (int i = 0; i < 1000; ++i) rows += "-|-\n";
  CHECK_FALSE(model::tame_huge_tables(rows, 1, "x.md", d));
}

TEST_CASE("table guard: a form feed or vertical tab in the delimiter row does not hide the table (s5c review: 27 s)", "[model][limits]") {
  for (const char* end : {"\f", "\v"}) {
    model::Diagnostics d;
    CHECK(model::tame_huge_tables("| a | b |\n|---|---|" + std::string(end) + "\n" + std::string(50000, '|') + "\n", 1, "x.md", d));
  }
}

namespace {

// A table cmark-gfm takes 30 s to lay out (a row of 50,000 cells), from line 2 of `tail`.
std::string huge_table() { return "a|b\n-|-\n" + std::string(50000, '|') + "\n\nAfter.\n"; }

}  // namespace

TEST_CASE("table guard: no fence cmark-gfm does not read as one hides a table (s6 review B2: 20.9 s)", "[model][limits]") {
  // Each prefix ends, or never opens, a code block for cmark-gfm (CommonMark 4.5); the guard used
  // to read each as an open fence and let the table after it through.
  struct Case {
    const char* what;
    std::string prefix;
  };
  const Case cases[] = {
      {"a backtick in a backtick fence's info string", "```a`b\n"},
      {"4 spaces of indentation", "    ```\n"},
      {"a tab of indentation", "\t```\n"},
      {"a fence in a block quote, ended by the quote", "> ```\n"},
      {"a fence in a list item, ended by the item", "- a\n\n  ```\n"},
      {"a closing fence with an info string", "```\n``` x\n```\n"},
      {"a shorter fence inside a longer one", "````\n```\n````\n"},
      {"a backtick fence inside a tilde one", "~~~\n```\n~~~\n"},
  };
  for (const Case& c : cases) {
    INFO(c.what);
    std::string md = "# T\n\n" + c.prefix + huge_table();
    model::Runbook rb = test::parse(md);
    int delimiter_line = 3 + static_cast<int>(std::count(c.prefix.begin(), c.prefix.end(), '\n')) + 1;
    std::vector<model::Diagnostic> limits;  // a fence closed by its quote or item also gets its own warning
    for (const auto& d : rb.diagnostics.items()) {
      if (d.rule == "limit") limits.push_back(d);
    }
    REQUIRE(limits.size() == 1);
    CHECK(limits[0].loc.line == delimiter_line);
    CHECK(limits[0].message == "a table of 2 columns, 1 rows and a row of 49999 cells is too large to lay out; it is shown as text");
  }
}

TEST_CASE("table guard: a table in a real code fence is sized too, and only its dashes change", "[model][limits]") {
  model::Diagnostics d;
  std::string md = "```\n" + huge_table() + "```\n";
  auto tamed = model::tame_huge_tables(md, 1, "x.md", d);
  REQUIRE(tamed);
  CHECK(*tamed == "```\na|b\n | \n" + std::string(50000, '|') + "\n\nAfter.\n```\n");
  REQUIRE(d.items().size() == 1);
  CHECK(d.items()[0].loc.line == 3);
}

TEST_CASE("table guard: lines ended by a bare carriage return are lines, as for cmark-gfm", "[model][limits]") {
  model::Diagnostics d;
  auto tamed = model::tame_huge_tables("a|b\r-|-\r" + std::string(50000, '|') + "\r", 1, "x.md", d);
  REQUIRE(tamed);
  CHECK(tamed->substr(0, 8) == "a|b\r | \r");
  // \r\n is one line ending: the warning names the line an editor shows.
  model::Diagnostics crlf;
  CHECK(model::tame_huge_tables("x\r\n\r\na|b\r\n-|-\r\n" + std::string(50000, '|') + "\r\n", 1, "x.md", crlf));
  REQUIRE(crlf.items().size() == 1);
  CHECK(crlf.items()[0].loc.line == 4);
}

TEST_CASE("table guard: a one-column table with a row of 50,000 cells is shown as text", "[model][limits]") {
  model::Diagnostics d;
  CHECK(model::tame_huge_tables("|a|\n|-|\n" + std::string(50000, '|') + "\n", 1, "x.md", d));
}

TEST_CASE("table guard: a second delimiter row under a tamed one is sized too", "[model][limits]") {
  // Blanking the first leaves it a paragraph line whose cells match the second delimiter row.
  model::Diagnostics d;
  auto tamed = model::tame_huge_tables("a|b\n-|-\n-|-\n" + std::string(50000, '|') + "\n", 1, "x.md", d);
  REQUIRE(tamed);
  CHECK(tamed->find('-') == std::string::npos);
  REQUIRE(d.items().size() == 1);
  CHECK(d.items()[0].message ==
        "a table of 2 columns, 2 rows and a row of 49999 cells is too large to lay out; it is shown as text (and the delimiter row after it up to the next blank line)");
}

TEST_CASE("table guard: a million delimiter rows above one wide row give one warning, and nothing is kept per line", "[model][limits]") {
  // Each of them would open a table holding the wide row: one warning for the block, not one each.
  std::string md = "a|b\n";
  for (int i = 0; i < 1'000'000; ++i) md += "-|\n";
  md += std::string(8000, '|') + "\n";
  model::Diagnostics d;
  auto tamed = model::tame_huge_tables(md, 1, "x.md", d);
  REQUIRE(tamed);
  REQUIRE(d.items().size() == 1);
  CHECK(d.items()[0].loc.line == 2);
  CHECK(d.items()[0].message ==
        "a table of 1 columns, 1000000 rows and a row of 7999 cells is too large to lay out; it is shown as text (and the 999999 delimiter rows after it up to the next blank line)");
}

TEST_CASE("table guard: a paragraph of many short delimiter rows that open no table (80 KB took 18 s)", "[model][limits]") {
  // cmark-gfm reads the whole paragraph above each delimiter row again, looking for its header:
  // `-|` under `-|-|` and `-|-|` under `-|` never match, so the paragraph only grows.
  std::string md = "# T\n\na\n";
  for (int i = 0; i < 20000; ++i) md += i % 2 ? "-|\n" : "-|-|\n";
  md += "\nAfter.\n";
  model::Diagnostics d;
  auto tamed = model::tame_huge_tables(md, 1, "x.md", d);
  REQUIRE(tamed);
  REQUIRE(d.items().size() == 1);
  int first = d.items()[0].loc.line;
  CHECK(first > 1000);
  CHECK(d.items()[0].message == "this delimiter row and the " + std::to_string(20000 + 3 - first) +
                                    " after it are shown as text: the markdown parser reads the whole paragraph above each one again, over 10000000 steps in this runbook");
  // The rows above it are left as they are; every one from it on has no dash left.
  size_t cut = 0;
  for (int line = 1; line < first; ++line) cut = tamed->find('\n', cut) + 1;
  CHECK(tamed->substr(0, cut) == md.substr(0, cut));
  CHECK(tamed->find('-', cut) == std::string::npos);
  model::Runbook rb = test::parse(md);
  CHECK(rb.diagnostics.items().size() == 1);
}
