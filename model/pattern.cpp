// RE2 with a memory budget; compile failures become messages, never exceptions.
#include "model/pattern.hpp"

#include <re2/re2.h>

#include <memory>

namespace opsbook::model {

namespace {

std::unique_ptr<RE2> compile(std::string_view pattern, size_t max_bytes, std::string& error) {
  RE2::Options options;
  options.set_log_errors(false);
  options.set_max_mem(static_cast<int64_t>(max_bytes));
  auto re = std::make_unique<RE2>("(?m)" + std::string(pattern), options);
  if (re->ok()) return re;
  error = re->error_code() == RE2::ErrorPatternTooLarge
              ? "the pattern is larger than the limit of " + std::to_string(max_bytes) + " bytes once compiled (raise limits.regex_bytes in opsbook.yaml)"
              : "not a valid RE2 regular expression: " + re->error();
  return nullptr;
}

}  // namespace

std::string pattern_error(std::string_view pattern, size_t max_bytes) {
  std::string error;
  compile(pattern, max_bytes, error);
  return error;
}

std::optional<bool> pattern_search(std::string_view pattern, std::string_view text, size_t max_bytes, std::string& error) {
  std::unique_ptr<RE2> re = compile(pattern, max_bytes, error);
  if (!re) return std::nullopt;
  return RE2::PartialMatch(text, *re);
}

}  // namespace opsbook::model
