// Numbers from runbooks, opsbook.yaml and the command line, checked before any conversion:
// the whole text must be the number, finite and within range ("inf", "1e400", "nan", "-1",
// "99999999999999999999" are refused rather than cast).
#pragma once

#include <chrono>
#include <optional>
#include <string_view>

namespace opsbook::model {

// A decimal integer in [min, max].
std::optional<long long> parse_integer(std::string_view text, long long min, long long max);

// A finite decimal number in [min, max].
std::optional<double> parse_number(std::string_view text, double min, double max);

// A duration: a positive number with an optional unit (ms, s, m, h, d; seconds by default), at
// most `max`. "30", "1.5s", "500ms", "10m", "7d".
std::optional<std::chrono::milliseconds> parse_duration(std::string_view text, std::chrono::milliseconds max);

// Seconds given as a number (command-line options), as milliseconds; nullopt unless finite and
// within (0, max].
std::optional<std::chrono::milliseconds> seconds_to_duration(double seconds, std::chrono::milliseconds max);

}  // namespace opsbook::model
