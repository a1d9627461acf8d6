// Text as it may reach a terminal: runbook text, reports and history rows can hold escape
// sequences (ESC[8m hides text, OSC sets the title or plants links); shown escaped instead.
#pragma once

#include <cstdio>
#include <string>
#include <string_view>

namespace opsbook::model {

enum class Lines { one, many };

// `text` with every C0 control (tab kept; newline kept with Lines::many), DEL and byte that is not
// UTF-8 shown as \xNN, every C1 control (U+0080-U+009F) and bidi control (U+202A-U+202E,
// U+2066-U+2069, U+200E, U+200F, U+061C) as \uNNNN. Plain text comes back as is.
std::string terminal_text(std::string_view text, Lines lines = Lines::one);
// Writes terminal_text(text, Lines::many) to `out` (stderr unless named), and a newline unless
// `text` ends in one: every note, warning and report line opsbook prints goes through it, since
// each may quote a configuration value, a file name or a history row.
void print_line(std::string_view text, std::FILE* out = stderr);
// True when terminal_text would change `text`.
bool needs_terminal_escape(std::string_view text, Lines lines = Lines::one);

// The code point of the C1 control (U+0080-U+009F) or bidi control (as terminal_text lists them)
// whose UTF-8 encoding starts at text[i], or 0. Machine formats (JSON, XML) write these as escapes
// of their own (\u202e, &#x202E;) so that their output is both valid and safe on a terminal.
unsigned unicode_control(std::string_view text, size_t i);
// Bytes of the UTF-8 encoding of a code point below U+10000 (DEL: 1, C1 and U+061C: 2, bidi: 3).
inline size_t utf8_length(unsigned cp) { return cp < 0x80 ? 1 : cp < 0x800 ? 2 : 3; }

// Offset of the first character at or after `from` that a terminal acts on instead of showing:
// a C0 control other than tab and newline (a CR only when no LF follows it), DEL, or a C1
// control (U+0080-U+009F); npos when there is none.
size_t find_control_character(std::string_view text, size_t from = 0);

}  // namespace opsbook::model
