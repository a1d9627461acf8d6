// Filling an HTTP snippet ("METHOD URL" line, headers, blank line, body): values are
// percent-encoded in the URL's path and query, refused with a line break in a header, escaped
// inside a JSON string and form-encoded in a form body; elsewhere only plain values pass.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "model/runbook.hpp"
#include "runner/fill.hpp"

namespace opsbook::runner {

struct HttpFill {
  std::string text;
  int refused_line = 0;
  std::string refusal;  // "<q> ...: why", empty when filled
};

HttpFill fill_http(std::string_view request, const std::vector<model::Param>& params, const std::map<std::string, std::string>& values,
                   const LineOf& line_of);

}  // namespace opsbook::runner
