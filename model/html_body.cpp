// HTML rendering of runbook bodies. Raw HTML is never trusted: comments are dropped, a few
// attribute-free formatting tags are kept, everything else is shown as text. Links to other
// runbooks (.md) point at their pages (.html).
#include "html_body.hpp"

#include <cmark-gfm-extension_api.h>
#include <cmark-gfm.h>

#include <algorithm>
#include <array>
#include <cstdlib>
#include <cstring>
#include <map>
#include <memory>
#include <set>

#include "text.hpp"

namespace opsbook::model {

void append_html_escaped(std::string& out, std::string_view text) {
  size_t run = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    const char* rep = nullptr;
    switch (text[i]) {
      case '&': rep = "&amp;"; break;
      case '<': rep = "&lt;"; break;
      case '>': rep = "&gt;"; break;
      case '"': rep = "&quot;"; break;
      case '\'': rep = "&#39;"; break;
      default: continue;
    }
    out.append(text.substr(run, i - run));
    out += rep;
    run = i + 1;
  }
  out.append(text.substr(run));
}

std::string html_escape(std::string_view text) {
  std::string out;
  out.reserve(text.size() + 16);
  append_html_escaped(out, text);
  return out;
}

bool is_safe_url(std::string_view url) {
  std::string_view u = trim(url);
  // Browsers ignore control characters and whitespace inside schemes ("java\tscript:").
  std::string compact;
  for (char c : u) {
    if (static_cast<unsigned char>(c) > 0x20) compact += c;
  }
  size_t colon = compact.find(':');
  size_t stop = compact.find_first_of("/?#");
  if (colon == std::string::npos || (stop != std::string::npos && stop < colon)) return true;  // relative
  std::string scheme = to_lower(std::string_view(compact).substr(0, colon));
  return scheme == "http" || scheme == "https" || scheme == "mailto" || scheme == "tel";
}

namespace {

struct NodeFree {
  void operator()(char* p) const { std::free(p); }
};

bool allowed_tag(std::string_view html) {
  static constexpr std::array<std::string_view, 14> k_tags = {"br", "kbd", "sub", "sup", "b", "i", "em", "strong", "code",
                                                             "details", "summary", "s", "u", "hr"};
  std::string t = to_lower(trim(html));
  if (t.size() < 3 || t.front() != '<' || t.back() != '>') return false;
  std::string_view name = std::string_view(t).substr(1, t.size() - 2);
  if (!name.empty() && name.front() == '/') name.remove_prefix(1);
  if (!name.empty() && name.back() == '/') name.remove_suffix(1);
  name = trim(name);
  return std::find(k_tags.begin(), k_tags.end(), name) != k_tags.end();
}

// "other.md#x" -> "other.html#x"; leaves external URLs alone.
std::string rewrite_link(std::string_view url) {
  if (url.find("://") != std::string_view::npos || url.starts_with("mailto:") || url.starts_with('#')) return std::string(url);
  size_t cut = url.find_first_of("?#");
  std::string_view path = url.substr(0, cut);
  std::string_view rest = cut == std::string_view::npos ? std::string_view{} : url.substr(cut);
  if (path.ends_with(".md")) return std::string(path.substr(0, path.size() - 3)) + ".html" + std::string(rest);
  if (path.ends_with(".markdown")) return std::string(path.substr(0, path.size() - 9)) + ".html" + std::string(rest);
  return std::string(url);
}

void replace_node(cmark_node* old_node, cmark_node* new_node) {
  cmark_node_insert_before(old_node, new_node);
  cmark_node_unlink(old_node);
  cmark_node_free(old_node);
}

cmark_node* html_block(const std::string& html) {
  cmark_node* n = cmark_node_new(CMARK_NODE_HTML_BLOCK);
  cmark_node_set_literal(n, html.c_str());
  return n;
}

std::string render_node(cmark_node* node, _cmark_llist* extensions) {
  std::unique_ptr<char, NodeFree> html(cmark_render_html(node, CMARK_OPT_UNSAFE, extensions));
  return html ? std::string(html.get()) : std::string();
}

bool badge_kind(SnippetKind k) {
  return k == SnippetKind::shell || k == SnippetKind::sql || k == SnippetKind::powershell || k == SnippetKind::http;
}

// The code; where a block mixes safety classes each command's lines are marked with its class
// (shown by CSS after the command, never copied: copy reads the text).
void append_code(std::string& out, const Snippet& s) {
  bool mixed = badge_kind(s.kind) && std::any_of(s.commands.begin(), s.commands.end(), [&](const Command& c) { return c.safety != s.commands[0].safety; });
  if (!mixed) {
    append_html_escaped(out, s.code);
    return;
  }
  std::vector<std::string_view> lines = split_lines(s.code);
  size_t next = 0;  // commands are in line order
  int open_until = -1;
  for (size_t i = 0; i < lines.size(); ++i) {
    int line = s.code_line + static_cast<int>(i);
    while (next < s.commands.size() && s.commands[next].line < line) ++next;
    if (open_until < 0 && next < s.commands.size() && s.commands[next].line == line) {
      const Command& c = s.commands[next];
      std::string title = "line " + std::to_string(c.line) + ": " + std::string(to_string(c.safety));
      for (const auto& r : c.reasons) title += "; " + r.reason;
      out += "<span class=\"cmd\" data-safety=\"" + std::string(to_string(c.safety)) + "\" title=\"" + html_escape(title) + "\">";
      open_until = std::max(c.end_line, c.line);
    }
    append_html_escaped(out, lines[i]);
    if (open_until >= 0 && line >= open_until) {
      out += "</span>";
      open_until = -1;
    }
    if (i + 1 < lines.size() || s.code.ends_with('\n')) out += '\n';
  }
  if (open_until >= 0) out += "</span>";
}

std::string snippet_html(const Snippet& s) {
  std::string out;
  std::string id = html_escape(s.id);
  std::string lang;
  for (char c : s.lang) {
    if (is_ident_char(c) || c == '-' || c == '+') lang += c;
  }
  out += "<div class=\"snippet\" id=\"snippet-" + id + "\" data-snippet=\"" + id + "\"";
  if (badge_kind(s.kind)) out += " data-safety=\"" + std::string(to_string(s.safety)) + "\"";
  out += "><div class=\"snippet-bar\">";
  if (badge_kind(s.kind)) {
    std::string title;
    for (const auto& r : s.reasons) {
      if (!title.empty()) title += "; ";
      title += "line " + std::to_string(r.line) + ": " + r.reason;
    }
    if (s.declared && *s.declared != s.classified) title = "declared " + std::string(to_string(*s.declared)) + ", classifier says " + std::string(to_string(s.classified)) + (title.empty() ? "" : " (" + title + ")");
    out += "<span class=\"badge safety-" + std::string(to_string(s.safety)) + "\" title=\"" + html_escape(title) + "\">" +
           std::string(to_string(s.safety)) + "</span>";
  }
  out += "<a class=\"snippet-name\" href=\"#snippet-" + id + "\">" + id + "</a>";
  if (!lang.empty()) out += "<span class=\"snippet-lang\">" + lang + "</span>";
  out += "<!--opsbook-status:" + id + "-->";
  out += "<button type=\"button\" class=\"copy\" aria-label=\"Copy snippet " + id + "\">Copy</button></div>";
  out += "<pre><code";
  if (!lang.empty()) out += " class=\"language-" + lang + "\"";
  if (!s.expected_output.empty() && !s.commands.empty()) {
    // Transcripts: the copy button copies only the commands, not the output.
    std::string cmds;
    for (const auto& c : s.commands) cmds += c.text + "\n";
    out += " data-copy=\"" + html_escape(cmds) + "\"";
  }
  out += ">";
  append_code(out, s);
  out += "</code></pre></div>\n";
  return out;
}

// GitHub alerts: a blockquote whose first line is "[!NOTE]", "[!TIP]", "[!IMPORTANT]", "[!WARNING]" or
// "[!CAUTION]" (any case) alone renders as a callout with that title instead of a quote.
struct AlertKind {
  std::string_view marker, css, title;
};
constexpr std::array<AlertKind, 5> k_alerts = {{{"NOTE", "note", "Note"},
                                                {"TIP", "tip", "Tip"},
                                                {"IMPORTANT", "important", "Important"},
                                                {"WARNING", "warning", "Warning"},
                                                {"CAUTION", "caution", "Caution"}}};

// The alert `quote` opens with, and the inline nodes that spell its marker (with the line break
// after it); nullptr when it is an ordinary quote.
const AlertKind* alert_of(cmark_node* quote, std::vector<cmark_node*>& marker) {
  cmark_node* para = cmark_node_first_child(quote);
  if (para == nullptr || cmark_node_get_type(para) != CMARK_NODE_PARAGRAPH) return nullptr;
  std::string text;
  cmark_node* n = cmark_node_first_child(para);
  for (; n != nullptr && cmark_node_get_type(n) == CMARK_NODE_TEXT; n = cmark_node_next(n)) {
    const char* lit = cmark_node_get_literal(n);
    text += lit != nullptr ? lit : "";
    marker.push_back(n);
  }
  if (n != nullptr && cmark_node_get_type(n) != CMARK_NODE_SOFTBREAK && cmark_node_get_type(n) != CMARK_NODE_LINEBREAK) return nullptr;
  if (n != nullptr) marker.push_back(n);
  std::string_view t = trim(text);
  if (t.size() < 4 || !t.starts_with("[!") || !t.ends_with("]")) return nullptr;
  std::string name = to_lower(t.substr(2, t.size() - 3));
  for (const auto& a : k_alerts) {
    if (to_lower(a.marker) == name) return &a;
  }
  return nullptr;
}

void render_alert(cmark_node* quote) {
  std::vector<cmark_node*> marker;
  const AlertKind* alert = alert_of(quote, marker);
  if (alert == nullptr) return;
  cmark_node* para = cmark_node_first_child(quote);
  for (cmark_node* n : marker) {
    cmark_node_unlink(n);
    cmark_node_free(n);
  }
  if (cmark_node_first_child(para) == nullptr) {
    cmark_node_unlink(para);
    cmark_node_free(para);
  }
  cmark_node* callout = cmark_node_new(CMARK_NODE_CUSTOM_BLOCK);
  std::string open = "<div class=\"callout callout-" + std::string(alert->css) + "\" role=\"note\"><p class=\"callout-title\">" +
                     std::string(alert->title) + "</p>\n";
  cmark_node_set_on_enter(callout, open.c_str());
  cmark_node_set_on_exit(callout, "</div>\n");
  while (cmark_node* child = cmark_node_first_child(quote)) {
    cmark_node_unlink(child);
    cmark_node_append_child(callout, child);
  }
  replace_node(quote, callout);
}

// The file lines of the live checks a row or item documents by itself: endpoints of tables and
// lists (not of snippets, which have their own status) and ports.
std::set<int> row_check_lines(const Runbook& rb) {
  std::set<int> lines;
  for (const auto& e : rb.endpoints) {
    if (e.snippet.empty() && e.line > 0) lines.insert(e.line);
  }
  for (const auto& p : rb.ports) {
    if (p.line > 0) lines.insert(p.line);
  }
  return lines;
}

// Appends "<!--opsbook-row:LINE-->" for each check line to the table row that starts on it (in
// its last cell), or else to the innermost list item that holds it (in its first paragraph).
void mark_check_rows(cmark_node* doc, const Runbook& rb, int line_offset) {
  std::set<int> lines = row_check_lines(rb);
  if (lines.empty()) return;
  std::map<int, cmark_node*> place;  // check line -> the node its marker goes into
  cmark_iter* it = cmark_iter_new(doc);
  for (cmark_event_type ev; (ev = cmark_iter_next(it)) != CMARK_EVENT_DONE;) {
    cmark_node* n = cmark_iter_get_node(it);
    if (ev != CMARK_EVENT_ENTER) continue;
    int first = cmark_node_get_start_line(n) + line_offset, last = cmark_node_get_end_line(n) + line_offset;
    if (std::strcmp(cmark_node_get_type_string(n), "table_row") == 0 && lines.count(first) > 0) {
      if (cmark_node* cell = cmark_node_last_child(n)) place[first] = cell;
    } else if (cmark_node_get_type(n) == CMARK_NODE_ITEM) {
      cmark_node* para = cmark_node_first_child(n);
      if (para == nullptr || cmark_node_get_type(para) != CMARK_NODE_PARAGRAPH) continue;
      // Pre-order: an inner item comes after the one holding it, and wins.
      for (auto l = lines.lower_bound(first); l != lines.end() && *l <= last; ++l) place[*l] = para;
    }
  }
  cmark_iter_free(it);
  for (const auto& [line, node] : place) {
    cmark_node* marker = cmark_node_new(CMARK_NODE_HTML_INLINE);
    cmark_node_set_literal(marker, ("<!--opsbook-row:" + std::to_string(line) + "-->").c_str());
    cmark_node_append_child(node, marker);
  }
}

}  // namespace

std::string render_body_html(cmark_node* doc, _cmark_llist* extensions, const Runbook& rb, const HtmlTargets& targets) {
  // 1. Collect the nodes to rewrite, then rewrite (the iterator must not see freed nodes).
  std::vector<cmark_node*> html_nodes;
  std::vector<cmark_node*> links;
  std::vector<cmark_node*> quotes;
  {
    cmark_iter* it = cmark_iter_new(doc);
    cmark_event_type ev;
    while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
      if (ev != CMARK_EVENT_ENTER) continue;
      cmark_node* n = cmark_iter_get_node(it);
      cmark_node_type t = cmark_node_get_type(n);
      if (t == CMARK_NODE_HTML_BLOCK || t == CMARK_NODE_HTML_INLINE) html_nodes.push_back(n);
      else if (t == CMARK_NODE_LINK || t == CMARK_NODE_IMAGE) links.push_back(n);
      else if (t == CMARK_NODE_BLOCK_QUOTE) quotes.push_back(n);
    }
    cmark_iter_free(it);
  }
  for (cmark_node* n : links) {
    const char* url = cmark_node_get_url(n);
    std::string_view u = url != nullptr ? url : "";
    if (!is_safe_url(u)) {
      cmark_node_set_url(n, "#unsafe-link-removed");
    } else if (cmark_node_get_type(n) == CMARK_NODE_LINK) {
      cmark_node_set_url(n, rewrite_link(u).c_str());
    }
  }
  for (cmark_node* n : html_nodes) {
    const char* lit = cmark_node_get_literal(n);
    std::string_view html = lit != nullptr ? lit : "";
    bool block = cmark_node_get_type(n) == CMARK_NODE_HTML_BLOCK;
    if (trim(html).starts_with("<!--")) {
      cmark_node_unlink(n);
      cmark_node_free(n);
      continue;
    }
    if (allowed_tag(html)) continue;
    std::string text(block ? trim(html) : html);
    if (block) {
      cmark_node* para = cmark_node_new(CMARK_NODE_PARAGRAPH);
      cmark_node* t = cmark_node_new(CMARK_NODE_TEXT);
      cmark_node_set_literal(t, text.c_str());
      cmark_node_append_child(para, t);
      replace_node(n, para);
    } else {
      cmark_node* t = cmark_node_new(CMARK_NODE_TEXT);
      cmark_node_set_literal(t, text.c_str());
      replace_node(n, t);
    }
  }
  for (cmark_node* n : quotes) render_alert(n);
  mark_check_rows(doc, rb, targets.line_offset);
  // 2. Headings with ids and anchors.
  for (const auto& [node, index] : targets.headings) {
    const Section& s = rb.sections[index];
    std::string inner = render_node(node, extensions);  // "<hN>...</hN>\n"
    size_t open = inner.find('>');
    size_t close = inner.rfind("</h");
    std::string body = open != std::string::npos && close != std::string::npos && close > open ? inner.substr(open + 1, close - open - 1) : html_escape(s.title);
    std::string level = std::to_string(s.level);
    std::string slug = html_escape(s.slug);
    replace_node(node, html_block("<h" + level + " id=\"" + slug + "\">" + body + "<a class=\"anchor\" href=\"#" + slug +
                                  "\" aria-label=\"Link to this section\">#</a></h" + level + ">\n"));
  }
  // 3. Code blocks as snippets.
  for (const auto& [node, index] : targets.code_blocks) replace_node(node, html_block(snippet_html(rb.snippets[index])));
  return render_node(doc, extensions);
}

}  // namespace opsbook::model
