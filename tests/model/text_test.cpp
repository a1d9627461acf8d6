// String helpers: trim keeps its result inside the text it was given.
#include <catch2/catch.hpp>

#include "model/text.hpp"

using opsbook::model::trim;

TEST_CASE("trim: the result is a view into the text, blank text included", "[model]") {
  std::string_view text = "  kubectl get pods \n";
  CHECK(trim(text) == "kubectl get pods");
  CHECK(trim(text).data() == text.data() + 2);
  // Blank text gives an empty view at its end, never a null one: callers measure offsets
  // (line numbers) from the text to the trimmed view.
  for (std::string_view blank : {std::string_view(" \t\n  \n"), std::string_view("\r\n\f\v"), std::string_view("")}) {
    std::string_view t = trim(blank);
    CHECK(t.empty());
    CHECK(t.data() == blank.data() + blank.size());
  }
}
