// terminal_text: what a terminal would act on is shown escaped; plain text, tabs and UTF-8 pass.
#include <catch2/catch.hpp>

#include "model/terminal_text.hpp"

using namespace opsbook::model;

TEST_CASE("terminal_text: C0, DEL, C1 and bytes that are not UTF-8 are escaped, text and tabs are not", "[model][terminal]") {
  CHECK(terminal_text("plain café\tcol") == "plain café\tcol");
  CHECK(terminal_text("rm -rf / \x1b[8m--hidden") == "rm -rf / \\x1b[8m--hidden");
  CHECK(terminal_text("T\x1b]0;pwned\x07") == "T\\x1b]0;pwned\\x07");
  CHECK(terminal_text("a\rb\x7f") == "a\\x0db\\x7f");
  CHECK(terminal_text("a\nb") == "a\\x0ab");
  CHECK(terminal_text("a\nb", Lines::many) == "a\nb");
  CHECK(terminal_text("csi \xc2\x9b" "31m") == "csi \\u009b31m");
  CHECK(terminal_text("nbsp\xc2\xa0") == "nbsp\xc2\xa0");
  CHECK(terminal_text("bad \xff\xc3 end") == "bad \\xff\\xc3 end");
  CHECK(terminal_text(std::string_view("nul\0x", 5)) == "nul\\x00x");
  CHECK_FALSE(needs_terminal_escape("ok\ttab"));
  CHECK(needs_terminal_escape("\xe9"));
}

TEST_CASE("find_control_character: CR-LF and tabs are line text, a lone CR, ESC and C1 are not", "[model][terminal]") {
  CHECK(find_control_character("a\tb\r\nc\n") == std::string::npos);
  CHECK(find_control_character("a\rb") == 1);
  CHECK(find_control_character("ab\r") == 2);
  CHECK(find_control_character("ok \x1b[1A") == 3);
  CHECK(find_control_character("x\xc2\x85y") == 1);
  CHECK(find_control_character("\x1b\x1b", 1) == 1);
}

// s10b review B10, s10c review B10: bidirectional controls reorder what follows on the line, so a
// file name or a command reads as something else; shown as \uNNNN, other text untouched.
TEST_CASE("terminal_text: bidi overrides, isolates and marks are shown escaped", "[model][terminal]") {
  CHECK(terminal_text("a\xe2\x80\xae" "b") == "a\\u202eb");   // RLO
  CHECK(terminal_text("a\xe2\x81\xa6" "b") == "a\\u2066b");   // LRI
  CHECK(terminal_text("a\xe2\x80\x8f" "b") == "a\\u200fb");   // RLM
  CHECK(terminal_text("a\xe2\x80\x8e" "b") == "a\\u200eb");   // LRM
  CHECK(terminal_text("a\xd8\x9c" "b") == "a\\u061cb");       // ALM
  CHECK(terminal_text("caf\xc3\xa9 \xe2\x80\x94 \xe2\x80\x8b") == "caf\xc3\xa9 \xe2\x80\x94 \xe2\x80\x8b");  // é, em dash, zero-width space stay
  CHECK(needs_terminal_escape("x\xe2\x80\xaey"));
}
