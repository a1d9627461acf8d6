// Everything opsbook itself writes to standard output and standard error shows control
// characters as escapes (model::terminal_text): a runbook, opsbook.yaml, a report or a history row
// may hold ESC, OSC or C1 sequences that would retitle, recolour or rewrite a terminal or a CI log,
// and no message has to remember to escape what it quotes (s9b R1, s10b B2).
#pragma once

#include <string_view>

namespace opsbook::cli {

// Replaces stdout and stderr (and std::cout, std::cerr, std::clog) by streams that pass what they
// are given through model::terminal_text, keeping newlines; a UTF-8 sequence cut between two
// writes is joined first. Call once, at the start of main().
void guard_standard_streams();

// Writes `bytes` unchanged to file descriptor `fd` (1 or 2), after what that stream holds: the
// output of a snippet opsbook runs, and the progress line's own \r ESC[K.
void write_raw(int fd, std::string_view bytes);

}  // namespace opsbook::cli
