// Tables too large for cmark-gfm to lay out are read as text with a warning; the rest of the
// runbook, code fences and ordinary tables are read as usual.
#include <catch2/catch.hpp>

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

TEST_CASE("table guard: ordinary tables and dashes in code fences are left alone", "[model][limits]") {
  model::Diagnostics d;
  CHECK_FALSE(model::tame_huge_tables("| a | b |\n|---|:-:|\n| 1 | 2 |\n", 1, "x.md", d));
  std::string fenced = "```\n|";
  for (int i = 0; i < 300; ++i) fenced += "-|";
  fenced += "\n```\n";
  CHECK_FALSE(model::tame_huge_tables(fenced, 1, "x.md", d));
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
  // Every body row like a delimiter row: each is read once, not as the start of a table.
  std::string rows = "a|b\n-|-\n";
  for (int i = 0; i < 20000; ++i) rows += "-|-\n";
  CHECK_FALSE(model::tame_huge_tables(rows, 1, "x.md", d));
}

TEST_CASE("table guard: a form feed or vertical tab in the delimiter row does not hide the table (s5c review: 27 s)", "[model][limits]") {
  for (const char* end : {"\f", "\v"}) {
    model::Diagnostics d;
    CHECK(model::tame_huge_tables("| a | b |\n|---|---|" + std::string(end) + "\n" + std::string(50000, '|') + "\n", 1, "x.md", d));
  }
}
