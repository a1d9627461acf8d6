// Secret detection: keys, tokens, passwords in DSNs and KEY=value lines, private key blocks.
// Findings never show a secret: every source line is redacted with redact_line first.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "model/runbook.hpp"

namespace opsbook::validator {

class FindingSink;

// Secret detection on one line; each match is [begin, end) of the secret value and its kind.
struct SecretMatch {
  size_t begin = 0, end = 0;
  std::string kind;
};
std::vector<SecretMatch> find_secrets(std::string_view line);
std::string redact_line(std::string_view line, const std::vector<SecretMatch>& matches);

// The `secret` rule over every line of the runbook.
void check_secrets(FindingSink& sink, const model::Runbook& rb);

}  // namespace opsbook::validator
