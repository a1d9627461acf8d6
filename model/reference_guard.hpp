// cmark-gfm copies a link reference definition's destination and title into every link that
// uses it, without a bound: 50 KB of markdown made a 100 MB page, and 600 KB aborted the parser
// after 3.8 GB. A linear pre-scan estimates the expanded size from above and refuses the file
// before cmark sees it when the estimate passes the bound.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

namespace opsbook::model {

// Expanded reference bytes a file of `file_bytes` may reach: 8 times its size plus 1 MiB.
uint64_t reference_expansion_bound(size_t file_bytes);

struct ReferenceBlowup {
  size_t offset = 0;      // in the scanned text: the bracket of the first use past the bound
  uint64_t expanded = 0;  // the estimate for the whole text
};

// The first use at which the estimated expansion of `body` passes `bound`, or nullopt.
// Every innermost `[...]` counts as a use, and one followed by `:` also as a definition that
// reaches to the next one when its destination and title end before it, else to the end of its
// paragraph; labels are compared by their ASCII digits and
// punctuation only, so case folding and spacing can never make a use the estimate misses.
std::optional<ReferenceBlowup> find_reference_blowup(std::string_view body, uint64_t bound);

}  // namespace opsbook::model
