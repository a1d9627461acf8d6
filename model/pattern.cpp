// RE2 with a memory budget; compile failures become messages, never exceptions.
#include "model/pattern.hpp"

#include <re2/re2.h>

#include <algorithm>
#include <map>
#include <memory>
#include <mutex>
#include <utility>

namespace opsbook::model {

namespace {

// The most memory a pattern may compile to, whatever limits.regex_bytes says: above it RE2 caps
// the program itself, and a 2.7 KB pattern took 2.7 s and 252 MB under a 1 TiB limit.
constexpr size_t k_max_regex_bytes = size_t{64} << 20;

std::unique_ptr<RE2> compile(std::string_view pattern, size_t max_bytes, std::string& error) {
  size_t bytes = std::min(max_bytes, k_max_regex_bytes);
  RE2::Options options;
  options.set_log_errors(false);
  options.set_max_mem(static_cast<int64_t>(bytes));
  auto re = std::make_unique<RE2>("(?m)" + std::string(pattern), options);
  if (re->ok()) return re;
  if (re->error_code() != RE2::ErrorPatternTooLarge) error = "not a valid RE2 regular expression: " + re->error();
  else if (bytes < max_bytes) error = "the pattern is larger than " + std::to_string(bytes) + " bytes once compiled, the most opsbook compiles whatever limits.regex_bytes says";
  else error = "the pattern is larger than the limit of " + std::to_string(bytes) + " bytes once compiled (raise limits.regex_bytes in opsbook.yaml)";
  return nullptr;
}

}  // namespace

// Compiling is the cost (RE2 takes 8 ms to refuse `\pL{1000}`, and runbooks repeat their
// patterns): each text is judged once per process.
std::string pattern_error(std::string_view pattern, size_t max_bytes) {
  static std::mutex mutex;
  static std::map<std::pair<std::string, size_t>, std::string, std::less<>> verdicts;
  std::pair<std::string, size_t> key{pattern, max_bytes};
  {
    std::lock_guard lock(mutex);
    if (auto it = verdicts.find(key); it != verdicts.end()) return it->second;
  }
  std::string error;
  compile(pattern, max_bytes, error);
  std::lock_guard lock(mutex);
  return verdicts.emplace(std::move(key), std::move(error)).first->second;
}

std::optional<bool> pattern_search(std::string_view pattern, std::string_view text, size_t max_bytes, std::string& error) {
  std::unique_ptr<RE2> re = compile(pattern, max_bytes, error);
  if (!re) return std::nullopt;
  return RE2::PartialMatch(text, *re);
}

}  // namespace opsbook::model
