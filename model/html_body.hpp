// Safe HTML for a runbook body, rendered from the parser's cmark-gfm tree (internal to model/).
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "runbook.hpp"

struct cmark_node;
struct _cmark_llist;

namespace opsbook::model {

struct HtmlTargets {
  std::vector<std::pair<cmark_node*, size_t>> headings;     // node -> index in Runbook::sections
  std::vector<std::pair<cmark_node*, size_t>> code_blocks;  // node -> index in Runbook::snippets
  int line_offset = 0;  // the tree's line 1 is the file's line 1 + line_offset (front matter)
};

// Rewrites the tree (raw HTML escaped or dropped, unsafe URLs neutralised, headings and code
// blocks replaced by our markup) and renders it. The tree is not usable afterwards. A table row
// or list item that documents an endpoint or a port (a live check of its own) ends with
// "<!--opsbook-row:LINE-->" (LINE: the check's file line), where the portal puts its status.
std::string render_body_html(cmark_node* document, _cmark_llist* extensions, const Runbook& runbook,
                             const HtmlTargets& targets);

// Escapes &, <, >, " and ' for HTML text and attribute values.
void append_html_escaped(std::string& out, std::string_view text);
std::string html_escape(std::string_view text);

// True for URLs that may appear in href/src: http(s), mailto, tel, and relative references.
bool is_safe_url(std::string_view url);

}  // namespace opsbook::model
