// Regular expressions written in runbooks (`expect-stdout`) run through RE2: time linear in the
// text whatever the pattern (no backtracking, no recursion), and the compiled pattern bounded by
// limits.regex_bytes. `^` and `$` match at line breaks. RE2 syntax: no backreferences or
// look-around.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace opsbook::model {

// Why `pattern` cannot be used ("" when it compiles within `max_bytes`).
std::string pattern_error(std::string_view pattern, size_t max_bytes);

// Whether `pattern` matches somewhere in `text`; nullopt (and `error` set) when it cannot be used.
std::optional<bool> pattern_search(std::string_view pattern, std::string_view text, size_t max_bytes, std::string& error);

}  // namespace opsbook::model
