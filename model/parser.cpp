// Parser: front matter, then a recursive walk over cmark-gfm's tree that fills sections,
// snippets (fenced and inline), endpoints, ports, checklists, tables, env vars and links.
#include "parser.hpp"

#include <cmark-gfm-core-extensions.h>
#include <cmark-gfm-extension_api.h>
#include <cmark-gfm.h>

#include <algorithm>
#include <cstring>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <unordered_map>

#include "model/attributes.hpp"
#include "block_kind.hpp"
#include "inline_commands.hpp"
#include "procedures.hpp"
#include "html_body.hpp"
#include "line_index.hpp"
#include "numbers.hpp"
#include "pattern.hpp"
#include "endpoints.hpp"
#include "front_matter.hpp"
#include "params.hpp"
#include "safety.hpp"
#include "shell_commands.hpp"
#include "shell_words.hpp"
#include "slug.hpp"
#include "terminal_text.hpp"
#include "inline_guard.hpp"
#include "reference_guard.hpp"
#include "table_guard.hpp"
#include "tables.hpp"
#include "text.hpp"

namespace opsbook::model {

namespace {

struct ParserDeleter {
  void operator()(cmark_parser* p) const { cmark_parser_free(p); }
};
struct NodeDeleter {
  void operator()(cmark_node* n) const { cmark_node_free(n); }
};

const char* type_string(cmark_node* node) { return cmark_node_get_type_string(node); }
bool is_type(cmark_node* node, const char* name) { return std::strcmp(type_string(node), name) == 0; }

// Nesting deeper than this (100,000 '>' or '*' characters) is not read further: our walks
// recurse, and no real runbook nests this deep.
constexpr int k_max_depth = 200;

// Where each code span's literal starts in a node's plain text.
using CodeOffsets = std::vector<std::pair<cmark_node*, size_t>>;

// Plain text of a node's inline content (code spans included, markup dropped).
void append_text(cmark_node* node, std::string& out, CodeOffsets* codes = nullptr, int depth = 0) {
  if (depth > k_max_depth) return;
  for (cmark_node* c = cmark_node_first_child(node); c != nullptr; c = cmark_node_next(c)) {
    switch (cmark_node_get_type(c)) {
      case CMARK_NODE_TEXT:
      case CMARK_NODE_CODE:
      case CMARK_NODE_HTML_INLINE:
        if (codes != nullptr && cmark_node_get_type(c) == CMARK_NODE_CODE) codes->emplace_back(c, out.size());
        if (cmark_node_get_type(c) != CMARK_NODE_HTML_INLINE) {
          const char* lit = cmark_node_get_literal(c);
          if (lit != nullptr) out += lit;
        }
        break;
      case CMARK_NODE_SOFTBREAK:
      case CMARK_NODE_LINEBREAK: out += ' '; break;
      default: append_text(c, out, codes, depth + 1); break;
    }
  }
}

std::string inline_text(cmark_node* node) {
  std::string out;
  append_text(node, out);
  return std::string(trim(out));
}

// inline_text, with where each code span's trimmed literal starts in it.
std::string inline_text(cmark_node* node, CodeOffsets& codes) {
  std::string out;
  append_text(node, out, &codes);
  std::string_view kept = trim(out);
  auto lead = static_cast<size_t>(kept.data() - out.data());
  for (auto& [code, at] : codes) {
    const char* lit = cmark_node_get_literal(code);
    std::string_view value = lit != nullptr ? std::string_view(lit) : std::string_view{};
    size_t inner = value.empty() ? 0 : static_cast<size_t>(trim(value).data() - value.data());
    at = std::min(std::max(at + inner, lead) - lead, kept.size());
  }
  return std::string(kept);
}

// The fence tag an inline command of this language would have had.
std::string inline_tag(CommandLang lang) {
  switch (lang) {
    case CommandLang::powershell: return "powershell";
    case CommandLang::sql: return "sql";
    case CommandLang::redis: return "redis";
    default: return "sh";
  }
}

// The status the sentence after the span ending at `end` in `text` documents ("`GET /ping` must
// return `200`"). The sentence is read for at most 1 KiB: a paragraph of 50,000 request lines
// with no full stop read to its end from each of them took 80 s.
std::string status_after(std::string_view text, size_t end) {
  constexpr size_t k_sentence = 1024;
  std::string_view rest = text.substr(std::min(end, text.size()), k_sentence);
  rest = rest.substr(0, std::min(rest.find(';'), rest.find(". ")));
  return parse_expected_status(rest);
}

// The text of a list item's own paragraphs and headings (not of its nested lists or fences).
std::string item_text(cmark_node* item) {
  std::string text;
  for (cmark_node* c = cmark_node_first_child(item); c != nullptr; c = cmark_node_next(c)) {
    if (cmark_node_get_type(c) == CMARK_NODE_PARAGRAPH || cmark_node_get_type(c) == CMARK_NODE_HEADING) {
      if (!text.empty()) text += ' ';
      text += inline_text(c);
    }
  }
  return text;
}

// A table-of-contents item: one paragraph holding only a link (and whitespace).
bool is_link_only_item(cmark_node* item) {
  cmark_node* para = cmark_node_first_child(item);
  if (para == nullptr || cmark_node_get_type(para) != CMARK_NODE_PARAGRAPH) return false;
  bool link = false;
  for (cmark_node* c = cmark_node_first_child(para); c != nullptr; c = cmark_node_next(c)) {
    if (cmark_node_get_type(c) == CMARK_NODE_LINK) {
      link = true;
    } else if (cmark_node_get_type(c) == CMARK_NODE_TEXT) {
      const char* lit = cmark_node_get_literal(c);
      if (lit != nullptr && !trim(lit).empty()) return false;
    } else if (cmark_node_get_type(c) != CMARK_NODE_SOFTBREAK) {
      return false;
    }
  }
  return link;
}

bool is_env_name_token(std::string_view t) {
  if (t.size() < 3 || !(t[0] >= 'A' && t[0] <= 'Z')) return false;
  bool underscore = false;
  for (char c : t) {
    if (c == '_') underscore = true;
    else if (!((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))) return false;
  }
  return underscore;
}

// A paragraph, list item or table cell whose code spans are read: its plain text, the open section
// titles with it, and facts about it computed at most once (not once per span).
struct SpanText {
  std::string_view text;
  std::string_view topic;
  std::optional<bool> health_words;  // does the text or section title say "health", "probe"...
};

struct Context {
  bool in_table = false;
  bool in_list_item = false;
  Checklist* checklist = nullptr;  // steps being collected
  int step = -1;                   // index into checklist->items
};

class Builder {
 public:
  // Line starts are computed once: diagnostics look lines up without rescanning the file.
  Builder(Runbook& rb, int line_offset, const Limits& limits) : m_rb(rb), m_offset(line_offset), m_limits(limits), m_lines(m_rb.source) {
    m_html_targets.line_offset = line_offset;
  }

  void build(cmark_node* document);
  // The heading and code block nodes, for render_body_html.
  [[nodiscard]] const HtmlTargets& html_targets() const { return m_html_targets; }

 private:
  int file_line(cmark_node* node) const { return cmark_node_get_start_line(node) + m_offset; }

  void block(cmark_node* node, Context ctx);
  void children(cmark_node* node, Context ctx);
  void heading(cmark_node* node);
  void paragraph(cmark_node* node, const Context& ctx);
  void service_url_lines(cmark_node* paragraph, std::string_view text);
  void opened_links(cmark_node* paragraph, std::string_view text);
  void add_opened_page(std::string_view url, int line);
  std::string run_in_lead(cmark_node* list) const;
  bool numbered_ones(cmark_node* list) const;
  void code_block(cmark_node* node, const Context& ctx);
  void list(cmark_node* node, Context ctx);
  void table(cmark_node* node);
  // `at`: where the span's trimmed literal starts in `para.text`.
  void inline_code(cmark_node* code, size_t at, const Context& ctx, SpanText& para);
  bool says_health(std::string_view text) const;
  void collect_links(cmark_node* node, int depth = 0);

  std::string next_snippet_id(const Attributes& attrs);
  // False once the runbook has limits.snippets snippets (reported once, at the first one left out).
  bool snippet_allowed(int line);
  // timeout, expect-exit and expect-stdout must be usable as written.
  void check_attribute_values(const Snippet& s);
  void finish_snippet(Snippet& s, BracketPlaceholders brackets);
  void request_lines(const Snippet& s);
  std::string new_checklist_id();
  std::string current_section_title() const;
  std::string section_titles() const;
  static std::vector<std::string> item_texts(cmark_node* list);

  Runbook& m_rb;
  int m_offset;
  const Limits& m_limits;
  HtmlTargets m_html_targets;
  SlugSet m_slugs;
  int m_section = -1;
  std::vector<int> m_section_stack;  // indices of open headings
  ProcedureJoin m_join;              // procedures split by fences, continued by later lists
  std::string m_label;               // bold label or short "...:" paragraph just above
  std::string m_prev_paragraph;      // the last paragraph's text, since the last heading
  bool m_label_fresh = false;
  std::map<std::string, int> m_snippet_index;  // per section
  std::set<std::string> m_snippet_ids;
  std::map<std::string, int> m_checklist_count;
  std::string m_first_h1;
  LineIndex m_lines;
  int m_depth = 0;
  bool m_depth_reported = false;
  bool m_snippets_capped = false;

  std::string_view line_text(int line) const { return m_lines.line(line); }
  int total_lines() const { return m_lines.lines(); }
};

// The titles of the open sections, outermost first: what the passage is about.
std::string Builder::section_titles() const {
  std::string out;
  for (int i : m_section_stack) {
    out += m_rb.sections[static_cast<size_t>(i)].title;
    out += '\n';
  }
  return out;
}

std::string Builder::current_section_title() const {
  return m_section >= 0 ? m_rb.sections[static_cast<size_t>(m_section)].title : std::string();
}

std::string Builder::next_snippet_id(const Attributes& attrs) {
  for (const auto& [k, v] : attrs) {
    if ((k == "name" || k == "id") && !v.empty()) {
      m_snippet_ids.insert(v);
      return v;  // explicit names are kept even when duplicated (the check reports it)
    }
  }
  std::string section = m_section >= 0 ? m_rb.sections[static_cast<size_t>(m_section)].slug : "top";
  for (;;) {
    std::string id = section + "-" + std::to_string(++m_snippet_index[section]);
    if (m_snippet_ids.insert(id).second) return id;
  }
}

void Builder::check_attribute_values(const Snippet& s) {
  auto bad = [&](std::string message, std::string hint) {
    m_rb.diagnostics.add(m_rb.path, SourceLoc{s.line, 0}, Severity::warning, "attributes", std::move(message), std::move(hint));
  };
  if (const std::string* t = s.attr("timeout"); t && !parse_duration(*t, std::chrono::hours(24))) {
    bad("timeout '" + *t + "' is not a duration up to 24h; opsbook run refuses the snippet", "write e.g. timeout=30s or timeout=5m");
  }
  if (const std::string* e = s.attr("expect-exit"); e && !parse_integer(*e, 0, 255)) {
    bad("expect-exit '" + *e + "' is not an exit status (0-255)", "write e.g. expect-exit=0");
  }
  if (const std::string* p = s.attr("expect-stdout")) {
    if (std::string why = pattern_error(*p, m_limits.regex_bytes); !why.empty()) bad("expect-stdout: " + why, "write an RE2 pattern (no backreferences or look-around)");
  }
}

bool Builder::snippet_allowed(int line) {
  if (m_rb.snippets.size() < m_limits.snippets) return true;
  if (!m_snippets_capped) {
    m_snippets_capped = true;
    m_rb.diagnostics.add(m_rb.path, SourceLoc{line, 0}, Severity::error, "limit",
                         "more than " + std::to_string(m_limits.snippets) + " snippets in one runbook; this one and the ones after it are not read",
                         "split the runbook, or raise limits.snippets in opsbook.yaml");
  }
  return false;
}

std::string Builder::new_checklist_id() {
  std::string section = m_section >= 0 ? m_rb.sections[static_cast<size_t>(m_section)].slug : "top";
  int n = ++m_checklist_count[section];
  std::string id = m_rb.slug + "/" + section;
  if (n > 1) id += "-" + std::to_string(n);
  return id;
}

void Builder::build(cmark_node* document) {
  Context ctx;
  children(document, ctx);
  if (m_rb.title.empty()) m_rb.title = m_first_h1;
}

void Builder::children(cmark_node* node, Context ctx) {
  if (++m_depth > k_max_depth) {
    if (!m_depth_reported) {
      m_depth_reported = true;
      m_rb.diagnostics.add(m_rb.path, SourceLoc{file_line(node), 0}, Severity::warning, "nesting",
                           "lists or quotes nested more than " + std::to_string(k_max_depth) + " levels deep; the deeper content is not read",
                           "flatten the nesting");
    }
    --m_depth;
    return;
  }
  for (cmark_node* c = cmark_node_first_child(node); c != nullptr; c = cmark_node_next(c)) block(c, ctx);
  --m_depth;
}

void Builder::block(cmark_node* node, Context ctx) {
  cmark_node_type type = cmark_node_get_type(node);
  bool keeps_label = false;
  bool top_level = cmark_node_get_type(cmark_node_parent(node)) == CMARK_NODE_DOCUMENT;
  if (top_level && type != CMARK_NODE_CODE_BLOCK && type != CMARK_NODE_LIST && type != CMARK_NODE_HEADING) m_join.other_block();
  switch (type) {
    case CMARK_NODE_HEADING: heading(node); break;
    case CMARK_NODE_PARAGRAPH: {
      paragraph(node, ctx);
      // A short paragraph that is a bold label or ends with ':' names the next list or table.
      std::string text = inline_text(node);
      m_prev_paragraph = text;
      cmark_node* first = cmark_node_first_child(node);
      bool bold = first != nullptr && cmark_node_get_type(first) == CMARK_NODE_STRONG;
      if (!ctx.in_list_item && text.size() < 120 && (bold || (!text.empty() && text.back() == ':'))) {
        if (bold) {
          text = inline_text(first);
        }
        while (!text.empty() && (text.back() == ':' || text.back() == ' ')) text.pop_back();
        m_label = text;
        m_label_fresh = true;
        keeps_label = true;
      }
      break;
    }
    case CMARK_NODE_CODE_BLOCK: code_block(node, ctx); break;
    case CMARK_NODE_LIST: list(node, ctx); break;
    case CMARK_NODE_BLOCK_QUOTE: children(node, ctx); break;
    case CMARK_NODE_ITEM: children(node, ctx); break;
    default:
      if (is_type(node, "table")) {
        table(node);
      } else {
        children(node, ctx);
      }
      break;
  }
  if (!keeps_label && !ctx.in_list_item) m_label_fresh = false;
}

void Builder::heading(cmark_node* node) {
  m_join.heading();
  m_prev_paragraph.clear();
  Section s;
  s.title = inline_text(node);
  s.level = cmark_node_get_heading_level(node);
  s.line = file_line(node);
  s.slug = m_slugs.unique(s.title);
  while (!m_section_stack.empty() && m_rb.sections[static_cast<size_t>(m_section_stack.back())].level >= s.level) {
    m_section_stack.pop_back();
  }
  s.parent = m_section_stack.empty() ? -1 : m_section_stack.back();
  s.text_offset = m_rb.text.size();
  if (s.level == 1 && m_first_h1.empty()) m_first_h1 = s.title;
  m_rb.sections.push_back(std::move(s));
  m_section = static_cast<int>(m_rb.sections.size()) - 1;
  m_html_targets.headings.emplace_back(node, m_rb.sections.size() - 1);
  m_section_stack.push_back(m_section);
  m_rb.text += m_rb.sections.back().title;
  m_rb.text += '\n';
  collect_links(node);
}

// "The rest of the message is hard to read, but the interesting facts are" right above a list:
// the last sentence of the paragraph before it when that sentence runs into the list.
std::string Builder::run_in_lead(cmark_node* list) const {
  cmark_node* prev = cmark_node_previous(list);
  if (prev == nullptr || cmark_node_get_type(prev) != CMARK_NODE_PARAGRAPH) return {};
  std::string text = inline_text(prev);
  if (text.empty() || text.back() == '.' || text.back() == '!' || text.back() == '?') return {};
  size_t stop = text.rfind(". ");
  return stop == std::string::npos ? text : text.substr(stop + 2);
}

// "Grafana: http://localhost:3000", "**Access:** https://app.example.com" on a line of its own,
// in a list item or a paragraph of such lines: one endpoint per line.
void Builder::service_url_lines(cmark_node* paragraph, std::string_view text) {
  if (text.find("://") == std::string_view::npos) return;
  std::vector<std::string> lines(1);
  for (cmark_node* c = cmark_node_first_child(paragraph); c != nullptr; c = cmark_node_next(c)) {
    cmark_node_type type = cmark_node_get_type(c);
    if (type == CMARK_NODE_SOFTBREAK || type == CMARK_NODE_LINEBREAK) {
      lines.emplace_back();
    } else if (type == CMARK_NODE_TEXT || type == CMARK_NODE_CODE) {
      const char* lit = cmark_node_get_literal(c);
      if (lit != nullptr) lines.back() += lit;
    } else if (type != CMARK_NODE_HTML_INLINE) {
      append_text(c, lines.back());
    }
  }
  int line = file_line(paragraph);
  for (const std::string& l : lines) {
    if (Endpoint e; service_url_item(l, e)) {
      e.line = line;
      m_rb.endpoints.push_back(std::move(e));
    }
    ++line;
  }
}

// "browse to https://localhost:8443/users/sign_in": a link written as its URL, to a running
// service, that the words before it ask the reader to open.
void Builder::opened_links(cmark_node* paragraph, std::string_view text) {
  int line = file_line(paragraph);  // autolinks carry no position of their own: count the breaks
  for (cmark_node* c = cmark_node_first_child(paragraph); c != nullptr; c = cmark_node_next(c)) {
    cmark_node_type type = cmark_node_get_type(c);
    if (type == CMARK_NODE_SOFTBREAK || type == CMARK_NODE_LINEBREAK) ++line;
    if (type != CMARK_NODE_LINK) continue;
    const char* url = cmark_node_get_url(c);
    std::string_view u = url != nullptr ? url : "";
    if (u.empty() || inline_text(c) != u || !names_running_service(u)) continue;
    size_t at = text.find(u);
    if (at != std::string_view::npos && asks_to_open(text.substr(0, at))) add_opened_page(u, line);
  }
}

// A page of a running service the text asks the reader to open: reachable is what it expects.
void Builder::add_opened_page(std::string_view url, int line) {
  Endpoint e;
  e.url = std::string(url);
  e.source = "open";
  e.line = line;
  e.expect_status = "2xx, 3xx";
  m_rb.endpoints.push_back(std::move(e));
}

void Builder::collect_links(cmark_node* node, int depth) {
  if (depth > k_max_depth) return;
  for (cmark_node* c = cmark_node_first_child(node); c != nullptr; c = cmark_node_next(c)) {
    if (cmark_node_get_type(c) == CMARK_NODE_LINK) {
      const char* url = cmark_node_get_url(c);
      m_rb.links.push_back(Link{url ? url : "", inline_text(c), file_line(c), cmark_node_get_start_column(c)});
    }
    if (cmark_node_get_type(c) != CMARK_NODE_CODE) collect_links(c, depth + 1);
  }
}

void Builder::paragraph(cmark_node* node, const Context& ctx) {
  CodeOffsets offsets;
  std::string text = inline_text(node, offsets);
  m_rb.text += text;
  m_rb.text += '\n';
  collect_links(node);
  service_url_lines(node, text);
  opened_links(node, text);
  // Walk inline code spans (also inside emphasis and links).
  std::vector<cmark_node*> stack{node};
  std::vector<cmark_node*> codes;
  while (!stack.empty()) {
    cmark_node* n = stack.back();
    stack.pop_back();
    std::vector<cmark_node*> kids;
    for (cmark_node* c = cmark_node_first_child(n); c != nullptr; c = cmark_node_next(c)) kids.push_back(c);
    for (auto it = kids.rbegin(); it != kids.rend(); ++it) {
      if (cmark_node_get_type(*it) == CMARK_NODE_CODE) codes.push_back(*it);
      else stack.push_back(*it);
    }
  }
  std::sort(codes.begin(), codes.end(), [](cmark_node* a, cmark_node* b) {
    return std::pair(cmark_node_get_start_line(a), cmark_node_get_start_column(a)) <
           std::pair(cmark_node_get_start_line(b), cmark_node_get_start_column(b));
  });
  if (codes.empty()) return;
  // Built once per paragraph: a copy per span made 200,000 spans in one paragraph take 7.3 s.
  const std::string topic = section_titles() + text;
  SpanText para{text, topic, std::nullopt};
  std::unordered_map<cmark_node*, size_t> at(offsets.begin(), offsets.end());
  for (cmark_node* code : codes) {
    auto it = at.find(code);
    inline_code(code, it != at.end() ? it->second : text.size(), ctx, para);
  }
}

// The words as words: "json.endpoint_id" names a log field, not an endpoint.
bool Builder::says_health(std::string_view context) const {
  auto says = [&](std::string_view word) {
    for (size_t at = 0; at + word.size() <= context.size(); ++at) {
      if (!iequals(context.substr(at, word.size()), word)) continue;
      bool inside = (at > 0 && (context[at - 1] == '_' || context[at - 1] == '.')) ||
                    (at + word.size() < context.size() && context[at + word.size()] == '_');
      if (!inside) return true;
    }
    return false;
  };
  return says("health") || says("readiness") || says("liveness") || says("endpoint") || says("probe") || says("status page");
}

void Builder::inline_code(cmark_node* code, size_t at, const Context& ctx, SpanText& para) {
  std::string_view item_text = para.text;
  const char* lit = cmark_node_get_literal(code);
  if (lit == nullptr) return;
  std::string_view value = trim(lit);
  int line = file_line(code);
  if (is_env_name_token(value)) {
    m_rb.env_vars.push_back(EnvVar{std::string(value), line, "mention"});
    return;
  }
  if (Endpoint e; request_line(value, e)) {
    e.line = line;
    e.expect_status = status_after(item_text, at + value.size());
    m_rb.endpoints.push_back(std::move(e));
    return;
  }
  InlineContext around;
  // The words around the span in its paragraph, across a line break.
  auto text_of = [](cmark_node* n, cmark_node* (*step)(cmark_node*)) -> std::string_view {
    if (n != nullptr && (cmark_node_get_type(n) == CMARK_NODE_SOFTBREAK || cmark_node_get_type(n) == CMARK_NODE_LINEBREAK)) n = step(n);
    const char* t = n != nullptr && cmark_node_get_type(n) == CMARK_NODE_TEXT ? cmark_node_get_literal(n) : nullptr;
    return t != nullptr ? t : "";
  };
  // "verify with `top`, `dstat -f`": spans listed together share the words that introduce them.
  cmark_node* first_listed = code;
  for (cmark_node* sep = cmark_node_previous(first_listed); sep != nullptr && cmark_node_get_type(sep) == CMARK_NODE_TEXT;
       sep = cmark_node_previous(first_listed)) {
    std::string_view between = trim(cmark_node_get_literal(sep) ? cmark_node_get_literal(sep) : "");
    cmark_node* listed = cmark_node_previous(sep);
    bool separator = between == "," || between == "or" || between == "and" || between == ", or" || between == ", and" || between == "/";
    if (!separator || listed == nullptr || cmark_node_get_type(listed) != CMARK_NODE_CODE) break;
    first_listed = listed;
  }
  // Before the span: its line's words and, across one line break, the previous line's ("by
  // running\nthe script `x`").
  std::string words_before;
  int pieces = 0;
  for (cmark_node* n = cmark_node_previous(first_listed); n != nullptr && pieces < 3; n = cmark_node_previous(n), ++pieces) {
    cmark_node_type type = cmark_node_get_type(n);
    if (type == CMARK_NODE_SOFTBREAK || type == CMARK_NODE_LINEBREAK) words_before.insert(0, " ");
    else if (type == CMARK_NODE_TEXT && cmark_node_get_literal(n) != nullptr) words_before.insert(0, cmark_node_get_literal(n));
    else break;
  }
  around.before = words_before;
  around.after = text_of(cmark_node_next(code), cmark_node_next);
  around.topic = para.topic;  // the open section titles and the paragraph
  around.in_paragraph = !ctx.in_list_item && !ctx.in_table;
  std::optional<InlineCommand> found = inline_command(value, around);
  if (found && snippet_allowed(line)) {
    Snippet s;
    s.is_inline = true;
    s.lang = found->query != QueryLang::none ? std::string(to_string(found->query)) : inline_tag(found->lang);
    s.kind = kind_for_tag(s.lang);
    s.line = s.code_line = s.end_line = line;
    s.code = found->text;
    s.section = m_section >= 0 ? m_rb.sections[static_cast<size_t>(m_section)].slug : "";
    s.id = next_snippet_id(s.attrs);
    Command c{s.code, line, line, found->lang};
    c.prompt = std::move(found->prompt);
    s.commands.push_back(std::move(c));
    finish_snippet(s, BracketPlaceholders::yes);
    if (ctx.checklist != nullptr && ctx.step >= 0) ctx.checklist->items[static_cast<size_t>(ctx.step)].snippets.push_back(s.id);
    m_rb.snippets.push_back(std::move(s));
    return;
  }
  // "Open a browser and point it to `http://localhost:8500`": a page the reader opens.
  if (looks_like_url(value) && names_running_service(value) && asks_to_open(around.before)) {
    add_opened_page(value, line);
    return;
  }
  // Health-check lists: "- Health checks: `/health` (API), Qdrant `/healthz`".
  if (ctx.in_list_item && (looks_like_path(value) || looks_like_url(value))) {
    // Once per paragraph: read again for each span, 50,000 health spans in one item took 80 s.
    if (!para.health_words) para.health_words = says_health(std::string(item_text) + " " + current_section_title());
    bool healthish = *para.health_words || icontains(value, "health") || icontains(value, "ready") || icontains(value, "live");
    if (healthish) {
      Endpoint e;
      e.url = std::string(value);
      e.source = "list";
      e.line = line;
      // Service named beside it: "(API)" right after, or the word right before.
      if (at < item_text.size()) {
        std::string_view after = trim(item_text.substr(at + value.size()));
        if (after.starts_with('(')) {
          size_t close = after.find(')');
          std::string_view inside = close == std::string_view::npos ? std::string_view{} : after.substr(1, close - 1);
          if (!inside.empty() && std::count(inside.begin(), inside.end(), ' ') <= 1) e.service = std::string(inside);
        }
        if (e.service.empty() && at > 1 && item_text[at - 1] == ' ') {
          std::string_view before = item_text.substr(0, at - 1);
          size_t sp = before.find_last_of(' ');
          std::string_view word_before = sp == std::string_view::npos ? before : before.substr(sp + 1);
          if (!word_before.empty() && word_before[0] >= 'A' && word_before[0] <= 'Z' &&
              std::all_of(word_before.begin(), word_before.end(), [](char c) { return is_ident_char(c) || c == '-'; })) {
            e.service = std::string(word_before);
          }
        }
      }
      m_rb.endpoints.push_back(std::move(e));
    }
  }
}

// The request lines of an http block ("GET /api/health/ping"), one endpoint each.
void Builder::request_lines(const Snippet& s) {
  int line = s.code_line;
  for (std::string_view l : split_lines(s.code)) {
    if (Endpoint e; request_line(l, e)) {
      e.snippet = s.id;
      e.line = line;
      m_rb.endpoints.push_back(std::move(e));
    }
    ++line;
  }
}

void Builder::finish_snippet(Snippet& s, BracketPlaceholders brackets) {
  if (s.kind != SnippetKind::data) {
    for (const auto& c : s.commands) {
      if (c.lang == CommandLang::powershell) endpoints_from_command(c.text, c.line, s.id, m_rb.endpoints);
      if (c.lang != CommandLang::shell) continue;
      endpoints_from_command(c.text, c.line, s.id, m_rb.endpoints);
      // Environment variables the runbook tells people to set.
      std::string_view t = c.text;
      bool is_export = t.starts_with("export ");
      if (is_export) t.remove_prefix(7);
      size_t eq = t.find('=');
      if (eq != std::string_view::npos && eq > 0 && is_ident_start(t[0]) &&
          std::all_of(t.begin(), t.begin() + static_cast<long>(eq), is_ident_char) &&
          (is_export || t.find(' ', eq) == std::string_view::npos || t.substr(eq).find(" #") != std::string_view::npos)) {
        m_rb.env_vars.push_back(EnvVar{std::string(t.substr(0, eq)), c.line, is_export ? "export" : "assignment"});
      }
    }
    if (s.kind == SnippetKind::http) request_lines(s);
  } else if (s.kind == SnippetKind::data && (s.lang == "env" || s.lang == "dotenv" || s.lang == "ini")) {
    int line = s.code_line;
    for (std::string_view l : split_lines(s.code)) {
      std::string_view t = trim(l);
      if (t.starts_with("export ")) t = trim(t.substr(7));
      size_t eq = t.find('=');
      if (!t.empty() && t[0] != '#' && eq != std::string_view::npos && eq > 0 && is_ident_start(t[0]) &&
          std::all_of(t.begin(), t.begin() + static_cast<long>(eq), is_ident_char)) {
        m_rb.env_vars.push_back(EnvVar{std::string(t.substr(0, eq)), line, "env-block"});
      }
      ++line;
    }
  }
  extract_params(s.code, s.code_line, s.kind, brackets, s.params);
  s.classified = classify_snippet(s);
  s.safety = s.classified;
  if (const std::string* declared = s.attr("safety")) {
    Safety d;
    if (parse_safety(*declared, d)) {
      s.declared = d;
      s.safety = d;
    } else {
      m_rb.diagnostics.add(m_rb.path, SourceLoc{s.line, 0}, Severity::warning, "attributes",
                           "unknown safety '" + *declared + "'", "use read-only, mutating or destructive");
    }
  }
  check_attribute_values(s);
}

void Builder::code_block(cmark_node* node, const Context& ctx) {
  if (!snippet_allowed(file_line(node))) return;
  Snippet s;
  s.line = file_line(node);
  s.end_line = cmark_node_get_end_line(node) + m_offset;
  const char* lit = cmark_node_get_literal(node);
  s.code = lit != nullptr ? lit : "";
  int fence_length = 0;
  int fence_offset = 0;
  char fence_char = 0;
  bool fenced = cmark_node_get_fenced(node, &fence_length, &fence_offset, &fence_char) != 0 && fence_length > 0;
  s.code_line = fenced ? s.line + 1 : s.line;
  s.section = m_section >= 0 ? m_rb.sections[static_cast<size_t>(m_section)].slug : "";
  const char* info_c = cmark_node_get_fence_info(node);
  InfoString info = parse_info_string(info_c != nullptr ? info_c : "", m_limits.nesting);
  s.lang = info.lang;
  s.attrs = info.attrs;
  for (const auto& e : info.errors) {
    m_rb.diagnostics.add(m_rb.path, SourceLoc{s.line, 0}, Severity::warning, "attributes", "malformed attributes: " + e,
                         R"(write {name=x run=confirm} or {"name":"x","run":"confirm"})");
  }
  if (info.too_deep) {
    m_rb.diagnostics.add(m_rb.path, SourceLoc{s.line, 0}, Severity::error, "limit",
                         "attributes nested deeper than " + std::to_string(m_limits.nesting) + " levels; they are not read",
                         "write flat attributes like {\"name\":\"x\"}, or raise limits.nesting in opsbook.yaml");
  }
  for (const auto& k : info.unknown) {
    m_rb.diagnostics.add(m_rb.path, SourceLoc{s.line, 0}, Severity::warning, "attributes", "unknown attribute '" + k + "'",
                         "known attributes: name, run, check, env, timeout, expect-exit, expect-stdout, expect-status, service, cwd, safety");
  }
  if (fenced) {
    // A fence closed only by the end of the file swallows everything after it.
    std::string_view t = trim(line_text(s.end_line));
    while (!t.empty() && t[0] == '>') t = trim(t.substr(1));
    std::string fence(static_cast<size_t>(fence_length), fence_char);
    bool closed = s.end_line > s.line && t.starts_with(fence) && t.find_first_not_of(fence_char) == std::string_view::npos;
    if (!closed) {
      bool at_eof = s.end_line >= total_lines();
      m_rb.diagnostics.add(m_rb.path, SourceLoc{s.line, 1}, at_eof ? Severity::error : Severity::warning, "unclosed-fence",
                           at_eof ? "code fence opened here is never closed; the rest of the file is read as code"
                                  : "code fence opened here is closed by the end of its list item or quote, not by a fence",
                           "add a closing " + fence + " line");
    }
  }
  const std::string titles = section_titles();
  BlockReading reading = read_block(s.lang, s.code, s.code_line, BlockContext{m_prev_paragraph, titles});
  s.kind = reading.kind;
  s.commands = std::move(reading.commands);
  s.expected_output = std::move(reading.expected_output);
  s.notes = std::move(reading.notes);
  s.id = next_snippet_id(s.attrs);
  finish_snippet(s, BracketPlaceholders::no);
  if (ctx.checklist != nullptr && ctx.step >= 0) {
    ctx.checklist->items[static_cast<size_t>(ctx.step)].snippets.push_back(s.id);
  } else if (size_t owner = m_join.fence_owner(); ctx.checklist == nullptr && owner != ProcedureJoin::k_none) {
    // A fence at column 0 right under a step ("2. Look at the containers:") is that step's.
    if (Checklist& cl = m_rb.checklists[owner]; !cl.items.empty()) cl.items.back().snippets.push_back(s.id);
  }
  m_rb.snippets.push_back(std::move(s));
  m_html_targets.code_blocks.emplace_back(node, m_rb.snippets.size() - 1);
}

void Builder::list(cmark_node* node, Context ctx) {
  bool ordered = cmark_node_get_list_type(node) == CMARK_ORDERED_LIST;
  bool has_tasks = false;
  for (cmark_node* item = cmark_node_first_child(node); item != nullptr; item = cmark_node_next(item)) {
    if (is_type(item, "tasklist")) has_tasks = true;
  }
  bool top_level = cmark_node_get_type(cmark_node_parent(node)) == CMARK_NODE_DOCUMENT;
  if (ordered && top_level && !has_tasks) {
    bool all_links = true;
    for (cmark_node* item = cmark_node_first_child(node); item != nullptr && all_links; item = cmark_node_next(item)) {
      all_links = is_link_only_item(item);
    }
    if (all_links) top_level = false;  // a table of contents, not a procedure
  }
  size_t checklist_index = SIZE_MAX;
  Checklist* owner = ctx.checklist;
  int depth = 0;
  int start = cmark_node_get_list_start(node);
  bool free_list = owner == nullptr && top_level && !has_tasks;
  int items = 0;
  for (cmark_node* item = cmark_node_first_child(node); item != nullptr; item = cmark_node_next(item)) ++items;
  const bool ones = ordered && numbered_ones(node);
  size_t continued = free_list && ordered ? m_join.continued_by(start, ones) : ProcedureJoin::k_none;
  std::string_view lead_in = m_label_fresh ? std::string_view(m_label) : std::string_view{};
  std::string title = current_section_title();
  const std::string run_in = run_in_lead(node);
  bool steps = ordered && !announces_description(title, lead_in.empty() ? std::string_view(run_in) : lead_in) && !describes(item_texts(node));
  bool actions = free_list && !ordered && announces_actions(title, lead_in) && is_action_list(item_texts(node));
  if (continued != ProcedureJoin::k_none) {
    checklist_index = continued;  // "3." after a fence that split "1." and "2." from it
  } else if (owner == nullptr && (has_tasks || ((steps || actions) && top_level))) {
    Checklist cl;
    cl.kind = has_tasks ? ChecklistKind::tasklist : ChecklistKind::procedure;
    cl.id = new_checklist_id();
    cl.title = m_label_fresh && !m_label.empty() ? m_label : current_section_title();
    if (cl.title.empty()) cl.title = m_rb.title.empty() ? m_rb.slug : m_rb.title;
    cl.section = m_section >= 0 ? m_rb.sections[static_cast<size_t>(m_section)].slug : "";
    cl.line = file_line(node);
    m_rb.checklists.push_back(std::move(cl));
    checklist_index = m_rb.checklists.size() - 1;
  } else if (owner != nullptr && has_tasks) {
    depth = 1 + (ctx.step >= 0 ? owner->items[static_cast<size_t>(ctx.step)].depth : 0);
  }
  m_label_fresh = false;
  ctx.in_list_item = true;
  for (cmark_node* item = cmark_node_first_child(node); item != nullptr; item = cmark_node_next(item)) {
    Context item_ctx = ctx;
    Checklist* target = checklist_index != SIZE_MAX ? &m_rb.checklists[checklist_index] : (has_tasks ? owner : nullptr);
    bool is_step = target != nullptr && (checklist_index != SIZE_MAX || has_tasks) &&
                   (!has_tasks || is_type(item, "tasklist"));
    if (is_step) {
      Step step;
      step.line = file_line(item);
      step.depth = depth;
      step.checked = is_type(item, "tasklist") && cmark_gfm_extensions_get_tasklist_item_checked(item);
      step.text = item_text(item);
      step.id = target->id + "/" + std::to_string(target->items.size() + 1);
      target->items.push_back(std::move(step));
      item_ctx.checklist = target;
      item_ctx.step = static_cast<int>(target->items.size()) - 1;
    }
    children(item, item_ctx);
    // Keep the pointer valid: nested lists may have grown m_rb.checklists.
  }
  if (free_list && checklist_index != SIZE_MAX) m_join.list_ended(checklist_index, ordered ? start : 0, items, ones);
}

// "1. prepare", "1. check", "1. stop": every item numbered 1 in the source (the markdown renders
// them 1, 2, 3; a later list written the same way after a fence goes on with them).
bool Builder::numbered_ones(cmark_node* list) const {
  for (cmark_node* item = cmark_node_first_child(list); item != nullptr; item = cmark_node_next(item)) {
    std::string_view t = line_text(file_line(item));
    size_t i = t.find_first_not_of(" \t>");
    if (i == std::string_view::npos || t[i] != '1' || i + 1 >= t.size() || (t[i + 1] != '.' && t[i + 1] != ')')) return false;
  }
  return true;
}

std::vector<std::string> Builder::item_texts(cmark_node* list) {
  std::vector<std::string> out;
  for (cmark_node* item = cmark_node_first_child(list); item != nullptr; item = cmark_node_next(item)) out.push_back(item_text(item));
  return out;
}

void Builder::table(cmark_node* node) {
  Table t;
  t.line = file_line(node);
  t.section = m_section >= 0 ? m_rb.sections[static_cast<size_t>(m_section)].slug : "";
  t.label = m_label_fresh ? m_label : current_section_title();
  Context ctx;
  ctx.in_table = true;
  struct Cell {
    cmark_node* node;
    std::string text;
    CodeOffsets codes;
  };
  std::vector<Cell> cells_with_text;
  for (cmark_node* row = cmark_node_first_child(node); row != nullptr; row = cmark_node_next(row)) {
    bool header = is_type(row, "table_header");
    TableRow r;
    r.line = file_line(row);
    for (cmark_node* c = cmark_node_first_child(row); c != nullptr; c = cmark_node_next(c)) {
      CodeOffsets codes;
      std::string text = inline_text(c, codes);
      // Drop markdown emphasis leftovers like "**SEV1**" (already stripped by inline_text).
      r.cells.push_back(text);
      m_rb.text += text;
      m_rb.text += ' ';
      if (!header) cells_with_text.push_back(Cell{c, text, std::move(codes)});
      collect_links(c);
    }
    m_rb.text += '\n';
    if (header) t.header = std::move(r.cells);
    else t.rows.push_back(std::move(r));
  }
  std::string context = t.label + " " + current_section_title();
  t.kind = classify_table(t, context);
  const std::string titles = section_titles();
  for (auto& cell : cells_with_text) {
    std::string topic;
    SpanText para{cell.text, {}, std::nullopt};
    for (auto [c, at] : cell.codes) {
      if (cmark_node_parent(c) != cell.node) continue;  // the cell's own spans, as before
      if (topic.empty()) topic = titles + cell.text, para.topic = topic;  // once per cell
      inline_code(c, at, ctx, para);
    }
  }
  if (t.kind == TableKind::health) endpoints_from_table(t, m_rb.endpoints);
  if (t.kind == TableKind::ports) ports_from_table(t, m_rb.ports);
  m_rb.tables.push_back(std::move(t));
  m_label_fresh = false;
}

std::once_flag g_extensions_once;
// cmark-gfm keeps the extensions' special inline characters in one global table that
// cmark_parser_finish() adds to and removes from while it processes inlines (upstream
// cmark-gfm PR #176, unmerged). Concurrent finishes race and drop autolinks and strikethrough,
// so that one call is serialised; block parsing and everything of ours stays parallel.
std::mutex g_finish_mutex;

cmark_parser* make_parser() {
  std::call_once(g_extensions_once, [] { cmark_gfm_core_extensions_ensure_registered(); });
  cmark_parser* parser = cmark_parser_new(CMARK_OPT_DEFAULT | CMARK_OPT_VALIDATE_UTF8 | CMARK_OPT_FOOTNOTES);
  for (const char* name : {"table", "tasklist", "strikethrough", "autolink"}) {
    if (cmark_syntax_extension* ext = cmark_find_syntax_extension(name)) cmark_parser_attach_syntax_extension(parser, ext);
  }
  return parser;
}

std::string title_from_path(std::string_view path) {
  size_t slash = path.find_last_of('/');
  std::string_view name = slash == std::string_view::npos ? path : path.substr(slash + 1);
  if (name.ends_with(".md")) name.remove_suffix(3);
  else if (name.ends_with(".markdown")) name.remove_suffix(9);
  std::string out(name);
  std::replace(out.begin(), out.end(), '-', ' ');
  std::replace(out.begin(), out.end(), '_', ' ');
  return out;
}

// A file whose lines end in CR alone (classic Mac OS): markdown and YAML would read it as one
// line, so it is refused with one error rather than read wrong.
bool cr_line_endings(std::string_view src) {
  size_t lone_cr = 0, lf = 0;
  for (size_t i = 0; i < src.size(); ++i) {
    if (src[i] == '\n') ++lf;
    else if (src[i] == '\r' && (i + 1 == src.size() || src[i + 1] != '\n')) ++lone_cr;
  }
  return lone_cr > 0 && lone_cr >= lf;
}

// Control characters in the text: a terminal that shows the line (opsbook run, cat, a CI log)
// acts on them, so ESC[8m can hide a command and ESC[1A rewrite the line above. One error a line.
void report_control_characters(std::string_view src, Runbook& rb) {
  constexpr int k_most = 20;
  int reported = 0, last_line = 0;
  for (size_t at = find_control_character(src); at != std::string_view::npos && reported < k_most; at = find_control_character(src, at + 1)) {
    auto [line, col] = line_col_at(src, at);
    if (line == last_line) continue;
    last_line = line;
    ++reported;
    size_t width = static_cast<unsigned char>(src[at]) == 0xc2 ? 2 : 1;
    rb.diagnostics.add(rb.path, SourceLoc{line, col}, Severity::error, "control-character",
                       "control character " + terminal_text(src.substr(at, width)) +
                           " in the text: a terminal that shows this line acts on it (it can hide the code or rewrite the lines above)",
                       "remove it; where a command means the byte, write it as an escape (printf '\\033[1m', $'\\e')");
  }
}

}  // namespace

Runbook parse_runbook(std::string path, std::string slug, std::string source, const ParseOptions& options) {
  Runbook rb;
  rb.path = std::move(path);
  rb.slug = std::move(slug);
  rb.source = std::move(source);
  std::string_view src = rb.source;
  if (src.size() > options.limits.runbook_bytes) {
    rb.title = title_from_path(rb.path);
    rb.diagnostics.add(rb.path, SourceLoc{}, Severity::error, "limit", size_over_limit("the runbook", src.size(), options.limits.runbook_bytes),
                       "split the runbook, or raise limits.runbook_bytes in opsbook.yaml");
    rb.source.clear();
    return rb;
  }

  if (src.find('\0') != std::string_view::npos) {
    rb.title = title_from_path(rb.path);
    size_t nul = src.find('\0');
    rb.diagnostics.add(rb.path, SourceLoc{line_col_at(src, nul).first, 0}, Severity::error, "binary",
                       "binary file (NUL byte at offset " + std::to_string(nul) + "); not read as a runbook",
                       "remove it from the content folder, or save it as UTF-8 text");
    rb.source.clear();
    rb.readable = false;
    return rb;
  }
  if (cr_line_endings(src)) {
    rb.title = title_from_path(rb.path);
    rb.diagnostics.add(rb.path, SourceLoc{}, Severity::error, "encoding",
                       "the lines end in CR alone (classic Mac OS line endings); not read as a runbook",
                       "convert the line endings to LF (e.g. mac2unix FILE, or tr '\\r' '\\n' < FILE)");
    rb.source.clear();
    rb.readable = false;
    return rb;
  }
  if (trim(src).empty()) {
    rb.title = title_from_path(rb.path);
    rb.diagnostics.add(rb.path, SourceLoc{0, 0}, Severity::warning, "empty", "empty runbook", "write a title and at least one section, or remove the file");
    return rb;
  }
  if (size_t bad = find_invalid_utf8(src); bad != std::string_view::npos) {
    auto [line, col] = line_col_at(src, bad);
    rb.diagnostics.add(rb.path, SourceLoc{line, col}, Severity::error, "encoding",
                       "invalid UTF-8 byte sequence; invalid bytes are shown as U+FFFD",
                       "save the file as UTF-8 (e.g. iconv -f latin1 -t utf-8)");
  }

  report_control_characters(src, rb);

  FrontMatterSplit fm = split_front_matter(src, rb.path, rb.diagnostics);
  parse_front_matter(fm, rb.path, rb.meta, rb.diagnostics, options.limits);
  std::string_view body = src.substr(fm.body_offset);

  uint64_t reference_bound = reference_expansion_bound(src.size());
  if (auto blowup = find_reference_blowup(body, reference_bound)) {
    auto [line, col] = line_col_at(src, fm.body_offset + blowup->offset);
    rb.title = title_from_path(rb.path);
    rb.diagnostics.add(rb.path, SourceLoc{line, col}, Severity::error, "limit",
                       size_over_limit("the text its link references expand to", static_cast<size_t>(blowup->expanded), static_cast<size_t>(reference_bound)) +
                           ", 8 times the file plus 1 MiB, from this use on; the runbook is not read",
                       "define each long link once and use it fewer times, or write the links inline");
    rb.source.clear();
    return rb;
  }
  if (auto blowup = find_inline_blowup(body)) {
    int line = line_col_at(src, fm.body_offset + blowup->offset).first;
    rb.title = title_from_path(rb.path);
    rb.diagnostics.add(rb.path, SourceLoc{line, 0}, Severity::error, "limit",
                       "the markdown parser would take " + std::to_string(blowup->work) + " steps " + blowup->what + ", over the bound of " +
                           std::to_string(blowup->bound) + " (its time grows with their square), from this paragraph on; the runbook is not read",
                       blowup->hint);
    rb.source.clear();
    return rb;
  }
  std::optional<std::string> tamed = tame_huge_tables(body, fm.body_first_line, rb.path, rb.diagnostics);
  if (tamed) body = *tamed;
  std::unique_ptr<cmark_parser, ParserDeleter> parser(make_parser());
  cmark_parser_feed(parser.get(), body.data(), body.size());
  std::unique_ptr<cmark_node, NodeDeleter> doc;
  {
    std::lock_guard lock(g_finish_mutex);
    doc.reset(cmark_parser_finish(parser.get()));
  }
  if (!doc) {
    rb.diagnostics.add(rb.path, SourceLoc{}, Severity::error, "markdown", "the markdown parser failed on this file", "");
    return rb;
  }
  rb.title = rb.meta.title;
  Builder builder(rb, fm.body_first_line - 1, options.limits);
  builder.build(doc.get());
  if (rb.title.empty()) rb.title = title_from_path(rb.path);
  if (options.html) {
    rb.html = render_body_html(doc.get(), cmark_parser_get_syntax_extensions(parser.get()), rb, builder.html_targets());
  }
  return rb;
}

}  // namespace opsbook::model
