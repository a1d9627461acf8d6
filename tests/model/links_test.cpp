// Relative link resolution shared by the link checks and sharded checks.
#include <catch2/catch.hpp>

#include "model/links.hpp"

using namespace opsbook;

TEST_CASE("local links: path joined to the runbook's folder, anchor decoded", "[model][links]") {
  auto l = model::local_link("docs/db/restore.md", " ../web/deploy%20notes.md#roll%20back ");
  REQUIRE(l);
  CHECK(l->path == "../web/deploy notes.md");
  CHECK(l->resolved == "docs/web/deploy notes.md");
  CHECK(l->anchor == "roll back");
  auto self = model::local_link("docs/a.md", "#usage");
  REQUIRE(self);
  CHECK(self->path.empty());
  CHECK(self->resolved.empty());
  CHECK(self->anchor == "usage");
  auto query = model::local_link("a.md", "b.md?plain=1#x");
  REQUIRE(query);
  CHECK(query->resolved == "b.md");
  CHECK(query->anchor == "x");
  CHECK_FALSE(model::local_link("a.md", "https://example.com/x.md"));
  CHECK_FALSE(model::local_link("a.md", "mailto:ops@example.com"));
  CHECK_FALSE(model::local_link("a.md", "/docs/x.md"));
  CHECK_FALSE(model::local_link("a.md", "  "));
  CHECK(model::has_scheme("HTTPS://x"));
  CHECK_FALSE(model::has_scheme("dir/a:b.md"));
}
