// The markdown parser: one file's bytes in, one Runbook out. The only code that sees cmark-gfm.
#pragma once

#include <string>

#include "limits.hpp"
#include "runbook.hpp"

namespace opsbook::model {

struct ParseOptions {
  // Also render the body to safe HTML (Runbook::html) for the portal: raw HTML from the file is
  // escaped or dropped, link schemes are filtered, headings get anchors, code blocks get snippet
  // markup with safety badges and a copy button.
  bool html = false;
  Limits limits;
};

// `path` is what diagnostics show; `slug` identifies the runbook in ids (see loader.hpp).
// Never throws on bad input: problems become diagnostics on the returned runbook.
Runbook parse_runbook(std::string path, std::string slug, std::string source, const ParseOptions& options = {});

}  // namespace opsbook::model
