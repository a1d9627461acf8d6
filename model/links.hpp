// Where a relative link of a runbook points: the file (joined to the runbook's folder) and the
// heading anchor, both percent-decoded. Used by the link checks and by sharded checks, which
// parse the runbooks their links point into.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace opsbook::model {

struct LocalLink {
  std::string path;      // as written, decoded; "" for a link to an anchor of the same runbook
  std::string resolved;  // `path` joined to the runbook's folder, lexically normal ("" when `path` is)
  std::string anchor;    // "" when there is none
};

// nullopt for links with a scheme (http:, mailto:, ...), site-absolute ones ("/docs/x") and empty ones.
std::optional<LocalLink> local_link(std::string_view runbook_path, std::string_view url);

// True when `url` starts with a scheme ("https:", "mailto:").
bool has_scheme(std::string_view url);

}  // namespace opsbook::model
