// Finding and reading runbook files, and parsing them in parallel. A file that cannot be read
// still yields a Runbook (with an error diagnostic) so that later stages can show it.
#pragma once

#include <string>
#include <vector>

#include "limits.hpp"
#include "runbook.hpp"

namespace opsbook::model {

struct SourceFile {
  std::string path;  // as shown to the user
  std::string slug;  // relative to the root it was found under, ".md" dropped, slugified
};

// Expands files and directories (recursively, *.md and *.markdown, sorted, hidden entries and
// node_modules skipped). Missing paths and unreadable directories become diagnostics.
std::vector<SourceFile> collect_sources(const std::vector<std::string>& paths, Diagnostics& diagnostics);

struct LoadOptions {
  unsigned jobs = 0;                          // 0 = one per core
  bool html = false;                          // render bodies for the portal
  Limits limits;                              // a file over limits.runbook_bytes is not even read
};

// Files whose slugs are equal ("Deploy Guide.md", "deploy-guide.md") would write one page: each
// later one (in the order given) is dropped with an error naming both, so no page silently
// disappears and the page that is built does not depend on thread timing.
void drop_slug_collisions(std::vector<SourceFile>& files, Diagnostics& diagnostics);

// Reads and parses one file.
Runbook load_runbook(const SourceFile& file, const LoadOptions& options);

// Reads and parses every file in parallel; the result is in the order of `files`.
std::vector<Runbook> load_runbooks(const std::vector<SourceFile>& files, const LoadOptions& options);

// Slug of a relative path: "Docs/Redis/README.md" -> "docs/redis/readme".
std::string path_slug(std::string_view relative_path);

}  // namespace opsbook::model
