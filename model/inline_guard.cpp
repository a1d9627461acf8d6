// One pass over the text: per paragraph, the pending `<?` / `<!X` / `<![CDATA[` openers are settled at
// their closer or at the paragraph's end, each `]` costs the `![` before it, and words with `@`
// are counted as they end.
#include "inline_guard.hpp"

namespace opsbook::model {

namespace {

// Openers that scan forward to a closer, or to the end of the paragraph when there is none.
struct PendingScans {
  uint64_t count = 0, positions = 0;
  void open(size_t at) { ++count, positions += at; }
  uint64_t settle(size_t at) {
    uint64_t work = count * at - positions;
    count = 0, positions = 0;
    return work;
  }
};

bool is_ascii_letter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

bool in_email_word(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '@' || c == '_' || c == '+' || c == '-';
}

class Estimate {
 public:
  explicit Estimate(std::string_view text) : m_text(text) {}

  std::optional<InlineBlowup> run() {
    bool line_blank = true;
    for (size_t i = 0; i < m_text.size(); ++i) {
      char c = m_text[i];
      if (i == 0 || m_text[i - 1] == '\n') line_start(i);
      if (!in_email_word(c)) end_word();
      if (c == '\n') {
        if (line_blank) m_open = 0;  // a blank line closes lazy continuation
        if (line_blank && end_paragraph(i, i + 1)) return m_blowup;
        line_blank = true;
        continue;
      }
      if (c != ' ' && c != '\t' && c != '\r') line_blank = false;
      step(c, i);
    }
    end_word();
    if (end_paragraph(m_text.size(), m_text.size())) return m_blowup;
    return std::nullopt;
  }

 private:
  void step(char c, size_t i) {
    std::string_view at = m_text.substr(i);
    if (c == '!' && at.starts_with("![")) ++m_images;
    if (c == ']') m_brackets += m_images;
    if (c == ']' && at.starts_with("]]>")) m_html += m_cdata.settle(i);
    if (c == '?' && at.starts_with("?>")) m_html += m_pi.settle(i);
    if (c == '<' && at.starts_with("<?")) m_pi.open(i);
    if (c == '<' && at.starts_with("<![CDATA[")) m_cdata.open(i);
    // `<!DOCTYPE ...>` ends at the first `>` of the text (not a block quote's marker)
    if (c == '>' && i >= m_content) m_html += m_declaration.settle(i);
    if (c == '<' && at.starts_with("<!") && at.size() > 2 && is_ascii_letter(at[2])) m_declaration.open(i);
    if (in_email_word(c)) {
      ++m_word_length;
      if (c == '@') ++m_word_ats;
    }
  }

  // The containers a line opens (`> > - 1. `): it walks them and every one still open, as a lazy
  // continuation line (no markers) walks those of the lines before it.
  void line_start(size_t i) {
    uint64_t depth = 0;
    for (;;) {
      size_t spaces = 0;
      while (i < m_text.size() && m_text[i] == ' ' && spaces < 3) ++i, ++spaces;
      if (i >= m_text.size()) break;
      char c = m_text[i];
      size_t digits = 0;
      while (i + digits < m_text.size() && digits < 9 && m_text[i + digits] >= '0' && m_text[i + digits] <= '9') ++digits;
      size_t marker = c == '>' ? 1 : (c == '-' || c == '*' || c == '+') ? 1 : digits > 0 && i + digits < m_text.size() && (m_text[i + digits] == '.' || m_text[i + digits] == ')') ? digits + 1 : 0;
      bool spaced = c == '>' || (i + marker < m_text.size() && (m_text[i + marker] == ' ' || m_text[i + marker] == '\t'));
      if (marker == 0 || !spaced) break;
      ++depth;
      i += marker;
    }
    if (depth > 0) m_open = depth;
    m_containers += m_open;
    m_content = i;
  }

  void end_word() {
    m_email += m_word_ats * m_word_length;
    m_word_length = 0, m_word_ats = 0;
  }

  // Settles the paragraph that ends at `end`; true when a bound is passed (m_blowup is set).
  bool end_paragraph(size_t end, size_t next_start) {
    m_html += m_pi.settle(end) + m_cdata.settle(end) + m_declaration.settle(end);
    m_images = 0;
    if (m_brackets > k_max_bracket_work) {
      m_blowup = InlineBlowup{m_paragraph, "matching links past the image openers `![` before them", "close each `![` as an image (`![text](url)`), or split long paragraphs with blank lines", m_brackets, k_max_bracket_work};
    } else if (m_html > k_max_html_scan) {
      m_blowup = InlineBlowup{m_paragraph, "scanning its unclosed `<?`, `<!X` and `<![CDATA[`", "close each `<?` with `?>`, `<!X` with `>` and `<![CDATA[` with `]]>`, or put the text in a code block", m_html, k_max_html_scan};
    } else if (m_containers > k_max_container_work) {
      m_blowup = InlineBlowup{m_paragraph, "walking the block quotes and list items open around each line", "nest block quotes and lists less deeply, or end a deep one with a blank line", m_containers, k_max_container_work};
    } else if (m_email > k_max_email_scan) {
      m_blowup = InlineBlowup{m_paragraph, "scanning words with `@` for e-mail links", "put long words with `@` in a code block", m_email, k_max_email_scan};
    }
    m_paragraph = next_start;
    return m_blowup.has_value();
  }

  std::string_view m_text;
  size_t m_paragraph = 0;
  size_t m_content = 0;  // where the current line's text starts, after its container markers
  uint64_t m_images = 0, m_word_length = 0, m_word_ats = 0;
  uint64_t m_brackets = 0, m_html = 0, m_email = 0, m_containers = 0;  // the runbook's work so far
  uint64_t m_open = 0;  // containers open around the current line
  PendingScans m_pi, m_cdata, m_declaration;
  std::optional<InlineBlowup> m_blowup;
};

}  // namespace

std::optional<InlineBlowup> find_inline_blowup(std::string_view body) { return Estimate(body).run(); }

}  // namespace opsbook::model
