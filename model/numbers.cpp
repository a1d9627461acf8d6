// Strict number parsing with std::from_chars (no locale, no leading '+' or spaces inside).
#include "model/numbers.hpp"

#include <charconv>
#include <cmath>

#include "model/text.hpp"

namespace opsbook::model {

std::optional<long long> parse_integer(std::string_view text, long long min, long long max) {
  text = trim(text);
  long long v = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size() || v < min || v > max) return std::nullopt;
  return v;
}

std::optional<double> parse_number(std::string_view text, double min, double max) {
  text = trim(text);
  double v = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v, std::chars_format::fixed);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size() || !std::isfinite(v) || v < min || v > max) return std::nullopt;
  return v;
}

std::optional<std::chrono::milliseconds> seconds_to_duration(double seconds, std::chrono::milliseconds max) {
  // Compared as doubles first: only a value known to fit is converted to an integer.
  if (!std::isfinite(seconds) || seconds <= 0 || seconds * 1000.0 > static_cast<double>(max.count())) return std::nullopt;
  return std::chrono::milliseconds(std::max<long long>(1, std::llround(seconds * 1000.0)));
}

std::optional<std::chrono::milliseconds> parse_duration(std::string_view text, std::chrono::milliseconds max) {
  text = trim(text);
  double scale = 1;  // seconds per unit
  if (text.ends_with("ms")) scale = 0.001, text.remove_suffix(2);
  else if (text.ends_with('s')) text.remove_suffix(1);
  else if (text.ends_with('m')) scale = 60, text.remove_suffix(1);
  else if (text.ends_with('h')) scale = 3600, text.remove_suffix(1);
  else if (text.ends_with('d')) scale = 86400, text.remove_suffix(1);
  if (text != trim(text)) return std::nullopt;  // "5 m": the unit follows the number directly
  std::optional<double> v = parse_number(text, 0, 1e12);
  if (!v) return std::nullopt;
  return seconds_to_duration(*v * scale, max);
}

}  // namespace opsbook::model
