// Helpers every command uses: loading the configuration, rendering diagnostics, and a
// buffered writer that turns many small writes into few syscalls.
#pragma once

#include <cstdio>
#include <ctime>
#include <string>
#include <string_view>
#include <vector>

#include "cli/command.hpp"
#include "model/config.hpp"
#include "model/diagnostic.hpp"
#include "model/loader.hpp"

namespace opsbook::cli {

// Loads --config (required when given explicitly), else ./opsbook.yaml when present.
model::Config load_config(const GlobalOptions& globals);

// The paths given on the command line, else the configured content folder.
std::vector<std::string> source_paths(const std::vector<std::string>& given, const model::Config& config);

// A folder opsbook.yaml names (`key: written`, resolved to `folder`) must lie in the git work tree
// around the configuration, outside its hidden folders, and is never the root: a pull request
// names it (s10c B12, s11d B1, B5). Throws opsbook::Error ending in `way` otherwise.
void check_configured_folder(const model::Config& config, std::string_view key, const std::string& written, const std::string& folder,
                             std::string_view way);

// The runbook files of `paths` (files and folders). When there are none (a missing or empty
// folder), prints the diagnostics that explain why and throws opsbook::Error: exit 2, whatever the
// command. Other diagnostics (one of several paths missing) are left in `diagnostics`.
std::vector<model::SourceFile> collect_runbooks(const std::vector<std::string>& paths, model::Diagnostics& diagnostics);

// The environment named by --env, else the configuration's default_env, else none (nullptr).
// Throws opsbook::Error listing the known ones when the name is unknown.
const model::EnvironmentConfig* select_environment(const model::Config& config, const std::string& name);

// Writes `text` to `path`, or to stdout when `path` is empty. Throws opsbook::Error naming the
// file and `what` ("the report") when it cannot be written.
void write_output(const std::string& path, std::string_view text, std::string_view what);


// The current time in UTC, ISO 8601 ("2026-11-24T01:30:00Z"); SOURCE_DATE_EPOCH (seconds) when set.
std::string utc_now();
// Seconds since the epoch of such a time ("2026-11-24T01:30:00Z"); -1 when it is not one.
std::time_t parse_utc(std::string_view text);

// One note on stderr, once a run, when the seal key of opsbook's caches cannot be kept
// (model/seal_key): build, check and serve say it before they use a cache, and after
// load_config() and source_paths(), which name the checkout to model/seal_key (the folders of
// opsbook.yaml and of the content, and their git work trees): a key folder inside it is refused.
void note_seal_key();

// Renders diagnostics at or above `at_least`, compiler style, with the source line and caret.
std::string render_diagnostics(const model::Diagnostics& diagnostics, std::string_view source, model::Severity at_least);

class OutputBuffer {
 public:
  explicit OutputBuffer(std::FILE* file) : m_file(file) { m_buffer.reserve(k_capacity); }
  ~OutputBuffer() { flush(); }
  OutputBuffer(const OutputBuffer&) = delete;
  OutputBuffer& operator=(const OutputBuffer&) = delete;

  void write(std::string_view data);
  void flush();

 private:
  static constexpr size_t k_capacity = 1 << 20;
  std::FILE* m_file;
  std::string m_buffer;
};

}  // namespace opsbook::cli
