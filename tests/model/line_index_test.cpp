// model/line_index: the same lines as a scan from the top, found without one.
#include <catch2/catch.hpp>

#include <string>

#include "model/diagnostic.hpp"
#include "model/line_index.hpp"

using namespace opsbook;

TEST_CASE("LineIndex gives every line as source_line does, and the line of every offset", "[model][lines]") {
  for (std::string text : {"", "a", "a\n", "a\nb", "a\r\nb\r\n", "\n\n\n", "one\n\ntwo\nthree", "x\ny\n\n"}) {
    model::LineIndex lines(text);
    INFO("text: " << text);
    for (int n = -1; n <= lines.lines() + 2; ++n) CHECK(lines.line(n) == model::source_line(text, n));
    int line = 1;
    for (size_t offset = 0; offset < text.size(); ++offset) {
      CHECK(lines.line_of(offset) == line);
      if (text[offset] == '\n') ++line;
    }
  }
}
