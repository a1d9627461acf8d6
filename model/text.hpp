// Small string helpers shared by the parser's passes (ASCII-only case rules, UTF-8 checks).
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace opsbook::model {

std::string_view trim(std::string_view text);
std::string to_lower(std::string_view text);
std::string to_upper(std::string_view text);
bool iequals(std::string_view a, std::string_view b);
bool icontains(std::string_view haystack, std::string_view needle);
bool is_ident_start(char c);
bool is_ident_char(char c);
// The program a command word names: its last path component (`/usr/bin/psql` -> `psql`,
// `.\bin\check.ps1` -> `check.ps1`); a word that ends in a separator is returned whole.
std::string_view program_name(std::string_view word);
// Non-empty and only the digits 0-9.
bool all_digits(std::string_view s);
// "1 error", "2 errors": `n` and the noun in the number it needs (`many` defaults to `one` + "s").
std::string counted(size_t n, std::string_view one, std::string_view many = {});
// Splits on '\n' (a trailing '\r' is dropped from each line).
std::vector<std::string_view> split_lines(std::string_view text);
// Splits on every `sep` ("a,,b" gives "a", "", "b"; "" gives one empty field).
std::vector<std::string_view> split_on(std::string_view text, char sep);
// The words of a line of a data table, split on spaces and tabs.
std::vector<std::string> split_words(std::string_view text);

// Byte offset of the first invalid UTF-8 sequence, or npos when the text is valid.
size_t find_invalid_utf8(std::string_view text);
// A value read from YAML, fit to publish: each byte that is not UTF-8 and each NUL becomes U+FFFD
// (a title with \xff made pages that are not UTF-8; a tag, a file name that is not).
std::string valid_text(std::string_view text);
// 1-based line and column of a byte offset.
std::pair<int, int> line_col_at(std::string_view text, size_t offset);

}  // namespace opsbook::model
