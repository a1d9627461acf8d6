// Resource bounds on what a runbook can make opsbook do. Each one that trips is a `limit`
// diagnostic naming the file, the line, the bound and the key that raises it under `limits:`
// in opsbook.yaml; the run goes on with the other runbooks.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace opsbook::model {

struct Limits {
  size_t runbook_bytes = size_t{16} << 20;       // a larger file is not parsed
  size_t front_matter_bytes = size_t{64} << 10;  // a larger front matter is not read
  size_t yaml_expanded_bytes = size_t{1} << 20;  // the front matter with its YAML aliases expanded
  size_t nesting = 64;                           // depth of front matter values and JSON attributes
  size_t snippets = 10000;                       // per runbook; later code blocks are not read
  size_t findings = 1000;                        // per runbook in a check report; the rest are counted
  size_t regex_bytes = size_t{1} << 20;          // memory of one compiled expect-stdout pattern (RE2)
  size_t shellcheck_bytes = size_t{64} << 10;    // distinct shell script bytes shellcheck reads per runbook
  size_t shellcheck_run_bytes = size_t{1} << 20;  // and per run
};

// "runbook is 20.0 MiB, over the limit of 16.0 MiB (16777216 bytes)".
std::string size_over_limit(std::string_view what, size_t size, size_t limit);

}  // namespace opsbook::model
