// Templates and assets compiled into the binary (from templates/), so opsbook runs from any
// folder; a user's `templates:` folder overrides any of them by file name.
#pragma once

#include <string_view>
#include <vector>

namespace opsbook::generator {

struct EmbeddedFile {
  std::string_view name;  // path below templates/, e.g. "page.mustache", "assets/opsbook.css"
  std::string_view data;
};

const std::vector<EmbeddedFile>& embedded_files();

}  // namespace opsbook::generator
