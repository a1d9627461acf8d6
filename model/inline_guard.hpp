// Inline shapes that libcmark-gfm 0.29.0.gfm.6 (Debian bookworm's) parses in quadratic time, fixed
// upstream only later: unclosed `<?`, `<!X` declarations and `<![CDATA[` (each scans to the paragraph's end), links
// after many `![` (each link walks every image opener before it), and `@` in long words (each is
// an e-mail autolink scan), and many lines inside deeply nested block quotes or list items (each
// line walks every open container: `>`x40,000 then 40,000 lazy lines, 120 KB, took 10 s).
// 300 KB took 30 s to over a minute. A linear pre-scan estimates the work per
// runbook from above and refuses the file before cmark sees it when it passes a bound.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace opsbook::model {

// Steps of each kind a runbook may cost; each is about 0.2 s of cmark-gfm, and at least 1,000
// times what the largest runbook of the 570 of the real corpus costs.
inline constexpr uint64_t k_max_bracket_work = 10'000'000;  // each `]` x the `![` before it in its paragraph
inline constexpr uint64_t k_max_html_scan = 50'000'000;     // bytes unclosed `<?`, `<!X`, `<![CDATA[` scan
inline constexpr uint64_t k_max_email_scan = 100'000'000;   // `@` x the length of the word they are in
inline constexpr uint64_t k_max_container_work = 10'000'000;  // each line x the block quotes and list items open around it

struct InlineBlowup {
  size_t offset = 0;  // in the scanned text: the start of the paragraph where a bound is passed
  std::string what;   // the shape, for the message
  std::string hint;
  uint64_t work = 0, bound = 0;
};

// The first paragraph at which the estimated work of `body` passes a bound, or nullopt.
// Paragraphs are split at blank lines only (over-counting lists and tables, never under).
std::optional<InlineBlowup> find_inline_blowup(std::string_view body);

}  // namespace opsbook::model
